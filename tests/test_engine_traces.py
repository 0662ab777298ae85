"""Event traces of the engine on tiny deterministic networks: what happens, when, in what order.

Each test builds a scenario where every number can be worked out by hand (constant lead times,
constant demand, windows at fixed days) and asserts on the ``(kind, stock point, time, qty)``
trace the engine plays, or on exact KPI values. The trace is what ``simulate(..., on_event=...)``
reports, the public way to watch a replication: receipts, customer demand, reviews, orders and
expiries at stock points, and each disrupted target going down or up.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import pytest

from simjit import EventKind, Scenario, SimEvent, load_scenario, simulate
from simjit.model import ReplicationResult

Data = dict[str, Any]

TRACED = {EventKind.RECEIPT, EventKind.DEMAND, EventKind.REVIEW, EventKind.ORDER, EventKind.EXPIRED}
"""Stock point events kept in a trace (stock-outs and line starts/stops are left out)."""


class Ev(NamedTuple):
    """One traced event: its kind, the stock point (or disrupted target), the time, a quantity, and
    where an order went (``detail``) and the stock point's state right after the event."""

    kind: str
    name: str
    time: float
    qty: float = 0.0
    detail: str = ""
    on_hand: float = 0.0
    backorders: float = 0.0


class Trace(list[Ev]):
    """The events of one replication, in the order the engine played them; call it with each event.

    Demand is customer demand only (a downstream site's or line's draw is not traced). A target
    goes ``down`` with its severity after the change, the worst of the disruptions hitting it
    (the rule of ``model/disruptions.py``), and ``up`` (severity 0) when the last one ends.
    """

    def __init__(self) -> None:
        super().__init__()
        self.active: dict[str, list[float]] = {}

    def __call__(self, e: SimEvent) -> None:
        if e.kind in (EventKind.DISRUPTION_START, EventKind.DISRUPTION_END):
            for target in e.where.split(","):
                active = self.active.setdefault(target, [])
                if e.kind == EventKind.DISRUPTION_START:
                    active.append(e.quantity)
                else:
                    active.remove(e.quantity)
                severity = max(active, default=0.0)
                self.append(Ev("down" if severity else "up", target, e.time, severity, e.detail))
        elif e.kind in TRACED and (e.kind != EventKind.DEMAND or e.detail == "customer"):
            self.append(Ev(e.kind.value, e.where, e.time, e.quantity, e.detail, e.on_hand, e.backorders))

    def at(self, kind: str, name: str) -> list[tuple[float, float]]:
        """``(time, qty)`` of every event of ``kind`` at ``name``."""
        return [(e.time, e.qty) for e in self if e.kind == kind and e.name == name]

    def times(self, kind: str, name: str) -> list[float]:
        return [t for t, _ in self.at(kind, name)]

    def on(self, time: float) -> list[tuple[str, str]]:
        """``(kind, name)`` of every event at ``time``, in order."""
        return [(e.kind, e.name) for e in self if e.time == time]

    def details(self, kind: str, name: str) -> list[str]:
        """``detail`` of every event of ``kind`` at ``name`` (for an order: where it went)."""
        return [e.detail for e in self if e.kind == kind and e.name == name]

    def state(self, kind: str, name: str) -> list[tuple[float, float, float]]:
        """``(time, on hand, backorders)`` right after every event of ``kind`` at ``name``."""
        return [(e.time, e.on_hand, e.backorders) for e in self if e.kind == kind and e.name == name]


@pytest.fixture
def trace() -> Trace:
    """An empty trace; pass it to :func:`run` to record the replication's events."""
    return Trace()


