"""★ only where it is earned: a policy is marked best only when its paired difference (replication by
replication) to every other policy is clear of zero at the run's confidence; otherwise the best mean and
every policy the replications cannot tell apart from it are marked ≈ together. Checked on frames built by
hand (the intervals worked out from Student's t), by the error rate the rule promises, through
``simjit run`` and ``simjit sweep``, in the report and in the frontier's subtitle; with them the headline
KPI (profit where items have prices) and the scenario's currency."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simjit import load_scenario
from simjit.experiment import compare, describe
from simjit.experiment.cells import STAR, TIED, marks, marks_caption, money_note, sweep_kpis
from simjit.experiment.statistics import star_level
from simjit.model.catalogue import headline
from simjit.plots.frontier import tradeoff_frontier

ROOT = Path(__file__).resolve().parents[1]


def frame(kpi: str, values: dict[str, list[float]]) -> pd.DataFrame:
    """Per-replication results of one KPI: policy → its value in replications 0, 1, …"""
    rows = [{"variant": "base", "policy": p, "replication": r, kpi: v}
            for p, xs in values.items() for r, v in enumerate(xs)]  # fmt: skip
    return pd.DataFrame(rows)


def marked(kpi: str, values: dict[str, list[float]]) -> dict[str, str]:
    """The marks the tables show for ``values`` of ``kpi``."""
    by = describe(frame(kpi, values), [kpi]).set_index(["policy", "kpi"])
    return marks(by, {p: (p, kpi) for p in values}, "lower" if kpi == "total_cost" else "higher")


# --- the rule, on frames worked by hand ---------------------------------------------------------

BASE = [100.0, 130.0, 90.0, 160.0, 120.0, 110.0]
"""What replications 0–5 cost one policy: a spread (±25) far wider than the differences below."""
NOISY = [x + d for x, d in zip(BASE, [4, -6, 3, -5, 2, -4], strict=True)]
"""1 cheaper than BASE on average, but by −4 … +6 replication by replication: the paired interval holds zero."""
CLEAR = [x - 5 + e for x, e in zip(BASE, [1, -1, 0.5, -0.5, 1, -1], strict=True)]
"""5 ± 1 cheaper than BASE in every replication: clear of zero, paired, though each policy's own interval (±26)
swallows the difference."""


def test_a_clearly_best_policy_gets_the_star() -> None:
    assert marked("total_cost", {"a": BASE, "b": CLEAR}) == {"b": STAR}


def test_no_star_where_the_paired_interval_includes_zero() -> None:
    """b is 1 cheaper on average, but the paired interval (−1 ± 5.2) holds zero: b and a are marked ≈
    together, neither ★."""
    b = NOISY
    diff = np.subtract(b, BASE)
    half = stats.t.ppf(0.975, 5) * diff.std(ddof=1) / math.sqrt(6)
    assert diff.mean() == pytest.approx(-1) and abs(diff.mean()) < half  # the interval holds zero
    assert marked("total_cost", {"a": BASE, "b": b}) == {"a": TIED, "b": TIED}


def test_the_star_needs_every_comparison_and_the_tied_are_those_not_told_apart() -> None:
    """Three policies: c is clearly cheaper than a but not than b; so c and b are ≈, a unmarked."""
    b = [x - 4 + d for x, d in zip(BASE, [3, -3, 2, -2, 3, -3], strict=True)]
    c = [x - 5 + d for x, d in zip(BASE, [0.5, -0.5, 0.2, -0.2, 0.5, -0.5], strict=True)]
    assert marked("total_cost", {"a": BASE, "b": b, "c": c}) == {"b": TIED, "c": TIED}
    assert marked("total_cost", {"a": BASE, "c": c}) == {"c": STAR}


def test_higher_is_better_is_marked_the_other_way() -> None:
    fill = [0.90, 0.95, 0.85, 0.97, 0.92, 0.88]
    better = [x + 0.02 for x in fill]
    assert marked("fill_rate", {"a": fill, "b": better}) == {"b": STAR}
    assert marked("fill_rate", {"a": better, "b": fill}) == {"a": STAR}


def test_identical_policies_are_tied_and_nothing_is_marked_where_none_differs() -> None:
    worse = [x + 20 for x in BASE]
    assert marked("total_cost", {"a": BASE, "twin": list(BASE), "worse": worse}) == {"a": TIED, "twin": TIED}
    assert marked("total_cost", {"a": BASE, "twin": list(BASE)}) == {}, "nothing to tell apart"
    assert marked("total_cost", {"a": BASE}) == {}, "one policy: nobody to beat"


def test_one_replication_tells_nothing_apart() -> None:
    assert marked("total_cost", {"a": [10.0], "b": [20.0]}) == {"a": TIED, "b": TIED}


def test_a_kpi_without_a_direction_is_never_marked() -> None:
    by = describe(frame("demand", {"a": BASE, "b": [x + 50 for x in BASE]}), ["demand"]).set_index(["policy", "kpi"])
    assert marks(by, {"a": ("a", "demand"), "b": ("b", "demand")}, None) == {}
    assert by["best"].isna().all()


def test_the_paired_interval_is_against_the_best_mean_at_the_star_level() -> None:
    """The summary carries each policy's paired difference to the best mean, its Student-t interval at
    star_level (by hand: mean ± t(1 − α/2(K−1)… ) · s/√n)."""
    worse = [x + 30 for x in BASE]
    summary = describe(frame("total_cost", {"a": BASE, "b": CLEAR, "w": worse, "v": worse}), ["total_cost"])
    row = summary.set_index("policy").loc["a"]
    diff = np.subtract(BASE, CLEAR)
    half = stats.t.ppf(1 - 0.05 / 3, 5) * diff.std(ddof=1) / math.sqrt(6)  # K = 4: one-sided α/(K − 1)
    assert row["best"] == "b" and row["vs_best"] == pytest.approx(diff.mean())
    assert (row["vs_best_low"], row["vs_best_high"]) == pytest.approx((diff.mean() - half, diff.mean() + half))
    best = summary.set_index("policy").loc["b"]
    assert best["vs_best"] == 0 and math.isnan(best["vs_best_low"])


def test_star_level_adjusts_for_the_comparisons_with_a_best_chosen_by_the_data() -> None:
    assert star_level(0.95, 2) == pytest.approx(0.95) and star_level(0.95, 3) == pytest.approx(0.95)
    assert star_level(0.95, 4) == pytest.approx(1 - 0.1 / 3) and star_level(0.95, 5) == pytest.approx(0.975)
    assert "at 95%." in marks_caption(3) and "96.7% each" in marks_caption(4) and marks_caption(1) == ""


def test_four_policies_need_more_than_the_95_percent_interval() -> None:
    """A paired t of 2.4 over 10 replications clears the 95% interval (2.262) but not the 96.7% one
    that four policies ask (2.5): ★ with three policies, ≈ with four."""
    deviations = np.array([1.0, -1.0] * 5)
    step = 2.4 * deviations.std(ddof=1) / math.sqrt(10)
    a = 100 + 10 * np.sin(np.arange(10))  # the replications' common noise
    b = a + step + deviations
    far = a + 50
    three = {"a": list(a), "b": list(b), "far": list(far)}
    assert marked("total_cost", three) == {"a": STAR}
    assert marked("total_cost", {**three, "far2": list(far + 1)}) == {"a": TIED, "b": TIED}


def test_a_star_holds_at_the_run_confidence_when_two_policies_are_truly_equal() -> None:
    """1,000 experiments of 10 replications: two policies equally good (the least favourable case), two far
    worse. A ★ on either is a false claim; it must come at most 5% of the time (the Bonferroni bound is
    2 × 0.05/3 ≈ 3.3%), within 3.3 binomial standard deviations."""
    rng = np.random.default_rng(2026)
    experiments, n = 1000, 10
    rows = []
    for k in range(experiments):
        common = rng.normal(1000, 100, n)  # the replications' shared random future
        for policy, shift in (("a", 0), ("b", 0), ("c", 40), ("d", 40)):
            values = common + shift + rng.normal(0, 5, n)
            rows += [{"variant": f"e{k}", "policy": policy, "replication": r, "total_cost": v}
                     for r, v in enumerate(values)]  # fmt: skip
    summary = describe(pd.DataFrame(rows), ["total_cost"]).set_index(["variant", "policy", "kpi"])
    stars = sum(STAR in marks(summary, {p: (f"e{k}", p, "total_cost") for p in "abcd"}, "lower").values()
                for k in range(experiments))  # fmt: skip
    assert stars <= 0.05 * experiments + 3.3 * math.sqrt(experiments * 0.05 * 0.95), stars


@pytest.mark.parametrize("seed", range(5))
def test_no_star_beside_a_paired_interval_that_holds_zero(seed: int) -> None:
    """Whatever the data, a ★ policy's 95% paired interval against every other policy (as ``compare``
    prints it in the Δ column) is clear of zero."""
    rng = np.random.default_rng(seed)
    common = rng.normal(100, 20, 8)
    values = {p: list(common + rng.normal(shift, 3, 8)) for p, shift in zip("abcd", rng.uniform(0, 6, 4), strict=True)}
    results = frame("total_cost", values)
    starred = [p for p, m in marked("total_cost", values).items() if m == STAR]
    for star in starred:
        versus = compare(results, ["total_cost"], star)
        assert (versus["ci_low"] > 0).all(), versus


# --- through the command line --------------------------------------------------------------------


def shop_file(tmp_path: Path, **extra: Any) -> Path:
    """A shop where ``twin`` orders exactly as ``low`` does (the same policy twice) and ``high`` holds more."""
    import yaml

    data = {
        "name": "twins", "horizon": 120, "warmup": 20, "seed": 3, "replications": 6,
        "items": {"x": {"unit_cost": 2.0, "price": 5.0}},
        "costs": {"holding_rate": 0.3, "order_cost": 4, "lost_sale_cost": 1.0},
        "suppliers": {"s": {"supplies": ["x"], "lead_time": 2}},
        "sites": {"shop": {"stock": {"x": {"source": "s"}}}},
        "demand": [{"at": "shop/x", "per_day": {"poisson": 4}}],
        "policies": {"low": {"default": {"base_stock": {"level": 10}}},
                     "twin": {"default": {"base_stock": {"level": 10}}},
                     "high": {"default": {"base_stock": {"level": 30}}}},
        **extra,
    }  # fmt: skip
    path = tmp_path / "twins.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def simjit(*args: str) -> str:
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "simjit", *args, "--workers", "1", "-q"], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def rows_of(stdout: str, kpi: str) -> dict[str, str]:
    """The rows of ``kpi`` in the run's tables: policy → its line."""
    lines = stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.split()[:1] == [kpi])
    rows = {}
    for line in lines[at : at + 3]:
        words = line.split()[1:] if line.split()[:1] == [kpi] else line.split()
        rows[words[0]] = line
    return rows


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    directory = tmp_path_factory.mktemp("twins")
    out = directory / "run"
    stdout = simjit("run", str(shop_file(directory, currency="EUR")), "-o", str(out), "--report")
    return out, stdout


