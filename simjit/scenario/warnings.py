"""Scenarios that validate but cannot work as their author meant: a disruption outside the measured
window, a line slower than its demand, a kanban loop smaller than its lead-time demand, a buffer sized
for smooth demand that a line draws in lots, a backup too small for what it backs up, make-to-order
for customers who do not wait, a time or quantity drawn below zero often enough to change its mean.
Warnings, not errors: the run is still well defined, only probably not what was meant."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from simjit.scenario.assignment import assign_policies, spec_path
from simjit.scenario.dependent_demand import lumpy_service, lumpy_stock_points, order_lot, reorder_point_for
from simjit.scenario.derived import demand_rates, lead_time, purchase_content
from simjit.scenario.distributions import Normal, distribution_mean
from simjit.scenario.models import Disruption, OnStockout, Scenario
from simjit.scenario.policy_specs import Eoq, Kanban, MakeToOrder, PeriodicKanban, SafetyStock
from simjit.scenario.references import Finding
from simjit.scenario.types import number_text
from simjit.scenario.yaml_nodes import Path

__all__ = ["NEGATIVE_SHARE", "scenario_warnings"]

NEGATIVE_SHARE = 0.01
"""A normal time or quantity below zero more often than this is worth a word: its draws are redrawn."""


def scenario_warnings(s: Scenario) -> list[Finding]:
    """Every warning about ``s``, in the order of the file."""
    return [
        *_windows(s),
        *_slow_lines(s),
        *_small_loops(s),
        *_lumpy_demand(s),
        *_small_backups(s),
        *_slow_lots(s),
        *_orders_nobody_waits_for(s),
        *_tiny_lots(s),
        *_truncated(s),
        *_cheap_lost_sales(s),
    ]


def _disruptions(s: Scenario) -> Iterator[tuple[Path, Disruption]]:
    for name, sup in s.suppliers.items():
        yield from ((("suppliers", name, "disruptions", i), d) for i, d in enumerate(sup.disruptions))
    for site, x in s.sites.items():
        for item, sp in x.stock.items():
            yield from ((("sites", site, "stock", item, "disruptions", i), d) for i, d in enumerate(sp.disruptions))
        for line, spec in x.lines.items():
            yield from ((("sites", site, "lines", line, "disruptions", i), d) for i, d in enumerate(spec.disruptions))
    yield from ((("events", i), ev) for i, ev in enumerate(s.events))


def _windows(s: Scenario) -> Iterator[Finding]:
    """A scheduled window the results never see: it opens after the horizon or closes before the warm-up."""
    for path, d in _disruptions(s):
        if d.start is None:
            continue
        end = d.start + distribution_mean(d.length)
        if d.start >= s.horizon:
            yield Finding(
                (*path, "start"),
                f"this disruption starts on day {d.start:g}, after the horizon ({s.horizon:g}): it never happens",
                "lengthen the horizon or move the start",
            )
        elif end <= s.warmup:
            yield Finding(
                (*path, "start"),
                f"this disruption ends (on average) on day {end:g}, before the warm-up ends ({s.warmup:g}): no "
                "result measures it",
                "move it after the warm-up or shorten the warm-up",
            )


def _slow_lines(s: Scenario) -> Iterator[Finding]:
    """A line whose rate is below the mean demand for what it makes: its backlog grows without end."""
    rates = demand_rates(s)
    for site, x in s.sites.items():
        for item, sp in x.stock.items():
            line = x.lines.get(sp.source)
            need = rates[(site, item)][0]
            if line is not None and line.rate < need:
                yield Finding(
                    ("sites", site, "lines", sp.source, "rate"),
                    f"the line makes {line.rate:g} a day but {site}/{item} needs {need:.4g} a day on average: "
                    "its backlog grows without end",
                    f"a rate above {need:.4g}",
                )


def _small_loops(s: Scenario) -> Iterator[Finding]:
    """A kanban loop holding no more than the demand over its replenishment time. The loop holds
    N·c + s·D (``safety_time`` s sends cards s days early); Toyota's rule N = D·(L + S)/c counts the
    safety time S in the containers, so the hint gives N for the replenishment time alone (plus R for
    cards collected every R days) and says where the safety time goes."""
    rates = demand_rates(s)
    for name, pset in s.policies.items():
        for (site, item), spec in assign_policies(s, pset).items():
            if isinstance(spec, Kanban):
                n, c, safety, extra = (spec.kanban.containers, spec.kanban.container_size, spec.kanban.safety_time, 0.0)
            elif isinstance(spec, PeriodicKanban):
                p = spec.periodic_kanban
                n, c, safety, extra = p.containers, p.container_size, p.safety_time, p.review_period
            else:
                continue
            demand = rates[(site, item)][0]
            cover = lead_time(s, site, item, rates)[0] + extra
            holds = n * c + safety * demand
            if holds <= demand * cover:
                held = f"{n} × {c:g}" + (f" + {safety:g} days × {demand:.4g}" if safety else "")
                yield Finding(
                    spec_path(s, name, f"{site}/{item}", spec),
                    f"the kanban loop of {site}/{item} holds {held} = {holds:.4g} units, no more than the "
                    f"{demand * cover:.4g} demanded over its {cover:.3g} days of replenishment: with nothing for the "
                    "spread of demand and lead time, customers will wait in most cycles",
                    f"the sizing rule N = D·(L + S)/c gives {math.ceil(demand * (cover + 1) / c)} containers for a "
                    "safety time S of 1 day; or keep N for L alone and give the loop safety_time: S",
                )


def _lumpy_demand(s: Scenario) -> Iterator[Finding]:
    """A reorder point sized for a smooth daily demand at a component a line draws a production order's parts
    at a time (:mod:`simjit.scenario.dependent_demand` estimates what it really gives)."""
    for name, (site, part), spec, sizing, lots in lumpy_stock_points(s):
        point, out = f"{site}/{part}", "/".join(lots.output)
        cycle, fill = lumpy_service(sizing, lots)
        aim = "it aims for" if isinstance(spec, SafetyStock) else _MEAN_REORDER
        due = math.ceil(sizing.lead_time / lots.interval)
        better = reorder_point_for(sizing, lots, sizing.target)
        given = getattr(spec, spec.tag).order_quantity
        lot = f", order_quantity: {number_text(given)}" if given is not None else ""
        yield Finding(
            spec_path(s, name, point, spec),
            f"{sizing.kind} at {point} sizes its reorder point ({_units(sizing.reorder_point)}) for a steady "
            f"{sizing.demand:.4g} a day (sd {sizing.demand_sd:.3g}), but line {lots.line} draws it in lots: {out} "
            f"orders {_units(lots.lot)} at a time ({lots.lot_name}) × {lots.per_unit:g} = {_units(lots.parts)} "
            f"{part} at once, about every {lots.interval:.3g} days. Expect about {cycle:.0%} of replenishment "
            f"cycles without a stock-out, not the {sizing.target:.0%} {aim}{_EXTRA if sizing.extra_receipts else ''}, and a fill rate of "
            f"about {fill:.2f} for the line",
            f"a reorder point of about {_units(better)} gives {sizing.target:.0%} by the same estimate (the line "
            f"takes {due} lot{'s' if due > 1 else ''} of {_units(lots.parts)} within a {sizing.lead_time:.3g}-day "
            f"lead time): {{eoq: {{reorder_point: {_units(better).replace(',', '')}{lot}}}}}; or let safety_stock forecast {point}'s own "
            f"demand, which sees the lots (forecast: {{moving_average: 28}}); or smaller lots at {out}",
        )


def _slow_lots(s: Scenario) -> Iterator[Finding]:
    """A reorder point sized over the supplier's lead time alone, for a lot its capacity takes days to make:
    the lot lands that much later than the formula plans, and the stock runs short in between."""
    rates = demand_rates(s)
    for name, specs in ((n, assign_policies(s, p)) for n, p in s.policies.items()):
        for (site, item), spec in specs.items():
            supplier = s.suppliers.get(s.sites[site].stock[item].source)
            if supplier is None or supplier.capacity is None or not isinstance(spec, Eoq | SafetyStock):
                continue
            demand = rates[(site, item)][0]
            lot = order_lot(s, (site, item), spec, demand)
            lead = lead_time(s, site, item, rates)[0]
            if lot is None or demand <= 0 or lot[0] / supplier.capacity < max(1.0, 0.25 * lead):
                continue
            making = lot[0] / supplier.capacity
            yield Finding(
                spec_path(s, name, f"{site}/{item}", spec),
                f"{spec.tag} at {site}/{item} orders {_units(lot[0])} at a time ({lot[1]}), which {s.sites[site].stock[item].source} "
                f"takes {making:.3g} days to make at {supplier.capacity:g} a day, but its reorder point covers the "
                f"{lead:.3g}-day lead time alone: each lot lands about {making:.3g} days later than planned",
                f"smaller lots (order_quantity: about {_units(supplier.capacity * max(1.0, 0.25 * lead)).replace(',', '')}), "
                f"or a reorder point over {lead + making:.3g} days of demand (r_Q)",
            )


def _small_backups(s: Scenario) -> Iterator[Finding]:
    """A backup supplier whose capacity is below the mean daily demand of the stock points it backs up: while
    their sources are down it serves only part of it, and their stock must carry the rest."""
    rates = demand_rates(s)
    backed: dict[str, list[tuple[str, str]]] = {}
    for site, item in s.stock_points():
        rule = s.sites[site].stock[item].backup_rule
        if rule is not None:
            backed.setdefault(rule.supplier, []).append((site, item))
    for name, points in backed.items():
        capacity = s.suppliers[name].capacity
        need = math.fsum(rates[p][0] for p in points)
        if capacity is None or capacity >= need:
            continue
        names = ", ".join(f"{site}/{item}" for site, item in points)
        yield Finding(
            ("suppliers", name, "capacity"),
            f"backup {name} ships at most {capacity:g} a day, but {names} need{'s' if len(points) == 1 else ''} "
            f"{need:.4g} a day on average: while {'its source is' if len(points) == 1 else 'their sources are'} "
            f"down it covers {capacity / need:.0%} of demand, and every day of the outage leaves "
            f"{need - capacity:.4g} to come from stock or go short",
            f"a capacity of at least {need:.4g} a day, or stock to carry {need - capacity:.4g} a day through the "
            "outages",
        )


_EXTRA = " (a cycle from one order's receipt to the next: replaced defects, partial shipments, expedites and a backup add receipts, and cycles, the measure counts too)"
"""Why the measured cycle service may read higher than the estimate."""
_MEAN_REORDER = "a reorder point at the mean lead-time demand gives smooth demand"
"""What eoq's reorder point is held to: half the cycles short, the spread of demand being symmetric."""


