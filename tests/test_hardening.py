"""Issue 30, "silent wrong answers": each answer here was wrong without a word on the main branch before
the fix; each test states the answer a careful user expects, through the command where they meet it.

A base-stock loop with Poisson demand (1 a day) and exponential lead times (mean 4 days) serves as the
system: at levels of 15 and more a 120-day horizon rarely sees a stock-out, so its fill rate is 1.0 in
every replication the race plays, and a random supplier outage gives ``time_to_survive`` a value only in
the replications where one strikes.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from simjit.cli import main
from simjit.errors import UsageError
from simjit.experiment.racing import Constraint, Race, judge
from simjit.experiment.tune import TuneSpec, prepare_tune, run_tune
from simjit.experiment.tune_space import parse_param
from simjit.scenario import load_scenario

LEVEL = "policies.bs.default.base_stock.level"
OUTAGE = "disruptions: [{mtbf: 150, mttr: {exponential: {mean: 10}}}], "


def base_stock(folder: Path, outage: bool = False, demand: str = "arrivals: {rate: 1, size: 1}") -> Path:
    """The loop above as a scenario file (with a random supplier outage when ``outage``)."""
    text = f"""
name: base stock
horizon: 120
warmup: 10
replications: 5
seed: 7
items:
  part: {{unit_cost: 1.0}}
costs: {{holding_cost: 1, order_cost: 0.0, backorder_cost: 5}}
suppliers:
  vendor: {{supplies: [part], {OUTAGE if outage else ""}lead_time: {{exponential: {{mean: 4}}}}}}
sites:
  shop: {{stock: {{part: {{source: vendor}}}}}}
demand:
  - {{at: shop/part, {demand}, on_stockout: backorder}}
policies:
  bs: {{default: {{base_stock: {{level: 2}}}}}}
"""
    path = folder / "bs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def traced(folder: Path, values: str) -> Path:
    """The loop with its daily demand read from ``demand.csv`` (holding ``values``, one a line)."""
    (folder / "demand.csv").write_text("units\n" + values.replace(",", "\n") + "\n", encoding="utf-8")
    return base_stock(folder, demand="per_day: {trace: demand.csv}")


def simjit(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- a constraint the data cannot show ----------------------------------------------------------------


def test_a_kpi_that_does_not_vary_proves_no_constraint_its_replications_cannot_support() -> None:
    """Ten replications all at a fill rate of 1 "proved" fill_rate>=0.999 with a bound of zero width. With
    n equal replications P(KPI = v) ≥ α^(1/n) (the rule of three: 1 − α^(1/n) ≈ 3/n), and a ratio lies
    in [0, 1]: the mean's lower bound is v·α^(1/n), its upper 1 − (1 − v)·α^(1/n)."""
    alpha = 0.05
    ones = np.ones(10)
    verdict = judge(ones, Constraint.parse("fill_rate>=0.999"), alpha)
    assert verdict.verdict == "cannot tell"
    assert not verdict.varied
    assert verdict.low == pytest.approx(alpha ** (1 / 10))  # 0.741
    assert judge(ones, Constraint.parse("fill_rate>=0.7"), alpha).verdict == "feasible"  # what 10 replications support
    assert judge(np.full(10, 0.5), Constraint.parse("fill_rate>=0.9"), alpha).verdict == "infeasible"  # ≤ 0.63
    assert judge(np.ones(100), Constraint.parse("fill_rate>=0.96"), alpha).low == pytest.approx(1 - 3 / 100, abs=3e-3)
    # a KPI without an upper end (units): replications all at 0 bound nothing above
    assert judge(np.zeros(10), Constraint.parse("avg_backorders<=3"), alpha).verdict == "cannot tell"
    # rounding noise is no variation either
    assert judge(1 - 1e-15 * np.arange(10), Constraint.parse("fill_rate>=0.999"), alpha).verdict == "cannot tell"
    # values that vary keep the Student-t bound
    assert judge(np.array([0.98, 0.99] * 5), Constraint.parse("fill_rate>=0.9"), alpha).verdict == "feasible"