def scenario(**fields: Any) -> Scenario:
    """A validated scenario: one item ``x``, a supplier ``s``, a shop; ``fields`` override."""
    data: Data = {
        "name": "trace",
        "horizon": 20,
        "items": {"x": {"unit_cost": 2.0}},
        "costs": {"holding_cost": 0.0},
        "suppliers": {"s": {"supplies": ["x"], "lead_time": 5}},
        "sites": {"shop": {"stock": {"x": {"source": "s", "initial": 0}}}},
        "demand": [{"at": "shop/x", "timing": "start_of_day", "per_day": 10}],
        "policies": {"p": {"default": {"make_to_order": {}}}},
    }
    data.update(fields)
    return load_scenario(data)


def run(s: Scenario, trace: Trace | None = None, policy: str = "p", rep: int = 0) -> ReplicationResult:
    """Simulate with conservation checked at every event and the daily series kept; ``trace``
    records the events."""
    return simulate(s, policy, rep, check=True, series=True, on_event=trace)


def once(qty: float, days: int) -> Data:
    """Customer demand of ``qty`` on day ``days - 1`` only (shocks with factor 0 before)."""
    return {
        "at": "shop/x",
        "timing": "start_of_day",
        "per_day": qty,
        "shocks": [{"start": 0, "duration": days - 1, "factor": 0}],
    }


def day_zero(qty: float, horizon: int) -> Data:
    """Customer demand of ``qty`` on day 0 only."""
    return {
        "at": "shop/x",
        "timing": "start_of_day",
        "per_day": qty,
        "shocks": [{"start": 1, "duration": horizon, "factor": 0}],
    }


ONE_REVIEW = {"order_up_to": {"level": 10, "review_period": 1000}}
"""A periodic policy reviewing only at day 0 (the next review is past any horizon here)."""


# -- same-instant order: disruption < receipt < demand < review < snapshot ----------------------


def test_receipt_lands_before_same_day_demand(trace: Trace) -> None:
    """An order placed at day 0 with lead time 5 is on hand for the customer arriving on day 5."""
    s = scenario(
        horizon=6,
        demand=[{**once(10, 6), "on_stockout": "lost"}],
        policies={"p": {"default": ONE_REVIEW}},
    )
    res = run(s, trace)
    assert trace.at("order", "shop/x") == [(0.0, 10.0)]
    assert trace.at("receipt", "shop/x") == [(5.0, 10.0)]
    assert trace.at("demand", "shop/x") == [(5.0, 10.0)]
    assert trace.on(5.0)[:2] == [("receipt", "shop/x"), ("demand", "shop/x")]
    assert res.summary["fill_rate"] == 1.0
    assert res.summary["lost_sales"] == 0.0
    rows = {row["time"]: row for row in res.series}
    assert rows[4.0]["on_hand"] == 0.0 and rows[4.0]["on_order"] == 10.0
    assert rows[5.0]["on_hand"] == 0.0 and rows[5.0]["on_order"] == 0.0


def test_periodic_review_sees_the_days_demand(trace: Trace) -> None:
    """An (R, S) review at day t orders what was taken up to and including day t's demand."""
    s = scenario(
        horizon=11,
        suppliers={"s": {"supplies": ["x"], "lead_time": 50}},
        sites={"shop": {"stock": {"x": {"source": "s", "initial": 100}}}},
        policies={"p": {"default": {"order_up_to": {"level": 100, "review_period": 5}}}},
    )
    res = run(s, trace)
    # Day 0: 10 taken → order 10. Day 5: 60 taken, 10 on order → 50. Day 10: 110 taken, 60 on order → 50.
    assert trace.at("order", "shop/x") == [(0.0, 10.0), (5.0, 50.0), (10.0, 50.0)]
    assert trace.times("review", "shop/x") == [0.0, 5.0, 10.0]
    for day in (0.0, 5.0, 10.0):
        assert trace.on(day).index(("demand", "shop/x")) < trace.on(day).index(("review", "shop/x"))
    rows = {row["time"]: row for row in res.series}
    assert rows[10.0]["inventory_position"] == 100.0
    assert rows[10.0]["backorders"] == 10.0


