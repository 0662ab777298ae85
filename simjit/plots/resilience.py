"""What customers see around a disruption: the daily fill rate at the customer-facing stock points,
aligned on the disruption's start and averaged over its occurrences in many replications, with
the mean time to survive and time to recover of the same occurrences marked."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from simjit.errors import UsageError
from simjit.experiment.statistics import mean_ci
from simjit.experiment.trace import Trace
from simjit.plots.selection import Policies
from simjit.plots.style import kpi_label, legend_right, new_figure, title

__all__ = ["daily_fill_rate", "resilience_profile"]

DEMAND, STOCKOUT, CUSTOMER = "demand", "stockout", "customer"
"""Event kinds and the demand detail read (:class:`simjit.EventKind`: a ``demand`` of a ``customer``)."""


def resilience_profile(
    traces: Sequence[Trace], event: str, *, before: int = 10, after: int = 60, stock_point: str | None = None,
    policies: Sequence[str] | None = None, level: float = 0.95,
) -> Figure:  # fmt: skip
    """The daily customer fill rate from ``before`` days before to ``after`` days after each start of
    ``event`` (a name like ``pads_asia.disruptions.0``, or a family like ``typhoon`` for all its
    occurrences), averaged over the occurrences in ``traces`` (replications of one or more
    policies) with a ``level`` CI band; dashed: mean time to survive, dotted: mean end + time to recover."""
    points = _customer_points(traces, stock_point)
    order = Policies([t.policy for t in traces], policies or list(traces[0].scenario.policies))
    days = np.arange(-before, after + 1)
    figure, axes = new_figure(8.6, 5.0)
    ax = axes[0, 0]
    counts: dict[str, str] = {}
    lengths: list[float] = []
    for policy in order.names:
        mine = [t for t in traces if t.policy == policy]
        curves, marks, spans = _occurrences(mine, event, points, days)
        if not curves:
            continue
        counts[policy] = _summary(len(curves), len({t.replication for t in mine}), marks)
        lengths += spans
        _draw(ax, days, np.array(curves), marks, order, policy, level)
    if not counts:
        found = sorted({_family(e) for t in traces for e in t.disruptions["event"]})
        raise UsageError(f"no occurrence of {event!r} in the traces; they saw {', '.join(found) or 'no disruption'}")
    ax.axvspan(0, float(np.mean(lengths)), facecolor="#999999", alpha=0.25, hatch="..", edgecolor="#666666",
               linewidth=0, zorder=0)  # fmt: skip
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(days[0], days[-1])
    ax.set_ylim(-0.03, 1.05)
    ax.set_xlabel(f"days since {event} started")
    ax.set_ylabel(kpi_label("fill_rate", "daily customer "))
    _legend(ax, order, counts)
    shown = ", ".join(points)
    title(figure, f"Customer fill rate around {event}, aligned on its start",
          f"daily 1 − short/demand at {shown}, mean over the occurrences with its {level:.0%} CI; shaded: the "
          "disruption's mean length; dashed: mean time to survive; dotted: end + mean time to recover")  # fmt: skip
    return figure


def daily_fill_rate(trace: Trace, points: Sequence[str]) -> pd.Series:
    """Per day of ``trace``: 1 − units short / units of customer demand at ``points`` (pooled); NaN on a
    day without customer demand."""
    events = trace.events[trace.events["stock_point"].isin(points)]
    day = events["time"].floordiv(1).astype(int)
    asked = events["kind"].eq(DEMAND) & events["detail"].eq(CUSTOMER)
    short = events["kind"].eq(STOCKOUT)
    horizon = range(math.ceil(trace.scenario.horizon))
    demand = events.loc[asked, "quantity"].groupby(day[asked]).sum().reindex(horizon, fill_value=0.0)
    missed = events.loc[short, "quantity"].groupby(day[short]).sum().reindex(horizon, fill_value=0.0)
    return (1 - missed / demand.where(demand > 0)).rename("fill_rate")


def _customer_points(traces: Sequence[Trace], wanted: str | None) -> list[str]:
    """The stock points with customer demand (or the one asked for, which must have some)."""
    if not traces:
        raise UsageError("give traces of several replications (simjit.experiment.trace.trace_replication)")
    facing = list(dict.fromkeys(d.at for d in traces[0].scenario.demand))
    if wanted is None:
        return facing
    if wanted not in facing:
        raise UsageError(f"{wanted!r} has no customer demand; the customer-facing stock points are {', '.join(facing)}")
    return [wanted]


def _family(event: str) -> str:
    return event.split("#", 1)[0]


def _occurrences(
    traces: Sequence[Trace], event: str, points: Sequence[str], days: np.ndarray
) -> tuple[list[np.ndarray], dict[str, float], list[float]]:  # fmt: skip
    """Per occurrence of ``event``: the fill rate on ``days`` around its start; the mean time to
    survive and to recover (from its end) measured by the run; the occurrences' lengths."""
    curves, lengths, survive, recover = [], [], [], []
    for trace in traces:
        windows = trace.disruptions.drop_duplicates(["event", "start", "end"])
        hits = windows[(windows["event"] == event) | (windows["event"].map(_family) == event)]
        if hits.empty:
            continue
        rate = daily_fill_rate(trace, points)
        for row in hits.itertuples(index=False):
            at = days + math.floor(row.start)
            curves.append(rate.reindex(at).to_numpy(dtype=float))
            lengths.append(row.end - row.start)
        measured = trace.resilience[trace.resilience["event"].isin(hits["event"])]
        survive += list(measured["time_to_survive"])
        recover += list((measured["end"] - measured["start"]) + measured["time_to_recover"])
    marks = {"survive": float(np.nanmean(survive)) if survive else math.nan,
             "recover": float(np.nanmean(recover)) if recover else math.nan}  # fmt: skip
    return curves, marks, lengths


