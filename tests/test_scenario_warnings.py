"""Warnings for scenarios that validate but cannot work as meant, each worked out by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from simjit import load_scenario


def shop(**fields: Any) -> dict[str, Any]:
    """One item, 10 a day, a supplier 5 days away; ``fields`` replace top-level entries."""
    data: dict[str, Any] = {
        "name": "warned",
        "horizon": 100,
        "warmup": 10,
        "items": {"x": {"unit_cost": 1.0}},
        "suppliers": {"s": {"supplies": ["x"], "lead_time": 5}},
        "sites": {"shop": {"stock": {"x": {"source": "s"}}}},
        "demand": [{"at": "shop/x", "per_day": 10}],
        "policies": {"p": {"default": {"base_stock": {"level": 80}}}},
    }
    data.update(fields)
    return data


def warnings_of(data: dict[str, Any]) -> list[str]:
    return [f"{w.field}: {w.message} ({w.hint})" for w in load_scenario(data).warnings]


def test_a_sound_scenario_has_no_warning() -> None:
    assert warnings_of(shop()) == []


def test_disruptions_outside_the_measured_window() -> None:
    events = [
        {"name": "late", "hits": ["s"], "start": 150, "duration": 5},
        {"name": "early", "hits": ["s"], "start": 2, "duration": {"uniform": [4, 6]}},
    ]
    assert warnings_of(shop(events=events)) == [
        "events[0].start: this disruption starts on day 150, after the horizon (100): it never happens "
        "(lengthen the horizon or move the start)",
        "events[1].start: this disruption ends (on average) on day 7, before the warm-up ends (10): no result "
        "measures it (move it after the warm-up or shorten the warm-up)",
    ]


def test_a_line_slower_than_its_demand() -> None:
    sites = {
        "plant": {
            "lines": {"press": {"makes": "x", "rate": 8, "bom": {"y": 1}}},
            "stock": {"x": {"source": "press"}, "y": {"source": "s"}},
        }
    }
    data = shop(
        sites=sites,
        items={"x": {"unit_cost": 1.0}, "y": {"unit_cost": 0.5}},
        suppliers={"s": {"supplies": ["y"], "lead_time": 5}},
        demand=[{"at": "plant/x", "per_day": 10}],
    )
    assert warnings_of(data) == [
        "sites.plant.lines.press.rate: the line makes 8 a day but plant/x needs 10 a day on average: its backlog "
        "grows without end (a rate above 10)"
    ]


def test_a_kanban_loop_below_its_lead_time_demand_gets_the_sizing_rule() -> None:
    # D = 10/day, L = 5 days: 50 units over the lead time; 3 × 10 + 1 day × 10 = 40 hold less.
    # N = 10·(5 + 1)/10 = 6 with a safety time of 1 day counted in the containers.
    small = {"kanban": {"containers": 3, "container_size": 10, "safety_time": 1}}
    policies = {
        "jit": {"overrides": {"shop/x": small}, "default": {"base_stock": {"level": 80}}},
        "ok": {"default": {"kanban": {"containers": 6, "container_size": 10}}},  # 60 > 50
        "timed": {"default": {"kanban": {"containers": 5, "container_size": 10, "safety_time": 1}}},  # 50 + 10 > 50
    }
    assert warnings_of(shop(policies=policies)) == [
        "policies.jit.overrides.shop/x: the kanban loop of shop/x holds 3 × 10 + 1 days × 10 = 40 units, no more "
        "than the 50 demanded over its 5 days of replenishment: with nothing for the spread of demand and lead "
        "time, customers will wait in most cycles (the sizing rule N = D·(L + S)/c gives 6 containers for a safety "
        "time S of 1 day; or keep N for L alone and give the loop safety_time: S)"
    ]


def test_a_normal_lead_time_often_negative_names_the_mean_it_really_has() -> None:
    # P(N(2, 3²) < 0) = Φ(−2/3) = 25%; redrawn, the mean is 2 + 3·φ(2/3)/Φ(2/3) = 3.28.
    data = shop(suppliers={"s": {"supplies": ["x"], "lead_time": {"normal": {"mean": 2, "sd": 3}}}})
    assert warnings_of(data) == [
        "suppliers.s.lead_time: normal with mean 2 and sd 3 is below 0 in 25% of draws; those are drawn again, so "
        "it runs with a mean of 3.28, not 2 (a gamma or lognormal of the same mean and sd is never negative)"
    ]
    assert warnings_of(shop(suppliers={"s": {"supplies": ["x"], "lead_time": {"normal": {"mean": 5, "sd": 2}}}})) == []


def test_a_lot_below_the_engines_resolution() -> None:
    policies = {"p": {"default": {"kanban": {"containers": 4, "container_size": 1e-300}}}}
    assert warnings_of(shop(policies=policies))[-1] == (
        "policies.p.default: a container_size of 1e-300 units is below a millionth of a unit: its orders are too "
        "small to count (under 1e-9 units an order is no order), so this policy would never replenish (measure "
        "the item in a smaller unit: grams, not tonnes)"
    )


def test_make_to_order_for_customers_who_never_wait() -> None:
    mto = {"p": {"default": {"make_to_order": {}}}}
    lost = [{"at": "shop/x", "per_day": 10, "on_stockout": "lost"}]
    assert warnings_of(shop(policies=mto, demand=lost, costs={"lost_sale_cost": 2.0})) == [
        "policies.p.default: make_to_order orders only for customers who wait, and those of shop/x leave when "
        "nothing is on hand (on_stockout: lost): it never orders, and serves nobody (let customers wait "
        "(on_stockout: backorder or {wait_up_to: DAYS}) or hold stock)"
    ]
    patient = [{"at": "shop/x", "per_day": 10, "on_stockout": {"wait_up_to": 3}}]
    assert warnings_of(shop(policies=mto, demand=patient, costs={"lost_sale_cost": 2.0})) == []


def test_a_lost_sale_cheaper_than_its_goods_is_warned_where_it_is_set(tmp_path: Path) -> None:
    """Without a price, a lost sale that costs less than the goods it would have used makes running out
    look profitable: warned at the field that sets it (the item's own, else the shared one), with the line."""
    lost = [{"at": "shop/x", "per_day": 10, "on_stockout": "lost"}]
    items = {"x": {"unit_cost": 8.0, "lost_sale_cost": 5.0}}
    assert warnings_of(shop(demand=lost, items=items)) == [
        "items.x.lost_sale_cost: a lost sale of x costs 5 but the goods in it cost 8 to buy: each customer turned "
        "away saves 3 in cost_of_goods, so total_cost favours running out (give items.x.price, so that profit "
        "counts the revenue a lost sale loses, or a lost_sale_cost of at least 8 (better: the price customers pay))"
    ]
    assert warnings_of(shop(demand=lost, items={"x": {"unit_cost": 8.0, "lost_sale_cost": 8.0}})) == []
    assert warnings_of(shop(demand=lost, items={"x": {"unit_cost": 8.0, "price": 9.0}})) == []  # profit counts it
    assert warnings_of(shop(items={"x": {"unit_cost": 8.0}})) == []  # customers wait: nothing is lost
    made = shop(
        demand=[{"at": "plant/kit", "per_day": 1, "on_stockout": {"wait_up_to": 2}}],
        items={"kit": {"unit_cost": 1.0}, "x": {"unit_cost": 3.0}},
        costs={"lost_sale_cost": 5.0},
        sites={"plant": {"stock": {"kit": {"source": "pack"}, "x": {"source": "s"}},
                         "lines": {"pack": {"makes": "kit", "bom": {"x": 2}, "rate": 10}}}},
    )  # fmt: skip
    assert [w.split(":")[0] for w in warnings_of(made)] == ["costs.lost_sale_cost"]  # a kit holds 2 × 3 = 6
    path = tmp_path / "kits.yaml"
    path.write_text(
        "name: kits\nhorizon: 30\nitems:\n  kit: {unit_cost: 8}\ncosts:\n  lost_sale_cost: 5\nsuppliers:\n"
        "  s: {supplies: [kit], lead_time: 2}\nsites:\n  shop: {stock: {kit: {source: s}}}\ndemand:\n"
        "  - {at: shop/kit, per_day: 10, on_stockout: lost}\npolicies:\n  p: {default: {eoq: {}}}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "simjit", "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert f"warning: {path}:6:19: costs.lost_sale_cost: a lost sale of kit costs 5" in done.stderr


def plant(
    part_policy: dict[str, Any], widget_policy: dict[str, Any], per_day: Any = 40, lead: Any = 4
) -> dict[str, Any]:
    """A line making widgets from 2 parts each, parts ``lead`` days away; lots of 400 widgets (EOQ: K = 200,
    D = 40, h = 0.1) take 800 parts at once every 10 days, 80 a day on average (EOQ 1000: h = 0.032).
    Measured from day 10 to day 110: the lumps of days 10, 20, …, 100."""
    return shop(
        horizon=110,
        items={"part": {"unit_cost": 1.0, "holding_cost": 0.032}, "widget": {"unit_cost": 5.0, "holding_cost": 0.1}},
        costs={"order_cost": 200},
        suppliers={"s": {"supplies": ["part"], "lead_time": lead}},
        sites={"plant": {"stock": {"part": {"source": "s"}, "widget": {"source": "assembly"}},
                         "lines": {"assembly": {"makes": "widget", "bom": {"part": 2}, "rate": 100}}}},
        demand=[{"at": "plant/widget", "per_day": per_day}],
        policies={"p": {"overrides": {"plant/part": part_policy, "plant/widget": widget_policy}}},
    )  # fmt: skip


SAFETY = {"safety_stock": {"service_level": 0.98}}


def test_a_buffer_sized_for_smooth_demand_at_a_component_the_line_draws_in_lots() -> None:
    # r = 80 × 4 + z × 0 = 320 (demand is steady), Q = 1000, lots B = 800. The position before each lot, from
    # the 1000 ordered when empty, runs 1000, 1200, 400, 600, 800 (x → 320 + ((x − 800 − 320) mod 1000)):
    # 2 lots in 5 find less than 800 on hand, and each of them ends one of the 4 cycles (1000 parts a cycle,
    # 800 a lot): 50% of cycles short-free. Fill: (400 + 600 + 3 × 800) / (5 × 800) = 0.85. The simulation
    # gives the same (a test below). r = 600 runs 1000, 1200, 1400, 1600, 800: never short.
    assert warnings_of(plant(SAFETY, SAFETY)) == [
        "policies.p.overrides.plant/part: safety_stock at plant/part sizes its reorder point (320) for a steady 80 "
        "a day (sd 0), but line assembly draws it in lots: plant/widget orders 400 at a time (its EOQ) × 2 = 800 "
        "part at once, about every 10 days. Expect about 50% of replenishment cycles without a stock-out, not the "
        "98% it aims for, and a fill rate of about 0.85 for the line (a reorder point of about 600 gives 98% by "
        "the same estimate (the line takes 1 lot of 800 within a 4-day lead time): {eoq: {reorder_point: 600}}; "
        "or let safety_stock forecast plant/part's own demand, which sees the lots (forecast: {moving_average: "
        "28}); or smaller lots at plant/widget)"
    ]


def test_eoq_at_a_component_is_held_to_the_half_of_cycles_its_reorder_point_gives_smooth_demand() -> None:
    # 2 days away, r = 160: positions 1000, 200, 400, 600, 800; 3 lots in 5 short, × 1000/800 = 75% of cycles,
    # 25% short-free; fill (200 + 400 + 600 + 2 × 800) / 4000 = 0.70. r = 200 runs 1000, 400, 600, 800, 1200.
    assert warnings_of(plant({"eoq": {}}, SAFETY, lead=2)) == [
        "policies.p.overrides.plant/part: eoq at plant/part sizes its reorder point (160) for a steady 80 a day (sd "
        "0), but line assembly draws it in lots: plant/widget orders 400 at a time (its EOQ) × 2 = 800 part at "
        "once, about every 10 days. Expect about 25% of replenishment cycles without a stock-out, not the 50% a "
        "reorder point at the mean lead-time demand gives smooth demand, and a fill rate of about 0.70 for the "
        "line (a reorder point of about 200 gives 50% by the same estimate (the line takes 1 lot of 800 within a "
        "2-day lead time): {eoq: {reorder_point: 200}}; or let safety_stock forecast plant/part's own demand, "
        "which sees the lots (forecast: {moving_average: 28}); or smaller lots at plant/widget)"
    ]
    # the eoq at r = 320 gives the 50% it would give smooth demand: no word
    assert warnings_of(plant({"eoq": {}}, SAFETY)) == []


def test_when_lot_and_order_quantity_match_the_start_decides_and_is_followed() -> None:
    # Q = B = 800: the position before every lot is the 800 ordered when empty; never short, no warning.
    items = {"part": {"unit_cost": 1.0, "holding_cost": 0.05}, "widget": {"unit_cost": 5.0, "holding_cost": 0.1}}
    assert warnings_of(plant(SAFETY, SAFETY) | {"items": items}) == []
    given = plant(SAFETY, SAFETY) | {"items": items}
    given["sites"]["plant"]["stock"]["part"]["initial"] = 700  # 700 before every lot: each waits
    assert "Expect about 0% of replenishment cycles" in warnings_of(given)[0]


def test_the_lumpy_demand_warning_says_when_receipts_besides_orders_count_more_cycles() -> None:
    """Replaced defects start cycles of their own, mostly short-free: the measured cycle service reads higher."""
    data = plant(SAFETY, SAFETY)
    data["suppliers"]["s"]["defect_rate"] = 0.01
    [warned] = warnings_of(data)
    assert "not the 98% it aims for (a cycle from one order's receipt to the next: replaced defects" in warned
    assert "(a cycle from one order's receipt" not in warnings_of(plant(SAFETY, SAFETY))[0]


def test_no_lumpy_demand_warning_where_the_formula_sees_the_lots_or_the_lots_are_small() -> None:
    own = {"safety_stock": {"service_level": 0.98, "forecast": {"moving_average": 28}}}
    shared = {"safety_stock": {"service_level": 0.98, "forecast": {"moving_average": 28}, "demand_signal": "customer"}}
    small = {"kanban": {"containers": 5, "container_size": 10}}  # 20 parts at once, less than a day's 80
    fixed = {"eoq": {"reorder_point": 800}}  # the user sized it
    assert warnings_of(plant(own, SAFETY)) == []
    assert len(warnings_of(plant(shared, SAFETY))) == 1  # the customers' demand is smooth: it does not see them
    assert warnings_of(plant(SAFETY, small)) == []
    assert warnings_of(plant(fixed, SAFETY)) == []


def test_the_lumpy_demand_estimate_agrees_with_the_simulation() -> None:
    """The warning's numbers are what the simulation gives: steady demand exactly, Poisson demand and a random
    lead time (which also spreads the lots due within it) closely."""
    from simjit import simulate
    from simjit.scenario.dependent_demand import lumpy_service, lumpy_stock_points

    lead = {"gamma": {"mean": 8, "sd": 3}}  # estimated 0.876 and 0.963; measured 0.873 and 0.961
    for data, tolerance in [(plant(SAFETY, SAFETY), 1e-9), (plant(SAFETY, SAFETY, {"poisson": 40}, lead), 0.02)]:
        s = load_scenario(data | {"horizon": 1460, "warmup": 100})
        [(_, _, _, sizing, lots)] = list(lumpy_stock_points(s))
        cycle, fill = lumpy_service(sizing, lots)
        runs = [simulate(s, "p", r).summary for r in range(6)]
        measured_cycle = sum(r["plant/part.cycle_service_level"] for r in runs) / len(runs)
        measured_fill = sum(r["plant/part.fill_rate"] for r in runs) / len(runs)
        assert abs(cycle - measured_cycle) <= tolerance + 0.01, (cycle, measured_cycle)
        assert abs(fill - measured_fill) <= tolerance, (fill, measured_fill)
        assert measured_cycle < 0.98 - 0.1  # the formula's promise is far off


def test_a_backup_too_small_for_the_demand_it_backs_up() -> None:
    suppliers = {"s": {"supplies": ["x"], "lead_time": 5}, "b": {"supplies": ["x"], "lead_time": 1, "capacity": 4}}
    sites = {"shop": {"stock": {"x": {"source": "s", "backup": {"supplier": "b", "overdue_by": 2}}}}}
    assert warnings_of(shop(suppliers=suppliers, sites=sites)) == [
        "suppliers.b.capacity: backup b ships at most 4 a day, but shop/x needs 10 a day on average: while its "
        "source is down it covers 40% of demand, and every day of the outage leaves 6 to come from stock or go "
        "short (a capacity of at least 10 a day, or stock to carry 6 a day through the outages)"
    ]
    suppliers["b"]["capacity"] = 10
    assert warnings_of(shop(suppliers=suppliers, sites=sites)) == []


def test_a_lot_the_suppliers_capacity_takes_days_to_make_beyond_the_lead_time_the_formula_covers() -> None:
    """Safety stock on 10 a day buys lots of 60 from a supplier that makes 20 a day, 5 days away: the lot is
    made in 3 days, so it lands 8 days after the order while the reorder point covers 5."""
    slow = {"s": {"supplies": ["x"], "lead_time": 5, "capacity": 20}}
    lots = {"p": {"default": {"safety_stock": {"service_level": 0.9, "order_quantity": 60}}}}
    (found,) = warnings_of(shop(suppliers=slow, policies=lots))
    assert "orders 60 at a time (its order_quantity), which s takes 3 days to make at 20 a day" in found
    assert "covers the 5-day lead time alone" in found and "over 8 days of demand" in found
    assert (
        warnings_of(
            shop(
                suppliers=slow,
                policies={"p": {"default": {"safety_stock": {"service_level": 0.9, "order_quantity": 15}}}},
            )
        )
        == []
    )
    assert warnings_of(shop(suppliers=slow)) == []  # base stock orders what was sold: no lot to make
