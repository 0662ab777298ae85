"""KPIs of one replication from the stock points' running totals over [warmup, horizon), and the
resilience of its disruption events; what each KPI means is in :mod:`simjit.model.catalogue`.

Totals are read at the warm-up instant (before anything else happens then) and at the
horizon; every KPI is computed from their difference, so time averages are exact integrals.
"""

from __future__ import annotations

import math

import numpy as np

from simjit.model.catalogue import CATALOGUE, KPIS, TOTAL_COST_PARTS, priced
from simjit.model.resilience import Row
from simjit.model.stock_point import StockPoint
from simjit.scenario.models import Scenario

__all__ = ["KPIS", "Snapshot", "kpis"]

_SUMMED = tuple(k.name for k in CATALOGUE if k.network == "sum")
_RESILIENCE = ("time_to_survive", "time_to_recover", "units_short")

Snapshot = dict[str, dict[str, float]]


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else math.nan


def _costs(sp: StockPoint, d: dict[str, float], s: Scenario) -> dict[str, float]:
    f = sp.facts
    item = s.items[f.item]
    backorder = s.costs.backorder_cost if item.backorder_cost is None else item.backorder_cost
    lost_sale = s.costs.lost_sale_cost if item.lost_sale_cost is None else item.lost_sale_cost
    out = {
        "holding_cost": f.holding_cost * d["area_on_hand"],
        "ordering_cost": d["ordering_cost"],
        "cost_of_goods": d["used_value"],
        "purchase_cost": d["purchase_cost"],
        "expediting_cost": d["expedite_cost"],
        "shortage_cost": backorder * d["area_backorders"] + lost_sale * d["lost"],
        "spoilage_cost": d["expired_value"],
        "defect_cost": f.unit_cost * d["defective"],
    }
    out["total_cost"] = math.fsum(out[k] for k in TOTAL_COST_PARTS)
    return out


def _money(row: dict[str, float], revenue: float) -> None:
    """Revenue, margin and profit of a stock point or the network (NaN revenue: some item has no price)."""
    row["revenue"] = revenue
    row["gross_margin"] = revenue - row["cost_of_goods"]
    row["profit"] = revenue - row["total_cost"]


def _cash(row: dict[str, float], d: dict[str, float], span: float, s: Scenario, receivables: bool) -> None:
    """Turns, days of supply and cash-to-cash from a row's inventory value and cost of goods; ``d``
    holds ``purchase_cost`` and ``paid_days`` (purchases × the days until they are paid)."""
    per_day = row["cost_of_goods"] / span
    row["inventory_turns"] = _ratio(per_day * s.costs.days_per_year, row["avg_inventory_value"])
    row["days_of_supply"] = _ratio(row["avg_inventory_value"], per_day)
    if _terms(s):
        payables = d["paid_days"] / d["purchase_cost"] if d["purchase_cost"] > 0 else 0.0
        owed_to_us = s.costs.customer_payment_days if receivables else 0.0
        row["cash_to_cash"] = row["days_of_supply"] + owed_to_us - payables
    else:
        row["cash_to_cash"] = math.nan


def _terms(s: Scenario) -> bool:
    """True when the scenario sets payment terms (else cash-to-cash would only repeat days of supply)."""
    return s.costs.customer_payment_days > 0 or any(x.payment_days > 0 for x in s.suppliers.values())


def _days_with(by_day: list[float] | np.ndarray, lo: int, hi: int) -> float:
    """Days in [lo, hi) on which something was counted."""
    return float(np.count_nonzero(np.asarray(by_day[lo:hi]) > 0))


def _bullwhip(orders: np.ndarray, demand: np.ndarray) -> float:
    if len(demand) < 2:
        return math.nan
    vd = float(np.var(demand, ddof=1))
    return float(np.var(orders, ddof=1)) / vd if vd > 0 else math.nan


def _mean_of(events: list[dict[str, float | bool]] | list[Row], name: str) -> float:
    """Mean of one measurement over a replication's events; NaN when there were none."""
    return math.fsum(float(e[name]) for e in events) / len(events) if events else math.nan


