"""The figures, each drawn from a small real run or real traces of the brake plant and checked for
what it shows: the numbers behind its marks, its labels and units, its legend, the disruption
windows where the trace played them, one style per policy in every figure, and pixels drawn."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import time
from pathlib import Path

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from scipy import stats

import simjit.plots
from simjit import load_scenario
from simjit.errors import UsageError
from simjit.experiment import Plan, Results, execute, open_results, sweep_reference_table, sweep_variants
from simjit.experiment.trace import Trace, trace_replication
from simjit.plots import (
    cost_breakdown,
    daily_fill_rate,
    inventory_trajectory,
    kpi_distribution,
    paired_differences,
    policy_styles,
    resilience_profile,
    save_figure,
    sweep_difference,
    sweep_response,
    tradeoff_frontier,
)
from simjit.plots.costs import OPERATING_COSTS
from simjit.plots.distributions import PAIRED
from simjit.plots.frontier import efficient
from simjit.plots.style import POLICY_COLORS
from simjit.plots.trajectory import MARKS, SLICES

ROOT = Path(__file__).resolve().parents[1]
BRAKE = ROOT / "scenarios" / "brake_plant.yaml"
SHORT = ["horizon=200", "warmup=20", "sites.plant.stock.pad.expedite=null"]
"""A shorter year, without air freight: its cost is 0 everywhere, the case of a cost left out."""
POLICIES = ("jit", "eoq", "safety_stock")
CLOSURE = "suppliers.pads_asia.disruptions.0.duration"
PORT = "pads_asia.disruptions.0"
"""The port closure: from day 150 for 14–42 days in every replication."""


# --- the data: small real runs and traces -------------------------------------------------------


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    scenario = load_scenario(BRAKE, SHORT)
    directory = tmp_path_factory.mktemp("brake")
    execute(Plan.single(scenario, POLICIES, 4), directory, baseline="eoq")
    return open_results(directory)


@pytest.fixture(scope="module")
def traces() -> list[Trace]:
    scenario = load_scenario(BRAKE, SHORT)
    return [trace_replication(scenario, policy, 0) for policy in POLICIES]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    _, variants = sweep_variants(BRAKE, [f"{CLOSURE}=0,15,30"], [*SHORT, "replications=3"])
    return execute(Plan(tuple(variants), ("jit", "eoq"), 3), tmp_path_factory.mktemp("sweep")).results()


@pytest.fixture(scope="module")
def replications_traces() -> list[Trace]:
    scenario = load_scenario(BRAKE, ["horizon=230", "warmup=20", f"suppliers.{PORT}.start=150.6"])  # mid-day
    return [trace_replication(scenario, p, r, stock_points=["dc/brake"]) for p in ("jit", "eoq") for r in range(5)]


# --- helpers -----------------------------------------------------------------------------------


def pixels(figure: Figure) -> np.ndarray:
    """The figure rendered by Agg, as RGB."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3]


def assert_drawn(figure: Figure) -> None:
    """Not one colour, and a fair share of the canvas inked."""
    image = pixels(figure)
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 20
    assert (image.min(axis=2) < 200).mean() > 0.01


def hex_of(color: object) -> str:
    return mcolors.to_hex(color)  # type: ignore[arg-type]


def legend_colors(ax: Axes) -> dict[str, str]:
    """Label → colour of the legend entries that are lines or error bars."""
    out = {}
    for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
        line = handle.lines[0] if isinstance(handle, ErrorbarContainer) else handle
        if isinstance(line, Line2D):
            out[label] = hex_of(line.get_color())
    return out


def stat(results: Results, policy: str, kpi: str, column: str = "mean") -> float:
    return float(results.summary.set_index(["policy", "kpi"]).loc[(policy, kpi), column])


def suptitle(figure: Figure) -> str:
    return figure.get_suptitle().replace("\n", " ")


# --- 1. inventory trajectory -------------------------------------------------------------------


