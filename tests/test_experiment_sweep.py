"""Sweeps: ``--vary`` values and ranges, the cartesian product, errors located at the option,
and the classic study — the pad port closure from 0 to 60 days — on the brake plant."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simjit.errors import ScenarioError
from simjit.experiment import parse_vary, sweep_variants
from simjit.experiment.sweep import split_values

ROOT = Path(__file__).resolve().parent.parent
BRAKE = ROOT / "scenarios" / "brake_plant.yaml"
DURATION = "suppliers.pads_asia.disruptions.0.duration"


def simjit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simjit", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    ("option", "values"),
    [
        (f"{DURATION}=0:60:15", [0, 15, 30, 45, 60]),
        (f"{DURATION}=0:50:15", [0, 15, 30, 45]),
        ("horizon=100:102", [100, 101, 102]),
        ("suppliers.pads_asia.on_time=0.8:1:0.1", [0.8, 0.9, 1.0]),
        ("suppliers.pads_asia.on_time=0.5,0.75 , 1", [0.5, 0.75, 1]),
        ("suppliers.pads_asia.lead_time=3,{uniform: [2, 4]}", [3, {"uniform": [2, 4]}]),
    ],
)
def test_values_and_ranges(option: str, values: list[object]) -> None:
    assert list(parse_vary(option).values) == values


def test_paths_are_normalised() -> None:
    assert parse_vary("suppliers.pads_asia.disruptions[0].duration=1").path == DURATION


def test_commas_inside_brackets_and_quotes_do_not_split() -> None:
    assert split_values("1,{a: [1, 2]},'x,y',[3,4]") == ["1", "{a: [1, 2]}", "'x,y'", "[3,4]"]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("horizon", r"--vary horizon: expected dotted\.path=v1,v2"),
        ("horizon=10:5", r"--vary horizon=10:5: a range start:stop:step needs start <= stop and step > 0"),
        ("horizon=1:5:0", r"step > 0, got 1:5:0"),
        ("horizon=1,,2", r"--vary horizon=1,,2: horizon: empty value"),
        ("horizon=1,1", r"a value is listed twice"),
        ("horizon=0:1000000", r"has 1,000,001 values; at most 10,000"),
        ("fill_rate=1,2", r"'fill_rate' is also a result column"),
    ],
)
def test_bad_options_are_located_at_the_option(option: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        parse_vary(option)


def test_product_of_axes_each_point_validated() -> None:
    base, variants = sweep_variants(
        BRAKE, [f"{DURATION}=0,30", "suppliers.pads_asia.on_time=0.8,0.9,1"], ["replications=3"]
    )
    assert base.replications == 3
    assert [v.name for v in variants][:4] == [
        "duration=0, on_time=0.8",
        "duration=0, on_time=0.9",
        "duration=0, on_time=1",
        "duration=30, on_time=0.8",
    ]
    last = variants[-1]
    assert last.params == {DURATION: 30, "suppliers.pads_asia.on_time": 1}
    assert last.scenario.suppliers["pads_asia"].on_time == 1
    assert last.scenario.suppliers["pads_asia"].disruptions[0].duration == 30
    assert all(v.scenario.seed == base.seed for v in variants), "every point plays the same random numbers"


def test_names_stay_apart_when_paths_end_alike() -> None:
    _, variants = sweep_variants(BRAKE, [f"{DURATION}=1", "events.0.duration=2"])
    assert variants[0].name == "disruptions.0.duration=1, events.0.duration=2"


def test_every_bad_point_is_reported_before_anything_runs() -> None:
    with pytest.raises(ScenarioError) as caught:
        sweep_variants(BRAKE, [f"{DURATION}=-5,0,-1"])
    assert str(caught.value).splitlines() == [
        f"--vary {DURATION}=-5,0,-1 (value -5): suppliers.pads_asia.disruptions[0].duration: "
        "expected a number >= 0, got -5",
        f"--vary {DURATION}=-5,0,-1 (value -1): suppliers.pads_asia.disruptions[0].duration: "
        "expected a number >= 0, got -1",
    ]


def test_bad_sweep_value_exits_2_without_traceback() -> None:
    done = simjit("sweep", str(BRAKE), "--vary", f"{DURATION}=-5,10", "-n", "1")
    assert done.returncode == 2
    assert f"--vary {DURATION}=-5,10 (value -5)" in done.stderr and "Traceback" not in done.stderr


def test_disruption_length_sweep_on_the_brake_plant(tmp_path: Path) -> None:
    """The classic study: port closure 0 → 60 days × {jit, eoq, safety_stock}, tidy results."""
    done = simjit(
        "sweep", str(BRAKE), "--vary", f"{DURATION}=0:60:15", "-n", "4", "-o", str(tmp_path),
        "--policy", "jit", "--policy", "eoq", "--policy", "safety_stock", "--csv", "--workers", "2",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = pd.read_parquet(tmp_path / "replications.parquet")
    assert list(table.columns[:4]) == ["variant", "policy", "replication", DURATION]
    assert len(table) == 5 * 3 * 4
    assert sorted(table[DURATION].unique()) == [0, 15, 30, 45, 60]
    assert table.groupby([DURATION, "policy"]).size().eq(4).all()
    assert set(table["variant"]) == {f"duration={d}" for d in (0, 15, 30, 45, 60)}
    assert pd.read_csv(tmp_path / "replications.csv").shape == table.shape
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert [v["params"] for v in summary["variants"]] == [{DURATION: d} for d in (0, 15, 30, 45, 60)]
    assert {(r["variant"], r["policy"]) for r in summary["versus_baseline"]} == {
        (f"duration={d}", p) for d in (0, 15, 30, 45, 60) for p in ("jit", "safety_stock")
    }
    assert "duration=60" in done.stdout and "profit" in done.stdout and "fill_rate" in done.stdout
    # Common random numbers across points: the demand stream does not depend on the closure,
    # so replication r meets the same customer demand at every point.
    demand = table[table["policy"] == "eoq"].pivot(index="replication", columns=DURATION, values="demand")
    assert demand.nunique(axis=1).eq(1).all()


def test_run_experiment_plays_a_sweeps_variants(tmp_path: Path) -> None:
    """From Python, a sweep's variants go to run_experiment as a scenario does: the same table as
    executing the plan into a directory, a column per swept parameter."""
    from simjit.experiment import Plan, execute, run_experiment

    _, variants = sweep_variants(BRAKE, [f"{DURATION}=0,30"], ["horizon=120", "warmup=0"])
    table = run_experiment(variants, ["jit", "eoq"], 2)
    expected = execute(Plan(tuple(variants), ("jit", "eoq"), 2), tmp_path).results()
    pd.testing.assert_frame_equal(table, expected)
    assert list(table.columns[:4]) == ["variant", "policy", "replication", DURATION]
    assert list(table["variant"].unique()) == ["duration=0", "duration=30"]
