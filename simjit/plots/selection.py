"""What a figure draws out of a result table: one variant, the policies in the run's order, KPIs
that exist. Shared by the figure modules so that they choose alike and fail with one message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import pandas as pd
from matplotlib.axes import Axes

from simjit.errors import UsageError
from simjit.experiment.columns import VARIANT
from simjit.experiment.plan import BASE
from simjit.plots.style import PolicyStyle, policy_styles

__all__ = ["Policies", "label_policies", "one_variant", "require_kpis", "variant_note"]


class Policies:
    """The policies a figure draws, in the run's order, and each one's style (fixed by that order)."""

    def __init__(self, found: Iterable[str], order: Sequence[str] | None = None) -> None:
        seen = list(dict.fromkeys(found))
        full = list(dict.fromkeys([*(order or ()), *seen]))  # one the order misses still gets a style of its own
        self.styles: dict[str, PolicyStyle] = policy_styles(full)
        self.names: list[str] = [p for p in full if p in seen]
        if not self.names:
            raise UsageError("no policy to draw: the table is empty")


def label_policies(ax: Axes, positions: Sequence[float], order: Policies, axis: str = "x") -> None:
    """Tick labels naming the policies at ``positions``, each in its colour and bold."""
    (ax.set_xticks if axis == "x" else ax.set_yticks)(positions, order.names)
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    for label, policy in zip(labels, order.names, strict=True):
        label.set_color(order.styles[policy].color)
        label.set_fontweight("bold")


def one_variant(table: pd.DataFrame, variant: str | None) -> tuple[pd.DataFrame, str]:
    """The rows of one variant (default: the first) and its name; a table without variants is whole."""
    if VARIANT not in table.columns:
        return table, BASE
    names = list(dict.fromkeys(table[VARIANT]))
    if not names:
        raise UsageError("nothing to draw: the table has no rows")
    chosen = names[0] if variant is None else variant
    if chosen not in names:
        raise UsageError(f"no variant {chosen!r} in the table{_close(chosen, names)}; it has {', '.join(names[:8])}")
    return table[table[VARIANT] == chosen], chosen


def variant_note(name: str) -> str:
    """`` — at duration=30`` for a sweep point, nothing for a plain run."""
    return "" if name == BASE else f" — at {name}"


def require_kpis(kpis: Sequence[str], known: Iterable[str]) -> None:
    """A UsageError naming the first KPI the table does not hold, and the closest one it does."""
    have = list(dict.fromkeys(known))
    for kpi in kpis:
        if kpi not in have:
            raise UsageError(f"unknown KPI {kpi!r}{_close(kpi, have)}")


def _close(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