def test_disruption_starts_before_same_instant_receipt(trace: Trace) -> None:
    """A lane going down at day 3 holds the shipment an upstream receipt at day 3 releases.

    The shop's customer is backordered at day 0; the shop orders from the plant (empty), which
    orders from the supplier (lead time 3). The plant's receipt at day 3 ships at once — but the
    lane is down from day 3 to 7, so the units leave at 7 and land after 2 days of transit.
    """
    s = scenario(
        horizon=12,
        suppliers={"s": {"supplies": ["x"], "lead_time": 3}},
        sites={
            "plant": {"stock": {"x": {"source": "s", "initial": 0}}},
            "shop": {
                "stock": {
                    "x": {"source": "plant", "transit": 2, "initial": 0, "disruptions": [{"start": 3, "duration": 4}]}
                }
            },
        },
        demand=[day_zero(10, 12)],
    )
    res = run(s, trace)
    assert trace.at("receipt", "plant/x") == [(3.0, 10.0)]
    assert trace.at("receipt", "shop/x") == [(9.0, 10.0)]
    assert trace.at("down", "shop/x") == [(3.0, 1.0)]
    assert trace.at("up", "shop/x") == [(7.0, 0.0)]
    # the receipt goes at once to the shop's waiting order, so the plant reviews (a kanban card
    # would return); its base-stock-like default orders nothing more
    assert trace.on(3.0) == [("down", "shop/x"), ("receipt", "plant/x"), ("review", "plant/x")]
    assert trace.at("order", "plant/x") == [(0.0, 10.0)]
    assert res.summary["shop/x.avg_customer_wait"] == 9.0


# -- supplier disruptions -------------------------------------------------------------------------


@pytest.mark.parametrize("severity", [1.0, 0.5])
def test_supplier_window_holds_orders(trace: Trace, severity: float) -> None:
    """Orders placed in [10, 15) wait for the window to end, then travel the lead time: all land at 17.

    Without a capacity limit any severity stops the supplier entirely.
    """
    s = scenario(
        horizon=25,
        suppliers={
            "s": {
                "supplies": ["x"],
                "lead_time": 2,
                "disruptions": [{"start": 10, "duration": 5, "severity": severity}],
            }
        },
        sites={"shop": {"stock": {"x": {"source": "s", "initial": 30}}}},
        policies={"p": {"default": {"base_stock": {"level": 30}}}},
    )
    res = run(s, trace)
    orders = trace.at("order", "shop/x")
    assert orders == [(float(t), 10.0) for t in range(25)]
    receipts = trace.at("receipt", "shop/x")
    expected = [(float(t), 10.0) for t in range(2, 12)]  # orders of days 0-9
    expected += [(17.0, 10.0)] * 5  # orders of days 10-14, held
    expected += [(float(t), 10.0) for t in range(17, 25)]  # orders of days 15-22
    assert sorted(receipts) == sorted(expected)
    assert all(t >= 17.0 for t, _ in receipts[10:])
    assert trace.at("down", "s") == [(10.0, severity)]
    assert trace.at("up", "s") == [(15.0, 0.0)]
    # one outage, the event the resilience KPIs measure: its window in the result, its severity above
    assert [(r["event"], r["start"], r["end"]) for r in res.disruptions] == [("s.disruptions.0", 10.0, 15.0)]
    assert trace.details("down", "s") == ["s.disruptions.0"]


