"""A finished results directory opens again as the run's tables: the same statistics as the run
computed at its end, its baseline and policy order, and a clear error for anything else."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from simjit import load_scenario
from simjit.errors import SimjitError, UsageError
from simjit.experiment import Outcome, Plan, Results, execute, open_results

ROOT = Path(__file__).resolve().parents[1]
COFFEE = ROOT / "scenarios" / "coffee_shop.yaml"
POLICIES = ("jit", "eoq", "safety_stock")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """The coffee shop past the roaster's holiday (day 210), baseline eoq (not the first policy)."""
    scenario = load_scenario(COFFEE, ["horizon=240"])
    return execute(Plan.single(scenario, POLICIES, 4), tmp_path_factory.mktemp("coffee"), baseline="eoq")


@pytest.fixture(scope="module")
def results(run: Outcome) -> Results:
    return open_results(run.directory)


def test_the_statistics_are_those_the_run_computed(run: Outcome, results: Results) -> None:
    pd.testing.assert_frame_equal(results.summary, run.summary)
    pd.testing.assert_frame_equal(results.comparison, run.comparison)
    pd.testing.assert_frame_equal(results.resilience, run.resilience)
    assert not results.resilience.empty, "the holiday falls in the run: resilience is not vacuous"


def test_tables_identity_and_order(run: Outcome, results: Results) -> None:
    pd.testing.assert_frame_equal(results.replications, run.results())
    pd.testing.assert_frame_equal(results.disruptions, run.disruptions())
    assert results.policies == POLICIES and results.baseline == "eoq"
    assert results.variants == ("base",) and results.params == ()
    assert results.manifest.status == "complete" and results.manifest.replications_done == 4
    assert results.scenario is not None and results.scenario.name == results.scenario_doc["name"]
    assert set(results.comparison["policy"]) == {"jit", "safety_stock"}


def test_a_sum_of_unlike_units_has_no_rank(results: Results) -> None:
    """Beans (kg) and milk (litres) on hand do not add up: no policy is best on the network's sum."""
    rank = results.summary.set_index("kpi")["rank"]
    assert rank.loc["avg_on_hand"].isna().all()
    assert rank.loc["avg_on_hand_value"].notna().all()


def test_another_baseline_turns_the_differences_round(run: Outcome, results: Results) -> None:
    other = open_results(run.directory, baseline="jit")
    assert other.baseline == "jit" and set(other.comparison["policy"]) == {"eoq", "safety_stock"}
    key = ["policy", "kpi"]
    eoq_vs_jit = other.comparison.set_index(key).loc[("eoq", "total_cost")]
    jit_vs_eoq = results.comparison.set_index(key).loc[("jit", "total_cost")]
    assert eoq_vs_jit["diff"] == pytest.approx(-jit_vs_eoq["diff"])
    assert eoq_vs_jit["ci_low"] == pytest.approx(-jit_vs_eoq["ci_high"])


def test_an_unknown_baseline_is_refused(run: Outcome) -> None:
    with pytest.raises(UsageError, match=r"baseline 'kanban' is not a policy set of the run .*; it has jit, eoq"):
        open_results(run.directory, baseline="kanban")


def test_a_scenario_that_no_longer_validates_still_opens(run: Outcome, results: Results, tmp_path: Path) -> None:
    copy = shutil.copytree(run.directory, tmp_path / "copy")
    doc = json.loads((copy / "scenario.json").read_text(encoding="utf-8"))
    doc["horizon"] = -1
    (copy / "scenario.json").write_text(json.dumps(doc), encoding="utf-8")
    opened = open_results(copy)
    assert opened.scenario is None and opened.scenario_doc["horizon"] == -1
    pd.testing.assert_series_equal(opened.summary["mean"], results.summary["mean"])


def _unfinished(directory: Path) -> None:
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    (directory / "manifest.json").write_text(json.dumps({**manifest, "status": "interrupted"}), encoding="utf-8")


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ("nowhere", r"nowhere: no such directory"),
        ("a.txt", r"a\.txt is a file, not a results directory"),
        (".", r"holds no simjit run \(no manifest\.json\)"),
    ],
    ids=["missing", "file", "no-manifest"],
)
def test_no_run_is_a_clear_error(tmp_path: Path, place: str, message: str) -> None:
    (tmp_path / "a.txt").write_text("not a run", encoding="utf-8")
    with pytest.raises(SimjitError, match=message):
        open_results(tmp_path / place)


def test_an_unfinished_or_damaged_run_is_a_clear_error(run: Outcome, tmp_path: Path) -> None:
    copy = shutil.copytree(run.directory, tmp_path / "unfinished")
    _unfinished(copy)
    with pytest.raises(SimjitError, match=r"unfinished run \(interrupted: 12 of 12 tasks done\); complete it with"):
        open_results(copy)
    damaged = shutil.copytree(run.directory, tmp_path / "damaged")
    (damaged / "replications.parquet").unlink()
    with pytest.raises(SimjitError, match=r"the run is complete but replications\.parquet is missing"):
        open_results(damaged)
