"""How much better or worse than the baseline each policy is, KPI by KPI: the paired differences
of a comparison table with their 95% CIs (a forest plot), the side that is better marked."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from simjit.experiment.columns import POLICY, better
from simjit.plots.selection import Policies, label_policies, one_variant, require_kpis, variant_note
from simjit.plots.style import kpi_label, kpi_name, new_figure, title, value_ticks

__all__ = ["paired_differences"]

COLUMNS = 3
"""KPI panels per row."""


def paired_differences(
    comparison: pd.DataFrame, kpis: Sequence[str], *, baseline: str | None = None, variant: str | None = None,
    policies: Sequence[str] | None = None, currency: str | None = None,
    directions: Mapping[str, str | None] | None = None,
) -> Figure:  # fmt: skip
    """One panel per KPI: each policy's mean paired difference from the baseline (policy − baseline,
    from a comparison table) with its 95% CI; 0 is the baseline. ``policies`` (the run's order,
    baseline included) keeps the colours of the other figures; by default the baseline comes first.
    Money is labelled in ``currency`` (the scenario's), else ``money``. ``directions`` (KPI → which
    way is better, None for no side) overrides the catalogue's, as the tables do for the scenario."""
    if not kpis:
        raise ValueError("give at least one KPI")
    rows, name = one_variant(comparison, variant)
    require_kpis(kpis, rows["kpi"])
    order = Policies(rows[POLICY], policies or ([baseline] if baseline else None))
    ncols = min(COLUMNS, len(kpis))
    nrows = math.ceil(len(kpis) / ncols)
    figure, axes = new_figure(3.6 * ncols + 1.4, 0.45 * len(order.names) * nrows + 1.6 * nrows + 0.6, nrows, ncols,
                              sharey=True)  # fmt: skip
    y = np.arange(len(order.names))
    for ax, kpi in zip(axes.flat, kpis, strict=False):
        stats = rows[rows["kpi"] == kpi].set_index(POLICY).reindex(order.names)
        diff = stats["diff"].to_numpy(dtype=float)
        low = np.nan_to_num(diff - stats["ci_low"].to_numpy(dtype=float))
        high = np.nan_to_num(stats["ci_high"].to_numpy(dtype=float) - diff)
        ax.axvline(0, color="black", linewidth=1.0, zorder=1)
        for i, policy in enumerate(order.names):
            style = order.styles[policy]
            ax.errorbar(diff[i], y[i], xerr=[[low[i]], [high[i]]], fmt=style.marker, color=style.color,
                        markersize=7, capsize=4, elinewidth=1.4, markeredgecolor="black", markeredgewidth=0.5,
                        label=policy)  # fmt: skip
        ax.set_xlabel(kpi_label(kpi, "Δ ", currency))
        side = directions[kpi] if directions is not None and kpi in directions else better(kpi)
        ax.set_title(f"{kpi_name(kpi)}{_better(side)}", fontsize=10)
        value_ticks(ax, kpi, "x")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5))  # a narrow panel: long tick labels must not touch
        ax.margins(x=0.15, y=0.12)
    for ax in axes.flat[len(kpis) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        label_policies(ax, list(y), order, "y")
    axes[0, 0].invert_yaxis()  # the first policy on top (the axes share y)
    against = baseline or "the baseline"
    n = _count(rows[rows["kpi"].isin(kpis)])
    title(figure, f"Paired differences against {against}{variant_note(name)}",
          f"policy − {against}, mean of {n} paired replications with its 95% CI; 0 = as good as {against}")  # fmt: skip
    return figure


def _better(direction: str | None) -> str:
    """`` (better ←)``: which side of 0 is the better one."""
    return "" if direction is None else f"  (better {'←' if direction == 'lower' else '→'})"


def _count(rows: pd.DataFrame) -> str:
    counts = sorted(set(rows["n"].astype(int)))
    return str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
