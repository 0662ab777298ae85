"""What sourcing costs and where orders go: per-item purchase prices, per-source order costs,
the backup supplier as a contingency (outages when the stock runs short, not ordinary lateness),
expedited units."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from simjit import EventKind, SimEvent, load_scenario
from simjit.model import simulate
from simjit.policies.formulas import economic_order_quantity
from simjit.scenario.models import Scenario


def build(**fields: Any) -> Scenario:
    data: dict[str, Any] = {"name": "sourcing", "horizon": 30, "costs": {"holding_cost": 0.0}, **fields}
    return load_scenario(data)


def test_a_two_item_supplier_charges_each_item_its_own_unit_cost() -> None:
    """Pads at 4 and rotors at 9 from one supplier: purchase cost is Σ units × each item's cost."""
    s = build(
        items={"pad": {"unit_cost": 4.0}, "rotor": {"unit_cost": 9.0}},
        suppliers={"v": {"supplies": ["pad", "rotor"], "lead_time": {"gamma": {"mean": 3, "sd": 1}}}},
        sites={"shop": {"stock": {"pad": {"source": "v"}, "rotor": {"source": "v"}}}},
        demand=[{"at": "shop/pad", "per_day": {"poisson": 7}}, {"at": "shop/rotor", "per_day": {"poisson": 3}}],
        policies={"p": {"default": {"base_stock": {"level": 40}}}},
    )
    res = simulate(s, "p", 0, keep_network=True)
    points = res.network.points  # type: ignore[union-attr]
    pads, rotors = points[("shop", "pad")].counters.order_units, points[("shop", "rotor")].counters.order_units
    assert pads > 0 and rotors > 0
    assert res.summary["shop/pad.purchase_cost"] == pytest.approx(4.0 * pads, rel=1e-12)
    assert res.summary["shop/rotor.purchase_cost"] == pytest.approx(9.0 * rotors, rel=1e-12)
    assert res.summary["purchase_cost"] == pytest.approx(4.0 * pads + 9.0 * rotors, rel=1e-12)


def test_a_supplier_price_applies_to_every_item_it_sells() -> None:
    s = build(
        items={"a": {"unit_cost": 4.0}, "b": {"unit_cost": 9.0}},
        suppliers={"v": {"supplies": ["a", "b"], "lead_time": 1, "price": 5.0, "price_premium": 0.1}},
        sites={"shop": {"stock": {"a": {"source": "v"}, "b": {"source": "v"}}}},
        demand=[
            {"at": "shop/a", "timing": "start_of_day", "per_day": 2},
            {"at": "shop/b", "timing": "start_of_day", "per_day": 1},
        ],
        policies={"p": {"default": {"base_stock": {"level": 5}}}},
    )
    res = simulate(s, "p", 0, keep_network=True)
    units = sum(sp.counters.order_units for sp in res.network.points.values())  # type: ignore[union-attr]
    assert res.summary["purchase_cost"] == pytest.approx(5.5 * units)


def two_echelon(**costs: Any) -> Scenario:
    """A DC buys from a supplier (lead time 2); a shop pulls from the DC over a lane (transit 1).
    Both run base stock on 10 a day, so each places one order a day from day 0 to 29: 30 orders."""
    return build(
        items={"x": {"unit_cost": 1.0}},
        costs={"holding_cost": 0.0, "order_cost": 100.0},
        suppliers={"v": {"supplies": ["x"], "lead_time": 2, **costs.get("supplier", {})}},
        sites={
            "dc": {"stock": {"x": {"source": "v", **costs.get("dc", {})}}},
            "shop": {"stock": {"x": {"source": "dc", "transit": 1, **costs.get("lane", {})}}},
        },
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": 10}],
        policies={"p": {"default": {"base_stock": {"level": 60}}}},
    )


@pytest.mark.parametrize(
    "costs, dc, shop",
    [
        ({}, 100.0, 100.0),  # costs.order_cost everywhere
        ({"supplier": {"order_cost": 250.0}}, 250.0, 100.0),  # the supplier's own
        ({"supplier": {"order_cost": 250.0}, "lane": {"order_cost": 5.0}}, 250.0, 5.0),  # a kanban-like lane
        ({"supplier": {"order_cost": 250.0}, "dc": {"order_cost": 80.0}}, 80.0, 100.0),  # the stock point's wins
    ],
)
def test_each_order_costs_its_own_source_s_order_cost(costs: dict[str, Any], dc: float, shop: float) -> None:
    res = simulate(two_echelon(**costs), "p", 0)
    assert res.summary["dc/x.orders_placed"] == res.summary["shop/x.orders_placed"] == 30.0
    assert res.summary["dc/x.ordering_cost"] == 30 * dc
    assert res.summary["shop/x.ordering_cost"] == 30 * shop
    assert res.summary["ordering_cost"] == 30 * (dc + shop)


