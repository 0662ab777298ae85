"""Watching a replication through ``simulate(..., on_event=callback)``: typed events, in the order
the engine plays them, with the stock point's state right after each."""

from __future__ import annotations

from typing import Any

import pytest

from simjit import EventKind, SimEvent, load_scenario, simulate


def closure(**fields: Any) -> Any:
    """Base stock S = 30, lead time 2, 10 units a day, the supplier closed on days [10, 15)
    (worked out day by day in tests/test_resilience.py)."""
    data: dict[str, Any] = {
        "name": "closure",
        "horizon": 20,
        "items": {"x": {"unit_cost": 1.0}},
        "suppliers": {"s": {"supplies": ["x"], "lead_time": 2, "disruptions": [{"start": 10, "duration": 5}]}},
        "sites": {"shop": {"stock": {"x": {"source": "s"}}}},
        "demand": [{"at": "shop/x", "timing": "start_of_day", "per_day": 10}],
        "policies": {"p": {"default": {"base_stock": {"level": 30}}}},
        **fields,
    }
    return load_scenario(data)


def watch(s: Any, policy: str = "p") -> list[SimEvent]:
    seen: list[SimEvent] = []
    simulate(s, policy, 0, on_event=seen.append, check=True)
    return seen


def test_the_closure_day_by_day() -> None:
    events = watch(closure())
    day = {t: [(e.kind, e.quantity, e.on_hand, e.backorders) for e in events if e.time == t] for t in (10, 13, 17)}
    # day 10: the closure starts before the receipt (order of day 8) and the customer
    assert day[10] == [
        (EventKind.DISRUPTION_START, 1.0, 0.0, 0.0),
        (EventKind.RECEIPT, 10.0, 20.0, 0.0),
        (EventKind.DEMAND, 10.0, 10.0, 0.0),
        (EventKind.REVIEW, 0.0, 10.0, 0.0),
        (EventKind.ORDER, 10.0, 10.0, 0.0),
    ]
    # day 13: nothing lands, the customer goes short and waits; base stock orders for the unit owed
    assert day[13] == [
        (EventKind.DEMAND, 10.0, 0.0, 10.0),
        (EventKind.STOCKOUT, 10.0, 0.0, 10.0),
        (EventKind.REVIEW, 0.0, 0.0, 10.0),
        (EventKind.ORDER, 10.0, 0.0, 10.0),
    ]
    # day 17: the six orders of days 10-15 land (they waited for the supplier), the 40 waiting are served
    receipts = [e for e in events if e.kind == EventKind.RECEIPT and e.time == 17]
    assert [e.quantity for e in receipts] == [10.0] * 6 and receipts[-1].on_hand == 20.0
    assert receipts[-1].backorders == 0.0
    starts = [e for e in events if e.kind in (EventKind.DISRUPTION_START, EventKind.DISRUPTION_END)]
    assert [(e.kind, e.time, e.where, e.detail) for e in starts] == [
        (EventKind.DISRUPTION_START, 10.0, "s", "s.disruptions.0"),
        (EventKind.DISRUPTION_END, 15.0, "s", "s.disruptions.0"),
    ]
    assert all(e.detail == "s" for e in events if e.kind == EventKind.ORDER)
    assert [e.time for e in events] == sorted(e.time for e in events)


def test_watching_changes_nothing() -> None:
    s = closure(horizon=60)
    watched, plain = simulate(s, "p", 3, on_event=lambda e: None).summary, simulate(s, "p", 3).summary
    assert repr(watched) == repr(plain)  # exact floats, and NaN (profit without prices) equal to NaN


def test_orders_to_the_backup_and_line_batches_are_reported() -> None:
    data: dict[str, Any] = {
        "name": "plant",
        "horizon": 12,
        "items": {"part": {"unit_cost": 1.0, "shelf_life": 3}, "kit": {"unit_cost": 2.0}},
        "suppliers": {
            "s": {"supplies": ["part"], "lead_time": 2, "disruptions": [{"start": 4, "duration": 2}]},
            "b": {"supplies": ["part"], "lead_time": 1},
        },
        "sites": {
            "plant": {
                "stock": {"part": {"source": "s", "backup": "b"}, "kit": {"source": "line"}},
                "lines": {"line": {"makes": "kit", "bom": {"part": 2}, "rate": 40}},
            }
        },
        "demand": [{"at": "plant/kit", "timing": "start_of_day", "per_day": 5}],
        "policies": {"p": {"default": {"base_stock": {"level": 20}}}},
    }
    events = watch(load_scenario(data))
    orders = {(e.time, e.detail) for e in events if e.kind == EventKind.ORDER and e.where == "plant/part"}
    assert {d for t, d in orders if 4 <= t < 6} == {"b"} and {d for t, d in orders if t < 4 or t >= 6} == {"s"}
    starts = [e for e in events if e.kind == EventKind.LINE_START]
    stops = [e for e in events if e.kind == EventKind.LINE_STOP]
    assert starts and len(stops) <= len(starts) and all(e.where == "plant/line" for e in starts + stops)
    assert all(e.detail == "plant/kit" for e in starts)
    internal = [e for e in events if e.kind == EventKind.DEMAND and e.where == "plant/part"]
    assert internal and all(e.detail == "internal" for e in internal)


def test_expiry_is_reported() -> None:
    """30 units on hand with a shelf life of 5 days and no demand: they expire on day 5."""
    s = closure(
        items={"x": {"unit_cost": 1.0, "shelf_life": 5}},
        sites={"shop": {"stock": {"x": {"source": "s", "initial": 30}}}},
        demand=[
            {
                "at": "shop/x",
                "timing": "start_of_day",
                "per_day": 10,
                "shocks": [{"start": 0, "duration": 20, "factor": 0}],
            }
        ],
        policies={"p": {"default": {"make_to_order": {}}}},
    )
    expired = [(e.time, e.quantity, e.on_hand) for e in watch(s) if e.kind == EventKind.EXPIRED]
    assert expired == [(5.0, 30.0, 0.0)]


@pytest.mark.parametrize("kind, capped", [("kanban", True), ("base_stock", False)])
def test_kanban_cards_never_exceed_n_through_a_long_closure(kind: str, capped: bool) -> None:
    """A 60-day closure with customers waiting (backorders pile up). After every event, on hand +
    on order is the units of the kanban loop's containers: never above N·c = 5 × 20. Base stock at
    the same level 100 keeps its *position* at 100, so it orders for every unit owed and holds far
    more than 100 in the pipeline by the time the port reopens."""
    policy = {"kanban": {"containers": 5, "container_size": 20}} if kind == "kanban" else {"base_stock": {"level": 100}}
    s = closure(
        horizon=150,
        suppliers={"s": {"supplies": ["x"], "lead_time": 4, "disruptions": [{"start": 30, "duration": 60}]}},
        demand=[{"at": "shop/x", "per_day": {"poisson": 10}}],
        policies={"p": {"default": policy}},
    )
    held = [e.on_hand + e.on_order for e in watch(s) if e.where == "shop/x"]
    waiting = max(e.backorders for e in watch(s) if e.where == "shop/x")
    assert waiting > 300  # customers did wait, a lot
    if capped:
        assert max(held) <= 100.0 + 1e-9
    else:
        assert max(held) > 500.0
