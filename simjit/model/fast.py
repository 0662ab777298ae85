"""The engine's fast path, chosen when a replication is built: a stock point that needs none of the
general machinery plays its demand, reviews and orders with fewer calls and no view objects.

A stock point takes it when it holds no lots (no shelf life), no customer of it waits with a
patience, it has no expedite or backup rule, nobody watches the replication (``on_event``), units
are not checked at every event, and its policy is a built-in one (a user's class is always asked
through a view). Everything else takes the general :class:`StockPoint`.

Demand through the day is played lazily here (:meth:`SimpleStockPoint.play_lots`): a run of lots
that sets off no order is played in one step, with the time integrals in closed form, where the
general path plays each lot as an event. The two give the same counts, orders and shortages, and
the same time averages to rounding (1e-9 relative) — ``tests/test_fingerprint.py`` pins results, and
``tests/test_fast_path.py`` plays every bundled scenario with the general path forced
(:data:`ENABLED` False) and compares.
"""

from __future__ import annotations

import math
from bisect import bisect_left

import simpy

from simjit.errors import SimulationError
from simjit.model.demand import Lots
from simjit.model.events import OnEvent
from simjit.model.priorities import DEMAND, Call, call_at
from simjit.model.resilience import ServiceLog
from simjit.model.stock_point import EPS, MAX_ORDERS_PER_REVIEW, Claim, Deliver, StockFacts, StockPoint
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
        self.day_lots: Lots | None = None
        self.check_at = math.inf  # when the next lot that may change what anyone sees is looked at
        self.version = 0  # of that look: an earlier one replaces it

    # -- lots through the day, played lazily ----------------------------------------------------
    def play_lots(self, lots: Lots) -> bool:
        """Play this stock point's lots through the day lazily: a lot after which the policy cannot
        order (it is periodic, or the position stays above its ``idle_above``) changes nothing anyone
        sees until the next event here, so the run of such lots — served from stock, emptying the
        shelf, then short — is played in one step when that event comes (:meth:`_catch_up`). Only a
        lot that may set off an order is an event of its own (and, where the customers of this point
        do not all do the same when short, the first one not served in full). False (nothing taken)
        for a policy that may order after any sale: its lots are then events."""
        if self.continuous and self.idle_above is None:
            return False
        self.day_lots = lots
        self._plan()
        return True

    def _catch_up(self, now: float) -> None:
        """Play the lots due before ``now`` in one step, with exact time integrals. None of them sets off
        an order (:meth:`_plan` looks at the first that may): they are served in full from stock, then
        perhaps one empties the shelf and those after it find it empty (each customer waits with a
        claim of their own, or goes elsewhere, as the scenario says)."""
        lots = self.day_lots
        assert lots is not None
        i = lots.i
        times = lots.times
        if i >= lots.n or times[i] >= now:
            return
        j = bisect_left(times, now, i + 1)
        if self.on_hand > EPS:
            x = lots.first_over(i, self.on_hand)  # the first not served in full
            if x >= j:
                self._served(lots, i, j)
                lots.i = j
                return
            if x > i:
                self._served(lots, i, x)
            self._empties(lots, x)
            i = x + 1
        if i < j:
            self._short(lots, i, j)
        lots.i = j

    def _served(self, lots: Lots, i: int, j: int) -> None:
        """Lots i … j−1, served from stock: on hand falls by each at its time."""
        m = j - 1
        last = lots.times[m]
        units = lots.units(i, j)
        drop = lots.waited(i, j)
        self.advance_to(last)
        c = self.counters
        held = self.held
        c.area_on_hand -= drop
        if held > EPS:
            c.area_value -= c.stock_value / held * drop
        c.demand += units
        c.served_now += units
        on_hand = self.on_hand - units
        self.on_hand = on_hand if on_hand >= EPS else 0.0
        self._used(units)
        self.last_demand = float(lots.qty[m])
        self._by_day(self.demand_by_day, lots, i, j)

    def _empties(self, lots: Lots, x: int) -> None:
        """Lot x takes what is left on the shelf; the rest of it is short."""
        at = lots.times[x]
        qty = float(lots.qty[x])
        self.advance_to(at)
        c = self.counters
        c.demand += qty
        day = int(at)
        self.demand_by_day[day] += qty
        self.last_demand = qty
        served = self.on_hand
        self.on_hand = 0.0
        c.served_now += served
        if served > 0:
            self._used(served)
        short = qty - served
        if short > EPS:
            self._fall_short([at], [short], lots.lost[x], short)
            self.short_by_day[day] += short

    def _short(self, lots: Lots, i: int, j: int) -> None:
        """Lots i … j−1 find the shelf empty."""
        m = j - 1
        units = lots.units(i, j)
        self.advance_to(lots.times[m])
        lost = lots.lost[i]
        if not lost:  # the claims of lots i … m−1 wait from their own times
            self.counters.area_backorders += lots.waited(i, j)
        self.counters.demand += units
        self.last_demand = float(lots.qty[m])
        self._fall_short(lots.times[i:j], lots.qty[i:j].tolist(), lost, units)
        self._by_day(self.demand_by_day, lots, i, j)
        self._by_day(self.short_by_day, lots, i, j)

    def _fall_short(self, times: list[float], short: list[float], lost: bool, units: float) -> None:
        """Customers who came at ``times`` go ``short``: lost, or each waits with a claim of their own."""
        c = self.counters
        if lost:
            c.lost += units
        else:
            self.customer_owed += units
            self.owed += units
            self.queue.extend(Claim(q, t, None) for q, t in zip(short, times, strict=True))
        self.short_in_cycle = True
        if self.service is not None:
            self.service.shorts.extend(zip(times, short, short if lost else [0.0] * len(short), strict=True))
            if self.service.since is None:
                self.service.since = times[0]

    @staticmethod
    def _by_day(days: list[float], lots: Lots, i: int, j: int) -> None:
        """Add the units of lots i … j−1 to the days they fell on."""
        first, final = int(lots.times[i]), int(lots.times[j - 1])
        if first == final:
            days[first] += lots.units(i, j)
            return
        start = lots.day_start
        days[first] += lots.units(i, start[first + 1])
        for day in range(first + 1, final):
            days[day] += lots.units(start[day], start[day + 1])
        days[final] += lots.units(start[final], j)

    def _plan(self) -> None:
        """Look next at the first lot that may short a customer or set off an order, from what is
        here now (earlier than the look already planned, else that one stands)."""
        lots = self.day_lots
        if lots is None or lots.i >= lots.n:
            return
        i = lots.i
        on_hand = self.on_hand
        # alike, a run may empty the shelf and go on short (every customer does the same); else it stops
        # at the first lot it cannot serve in full
        first = lots.n if lots.alike else lots.first_over(i, on_hand) if on_hand > EPS else i
        if self.continuous:
            assert self.idle_above is not None
            room = on_hand + self.on_order - self.owed - self.idle_above  # units sold before it may order
            if on_hand <= EPS and lots.alike and lots.lost[i]:
                room = math.inf if room > 0 else 0.0  # lost sales do not move the position
            first = min(first, lots.first_reaching(i, room))
        if first >= lots.n or lots.times[first] >= self.check_at:
            return
        self.check_at = at = lots.times[first]
        self.version += 1
        call_at(self.env, at, DEMAND, self._look, self.version)

    def _look(self, event: Call) -> None:
        """The planned look: play the lots before now in one step and the lot now as an event."""
        if event._value != self.version:
            return  # an earlier look replaced this one
        self.check_at = math.inf
        lots = self.day_lots
        assert lots is not None
        now = self.env._now
        self._catch_up(now)
        i = lots.i
        if i < lots.n and lots.times[i] == now:
            lots.i = i + 1
            self.demand(float(lots.qty[i]), None, lots.lost[i])
        else:
            self._plan()

    def touch(self) -> None:
        """Play the quiet lots due before now, then advance the time integrals (see :meth:`StockPoint.touch`)."""
        if self.day_lots is not None:
            self._catch_up(self.env._now)
        StockPoint.touch(self)

    def stock_initial(self, qty: float) -> None:
        """Units on hand at time 0; see :meth:`StockPoint.stock_initial` (then the next look is planned again)."""
        StockPoint.stock_initial(self, qty)
        self._plan()

    def request(self, qty: float, deliver: Deliver, consumed: bool) -> None:
        """Internal demand; see :meth:`StockPoint.request` (then the next look is planned again)."""
        StockPoint.request(self, qty, deliver, consumed)
        self._plan()

    def demand(self, qty: float, patience: float | None = None, lost: bool = False) -> None:
        """A customer asks for ``qty``; see :meth:`StockPoint.demand` (this is its served-in-full case)."""
        now = self.env._now
        lazy = self.day_lots is not None  # then only _look asks, having caught up
        on_hand = self.on_hand
        if on_hand < qty:
            StockPoint.demand(self, qty, patience, lost)
            if lazy:
                self._plan()
            return
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
        if lazy:
            self._plan()

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
        if self.day_lots is not None:
            self._plan()

    def review(self, _: object = None) -> None:
        """Ask the policy until it orders nothing more; see :meth:`StockPoint.review`."""
        if self.day_lots is not None:
            self._catch_up(self.env._now)
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