def test_backup_supplier_takes_orders_during_outage(trace: Trace) -> None:
    """While the primary is down [10, 15), orders go to the backup (lead time 1, 30% dearer) once the
    need is real: the cover (on hand − backorders + units shipped landing within 2 days, the
    primary's lead time) is short of 2 days of demand (20). On day 10, 10 on hand + 10 landing on
    day 11 cover 20: that order waits at the primary (lands at 15 + 2). From day 11 nothing shipped
    is due and 10 < 20: the orders of days 11-14 go to the backup."""
    s = scenario(
        horizon=25,
        suppliers={
            "s": {"supplies": ["x"], "lead_time": 2, "disruptions": [{"start": 10, "duration": 5}]},
            "b": {"supplies": ["x"], "lead_time": 1, "price_premium": 0.3},
        },
        sites={"shop": {"stock": {"x": {"source": "s", "backup": "b", "initial": 30}}}},
        policies={"p": {"default": {"base_stock": {"level": 30}}}},
    )
    res = run(s, trace)
    assert trace.details("order", "shop/x") == ["s"] * 11 + ["b"] * 4 + ["s"] * 10
    receipts = sorted(trace.at("receipt", "shop/x"))
    expected = [(float(t), 10.0) for t in range(2, 12)]  # primary, orders of days 0-9
    expected += [(17.0, 10.0)]  # primary, the order of day 10, held by the outage
    expected += [(float(t), 10.0) for t in range(12, 16)]  # backup, orders of days 11-14
    expected += [(float(t), 10.0) for t in range(17, 25)]  # primary again from day 15
    assert receipts == sorted(expected)
    # 21 primary orders of 10 at 2.0 and 4 backup orders at 2.6.
    assert res.summary["purchase_cost"] == pytest.approx(21 * 10 * 2.0 + 4 * 10 * 2.6)
    # day 16 lands nothing, and its 10 are the last on hand: every customer is served
    assert trace.state("demand", "shop/x")[16] == (16.0, 0.0, 0.0)
    assert res.summary["fill_rate"] == 1.0


# -- production lines -----------------------------------------------------------------------------


def plant(line: Data, part_lead_time: float = 1, part_initial: float = 0, **fields: Any) -> Scenario:
    """A plant making ``widget`` from 2 ``part`` each on line ``assembly`` (5 a day)."""
    base: Data = {
        "horizon": 30,
        "items": {"part": {"unit_cost": 1.0}, "widget": {"unit_cost": 5.0}},
        "suppliers": {"s": {"supplies": ["part"], "lead_time": part_lead_time}},
        "sites": {
            "plant": {
                "stock": {
                    "part": {"source": "s", "initial": part_initial},
                    "widget": {"source": "assembly", "initial": 0},
                },
                "lines": {"assembly": {"makes": "widget", "bom": {"part": 2}, "rate": 5, **line}},
            }
        },
        "demand": [{"at": "plant/widget", "timing": "start_of_day", "per_day": 0}],
        "policies": {
            "p": {
                "default": {"make_to_order": {}},
                "overrides": {"plant/widget": ONE_REVIEW},
            }
        },
    }
    base.update(fields)
    return scenario(**base)


def test_starved_line_waits_for_components(trace: Trace) -> None:
    """No parts on hand: the line waits 10 days for them (line_starved_days), then makes 10 in 2 days."""
    res = run(plant({}, part_lead_time=10), trace)
    assert trace.at("order", "plant/widget") == [(0.0, 10.0)]
    assert trace.at("order", "plant/part") == [(0.0, 20.0)]
    assert trace.at("receipt", "plant/part") == [(10.0, 20.0)]
    assert trace.at("receipt", "plant/widget") == [(12.0, 10.0)]
    assert res.summary["plant/widget.line_starved_days"] == 10.0
    assert res.summary["line_starved_days"] == 10.0
    # all 20 landed went at once to the line waiting for them (consumed): none left, none owed
    assert trace.state("receipt", "plant/part") == [(10.0, 0.0, 0.0)]


def test_partly_kitted_line_waits_for_the_rest(trace: Trace) -> None:
    """With parts for 3 of 10 widgets, the line still waits for the whole kit before it runs."""
    res = run(plant({}, part_lead_time=4, part_initial=6), trace)
    assert trace.at("order", "plant/part") == [(0.0, 14.0)]
    assert trace.at("receipt", "plant/widget") == [(6.0, 10.0)]
    assert res.summary["plant/widget.line_starved_days"] == 4.0


