"""Policies in simulation: safety stock hits its service level, kanban keeps its loop, and on the
brake plant JIT trades inventory for exposure to the port closure."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats

from simjit import Scenario, load_scenario
from simjit.experiment import compare, run_experiment
from simjit.model import EventKind, SimEvent, simulate

ROOT = Path(__file__).resolve().parent.parent


def scenario(policy: dict[str, Any], demand: dict[str, Any], lead_time: Any, horizon: float, warmup: float) -> Scenario:
    data = {
        "name": "one item",
        "horizon": horizon,
        "warmup": warmup,
        "items": {"x": {"unit_cost": 1.0}},
        "costs": {"holding_cost": 0.01, "order_cost": 10.0},
        "suppliers": {"s": {"supplies": ["x"], "lead_time": lead_time}},
        "sites": {"shop": {"stock": {"x": {"source": "s"}}}},
        "demand": [{"at": "shop/x", **demand}],
        "policies": {"p": {"default": policy}},
    }
    return load_scenario(data)


def ci99(values: list[float]) -> tuple[float, float]:
    x = np.asarray(values)
    half = stats.t.ppf(0.995, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    return float(x.mean() - half), float(x.mean() + half)


@pytest.mark.slow
@pytest.mark.parametrize("level", [0.9, 0.98])
def test_safety_stock_hits_its_cycle_service_level(level: float) -> None:
    """Unit Poisson arrivals (λ = 20/day), constant lead time 4: lead-time demand is Poisson(80),
    σ_LTD = √80 and r = 80 + z√80. With unit demand in continuous time the position meets r
    exactly (no undershoot) and one order is out at a time (Q = 200 ≫ r − 80), so a cycle is short
    exactly when LTD ≥ ⌊r⌋ + 1: CSL = P(Poisson(80) ≤ ⌊r⌋), within 0.002 of the target. (Per-day
    lumps would add an undershoot and one day less exposure; the formula is exact only here.)"""
    s = scenario(
        {"safety_stock": {"service_level": level, "order_quantity": 200}},
        {"arrivals": {"rate": 20}},
        4,
        horizon=4100,
        warmup=100,
    )
    r = 80 + stats.norm.ppf(level) * math.sqrt(80)
    exact = float(stats.poisson.cdf(math.floor(r), 80))
    csl = [simulate(s, "p", rep).summary["cycle_service_level"] for rep in range(12)]
    lo, hi = ci99(csl)
    assert lo <= exact <= hi, (exact, lo, hi)
    assert lo <= level <= hi, (level, lo, hi)
    assert hi - lo < 0.03


def test_kanban_keeps_the_loop_and_sends_a_card_per_container() -> None:
    n, c = 4, 25.0
    s = scenario(
        {"kanban": {"containers": n, "container_size": c}},
        {"timing": "start_of_day", "per_day": {"poisson": 20}},
        {"lognormal": {"mean": 3, "sd": 1}},
        horizon=2000,
        warmup=0,
    )
    res = simulate(s, "p", 0, series=True, keep_network=True)
    positions = [row["inventory_position"] for row in res.series]
    assert max(positions) <= n * c + 1e-9
    assert min(positions) > (n - 1) * c - 3 * 20  # emptied containers are sent back at once
    sp = res.network.points[("shop", "x")]  # type: ignore[union-attr]
    # each emptied container sends exactly one order of c: units ordered = orders × c, and over the
    # run the containers ordered replace the demand up to what is still in the loop
    assert sp.counters.order_units == pytest.approx(res.summary["orders_placed"] * c)
    assert abs(res.summary["orders_placed"] * c - res.summary["demand"]) <= n * c


def test_periodic_kanban_collects_cards_only_at_reviews() -> None:
    """N = 4 containers of c = 25, demand 10 a day (on days 0, 1, …), lead time 2, cards collected every R = 5.

    Worked by hand: the loop starts full (100). By the review on day 5 six days' demand (60) has
    left 40 on hand: 2.4 containers consumed, so 2 cards go, 2 orders of 25 (a continuous kanban
    would have sent its first card on day 2). They land on day 7 (on hand 30 + 50 = 80) and from
    then on every review finds 40 on hand and nothing on order: 2 orders at each of days 5, 10, …,
    30 (the last review before the horizon of 31), never any between, and on hand never below 30.
    """
    n, c, r = 4, 25.0, 5.0
    s = scenario(
        {"periodic_kanban": {"containers": n, "container_size": c, "review_period": r}},
        {"timing": "start_of_day", "per_day": 10},
        2,
        horizon=31,
        warmup=0,
    )
    events: list[SimEvent] = []
    simulate(s, "p", 0, on_event=events.append)
    orders = [(e.time, e.quantity) for e in events if e.kind == EventKind.ORDER]
    assert orders == [(day, c) for day in (5.0, 10.0, 15.0, 20.0, 25.0, 30.0) for _ in range(2)]
    assert max(e.on_hand + e.on_order for e in events) <= n * c
    assert min(e.on_hand for e in events) == 30.0


@pytest.mark.slow
def test_brake_plant_jit_holds_less_but_loses_service_in_the_port_closure() -> None:
    """Paired over common random numbers: over the year JIT (its loops sized for the port open)
    serves as well as safety stock with half the stock value, and far better than EOQ, which holds
    less still; while the pad port is closed (days 150–230) without the backup supplier its fill
    rate falls below safety stock's — the trade-off the scenario is about."""
    year = load_scenario(ROOT / "scenarios" / "brake_plant.yaml")
    results = run_experiment(year, ["eoq", "jit", "safety_stock"], 12)
    paired = compare(results, ["avg_on_hand_value", "fill_rate"], "jit").set_index(["policy", "kpi"])
    assert paired.loc[("safety_stock", "avg_on_hand_value"), "ci_low"] > 0
    assert abs(paired.loc[("safety_stock", "fill_rate"), "diff"]) < 0.01
    assert paired.loc[("eoq", "avg_on_hand_value"), "ci_high"] < 0  # EOQ holds less still…
    # …and serves far less: it has no buffer (air freight for the pads its line waits for rescues a part)
    assert paired.loc[("eoq", "fill_rate"), "ci_high"] < -0.1
    closure = load_scenario(
        ROOT / "scenarios" / "brake_plant.yaml", ["warmup=150", "horizon=230", "sites.plant.stock.pad.backup=null"]
    )
    service = compare(run_experiment(closure, ["jit", "safety_stock"], 12), ["fill_rate"], "jit").set_index("policy")
    assert service.loc["safety_stock", "ci_low"] > 0.2