def test_trajectory_panels_lines_and_marks(traces: list[Trace]) -> None:
    figure = inventory_trajectory(traces)
    points = list(traces[0].daily["stock_point"].unique())
    axes = np.array(figure.axes).reshape(len(points), len(POLICIES))
    assert [ax.get_title() for ax in axes[0]] == list(POLICIES)
    assert [ax.get_ylabel().split("\n")[0] for ax in axes[:, 0]] == points
    assert all(ax.get_xlabel() == "day" for ax in axes[-1]) and "(units)" in axes[0, 0].get_ylabel()
    styles = policy_styles(list(traces[0].scenario.policies))
    for j, trace in enumerate(traces):
        for i, point in enumerate(points):
            events = trace.events[trace.events["stock_point"] == point]
            on_hand = [ln for ln in axes[i, j].lines if hex_of(ln.get_color()) == hex_of(styles[trace.policy].color)]
            assert len(on_hand) == 1, "one on-hand line in the policy's colour"
            xs, ys = np.asarray(on_hand[0].get_xdata())[:-1], np.asarray(on_hand[0].get_ydata())[:-1]
            states = set(zip(events["time"], events["on_hand"], strict=True))
            assert all((t, y) in states for t, y in zip(xs, ys, strict=True))  # every point drawn is a state
            assert ys.min() == events["on_hand"].min()  # thinned (a lot an hour), never of its lows
            assert len(ys) == len(events) or len(ys) <= 2 * SLICES + 1
            orders = [ln for ln in axes[i, j].lines if ln.get_marker() == "^"]
            placed = (events["kind"] == "order").sum()
            assert len(orders[0].get_xdata()) == placed or (placed > MARKS and len(orders[0].get_xdata()) <= MARKS + 1)
    assert {"end of warm-up", PORT, "order placed (top row)"} <= {
        x.get_text() for x in axes[0, -1].get_legend().get_texts()
    }
    assert_drawn(figure)


def test_trajectory_shades_the_windows_where_they_were_played(traces: list[Trace]) -> None:
    figure = inventory_trajectory(traces, ["dc/brake", "plant/pad"], start=100)
    for j, trace in enumerate(traces):
        played = trace.disruptions.drop_duplicates(["event", "start", "end"])
        played = played[played["end"] >= 100]
        assert PORT in set(played["event"]), "the port closure falls in the window: the check is not vacuous"
        expected = sorted(zip(played["event"], played["start"], played["end"], strict=True))
        for ax in (figure.axes[j], figure.axes[len(traces) + j]):
            spans = [p for p in ax.patches if isinstance(p, Rectangle) and str(p.get_gid()).startswith("disruption:")]
            found = sorted((str(p.get_gid()).split(":", 1)[1], p.get_x(), p.get_x() + p.get_width()) for p in spans)
            assert [f[0] for f in found] == [e[0] for e in expected]
            np.testing.assert_allclose([f[1:] for f in found], [e[1:] for e in expected])
            assert ax.get_xlim() == (100.0, 200.0)


def test_trajectory_refuses_what_it_cannot_draw(traces: list[Trace]) -> None:
    with pytest.raises(UsageError, match="two traces of policy 'jit'"):
        inventory_trajectory([traces[0], traces[0]])
    with pytest.raises(UsageError, match=r"stock point 'dc/pad' is not in the traces; they hold plant/pad"):
        inventory_trajectory(traces, ["dc/pad"])


# --- 2. cost breakdown -------------------------------------------------------------------------


def bars_of(ax: Axes) -> dict[str, np.ndarray]:
    """Label → heights of the bar containers of ``ax``, in drawing order."""
    return {str(c.get_label()): np.asarray(c.datavalues) for c in ax.containers if isinstance(c, BarContainer)}


def whiskers_of(ax: Axes) -> list[np.ndarray]:
    """Per error bar container of ``ax``: its (low, high) ends, one row per bar."""
    return [np.array([seg[:, 1] for seg in c.lines[2][0].get_segments()])
            for c in ax.containers if isinstance(c, ErrorbarContainer)]  # fmt: skip