def test_a_line_order_costs_the_line_s_set_up() -> None:
    s = build(
        items={"part": {"unit_cost": 1.0}, "kit": {"unit_cost": 2.0}},
        costs={"holding_cost": 0.0, "order_cost": 100.0},
        suppliers={"v": {"supplies": ["part"], "lead_time": 1}},
        sites={
            "plant": {
                "stock": {"part": {"source": "v"}, "kit": {"source": "line"}},
                "lines": {"line": {"makes": "kit", "bom": {"part": 1}, "rate": 50, "order_cost": 7.0}},
            }
        },
        demand=[{"at": "plant/kit", "timing": "start_of_day", "per_day": 5}],
        policies={"p": {"default": {"base_stock": {"level": 20}}}},
    )
    res = simulate(s, "p", 0)
    assert res.summary["plant/kit.ordering_cost"] == 7.0 * res.summary["plant/kit.orders_placed"]
    assert res.summary["plant/part.ordering_cost"] == 100.0 * res.summary["plant/part.orders_placed"]


def test_eoq_sizes_its_lot_with_its_own_source_s_order_cost() -> None:
    """Q* = sqrt(2·D·K/h) with K the supplier's order cost (250), not costs.order_cost (100)."""
    s = build(
        horizon=400,
        items={"x": {"unit_cost": 1.0}},
        costs={"holding_cost": 0.01, "order_cost": 100.0},
        suppliers={"v": {"supplies": ["x"], "lead_time": 2, "order_cost": 250.0}},
        sites={"shop": {"stock": {"x": {"source": "v"}}}},
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": 10}],
        policies={"p": {"default": {"eoq": {}}}},
    )
    res = simulate(s, "p", 0, keep_network=True)
    sp = res.network.points[("shop", "x")]  # type: ignore[union-attr]
    q = economic_order_quantity(250.0, 0.01, 10.0)
    assert sp.policy.order_quantity == pytest.approx(q)  # type: ignore[attr-defined]
    assert sp.view_facts.order_cost == 250.0
    assert math.isclose(q, math.sqrt(2 * 10 * 250 / 0.01))


def dual(backup: Any, disruptions: list[dict[str, Any]] | None = None, seed: int = 0) -> Scenario:
    """A primary with variable lead times (gamma, mean 6, sd 3: about half its orders are later
    than the mean) and a dearer backup; JIT-like base stock on Poisson demand."""
    return build(
        horizon=400,
        seed=seed,
        items={"x": {"unit_cost": 1.0}},
        suppliers={
            "primary": {
                "supplies": ["x"],
                "lead_time": {"gamma": {"mean": 6, "sd": 3}},
                "disruptions": disruptions or [],
            },
            "spare": {"supplies": ["x"], "lead_time": 1, "price_premium": 0.5},
        },
        sites={"shop": {"stock": {"x": {"source": "primary", "backup": backup}}}},
        demand=[{"at": "shop/x", "per_day": {"poisson": 20}}],
        policies={"p": {"default": {"base_stock": {"level": 160}}}},
    )


@pytest.mark.parametrize("replication", range(3))
def test_the_backup_is_never_used_without_an_outage(replication: int) -> None:
    """Variable lead times alone never send an order to the backup: it is a contingency plan."""
    res = simulate(dual("spare"), "p", replication)
    assert res.summary["backup_units"] == 0.0
    assert res.summary["shop/x.backup_units"] == 0.0
    assert res.summary["purchase_cost"] == pytest.approx(res.summary["shop/x.purchase_cost"])
    late = simulate(dual({"supplier": "spare", "overdue_by": 0}), "p", replication)
    assert late.summary["backup_units"] > 0, "with overdue_by, ordinary lateness does trigger it"