def test_queued_orders_claim_their_parts_when_released(trace: Trace) -> None:
    """Day 0's demand of 20 meets a 2 × 10 kanban loop that starts empty: its two cards go out as
    two production orders, released at once, which claim their parts at once (MRP allocation).
    Both kits land on day 10 and the line makes a batch every 2 days; claiming parts only when a batch starts would idle the line 10 days before
    the second batch. The customers waiting send no cards (nothing was consumed for them): each
    batch goes to them on landing, and that consumption returns its card (days 12 and 14)."""
    kanban = {"kanban": {"containers": 2, "container_size": 10}}
    policies = {"p": {"default": {"make_to_order": {}}, "overrides": {"plant/widget": kanban}}}
    demand = [{**day_zero(20, 30), "at": "plant/widget"}]
    res = run(plant({}, part_lead_time=10, policies=policies, demand=demand), trace)
    assert trace.at("order", "plant/widget") == [(0.0, 10.0), (0.0, 10.0), (12.0, 10.0), (14.0, 10.0)]
    assert trace.at("order", "plant/part") == [(0.0, 20.0), (0.0, 20.0), (12.0, 20.0), (14.0, 20.0)]
    assert trace.at("receipt", "plant/widget") == [(12.0, 10.0), (14.0, 10.0), (24.0, 10.0), (26.0, 10.0)]
    # starved while the first kit was missing (days 0-10) and the third (released 12, lands 22;
    # the line is free from 14): 10 + 8
    assert res.summary["plant/widget.line_starved_days"] == 10.0 + 8.0


BREAKDOWN = {"start": 1, "duration": 3}


@pytest.mark.parametrize(
    "line, events",
    [
        ({"disruptions": [BREAKDOWN]}, []),
        ({"breakdowns": BREAKDOWN}, []),
        ({}, [{"name": "flood", "hits": ["plant/assembly"], **BREAKDOWN}]),
    ],
    ids=["line-disruptions", "breakdowns", "event"],
)
def test_breakdown_delays_the_batch_by_its_length(trace: Trace, line: Data, events: list[Data]) -> None:
    """A batch due at day 2 (10 at 5 a day) is down from day 1 to 4: it completes at 5."""
    res = run(plant(line, part_initial=20, events=events), trace)
    assert trace.at("receipt", "plant/widget") == [(5.0, 10.0)]
    assert trace.at("down", "plant/assembly") == [(1.0, 1.0)]
    assert trace.at("up", "plant/assembly") == [(4.0, 0.0)]
    assert res.summary["plant/widget.line_starved_days"] == 0.0


def test_partial_breakdown_slows_the_line(trace: Trace) -> None:
    """Half the capacity lost on [1, 3): 5 made on day 0, 2 × 2.5 on days 1-2, done at 3."""
    run(plant({"disruptions": [{"start": 1, "duration": 2, "severity": 0.5}]}, part_initial=20), trace)
    assert trace.at("receipt", "plant/widget") == [(3.0, 10.0)]


def test_breakdown_starting_as_the_batch_completes(trace: Trace) -> None:
    """The batch due at day 2 is finished when a breakdown starts at day 2: it lands on day 2.

    Disruptions run before receipts at one instant (``model/priorities.py``), so the line sees the
    breakdown first, but all 10 units were made on days 0-2: the breakdown stops no work, and the
    batch's completion, a receipt at the same instant, still lands. Day 5 (after the repair) would
    mean the line lost track of a finished batch and waited out a breakdown it did not need to.
    """
    run(plant({"disruptions": [{"start": 2, "duration": 3}]}, part_initial=20), trace)
    assert trace.at("receipt", "plant/widget") == [(2.0, 10.0)]
    assert trace.on(2.0) == [("down", "plant/assembly"), ("receipt", "plant/widget")]
    assert trace.at("up", "plant/assembly") == [(5.0, 0.0)]


# -- perishables, patience, lanes -----------------------------------------------------------------