def test_operating_costs_are_stacked_on_their_own_scale_beside_the_goods(results: Results) -> None:
    """Left: the operating costs stacked, their sum's CI from the replications; right: revenue, cost of goods
    and profit (the brake plant sells at a price), each bar a summary mean with its CI."""
    figure = cost_breakdown(results.summary, replications=results.replications)
    left, right = figure.axes
    shown = [k for k in OPERATING_COSTS if any(stat(results, p, k) != 0 for p in POLICIES)]
    assert "holding_cost" in shown and "expediting_cost" not in shown, "a cost 0 everywhere is left out"
    stacked = bars_of(left)
    assert list(stacked) == [k.replace("_", " ") for k in shown]
    bottoms = np.zeros(len(POLICIES))
    for kpi, container in zip(shown, (c for c in left.containers if isinstance(c, BarContainer)), strict=True):
        np.testing.assert_allclose(stacked[kpi.replace("_", " ")], [stat(results, p, kpi) for p in POLICIES])
        np.testing.assert_allclose([bar.get_y() for bar in container], bottoms, atol=1e-6)
        bottoms += stacked[kpi.replace("_", " ")]
    table = results.replications
    summed = table[shown].sum(axis=1).groupby(table["policy"])
    half = stats.t.ppf(0.975, summed.count() - 1) * summed.std() / np.sqrt(summed.count())
    (ends,) = whiskers_of(left)
    np.testing.assert_allclose(ends[:, 0], (summed.mean() - half).reindex(POLICIES), rtol=1e-9)
    np.testing.assert_allclose(ends[:, 1], (summed.mean() + half).reindex(POLICIES), rtol=1e-9)
    beside = bars_of(right)
    assert list(beside) == ["revenue", "cost of goods", "profit"]
    for kpi, ends in zip(("revenue", "cost_of_goods", "profit"), whiskers_of(right), strict=True):
        np.testing.assert_allclose(beside[kpi.replace("_", " ")], [stat(results, p, kpi) for p in POLICIES])
        np.testing.assert_allclose(ends[:, 0], [stat(results, p, kpi, "ci_low") for p in POLICIES])
        np.testing.assert_allclose(ends[:, 1], [stat(results, p, kpi, "ci_high") for p in POLICIES])
    assert right.get_ylim()[1] > 5 * left.get_ylim()[1], "the goods on a scale of their own"
    for ax in (left, right):
        assert [t.get_text() for t in ax.get_xticklabels()] == list(POLICIES)
    assert left.get_ylabel() == "mean per replication (money)"
    assert "operating costs" in left.get_title() and "own scale" in right.get_title()
    assert "Cost breakdown per policy" in suptitle(figure) and "95% CIs" in suptitle(figure)
    assert "profit = revenue − cost of goods − operating costs" in suptitle(figure)
    assert_drawn(figure)


def test_without_prices_the_goods_stand_beside_the_total(results: Results) -> None:
    """A scenario without prices has no profit: the right panel holds the cost of goods and the total cost;
    from the summary alone the operating costs' sum has no CI (the summary holds each KPI's only)."""
    summary = results.summary.copy()
    summary.loc[summary["kpi"].isin(["profit", "revenue"]), ["mean", "ci_low", "ci_high"]] = np.nan
    figure = cost_breakdown(summary)
    left, right = figure.axes
    assert whiskers_of(left) == []
    beside = bars_of(right)
    assert list(beside) == ["cost of goods", "total cost"]
    for kpi, ends in zip(("cost_of_goods", "total_cost"), whiskers_of(right), strict=True):
        np.testing.assert_allclose(beside[kpi.replace("_", " ")], [stat(results, p, kpi) for p in POLICIES])
        np.testing.assert_allclose(ends[:, 1], [stat(results, p, kpi, "ci_high") for p in POLICIES])
    operating = np.sum(list(bars_of(left).values()), axis=0)
    np.testing.assert_allclose(operating + beside["cost of goods"], beside["total cost"], rtol=1e-9)
    assert "total = operating costs + cost of goods" in suptitle(figure) and "CIs on the right" in suptitle(figure)


