"""Where each policy's money goes: the cost components of the catalogue stacked per policy, with
the confidence interval of the total, so that a cheaper total can be traced to its cause."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simjit.experiment.columns import POLICY, TOTAL_COST_PARTS, catalogued
from simjit.plots.selection import Policies, label_policies, one_variant, require_kpis, variant_note
from simjit.plots.style import (
    COMPONENT_COLORS,
    COMPONENT_HATCHES,
    UNITS,
    grid,
    kpi_name,
    legend_right,
    new_figure,
    title,
)

__all__ = ["COST_COMPONENTS", "cost_breakdown"]

TOTAL = "total_cost"
COST_COMPONENTS = TOTAL_COST_PARTS
"""The costs that add up to ``total_cost``, in the catalogue's order (spoilage and defects are values
of units, not payments: not stacked)."""


def cost_breakdown(
    summary: pd.DataFrame, *, stock_point: str | None = None, variant: str | None = None,
    policies: Sequence[str] | None = None,
) -> Figure:  # fmt: skip
    """Stacked bars of the mean cost components per policy (of the network, or of ``stock_point``
    ``site/item``) from a summary table, with the 95% CI of the mean total as a whisker.

    Components that are 0 for every policy are left out of the bars and the legend.
    """
    rows, name = one_variant(summary, variant)
    prefix = f"{stock_point}." if stock_point else ""
    total, parts = prefix + TOTAL, [prefix + k for k in COST_COMPONENTS]
    require_kpis([total], rows["kpi"])
    rows = rows[rows["kpi"].isin([total, *parts])]
    order = Policies(rows[POLICY], policies)
    means = rows.pivot(index=POLICY, columns="kpi", values="mean").reindex(index=order.names)
    shown = [p for p in parts if p in means.columns and means[p].fillna(0).abs().gt(0).any()]
    figure, axes = new_figure(1.3 * len(order.names) + 3.6, 4.6)
    ax = axes[0, 0]
    grid(ax, "y")
    ax.grid(False, axis="x")
    x = np.arange(len(order.names))
    bottom = np.zeros(len(x))
    for part in shown:
        i = parts.index(part)  # a component's look does not depend on which others are shown
        heights = means[part].fillna(0).to_numpy()
        ax.bar(x, heights, 0.62, bottom=bottom, color=COMPONENT_COLORS[i % len(COMPONENT_COLORS)],
               hatch=COMPONENT_HATCHES[i % len(COMPONENT_HATCHES)], edgecolor="white", linewidth=0.5,
               label=kpi_name(part.removeprefix(prefix)))  # fmt: skip
        bottom += heights
    _total_whiskers(ax, rows, total, order.names, x)
    label_policies(ax, list(x), order)
    ax.set_xlabel("policy")
    entry = catalogued(total)
    unit = UNITS[entry.unit] if entry is not None else ""
    ax.set_ylabel(f"mean cost per replication ({unit})")
    ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 5), useMathText=True)
    legend_right(ax, "cost component")
    where = f" at {stock_point}" if stock_point else ""
    n = _count(rows, total)
    title(figure, f"Cost breakdown per policy{where}{variant_note(name)}",
          f"mean over {n} replications; whisker: 95% CI of the mean total cost")  # fmt: skip
    return figure


def _total_whiskers(ax: Axes, rows: pd.DataFrame, total: str, names: list[str], x: np.ndarray) -> None:
    """The total's mean and CI as a black whisker on top of each bar."""
    stats = rows[rows["kpi"] == total].set_index(POLICY).reindex(names)
    mean = stats["mean"].to_numpy(dtype=float)
    low = np.nan_to_num(mean - stats["ci_low"].to_numpy(dtype=float))
    high = np.nan_to_num(stats["ci_high"].to_numpy(dtype=float) - mean)
    ax.errorbar(x, mean, yerr=[low, high], fmt="_", color="black", markersize=14, capsize=6, elinewidth=1.4,
                label="total, 95% CI", zorder=3)  # fmt: skip


def _count(rows: pd.DataFrame, total: str) -> str:
    """The replications behind the means (a range if the policies had different numbers)."""
    counts = sorted(set(rows.loc[rows["kpi"] == total, "n"].astype(int)))
    return str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