def test_perishables_expire_shelf_life_after_receipt(trace: Trace) -> None:
    """Lots expire exactly 4 days after they land (before that day's demand), oldest used first.

    Initial 50 (expires day 4) and 60 received on day 2 (ordered up to 100 after day 0's demand;
    expires day 6); 10 a day are taken FIFO: 10 of the first lot expire on day 4, 40 of the
    second on day 6; the demand of days 6-7 is lost.
    """
    s = scenario(
        horizon=8,
        items={"x": {"unit_cost": 2.0, "shelf_life": 4}},
        suppliers={"s": {"supplies": ["x"], "lead_time": 2}},
        sites={"shop": {"stock": {"x": {"source": "s", "initial": 50}}}},
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": 10, "on_stockout": "lost"}],
        policies={"p": {"default": {"order_up_to": {"level": 100, "review_period": 1000}}}},
    )
    res = run(s, trace)
    assert trace.at("receipt", "shop/x") == [(2.0, 60.0)]
    expired = [(t, q) for t, q in trace.at("expired", "shop/x") if q > 0]
    assert expired == [(4.0, 10.0), (6.0, 40.0)]
    assert trace.on(4.0)[:2] == [("expired", "shop/x"), ("demand", "shop/x")]
    assert res.summary["spoilage_cost"] == 50 * 2.0
    assert res.summary["shop/x.spoilage_cost"] == 50 * 2.0
    assert res.summary["lost_sales"] == 20.0
    on_hand = {row["time"]: row["on_hand"] for row in res.series}
    assert [on_hand[float(t)] for t in range(8)] == [40.0, 30.0, 80.0, 70.0, 50.0, 40.0, 0.0, 0.0]


def test_wait_up_to_loses_the_rest_after_the_patience(trace: Trace) -> None:
    """A customer wanting 10 waits at most 1.5 days: 4 arrive on day 1 (yield 40%), the other 6 are lost."""
    s = scenario(
        horizon=4,
        costs={"holding_cost": 0.0, "backorder_cost": 1.0, "lost_sale_cost": 5.0},
        suppliers={"s": {"supplies": ["x"], "lead_time": 1, "yield": 0.4}},
        demand=[{**day_zero(10, 4), "on_stockout": {"wait_up_to": 1.5}}],
    )
    res = run(s, trace)
    assert trace.at("order", "shop/x") == [(0.0, 10.0), (1.0, 6.0)]
    # whole-unit orders ship whole units: 40% of 6 is 2.4, rounded up with probability 0.4
    (first, second) = trace.at("receipt", "shop/x")
    assert first == (1.0, 4.0) and second[0] == 2.0 and second[1] in (2.0, 3.0)
    # the 4 landed on day 1 went to the waiting customer (served late): 10 owed before, 6 after
    assert trace.state("demand", "shop/x") == [(0.0, 0.0, 10.0)]
    assert trace.state("receipt", "shop/x")[0] == (1.0, 0.0, 6.0)
    assert res.summary["lost_sales"] == pytest.approx(6.0)
    assert res.summary["fill_rate"] == 0.0
    assert res.summary["avg_customer_wait"] == pytest.approx(1.0)
    # Backorders: 10 on [0, 1), 6 on [1, 1.5); then 6 lost.
    assert res.summary["shortage_cost"] == pytest.approx(1.0 * (10 + 3) + 5.0 * 6)
    # the late part of the 6 lands after the customer left: kept on hand, nobody owed
    assert trace.state("receipt", "shop/x")[1] == (2.0, second[1], 0.0)


