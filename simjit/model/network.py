"""Build the SimPy network of one replication: stock points with their policies and sources,
suppliers, lanes, lines, demand streams and disruptions, each drawing from its own stream."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import simpy

from simjit.errors import SimulationError
from simjit.model.demand import DailyDemand, DemandStream, Lots, demand_series, spread, units_per_day
from simjit.model.disruptions import Availability, Outage, schedule_random, schedule_window
from simjit.model.events import OnEvent
from simjit.model.fast import stock_point_class
from simjit.model.lane import LaneSource
from simjit.model.priorities import REVIEW, call
from simjit.model.production import LineSource
from simjit.model.resilience import ServiceLog, watch_sets
from simjit.model.stock_point import MAX_ORDERS_PER_REVIEW, StockFacts, StockPoint
from simjit.model.supplier import PricePath, SupplierSource
from simjit.model.supply import Backup, Expedite, Source, Supply
from simjit.policies.base import PointFacts, Policy, StockView
from simjit.policies.registry import PolicyFacts, build_policy
from simjit.random import Sampler, sampler, stream
from simjit.scenario.assignment import assign_policies
from simjit.scenario.derived import (
    backup_order_cost,
    customer_shares,
    demand_rates,
    holding_cost_per_day,
    lead_time,
    order_cost,
    production_rate,
)
from simjit.scenario.distributions import Distribution
from simjit.scenario.models import DemandTiming, Disruption, OnStockout, RandomWalk, Scenario, WaitUpTo
from simjit.scenario.policy_specs import DemandSignal
from simjit.scenario.references import source_kind, upstream_first

__all__ = ["Network", "assign_policies", "build_network", "check_policies", "starting_policies"]

Point = tuple[str, str]
Series = tuple[list[float], list[float]]
"""A demand stream's pre-drawn times and quantities."""


@dataclass
class Network:
    """Everything one replication plays: the environment, stock points, sources and the outage log."""

    env: simpy.Environment
    scenario: Scenario
    points: dict[tuple[str, str], StockPoint]
    suppliers: dict[str, SupplierSource] = field(default_factory=dict)
    lines: dict[str, LineSource] = field(default_factory=dict)
    availability: dict[str, Availability] = field(default_factory=dict)
    outages: list[Outage] = field(default_factory=list)
    demand: list[DemandStream] = field(default_factory=list)
    watched: dict[str, dict[tuple[str, str], float]] = field(default_factory=dict)
    """Per disruption target: customer-facing stock points downstream, with the lead time to each."""


