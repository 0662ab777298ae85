"""Sweeps: ``--vary dotted.path=v1,v2,…`` (or ``start:stop:step``), the cartesian product of all
``--vary`` options, each point a variant of the scenario validated like a ``--set``.

Every point plays the same replications with the same streams (common random numbers), so
differences between points are differences of the parameter, not of luck.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from simjit.errors import Problem, ScenarioError
from simjit.experiment.columns import EVENT_COLUMNS, ID_COLUMNS, KPIS
from simjit.experiment.plan import Variant
from simjit.scenario.loader import read_text, validate_data
from simjit.scenario.models import Scenario
from simjit.scenario.overrides import parse_assignment, parse_path
from simjit.scenario.yaml_nodes import parse_yaml

__all__ = ["MAX_POINTS", "Axis", "parse_vary", "sweep_variants"]

MAX_POINTS = 10_000
_NUMBER = r"\s*(-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*"
_RANGE = re.compile(f"{_NUMBER}:{_NUMBER}(?::{_NUMBER})?")


@dataclass(frozen=True)
class Axis:
    """One ``--vary``: a parameter path and the values it takes (as YAML text and as read)."""

    option: str
    path: str
    texts: tuple[str, ...]
    values: tuple[Any, ...]


def _error(option: str, message: str, field: str = "") -> ScenarioError:
    return ScenarioError([Problem(field, message, source=f"--vary {option}")])


def split_values(text: str) -> list[str]:
    """Split at commas outside brackets and quotes: ``1,{uniform: [1, 2]}`` → two values."""
    parts: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{(":
            depth += 1
        elif ch in "]})":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    parts.append("".join(current).strip())
    return parts


def expand_range(text: str, option: str) -> list[str] | None:
    """``0:60:15`` → 0, 15, 30, 45, 60 (the stop included when the steps land on it); else None."""
    match = _RANGE.fullmatch(text)
    if match is None:
        return None
    start, stop, step = (float(g) if g is not None else 1.0 for g in match.groups())
    if not all(map(math.isfinite, (start, stop, step))):
        big = next(g.strip() for g in match.groups() if g is not None and not math.isfinite(float(g)))
        raise _error(option, f"expected a finite number, got {big} (in the range {text})")
    if step <= 0 or stop < start:
        raise _error(option, f"a range start:stop:step needs start <= stop and step > 0, got {text}")
    count = int((stop - start) / step + 1e-9) + 1
    if count > MAX_POINTS:
        raise _error(option, f"the range {text} has {count:,} values; at most {MAX_POINTS:,}")
    whole = all(g is None or re.fullmatch(r"\s*-?\d+\s*", g) for g in match.groups())
    values = [start + i * step for i in range(count)]
    return [str(int(v)) if whole else repr(round(v, 10)) for v in values]


def parse_vary(option: str) -> Axis:
    """One ``--vary path=values`` option."""
    if "=" not in option:
        raise _error(option, "expected dotted.path=v1,v2,… or dotted.path=start:stop:step")
    left, right = option.split("=", 1)
    try:
        path = ".".join(map(str, parse_path(left.strip())))
    except ValueError as exc:
        raise _error(option, f"cannot read this path: {exc}", left.strip()) from None
    if path in ID_COLUMNS or path in KPIS or path in EVENT_COLUMNS:
        raise _error(option, f"{path!r} is also a result column; vary it through a longer path", path)
    if path == "replications":
        raise _error(option, "how many futures every point plays, not a parameter of the scenario: "
                     "a sweep plays -n N replications at every point (its column would state counts not played); "
                     "give -n N, or run once per count", path)  # fmt: skip
    texts: list[str] = []
    for token in split_values(right):
        if token == "":
            raise _error(option, "empty value (two commas in a row, or a comma at the end?)", path)
        texts += expand_range(token, option) or [token]
    if len(set(texts)) != len(texts):
        raise _error(option, "a value is listed twice", path)
    values: list[Any] = []
    for text in texts:
        try:
            value = parse_assignment(f"{path}={text}")[1]
        except ScenarioError as exc:
            raise ScenarioError([_as_vary(p, option) for p in exc.problems]) from None
        if value in values:  # 1e1 and 10.0: one point, played twice
            raise _error(option, f"the values {texts[values.index(value)]} and {text} are the same value", path)
        values.append(value)
    return Axis(option, path, tuple(texts), tuple(values))


def _as_vary(problem: Problem, option: str) -> Problem:
    """A problem the scenario layer located at ``--set path=value``, relocated to the ``--vary`` option."""
    if problem.source and problem.source.startswith("--set "):
        return replace(problem, source=f"--vary {option} (value {problem.source.split('=', 1)[1]})")
    return problem


def _short_names(paths: Sequence[str]) -> list[str]:
    """The shortest dotted suffix naming each path apart from the others: ``….0.duration`` → ``duration``."""
    names = []
    for path in paths:
        parts = path.split(".")
        for k in range(1, len(parts) + 1):
            tail = ".".join(parts[-k:])
            if k == len(parts) or sum(p == tail or p.endswith("." + tail) for p in paths) == 1:
                names.append(tail)
                break
    return names


def sweep_variants(
    file: Path | str, options: Sequence[str], overrides: Sequence[str] = (), files_anywhere: bool = False
) -> tuple[Scenario, list[Variant]]:
    """The base scenario (``--set`` applied) and one validated variant per point of the product.

    Every point is checked before anything runs; all bad points are reported at once.
    """
    file = Path(file)
    axes = [parse_vary(o) for o in options]
    if len({a.path for a in axes}) != len(axes):
        raise _error(options[0], "a path is varied twice; give all its values in one --vary")
    count = 1
    for axis in axes:
        count *= len(axis.texts)
    if count > MAX_POINTS:
        raise _error(options[0], f"the sweep has {count:,} points; at most {MAX_POINTS:,}")
    located = parse_yaml(read_text(file), str(file))
    base_dir = file.resolve().parent
    base = validate_data(located, str(file), base_dir, overrides, files_anywhere)
    short = _short_names([a.path for a in axes])
    variants, problems = [], []
    for point in itertools.product(*(range(len(a.texts)) for a in axes)):
        sets = [f"{a.path}={a.texts[i]}" for a, i in zip(axes, point, strict=True)]
        name = ", ".join(f"{s}={a.texts[i]}" for s, a, i in zip(short, axes, point, strict=True))
        try:
            scenario = validate_data(located, str(file), base_dir, [*overrides, *sets], files_anywhere)
        except ScenarioError as exc:
            by_set = {f"--set {s}": a.option for s, a in zip(sets, axes, strict=True)}
            problems += [_as_vary(p, by_set[p.source]) if p.source in by_set else p for p in exc.problems]
            continue
        params = {a.path: a.values[i] for a, i in zip(axes, point, strict=True)}
        variants.append(Variant(name, scenario, params))
    if problems:
        unique = list(dict.fromkeys(problems))
        raise ScenarioError(unique, str(file))
    return base, variants