def test_lane_transit_and_upstream_shortage(trace: Trace) -> None:
    """The plant ships what it has at once (5) and the rest when its own order lands (day 4);
    each part reaches the shop exactly 3 days after it leaves."""
    s = scenario(
        horizon=10,
        suppliers={"s": {"supplies": ["x"], "lead_time": 4}},
        sites={
            "plant": {"stock": {"x": {"source": "s", "initial": 5}}},
            "shop": {"stock": {"x": {"source": "plant", "transit": 3, "initial": 0}}},
        },
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": 0}],
        policies={
            "p": {
                "default": {"make_to_order": {}},
                "overrides": {"shop/x": {"order_up_to": {"level": 20, "review_period": 1000}}},
            }
        },
    )
    res = run(s, trace)
    assert trace.at("order", "shop/x") == [(0.0, 20.0)]
    assert trace.at("order", "plant/x") == [(0.0, 15.0)]
    assert trace.at("receipt", "plant/x") == [(4.0, 15.0)]
    assert trace.at("receipt", "shop/x") == [(3.0, 5.0), (7.0, 15.0)]
    assert res.summary["plant/x.fill_rate"] == 0.25  # 5 of 20 units shipped on request


NEVER = {"r_Q": {"reorder_point": -1000, "order_quantity": 1}}
"""A continuous-review policy that never orders (the stock point still reviews after every change)."""


# -- exact accounting -----------------------------------------------------------------------------


@pytest.mark.parametrize("warmup, expected", [(0, 45.0), (2, 35.0)])
def test_time_averages_are_exact_integrals(warmup: float, expected: float) -> None:
    """100 on hand, 10 taken each morning, never replenished: on hand is 90 − 10k on [k, k + 1),
    so the shelf is empty on [9, 10) only."""
    s = scenario(
        horizon=10,
        warmup=warmup,
        sites={"shop": {"stock": {"x": {"source": "s", "initial": 100}}}},
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": 10, "on_stockout": "lost"}],
        policies={"p": {"default": {"order_up_to": {"level": 0, "review_period": 1000}}}},
    )
    res = run(s)
    assert res.summary["avg_on_hand"] == pytest.approx(expected)
    assert res.summary["avg_on_hand_value"] == pytest.approx(2.0 * expected)
    assert res.summary["lost_sales"] == 0.0
    assert res.summary["days_empty"] == 1.0  # nothing on hand on [9, 10)
    assert res.summary["days_short"] == 0.0  # nobody asked while it was empty


def test_capacity_queues_orders(trace: Trace) -> None:
    """10 a day of capacity: an order of 30 at day 0 leaves at day 3; the next 20 leave at 5."""
    s = scenario(
        horizon=12,
        suppliers={"s": {"supplies": ["x"], "lead_time": 2, "capacity": 10}},
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": 30, "shocks": [{"start": 1, "duration": 20, "factor": 0}]},
                {"at": "shop/x", "timing": "start_of_day", "per_day": 20, "shocks": [{"start": 0, "duration": 1, "factor": 0},
                                                             {"start": 2, "duration": 20, "factor": 0}]}],
    )  # fmt: skip
    run(s, trace)
    assert trace.at("order", "shop/x") == [(0.0, 30.0), (1.0, 20.0)]
    assert trace.at("receipt", "shop/x") == [(5.0, 30.0), (7.0, 20.0)]


def test_partial_disruption_slows_a_capacitated_supplier(trace: Trace) -> None:
    """Capacity 10 a day, half of it lost from day 0: an order of 30 leaves at day 6, lands at 8."""
    s = scenario(
        horizon=12,
        suppliers={
            "s": {
                "supplies": ["x"], "lead_time": 2, "capacity": 10,
                "disruptions": [{"start": 0, "duration": 100, "severity": 0.5}],
            }
        },
        demand=[day_zero(30, 12)],
    )  # fmt: skip
    run(s, trace)
    assert trace.at("down", "s") == [(0.0, 0.5)]
    assert trace.at("order", "shop/x") == [(0.0, 30.0)]
    assert trace.at("receipt", "shop/x") == [(8.0, 30.0)]


def test_late_orders_add_the_delay_and_min_order_rounds_up(trace: Trace) -> None:
    """Never on time (delay 2) and a minimum order of 25: 10 ordered becomes 25, landing at 5 + 2."""
    s = scenario(
        horizon=10,
        suppliers={"s": {"supplies": ["x"], "lead_time": 5, "on_time": 0.0, "delay": 2, "min_order": 25}},
        demand=[day_zero(10, 10)],
    )
    res = run(s, trace)
    assert trace.at("receipt", "shop/x") == [(7.0, 25.0)]
    assert trace.state("receipt", "shop/x") == [(7.0, 15.0, 0.0)]  # 10 to the waiting customer, 15 left
    assert res.summary["purchase_cost"] == 25 * 2.0