def _units(x: float) -> str:
    """A quantity as a reader takes it in: whole units from a hundred up, three digits below."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _orders_nobody_waits_for(s: Scenario) -> Iterator[Finding]:
    """Make-to-order orders only what customers wait for; customers lost on a stock-out never wait, so a
    point whose customers are all lost is never replenished and serves nobody."""
    lost = {d.at for d in s.demand if d.on_stockout == OnStockout.lost}
    waiting = {d.at for d in s.demand if d.on_stockout != OnStockout.lost}
    for name, pset in s.policies.items():
        for (site, item), spec in assign_policies(s, pset).items():
            point = f"{site}/{item}"
            if isinstance(spec, MakeToOrder) and point in lost and point not in waiting:
                yield Finding(
                    spec_path(s, name, point, spec),
                    f"make_to_order orders only for customers who wait, and those of {point} leave when nothing "
                    "is on hand (on_stockout: lost): it never orders, and serves nobody",
                    "let customers wait (on_stockout: backorder or {wait_up_to: DAYS}) or hold stock",
                )


def _cheap_lost_sales(s: Scenario) -> Iterator[Finding]:
    """Without a price, a lost sale costs only its lost_sale_cost and saves the goods it would have used: below
    their purchase cost, turning a customer away looks cheaper than serving them."""
    warned: set[str] = set()
    for d in s.demand:
        site, item = d.at.split("/", 1)
        if d.on_stockout == OnStockout.backorder or s.items[item].price is not None or item in warned:
            continue
        own = s.items[item].lost_sale_cost
        lost = s.costs.lost_sale_cost if own is None else own
        content = purchase_content(s, site, item)
        if lost < content:
            warned.add(item)
            yield Finding(
                ("items", item, "lost_sale_cost") if own is not None else ("costs", "lost_sale_cost"),
                f"a lost sale of {item} costs {lost:g} but the goods in it cost {content:g} to buy: each customer "
                f"turned away saves {content - lost:g} in cost_of_goods, so total_cost favours running out",
                f"give items.{item}.price, so that profit counts the revenue a lost sale loses, or a lost_sale_cost "
                f"of at least {content:g} (better: the price customers pay)",
            )


TINY_LOT = 1e-6
"""A lot below this many units is below the engine's resolution (orders under 1e-9 units are no orders)."""