def kpis(
    s: Scenario, points: dict[tuple[str, str], StockPoint], at_warmup: Snapshot, at_end: Snapshot,
    events: list[Row], per_point: dict[tuple[str, str], list[dict[str, float | bool]]],
) -> dict[str, float]:  # fmt: skip
    """The flat summary of a replication: network KPIs, then ``site/item.kpi`` for every stock point."""
    w, h = s.warmup, s.horizon
    span = h - w
    lo, hi = math.ceil(w), math.ceil(h)
    facing = {tuple(x.at.split("/", 1)) for x in s.demand}
    out: dict[str, float] = {}
    total = dict.fromkeys(KPIS, 0.0)
    net = dict.fromkeys(
        ("served_now", "demand", "wait", "served", "cycles", "short", "purchase_cost", "paid_days"), 0.0
    )
    sum_orders = np.zeros(hi - lo)
    sum_demand = np.zeros(hi - lo)
    short_days = np.zeros(hi - lo)
    for (site, item), sp in points.items():
        d = {k: at_end[sp.name][k] - at_warmup[sp.name][k] for k in at_end[sp.name]}
        row = _costs(sp, d, s)
        customer = d["demand"] > 0
        sells = (site, item) in facing
        row["fill_rate"] = (
            _ratio(d["served_now"], d["demand"]) if customer else _ratio(d["internal_served_now"], d["internal_demand"])
        )
        row["cycle_service_level"] = 1.0 - _ratio(d["short_cycles"], d["cycles"])
        row["avg_on_hand"] = d["area_on_hand"] / span
        row["avg_on_hand_value"] = row["avg_on_hand"] * sp.facts.unit_cost
        row["avg_inventory_value"] = d["area_value"] / span
        price = s.items[item].price
        sold = d["served_now"] + d["served_late"]
        _money(row, (math.nan if price is None else price * sold) if sells else 0.0)
        _cash(row, d, span, s, receivables=sells and price is not None)
        row["avg_backorders"] = d["area_backorders"] / span
        row["avg_pipeline"] = d["area_pipeline"] / span
        row["demand"] = d["demand"] + d["internal_demand"]
        row["lost_sales"] = d["lost"]
        row["avg_customer_wait"] = _ratio(d["wait"], d["served_now"] + d["served_late"])
        row["orders_placed"] = d["orders"]
        shorts = sp.short_by_day if sells else sp.internal_short_by_day
        row["days_short"] = _days_with(shorts, lo, hi)
        row["days_empty"] = d["zero_time"]
        row["line_starved_days"] = d["starved"]
        row["line_idle_days"] = d["line_idle"]
        row["backup_units"] = d["backup_units"]
        row["expedited_units"] = d["expedited_units"]
        for k in _RESILIENCE:
            row[k] = _mean_of(per_point.get((site, item), []), k)
        orders, demand = np.asarray(sp.orders_by_day[lo:hi]), np.asarray(sp.demand_by_day[lo:hi])
        row["bullwhip"] = _bullwhip(orders, demand)
        for k in KPIS:
            out[f"{site}/{item}.{k}"] = row[k]
        for k in _SUMMED:
            total[k] += row[k]
        net["purchase_cost"] += d["purchase_cost"]
        net["paid_days"] += d["paid_days"]
        if sells:
            short_days += np.asarray(sp.short_by_day[lo:hi])
        if customer:
            net["served_now"] += d["served_now"]
            net["demand"] += d["demand"]
            net["wait"] += d["wait"]
            net["served"] += d["served_now"] + d["served_late"]
            net["cycles"] += d["cycles"]
            net["short"] += d["short_cycles"]
            total["avg_backorders"] += row["avg_backorders"]
            total["lost_sales"] += row["lost_sales"]
            total["days_empty"] = max(total["days_empty"], d["zero_time"])
            sum_demand += demand
        if sp.supply.kind == "supplier":
            sum_orders += orders
    total["demand"] = net["demand"]
    total["fill_rate"] = _ratio(net["served_now"], net["demand"])
    total["cycle_service_level"] = 1.0 - _ratio(net["short"], net["cycles"])
    total["avg_customer_wait"] = _ratio(net["wait"], net["served"])
    total["days_short"] = _days_with(short_days, 0, len(short_days))
    _cash(total, net, span, s, receivables=priced(s))
    for k in _RESILIENCE:
        total[k] = _mean_of(events, k)
    total["bullwhip"] = _bullwhip(sum_orders, sum_demand)
    return {**total, **out}
