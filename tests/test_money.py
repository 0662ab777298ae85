"""Money as an accountant reads it, on cases worked by hand: the cost of the goods used (not the cash
paid for orders at the window's edges), revenue, margin and profit, per-item shortage costs, the cash
tied up in stock, and a paired cost difference that a shifted warm-up leaves alone."""

from __future__ import annotations

import math
from statistics import fmean, stdev
from typing import Any

import pytest
from scipy import stats

from simjit import Scenario, load_scenario, simulate

Data = dict[str, Any]

NEVER = {"r_Q": {"reorder_point": -1000, "order_quantity": 1}}
"""A policy that never orders."""


def shop(**fields: Any) -> Scenario:
    """One item ``x`` (unit cost 2) bought from ``s`` (lead time 5), sold at ``shop``; ``fields`` override."""
    data: Data = {
        "name": "money",
        "horizon": 14,
        "items": {"x": {"unit_cost": 2.0}},
        "costs": {"holding_cost": 0.01, "order_cost": 50.0},
        "suppliers": {"s": {"supplies": ["x"], "lead_time": 5}},
        "sites": {"shop": {"stock": {"x": {"source": "s", "initial": 100}}}},
        "demand": [{"at": "shop/x", "timing": "start_of_day", "per_day": 5}],
        "policies": {"p": {"default": NEVER}},
    }
    data.update(fields)
    return load_scenario(data)


def play(s: Scenario, policy: str = "p", rep: int = 0) -> dict[str, float]:
    return simulate(s, policy, rep, check=True).summary


def test_an_order_on_the_last_day_changes_only_the_ordering_cost() -> None:
    """100 on hand, 5 sold a day for 14 days. ``late`` reorders 65 when its position reaches 30 (day 13,
    after that day's sale); they land on day 18, after the horizon. Both sell and hold the same: the goods
    used are 70 × 2 = 140 for both, and total_cost differs by the one order's cost (50) alone, though
    ``late`` paid 130 more for goods it never used."""
    policies = {
        "never": {"default": NEVER},
        "late": {"default": {"r_Q": {"reorder_point": 30.5, "order_quantity": 65}}},
    }
    s = shop(policies=policies)
    never, late = play(s, "never"), play(s, "late")
    assert late["orders_placed"] == 1 and never["orders_placed"] == 0
    assert never["cost_of_goods"] == late["cost_of_goods"] == 70 * 2.0
    assert late["purchase_cost"] - never["purchase_cost"] == 65 * 2.0
    assert late["holding_cost"] == never["holding_cost"]
    assert late["total_cost"] - never["total_cost"] == pytest.approx(50.0)


def test_revenue_margin_and_profit_with_lost_sales() -> None:
    """20 on hand, 10 asked each morning, customers leave when it is gone, never replenished, 3 days:
    days 0 and 1 sell 10 each, day 2's 10 are lost. Price 5, cost 2, holding 0.1 a unit-day (10 units on
    [0, 1)), goodwill 1 a lost unit:
    revenue 20 × 5 = 100; cost of goods 20 × 2 = 40; margin 60; holding 1; shortage 10 × 1 = 10;
    total cost 1 + 40 + 10 = 51; profit 100 − 51 = 49."""
    s = shop(
        horizon=3,
        items={"x": {"unit_cost": 2.0, "price": 5.0, "holding_cost": 0.1, "lost_sale_cost": 1.0}},
        costs={"lost_sale_cost": 99.0},  # the item's own wins
        sites={"shop": {"stock": {"x": {"source": "s", "initial": 20}}}},
        demand=[{"at": "shop/x", "timing": "start_of_day", "per_day": 10, "on_stockout": "lost"}],
    )
    r = play(s)
    assert r["lost_sales"] == 10
    assert r["revenue"] == pytest.approx(100.0)
    assert r["cost_of_goods"] == pytest.approx(40.0)
    assert r["gross_margin"] == pytest.approx(60.0)
    assert r["holding_cost"] == pytest.approx(1.0)
    assert r["shortage_cost"] == pytest.approx(10.0)
    assert r["total_cost"] == pytest.approx(51.0)
    assert r["profit"] == pytest.approx(49.0)
    assert r["shop/x.profit"] == r["profit"]
    assert r["days_short"] == 1.0  # day 2
    assert r["days_empty"] == pytest.approx(2.0)  # [1, 3)


def test_profit_is_unknown_when_an_item_sold_has_no_price() -> None:
    """Two items sold, one without a price: revenue and profit of the network cannot be told (NaN), the
    priced item's own can."""
    s = shop(
        items={"x": {"unit_cost": 2.0, "price": 5.0}, "y": {"unit_cost": 1.0}},
        suppliers={"s": {"supplies": ["x", "y"], "lead_time": 5}},
        sites={"shop": {"stock": {"x": {"source": "s", "initial": 100}, "y": {"source": "s", "initial": 100}}}},
        demand=[
            {"at": "shop/x", "timing": "start_of_day", "per_day": 5},
            {"at": "shop/y", "timing": "start_of_day", "per_day": 5},
        ],
    )
    r = play(s)
    assert math.isnan(r["profit"]) and math.isnan(r["revenue"]) and math.isnan(r["shop/y.profit"])
    assert r["shop/x.revenue"] == pytest.approx(14 * 5 * 5.0)


def test_per_item_backorder_cost_overrides_the_shared_one() -> None:
    """Nothing on hand, 5 asked a day, backordered, never replenished, 2 days: 5 units wait on [0, 1) and
    10 on [1, 2), 15 unit-days; at the item's 0.5 a unit-day (not the shared 7) that is 7.5."""
    s = shop(
        horizon=2,
        items={"x": {"unit_cost": 2.0, "backorder_cost": 0.5}},
        costs={"backorder_cost": 7.0},
        sites={"shop": {"stock": {"x": {"source": "s", "initial": 0}}}},
    )
    assert play(s)["shortage_cost"] == pytest.approx(7.5)