def test_tune_writes_no_tuned_yaml_for_a_constraint_never_seen_to_vary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: level 15 "feasible for fill_rate>=0.999 with 95% confidence" and written to tuned.yaml
    from replications that all had a fill rate of 1. Now: "cannot tell", and what 40 such replications support."""
    out = tmp_path / "tune"
    code, text, _ = simjit(capsys, "tune", base_stock(tmp_path), "--policy", "bs", "--param", f"{LEVEL}=15,16",
                           "--subject-to", "fill_rate>=0.999", "-o", out, "--workers", "1")  # fmt: skip
    assert code == 0
    assert not (out / "tuned.yaml").exists()
    assert "no candidate meets fill_rate>=0.999" in text
    assert re.search(rf"{re.escape(LEVEL)}=15: fill_rate was 1 in each of its 40 replications, which supports only "
                     r"a mean of 0\.8\d+ to 1", text)  # fmt: skip


# --- NaN is no mean -------------------------------------------------------------------------------------


def test_a_candidate_without_a_value_is_never_the_best() -> None:
    race = Race(2, sign=-1.0)  # maximise
    nan = math.nan
    decision = race.look({"a": np.full(10, nan), "b": np.arange(10.0)}, {"a": {}, "b": {}}, ["a", "b"])
    assert decision.best == "b"
    # replications without a value (no disruption event in them) are left out, pairs where both have one compared
    worse, better = np.array([nan, 1.0, nan, 2.0] * 3), np.array([nan, 11.0, nan, 12.0] * 3)
    assert (
        race.look({"worse": worse, "better": better}, {"worse": {}, "better": {}}, ["worse", "better"]).best == "better"
    )


def test_maximize_time_to_survive_chooses_the_loop_that_survives_longest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """time_to_survive has no value in a replication without an outage: before, every mean was NaN and the
    first candidate, level 2 (1.9 days), was "best" over level 14 (11 days)."""
    out = tmp_path / "tune"
    code, text, _ = simjit(capsys, "tune", base_stock(tmp_path, outage=True), "--policy", "bs", "--param",
                           f"{LEVEL}=2,6,10,14", "--maximize", "time_to_survive", "-o", out, "--workers", "1")  # fmt: skip
    assert code == 0, text
    assert f"best: {LEVEL}=14" in text
    assert "level: 14" in (out / "tuned.yaml").read_text(encoding="utf-8")


def test_an_objective_without_a_value_anywhere_is_an_error_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tune"
    code, _, err = simjit(capsys, "tune", base_stock(tmp_path), "--policy", "bs", "--param", f"{LEVEL}=2,6",
                          "--maximize", "time_to_survive", "-o", out, "--workers", "1")  # fmt: skip
    assert code == 2
    assert err.strip().startswith(
        "error: --maximize time_to_survive: no candidate has a value of time_to_survive in any"
    )
    assert "disruption event" in err and "no tuned.yaml is written" in err
    assert not (out / "tuned.yaml").exists()


# --- what a trace file holds ----------------------------------------------------------------------------


def test_resume_refuses_a_trace_file_edited_under_the_same_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before, the hash covered the file's name: replications of two demand histories ended in one summary."""
    file, out = traced(tmp_path, "1,2,1,3"), tmp_path / "run"
    assert simjit(capsys, "run", file, "-n", "2", "-o", out, "--workers", "1")[0] == 0
    (tmp_path / "demand.csv").write_text("units\n1\n2\n1\n9\n", encoding="utf-8")
    code, _, err = simjit(capsys, "run", file, "-n", "4", "--resume", "-o", out, "--workers", "1")
    assert code == 2
    assert "the data file demand.csv changed" in err
    (tmp_path / "demand.csv").write_text("units\n1\n2\n1\n3\n", encoding="utf-8")  # as it was: the run goes on
    assert simjit(capsys, "run", file, "-n", "4", "--resume", "-o", out, "--workers", "1")[0] == 0


def test_tune_resume_refuses_a_trace_file_edited_under_the_same_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file, out = traced(tmp_path, "1,2,1,3"), tmp_path / "tune"
    tune = ["tune", file, "--policy", "bs", "--param", f"{LEVEL}=4,8", "-o", out, "--workers", "1"]
    assert simjit(capsys, *tune)[0] == 0
    (tmp_path / "demand.csv").write_text("units\n1\n2\n1\n9\n", encoding="utf-8")
    code, _, err = simjit(capsys, *tune, "--resume")
    assert code == 2
    assert "the data file demand.csv changed" in err


def test_a_trace_saved_as_excels_csv_utf8_keeps_its_first_value(tmp_path: Path) -> None:
    """Excel's "CSV UTF-8" starts with a byte-order mark: the first value read as text was taken for a header."""
    (tmp_path / "demand.csv").write_bytes(b"\xef\xbb\xbf5\n3\n4\n")
    scenario = load_scenario(base_stock(tmp_path, demand="per_day: {trace: demand.csv}"))
    assert scenario.demand[0].per_day.values == (5.0, 3.0, 4.0)  # type: ignore[union-attr]
    (tmp_path / "demand.csv").write_bytes(b"\xef\xbb\xbfunits\n5\n3\n")  # a header after the mark is still one
    scenario = load_scenario(base_stock(tmp_path, demand="per_day: {trace: demand.csv}"))
    assert scenario.demand[0].per_day.values == (5.0, 3.0)  # type: ignore[union-attr]