def _dual_sourcing(backup: Any, level: float = 5) -> Scenario:
    data = {
        "name": "dual sourcing",
        "horizon": 4,
        "items": {"x": {"unit_cost": 1.0}},
        "suppliers": {
            "slow": {"supplies": ["x"], "lead_time": 2, "capacity": 0.5},
            "spare": {"supplies": ["x"], "lead_time": 1, "price_premium": 0.5},
        },
        "sites": {"shop": {"stock": {"x": {"source": "slow", "backup": backup}}}},
        "demand": [{"at": "shop/x", "timing": "start_of_day", "per_day": 1}],
        "policies": {"p": {"default": {"base_stock": {"level": level}}}},
    }
    return load_scenario(data)


@pytest.mark.parametrize("overdue_by, backup_orders", [(0, 1), (1, 0)])
def test_orders_go_to_the_backup_while_the_primary_is_late(overdue_by: float, backup_orders: int) -> None:
    """The primary ships 0.5 units a day, so its orders land after their promised day (order day +
    2): the order of day 0 is due on day 2 but lands on day 4. With ``overdue_by: 0``, from day 3
    (overdue, not landed) new orders go to the backup; on days 0–2 nothing was overdue yet. With
    ``overdue_by: 1`` the order of day 0 is not late enough before the horizon. The need is real:
    from a base stock of 4, day 3's demand takes the last unit, and only day 0's order is shipped
    (1 unit, landing on day 4): a cover of 1 against 2 days of demand (the primary's lead time)."""
    s = _dual_sourcing({"supplier": "spare", "overdue_by": overdue_by}, level=4)
    res = simulate(s, "p", 0, keep_network=True)
    sp = res.network.points[("shop", "x")]  # type: ignore[union-attr]
    assert sp.counters.orders == 4 and sp.counters.backup_orders == backup_orders
    assert res.summary["backup_units"] == backup_orders
    # units at the primary's price 1, the rest at the backup's 1.5
    assert res.summary["purchase_cost"] == pytest.approx((4 - backup_orders) * 1.0 + 1.5 * backup_orders)


def test_a_bare_backup_name_ignores_lateness() -> None:
    """``backup: spare`` is a contingency for outages only: late orders from the primary do not trigger it."""
    res = simulate(_dual_sourcing("spare"), "p", 0)
    assert res.summary["backup_units"] == 0.0
    assert res.summary["purchase_cost"] == pytest.approx(4.0)


def test_initial_stock_is_everything_the_policy_orders_when_empty() -> None:
    """Kanban sends one card per decision; an empty loop of 4 containers of 25 starts full (100)."""
    s = scenario(
        {"kanban": {"containers": 4, "container_size": 25}},
        {"timing": "start_of_day", "per_day": 1},
        2,
        horizon=1,
        warmup=0,
    )
    sp = simulate(s, "p", 0, keep_network=True).network.points[("shop", "x")]  # type: ignore[union-attr]
    assert sp.counters.initial == 100.0
