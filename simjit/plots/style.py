"""One look for every figure: a colour, marker, line style and hatch per policy (readable in
grey-scale and by the colour-blind), axis labels with the catalogue's units, and new figures
that need no GUI backend (``matplotlib.figure.Figure``, never pyplot's global state).

A policy's style follows its place in the run's policy order, so it is the same in every figure
drawn with that order (``Results.policies``, ``Plan.policies``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter

from simjit.experiment.columns import catalogued

__all__ = [
    "COMPONENT_COLORS",
    "COMPONENT_HATCHES",
    "HATCHES",
    "MONEY_SCALES",
    "POLICY_COLORS",
    "UNITS",
    "PolicyStyle",
    "grid",
    "kpi_label",
    "kpi_name",
    "legend_right",
    "money_ticks",
    "new_figure",
    "policy_styles",
    "title",
    "unit_text",
    "value_ticks",
]

POLICY_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
"""Okabe & Ito (2008), a palette told apart with every common colour-vision deficiency."""
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES: tuple[str | tuple[int, tuple[int, ...]], ...] = (
    "-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 2, 1, 2)),
)  # fmt: skip
HATCHES = ("", "///", "\\\\\\", "xxx", "...", "+++", "ooo", "---")
COMPONENT_COLORS = ("#332288", "#88CCEE", "#44AA99", "#117733", "#DDCC77", "#CC6677", "#AA4499", "#882255")
"""Paul Tol's "muted" palette for the parts of a whole (cost components): apart from the policies' colours."""
COMPONENT_HATCHES = ("//", "..", "", "xx", "\\\\", "oo", "++", "--")
"""Sparse hatches for the parts (the third, purchase cost, often the largest, plain)."""
Share = bool | Literal["none", "all", "row", "col"]
"""Which panels share an axis (matplotlib's ``sharex``/``sharey``)."""
CHARS_PER_INCH = 11
"""Characters of an 11-point title that fit in an inch of figure (a little less than that, safely)."""
GRID = {"color": "#DDDDDD", "linewidth": 0.6}
UNITS = {"money": "money", "units": "units", "days": "days", "ratio": "ratio 0–1", "variance ratio": "variance ratio",
         "orders": "orders", "per year": "per year"}  # fmt: skip
"""How each unit of the KPI catalogue is written on an axis ("money" where the scenario names no currency)."""
MONEY_SCALES = ((1e9, " bn"), (1e6, " M"), (1e3, " k"))
"""How a money axis writes large amounts: 1.5 M, 250 k (below ten thousand in full: 7,500)."""


@dataclass(frozen=True)
class PolicyStyle:
    """How one policy is drawn everywhere: a colour, and a marker, line style and hatch for grey-scale."""

    color: str
    marker: str
    linestyle: str | tuple[int, tuple[int, ...]]
    hatch: str


def policy_styles(policies: Sequence[str]) -> dict[str, PolicyStyle]:
    """The style of each policy, by its place in ``policies`` (the run's order); beyond eight
    policies the markers shift against the colours, so no two policies look alike."""
    styles = {}
    for i, name in enumerate(policies):
        k = len(POLICY_COLORS)
        styles[name] = PolicyStyle(
            POLICY_COLORS[i % k], MARKERS[(i + i // k) % len(MARKERS)], LINESTYLES[i % len(LINESTYLES)],
            HATCHES[(i + i // k) % len(HATCHES)],
        )  # fmt: skip
    return styles


def kpi_name(column: str) -> str:
    """Words for a KPI column: ``total cost``, ``fill rate at dc/brake``."""
    point, _, kpi = column.rpartition(".") if "/" in column else ("", "", column)
    words = kpi.replace("_", " ")
    return f"{words} at {point}" if point else words


def unit_text(unit: str, currency: str | None = None) -> str:
    """A catalogue unit as an axis writes it: money in the scenario's ``currency`` when it names one."""
    return currency if unit == "money" and currency else UNITS[unit]


def kpi_label(column: str, prefix: str = "", currency: str | None = None) -> str:
    """An axis label with the catalogue's unit: ``total cost (EUR)`` (``(money)`` without a
    ``currency``), ``Δ fill rate (ratio 0–1)``."""
    entry = catalogued(column)
    unit = f" ({unit_text(entry.unit, currency)})" if entry is not None else ""
    return f"{prefix}{kpi_name(column)}{unit}"


def money_ticks(ax: Axes, axis: str = "y") -> None:
    """Tick labels of a money axis in words a controller reads (``0.5 M``, ``250 k``), never ``×10⁷``."""
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(_MoneyFormatter())


def value_ticks(ax: Axes, column: str, axis: str = "y") -> None:
    """Tick labels for a KPI's values: money as ``0.5 M``, other numbers plain or as ``×10⁶``."""
    entry = catalogued(column)
    if entry is not None and entry.unit == "money":
        money_ticks(ax, axis)
    else:
        ax.ticklabel_format(axis=axis, style="sci", scilimits=(-3, 5), useMathText=True)  # type: ignore[arg-type]


class _MoneyFormatter(Formatter):
    """One scale for every tick of an axis (its largest tick's), with the decimals the ticks need (2.5 k)."""

    scale: tuple[float, str] = (1.0, "")
    decimals: int = 0

    def set_locs(self, locs: Sequence[float]) -> None:
        ticks = np.sort(np.asarray(locs, dtype=float))
        top = float(np.abs(ticks).max()) if len(ticks) else 0.0
        self.scale = next(((size, s) for size, s in MONEY_SCALES if top >= max(size, 1e4)), (1.0, ""))
        scaled = ticks / self.scale[0]
        self.decimals = next((d for d in range(3) if np.allclose(scaled, np.round(scaled, d), atol=1e-9)), 3)

    def __call__(self, x: float, pos: int | None = None) -> str:
        size, suffix = self.scale
        text = f"{x / size:,.{self.decimals}f}"
        return "0" if float(text.replace(",", "")) == 0 else text.replace("-", "−") + suffix


def new_figure(
    width: float, height: float, nrows: int = 1, ncols: int = 1, *, sharex: Share = False, sharey: Share = False,
    width_ratios: Sequence[float] | None = None,
) -> tuple[Figure, np.ndarray]:  # fmt: skip
    """A figure (no GUI backend: render with its Agg canvas or save it) and its axes as a 2-D array."""
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.subplots(nrows, ncols, squeeze=False, sharex=sharex, sharey=sharey, width_ratios=width_ratios)
    for ax in axes.flat:
        grid(ax)
    return figure, axes


def title(figure: Figure, headline: str, detail: str = "") -> None:
    """The figure's title above its panels and legends: what is shown, then how to read it (both
    wrapped to the figure's width, about eleven characters an inch at this size, the second between
    its clauses where it can)."""
    width = max(40, int(figure.get_figwidth() * CHARS_PER_INCH))
    lines = [*textwrap.wrap(headline, width), *_clauses(detail, width)]
    figure.suptitle("\n".join(lines), fontsize=11)


def _clauses(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken after a clause (``; ``) so that a line
    does not end mid-phrase, unless that takes more lines than breaking between words."""
    lines: list[str] = []
    line = ""
    for clause in text.split("; ") if text else []:
        if line and len(line) + 2 + len(clause) > width:
            lines.append(line + ";")
            line = clause
        else:
            line = f"{line}; {clause}" if line else clause
    by_clause = [part for chunk in [*lines, line] if chunk for part in textwrap.wrap(chunk, width)]
    by_word = textwrap.wrap(text, width)
    return by_clause if len(by_clause) <= len(by_word) else by_word


def legend_right(ax: Axes, heading: str, **options: object) -> None:
    """The legend beside the axes, top-aligned, off the data (constrained layout makes room for it)."""
    ax.legend(title=heading, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, frameon=False,
              alignment="left", **options)  # type: ignore[arg-type]  # fmt: skip


def grid(ax: Axes, axis: str = "both") -> None:
    """A light grid behind the data."""
    ax.set_axisbelow(True)
    ax.grid(True, axis=axis, **GRID)  # type: ignore[arg-type]
