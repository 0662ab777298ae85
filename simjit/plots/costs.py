"""Where each policy's money goes: the operating costs (holding, ordering, expediting, shortage) stacked
on a scale of their own, and beside them, on theirs, the cost of the goods used with the total cost —
or, where items have prices, revenue, cost of goods and profit. The goods are most of the money in
most supply chains and barely differ between policies; drawn in one stack, they hide the holding
cost a JIT decision is about."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simjit.experiment.columns import POLICY, TOTAL_COST_PARTS
from simjit.experiment.statistics import mean_ci
from simjit.plots.selection import Policies, label_policies, one_variant, require_kpis, variant_note
from simjit.plots.style import (
    COMPONENT_COLORS,
    COMPONENT_HATCHES,
    grid,
    kpi_name,
    money_ticks,
    new_figure,
    title,
    unit_text,
)

__all__ = ["COST_COMPONENTS", "GOODS", "OPERATING_COSTS", "beside_operating", "cost_breakdown"]

TOTAL = "total_cost"
GOODS = "cost_of_goods"
COST_COMPONENTS = TOTAL_COST_PARTS
"""The costs that add up to ``total_cost``, in the catalogue's order; a part's colour is its place here."""
OPERATING_COSTS = tuple(k for k in TOTAL_COST_PARTS if k != GOODS)
"""The costs of running a policy, stacked in the left panel: the catalogue's ``OPERATING_COSTS``
(plots read result columns, not the model, so they are the total's parts but the goods)."""
PRICED = ("revenue", GOODS, "profit")
UNPRICED = (GOODS, TOTAL)
"""The bars of the right panel, side by side per policy: with prices, or without."""
LOOKS = {GOODS: (COMPONENT_COLORS[2], COMPONENT_HATCHES[2]), TOTAL: ("#BBBBBB", "//"),
         "revenue": (COMPONENT_COLORS[6], ".."), "profit": (COMPONENT_COLORS[7], "")}  # fmt: skip
LEVEL = 0.95


def cost_breakdown(
    summary: pd.DataFrame, *, stock_point: str | None = None, variant: str | None = None,
    policies: Sequence[str] | None = None, replications: pd.DataFrame | None = None, currency: str | None = None,
) -> Figure:  # fmt: skip
    """Two panels from a summary table (of the network, or of ``stock_point`` ``site/item``). Left: the
    mean operating costs per policy, stacked, with the 95% CI of their sum when the ``replications``
    table is given (the summary holds each KPI's CI, not the sum's). Right, on its own scale: the
    mean cost of goods and total cost, or revenue, cost of goods and profit where items have prices,
    each with its 95% CI. Amounts in ``currency`` (the scenario's), else ``money``.

    Costs that are 0 for every policy are left out of the bars and the legends.
    """
    rows, name = one_variant(summary, variant)
    prefix = f"{stock_point}." if stock_point else ""
    require_kpis([prefix + TOTAL], rows["kpi"])
    order = Policies(rows[POLICY], policies)
    means = rows.pivot(index=POLICY, columns="kpi", values="mean").reindex(index=order.names)
    parts = [prefix + k for k in OPERATING_COSTS if _nonzero(means, prefix + k)]
    beside = [prefix + k for k in _beside(means, prefix)]
    priced = prefix + "profit" in beside
    needed = 0.075 * max(len(p) for p in order.names) + 0.15  # inches a policy's bold name needs
    widths = [max(0.9, needed) * len(order.names) + 0.8, max(needed, 0.32 * len(beside)) * len(order.names) + 0.8]
    figure, axes = new_figure(max(8.0, sum(widths) + 1.4), 5.2, 1, 2, width_ratios=widths)
    left, right = axes[0]
    money = unit_text("money", currency)
    summed = _stack(left, means, parts, prefix, order, _operating_ci(replications, name, parts, order.names))
    left.set_ylabel(f"mean per replication ({money})")
    left.set_title(f"operating costs{' (stacked)' if len(parts) > 1 else ''}", fontsize=10)
    _side_by_side(right, rows, beside, prefix, order)
    right.set_title(f"{_and([kpi_name(k.removeprefix(prefix)) for k in beside])} (own scale)", fontsize=10)
    where = f" at {stock_point}" if stock_point else ""
    what = "profit = revenue − cost of goods − operating costs" if priced else "total = operating costs + cost of goods"
    whiskers = "with 95% CIs" if summed else "with 95% CIs on the right"
    title(figure, f"Cost breakdown per policy{where}{variant_note(name)}",
          f"means of {_count(rows, prefix + TOTAL)} replications {whiskers}; {what}")  # fmt: skip
    return figure


def beside_operating(
    summary: pd.DataFrame, *, stock_point: str | None = None, variant: str | None = None
) -> tuple[str, ...]:
    """The KPIs :func:`cost_breakdown` draws in its right panel for this summary: ``revenue``,
    ``cost_of_goods``, ``profit`` where items have prices, else ``cost_of_goods``, ``total_cost``
    (a KPI 0 for every policy left out, the total always kept)."""
    rows, _ = one_variant(summary, variant)
    means = rows.pivot_table(index=POLICY, columns="kpi", values="mean", aggfunc="first", dropna=False)
    return _beside(means, f"{stock_point}." if stock_point else "")


def _beside(means: pd.DataFrame, prefix: str) -> tuple[str, ...]:
    profit = means.get(prefix + "profit")
    priced = _nonzero(means, prefix + "revenue") and profit is not None and bool(profit.notna().all())
    return tuple(k for k in (PRICED if priced else UNPRICED) if k == TOTAL or _nonzero(means, prefix + k))


def _nonzero(means: pd.DataFrame, kpi: str) -> bool:
    """Whether ``kpi`` is in the table and not 0 (nor missing) for every policy."""
    return kpi in means.columns and bool(means[kpi].fillna(0).abs().gt(0).any())


def _operating_ci(
    replications: pd.DataFrame | None, variant: str, parts: list[str], names: list[str]
) -> dict[str, tuple[float, float, float]] | None:  # fmt: skip
    """Per policy, the mean of the operating costs' sum and its 95% CI, from the replications table."""
    if replications is None or not parts:
        return None
    rows, _ = one_variant(replications, variant)
    require_kpis(parts, rows.columns)
    summed = rows[parts].sum(axis=1, min_count=1)
    return {p: mean_ci(summed[rows[POLICY] == p].to_numpy(dtype=float), LEVEL) for p in names}


def _stack(
    ax: Axes, means: pd.DataFrame, parts: list[str], prefix: str, order: Policies,
    ci: dict[str, tuple[float, float, float]] | None,
) -> bool:  # fmt: skip
    """The operating costs stacked per policy, their sum's CI as a whisker when known; whether it was drawn."""
    _bar_axes(ax)
    x = np.arange(len(order.names))
    bottom = np.zeros(len(x))
    for part in parts:
        i = COST_COMPONENTS.index(part.removeprefix(prefix))  # a part's look does not depend on which are shown
        heights = means[part].fillna(0).to_numpy(dtype=float)
        ax.bar(x, heights, 0.62, bottom=bottom, color=COMPONENT_COLORS[i], hatch=COMPONENT_HATCHES[i],
               edgecolor="white", linewidth=0.5, label=kpi_name(part.removeprefix(prefix)))  # fmt: skip
        bottom += heights
    if not parts:
        ax.text(0.5, 0.5, "no operating cost", transform=ax.transAxes, ha="center", color="#555555")
    drawn = ci is not None and any(not math.isnan(ci[p][1]) for p in order.names)
    if ci is not None and drawn:
        stats = np.array([ci[p] for p in order.names])
        _whiskers(ax, x, stats[:, 0], stats[:, 1], stats[:, 2], "sum, 95% CI")
    label_policies(ax, list(x), order)
    _legend_below(ax)
    return drawn


def _side_by_side(ax: Axes, rows: pd.DataFrame, kpis: list[str], prefix: str, order: Policies) -> None:
    """The goods and the headline per policy, a bar each side by side, each with its mean's CI."""
    _bar_axes(ax)
    x = np.arange(len(order.names))
    width = 0.8 / len(kpis)
    for k, kpi in enumerate(kpis):
        stats = rows[rows["kpi"] == kpi].set_index(POLICY).reindex(order.names)
        at = x + (k - (len(kpis) - 1) / 2) * width
        color, hatch = LOOKS[kpi.removeprefix(prefix)]
        mean = stats["mean"].to_numpy(dtype=float)
        ax.bar(at, np.nan_to_num(mean), width * 0.92, color=color, hatch=hatch, edgecolor="white", linewidth=0.5,
               label=kpi_name(kpi.removeprefix(prefix)))  # fmt: skip
        low, high = (stats[c].to_numpy(dtype=float) for c in ("ci_low", "ci_high"))
        _whiskers(ax, at, mean, low, high, "95% CI" if k == len(kpis) - 1 else None)
    if (rows.loc[rows["kpi"].isin(kpis), "mean"] < 0).any():
        ax.axhline(0, color="black", linewidth=0.8)
    label_policies(ax, list(x), order)
    _legend_below(ax)


def _legend_below(ax: Axes) -> None:
    """The panel's legend under its policy names, in two columns (two panels share the width)."""
    count = len(ax.get_legend_handles_labels()[1])
    if count:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=min(2, count), frameon=False,
                  columnspacing=1.2, handlelength=1.6)  # fmt: skip


def _and(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _bar_axes(ax: Axes) -> None:
    grid(ax, "y")
    ax.grid(False, axis="x")
    money_ticks(ax)


def _whiskers(ax: Axes, x: np.ndarray, mean: np.ndarray, low: np.ndarray, high: np.ndarray, label: str | None) -> None:
    """A mean's CI as a black whisker (none where it is unknown: one replication)."""
    below, above = np.nan_to_num(mean - low), np.nan_to_num(high - mean)
    ax.errorbar(x, mean, yerr=[below, above], fmt="none", color="black", capsize=5, elinewidth=1.3, zorder=3,
                label=label)  # fmt: skip


def _count(rows: pd.DataFrame, total: str) -> str:
    """The replications behind the means (a range if the policies had different numbers)."""
    counts = sorted(set(rows.loc[rows["kpi"] == total, "n"].astype(int)))
    return str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
