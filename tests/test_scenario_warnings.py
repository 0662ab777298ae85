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
