"""Faithful flows on the supply side, worked by hand on tiny deterministic networks and read from
the event trace (``simulate(..., on_event=...)``): a supplier's capacity waits out and slows with
its outages for the work already queued; a backup takes what it can make, when the need is real,
and gives back what it has not started when the source returns; rush orders watch the stock that
is physically there and go to a source that can ship."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from simjit import EventKind, Scenario, SimEvent, load_scenario, simulate

Data = dict[str, Any]
ROOT = Path(__file__).resolve().parents[1]


def scenario(**fields: Any) -> Scenario:
    """One item ``x`` (unit cost 2) at ``shop``, bought from ``s``; ``fields`` override."""
    data: Data = {
        "name": "flows",
        "horizon": 30,
        "items": {"x": {"unit_cost": 2.0}},
        "costs": {"holding_cost": 0.0},
        "suppliers": {"s": {"supplies": ["x"], "lead_time": 0}},
        "sites": {"shop": {"stock": {"x": {"source": "s", "initial": 0}}}},
        "demand": [{"at": "shop/x", "timing": "start_of_day", "per_day": 10}],
        "policies": {"p": {"default": {"make_to_order": {}}}},
    }
    data.update(fields)
    return load_scenario(data)


def trace(s: Scenario, rep: int = 0) -> tuple[list[SimEvent], dict[str, float]]:
    """The events of one replication (units checked at every event) and its summary."""
    events: list[SimEvent] = []
    res = simulate(s, "p", rep, check=True, on_event=events.append)
    return events, res.summary


def of(events: list[SimEvent], kind: EventKind) -> list[tuple[float, float, str]]:
    """``(time, quantity, detail)`` of every event of ``kind`` at the shop."""
    return [(e.time, e.quantity, e.detail) for e in events if e.kind == kind and e.where == "shop/x"]


def on_day(qty: float, day: int, horizon: int = 100) -> Data:
    """Customer demand of ``qty`` on ``day`` only."""
    shocks = [{"start": day + 1, "duration": horizon, "factor": 0}]
    if day > 0:
        shocks.append({"start": 0, "duration": day, "factor": 0})
    return {"at": "shop/x", "timing": "start_of_day", "per_day": qty, "shocks": shocks}


# -- a supplier's capacity through its outages ----------------------------------------------------


@pytest.mark.parametrize(
    "outage, lands",
    [
        ({"start": 2, "duration": 6}, 16.0),  # 20 made on [0, 2), closed on [2, 8), 80 more on [8, 16)
        ({"start": 0, "duration": 1, "severity": 0.5}, 10.5),  # 5 made on [0, 1), 95 on [1, 10.5)
    ],
    ids=["closed", "half-capacity"],
)
def test_the_lot_being_made_waits_out_and_slows_with_an_outage(outage: Data, lands: float) -> None:
    """A lot of 100 from a supplier making 10 a day (lead time 0), ordered on day 0: it advances only
    while the supplier works, at what the outage leaves of its capacity — as a production line does."""
    s = scenario(
        suppliers={"s": {"supplies": ["x"], "lead_time": 0, "capacity": 10, "disruptions": [outage]}},
        demand=[on_day(100, 0)],
    )
    events, _ = trace(s)
    assert [(t, q) for t, q, _ in of(events, EventKind.ORDER)] == [(0.0, 100.0)]
    assert [(t, q) for t, q, _ in of(events, EventKind.RECEIPT)] == [(lands, 100.0)]


@pytest.mark.parametrize(
    "outages, lands",
    [
        ([], [5.0, 7.0]),  # 30 made on [0, 3), 20 on [3, 5); lead time 2
        ([{"start": 2, "duration": 3}], [8.0, 10.0]),  # 20 + 10 made by 6, then 20 by 8
        ([{"start": 2, "duration": 3}, {"start": 6, "duration": 1, "severity": 0.5}], [8.0, 10.5]),
    ],
    ids=["open", "closed-2-5", "closed-then-half"],
)
def test_orders_queued_through_an_outage_keep_their_turn_and_their_timing(
    outages: list[Data], lands: list[float]
) -> None:
    """30 ordered on day 0 and 20 on day 1 from a supplier making 10 a day (lead time 2). Closed on
    [2, 5): the first lot has 20 made and finishes at 6 (lands 8); the second is made on [6, 8)
    (lands 10). Half capacity on [6, 7) as well: 5 of the second made that day, 15 more by 8.5."""
    s = scenario(
        suppliers={"s": {"supplies": ["x"], "lead_time": 2, "capacity": 10, "disruptions": outages}},
        demand=[on_day(30, 0), on_day(20, 1)],
    )
    events, _ = trace(s)
    assert [(t, q) for t, q, _ in of(events, EventKind.ORDER)] == [(0.0, 30.0), (1.0, 20.0)]
    assert [(t, q) for t, q, _ in of(events, EventKind.RECEIPT)] == [(lands[0], 30.0), (lands[1], 20.0)]


# -- the backup: what it takes, when, and what it gives back --------------------------------------


def backup_case(rule: Any, primary_down: float = 3, **fields: Any) -> Scenario:
    """The source ``s`` (lead time 5) is closed on [0, ``primary_down``); the backup ``b`` makes 10 a
    day (lead time 1, 50% dearer). Customers want 30 on each of days 0, 1 and 2 (make to order)."""
    base: Data = {
        "suppliers": {
            "s": {"supplies": ["x"], "lead_time": 5, "disruptions": [{"start": 0, "duration": primary_down}]},
            "b": {"supplies": ["x"], "lead_time": 1, "capacity": 10, "price_premium": 0.5},
        },
        "sites": {"shop": {"stock": {"x": {"source": "s", "backup": rule, "initial": 0}}}},
        "demand": [
            {
                "at": "shop/x",
                "timing": "start_of_day",
                "per_day": 30,
                "shocks": [{"start": 3, "duration": 100, "factor": 0}],
            }
        ],
    }
    base.update(fields)
    return scenario(**base)


def test_the_backup_takes_what_it_can_make_and_gives_back_what_it_has_not_started() -> None:
    """The window is 5 days (the longer lead time): the backup takes what it makes in 5 days (50)
    after what it holds. Day 0: 30 of 30 (50 free); day 1: 30 of 30 (20 of the first still to
    make); day 2: 10 (40 to make), the other 20 wait at the closed source. It ships each midnight
    what it made that day: 10 landing on days 2, 3, 4. The source reopens at 3 as the first lot is
    finished: the lots of days 1 and 2, not started, move back to it (re-priced at 2 instead of 3)
    and land at 8 with the 20 it held."""
    events, summary = trace(backup_case("b"))
    orders = of(events, EventKind.ORDER)
    assert orders == [
        (0.0, 30.0, "b"),
        (1.0, 30.0, "b"),
        (2.0, 10.0, "b"),
        (2.0, 20.0, "s"),
        (3.0, 30.0, "s (moved from b)"),
        (3.0, 10.0, "s (moved from b)"),
    ]
    assert [(t, q) for t, q, _ in of(events, EventKind.RECEIPT)] == [
        (2.0, 10.0), (3.0, 10.0), (4.0, 10.0), (8.0, 20.0), (8.0, 30.0), (8.0, 10.0),
    ]  # fmt: skip
    assert summary["backup_units"] == 30.0
    assert summary["purchase_cost"] == pytest.approx(30 * 3.0 + 60 * 2.0)
    assert summary["orders_placed"] == 4  # the moved lots are no new orders


def test_with_remainder_backup_the_backup_queues_the_whole_order() -> None:
    """``remainder: backup`` and a source closed for good: the 90 ordered all go to the backup, which
    ships 10 a day (what it makes), landing on days 2 to 10."""
    s = backup_case({"supplier": "b", "remainder": "backup"}, primary_down=100)
    events, summary = trace(s)
    assert {d for _, _, d in of(events, EventKind.ORDER)} == {"b"}
    assert [(t, q) for t, q, _ in of(events, EventKind.RECEIPT)] == [(float(t), 10.0) for t in range(2, 11)]
    assert summary["backup_units"] == 90.0


@pytest.mark.parametrize("replication", range(3))
def test_a_backup_never_ships_more_than_its_capacity_a_day(replication: int) -> None:
    """The source is closed all year; a base stock of 200 on Poisson demand of 25 a day buys from a
    backup that makes 30 a day, whatever it is asked (``remainder: backup``, defects replaced): on no
    day do the units landing (lead time 2, constant) exceed 30."""
    s = scenario(
        horizon=200,
        suppliers={
            "s": {"supplies": ["x"], "lead_time": 5, "disruptions": [{"start": 0, "duration": 1000}]},
            "b": {"supplies": ["x"], "lead_time": 2, "capacity": 30, "defect_rate": 0.05},
        },
        sites={"shop": {"stock": {"x": {"source": "s", "backup": {"supplier": "b", "remainder": "backup"}}}}},
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": {"poisson": 25}}],
        policies={"p": {"default": {"base_stock": {"level": 200}}}},
    )
    events, summary = trace(s, replication)
    landed: dict[int, float] = defaultdict(float)
    for t, q, _ in of(events, EventKind.RECEIPT):
        landed[int(t)] += q
    assert summary["backup_units"] > 25 * 150
    assert max(landed.values()) <= 30.0 + 1e-9
    assert max(landed.values()) > 29.0  # it runs at capacity: the cap binds


def test_a_stock_point_sitting_on_stock_buys_no_premium_units() -> None:
    """A base stock of 30 days of demand (300; lead time 5) through a closure on [10, 20): the stock
    there covers far more than the 5 days the source would take once back, so every order waits at
    the source; the same closure on a base stock of 6 days (60) does send orders to the backup."""

    def closure(level: float) -> Scenario:
        return scenario(
            suppliers={
                "s": {"supplies": ["x"], "lead_time": 5, "disruptions": [{"start": 10, "duration": 10}]},
                "b": {"supplies": ["x"], "lead_time": 1, "price_premium": 0.3},
            },
            sites={"shop": {"stock": {"x": {"source": "s", "backup": "b", "initial": level}}}},
            policies={"p": {"default": {"base_stock": {"level": level}}}},
        )

    _, plenty = trace(closure(300))
    _, lean = trace(closure(60))
    assert plenty["backup_units"] == 0.0 and plenty["fill_rate"] == 1.0
    assert lean["backup_units"] > 0


def test_cover_below_uses_the_backup_whenever_the_cover_runs_short() -> None:
    """The source is up all along (lead time 5, base stock 60: 10 on hand after each day's sale, 20
    landing within 2 days). On day 10 demand triples: 20 on hand, 10 owed, 20 landing by day 12 —
    a cover of 10 against 2 days of demand (20): that order (30) goes to the backup, and only it."""
    s = scenario(
        suppliers={
            "s": {"supplies": ["x"], "lead_time": 5},
            "b": {"supplies": ["x"], "lead_time": 1, "price_premium": 0.3},
        },
        sites={"shop": {"stock": {"x": {"source": "s", "backup": {"supplier": "b", "cover_below": 2}, "initial": 60}}}},
        demand=[
            {
                "at": "shop/x",
                "timing": "start_of_day",
                "per_day": 10,
                "shocks": [{"start": 10, "duration": 1, "factor": 3}],
            }
        ],
        policies={"p": {"default": {"base_stock": {"level": 60}}}},
    )
    events, summary = trace(s)
    assert [(t, q) for t, q, d in of(events, EventKind.ORDER) if d == "b"] == [(10.0, 30.0)]
    assert summary["backup_units"] == 30.0


# -- expediting on the stock that is there ------------------------------------------------------------


def rush_case(closed: bool) -> Scenario:
    """Base stock 60 on 10 a day from ``s`` (lead time 5): 10 on hand after each day's sale. A backup
    ``b`` far away (lead time 10); air freight (1 day, +50%) when the net stock falls below 5."""
    disruptions = [{"start": 10, "duration": 10}] if closed else []
    rush = {"below": 5, "lead_time": 1, "premium": 0.5}
    return scenario(
        suppliers={
            "s": {"supplies": ["x"], "lead_time": 5, "disruptions": disruptions},
            "b": {"supplies": ["x"], "lead_time": 10},
        },
        sites={"shop": {"stock": {"x": {"source": "s", "backup": "b", "initial": 60, "expedite": rush}}}},
        policies={"p": {"default": {"base_stock": {"level": 60}}}},
    )


def test_expediting_fires_in_a_closure_and_never_without_one() -> None:
    """Open all along, the net stock never falls below 10: no rush order. Closed on [10, 20): from
    day 10 the cover over 10 days (the backup's lead time) is short, so orders go to the backup and
    land 10 days later; the source's last orders land on day 14, and day 15's sale takes the last
    10: net stock 0 < 5, a rush of 5 from the backup (the source is closed) lands on 16. Each day
    to 19 the rush lands before the sale and 5 are still owed after it: a rush of 10. On day 20
    the backup's order of day 10 and the last rush land: net stock 5, no more rushing. The
    inventory position, which counts the orders on their way, never showed any of it."""
    events, summary = trace(rush_case(closed=False))
    assert summary["expedited_units"] == 0.0
    assert all("expedited" not in d for _, _, d in of(events, EventKind.ORDER))
    events, summary = trace(rush_case(closed=True))
    rushes = [(t, q, d) for t, q, d in of(events, EventKind.ORDER) if "expedited" in d]
    assert rushes == [(15.0, 5.0, "b (expedited)")] + [(float(t), 10.0, "b (expedited)") for t in range(16, 20)]
    assert summary["expedited_units"] == 45.0
    assert summary["expediting_cost"] == pytest.approx(45 * 2.0 * 0.5)
    # what the old rule watched, the inventory position, never fell below 50 at a review
    assert min(e.position for e in events if e.kind == EventKind.REVIEW and e.where == "shop/x") == 50.0


def port_closure_rushes(overrides: list[str], policy: str, replications: int) -> list[str]:
    """Where each rush order of the brake plant's pads placed while its port is closed went."""
    s = load_scenario(ROOT / "scenarios" / "brake_plant.yaml", overrides)
    went = []
    for rep in range(replications):
        events: list[SimEvent] = []
        simulate(s, policy, rep, on_event=events.append)
        port = [e.time for e in events if e.detail == "pads_asia.disruptions.0"]  # its start and its end
        went += [
            e.detail
            for e in events
            if e.kind == EventKind.ORDER and "expedited" in e.detail and port[0] <= e.time < port[1]
        ]
    return went


@pytest.mark.parametrize("policy", ["eoq", "hybrid"])
def test_the_brake_plant_flies_pads_in_from_the_backup_while_its_port_is_closed(policy: str) -> None:
    """In 4 replications, the policies whose pads run short rush some from the local backup while the
    port is closed (the position, which counted the orders held at the port, never let them); without
    the backup no rush order is placed in the closure: no supplier could ship it."""
    went = port_closure_rushes([], policy, 4)
    assert went and set(went) == {"pads_backup (expedited)"}
    assert port_closure_rushes(["sites.plant.stock.pad.backup=null"], policy, 4) == []
