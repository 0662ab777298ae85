"""Annual consumption value (unit cost × annual demand) per item: what ABC classes rank.

From an items table (CSV with the columns ``name, unit_cost, annual_demand``) or from a scenario
(per stock point, from its mean demand through the network). Errors are located in the table
like a scenario's: ``items.csv:3: bolts: expected unit_cost and annual_demand >= 0, got …``.
"""

from __future__ import annotations

import io
from pathlib import Path

from simjit.errors import ScenarioError
from simjit.scenario.loader import read_text

__all__ = ["COLUMNS", "read_items_table"]

COLUMNS = ("name", "unit_cost", "annual_demand")
"""The columns an items table must have (in any order; others are ignored)."""


def read_items_table(path: Path) -> dict[str, float]:
    """Item name → annual value from a CSV items table, every row checked (values >= 0)."""
    import pandas as pd  # only this reader needs it: importing the scenario layer stays light

    text = read_text(path)
    try:
        frame = pd.read_csv(io.StringIO(text))
    except (ValueError, pd.errors.ParserError) as exc:
        raise ScenarioError.single(f"cannot read the table: {exc}", str(path)) from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ScenarioError.single(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; found {', '.join(map(str, frame.columns))}",
            str(path), line=1, hint=f"the header must name: {', '.join(COLUMNS)}",
        )  # fmt: skip
    values: dict[str, float] = {}
    for row_no, row in enumerate(frame.itertuples(index=False), start=2):
        cost, demand = _number(row.unit_cost), _number(row.annual_demand)
        if not (cost >= 0 and demand >= 0):
            raise ScenarioError.single(
                f"expected unit_cost and annual_demand >= 0, got {row.unit_cost!r} and {row.annual_demand!r}",
                str(path), line=row_no, field=str(row.name),
            )  # fmt: skip
        values[str(row.name)] = cost * demand
    return values


def _number(value: object) -> float:
    """A cell as a number; anything else (text, empty) is NaN, which the check above refuses."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")
