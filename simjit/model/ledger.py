"""KPIs of one replication from the stock points' running totals over [warmup, horizon).

Totals are read at the warm-up instant (before anything else happens then) and at the
horizon; every KPI is computed from their difference, so time averages are exact integrals.
"""

from __future__ import annotations

import math

import numpy as np

from simjit.model.disruptions import Outage
from simjit.model.stock_point import StockPoint
from simjit.scenario.models import Scenario

__all__ = ["KPIS", "Snapshot", "kpis"]

KPIS = (
    "total_cost", "holding_cost", "ordering_cost", "purchase_cost", "expediting_cost", "shortage_cost",
    "spoilage_cost", "defect_cost", "fill_rate", "cycle_service_level", "avg_on_hand", "avg_on_hand_value",
    "avg_backorders", "avg_pipeline", "demand", "lost_sales", "avg_customer_wait", "orders_placed",
    "stockout_days", "line_starved_days", "time_to_recover", "bullwhip",
)  # fmt: skip
"""KPI names, for the network (plain) and per stock point (``site/item.kpi``).

Network values: costs, stock, backorders, lost sales, orders and starved days are sums over
stock points; fill rate, cycle service level and customer wait are pooled over customer-facing
stock points; stockout_days is the worst customer-facing stock point's; time_to_recover the
mean over disruptions that hit a source; bullwhip compares orders to suppliers with customer demand.
"""

Snapshot = dict[str, dict[str, float]]


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else math.nan


def _costs(sp: StockPoint, d: dict[str, float], s: Scenario) -> dict[str, float]:
    f = sp.facts
    out = {
        "holding_cost": f.holding_cost * d["area_on_hand"],
        "ordering_cost": f.order_cost * d["orders"],
        "purchase_cost": d["purchase_cost"],
        "expediting_cost": d["expedite_cost"],
        "shortage_cost": s.costs.backorder_cost * d["area_backorders"] + s.costs.lost_sale_cost * d["lost"],
        "spoilage_cost": f.unit_cost * d["expired"],
        "defect_cost": f.unit_cost * d["defective"],
    }
    out["total_cost"] = math.fsum(out.values())
    return out


def _bullwhip(orders: np.ndarray, demand: np.ndarray) -> float:
    if len(demand) < 2:
        return math.nan
    vd = float(np.var(demand, ddof=1))
    return float(np.var(orders, ddof=1)) / vd if vd > 0 else math.nan


def _recovery(sp: StockPoint, outages: list[Outage], start: float, end: float) -> float:
    """Mean over outages of ``sp``'s source starting in [start, end) of the time to recover.

    Time to recover: from the outage's start to the end of the last shortage episode (units owed
    to someone waiting) that began between the outage's start and its end plus the source's mean
    lead time — the window in which the outage can starve this stock point. 0 when none did.
    """
    hit = [o for o in outages if sp.source_name in o.targets and start <= o.start < end]
    if not hit:
        return math.nan
    spans = sp.shortage_spans(end)
    times = []
    for o in hit:
        reach = o.end + sp.facts.lead_time
        ends = [b for a, b in spans if o.start <= a <= reach]
        times.append(max(ends) - o.start if ends else 0.0)
    return math.fsum(times) / len(times)


def kpis(
    s: Scenario, points: dict[tuple[str, str], StockPoint], at_warmup: Snapshot, at_end: Snapshot, outages: list[Outage]
) -> dict[str, float]:
    """The flat summary of a replication: network KPIs, then ``site/item.kpi`` for every stock point."""
    w, h = s.warmup, s.horizon
    span = h - w
    lo, hi = math.ceil(w), math.ceil(h)
    out: dict[str, float] = {}
    total = dict.fromkeys(KPIS, 0.0)
    net = dict.fromkeys(("served_now", "demand", "wait", "served", "cycles", "short"), 0.0)
    ttr: list[float] = []
    sum_orders = np.zeros(hi - lo)
    sum_demand = np.zeros(hi - lo)
    for (site, item), sp in points.items():
        d = {k: at_end[sp.name][k] - at_warmup[sp.name][k] for k in at_end[sp.name]}
        row = _costs(sp, d, s)
        customer = d["demand"] > 0
        row["fill_rate"] = (
            _ratio(d["served_now"], d["demand"]) if customer else _ratio(d["internal_served_now"], d["internal_demand"])
        )
        row["cycle_service_level"] = 1.0 - _ratio(d["short_cycles"], d["cycles"])
        row["avg_on_hand"] = d["area_on_hand"] / span
        row["avg_on_hand_value"] = row["avg_on_hand"] * sp.facts.unit_cost
        row["avg_backorders"] = d["area_backorders"] / span
        row["avg_pipeline"] = d["area_pipeline"] / span
        row["demand"] = d["demand"] + d["internal_demand"]
        row["lost_sales"] = d["lost"]
        row["avg_customer_wait"] = _ratio(d["wait"], d["served_now"] + d["served_late"])
        row["orders_placed"] = d["orders"]
        row["stockout_days"] = d["zero_time"]
        row["line_starved_days"] = d["starved"]
        row["time_to_recover"] = _recovery(sp, outages, w, h)
        orders, demand = np.asarray(sp.orders_by_day[lo:hi]), np.asarray(sp.demand_by_day[lo:hi])
        row["bullwhip"] = _bullwhip(orders, demand)
        for k in KPIS:
            out[f"{site}/{item}.{k}"] = row[k]
        for k in ("total_cost", "holding_cost", "ordering_cost", "purchase_cost", "expediting_cost", "shortage_cost",
                  "spoilage_cost", "defect_cost", "avg_on_hand", "avg_on_hand_value", "avg_backorders", "avg_pipeline",
                  "lost_sales", "orders_placed", "line_starved_days"):  # fmt: skip
            total[k] += row[k]
        if customer:
            net["served_now"] += d["served_now"]
            net["demand"] += d["demand"]
            net["wait"] += d["wait"]
            net["served"] += d["served_now"] + d["served_late"]
            net["cycles"] += d["cycles"]
            net["short"] += d["short_cycles"]
            total["stockout_days"] = max(total["stockout_days"], d["zero_time"])
            sum_demand += demand
        if sp.source_kind == "supplier":
            sum_orders += orders
        if not math.isnan(row["time_to_recover"]):
            ttr.append(row["time_to_recover"])
    total["demand"] = net["demand"]
    total["fill_rate"] = _ratio(net["served_now"], net["demand"])
    total["cycle_service_level"] = 1.0 - _ratio(net["short"], net["cycles"])
    total["avg_customer_wait"] = _ratio(net["wait"], net["served"])
    total["time_to_recover"] = math.fsum(ttr) / len(ttr) if ttr else math.nan
    total["bullwhip"] = _bullwhip(sum_orders, sum_demand)
    return {**total, **out}