def test_a_made_unit_carries_its_components_cost() -> None:
    """A widget is made of 2 parts at 3 each; 10 widgets made and sold cost 10 × 2 × 3 = 60 in goods, whatever
    the widget's own unit_cost (used for holding) says."""
    s = load_scenario(
        {
            "name": "plant",
            "horizon": 30,
            "items": {"widget": {"unit_cost": 100.0, "price": 10.0}, "part": {"unit_cost": 3.0}},
            "suppliers": {"s": {"supplies": ["part"], "lead_time": 1}},
            "sites": {
                "plant": {
                    "stock": {"widget": {"source": "assembly", "initial": 0}, "part": {"source": "s", "initial": 20}},
                    "lines": {"assembly": {"makes": "widget", "bom": {"part": 2}, "rate": 10}},
                }
            },
            "demand": [
                {
                    "at": "plant/widget",
                    "timing": "start_of_day",
                    "per_day": 10,
                    "shocks": [{"start": 1, "duration": 40, "factor": 0}],
                }
            ],
            "policies": {"p": {"default": {"make_to_order": {}}, "overrides": {"plant/part": NEVER}}},
        }
    )
    r = play(s)
    assert r["plant/widget.cost_of_goods"] == pytest.approx(60.0)
    assert r["plant/part.cost_of_goods"] == 0.0  # consumed by the line: not used up until the widget is sold
    assert r["gross_margin"] == pytest.approx(100.0 - 60.0)


def test_cash_tied_up_turns_and_cash_to_cash() -> None:
    """100 units at 2 on hand, 5 sold each morning for 14 days, never replenished: 100 − 5(k + 1) on hand on
    [k, k + 1), so the value tied up averages 2 × 62.5 = 125. Turns = cost of goods a year / that; days of
    supply = that / cost of goods a day; nothing bought, so nothing payable; customers pay after 10 days, so
    cash-to-cash = days of supply + 10."""
    s = shop(items={"x": {"unit_cost": 2.0, "price": 3.0}}, costs={"customer_payment_days": 10.0})
    r = play(s)
    average = fmean(2.0 * (100 - 5 * (k + 1)) for k in range(14))
    assert average == 125.0
    assert r["avg_inventory_value"] == pytest.approx(average)
    per_day = 140.0 / 14
    assert r["inventory_turns"] == pytest.approx(per_day * 365 / average)
    assert r["days_of_supply"] == pytest.approx(average / per_day)
    assert r["cash_to_cash"] == pytest.approx(average / per_day + 10.0)
    assert math.isnan(play(shop())["cash_to_cash"])  # no payment terms: not shown


def test_payables_count_the_days_suppliers_wait() -> None:
    """Bought from a supplier paid after 30 days: cash-to-cash is days of supply − 30 (no receivables without
    a price)."""
    s = shop(
        horizon=40,
        suppliers={"s": {"supplies": ["x"], "lead_time": 1, "payment_days": 30}},
        policies={"p": {"default": {"r_Q": {"reorder_point": 20, "order_quantity": 50}}}},
    )
    r = play(s)
    assert r["purchase_cost"] > 0
    assert r["cash_to_cash"] == pytest.approx(r["days_of_supply"] - 30.0)


def _stochastic(warmup: float) -> Scenario:
    """A store ordering EOQ lots (Q* = √(2·7300·10/2.5) ≈ 242, 12 days of demand) or lots of 5 days against a
    safety stock."""
    return load_scenario(
        {
            "name": "warm-up shift",
            "horizon": warmup + 365,
            "warmup": warmup,
            "items": {"x": {"unit_cost": 10.0}},
            "costs": {"holding_rate": 0.25, "order_cost": 10.0, "backorder_cost": 1.0},
            "suppliers": {"s": {"supplies": ["x"], "lead_time": 5}},
            "sites": {"store": {"stock": {"x": {"source": "s"}}}},
            "demand": [{"at": "store/x", "timing": "start_of_day", "per_day": {"poisson": 20}}],
            "policies": {
                "eoq": {"default": {"eoq": {}}},
                "safety_stock": {"default": {"safety_stock": {"service_level": 0.95, "order_quantity": 100}}},
            },
        }
    )


@pytest.mark.slow
def test_shifting_the_warm_up_by_half_a_cycle_leaves_the_paired_cost_difference_alone() -> None:
    """EOQ − safety stock, paired over 40 replications, with the window starting on day 50 and on day 56 (half
    an EOQ cycle later): the second difference lies inside the first's 95% interval (measured −256.1 ± 6.6,
    then −261.6). Cash paid for orders (purchase_cost, what total_cost counted before) is what moved it: the
    same shift moves that difference from +142 to −8, and by −523 more three days later."""
    n = 40

    def diffs(warmup: float, kpi: str) -> list[float]:
        s = _stochastic(warmup)
        return [play(s, "eoq", r)[kpi] - play(s, "safety_stock", r)[kpi] for r in range(n)]

    t = stats.t.ppf(0.975, n - 1)
    first, shifted = diffs(50, "total_cost"), diffs(56, "total_cost")
    half = t * stdev(first) / math.sqrt(n)
    assert abs(fmean(shifted) - fmean(first)) <= half
    cash_first, cash_shifted = diffs(50, "purchase_cost"), diffs(56, "purchase_cost")
    assert abs(fmean(cash_shifted) - fmean(cash_first)) > 10 * abs(fmean(shifted) - fmean(first))
