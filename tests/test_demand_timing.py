"""When within its day a ``per_day`` draw reaches the stock point: through the day by default (hourly
lots at random times), or at 00:00 as the period model of textbooks (``timing: start_of_day``)."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import numpy as np
import pytest

from simjit import EventKind, load_scenario, simulate
from simjit.errors import ScenarioError
from simjit.model.demand import LOTS_PER_DAY, spread

LOOP = {
    "name": "pharmacy kanban",
    "horizon": 365,
    "items": {"vial": {"unit_cost": 10.0}},
    "suppliers": {"wholesaler": {"supplies": ["vial"], "lead_time": 1}},
    "sites": {"pharmacy": {"stock": {"vial": {"source": "wholesaler"}}}},
    "demand": [{"at": "pharmacy/vial", "per_day": {"poisson": 70}}],
    "policies": {"jit": {"default": {"kanban": {"containers": 4, "container_size": 20}}}},
}


def loop(**demand: object) -> dict[str, object]:
    """The kanban loop with its demand entry changed."""
    d = dict(LOOP)
    d["demand"] = [{"at": "pharmacy/vial", **demand}]
    return d


def fill_rates(data: dict[str, object], n: int) -> list[float]:
    s = load_scenario(data)
    return [simulate(s, "jit", r).summary["fill_rate"] for r in range(n)]


def test_a_kanban_loop_fills_as_against_a_poisson_stream_through_the_day_and_as_today_at_the_day_start() -> None:
    """4 containers of 20 against 70 a day, one day in transit. With the period model every card
    goes back at 00:00 and its container lands at 00:00 the next day, before that day's demand:
    the loop looks nearly perfect. Spread through the day, its fill rate is that of the same mean
    arriving as a Poisson stream of single units (the same law, observed per hour)."""
    n = 40
    through = fill_rates(loop(per_day={"poisson": 70}), n)
    stream = fill_rates(loop(arrivals={"rate": 70, "size": 1}), n)
    lumped = fill_rates(loop(per_day={"poisson": 70}, timing="start_of_day"), n)
    gap = statistics.mean(through) - statistics.mean(stream)
    se = math.sqrt(statistics.variance(through) / n + statistics.variance(stream) / n)
    assert abs(gap) < 3.5 * se, f"through the day {statistics.mean(through):.4f}, stream {statistics.mean(stream):.4f}"
    assert se < 0.008  # tight: the period model's answer is 50 of these away
    assert statistics.mean(lumped) > statistics.mean(stream) + 0.4
    assert min(lumped) > 0.9


def test_the_day_totals_are_the_period_models_so_the_two_timings_compare_on_the_same_demand() -> None:
    for rep in range(3):
        through = simulate(load_scenario(loop(per_day={"poisson": 70})), "jit", rep).summary
        lumped = simulate(load_scenario(loop(per_day={"poisson": 70}, timing="start_of_day")), "jit", rep).summary
        assert through["demand"] == lumped["demand"]


def test_a_delivery_landing_mid_day_serves_only_the_customers_who_come_after_it() -> None:
    """Nothing on hand at 00:00; the first customer sets off an order of 1,000 units that lands
    half a day later: every lot before it is short (and waits), every lot after is served at once."""
    data = {
        "name": "noon delivery",
        "horizon": 1,
        "items": {"bread": {"unit_cost": 1.0}},
        "suppliers": {"bakery": {"supplies": ["bread"], "lead_time": 0.5}},
        "sites": {"shop": {"stock": {"bread": {"source": "bakery", "initial": 0}}}},
        "demand": [{"at": "shop/bread", "per_day": 48}],
        "policies": {"once": {"default": {"r_Q": {"reorder_point": 0, "order_quantity": 1000}}}},
    }
    seen: list[tuple[float, EventKind, float]] = []
    s = load_scenario(data)
    summary = simulate(s, "once", 0, on_event=lambda e: seen.append((e.time, e.kind, e.quantity))).summary
    lots = [(t, q) for t, kind, q in seen if kind is EventKind.DEMAND]
    assert 1 < len(lots) <= LOTS_PER_DAY and sum(q for _, q in lots) == 48
    assert all(0 <= t < 1 for t, _ in lots)
    (noon,) = [t for t, kind, _ in seen if kind is EventKind.RECEIPT]
    assert noon == pytest.approx(lots[0][0] + 0.5)
    before = sum(q for t, q in lots if t < noon)
    short = sum(q for _, kind, q in seen if kind is EventKind.STOCKOUT)
    assert short == before and 0 < before < 48
    assert summary["fill_rate"] == pytest.approx(1 - before / 48)


def test_spread_keeps_each_days_units_in_its_day_one_lot_per_hour() -> None:
    rng = np.random.default_rng(3)
    days = np.arange(2000.0)
    qty = rng.poisson(30, len(days)).astype(float)
    qty[5] = 7.25  # a fractional draw keeps its remainder
    times, lots = spread(days.tolist(), qty.tolist(), np.random.default_rng(4))
    day = np.floor(times).astype(int)
    assert np.all(np.diff(times) > 0)
    assert np.allclose(np.bincount(day, weights=lots, minlength=len(days)), qty)
    hour = np.floor((times - day) * LOTS_PER_DAY).astype(int)
    assert len(set(zip(day.tolist(), hour.tolist(), strict=True))) == len(times)  # one lot per hour at most
    per_hour = np.zeros((len(days), LOTS_PER_DAY))
    per_hour[day, hour] = lots
    # a Poisson(30) day split evenly: each hour Poisson(1.25), mean and variance alike
    assert per_hour[10:].mean() == pytest.approx(1.25, rel=0.03)
    assert per_hour[10:].var() == pytest.approx(1.25, rel=0.05)


def test_start_of_day_timing_on_arrivals_is_refused_with_the_reason() -> None:
    with pytest.raises(ScenarioError, match="start_of_day applies to per_day"):
        load_scenario(loop(arrivals={"rate": 70, "size": 1}, timing="start_of_day"))


def test_one_set_switches_every_demand_entry_to_the_period_model() -> None:
    """``--set demand.*.timing=start_of_day``: a ``*`` names every entry there (twelve parts here)."""
    shop = Path(__file__).resolve().parent.parent / "scenarios" / "bicycle_shop.yaml"
    s = load_scenario(shop, ["demand.*.timing=start_of_day"])
    assert len(s.demand) == 12 and {d.timing.value for d in s.demand} == {"start_of_day"}
    assert {d.timing.value for d in load_scenario(shop).demand} == {"through_day"}
    with pytest.raises(ScenarioError, match=r"'\*' matches no entry here"):
        load_scenario(shop, ["suppliers.*.disruptions.*.start=3"])
