"""Annual consumption value (unit cost × annual demand) per item: what ABC classes rank.

From an items table: a CSV file whose header names the columns ``name, unit_cost, annual_demand``
(in any order, any case; other columns are ignored; blank lines are skipped). Every problem is
reported at once, located at the line it is on, like a scenario's:
``items.csv:5: bolts.unit_cost: expected a finite number, got 'inf'``.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from pathlib import Path

from simjit.errors import Problem, ScenarioError
from simjit.scenario.loader import read_text

__all__ = ["COLUMNS", "read_items_table"]

COLUMNS = ("name", "unit_cost", "annual_demand")
"""The columns an items table must have (in any order; others are ignored)."""

Record = tuple[int, list[str]]
"""A record of the table: the line it starts on, and its cells with the spaces around them removed."""


def read_items_table(path: Path) -> dict[str, float]:
    """Item name → annual value from a CSV items table, every row checked: a name given once, and
    finite numbers >= 0 whose product is finite too."""
    shown = str(path)
    records = _records(_text(path), shown)
    header = next(records, None)
    if header is None:
        raise ScenarioError.single(
            "the table is empty", shown, hint=f"its first line names the columns: {', '.join(COLUMNS)}"
        )
    at = _columns(header, shown)
    values: dict[str, float] = {}
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    total = 0.0
    for line, cells in records:
        found = _row(line, cells, at, len(header[1]), seen)
        if isinstance(found, Problem):
            problems.append(found)
        elif not math.isfinite(total + found[1]):
            problems.append(Problem(found[0], "the annual values add up past the largest number a float holds", line))
        else:
            values[found[0]] = found[1]
            total += found[1]
    if problems:
        raise ScenarioError(problems, shown)
    if not values:
        raise ScenarioError.single("no items below the header", shown, line=header[0], hint="one row per item")
    return values


def _text(path: Path) -> str:
    """The file's text; an empty file or a directory is named as such (not as a scenario)."""
    if path.is_dir():
        raise ScenarioError.single("this is a directory, not an items table", str(path))
    try:
        return read_text(path)
    except ScenarioError:
        if path.is_file() and path.stat().st_size < 4096 and not path.read_bytes().strip():
            raise ScenarioError.single(
                "the table is empty", str(path), hint=f"its first line names the columns: {', '.join(COLUMNS)}"
            ) from None
        raise


def _records(text: str, shown: str) -> Iterator[Record]:
    """The non-blank records of the CSV text, each with the line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ScenarioError.single(f"cannot read the table: {exc}", shown, line=line) from None
        cells = [c.strip() for c in cells]
        if any(cells):
            yield line, cells


def _columns(header: Record, shown: str) -> dict[str, int]:
    """Where each needed column is in the header (names compared without case)."""
    line, names = header
    keys = [n.lower() for n in names]
    twice = sorted({k for k in keys if k in COLUMNS and keys.count(k) > 1})
    if twice:
        raise ScenarioError.single(f"the column {twice[0]} is named twice", shown, line=line, hint="keep one of them")
    missing = [c for c in COLUMNS if c not in keys]
    if missing:
        other = next((s for s in ";\t" if len(names) == 1 and s in names[0]), None)  # Excel's CSV in some locales
        raise ScenarioError.single(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; found {', '.join(names)}",
            shown, line=line, hint=f"the header must name: {', '.join(COLUMNS)}"
            + (f"; the columns are separated by {other!r}, not commas" if other else ""),
        )  # fmt: skip
    return {c: keys.index(c) for c in COLUMNS}


def _row(
    line: int, cells: list[str], at: dict[str, int], width: int, seen: dict[str, int]
) -> tuple[str, float] | Problem:
    """A row's item and annual value, or its first problem; ``seen`` notes the line each name is first on."""
    name = _cell(cells, at["name"])
    if len(cells) > width and any(cells[width:]):
        return Problem(
            name, f"expected {width} cells as in the header, got {len(cells)}", line,
            hint="a comma in a number, as in 1,000? write 1000, or put the cell in quotes",
        )  # fmt: skip
    if not name:
        return Problem("name", "expected the item's name, got nothing", line)
    if "\n" in name or "\r" in name:
        return Problem("name", f"expected a name on one line, got {name!r}", line, hint="a quote left open?")
    if seen.setdefault(name, line) != line:
        return Problem(name, f"the item is named twice: also on line {seen[name]}", line, hint="give each item one row")
    numbers = []
    for column in ("unit_cost", "annual_demand"):
        cell = _cell(cells, at[column])
        number = _number(cell)
        if isinstance(number, str):
            return Problem(f"{name}.{column}", f"{number}, got {cell!r}" if cell else f"{number}, got nothing", line)
        numbers.append(number)
    value = numbers[0] * numbers[1]
    if not math.isfinite(value):
        return Problem(
            name, f"the annual value {numbers[0]:g} × {numbers[1]:g} is past the largest number a float holds", line
        )
    return name, value


def _cell(cells: list[str], at: int) -> str:
    """The cell in column ``at``; a short row's missing cells are empty."""
    return cells[at] if at < len(cells) else ""


def _number(cell: str) -> float | str:
    """The cell as a finite number >= 0, or what was expected of it."""
    try:
        number = float(cell)
    except ValueError:
        return "expected a number"
    if not math.isfinite(number):
        return "expected a finite number"
    if number < 0:
        return "expected a number >= 0"
    return number
