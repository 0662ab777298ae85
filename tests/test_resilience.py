"""Resilience per disruption event, worked out by hand on a deterministic scenario.

One item, a supplier with a constant lead time of 2 days, customers taking 10 units at each
whole day, base stock S = 30 (so 20 units on order and, after each day's demand, 10 on hand),
and one scheduled closure of the supplier on days [10, 15). Orders placed while it is closed
wait and ship when it reopens (land on day 17); orders already shipped still land.

Day by day (on hand after the day's demand; backorders in brackets):

    day  9: receipt 10 → 20, demand → 10
    day 10: closure starts; receipt (order of day 8) → 20, demand → 10
    day 11: receipt (order of day 9) → 20, demand → 10
    day 12: no receipt, demand → 0
    day 13: demand 10 short  (10)   ← first short customer: time to survive = 13 − 10 = 3
    day 14: demand 10 short  (20)
    day 15: closure ends; the waiting orders ship; demand short (30)
    day 16: demand short     (40)
    day 17: the orders of days 10-15 land (60): the 40 waiting are served, 20 left → 10 after
            demand; nobody waits and stock is on hand: service is back at 17, and stays clean
            from then on, so time to recover = 17 − 15 = 2 days (from the closure's end)
    units short = the four days' customers 13…16 = 40.

With lost sales the same customers are turned away (position = on hand + on order never falls
below 30, so nothing more is ordered): TTS 3, TTR 2, 40 units short, all 40 lost.
"""

from __future__ import annotations

from typing import Any

import pytest

from simjit import load_scenario
from simjit.model import simulate
from simjit.model.resilience import EVENT_COLUMNS
from simjit.scenario.models import Scenario


def closure(level: float, on_stockout: str = "backorder", duration: float = 5, **fields: Any) -> Scenario:
    data: dict[str, Any] = {
        "name": "closure",
        "horizon": 40,
        "items": {"x": {"unit_cost": 1.0}},
        "suppliers": {"s": {"supplies": ["x"], "lead_time": 2, "disruptions": [{"start": 10, "duration": duration}]}},
        "sites": {"shop": {"stock": {"x": {"source": "s"}}}},
        "demand": [{"at": "shop/x", "timing": "start_of_day", "per_day": 10, "on_stockout": on_stockout}],
        "policies": {"p": {"default": {"base_stock": {"level": level}}}},
        **fields,
    }
    return load_scenario(data)


@pytest.mark.parametrize("on_stockout, lost", [("backorder", 0.0), ("lost", 40.0)])
def test_closure_worked_out_by_hand(on_stockout: str, lost: float) -> None:
    res = simulate(closure(30, on_stockout), "p", 0, check=True)
    [row] = res.disruptions
    assert set(row) == set(EVENT_COLUMNS)
    assert row["event"] == row["disruption"] == "s.disruptions.0"
    assert (row["target"], row["start"], row["end"]) == ("s", 10.0, 15.0)
    assert row["survived"] is False and row["recovered"] is True
    assert row["time_to_survive"] == 3.0
    assert row["time_to_recover"] == 2.0
    assert row["units_short"] == 40.0
    assert row["lost_sales"] == lost
    for kpi, value in (("time_to_survive", 3.0), ("time_to_recover", 2.0), ("units_short", 40.0)):
        assert res.summary[kpi] == value  # the mean over the replication's one event
        assert res.summary[f"shop/x.{kpi}"] == value


def test_a_buffer_that_covers_the_closure_survives_it() -> None:
    """S = 70 holds 50 units after each day's demand: nothing lands on days 12-16, whose 50 units
    are served from them (the last 10 on day 16), and the orders of days 10-15 land on day 17.
    No customer is short: the event is survived, TTS is the exposure window (closure 5 days +
    lead time 2), TTR and units short 0. One buffer day less (S = 60) and day 16 goes short."""
    res = simulate(closure(70), "p", 0, check=True)
    [row] = res.disruptions
    assert row["survived"] is True
    assert row["time_to_survive"] == 7.0
    assert row["time_to_recover"] == 0.0 and row["units_short"] == 0.0
    assert res.summary["fill_rate"] == 1.0
    assert simulate(closure(60), "p", 0).disruptions[0]["time_to_survive"] == 6.0


def test_recovery_needs_a_clean_run_of_recovery_days() -> None:
    """No buffer (S = 20: nothing on hand after each day's demand) and a second closure on days
    [20, 21). First closure: short from day 12 (TTS 2) until the orders land on day 17. Second:
    the order of day 20 ships on 21 and lands on 23, so day 22 goes short (TTS 2) and service is
    back on 23: TTR 23 − 21 = 2, 10 units short — although days 21 and 22 follow the closure,
    the shortage its lead time brings is part of it. With recovery_days 7 the first closure's
    clean run cannot start on 17 (day 22 breaks it): it starts on 23, TTR 8, units 50 + 10; with
    recovery_days 1 it starts on 17, TTR 2, 50 units."""
    two = {"start": 10, "duration": 5}, {"start": 20, "duration": 1}
    s = closure(20, suppliers={"s": {"supplies": ["x"], "lead_time": 2, "disruptions": list(two)}})
    for days, ttr, units in ((7.0, 8.0, 60.0), (1.0, 2.0, 50.0)):
        first, second = simulate(s.model_copy(update={"recovery_days": days}), "p", 0, check=True).disruptions
        assert (first["time_to_survive"], first["time_to_recover"], first["units_short"]) == (2.0, ttr, units)
        assert (second["time_to_survive"], second["time_to_recover"], second["units_short"]) == (2.0, 2.0, 10.0)


def test_a_zero_length_closure_is_no_event() -> None:
    res = simulate(closure(30, duration=0), "p", 0)
    assert res.disruptions == []
    assert res.summary["time_to_recover"] != res.summary["time_to_recover"]  # NaN: no event to average


def test_events_reach_customers_through_lanes_and_lines() -> None:
    """A closure of the part supplier of a plant reaches the customers of the shop it ships to:
    the event is watched on shop/kit, not on the plant's stock points (no customers there)."""
    data: dict[str, Any] = {
        "name": "chain",
        "horizon": 60,
        "items": {"part": {"unit_cost": 1.0}, "kit": {"unit_cost": 3.0}},
        "suppliers": {"s": {"supplies": ["part"], "lead_time": 2, "disruptions": [{"start": 10, "duration": 20}]}},
        "sites": {
            "plant": {
                "stock": {"part": {"source": "s"}, "kit": {"source": "line"}},
                "lines": {"line": {"makes": "kit", "bom": {"part": 2}, "rate": 100}},
            },
            "shop": {"stock": {"kit": {"source": "plant", "transit": 1}}},
        },
        "demand": [{"at": "shop/kit", "timing": "start_of_day", "per_day": 5}],
        "policies": {"p": {"default": {"base_stock": {"level": 20}}}},
    }
    s = load_scenario(data)
    res = simulate(s, "p", 0, check=True)
    [row] = res.disruptions
    assert row["survived"] is False
    assert row["time_to_survive"] > 0
    assert res.summary["shop/kit.time_to_survive"] == row["time_to_survive"]
    assert res.summary["plant/part.time_to_survive"] != res.summary["plant/part.time_to_survive"]  # not watched