def test_run_never_stars_one_of_two_identical_policies(twins: tuple[Path, str]) -> None:
    _, stdout = twins
    for line in stdout.splitlines():
        words = line.split()
        assert not ({"low", "twin"} & set(words) and STAR in words), line
    holding = rows_of(stdout, "holding_cost")  # the twins hold less than high, the same in every replication
    assert f"low {TIED}" in holding["low"] and f"twin {TIED}" in holding["twin"] and TIED not in holding["high"]
    assert f"high {STAR}" in rows_of(stdout, "fill_rate")["high"], "30 units on the shelf serve clearly better"
    assert "the replications cannot tell them apart" in stdout, "the caption says what the marks mean"


def test_run_leads_with_profit_and_names_the_currency(twins: tuple[Path, str]) -> None:
    _, stdout = twins
    titles = [line for line in stdout.splitlines() if line.startswith("twins —")]
    assert titles[0].startswith("twins — profit:") and "amounts in EUR" in titles[0]
    service = next(t for t in titles if "— service:" in t)
    assert "amounts in" not in service, "no money in the service table"


def test_report_marks_and_headline(twins: tuple[Path, str]) -> None:
    directory, _ = twins
    html = (directory / "report.html").read_text(encoding="utf-8")
    verdict = re.search(r'<p class="verdict">(.*?)</p>', html)
    assert verdict is not None and "Headline: profit" in verdict[1] and "in EUR" in verdict[1]
    assert '<td class="tied">low ≈</td>' in html and '<td class="tied">twin ≈</td>' in html
    assert '<td class="best">high ★</td>' in html and "low ★" not in html and "twin ★" not in html
    assert "amounts in EUR" in html and "(EUR)</span>" in html
    assert "the replications cannot tell them apart" in html and "★ marks the best mean" not in html