def test_cost_breakdown_of_one_stock_point(results: Results) -> None:
    """The plant's pads are bought, not sold: nothing earns there, so its goods stand beside its total."""
    figure = cost_breakdown(results.summary, stock_point="plant/pad", replications=results.replications)
    left, right = figure.axes
    heights = np.sum(list(bars_of(left).values()), axis=0) + bars_of(right)["cost of goods"]
    np.testing.assert_allclose(heights, [stat(results, p, "plant/pad.total_cost") for p in POLICIES], rtol=1e-9)
    assert list(bars_of(right)) == ["cost of goods", "total cost"]
    assert "at plant/pad" in suptitle(figure)
    with pytest.raises(UsageError, match=r"unknown KPI 'dc/brakes.total_cost' \(did you mean 'dc/brake.total_cost'"):
        cost_breakdown(results.summary, stock_point="dc/brakes")


def test_money_axes_read_like_a_controllers_figures(results: Results) -> None:
    """0.5 M and 250 k, never ×10⁷; a KPI that is not money keeps plain numbers."""
    figure = cost_breakdown(results.summary)
    pixels(figure)  # ticks are placed and labelled when drawn
    left, right = figure.axes
    labels = [t.get_text() for t in right.get_yticklabels() if t.get_text()]
    assert labels[0] == "0" and all(t.endswith(" M") for t in labels[1:]), labels
    assert all(t.endswith(" k") for t in [t.get_text() for t in left.get_yticklabels()][1:] if t)
    assert not right.yaxis.get_offset_text().get_text()
    boxes = kpi_distribution(results.replications, "fill_rate").axes[0]
    pixels(boxes.figure)  # type: ignore[arg-type]
    assert not any(t.get_text().endswith((" k", " M")) for t in boxes.get_yticklabels())


# --- 3. distributions --------------------------------------------------------------------------


def test_boxes_medians_and_paired_lines(results: Results) -> None:
    table = results.replications
    figure = kpi_distribution(table, "total_cost", paired=True)
    ax = figure.axes[0]
    medians = [ln for ln in ax.lines if ln.get_color() == "black" and len(ln.get_ydata()) == 2]
    expected = table.groupby("policy", sort=False)["total_cost"].median().reindex(POLICIES)
    np.testing.assert_allclose([ln.get_ydata()[0] for ln in medians], expected)
    styles = policy_styles(POLICIES)
    assert [(p.get_hatch() or "", hex_of(p.get_edgecolor())) for p in ax.patches] == [
        (styles[p].hatch, hex_of(styles[p].color)) for p in POLICIES
    ]
    (lines,) = [c for c in ax.collections if c.get_gid() == PAIRED]
    assert len(lines.get_segments()) == 4 * (len(POLICIES) - 1), "each replication joins its neighbours"
    first = table[table["replication"] == 0].set_index("policy")["total_cost"]
    assert (lines.get_segments()[0][:, 1] == first.loc[["jit", "eoq"]].to_numpy()).all()
    assert ax.get_ylabel() == "total cost (money)"
    assert [t.get_text() for t in ax.get_xticklabels()] == list(POLICIES)
    assert_drawn(figure)


def test_violins_and_a_cap_on_the_paired_lines(results: Results) -> None:
    figure = kpi_distribution(results.replications, "dc/brake.fill_rate", kind="violin", paired=True, max_pairs=2)
    ax = figure.axes[0]
    bodies = [c for c in ax.collections if isinstance(c, PolyCollection) and not isinstance(c, LineCollection)]
    flat = (results.replications.groupby("policy")["dc/brake.fill_rate"].nunique() == 1).sum()
    assert len(bodies) + flat == len(POLICIES) and bodies
    (lines,) = [c for c in ax.collections if c.get_gid() == PAIRED]
    assert len(lines.get_segments()) == 2 * (len(POLICIES) - 1)
    assert "(2 of 4)" in suptitle(figure) and ax.get_ylabel() == "fill rate at dc/brake (ratio 0–1)"
    with pytest.raises(ValueError, match="kind must be 'box' or 'violin'"):
        kpi_distribution(results.replications, "total_cost", kind="strip")  # type: ignore[arg-type]


# --- 4. trade-off frontier ---------------------------------------------------------------------