def test_the_backup_takes_orders_of_a_scheduled_outage_once_the_stock_runs_short() -> None:
    """A closure on days [100, 130): orders go to the backup only in it, and only while the stock
    there would fall short of the horizon (6 days, the primary's lead time) by the next order: on a
    base stock of 8 days of demand, some orders of the closure find the cover full and wait at the
    primary."""
    orders: list[SimEvent] = []
    res = simulate(dual("spare", [{"start": 100, "duration": 30}]), "p", 0, on_event=orders.append)
    placed = [(e.time, e.quantity, e.detail) for e in orders if e.kind == EventKind.ORDER]
    spare = [(t, q) for t, q, where in placed if where == "spare"]
    during = [(t, q, where) for t, q, where in placed if 100 <= t < 130]
    assert spare and all(100 <= t < 130 for t, _ in spare)
    assert res.summary["backup_units"] == pytest.approx(sum(q for _, q in spare))
    assert 0 < res.summary["backup_units"] < sum(q for _, q, _ in during)


def test_expedited_units_are_counted() -> None:
    s = build(
        items={"x": {"unit_cost": 2.0}},
        suppliers={"v": {"supplies": ["x"], "lead_time": 5}},
        sites={
            "shop": {
                "stock": {"x": {"source": "v", "initial": 0, "expedite": {"below": 5, "lead_time": 1, "quantity": 10}}}
            }
        },
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": 10}],
        policies={"p": {"default": {"make_to_order": {}}}},
    )
    res = simulate(s, "p", 0, keep_network=True)
    sp = res.network.points[("shop", "x")]  # type: ignore[union-attr]
    assert sp.counters.expedited_orders > 0
    assert res.summary["expedited_units"] == 10.0 * sp.counters.expedited_orders


def drifting(walk: dict[str, Any]) -> Scenario:
    """A shop buying 10 units every day (make to order, lead time 1) from a supplier whose price walks."""
    return build(
        items={"x": {"unit_cost": 2.0}},
        suppliers={"v": {"supplies": ["x"], "lead_time": 1, "price": {"random_walk": walk}}},
        sites={"shop": {"stock": {"x": {"source": "v", "initial": 0}}}},
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": 10}],
        policies={"p": {"default": {"make_to_order": {}}}},
    )


def test_a_deterministic_drift_compounds_day_by_day() -> None:
    """sd 0, drift 1% a day: each order pays 2·e^(0.01·day) a unit, exactly (and a floor holds it up)."""
    orders: list[SimEvent] = []
    res = simulate(drifting({"start": 2.0, "sd": 0.0, "drift": 0.01}), "p", 0, on_event=orders.append)
    bought = [(e.time, e.quantity) for e in orders if e.kind == EventKind.ORDER]
    assert len(bought) >= 29
    assert res.summary["purchase_cost"] == pytest.approx(sum(q * 2.0 * math.exp(0.01 * int(t)) for t, q in bought))
    falling = simulate(drifting({"start": 2.0, "sd": 0.0, "drift": -0.05, "floor": 1.5}), "p", 0)
    units = sum(q for _, q in bought)
    assert falling.summary["purchase_cost"] >= 1.5 * units and falling.summary["purchase_cost"] < 2.0 * units


def test_a_walk_without_drift_is_the_walk_it_always_was() -> None:
    """drift: 0 written out plays the very same prices as no drift at all (pinned scenarios keep their results)."""
    plain = simulate(drifting({"start": 2.0, "sd": 0.05}), "p", 3)
    zero = simulate(drifting({"start": 2.0, "sd": 0.05, "drift": 0.0}), "p", 3)
    assert plain.summary["purchase_cost"].hex() == zero.summary["purchase_cost"].hex()


@pytest.mark.parametrize("drift", [0.0, 0.004])
def test_the_mean_price_grows_at_the_drift(drift: float) -> None:
    """Geometric Brownian motion sampled daily: E[p(t)] = start·e^(drift·t) for any sd (Hull 2018, §15.3);
    over 4,000 walks the mean price on day 150 lies within 4 standard errors of it."""
    from simjit.model.supplier import PricePath

    day, sd = 150, 0.03
    ends = np.array([PricePath(2.0, sd, 0.0, day, np.random.default_rng(k), drift).prices[day] for k in range(4000)])
    expected = 2.0 * math.exp(drift * day)
    assert abs(ends.mean() - expected) < 4 * ends.std(ddof=1) / math.sqrt(len(ends))
    assert np.median(ends) == pytest.approx(2.0 * math.exp((drift - sd * sd / 2) * day), rel=0.05)
