"""Statistics against theory: 95% intervals cover a known mean 95% of the time, common random
numbers narrow paired comparisons, ``--precision`` stops when the interval is narrow enough."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from scipy import stats

from simjit import Scenario, load_scenario
from simjit.errors import ScenarioError
from simjit.experiment import (
    Plan,
    Precision,
    SerialBackend,
    Variant,
    compare,
    describe,
    execute,
    mean_ci,
    rank,
    run_experiment,
)
from simjit.experiment.statistics import resilience, wilson_ci

ROOT = Path(__file__).resolve().parent.parent
BRAKE = ROOT / "scenarios" / "brake_plant.yaml"
RATE, DAYS, WARMUP = 4, 20, 5
KNOWN_DEMAND = RATE * (DAYS - WARMUP)
"""Customer demand counted over [warmup, horizon): a sum of 15 Poisson(4) days, mean and variance 60."""


def shop(seed: int = 0, **extra: Any) -> Scenario:
    data = {
        "name": "known mean", "horizon": DAYS, "warmup": WARMUP, "seed": seed,
        "items": {"x": {"unit_cost": 2.0}},
        "suppliers": {"s": {"supplies": ["x"], "lead_time": 2}},
        "sites": {"shop": {"stock": {"x": {"source": "s"}}}},
        "demand": [{"at": "shop/x", "per_day": {"poisson": RATE}}],
        "policies": {"low": {"default": {"base_stock": {"level": 10}}},
                     "high": {"default": {"base_stock": {"level": 30}}}},
        **extra,
    }  # fmt: skip
    return load_scenario(data)


def test_mean_ci_is_the_student_t_interval() -> None:
    mean, lo, hi = mean_ci([1.0, 2.0, 3.0, 4.0])
    half = stats.t.ppf(0.975, 3) * math.sqrt(5 / 3) / 2
    assert mean == 2.5 and lo == pytest.approx(2.5 - half) and hi == pytest.approx(2.5 + half)
    assert math.isnan(mean_ci([1.0])[1]) and math.isnan(mean_ci([])[0])


def test_confidence_intervals_cover_the_true_mean_at_the_nominal_rate(tmp_path: Path) -> None:
    """400 independent experiments (one root seed each) of 10 replications: about 95% of their
    95% intervals hold the true mean; 3.3 binomial standard deviations either side (p ≈ 0.001)."""
    experiments, n = 400, 10
    plan = Plan(tuple(Variant(f"seed={k}", shop(k)) for k in range(experiments)), ("high",), n)
    outcome = execute(plan, tmp_path, backend=SerialBackend())
    demand = outcome.summary[outcome.summary["kpi"] == "demand"]
    assert len(demand) == experiments and (demand["n"] == n).all()
    covered = int(demand["ci_low"].le(KNOWN_DEMAND).mul(demand["ci_high"].ge(KNOWN_DEMAND)).sum())
    tolerance = 3.3 * math.sqrt(experiments * 0.95 * 0.05)
    assert abs(covered - 0.95 * experiments) <= tolerance, f"{covered} of {experiments} intervals hold the mean"
    pooled = outcome.results()["demand"]
    assert pooled.mean() == pytest.approx(KNOWN_DEMAND, abs=3 * math.sqrt(KNOWN_DEMAND / len(pooled)))


def test_common_random_numbers_narrow_the_paired_comparison() -> None:
    """Brake plant, safety stock − JIT in total cost over 20 replications: the paired interval
    (same demand and disruptions) against the interval of two runs on independent seeds."""
    n, kpi = 20, "total_cost"
    paired_runs = run_experiment(load_scenario(BRAKE), ["jit", "safety_stock"], n, workers=2)
    paired = compare(paired_runs, [kpi], "jit").iloc[0]
    paired_width = paired["ci_high"] - paired["ci_low"]
    jit = paired_runs[paired_runs["policy"] == "jit"][kpi]
    other = run_experiment(load_scenario(BRAKE, ["seed=7"]), ["safety_stock"], n)[kpi]
    independent_width = 2 * stats.t.ppf(0.975, 2 * n - 2) * math.sqrt(jit.var() / n + other.var() / n)
    assert paired_width * 2 < independent_width, (paired_width, independent_width)


def test_precision_adds_replications_until_the_interval_is_narrow_enough(tmp_path: Path) -> None:
    """Relative half-width 1.96·√60/(60·√n) ≤ 3% needs n ≳ 72 replications."""
    plan = Plan.single(shop(), ["low", "high"], 10)
    target = Precision({"demand": 0.03}, max_replications=400)
    outcome = execute(plan, tmp_path, precision=target)
    n = outcome.plan.replications
    assert 72 * 0.7 <= n <= 72 * 2, n
    assert outcome.precision is not None and outcome.precision.ratio <= 1
    results = outcome.results()
    assert results.groupby("policy").size().eq(n).all()
    for policy in ("low", "high"):
        mean, lo, hi = mean_ci(results[results["policy"] == policy]["demand"])
        assert (hi - lo) / 2 <= 0.03 * mean


def test_precision_stops_at_the_cap(tmp_path: Path) -> None:
    outcome = execute(Plan.single(shop(), ["high"], 10), tmp_path, precision=Precision({"demand": 0.001}, 25))
    assert outcome.plan.replications == 25 and outcome.precision is not None and outcome.precision.ratio > 1


def test_precision_run_resumes_to_the_same_rounds(tmp_path: Path) -> None:
    plan = Plan.single(shop(), ["low", "high"], 10)
    target = Precision({"demand": 0.03}, max_replications=400)
    whole = execute(plan, tmp_path / "whole", precision=target).results()

    def stop_in_second_round(done: int, total: int) -> None:
        if total > 20 and done > 30:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        execute(plan, tmp_path / "cut", precision=target, batch_size=4, progress=stop_in_second_round)
    resumed = execute(plan, tmp_path / "cut", precision=target, resume=True)
    pd.testing.assert_frame_equal(resumed.results(), whole, check_exact=True)


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (["total_cost"], "expected KPI=REL with 0 < REL < 1"),
        (["total_cost=2"], "expected KPI=REL with 0 < REL < 1"),
        (["total_cost=x"], "--precision total_cost=x"),
    ],
)
def test_bad_precision_targets(texts: list[str], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        Precision.parse(texts, 100)


def test_precision_percent_and_unknown_kpi(tmp_path: Path) -> None:
    assert Precision.parse(["fill_rate=2%"], 100).targets == {"fill_rate": 0.02}
    with pytest.raises(
        ScenarioError, match=r"--precision total_cots: unknown KPI 'total_cots' \(did you mean 'total_cost'"
    ):
        execute(Plan.single(shop(), ["high"], 3), tmp_path, precision=Precision({"total_cots": 0.1}, 10))


def test_rank_knows_which_way_is_better() -> None:
    columns = {"variant": "base", "policy": ["a", "a", "b", "b"], "replication": [0, 1, 0, 1],
               "total_cost": [10.0, 12.0, 8.0, 9.0], "fill_rate": [0.9, 0.8, 0.95, 0.97],
               "shop/x.total_cost": [1.0, 1.0, 2.0, 2.0]}  # fmt: skip
    results = pd.DataFrame(columns)
    ranked = rank(describe(results, ["total_cost", "fill_rate", "shop/x.total_cost"])).set_index(["policy", "kpi"])
    assert ranked.loc[("b", "total_cost"), "rank"] == 1 and ranked.loc[("b", "fill_rate"), "rank"] == 1
    assert ranked.loc[("a", "shop/x.total_cost"), "rank"] == 1, "a stock point's cost is lower-is-better too"
    better = compare(results, ["shop/x.total_cost", "fill_rate"], "a").set_index("kpi")["p_better"]
    assert better["shop/x.total_cost"] == 0.0 and better["fill_rate"] == 1.0


def test_a_kpi_without_a_better_direction_has_no_rank_and_no_p_better() -> None:
    results = pd.DataFrame({"variant": "base", "policy": ["a", "a", "b", "b"], "replication": [0, 1, 0, 1],
                            "demand": [10.0, 12.0, 8.0, 9.0], "backup_units": [0.0, 5.0, 1.0, 1.0],
                            "time_to_survive": [3.0, 4.0, 5.0, 6.0]})  # fmt: skip
    kpis = ["demand", "backup_units", "time_to_survive"]
    ranked = rank(describe(results, kpis)).set_index(["policy", "kpi"])["rank"]
    assert ranked.loc[("a", "demand")] is pd.NA and ranked.loc[("b", "backup_units")] is pd.NA
    assert ranked.loc[("b", "time_to_survive")] == 1, "surviving longer is better"
    better = compare(results, kpis, "a").set_index("kpi")["p_better"]
    assert math.isnan(better["demand"]) and math.isnan(better["backup_units"]) and better["time_to_survive"] == 1.0


def test_wilson_interval_matches_the_published_values() -> None:
    """Wilson's score bounds (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n), z = 1.96, worked out by
    hand: 0/10 → [0, 0.2775], 2/3 → [0.2077, 0.9385]; the Student-t interval would be [0, 0] for 0/10."""
    assert wilson_ci(0, 10) == pytest.approx((0.0, 0.0, 0.2775), abs=1e-4)
    assert wilson_ci(2, 3) == pytest.approx((2 / 3, 0.2077, 0.9385), abs=1e-4)
    assert all(math.isnan(x) for x in wilson_ci(0, 0))


def _event(policy: str, replication: int, disruption: str, tts: float, ttr: float, short: float) -> dict[str, Any]:
    return {"variant": "base", "policy": policy, "replication": replication, "event": disruption,
            "disruption": disruption, "target": "s", "start": 0.0, "end": 1.0, "survived": short == 0,
            "recovered": ttr == ttr, "time_to_survive": tts, "time_to_recover": ttr, "units_short": short,
            "lost_sales": 0.0}  # fmt: skip


EVENTS = pd.DataFrame([
    _event("a", 0, "port", 10, 0, 0), _event("a", 1, "port", 4, 6, 20), _event("a", 2, "port", 6, 2, 10),
    _event("b", 0, "port", 12, 0, 0), _event("b", 1, "port", 5, 3, 10),
    _event("b", 2, "port", 8, 0, 0), _event("b", 2, "port", 2, math.nan, 30),
    _event("a", 1, "storm", 1, 1, 5), _event("b", 1, "storm", 3, 0, 0), _event("b", 2, "storm", 2, 4, 8),
])  # fmt: skip
"""Two disruptions under two policies; b saw the port closure twice in replication 2, one still open at the
horizon, and a storm in replication 2 that a did not see."""


def test_resilience_is_summarised_per_disruption_over_the_replications_it_hit() -> None:
    table = resilience(EVENTS, baseline="a")
    assert list(dict.fromkeys(zip(table["disruption"], table["policy"], strict=True))) == [
        ("port", "a"), ("port", "b"), ("storm", "a"), ("storm", "b")]  # fmt: skip
    by = table.set_index(["disruption", "policy", "kpi"])
    port = by.loc[("port", "b")]
    assert (port["events"] == 4).all() and (port["replications"] == 3).all()
    expected = {"time_to_survive": [12, 5, 5], "units_short": [0, 10, 15], "time_to_recover": [0, 3]}
    for kpi, values in expected.items():
        assert tuple(port.loc[kpi, ["mean", "ci_low", "ci_high"]]) == pytest.approx(mean_ci(values), nan_ok=True)
        assert port.loc[kpi, "n"] == len(values), "a replication with an event still open has no mean TTR"
    assert tuple(port.loc["shortage_share", ["mean", "ci_low", "ci_high"]]) == pytest.approx(wilson_ci(2, 3))
    assert by.loc[("storm", "b", "units_short"), "replications"] == 2


def test_resilience_is_compared_with_the_baseline_where_both_saw_the_disruption() -> None:
    by = resilience(EVENTS, baseline="a").set_index(["disruption", "policy", "kpi"])
    port = by.loc[("port", "b")]
    diffs = {"time_to_survive": [2, 1, -1], "time_to_recover": [0, -3], "units_short": [0, -10, 5],
             "shortage_share": [0, 0, 0]}  # fmt: skip
    for kpi, values in diffs.items():
        assert port.loc[kpi, "n_paired"] == len(values)
        got = tuple(port.loc[kpi, ["diff", "diff_ci_low", "diff_ci_high"]])
        assert got == pytest.approx(mean_ci(values), nan_ok=True), kpi
    assert port.loc["time_to_survive", "p_better"] == pytest.approx(2 / 3), "higher is better"
    assert port.loc["time_to_recover", "p_better"] == 0.5 and port.loc["shortage_share", "p_better"] == 0.0
    assert by.loc[("storm", "b", "time_to_survive"), "n_paired"] == 1, "a did not see the storm in replication 2"
    assert by.loc[("port", "a")]["n_paired"].isna().all() and by.loc[("port", "a")]["diff"].isna().all()
    assert resilience(EVENTS.iloc[:0], baseline="a").empty
