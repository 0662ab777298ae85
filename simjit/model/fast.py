"""The engine's fast path, chosen when a replication is built: a stock point that needs none of the
general machinery plays its demand, reviews and orders with fewer calls and no view objects.

A stock point takes it when it holds no lots (no shelf life), no customer of it waits with a
patience, it has no expedite or backup rule, nobody watches the replication (``on_event``), units
are not checked at every event, and its policy is a built-in one (a user's class is always asked
through a view). Everything else takes the general :class:`StockPoint`. The fast path computes the
very same numbers in the very same order — ``tests/test_fingerprint.py`` pins results, and
``tests/test_fast_path.py`` plays every bundled scenario with the general path forced
(:data:`ENABLED` False) and compares.
"""

from __future__ import annotations

import math

import simpy

from simjit.errors import SimulationError
from simjit.model.events import OnEvent
from simjit.model.resilience import ServiceLog
from simjit.model.stock_point import EPS, MAX_ORDERS_PER_REVIEW, StockFacts, StockPoint
from simjit.model.supply import Supply
from simjit.policies.base import Policy, numeric_decision

__all__ = ["ENABLED", "SimpleStockPoint", "stock_point_class"]

ENABLED = True
"""False forces the general path everywhere (for tests comparing the two, and for bisecting)."""


def stock_point_class(
    facts: StockFacts, policy: Policy, supply: Supply, *, patience: bool, watched: bool, check: bool
) -> type[StockPoint]:
    """:class:`SimpleStockPoint` when a stock point needs nothing of the general path, else
    :class:`StockPoint`. ``patience``: some customer of it waits up to a limit; ``watched``: an
    ``on_event`` callback watches the replication; ``check``: units are verified at every event."""
    builtin = type(policy).__module__.startswith("simjit.policies.")
    simple = not (patience or watched or check or facts.shelf_life or supply.backup or supply.expedite)
    return SimpleStockPoint if ENABLED and builtin and simple else StockPoint


class SimpleStockPoint(StockPoint):
    """A stock point on the fast path: customer demand served in full is played inline (a shortage
    takes the general path), and a policy deciding on the numbers alone is asked without a view."""

    def __init__(
        self, env: simpy.Environment, facts: StockFacts, policy: Policy, supply: Supply, *,
        service: ServiceLog | None = None, on_event: OnEvent | None = None, check: bool = False,
    ) -> None:  # fmt: skip
        """As :class:`StockPoint`; ``order_size`` is the policy's numeric decision, if it has one."""
        super().__init__(env, facts, policy, supply, service=service, on_event=on_event, check=check)
        self.order_size = numeric_decision(policy)

    def demand(self, qty: float, patience: float | None = None, lost: bool = False) -> None:
        """A customer asks for ``qty``; see :meth:`StockPoint.demand` (this is its served-in-full case)."""
        on_hand = self.on_hand
        if on_hand < qty:
            StockPoint.demand(self, qty, patience, lost)
            return
        now = self.env._now
        c = self.counters
        dt = now - self._t
        if dt > 0:  # StockPoint.touch, inline
            if on_hand > EPS:
                c.area_on_hand += on_hand * dt
            else:
                c.zero_time += dt
            if self.customer_owed:
                c.area_backorders += self.customer_owed * dt
            if self.on_order:
                c.area_pipeline += self.on_order * dt
            c.area_value += (c.stock_value + c.wip_value) * dt
            if self.line_state:
                self._line_time(dt)
            self._t = now
        c.demand += qty
        self.demand_by_day[int(now)] += qty
        self.last_demand = qty
        self.on_hand = on_hand = on_hand - qty
        c.served_now += qty
        self._used(qty)
        if self.continuous:
            idle = self.idle_above
            if idle is None or on_hand + self.on_order - self.owed <= idle:
                self.review()

    def receive(self, qty: float, released: float, defective: float = 0.0, expedited: bool = False) -> None:
        """Units land; see :meth:`StockPoint.receive` (here without lots, watcher or checks)."""
        now = self.env._now
        if now != self._t:
            self.touch()
        if expedited:
            self.expediting = False
        c = self.counters
        c.received += qty + defective
        c.scrapped += defective
        c.defective += defective
        on_order = self.on_order - released
        self.on_order = on_order if on_order >= EPS else 0.0
        c.cycles += 1
        if self.short_in_cycle:
            c.short_cycles += 1
            self.short_in_cycle = False
        if released > qty + EPS:
            self._used(released - qty)
        self.on_hand += qty
        waited = bool(self.queue)
        if waited:
            self._serve_queue()
        service = self.service
        if service is not None and service.since is not None and self.on_hand > EPS and self.customer_owed <= EPS:
            service.restored(now)
        if self.continuous and (released != qty or waited):
            self.review()

    def review(self, _: object = None) -> None:
        """Ask the policy until it orders nothing more; see :meth:`StockPoint.review`."""
        size = self.order_size
        if size is None:
            StockPoint.review(self)
            return
        idle = self.idle_above
        position = self.on_hand + self.on_order - self.owed
        for _ in range(MAX_ORDERS_PER_REVIEW):
            if idle is not None and position > idle:
                return
            qty = size(self.on_hand, self.owed, self.on_order)
            if qty <= EPS:
                return
            self.place(qty)
            position = self.on_hand + self.on_order - self.owed
        raise SimulationError(
            f"the policy of {self.name} placed {MAX_ORDERS_PER_REVIEW} orders in one review on day "
            f"{self.env._now:g} without stopping; its decide() must return None once the position is high enough"
        )

    def place(self, qty: float) -> None:
        """Send an order for ``qty`` to the source (there is no backup and no rush order here)."""
        if qty <= EPS or not math.isfinite(qty):
            return
        now = self.env._now
        if now != self._t:
            self.touch()
        c = self.counters
        self.on_order += qty
        c.orders += 1
        self.orders_by_day[int(now)] += qty
        supply = self.supply
        c.ordering_cost += supply.order_cost
        units = supply.source.place(self, qty, False)
        if units > qty:
            self.on_order += units - qty