class _Builder:
    def __init__(
        self, s: Scenario, policy: str, replication: int, check: bool, allow_plugins: bool,
        on_event: OnEvent | None = None,
    ) -> None:  # fmt: skip
        self.s = s
        self.on_event = on_event
        self.rep = replication
        self.env = simpy.Environment()
        self.days = int(s.horizon) + 1
        self.check = check
        self.allow_plugins = allow_plugins
        self.net = Network(self.env, s, {})
        self.specs = assign_policies(s, s.policies[policy])
        self.rates = demand_rates(s)

    def rng(self, name: str) -> np.random.Generator:
        """The generator of stream ``name`` in this replication."""
        return stream(self.s.seed, self.rep, name)

    def sampler(self, d: Distribution, name: str) -> Sampler:
        """A sampler of ``d`` on stream ``name``; a constant draws nothing, so no stream is made (a
        stream costs more to make than a whole replication's receipts of a simple stock point)."""
        return sampler(d, None if isinstance(d, int | float) else self.rng(name))

    def build(self) -> Network:
        for name, sup in self.s.suppliers.items():
            self.net.availability[name] = Availability(name, capacitated=sup.capacity is not None)
        for site, x in self.s.sites.items():
            for line_name, _line in x.lines.items():
                key = f"{site}/{line_name}"
                self.net.availability[key] = Availability(key, capacitated=True)
            for item in x.stock:
                if source_kind(self.s, site, item) == "site":
                    self.net.availability[f"{site}/{item}"] = Availability(f"{site}/{item}", capacitated=False)
        customers = {tuple(d.at.split("/")) for d in self.s.demand}
        built: dict[tuple[str, str], StockPoint] = {}
        for point in upstream_first(self.s):  # a lane or line needs the stock points it draws from
            built[point] = self.net.points[point] = self._stock_point(*point, customers=point in customers)
        self.net.points = {point: built[point] for point in self.s.stock_points()}  # results in scenario order
        self._disruptions()
        self._share_sales(self._demand())
        self.net.watched = watch_sets(self.s, self.rates)
        for point, sp in self.net.points.items():
            self._initial(sp, self.s.sites[point[0]].stock[point[1]].initial)
            if sp.policy.review_period is not None:
                self._periodic(sp, sp.policy.review_period)
        return self.net

    def _periodic(self, sp: StockPoint, period: float) -> None:
        def review(_: object) -> None:
            sp.review()
            if self.env.now + period < self.s.horizon:
                call(self.env, period, REVIEW, review)

        call(self.env, 0.0, REVIEW, review)

    def facts(self, site: str, item: str) -> StockFacts:
        """The constants of a stock point: item costs, demand and lead-time moments, order cost."""
        s = self.s
        mean, sd = self.rates[(site, item)]
        lt, lt_sd = lead_time(s, site, item, self.rates)
        return StockFacts(
            site, item, s.items[item].unit_cost, holding_cost_per_day(s, item), order_cost(s, site, item), mean, sd,
            lt, lt_sd, s.items[item].shelf_life, self.days,
        )  # fmt: skip

    def policy(self, facts: StockFacts) -> Policy:
        """The policy of a stock point under this policy set (a plug-in is checked as it is built)."""
        f = facts
        return build_policy(
            self.specs[(f.site, f.item)],
            PolicyFacts(
                f.demand_rate, f.demand_sd, f.lead_time, f.lead_time_sd, f.holding_cost, f.order_cost,
                production_rate(self.s, f.site, f.item), self.allow_plugins,
            ),
        )  # fmt: skip

    def _stock_point(self, site: str, item: str, customers: bool) -> StockPoint:
        facts = self.facts(site, item)
        policy, supply = self.policy(facts), self._supply(site, item, facts)
        patience = any(isinstance(d.on_stockout, WaitUpTo) for d in self.s.demand if d.at == f"{site}/{item}")
        kind = stock_point_class(
            facts, policy, supply, patience=patience, watched=self.on_event is not None, check=self.check
        )
        sp = kind(
            self.env, facts, policy, supply, service=ServiceLog() if customers else None, on_event=self.on_event,
            check=self.check,
        )  # fmt: skip
        if isinstance(supply.source, LineSource):
            supply.source.attach(sp)
        if supply.backup is not None:  # the backup's open orders move back when the source is up again
            supply.source.availability.listeners.append(sp.source_back)
        return sp

    def _supplier(self, name: str) -> SupplierSource:
        if name in self.net.suppliers:
            return self.net.suppliers[name]
        sup = self.s.suppliers[name]
        price = sup.price
        path: PricePath | None = None  # None: each item at its own unit cost
        if isinstance(price, RandomWalk):
            p = price.random_walk
            path = PricePath(p.start, p.sd, p.floor, self.days, self.rng(f"price:{name}"), p.drift)
        elif price is not None:
            path = PricePath(price, 0.0, 0.0, self.days, None)
        source = SupplierSource(
            self.env, name, self.net.availability[name],
            lead_time=self.sampler(sup.lead_time, f"lead_time:{name}"), on_time=sup.on_time,
            delay=self.sampler(sup.delay, f"delay:{name}"),
            late_rng=self.rng(f"late:{name}") if sup.on_time < 1.0 else None,
            yield_=None if sup.yield_ == 1.0 else self.sampler(sup.yield_, f"yield:{name}"),
            defect_rate=sup.defect_rate,
            defect_rng=self.rng(f"defects:{name}") if sup.defect_rate > 0 or sup.yield_ != 1.0 else None,
            price=path, premium=sup.price_premium, capacity=sup.capacity, min_order=sup.min_order,
            payment_days=sup.payment_days,
        )  # fmt: skip
        self.net.suppliers[name] = source
        return source

    def _supply(self, site: str, item: str, facts: StockFacts) -> Supply:
        """The source of a stock point (its upstream stock points are built), its backup and expedite rules."""
        spec = self.s.sites[site].stock[item]
        kind = source_kind(self.s, site, item) or ""
        source: Source
        if kind == "supplier":
            name = spec.source
            source = self._supplier(spec.source)
        elif kind == "site":
            name = f"{site}/{item}"
            transit = self.sampler(spec.transit, f"transit:{name}")
            source = LaneSource(self.env, self.net.points[(spec.source, item)], transit, self.net.availability[name])
        else:
            name = f"{site}/{spec.source}"
            if name not in self.net.lines:
                line = self.s.sites[site].lines[spec.source]
                bom = [(self.net.points[(site, comp)], k) for comp, k in line.bom.items()]
                self.net.lines[name] = LineSource(
                    self.env, name, bom, line.rate, self.net.availability[name], self.on_event
                )
            source = self.net.lines[name]
        backup = None
        if spec.backup_rule is not None:
            rule = spec.backup_rule
            spare = self._supplier(rule.supplier)
            # the horizon of the need: what the stock must cover before the slower source's orders could land
            days = rule.cover_below if rule.cover_below is not None else max(facts.lead_time, spare.expected)
            backup = Backup(
                spare, rule.supplier, backup_order_cost(self.s, rule.supplier), rule.overdue_by, days, spare.expected,
                rule.cover_below is not None, rule.within if rule.within is not None else days,
                rule.remainder == "backup",
            )  # fmt: skip
        expedite = None
        if spec.expedite is not None and kind == "supplier":
            e = spec.expedite
            rush = self.sampler(e.lead_time, f"expedite:{site}/{item}")
            expedite = Expedite(e.below, e.cover_below, rush, e.premium, e.quantity)
        return Supply(source, name, kind, facts.order_cost, backup, expedite)

    def _disruptions(self) -> None:
        # (stream key, name in results, what it hits, the disruption); stream keys never change, so
        # renaming a disruption in results does not change anyone's random numbers
        jobs: list[tuple[str, str, list[str], Disruption]] = []
        for name, sup in self.s.suppliers.items():
            jobs += [(f"{name}#{i}", f"{name}.disruptions.{i}", [name], d) for i, d in enumerate(sup.disruptions)]
        for site, x in self.s.sites.items():
            for item, sp in x.stock.items():
                lane = f"{site}/{item}"
                jobs += [(f"{lane}#{i}", f"{lane}.disruptions.{i}", [lane], d) for i, d in enumerate(sp.disruptions)]
            for line_name, line in x.lines.items():
                key = f"{site}/{line_name}"
                if line.breakdowns is not None:
                    jobs.append((f"{key}#breakdowns", f"{key}.breakdowns", [key], line.breakdowns))
                jobs += [(f"{key}#{i}", f"{key}.disruptions.{i}", [key], d) for i, d in enumerate(line.disruptions)]
        jobs += [(ev.name, ev.name, list(ev.hits), ev) for ev in self.s.events]
        for key, name, hits, d in jobs:
            targets = [self.net.availability[h] for h in hits]
            length = self.sampler(d.length, f"disruption:{key}:length")
            severity = self.sampler(d.severity, f"disruption:{key}:severity")
            if d.start is not None:
                schedule_window(self.env, name, targets, d.start, length, severity, self.net.outages, self.on_event)
            else:
                assert d.mtbf is not None
                schedule_random(
                    self.env, name, targets, d.mtbf, length, severity, self.rng(f"disruption:{key}:uptime"),
                    self.net.outages, self.s.horizon, self.on_event,
                )  # fmt: skip

    def _demand(self) -> dict[Point, list[Series]]:
        """Draw and schedule every customer demand stream; returns each customer-facing point's series."""
        days = math.ceil(self.s.horizon)
        daily = DailyDemand(self.env)
        through: dict[Point, list[tuple[OnStockout | WaitUpTo, np.ndarray, np.ndarray]]] = {}
        sold: dict[Point, list[Series]] = {}
        for i, d in enumerate(self.s.demand):
            site, item = d.at.split("/")
            size = self.rng(f"demand:{d.at}:{i}:size") if d.arrivals is not None else None
            times, qty = demand_series(d, days, self.s.costs.days_per_year, self.rng(f"demand:{d.at}:{i}"), size)
            sp = self.net.points[(site, item)]
            sold.setdefault((site, item), []).append((times, qty))
            if d.per_day is not None and d.timing is DemandTiming.start_of_day:
                daily.add(sp, d.on_stockout, times, qty)
            elif d.per_day is not None:
                through.setdefault((site, item), []).append(
                    (d.on_stockout, *spread(times, qty, self.rng(f"demand:{d.at}:{i}:timing")))
                )
            else:
                self.net.demand.append(DemandStream(self.env, sp, d.on_stockout, times, qty))
        daily.start()
        for point, parts in through.items():
            self._play_through_day(self.net.points[point], parts, days)
        return sold

    def _play_through_day(
        self, sp: StockPoint, parts: list[tuple[OnStockout | WaitUpTo, np.ndarray, np.ndarray]], days: int
    ) -> None:
        """A stock point's lots through the day: played lazily where it can (the fast path), else one
        event per lot."""
        parts = [p for p in parts if len(p[1])]
        if not parts:
            return
        play = getattr(sp, "play_lots", None)
        if play is not None and play(Lots([(r == OnStockout.lost, t, q) for r, t, q in parts], days)):
            return
        for rule, times, qty in parts:
            self.net.demand.append(DemandStream(self.env, sp, rule, times.tolist(), qty.tolist()))

    def _share_sales(self, sold: dict[Point, list[Series]]) -> None:
        """Point-of-sale data shared up the chain: a stock point whose policy forecasts from end-customer
        demand reads, per day, the units of its item sold at the customer-facing points it supplies. The
        series are drawn up front; a view slices only the days before today, which have been played."""
        readers = [sp for sp in self.net.points.values() if _signal(sp.policy) is DemandSignal.customer]
        if not readers:
            return
        shares = customer_shares(self.s)
        length = len(readers[0].demand_by_day)
        sales = {point: units_per_day(series, length) for point, series in sold.items()}
        for sp in readers:
            weights = shares[(sp.facts.site, sp.facts.item)]
            if not weights:  # a user's policy (the scenario's own specs are checked when it loads)
                raise SimulationError(
                    f"the policy of {sp.name} forecasts from end-customer demand (demand_signal customer), but no "
                    "customer buys there or downstream"
                )
            signal = np.zeros(length)
            for point, units in weights.items():
                signal += units * sales[point]
            sp.signal_by_day = signal.tolist()

    def _initial(self, sp: StockPoint, initial: float | None) -> None:
        """Stock at time 0: as given, else all the policy would order, lot after lot, when empty."""
        if initial is None:
            initial = 0.0
            for _ in range(MAX_ORDERS_PER_REVIEW):
                order = sp.policy.decide(StockView(0.0, 0.0, 0.0, initial, sp.view_facts))
                if order is None:
                    break
                initial += order.quantity
        sp.stock_initial(initial)


