"""Numbers as table cells: a mean with its interval rounded as one reports a measurement.

``4,607 ± 66``, ``0.953 ± 0.019``, ``33% [6–79%]``, ``–`` for no value. With ``stacked``, the
interval goes on a second line under the value, so a cell is half as wide (see tables.py).
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["as_float", "cell", "gap", "negligible", "num", "rounded", "share"]


def cell(by: Any, key: tuple[str, ...], stacked: bool = False) -> str:
    """``mean ± half-width`` of the row ``key`` of a summary indexed like ``key``; ``–`` if absent or empty."""
    if key not in by.index:
        return "–"
    row = by.loc[key]
    mean, high, low = (as_float(row[k]) for k in ("mean", "ci_high", "ci_low"))
    half = (high - low) / 2
    if mean != mean:
        return "–"  # nothing to average: no disruption event at this sweep point, no customer demand…
    if negligible(half, mean):  # the same value in every replication (often 0): no interval to show
        return num(mean)
    shown, pm = rounded(half, mean, half)
    return f"{shown}{gap(stacked)}± {pm}"


def as_float(value: Any) -> float:
    """A table cell's number; missing (None, pandas' NA) is NaN."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def negligible(half: float, mean: float) -> bool:
    """An interval's half-width of zero, or only the rounding noise of summing equal values."""
    return half == half and abs(half) <= 1e-9 * max(1.0, abs(mean) if mean == mean else 1.0)


def share(row: Any, stacked: bool = False) -> str:
    """``33% [6–79%]``: a share and its interval (not symmetric, so not ± a half-width)."""
    if row["mean"] != row["mean"]:
        return "–"
    low, high = row["ci_low"], row["ci_high"]
    interval = f"{gap(stacked)}[{low:.0%}–{high:.0%}]".replace("%–", "–") if low == low and high == high else ""
    return f"{row['mean']:.0%}{interval}"


def gap(stacked: bool) -> str:
    """What parts a value from its interval: a space, or a new line in a stacked cell."""
    return "\n" if stacked else " "


def num(x: float) -> str:
    """A number without an interval: whole numbers exactly, others to 3 decimals below 10, else whole."""
    x = as_float(x)
    if x != x:
        return "–"
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.3f}" if abs(x) < 10 else f"{x:,.0f}"


def rounded(half: float, *values: float) -> list[str]:
    """Values shown to the precision of an interval's half-width (two significant digits of it), as one reports
    a measurement: 15.3 ± 6.0, 0.953 ± 0.019, 4,607 ± 66; a zero or unknown width falls back to ``num``."""
    if not (half == half and 0 < half < float("inf")):
        return [num(v) for v in values]
    decimals = min(6, max(0, 1 - math.floor(math.log10(half))))
    return [f"{round(v, decimals) + 0.0:,.{decimals}f}" if v == v else "–" for v in values]