def test_frontier_points_and_crosses_are_the_means_and_cis(results: Results) -> None:
    figure = tradeoff_frontier(results.summary)
    ax = figure.axes[0]
    handles, labels = ax.get_legend_handles_labels()
    bars = dict(zip(labels, handles, strict=True))
    assert [label for label in bars if label != "efficient frontier"] == list(POLICIES)  # the line, if any, first
    for policy in POLICIES:
        point = bars[policy].lines[0]
        x, y = point.get_xdata()[0], point.get_ydata()[0]
        assert (x, y) == pytest.approx((stat(results, policy, "fill_rate"), stat(results, policy, "total_cost")))
        horizontal, vertical = (c.get_segments()[0] for c in bars[policy].lines[2])
        assert horizontal[:, 0] == pytest.approx(
            [stat(results, policy, "fill_rate", "ci_low"), stat(results, policy, "fill_rate", "ci_high")]
        )
        assert vertical[:, 1] == pytest.approx(
            [stat(results, policy, "total_cost", "ci_low"), stat(results, policy, "total_cost", "ci_high")]
        )
    assert ax.get_xlabel() == "mean fill rate (ratio 0–1)" and ax.get_ylabel() == "mean total cost (money)"
    assert any(t.get_text() == "better ↘" for t in ax.texts)
    assert_drawn(figure)


def test_efficient_points_by_hand() -> None:
    fill = np.array([0.90, 0.95, 0.80, 0.99])
    cost = np.array([100.0, 120.0, 130.0, 150.0])  # the third is beaten by the first on both
    assert efficient(fill, cost, "higher", "lower").tolist() == [True, True, False, True]
    assert efficient(fill, -cost, "higher", "higher").tolist() == [True, True, False, True]
    assert efficient(fill, cost, None, "lower").all()


# --- 5. paired differences (forest) ------------------------------------------------------------


def test_forest_shows_the_paired_differences(results: Results) -> None:
    kpis = ["total_cost", "fill_rate", "holding_cost", "days_short"]
    figure = paired_differences(results.comparison, kpis, baseline=results.baseline, policies=results.policies)
    shown = [ax for ax in figure.axes if ax.get_visible()]
    assert len(shown) == len(kpis)
    compared = [p for p in POLICIES if p != "eoq"]
    table = results.comparison.set_index(["policy", "kpi"])
    for ax, kpi in zip(shown, kpis, strict=True):
        assert ax.get_xlabel().startswith(f"Δ {kpi.replace('_', ' ')} (")
        bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
        assert [c.lines[0].get_xdata()[0] for c in bars] == pytest.approx(
            [table.loc[(p, kpi), "diff"] for p in compared]
        )
        ends = [c.lines[2][0].get_segments()[0][:, 0] for c in bars]
        expected = [(table.loc[(p, kpi), "ci_low"], table.loc[(p, kpi), "ci_high"]) for p in compared]
        np.testing.assert_allclose(ends, expected)
    assert "better ←" in shown[0].get_title() and "better →" in shown[1].get_title()
    assert [t.get_text() for t in shown[0].get_yticklabels()] == compared
    assert "against eoq" in suptitle(figure)
    assert_drawn(figure)
    # as the tables judge a priced scenario: no better side on a cost that grows with sales
    judged = paired_differences(results.comparison, kpis, policies=results.policies, directions={"total_cost": None})
    titles = [ax.get_title() for ax in judged.axes if ax.get_visible()]
    assert "better" not in titles[0] and "better ←" in titles[2]


# --- 6. sweeps ---------------------------------------------------------------------------------


def test_sweep_response_lines_are_the_means_per_point(sweep: pd.DataFrame) -> None:
    figure = sweep_response(sweep, "total_cost")
    ax = figure.axes[0]
    lines = {ln.get_label(): ln for ln in ax.lines if not ln.get_label().startswith("_")}
    assert list(lines) == ["jit", "eoq"]
    means = sweep.groupby(["policy", CLOSURE])["total_cost"].mean()
    for policy, line in lines.items():
        assert list(line.get_xdata()) == [0, 15, 30]
        np.testing.assert_allclose(line.get_ydata(), means.loc[policy].to_numpy())
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2
    assert ax.get_xlabel() == CLOSURE and ax.get_ylabel() == "mean total cost (money)"
    assert_drawn(figure)


