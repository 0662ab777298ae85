"""The trace of one replication reproduces the run's numbers: the event log integrates to the KPIs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from simjit import load_scenario
from simjit.cli import main
from simjit.experiment.trace import DAILY_COLUMNS, EVENT_COLUMNS, trace_replication
from simjit.model import run_replication

CLOSURE = [{"start": 40, "duration": 15}]


def shop(on_stockout: Any) -> Any:
    """A shop with a warm-up, a closure, Poisson demand and customers who do not all wait."""
    return load_scenario(
        {
            "name": "traced",
            "horizon": 120.5,
            "warmup": 10,
            "seed": 5,
            "items": {"x": {"unit_cost": 2.0}},
            "suppliers": {
                "s": {"supplies": ["x"], "lead_time": {"gamma": {"mean": 3, "sd": 1}}, "disruptions": CLOSURE}
            },
            "sites": {"shop": {"stock": {"x": {"source": "s"}}}},
            "demand": [{"at": "shop/x", "per_day": {"poisson": 8}, "on_stockout": on_stockout}],
            "policies": {"rq": {"default": {"r_Q": {"reorder_point": 30, "order_quantity": 40}}}},
        }
    )


def time_average(events: pd.DataFrame, column: str, start: float, end: float) -> float:
    """The exact time average over [start, end) of a state that changes only at events."""
    times = events["time"].to_numpy()
    values = events[column].to_numpy()
    area, at, value = 0.0, start, 0.0
    for t, v in zip(times, values, strict=True):
        if t > start:
            area += value * (min(t, end) - at)
            at = min(t, end)
        value = v
    area += value * (end - at)
    return area / (end - start)


@pytest.mark.parametrize("on_stockout", ["lost", {"wait_up_to": 2}, "backorder"])
def test_the_trace_reproduces_the_kpis(on_stockout: Any) -> None:
    s = shop(on_stockout)
    trace = trace_replication(s, "rq", 3)
    played = run_replication(s, "rq", 3)  # the same replication as in a run (NaN where nothing is priced)
    assert trace.summary.keys() == played.keys()
    # the trace watches every lot through the day; the unwatched run plays quiet runs of lots in one step
    assert all(
        a == pytest.approx(b, rel=1e-9, abs=1e-9, nan_ok=True)
        for a, b in zip(trace.summary.values(), played.values(), strict=True)
    )
    events, summary = trace.events, trace.summary
    assert list(events.columns) == list(EVENT_COLUMNS) and list(trace.daily.columns) == list(DAILY_COLUMNS)
    mine = events[events["stock_point"] == "shop/x"]
    assert time_average(mine, "on_hand", s.warmup, s.horizon) == pytest.approx(summary["avg_on_hand"], rel=1e-9)
    assert time_average(mine, "backorders", s.warmup, s.horizon) == pytest.approx(
        summary["avg_backorders"], rel=1e-9, abs=1e-12
    )
    measured = trace.daily[trace.daily["day"] >= s.warmup]
    assert measured["lost"].sum() == pytest.approx(summary["lost_sales"], abs=1e-9)
    assert measured["demand"].sum() == pytest.approx(summary["demand"])
    assert measured["ordered"].sum() == pytest.approx(summary["orders_placed"] * 40)
    if on_stockout != "backorder":
        assert summary["lost_sales"] > 0  # the case is not vacuous


def test_the_disruption_windows_are_the_played_ones() -> None:
    trace = trace_replication(shop("lost"), "rq", 0)
    windows = trace.disruptions
    assert windows[["event", "target", "start", "end", "ended"]].values.tolist() == [
        ["s.disruptions.0", "s", 40.0, 55.0, True]
    ]
    days = trace.daily.set_index("day")
    assert days.loc[48:54, "received"].sum() == 0  # nothing ships while closed: after those in transit, no receipt
    assert days.loc[55:60, "received"].sum() > 0  # the orders held during the closure land after it


def test_the_trace_command_writes_the_three_tables(tmp_path: Path) -> None:
    brake = Path(__file__).resolve().parent.parent / "scenarios" / "brake_plant.yaml"
    target = tmp_path / "jit.parquet"
    args = ["trace", str(brake), "--policy", "jit", "-r", "2", "--stock-point", "dc/brake", "-o", str(target)]
    assert main(args) == 0
    events = pd.read_parquet(target)
    expected = trace_replication(load_scenario(brake), "jit", 2, ["dc/brake"])
    pd.testing.assert_frame_equal(events, expected.events)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "jit.daily.parquet"), expected.daily)
    windows = pd.read_parquet(tmp_path / "jit.disruptions.parquet")
    assert set(windows["event"]) == set(expected.disruptions["event"]) and len(windows) > 0
    assert set(events["stock_point"]) - set(windows["target"]) == {"dc/brake"}  # disruptions keep their target
    assert main(args) == 2  # not replaced without --force
    assert main([*args, "--force"]) == 0
    as_csv = tmp_path / "jit.csv"
    assert (
        main(["trace", str(brake), "--policy", "jit", "-r", "2", "--stock-point", "dc/brake", "-o", str(as_csv)]) == 0
    )
    assert len(pd.read_csv(as_csv)) == len(events)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--policy", "jt"], "error: --policy jt: unknown policy set 'jt' (known: jit, eoq, safety_stock, hybrid)"),
        (["--policy", "jit", "--stock-point", "dc/brak"], "no stock point 'dc/brak' (did you mean 'dc/brake'?)"),
        (["--policy", "jit", "-o", "trace.txt"], "error: -o trace.txt: expected a file ending in .parquet or .csv"),
        (["--policy", "jit", "-r", "-1"], "error: --replication: expected a number >= 0, got -1"),
    ],
)
def test_the_trace_command_refuses_bad_options(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    brake = Path(__file__).resolve().parent.parent / "scenarios" / "brake_plant.yaml"
    assert main(["trace", str(brake), *args]) == 2
    assert message in capsys.readouterr().err


def test_trace_replication_is_offered_by_the_experiment_layer() -> None:
    """Notebooks import it as users do, with run_experiment and the statistics."""
    import simjit.experiment

    assert simjit.experiment.trace_replication is trace_replication
    assert "trace_replication" in simjit.experiment.__all__ and "Trace" in simjit.experiment.__all__


def test_trace_plays_the_settings_a_tune_chose_before_any_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``trace --tuned DIR`` is the trace of the file with DIR/tuned.yaml's settings, and a --set after them wins;
    applied to another scenario it says what differs, as run does; a folder without a tune is refused."""
    import yaml

    file = tmp_path / "shop.yaml"
    data = {**shop("backorder").model_dump(by_alias=True, exclude_defaults=True), "replications": 2}
    file.write_text(yaml.safe_dump(data), encoding="utf-8")
    tuned, r = tmp_path / "tune", "policies.rq.default.r_Q.reorder_point"
    tune = ["tune", str(file), "--policy", "rq", "--param", f"{r}=0,60", "--first", "2", "--most", "2"]
    assert main([*tune, "--workers", "1", "-o", str(tuned), "-q"]) == 0
    chosen = yaml.safe_load((tuned / "tuned.yaml").read_text(encoding="utf-8"))[r]
    assert chosen in (0, 60)

    def events(name: str, *options: str) -> pd.DataFrame:
        target = tmp_path / f"{name}.csv"
        assert main(["trace", str(file), "--policy", "rq", "-r", "1", "-o", str(target), *options]) == 0
        return pd.read_csv(target)

    with_tune = events("tuned", "--tuned", str(tuned))
    pd.testing.assert_frame_equal(with_tune, events("set", "--set", f"{r}={chosen}"))
    plain = events("plain")
    assert not with_tune.equals(plain)  # 30 in the file: the tune's 0 or 60 plays otherwise
    pd.testing.assert_frame_equal(events("overridden", "--tuned", str(tuned), "--set", f"{r}=30"), plain)
    capsys.readouterr()
    assert main(["trace", str(file), "--policy", "rq", "--tuned", str(tuned), "--set", "horizon=100", "-q"]) == 0
    assert (f"--tuned {tuned}: its settings were tuned for another scenario than this run plays (tuned for → now: "
            "horizon (120.5 → 100.0))") in " ".join(capsys.readouterr().err.split())  # fmt: skip
    assert main(["trace", str(file), "--policy", "rq", "--tuned", str(tmp_path)]) == 2
    assert (f"error: --tuned {tmp_path}: no tuned.yaml there (the -o DIR of a simjit tune that found a best)"
            in " ".join(capsys.readouterr().err.split()))  # fmt: skip