def test_without_prices_or_currency_total_cost_leads_and_no_currency_is_named(tmp_path: Path) -> None:
    path = shop_file(tmp_path, items={"x": {"unit_cost": 2.0}})
    stdout = simjit("run", str(path), "-n", "4", "-o", str(tmp_path / "run"), "--report")
    titles = [line for line in stdout.splitlines() if line.startswith("twins —")]
    assert titles[0].startswith("twins — cost:") and not any("amounts in" in t for t in titles)
    html = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    assert "Headline: total_cost" in html and "amounts in" not in html.lower()
    assert headline(load_scenario(path)) == "total_cost"


def test_sweep_tables_lead_with_the_headline_and_mark_each_point(tmp_path: Path) -> None:
    path = shop_file(tmp_path, currency="$")
    stdout = simjit("sweep", str(path), "--vary", "policies.high.default.base_stock.level=20,30", "-n", "4")
    titles = [line for line in stdout.splitlines() if line.startswith("twins —")]
    assert [t.split(":")[0] for t in titles] == ["twins — profit", "twins — fill_rate"]
    assert "amounts in $" in titles[0] and "amounts in" not in titles[1]
    assert sweep_kpis(load_scenario(path)) == ("profit", "fill_rate")
    for line in stdout.splitlines():
        if line.lstrip().startswith("policies.high"):
            assert line.count(STAR) <= 1 and STAR not in line.split()[1:4], "low and twin are never ★"


