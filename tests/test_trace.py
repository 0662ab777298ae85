"""The trace of one replication reproduces the run's numbers: the event log integrates to the KPIs."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from simjit import load_scenario
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
    assert trace.summary == run_replication(s, "rq", 3)  # the same replication as in a run
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