def _draw(
    ax: Axes, days: np.ndarray, curves: np.ndarray, marks: dict[str, float], order: Policies, policy: str,
    level: float,
) -> None:  # fmt: skip
    """One policy's mean curve, its CI band (within [0, 1], where a mean of shares lies) and its marks."""
    style = order.styles[policy]
    stats = np.array([mean_ci(curves[:, k], level) for k in range(len(days))])
    ax.fill_between(days, np.clip(stats[:, 1], 0, 1), np.clip(stats[:, 2], 0, 1), color=style.color, alpha=0.15,
                    linewidth=0)  # fmt: skip
    ax.plot(days, stats[:, 0], color=style.color, marker=style.marker, markevery=5, markersize=5,
            markeredgecolor="black", markeredgewidth=0.5, linewidth=1.6)  # fmt: skip
    for key, dash in (("survive", "--"), ("recover", ":")):
        if not math.isnan(marks[key]):
            ax.axvline(marks[key], color=style.color, linestyle=dash, linewidth=1.4)


def _summary(occurrences: int, replications: int, marks: dict[str, float]) -> str:
    """A policy's legend text: what was averaged, and its marks in numbers (one may lie off the axis)."""
    words = {"survive": "survived {:.1f} d", "recover": "recovered by day {:.1f}"}
    days = ", ".join(text.format(marks[key]) for key, text in words.items() if not math.isnan(marks[key]))
    return f"{occurrences} in {replications} repl." + (f"\n{days}" if days else "")


def _legend(ax: Axes, order: Policies, counts: dict[str, str]) -> None:
    handles: list[Line2D | Patch] = [
        Line2D([], [], color=order.styles[p].color, marker=order.styles[p].marker, markeredgecolor="black",
               markeredgewidth=0.5, label=f"{p}: {text}")
        for p, text in counts.items()
    ]  # fmt: skip
    handles += [
        Patch(facecolor="#999999", alpha=0.25, hatch="..", edgecolor="#666666", linewidth=0, label="mean length"),
        Line2D([], [], color="black", linestyle="--", label="time to survive"),
        Line2D([], [], color="black", linestyle=":", label="end + time to recover"),
    ]
    legend_right(ax, "policy: occurrences, mean days", handles=handles)
