"""The inventory saw-tooth of one replication: per stock point (rows) and policy (columns), on hand,
backorders and inventory position after every event, orders and receipts marked, and the
disruption windows shaded where they really fell in that replication."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from simjit.errors import UsageError
from simjit.experiment.trace import Trace
from simjit.plots.selection import Policies
from simjit.plots.style import UNITS, legend_right, new_figure, title

__all__ = ["DISRUPTION_GID", "inventory_trajectory"]

DISRUPTION_GID = "disruption"
"""The gid of a shaded window is ``disruption:<event>`` (what a test or a caller can look up)."""
WINDOW_HATCHES = ("xx", "..", "\\\\\\\\", "//", "oo", "++", "--", "||")
ORDER, RECEIPT = "order", "receipt"
"""Event kinds marked (:class:`simjit.EventKind` values, as the trace's ``kind`` column holds them)."""
POSITION_COLOR, BACKORDER_COLOR = "#444444", "#BBBBBB"
ORDER_ROW, RECEIPT_ROW = 0.95, 0.88
"""Heights (fractions of a panel) of the rows of order and receipt marks: along the top, off the lines."""


def inventory_trajectory(
    traces: Sequence[Trace], stock_points: Sequence[str] | None = None, *, policies: Sequence[str] | None = None,
    start: float | None = None, end: float | None = None,
) -> Figure:  # fmt: skip
    """A panel per stock point (row) and traced policy (column): on hand (step, the policy's colour),
    backorders (hatched, below 0), inventory position (dashed), orders ▲ and receipts ▼ along the top, the
    played disruption windows shaded and named, the end of the warm-up dotted; days ``start``–``end``."""
    by_policy = _one_each(traces)
    order = Policies(by_policy, policies or list(traces[0].scenario.policies))
    points = _points(traces, stock_points)
    first = traces[0]
    lo = 0.0 if start is None else start
    hi = first.scenario.horizon if end is None else end
    figure, axes = new_figure(3.9 * len(order.names) + 2.6, 2.2 * len(points) + 1.4, len(points), len(order.names),
                              sharex=True, sharey="row")  # fmt: skip
    families = _families(traces)
    for j, policy in enumerate(order.names):
        trace = by_policy[policy]
        for i, point in enumerate(points):
            ax = axes[i, j]
            _shade(ax, trace.disruptions, families, lo, hi)
            _draw_point(ax, trace.events[trace.events["stock_point"] == point], order.styles[policy].color, lo, hi)
            if lo < trace.scenario.warmup < hi:
                ax.axvline(trace.scenario.warmup, color="black", linestyle=":", linewidth=1.0)
            if j == 0:
                ax.set_ylabel(f"{point}\n({UNITS['units']})")
            if i == len(points) - 1:
                ax.set_xlabel("day")
        axes[0, j].set_title(policy, color=order.styles[policy].color, fontweight="bold", fontsize=10)
    axes[0, 0].set_xlim(lo, hi)
    _legend(axes[0, -1], families, lo < first.scenario.warmup < hi)
    reps = sorted({t.replication for t in traces})
    which = f"replication {reps[0]}" if len(reps) == 1 else f"replications {', '.join(map(str, reps))}"
    title(figure, f"Inventory over time, {which}, per stock point (rows) and policy (columns)",
          "on hand (step), backorders (hatched, below 0), inventory position (dashed); ▲ orders placed and ▼ "
          "receipts along the top; shaded: disruptions as played")  # fmt: skip
    return figure


def _one_each(traces: Sequence[Trace]) -> dict[str, Trace]:
    """The traces by policy; two of one policy would be drawn on top of each other."""
    if not traces:
        raise UsageError("give at least one trace (simjit.experiment.trace.trace_replication)")
    by_policy: dict[str, Trace] = {}
    for trace in traces:
        if trace.policy in by_policy:
            raise UsageError(f"two traces of policy {trace.policy!r}: give one trace per policy")
        by_policy[trace.policy] = trace
    return by_policy


def _points(traces: Sequence[Trace], wanted: Sequence[str] | None) -> list[str]:
    """The stock points to draw, in the scenario's order; each must be in the traces."""
    known = list(dict.fromkeys(p for t in traces for p in t.daily["stock_point"]))
    if wanted is None:
        return known
    missing = [p for p in wanted if p not in known]
    if missing:
        raise UsageError(f"stock point {missing[0]!r} is not in the traces; they hold {', '.join(known)}")
    return list(wanted)


def _families(traces: Sequence[Trace]) -> dict[str, str]:
    """Each disruption family (``typhoon`` of ``typhoon#3``) and its hatch, the same in every panel."""
    names = dict.fromkeys(_family(e) for t in traces for e in t.disruptions["event"])
    return {name: WINDOW_HATCHES[i % len(WINDOW_HATCHES)] for i, name in enumerate(names)}


def _family(event: str) -> str:
    return event.split("#", 1)[0]


def _shade(ax: Axes, windows: pd.DataFrame, families: dict[str, str], lo: float, hi: float) -> None:
    """A shaded span per disruption window as played (once per event, however many targets it hit)."""
    for row in windows.drop_duplicates(["event", "start", "end"]).itertuples(index=False):
        if row.end < lo or row.start > hi:
            continue
        span = ax.axvspan(row.start, row.end, facecolor="#999999", alpha=0.28, edgecolor="#555555",
                          hatch=families[_family(row.event)], linewidth=0, zorder=0)  # fmt: skip
        span.set_gid(f"{DISRUPTION_GID}:{row.event}")


SLICES = 300
"""Slices of a panel's width below which a trajectory's states are thinned (a panel is a few hundred
pixels wide)."""

MARKS = 120
"""Slices of a panel's width for the marks of orders and receipts: at most one of each kind per slice
where there are more (an order an hour draws a solid row of marks either way)."""


def _thinned(events: pd.DataFrame, lo: float, hi: float, width: int = 0) -> pd.DataFrame:
    """At most two states per 1/``width`` of the panel: the lowest on hand and the last, so a saw-tooth
    keeps its teeth while demand through the day (a lot an hour) does not fill the figure with points
    no screen shows."""
    width = width or SLICES
    if len(events) <= 2 * width:
        return events
    bucket = ((events["time"] - lo) * (width / max(hi - lo, 1e-9))).astype(int)
    keep = events.groupby(bucket)["on_hand"].idxmin().tolist() + events.groupby(bucket).tail(1).index.tolist()
    return events.loc[sorted(set(keep))]


def _draw_point(ax: Axes, events: pd.DataFrame, color: str, lo: float, hi: float) -> None:
    """One stock point's state after every event, extended to ``hi``, and its orders and receipts."""
    events = events[events["time"] <= hi]
    drawn = _thinned(events, lo, hi)
    t = np.append(drawn["time"].to_numpy(dtype=float), hi)
    state = {c: np.append(drawn[c].to_numpy(dtype=float), drawn[c].iloc[-1] if len(drawn) else 0.0)
             for c in ("on_hand", "backorders", "position")}  # fmt: skip
    ax.fill_between(t, -state["backorders"], 0, step="post", facecolor=BACKORDER_COLOR, edgecolor="#555555",
                    hatch="////", linewidth=0, zorder=1)  # fmt: skip
    ax.step(t, state["position"], where="post", color=POSITION_COLOR, linestyle="--", linewidth=0.9, zorder=2)
    ax.step(t, state["on_hand"], where="post", color=color, linewidth=1.4, zorder=3)
    ax.axhline(0, color="black", linewidth=0.6, zorder=2)
    ax.margins(y=0.2)  # room for the rows of marks along the top
    for kind, height, marker, face in ((ORDER, ORDER_ROW, "^", "white"), (RECEIPT, RECEIPT_ROW, "v", "black")):
        when = events.loc[(events["kind"] == kind) & (events["time"] >= lo), "time"].to_numpy(dtype=float)
        if len(when) > MARKS:
            when = when[np.unique(((when - lo) * (MARKS / max(hi - lo, 1e-9))).astype(int), return_index=True)[1]]
        ax.plot(when, np.full(len(when), height), linestyle="none", marker=marker, markersize=4, markerfacecolor=face,
                markeredgecolor="black", markeredgewidth=0.5, transform=ax.get_xaxis_transform(), zorder=4)  # fmt: skip


def _legend(ax: Axes, families: dict[str, str], warmup: bool) -> None:
    """One legend for the figure, beside the top right panel."""
    handles: list[Line2D | Patch] = [
        Line2D([], [], color="#222222", linewidth=1.4, label="on hand (policy's colour)"),
        Patch(facecolor=BACKORDER_COLOR, edgecolor="#555555", hatch="////", label="backorders (below 0)"),
        Line2D([], [], color=POSITION_COLOR, linestyle="--", linewidth=0.9, label="inventory position"),
        Line2D([], [], linestyle="none", marker="^", markerfacecolor="white", markeredgecolor="black",
               label="order placed (top row)"),
        Line2D([], [], linestyle="none", marker="v", markerfacecolor="black", markeredgecolor="black",
               label="receipt (second row)"),
    ]  # fmt: skip
    if warmup:
        handles.append(Line2D([], [], color="black", linestyle=":", label="end of warm-up"))
    handles += [Patch(facecolor="#999999", alpha=0.28, edgecolor="#555555", hatch=h, linewidth=0, label=name)
                for name, h in families.items()]  # fmt: skip
    legend_right(ax, "", handles=handles, fontsize=8)