def test_money_note_only_for_money() -> None:
    assert money_note(["total_cost", "fill_rate"], "EUR") == ", amounts in EUR"
    assert money_note(["fill_rate"], "EUR") == "" and money_note(["total_cost"], None) == ""


# --- the frontier's subtitle ----------------------------------------------------------------------


def subtitle(values: dict[str, tuple[list[float], list[float]]]) -> str:
    rows = [{"variant": "base", "policy": p, "replication": r, "total_cost": c, "fill_rate": f}
            for p, (costs, fills) in values.items()
            for r, (c, f) in enumerate(zip(costs, fills, strict=True))]  # fmt: skip
    summary = describe(pd.DataFrame(rows), ["total_cost", "fill_rate"])
    return tradeoff_frontier(summary).get_suptitle().replace("\n", " ")


def test_the_frontier_says_best_on_both_only_when_the_star_is_earned_on_both() -> None:
    fill = [0.90, 0.95, 0.85, 0.97, 0.92, 0.88]
    better_fill = [x + 0.02 for x in fill]
    earned = subtitle({"a": (BASE, fill), "b": (CLEAR, better_fill)})
    assert "b is better than every other policy on both" in earned
    unearned = subtitle({"a": (BASE, fill), "b": (NOISY, better_fill)})
    assert "better than every other policy" not in unearned and "b has the best mean on both" in unearned
    assert f"paired (★ best, ≈ not told apart): total cost a {TIED} b, fill rate b {STAR}" in unearned


def test_an_infinite_value_prints_as_infinity_not_a_traceback() -> None:
    """int(inf) raised OverflowError: a cell of an unbounded KPI must still print."""
    from simjit.experiment.cells import num

    assert (num(float("inf")), num(float("-inf")), num(2.0), num(float("nan"))) == ("∞", "−∞", "2", "–")


def test_costs_that_grow_with_sales_carry_no_star_where_items_have_prices() -> None:
    """With prices, the policy that sells least uses the fewest goods: a ★ on total_cost or cost_of_goods would
    reward lost sales, so those rows have no direction there (profit judges); without prices they keep theirs."""
    from pathlib import Path

    from simjit import load_scenario
    from simjit.experiment.cells import direction

    scenarios = Path(__file__).resolve().parents[1] / "scenarios"
    priced, unpriced = load_scenario(scenarios / "coffee_shop.yaml"), load_scenario(scenarios / "zoom_motors.yaml")
    for kpi in ("total_cost", "cost_of_goods", "purchase_cost", "cafe/beans.cost_of_goods"):
        assert direction(kpi, priced) is None, kpi
    assert direction("holding_cost", priced) == "lower" and direction("profit", priced) == "higher"
    assert direction("total_cost", unpriced) == direction("cost_of_goods", unpriced) == "lower"