# --- what --precision played ------------------------------------------------------------------------------


def test_after_precision_the_manifest_the_report_and_resume_state_the_replications_played(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: the manifest said 4 (the -n it started with) after playing 40, and so did the report's
    tables; --resume said "complete with 4 replications … -n 8 would add 4 more"."""
    file, out = base_stock(tmp_path), tmp_path / "run"
    precision = ["--precision", "total_cost=0.01", "--max-replications", "40"]
    assert simjit(capsys, "run", file, "-n", "4", *precision, "-o", out, "--workers", "1")[0] == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["plan"]["replications"] == manifest["replications_done"] == 40
    assert manifest["plan"]["precision"]["first"] == 4
    code, _, err = simjit(capsys, "run", file, "--resume", *precision, "-o", out, "--workers", "1")
    assert code == 0
    assert "complete: --precision played 40 replications from -n 4; nothing to add" in err
    assert simjit(capsys, "run", file, "--resume", "-n", "8", *precision, "-o", out, "--workers", "1")[0] == 2
    assert simjit(capsys, "report", out)[0] == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "over 40 replications" in html and not re.search(r"\b4 replications", html)


# --- how the experiment is played is not a parameter ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tune", "--policy", "bs", "--param", "seed=1,2"], r"--param seed=1,2: the seed is not a setting of the policy"),
        (["tune", "--policy", "bs", "--param", "replications=5,10"], r"--param replications=5,10: the replications are"),
        (["sweep", "--vary", "replications=2,5"], r"--vary replications=2,5: replications: how many futures every point"),
        (["sweep", "--vary", "seed=1,2", "--reference", "seed=1"], r"--reference seed=1: the sweep varies seed.*not paired"),
        (["tune", "--policy", "bs", "--param", f"{LEVEL}=2,3", "--timeout", "0"], r"--timeout: expected a number of seconds > 0, got 0"),
        (["tune", "--policy", "bs", "--param", f"{LEVEL}=2,3", "--timeout", "-1"], r"--timeout: expected .* got -1"),
    ],
)  # fmt: skip
def test_meta_parameters_and_a_timeout_of_nothing_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    command, *options = args
    code, _, err = simjit(capsys, command, base_stock(tmp_path), *options, "-n" if command == "sweep" else "--first",
                          "2", "--workers", "1", "-o", tmp_path / "out")  # fmt: skip
    assert code == 2
    assert re.search(message, err), err
    assert not (tmp_path / "out").exists()


def test_run_tune_refuses_a_timeout_of_nothing(tmp_path: Path) -> None:
    prepared = prepare_tune(base_stock(tmp_path), TuneSpec("bs", (parse_param(f"{LEVEL}=2,3"),)))
    with pytest.raises(UsageError, match=r"--timeout: expected a number of seconds > 0"):
        run_tune(prepared, tmp_path / "tune", timeout=0)


def test_tuned_settings_applied_elsewhere_say_what_differs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A warning, not a refusal: settings tuned for one scenario may fairly be tried on a variant of it (a longer
    horizon, an outage set on top), but not without a word. The seed is no difference: fresh futures are how
    tuned settings should be checked."""
    file, tuned = base_stock(tmp_path), tmp_path / "tune"
    assert (
        simjit(capsys, "tune", file, "--policy", "bs", "--param", f"{LEVEL}=4,8", "-o", tuned, "--workers", "1")[0] == 0
    )
    code, _, err = simjit(capsys, "run", file, "--tuned", tuned, "-n", "2", "--seed", "3", "--workers", "1")
    assert code == 0 and "warning" not in err
    code, _, err = simjit(capsys, "run", file, "--tuned", tuned, "-n", "2", "--set", "horizon=240", "--workers", "1")
    assert code == 0
    assert re.search(rf"warning: --tuned {re.escape(str(tuned))}: its settings were tuned for another scenario .*"
                     r"horizon \(120\.0 → 240\.0\)", err)  # fmt: skip
    other = tmp_path / "other"
    other.mkdir()
    (other / "bs.yaml").write_text(file.read_text(encoding="utf-8").replace("name: base stock", "name: another"))
    code, _, err = simjit(capsys, "run", other / "bs.yaml", "--tuned", tuned, "-n", "2", "--workers", "1")
    assert code == 0 and 'name ("base stock" → "another")' in err
    (tuned / "tuned.yaml").write_text("seed: 11\n", encoding="utf-8")  # a lucky seed, tuned before --param refused it
    code, _, err = simjit(capsys, "run", file, "--tuned", tuned, "-n", "2", "--workers", "1")
    assert code == 2 and "tuned.yaml sets seed" in err
