"""Facts derived from a scenario without simulating: mean demand through the network, lead times, costs.

Policies are parameterised from these (EOQ needs the demand rate of an internal stock point,
which comes from downstream sites and bills of materials); ABC classes rank stock points by them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from statistics import fmean

from simjit.scenario.distributions import distribution_mean, distribution_sd
from simjit.scenario.models import Demand, Scenario
from simjit.scenario.references import source_kind

__all__ = [
    "backup_order_cost",
    "customer_shares",
    "demand_multiplier_mean",
    "demand_rates",
    "holding_cost_per_day",
    "lead_time",
    "order_cost",
    "production_rate",
    "purchase_content",
]

Point = tuple[str, str]


def demand_multiplier_mean(d: Demand) -> float:
    """Average of the seasonal multipliers (trend and shocks are left out: they are transient)."""
    m = 1.0
    if d.seasonality and d.seasonality.weekly:
        m *= fmean(d.seasonality.weekly)
    if d.seasonality and d.seasonality.annual:
        m *= fmean(d.seasonality.annual)
    return m


def _customer(d: Demand) -> tuple[float, float]:
    m = demand_multiplier_mean(d)
    if d.per_day is not None:
        return distribution_mean(d.per_day) * m, distribution_sd(d.per_day) * m
    assert d.arrivals is not None
    size_m, size_sd = distribution_mean(d.arrivals.size), distribution_sd(d.arrivals.size)
    rate = d.arrivals.rate * m
    return rate * size_m, math.sqrt(rate * (size_sd**2 + size_m**2))


def demand_rates(s: Scenario) -> dict[Point, tuple[float, float]]:
    """Mean and sd of daily demand at every stock point: customers plus what downstream draws."""
    direct: dict[Point, list[float]] = {p: [0.0, 0.0] for p in s.stock_points()}
    for d in s.demand:
        site, item = d.at.split("/")
        mean, sd = _customer(d)
        direct[(site, item)][0] += mean
        direct[(site, item)][1] += sd * sd
    memo: dict[Point, tuple[float, float]] = {}

    def rate(p: Point) -> tuple[float, float]:
        if p in memo:
            return memo[p]
        mean, var = direct[p]
        memo[p] = (mean, math.sqrt(var))
        for q, k in _downstream(s, p):
            m, sd = rate(q)
            if k is None:
                mean, var = mean + m, var + sd * sd
            else:
                mean, var = mean + k * m, var + (k * sd) ** 2
        memo[p] = (mean, math.sqrt(var))
        return memo[p]

    return {p: rate(p) for p in s.stock_points()}


def _downstream(s: Scenario, p: Point) -> Iterator[tuple[Point, float | None]]:
    """The stock points that draw from ``p``: each with the units of ``p``'s item one of its units takes
    through a line's bill of materials, or None along a lane (one for one, shipped rather than consumed)."""
    for q in s.stock_points():
        kind = source_kind(s, *q)
        src = s.sites[q[0]].stock[q[1]].source
        if kind == "site" and src == p[0] and q[1] == p[1]:
            yield q, None
        elif kind == "line" and q[0] == p[0] and p[1] in s.sites[q[0]].lines[src].bom:
            yield q, s.sites[q[0]].lines[src].bom[p[1]]


def customer_shares(s: Scenario) -> dict[Point, dict[Point, float]]:
    """Per stock point, the customer-facing stock points it ultimately supplies (itself, if customers buy
    there), each with the units of its item that one unit sold there takes: 1 along lanes, the product
    of the bills of materials through lines (summed over every path). Empty: no customer downstream."""
    customers = {(site, item) for site, item in (d.at.split("/") for d in s.demand)}
    memo: dict[Point, dict[Point, float]] = {}

    def shares(p: Point) -> dict[Point, float]:
        if p not in memo:
            out = {p: 1.0} if p in customers else {}
            for q, k in _downstream(s, p):
                for c, w in shares(q).items():
                    out[c] = out.get(c, 0.0) + (1.0 if k is None else k) * w
            memo[p] = out
        return memo[p]

    return {p: shares(p) for p in s.stock_points()}


def lead_time(s: Scenario, site: str, item: str, rates: dict[Point, tuple[float, float]]) -> tuple[float, float]:
    """Mean and sd of the replenishment time of a stock point, as a policy would estimate it.

    Supplier: lead time plus the expected lateness; site: the lane's transit; line: none fixed —
    making a batch takes its size over the rate, which the policy adds (see :func:`production_rate`).
    """
    sp = s.sites[site].stock[item]
    kind = source_kind(s, site, item)
    if kind == "supplier":
        sup = s.suppliers[sp.source]
        late = 1.0 - sup.on_time
        lm, ls = distribution_mean(sup.lead_time), distribution_sd(sup.lead_time)
        dm, ds = distribution_mean(sup.delay), distribution_sd(sup.delay)
        mean = lm + late * dm
        var = ls**2 + late * (ds**2 + dm**2) - (late * dm) ** 2
        return mean, math.sqrt(max(var, 0.0))
    if kind == "site":
        return distribution_mean(sp.transit), distribution_sd(sp.transit)
    return 0.0, 0.0


def production_rate(s: Scenario, site: str, item: str) -> float | None:
    """Units per day of the line that makes the stock point's item, or None if bought or shipped in."""
    if source_kind(s, site, item) != "line":
        return None
    return s.sites[site].lines[s.sites[site].stock[item].source].rate


def holding_cost_per_day(s: Scenario, item: str) -> float:
    """Holding cost of one unit for one day: the item's own, the scenario's, or rate × unit cost."""
    it = s.items[item]
    if it.holding_cost is not None:
        return it.holding_cost
    if s.costs.holding_cost is not None:
        return s.costs.holding_cost
    return s.costs.holding_rate * it.unit_cost / s.costs.days_per_year


def order_cost(s: Scenario, site: str, item: str) -> float:
    """Fixed cost of one order of a stock point from its source: the stock point's own ``order_cost``
    (a lane's), else its supplier's or line's, else ``costs.order_cost``."""
    sp = s.sites[site].stock[item]
    if sp.order_cost is not None:
        return sp.order_cost
    kind = source_kind(s, site, item)
    own = None
    if kind == "supplier":
        own = s.suppliers[sp.source].order_cost
    elif kind == "line":
        own = s.sites[site].lines[sp.source].order_cost
    return own if own is not None else s.costs.order_cost


def backup_order_cost(s: Scenario, supplier: str) -> float:
    """Fixed cost of one order from a backup supplier: its own ``order_cost``, else ``costs.order_cost``."""
    own = s.suppliers[supplier].order_cost
    return own if own is not None else s.costs.order_cost


def purchase_content(s: Scenario, site: str, item: str) -> float:
    """What the goods in one unit of ``item`` at ``site`` cost to buy: the supplier's price (its start,
    for a walking price) with its premium, the upstream site's for a lane, the bill of materials for a
    line (a made unit carries its components' cost)."""
    from simjit.scenario.models import RandomWalk

    spec = s.sites[site].stock[item]
    kind = source_kind(s, site, item)
    if kind == "line":
        line = s.sites[site].lines[spec.source]
        return math.fsum(k * purchase_content(s, site, comp) for comp, k in line.bom.items())
    if kind == "site":
        return purchase_content(s, spec.source, item)
    if kind == "supplier":
        sup = s.suppliers[spec.source]
        price = sup.price
        base = price.random_walk.start if isinstance(price, RandomWalk) else price
        return (s.items[item].unit_cost if base is None else base) * (1.0 + sup.price_premium)
    return s.items[item].unit_cost
