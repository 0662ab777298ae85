"""How a KPI responds to a swept parameter, per policy: its mean with a 95% CI band, and its paired
change against a reference point of the sweep ("a 30-day closure against none"); a tune's objective
against one of its parameters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simjit.errors import UsageError
from simjit.experiment.columns import ID_COLUMNS, POLICY, REPLICATION, VARIANT
from simjit.experiment.statistics import describe
from simjit.experiment.sweep_reference import same_value, sweep_reference_table, swept_parameters
from simjit.plots.selection import Policies, require_kpis
from simjit.plots.style import kpi_label, kpi_name, legend_right, new_figure, title, value_ticks

if TYPE_CHECKING:
    from simjit.experiment.tune import TuneOutcome

__all__ = ["sweep_difference", "sweep_response", "tune_response"]


def sweep_response(
    replications: pd.DataFrame, kpi: str, *, parameter: str | None = None, at: Mapping[str, object] | None = None,
    policies: Sequence[str] | None = None, level: float = 0.95, currency: str | None = None,
) -> Figure:  # fmt: skip
    """Mean ``kpi`` against the swept ``parameter`` (default: the only one), a line per policy with
    its ``level`` CI band, from a replications table; ``at`` fixes the other swept parameters. Money
    is labelled in ``currency`` (the scenario's), else ``money``."""
    require_kpis([kpi], replications.columns)
    parameter, rows = _slice(replications, swept_parameters(replications), parameter, at)
    stats = describe(rows[[*ID_COLUMNS, kpi]], [kpi], level)
    stats[parameter] = stats[VARIANT].map(rows.drop_duplicates(VARIANT).set_index(VARIANT)[parameter])
    order = Policies(stats[POLICY], policies)
    figure, axes = new_figure(8.4, 5.0)
    ax = axes[0, 0]
    x, ticks = _positions(stats[parameter])
    for policy in order.names:
        mine = stats[POLICY] == policy
        style = order.styles[policy]
        at_x = x[mine.to_numpy()]
        line = np.argsort(at_x, kind="stable")
        ax.fill_between(at_x[line], stats.loc[mine, "ci_low"].to_numpy(dtype=float)[line],
                        stats.loc[mine, "ci_high"].to_numpy(dtype=float)[line], color=style.color, alpha=0.12,
                        linewidth=0)  # fmt: skip
        for end in ("ci_low", "ci_high"):  # the band's edges in the policy's line style, for grey-scale
            ax.plot(at_x[line], stats.loc[mine, end].to_numpy(dtype=float)[line], color=style.color,
                    linestyle=style.linestyle, linewidth=0.7, alpha=0.7)  # fmt: skip
        ax.plot(at_x[line], stats.loc[mine, "mean"].to_numpy(dtype=float)[line], color=style.color,
                linestyle=style.linestyle, marker=style.marker, markeredgecolor="black", markeredgewidth=0.5,
                linewidth=1.6, label=policy)  # fmt: skip
    _label_x(ax, parameter, ticks, at)
    ax.set_ylabel(f"mean {kpi_label(kpi, currency=currency)}")
    value_ticks(ax, kpi)
    legend_right(ax, "policy")
    title(figure, f"{kpi_name(kpi).capitalize()} against {_short(parameter)} per policy",
          f"mean of {_count(stats)} replications per point, band: {level:.0%} CI; every point plays the same "
          "random numbers")  # fmt: skip
    return figure


def sweep_difference(
    replications: pd.DataFrame, kpi: str, reference: str | float, *, parameter: str | None = None,
    at: Mapping[str, object] | None = None, policies: Sequence[str] | None = None, level: float = 0.95,
    currency: str | None = None,
) -> Figure:  # fmt: skip
    """Each point's ``kpi`` minus the same policy's at the ``reference`` point, paired by replication
    (:func:`simjit.experiment.sweep_reference_table`): the mean change with its ``level`` CI, per policy;
    money in ``currency`` (the scenario's), else ``money``."""
    table = sweep_reference_table(replications, kpi, reference, level)
    parameter, table = _slice(table, swept_parameters(replications), parameter, at)
    order = Policies(table[POLICY], policies)
    figure, axes = new_figure(8.4, 5.0)
    ax = axes[0, 0]
    x, ticks = _positions(table[parameter])
    step = np.diff(np.unique(x)).min() if len(np.unique(x)) > 1 else 1.0
    ax.axhline(0, color="black", linewidth=1.0, zorder=1)
    for k, policy in enumerate(order.names):
        mine = (table[POLICY] == policy).to_numpy()
        style = order.styles[policy]
        dodge = (k - (len(order.names) - 1) / 2) * 0.06 * step  # side by side, so the intervals do not hide
        line = np.argsort(x[mine], kind="stable")
        diff = table.loc[mine, "diff"].to_numpy(dtype=float)[line]
        low = np.nan_to_num(diff - table.loc[mine, "ci_low"].to_numpy(dtype=float)[line])
        high = np.nan_to_num(table.loc[mine, "ci_high"].to_numpy(dtype=float)[line] - diff)
        ax.errorbar(x[mine][line] + dodge, diff, yerr=[low, high], color=style.color, linestyle=style.linestyle,
                    marker=style.marker, markeredgecolor="black", markeredgewidth=0.5, capsize=4, linewidth=1.4,
                    label=policy)  # fmt: skip
    _label_x(ax, parameter, ticks, at)
    ax.set_ylabel(kpi_label(kpi, "Δ ", currency))
    value_ticks(ax, kpi)
    legend_right(ax, "policy")
    references = list(dict.fromkeys(table["reference"]))
    against = references[0] if len(references) == 1 else str(reference)
    title(figure, f"Change in {kpi_name(kpi)} against {against}, per policy",
          f"point − reference for the same policy, paired by replication: mean of {_count(table)} with its "
          f"{level:.0%} CI")  # fmt: skip
    return figure


def tune_response(outcome: TuneOutcome, parameter: str | None = None, *, currency: str | None = None) -> Figure:
    """A tune's objective against ``parameter`` (default: the only one), the others at the best's
    values, with CI bands at the tune's confidence, over the replications every candidate played:
    the race gives survivors more, and means over different replications would not compare. Money
    in ``currency`` (the scenario's), else ``money``."""
    table = outcome.observations()
    common = int(table.groupby(VARIANT)[REPLICATION].count().min()) if len(table) else 0
    table = table[table[REPLICATION] < common]
    paths = [p.path for p in outcome.spec.parameters]
    parameter = paths[0] if parameter is None and len(paths) == 1 else parameter
    best = outcome.best_params() or (outcome.results[0].params if outcome.results else {})
    at = {k: v for k, v in best.items() if k != parameter}
    return sweep_response(table, outcome.spec.kpi, parameter=parameter, at=at, level=outcome.spec.confidence,
                          currency=currency)  # fmt: skip


def _slice(
    table: pd.DataFrame, params: list[str], parameter: str | None, at: Mapping[str, object] | None
) -> tuple[str, pd.DataFrame]:  # fmt: skip
    """The parameter on the x axis and the rows with the others fixed at ``at``: one point per x."""
    if not params:
        raise UsageError("these results are not a sweep (no swept parameter column)")
    if parameter is None:
        if len(params) > 1:
            raise UsageError(f"the sweep varies {', '.join(params)}: choose the x axis with parameter=")
        parameter = params[0]
    if parameter not in params:
        raise UsageError(f"{parameter!r} is not a swept parameter; the sweep varies {', '.join(params)}")
    rows = table
    for name, value in (at or {}).items():
        if name not in params:
            raise UsageError(f"at= names {name!r}, not a swept parameter; the sweep varies {', '.join(params)}")
        rows = rows[rows[name].map(lambda v, wanted=value: same_value(v, wanted))]
    if rows.empty:
        raise UsageError(f"no sweep point has {dict(at or {})}")
    per_x = rows.groupby([POLICY, parameter], dropna=False)[VARIANT].nunique()
    if per_x.max() > 1:
        free = [p for p in params if p != parameter and p not in (at or {})]
        raise UsageError(f"the sweep also varies {', '.join(free)}: fix it with at={{{free[0]!r}: VALUE}}")
    return parameter, rows


def _positions(values: pd.Series) -> tuple[np.ndarray, list[str] | None]:
    """x positions: the values themselves if numbers, else 0, 1, … in sweep order with their texts."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype=float), None
    texts = [str(v) for v in dict.fromkeys(values)]
    return values.map(lambda v: texts.index(str(v))).to_numpy(dtype=float), texts


def _label_x(ax: Axes, parameter: str, ticks: list[str] | None, at: Mapping[str, object] | None) -> None:
    if ticks is not None:
        ax.set_xticks(range(len(ticks)), ticks)
    fixed = ", ".join(f"{_short(k)}={v}" for k, v in (at or {}).items())
    ax.set_xlabel(parameter + (f"  ({fixed})" if fixed else ""))


def _short(parameter: str) -> str:
    """The last part of a parameter path: ``suppliers.pads_asia.disruptions.0.duration`` → ``duration``."""
    return parameter.rsplit(".", 1)[-1]


def _count(table: pd.DataFrame) -> str:
    counts = sorted(set(table["n"].astype(int)))
    return str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