def test_sweep_difference_is_the_reference_table(sweep: pd.DataFrame) -> None:
    figure = sweep_difference(sweep, "total_cost", 0)
    ax = figure.axes[0]
    table = sweep_reference_table(sweep, "total_cost", 0)
    bars = {c.get_label(): c for c in ax.containers if isinstance(c, ErrorbarContainer)}
    assert list(bars) == ["jit", "eoq"]
    for policy, bar in bars.items():
        mine = table[table["policy"] == policy]
        np.testing.assert_allclose(bar.lines[0].get_ydata(), mine["diff"])
        assert bar.lines[0].get_ydata()[0] == 0.0, "the reference point against itself"
        x = np.asarray(bar.lines[0].get_xdata())
        assert np.diff(x) == pytest.approx([15, 15]) and abs(x[0]) < 1, "the points, side by side by policy"
    assert "against duration=0" in suptitle(figure) and ax.get_ylabel() == "Δ total cost (money)"
    assert_drawn(figure)


def test_sweep_figures_fix_a_parameter_swept_as_null(tmp_path: Path) -> None:
    """at= fixes the other parameter at a point swept as YAML null (missing in the table)."""
    backup = "sites.plant.stock.pad.backup"
    _, variants = sweep_variants(BRAKE, [f"{CLOSURE}=0,30", f"{backup}=pads_backup,null"], [*SHORT, "replications=2"])
    table = execute(Plan(tuple(variants), ("jit",), 2), tmp_path).results()
    figure = sweep_difference(table, "total_cost", "duration=0", parameter=CLOSURE, at={backup: None})
    bars = [c for c in figure.axes[0].containers if isinstance(c, ErrorbarContainer)]
    without = sweep_reference_table(table[table[backup].isna()], "total_cost", "duration=0")
    np.testing.assert_allclose(bars[0].lines[0].get_ydata(), without["diff"])
    line = next(ln for ln in sweep_response(table, "total_cost", parameter=CLOSURE, at={backup: "null"}).axes[0].lines
                if ln.get_label() == "jit")  # fmt: skip
    np.testing.assert_allclose(line.get_ydata(), table[table[backup].isna()].groupby(CLOSURE)["total_cost"].mean())


def test_sweep_figures_need_a_sweep(results: Results, sweep: pd.DataFrame) -> None:
    with pytest.raises(UsageError, match="not a sweep"):
        sweep_response(results.replications, "total_cost")
    with pytest.raises(UsageError, match=r"'horizon' is not a swept parameter; the sweep varies " + CLOSURE):
        sweep_response(sweep, "total_cost", parameter="horizon")


# --- 7. resilience -----------------------------------------------------------------------------


def test_resilience_profile_averages_the_fill_rate_around_the_start(replications_traces: list[Trace]) -> None:
    figure = resilience_profile(replications_traces, PORT, before=10, after=40)
    ax = figure.axes[0]
    for policy in ("jit", "eoq"):
        color = hex_of(policy_styles(POLICIES)[policy].color)
        mine = [t for t in replications_traces if t.policy == policy]
        curve = next(ln for ln in ax.lines if hex_of(ln.get_color()) == color and len(ln.get_xdata()) == 51)
        by_hand = []
        for trace in mine:
            start = trace.disruptions.set_index("event").loc[PORT, "start"]
            days = trace.daily.set_index("day")
            rate = 1 - days["short"] / days["demand"].where(days["demand"] > 0)
            by_hand.append(rate.reindex(np.arange(-10, 41) + math.floor(start)).to_numpy())
        np.testing.assert_allclose(curve.get_ydata(), np.nanmean(by_hand, axis=0))
        survive = np.mean([t.resilience.set_index("event").loc[PORT, "time_to_survive"] for t in mine])
        marks = [ln.get_xdata()[0] for ln in ax.lines if hex_of(ln.get_color()) == color and ln.get_linestyle() == "--"]
        assert marks == pytest.approx([survive])
    windows = [t.disruptions.set_index("event").loc[PORT] for t in replications_traces]
    shade = next(p for p in ax.patches if isinstance(p, Rectangle) and p.get_x() == 0)
    assert shade.get_width() == pytest.approx(np.mean([w["end"] - w["start"] for w in windows]))
    assert ax.get_xlabel() == f"days since {PORT} started"
    assert ax.get_ylabel() == "daily customer fill rate (ratio 0–1)"
    assert_drawn(figure)