def test_expedite_when_position_falls_below_threshold(trace: Trace) -> None:
    """Position 30 − 10 a day: below 15 on day 1, an expedited order up to 15 lands a day later;
    from then on each day's demand takes it to 5 and 10 more are expedited (never two at once)."""
    s = scenario(
        horizon=6,
        suppliers={"s": {"supplies": ["x"], "lead_time": 50}},
        sites={"shop": {"stock": {"x": {"source": "s", "initial": 30, "expedite": {"below": 15, "lead_time": 1, "premium": 0.5}}}}},
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": 10, "on_stockout": "lost"}],
        policies={"p": {"default": NEVER}},
    )  # fmt: skip
    res = run(s, trace)
    assert trace.at("order", "shop/x") == [(1.0, 5.0), (2.0, 10.0), (3.0, 10.0), (4.0, 10.0), (5.0, 10.0)]
    assert trace.at("receipt", "shop/x") == [(2.0, 5.0), (3.0, 10.0), (4.0, 10.0), (5.0, 10.0)]
    assert trace.details("order", "shop/x") == ["s (expedited)"] * 5
    assert res.summary["purchase_cost"] == pytest.approx(45 * 2.0)
    assert res.summary["expediting_cost"] == pytest.approx(45 * 2.0 * 0.5)
    assert res.summary["lost_sales"] == 0.0


def test_expedite_quantity_is_honoured(trace: Trace) -> None:
    """``expedite.quantity`` is documented as the units per expedited order."""
    s = scenario(
        horizon=6,
        suppliers={"s": {"supplies": ["x"], "lead_time": 50}},
        sites={"shop": {"stock": {"x": {"source": "s", "initial": 30, "expedite": {"below": 15, "lead_time": 1, "quantity": 40}}}}},
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": 10, "on_stockout": "lost"}],
        policies={"p": {"default": NEVER}},
    )  # fmt: skip
    run(s, trace)
    assert trace.at("order", "shop/x")[0] == (1.0, 40.0)


def test_partial_yield_with_defects_does_not_multiply_orders() -> None:
    """One unit a day under base stock: the number of orders must not double with every lead time.

    With yield 50% each partial receipt re-orders the shortfall, and each defective unit is
    re-dispatched (again at 50% yield): two follow-ups per receipt. The re-orders halve in size
    down to 1e-9 units, so each unit demanded should cause at most ~32 orders.
    """
    s = scenario(
        horizon=16,
        costs={"order_cost": 10.0},
        suppliers={"s": {"supplies": ["x"], "lead_time": 1, "yield": 0.5, "defect_rate": 0.5}},
        sites={"shop": {"stock": {"x": {"source": "s", "initial": 10}}}},
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": 1}],
        policies={"p": {"default": {"base_stock": {"level": 10}}}},
    )
    res = simulate(s, "p", 0)
    demand = res.summary["demand"]
    assert demand == 16
    assert res.summary["orders_placed"] <= 32 * demand, (
        f"{res.summary['orders_placed']:g} orders (ordering cost {res.summary['ordering_cost']:g}) for {demand:g} units"
    )


def test_replications_are_reproducible() -> None:
    s = scenario(
        suppliers={"s": {"supplies": ["x"], "lead_time": {"exponential": {"mean": 3}}, "on_time": 0.8, "delay": 1}},
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": {"poisson": 8}}],
        policies={"p": {"default": {"r_Q": {"reorder_point": 30, "order_quantity": 40}}}},
    )
    a, b = simulate(s, "p", 3).summary, simulate(s, "p", 3).summary
    assert a.keys() == b.keys()
    assert all(a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a)