def _tiny_lots(s: Scenario) -> Iterator[Finding]:
    """A container or order quantity so small that the orders it makes are (nearly) nothing."""
    for name, pset in s.policies.items():
        specs = [(("default",), pset.default), *((("by_class", c), p) for c, p in pset.by_class.items()),
                 *((("overrides", r), p) for r, p in pset.overrides.items())]  # fmt: skip
        for where, spec in specs:
            params = next(iter(spec.model_dump().values()), None) if spec is not None else None
            if not isinstance(params, dict):
                continue
            for field in ("container_size", "order_quantity"):
                lot = params.get(field)
                if isinstance(lot, int | float) and lot < TINY_LOT:
                    yield Finding(
                        ("policies", name, *where),
                        f"a {field} of {lot:g} units is below a millionth of a unit: its orders are too small to "
                        "count (under 1e-9 units an order is no order), so this policy would never replenish",
                        "measure the item in a smaller unit: grams, not tonnes",
                    )


def _normals(node: Any, path: Path) -> Iterator[tuple[Path, Normal]]:
    """Every normal distribution in the scenario, with its path (field aliases as written)."""
    if isinstance(node, Normal):
        yield path, node
    elif isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            yield from _normals(getattr(node, name), (*path, info.alias or name))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _normals(value, (*path, key))
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            yield from _normals(value, (*path, i))


def _truncated(s: Scenario) -> Iterator[Finding]:
    """A normal time or quantity below zero often enough that redrawing the negatives moves its mean."""
    for path, d in _normals(s, ()):
        m, sd = d.normal.mean, d.normal.sd
        if sd == 0:
            continue
        below = math.erfc(m / sd / math.sqrt(2)) / 2
        if below > NEGATIVE_SHARE:
            yield Finding(
                path,
                f"normal with mean {m:g} and sd {sd:g} is below 0 in {below:.0%} of draws; those are drawn again, "
                f"so it runs with a mean of {d.sampler_mean():.3g}, not {m:g}",
                "a gamma or lognormal of the same mean and sd is never negative",
            )