def test_daily_fill_rate_counts_customers_only(replications_traces: list[Trace]) -> None:
    trace = replications_traces[5]  # eoq: short some days
    rate = daily_fill_rate(trace, ["dc/brake"])
    days = trace.daily.set_index("day")
    assert (rate < 1).any()
    np.testing.assert_allclose(rate, 1 - days["short"] / days["demand"].where(days["demand"] > 0))


def test_resilience_profile_names_the_events_it_saw(replications_traces: list[Trace]) -> None:
    with pytest.raises(UsageError, match=r"no occurrence of 'flood' in the traces; they saw .*pads_asia.disruptions.0"):
        resilience_profile(replications_traces, "flood")
    with pytest.raises(UsageError, match=r"'plant/pad' has no customer demand"):
        resilience_profile(replications_traces, PORT, stock_point="plant/pad")


# --- one style per policy, everywhere ----------------------------------------------------------


def test_each_policy_has_one_colour_in_every_figure(results: Results, traces: list[Trace], sweep: pd.DataFrame) -> None:
    expected = {p: hex_of(s.color) for p, s in policy_styles(results.policies).items()}
    assert expected == {p: hex_of(POLICY_COLORS[i]) for i, p in enumerate(POLICIES)}, "by the run's order"
    frontier = legend_colors(tradeoff_frontier(results.summary).axes[0])
    swept = legend_colors(sweep_response(sweep, "total_cost", policies=results.policies).axes[0])
    trajectory = inventory_trajectory(traces, ["dc/brake"], policies=results.policies)
    titles = {ax.get_title(): hex_of(ax.title.get_color()) for ax in trajectory.axes}
    boxes = kpi_distribution(results.replications, "total_cost").axes[0]
    ticks = {t.get_text(): hex_of(t.get_color()) for t in boxes.get_xticklabels()}
    forest = paired_differences(results.comparison, ["total_cost"], policies=results.policies).axes[0]
    points = {c.get_label(): hex_of(c.lines[0].get_color()) for c in forest.containers}
    assert {p: frontier[p] for p in POLICIES} == expected
    assert swept == {p: expected[p] for p in ("jit", "eoq")}
    assert titles == expected == ticks
    assert points == {p: expected[p] for p in ("jit", "safety_stock")}


def test_styles_are_told_apart_without_colour() -> None:
    styles = list(policy_styles([f"p{i}" for i in range(8)]).values())
    for part in ("marker", "linestyle", "hatch", "color"):
        assert len({str(getattr(s, part)) for s in styles}) == 8, part
    many = policy_styles([f"p{i}" for i in range(16)]).values()
    assert len({(s.color, s.marker) for s in many}) == 16


