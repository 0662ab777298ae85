"""How a KPI varies over replications, per policy: a box or violin each and, because replication r
of every policy met the same demand and disruptions, optional lines joining the same replication."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from simjit.experiment.columns import POLICY, REPLICATION
from simjit.plots.selection import Policies, label_policies, one_variant, require_kpis, variant_note
from simjit.plots.style import grid, kpi_label, kpi_name, new_figure, title, value_ticks

__all__ = ["MAX_PAIRS", "PAIRED", "kpi_distribution"]

MAX_PAIRS = 200
"""Replications joined by lines at most (the lowest numbered): more is a grey smear and slow to draw."""
PAIRED = "paired replications"
"""The gid of the lines joining a replication across policies."""


def kpi_distribution(
    replications: pd.DataFrame, kpi: str, *, kind: Literal["box", "violin"] = "box", paired: bool = False,
    variant: str | None = None, policies: Sequence[str] | None = None, max_pairs: int = MAX_PAIRS,
    currency: str | None = None,
) -> Figure:  # fmt: skip
    """A box (quartiles, whiskers at 1.5 IQR) or violin of ``kpi`` per policy over the replications
    of a replications table, the mean marked ◇; ``paired`` joins each replication across policies.
    Money is labelled in ``currency`` (the scenario's), else ``money``."""
    if kind not in ("box", "violin"):
        raise ValueError(f"kind must be 'box' or 'violin', got {kind!r}")
    rows, name = one_variant(replications, variant)
    require_kpis([kpi], rows.columns)
    order = Policies(rows[POLICY], policies)
    by_policy = {p: g[kpi].to_numpy(dtype=float) for p, g in rows[[POLICY, kpi]].groupby(POLICY, sort=False)}
    values = [v[~np.isnan(v)] for v in (by_policy[p] for p in order.names)]
    figure, axes = new_figure(1.2 * len(order.names) + 3.2, 4.8)
    ax = axes[0, 0]
    grid(ax, "y")
    ax.grid(False, axis="x")
    positions = np.arange(1, len(order.names) + 1)
    if kind == "box":
        _boxes(ax, values, positions, order)
    else:
        _violins(ax, values, positions, order)
    for i in range(len(order.names)):
        if len(values[i]):
            ax.plot(positions[i], values[i].mean(), marker="D", color="white", markeredgecolor="black", markersize=6,
                    zorder=4, linestyle="none")  # fmt: skip
    joined = _pairs(ax, rows, kpi, order.names, positions, max_pairs) if paired else 0
    label_policies(ax, list(positions), order)
    ax.set_xlabel("policy")
    ax.set_ylabel(kpi_label(kpi, currency=currency))
    value_ticks(ax, kpi)
    counts = sorted({len(v) for v in values})
    n = str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
    shape = "box: quartiles and median, whiskers to 1.5 IQR" if kind == "box" else "violin: density, line: median"
    lines = ""
    if paired:
        total = rows[REPLICATION].nunique()
        lines = "; grey lines join a replication" + (f" ({joined} of {total})" if joined < total else "")
    title(figure, f"{kpi_name(kpi).capitalize()} over {n} replications per policy{variant_note(name)}",
          f"{shape}; ◇ mean{lines}")  # fmt: skip
    return figure


def _boxes(ax: Axes, values: list[np.ndarray], positions: np.ndarray, order: Policies) -> None:
    drawn = ax.boxplot(values, positions=positions, widths=0.55, patch_artist=True, manage_ticks=False,
                       medianprops={"color": "black", "linewidth": 1.6},
                       flierprops={"markersize": 3, "alpha": 0.5, "markeredgewidth": 0.5})  # fmt: skip
    for i, policy in enumerate(order.names):
        style = order.styles[policy]
        box = drawn["boxes"][i]
        box.set_facecolor(_light(style.color))
        box.set_edgecolor(style.color)
        box.set_hatch(style.hatch)
        box.set_linewidth(1.4)
        flier = drawn["fliers"][i]
        flier.set_marker(style.marker)
        flier.set_markeredgecolor(style.color)
        flier.set_markerfacecolor("none")
        for part in ("whiskers", "caps"):
            for line in drawn[part][2 * i : 2 * i + 2]:
                line.set_color(style.color)
                line.set_linewidth(1.2)


def _violins(ax: Axes, values: list[np.ndarray], positions: np.ndarray, order: Policies) -> None:
    spread = [i for i, v in enumerate(values) if len(v) > 1 and np.ptp(v) > 0]  # a KDE needs some spread
    if spread:
        drawn = ax.violinplot([values[i] for i in spread], positions=positions[spread], widths=0.7,
                              showextrema=False, showmedians=True)  # fmt: skip
        for body, i in zip(cast("list[PolyCollection]", drawn["bodies"]), spread, strict=True):
            style = order.styles[order.names[i]]
            body.set_facecolor(_light(style.color))
            body.set_edgecolor(style.color)
            body.set_hatch(style.hatch)
            body.set_alpha(1.0)
            body.set_linewidth(1.2)
        drawn["cmedians"].set_color("black")
    for i in set(range(len(values))) - set(spread):  # one value, or all alike: a flat line
        if len(values[i]):
            ax.hlines(values[i][0], positions[i] - 0.3, positions[i] + 0.3, color=order.styles[order.names[i]].color,
                      linewidth=2)  # fmt: skip


def _pairs(
    ax: Axes, rows: pd.DataFrame, kpi: str, names: list[str], positions: np.ndarray, most: int
) -> int:  # fmt: skip
    """Grey lines joining replication r across the policies (the first ``most``); how many were drawn."""
    first = np.sort(rows[REPLICATION].unique())[:most]
    some = rows[rows[REPLICATION].isin(first)]
    wide = some.pivot_table(index=REPLICATION, columns=POLICY, values=kpi, aggfunc="first").reindex(columns=names)
    y = wide.to_numpy(dtype=float)
    segments = [
        [(positions[j], y[r, j]), (positions[j + 1], y[r, j + 1])]
        for r in range(len(y))
        for j in range(len(names) - 1)
        if not (np.isnan(y[r, j]) or np.isnan(y[r, j + 1]))
    ]
    ax.add_collection(LineCollection(segments, colors="#777777", linewidths=0.6, alpha=0.45, zorder=1, gid=PAIRED))
    return len(wide)


def _light(color: str) -> tuple[float, float, float, float]:
    """A policy's colour faded, so the hatch, median and lines on it stay visible."""
    r, g, b, _ = to_rgba(color)
    return (1 - 0.35 * (1 - r), 1 - 0.35 * (1 - g), 1 - 0.35 * (1 - b), 1.0)