def _signal(policy: Policy) -> DemandSignal:
    """The demand a policy's forecast reads (a policy that declares none reads its own)."""
    return DemandSignal(getattr(policy, "demand_signal", DemandSignal.own))


def check_policies(s: Scenario, policies: list[str] | None = None, allow_plugins: bool = False) -> None:
    """Build every stock point's policy of the named policy sets once, so a plug-in that may not
    run, cannot be imported or gets bad params fails before any replication (PluginError)."""
    for name in policies or list(s.policies):
        starting_policies(s, name, allow_plugins)


def starting_policies(s: Scenario, policy: str, allow_plugins: bool = False) -> dict[Point, tuple[PointFacts, Policy]]:
    """Each stock point's policy under policy set ``policy``, built as a replication builds it, with the
    facts its view carries: what ``simjit plan`` asks for the numbers each policy runs with."""
    builder = _Builder(s, policy, 0, False, allow_plugins)
    built = {}
    for point in s.stock_points():
        facts = builder.facts(*point)
        built[point] = (facts.view_facts(), builder.policy(facts))
    return built


def build_network(
    s: Scenario, policy: str, replication: int, check: bool = False, allow_plugins: bool = False,
    on_event: OnEvent | None = None,
) -> Network:  # fmt: skip
    """The network of ``replication`` under policy set ``policy``, ready to run (``on_event`` watches it)."""
    return _Builder(s, policy, replication, check, allow_plugins, on_event).build()