# --- saving, speed, the public API -------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_save_figure_writes_the_format(results: Results, tmp_path: Path, suffix: str) -> None:
    figure = tradeoff_frontier(results.summary)
    path = save_figure(figure, tmp_path / "deep" / f"frontier.{suffix}")
    assert path.read_bytes().startswith({"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[suffix])
    assert path.stat().st_size > 10_000


def test_save_figure_needs_a_known_suffix(results: Results, tmp_path: Path) -> None:
    with pytest.raises(
        UsageError, match=r"figure\.jpeg: cannot tell the format; end the name with \.png, \.svg, \.pdf"
    ):
        save_figure(tradeoff_frontier(results.summary), tmp_path / "figure.jpeg")


def test_a_hundred_thousand_rows_draw_in_seconds(results: Results) -> None:
    """25,000 replications of four policies: the figures aggregate before they draw."""
    table = results.replications
    copies = math.ceil(100_000 / len(table))
    big = pd.concat([table.assign(replication=table["replication"] + 4 * k) for k in range(copies)], ignore_index=True)
    assert len(big) >= 100_000
    started = time.perf_counter()
    figure = kpi_distribution(big, "total_cost", paired=True)
    pixels(figure)
    elapsed = time.perf_counter() - started
    (lines,) = [c for c in figure.axes[0].collections if c.get_gid() == PAIRED]
    assert len(lines.get_segments()) == 200 * (len(POLICIES) - 1), "the paired lines stop at MAX_PAIRS"
    assert elapsed < 10, f"{elapsed:.1f} s"


def test_plots_never_touch_pyplot() -> None:
    """Figures come from matplotlib.figure.Figure: no global state, no GUI backend, even when drawn."""
    sources = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "simjit" / "plots").glob("*.py"))
    assert not re.search(r"^\s*(import matplotlib\.pyplot|from matplotlib import pyplot)", sources, re.MULTILINE)
    code = (
        "import sys\n"
        "from matplotlib.backends.backend_agg import FigureCanvasAgg\n"
        "from simjit.plots.style import new_figure\n"
        "figure, axes = new_figure(3, 2)\n"
        "axes[0, 0].plot([0, 1], [1, 0])\n"
        "FigureCanvasAgg(figure).draw()\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_public_names_are_pinned() -> None:
    assert set(simjit.plots.__all__) == {
        "PolicyStyle", "cost_breakdown", "daily_fill_rate", "inventory_trajectory", "kpi_distribution",
        "paired_differences", "policy_styles", "resilience_profile", "save_figure", "sweep_difference",
        "sweep_response", "tradeoff_frontier", "tune_response",
    }  # fmt: skip
    for name in simjit.plots.__all__:
        assert getattr(simjit.plots, name).__doc__, f"{name} has no docstring"


def test_money_is_labelled_in_the_scenarios_currency(results: Results, sweep: pd.DataFrame) -> None:
    """Every figure with a money axis names the currency it is given (the scenario's); other units stay."""
    eur = {"currency": "EUR"}
    costs = cost_breakdown(results.summary, **eur).axes[0]
    boxes = kpi_distribution(results.replications, "total_cost", **eur).axes[0]
    frontier = tradeoff_frontier(results.summary, **eur).axes[0]
    forest = paired_differences(results.comparison, ["total_cost", "fill_rate"], **eur).axes[0]
    response = sweep_response(sweep, "total_cost", **eur).axes[0]
    change = sweep_difference(sweep, "total_cost", 0, **eur).axes[0]
    assert costs.get_ylabel() == "mean per replication (EUR)"
    assert boxes.get_ylabel() == "total cost (EUR)"
    assert (frontier.get_xlabel(), frontier.get_ylabel()) == ("mean fill rate (ratio 0–1)", "mean total cost (EUR)")
    assert [ax.get_xlabel() for ax in forest.figure.axes[:2]] == ["Δ total cost (EUR)", "Δ fill rate (ratio 0–1)"]
    assert response.get_ylabel() == "mean total cost (EUR)" and change.get_ylabel() == "Δ total cost (EUR)"
    assert cost_breakdown(results.summary).axes[0].get_ylabel() == "mean per replication (money)"


def test_axes_write_each_unit_as_its_kpis_take_values() -> None:
    """A share lies in [0, 1]; the bullwhip ratio of variances does not (a beer chain's factory: 270)."""
    from simjit.plots.style import kpi_label

    assert kpi_label("fill_rate") == "fill rate (ratio 0–1)"
    assert kpi_label("factory/beer.bullwhip") == "bullwhip at factory/beer (variance ratio)"
    assert kpi_label("total_cost") == "total cost (money)"
    assert kpi_label("dc/brake.holding_cost", "Δ ", "€") == "Δ holding cost at dc/brake (€)"
    assert kpi_label("fill_rate", currency="EUR") == "fill rate (ratio 0–1)"


def test_a_long_subtitle_breaks_between_its_clauses() -> None:
    from simjit.plots.style import new_figure, title

    figure, _ = new_figure(6, 3)
    title(figure, "Head", "means of 10 replications with 95% CIs on the right; total = operating costs + goods")
    assert figure.get_suptitle().split("\n") == [
        "Head", "means of 10 replications with 95% CIs on the right;", "total = operating costs + goods"
    ]  # fmt: skip
