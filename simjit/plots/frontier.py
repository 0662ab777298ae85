"""The cost–service trade-off: each policy's mean cost against its mean service with both 95%
confidence intervals, and the policies that no other beats on both (the efficient frontier). The
subtitle says which of those differences the paired comparison tells apart (★, ≈ as in the tables)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simjit.experiment.cells import MARKS_LEGEND, STAR, TIED, marks
from simjit.experiment.columns import POLICY, better
from simjit.plots.selection import Policies, one_variant, require_kpis, variant_note
from simjit.plots.style import kpi_label, kpi_name, legend_right, new_figure, title, value_ticks

__all__ = ["efficient", "tradeoff_frontier"]

ARROWS = {("higher", "lower"): "↘", ("higher", "higher"): "↗", ("lower", "lower"): "↙", ("lower", "higher"): "↖"}
"""Which corner is better, by the (x, y) directions of the catalogue."""


def tradeoff_frontier(
    summary: pd.DataFrame, *, cost: str = "total_cost", service: str = "fill_rate", variant: str | None = None,
    policies: Sequence[str] | None = None, currency: str | None = None,
) -> Figure:  # fmt: skip
    """Mean ``cost`` (y) against mean ``service`` (x) per policy from a summary table, each with a
    cross of its two 95% CIs; a dashed line joins the policies no other beats on both KPIs. Money
    axes are labelled in ``currency`` (the scenario's), else ``money``."""
    rows, name = one_variant(summary, variant)
    require_kpis([cost, service], rows["kpi"])
    order = Policies(rows[POLICY], policies)
    stats = {k: rows[rows["kpi"] == k].set_index(POLICY).reindex(order.names) for k in (service, cost)}
    x, y = (stats[k]["mean"].to_numpy(dtype=float) for k in (service, cost))
    figure, axes = new_figure(7.8, 5.0)
    ax = axes[0, 0]
    for i, policy in enumerate(order.names):
        style = order.styles[policy]
        xerr = _half_widths(stats[service].iloc[i])
        yerr = _half_widths(stats[cost].iloc[i])
        ax.errorbar(x[i], y[i], xerr=xerr, yerr=yerr, fmt=style.marker, color=style.color, markersize=8,
                    capsize=4, elinewidth=1.3, markeredgecolor="black", markeredgewidth=0.6, label=policy,
                    zorder=3)  # fmt: skip
    directions = (better(service), better(cost))
    keep = efficient(x, y, *directions) if None not in directions else np.zeros(len(x), dtype=bool)
    if keep.sum() > 1:
        line = np.argsort(x[keep])
        ax.plot(x[keep][line], y[keep][line], linestyle="--", color="#555555", linewidth=1.0, zorder=2,
                label="efficient frontier")  # fmt: skip
    arrow = ARROWS.get(directions)  # type: ignore[arg-type]
    if arrow:
        ax.text(0.99 if directions[0] == "higher" else 0.01, 0.02 if directions[1] == "lower" else 0.97,
                f"better {arrow}", transform=ax.transAxes, ha="right" if directions[0] == "higher" else "left",
                va="bottom" if directions[1] == "lower" else "top", color="#555555", fontsize=9)  # fmt: skip
    ax.margins(0.15)
    ax.set_xlabel(f"mean {kpi_label(service, currency=currency)}")
    ax.set_ylabel(f"mean {kpi_label(cost, currency=currency)}")
    value_ticks(ax, cost)
    legend_right(ax, "policy")
    note = _frontier_note(keep, order.names, _paired(rows, (cost, service), order.names))
    title(figure, f"Trade-off: {kpi_name(cost)} against {kpi_name(service)} per policy{variant_note(name)}",
          f"crosses: 95% CIs of the means; {note}")  # fmt: skip
    return figure


def efficient(x: np.ndarray, y: np.ndarray, x_better: str | None, y_better: str | None) -> np.ndarray:
    """Which points no other point beats: at least as good on both KPIs and better on one
    (``x_better``/``y_better``: ``"higher"`` or ``"lower"``; a KPI without a direction: all kept)."""
    if x_better is None or y_better is None:
        return np.ones(len(x), dtype=bool)
    gx = x if x_better == "higher" else -x
    gy = y if y_better == "higher" else -y
    keep = np.ones(len(x), dtype=bool)
    for i in range(len(x)):
        beaten = (gx >= gx[i]) & (gy >= gy[i]) & ((gx > gx[i]) | (gy > gy[i]))
        keep[i] = not beaten.any()
    return keep


def _frontier_note(keep: np.ndarray, names: list[str], paired: dict[str, dict[str, str]]) -> str:
    """What the dashed line means, or why there is none, and what the paired comparison tells apart
    (``paired``: KPI → its marks, as in the tables): a policy is said to beat the others on both only
    when it is ★ on both."""
    shown = [_told(kpi, marked) for kpi, marked in paired.items() if marked]
    told = [f"paired ({MARKS_LEGEND}): {', '.join(shown)}"] if shown else []
    if keep.sum() > 1:
        return "; ".join(["dashed: the policies no other beats on both (mean against mean)", *told])
    if keep.sum() == 1 and len(names) > 1:
        first = names[int(np.flatnonzero(keep)[0])]
        if paired and all(marked.get(first) == STAR for marked in paired.values()):
            return f"{first} is better than every other policy on both (paired differences clear of 0, 95%)"
        return "; ".join([f"{first} has the best mean on both", *told])
    if len(names) == 1:
        return "one policy: no frontier"
    return "one of the KPIs has no better direction: no frontier"


def _paired(rows: pd.DataFrame, kpis: Sequence[str], names: list[str]) -> dict[str, dict[str, str]]:
    """Each KPI's marks (policy of ``names`` → ★ or ≈) from one variant's summary rows, as the tables show
    them (none when the best of the run is not among ``names``)."""
    by = rows.set_index([POLICY, "kpi"])
    return {kpi: marks(by, {p: (p, kpi) for p in names}, better(kpi)) for kpi in kpis}


def _told(kpi: str, marked: dict[str, str]) -> str:
    """``fill rate jit ★`` or ``total cost jit ≈ eoq``."""
    star = [p for p, m in marked.items() if m == STAR]
    return f"{kpi_name(kpi)} {star[0]} {STAR}" if star else f"{kpi_name(kpi)} {f' {TIED} '.join(marked)}"


def _half_widths(row: pd.Series) -> np.ndarray:
    """The distances from the mean to the CI's ends (0 when unknown: one replication)."""
    low, high = row["mean"] - row["ci_low"], row["ci_high"] - row["mean"]
    return np.nan_to_num(np.array([[low], [high]], dtype=float))
