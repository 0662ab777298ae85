"""A stock point: one item held at one site — on hand (FIFO lots), a queue of waiting demand,
the pipeline on order, its policy, and the exact accounting of every unit."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import simpy

from simjit.errors import SimulationError
from simjit.model.counters import Counters
from simjit.model.events import EventKind, OnEvent, SimEvent
from simjit.model.priorities import DEMAND, RECEIPT, Call, call
from simjit.model.resilience import ServiceLog
from simjit.model.supply import Backup, Source, Supply
from simjit.policies.base import PointFacts, Policy, StockView

__all__ = ["Claim", "Deliver", "LineState", "StockFacts", "StockPoint"]

EPS = 1e-9
MAX_ORDERS_PER_REVIEW = 10_000
"""A policy still ordering after this many orders in one review is broken, not busy."""


Deliver = Callable[[float, float], None]
"""What a downstream site or line is handed: units and their cost (they keep it on their way)."""


class Claim:
    """Units someone is waiting for, served first-come first-served."""

    __slots__ = ("consumed", "deliver", "qty", "since")

    def __init__(self, qty: float, since: float, deliver: Deliver | None, consumed: bool = False) -> None:
        self.qty = qty
        self.since = since
        self.deliver = deliver  # None for a customer
        self.consumed = consumed  # taken by a line at this site rather than shipped


class LineState:
    """What the line making a stock point's item is doing, for its starved and idle time."""

    NONE = 0  # no line makes it, or the line is making
    KITTING = 1  # an order waits for components
    IDLE = 2  # no order to make


@dataclass(frozen=True)
class StockFacts:
    """Per-stock-point constants the policy view carries."""

    site: str
    item: str
    unit_cost: float
    holding_cost: float
    order_cost: float
    demand_rate: float
    demand_sd: float
    lead_time: float
    lead_time_sd: float
    shelf_life: float | None = None
    days: int = 0

    def view_facts(self) -> PointFacts:
        """The constants a policy's view carries (what its ``decide`` and ``parameters`` read)."""
        return PointFacts(
            self.site, self.item, self.demand_rate, self.demand_sd, self.lead_time, self.lead_time_sd,
            self.unit_cost, self.holding_cost, self.order_cost,
        )  # fmt: skip


class StockPoint:
    """One item at one site; all state changes go through its methods so units are conserved."""

    def __init__(
        self, env: simpy.Environment, facts: StockFacts, policy: Policy, supply: Supply, *,
        service: ServiceLog | None = None, on_event: OnEvent | None = None, check: bool = False,
    ) -> None:  # fmt: skip
        """``service`` is kept where customers buy (for resilience); ``on_event`` watches every change;
        ``check`` verifies unit conservation after each."""
        self.env = env
        self.facts = facts
        self.name = f"{facts.site}/{facts.item}"
        self.view_facts = facts.view_facts()
        self.policy = policy
        self.supply = supply
        self.continuous = policy.review_period is None
        self.idle_above: float | None = getattr(policy, "idle_above", None)
        self.expedites = supply.expedite is not None
        self.service = service
        self.on_event = on_event
        self.check = check
        self.expediting = False
        self.on_hand = 0.0
        self.lots: deque[list[float]] | None = deque() if facts.shelf_life else None
        self.queue: deque[Claim] = deque()
        self.owed = 0.0
        self.customer_owed = 0.0
        self.on_order = 0.0
        self.last_demand = 0.0
        self._t = 0.0
        self.short_in_cycle = False
        self.held = 0.0  # units whose cost is in counters.stock_value: on hand and paid for or shipped to here
        self.line_state = LineState.NONE
        self.demand_by_day = [0.0] * (facts.days + 1)
        self.short_by_day = [0.0] * (facts.days + 1)  # units customers did not get from stock, by day
        self.internal_short_by_day = [0.0] * (facts.days + 1)
        self.orders_by_day = [0.0] * (facts.days + 1)
        # what the policy's forecast reads: the demand seen here, or end-customer demand (set by the network)
        self.signal_by_day = self.demand_by_day
        self.counters = Counters()
        # shipments on their way here from suppliers, (landing time, units): what a cover counts
        self.inbound: list[tuple[float, float]] | None = (
            [] if supply.backup is not None or supply.expedite is not None else None
        )

    # -- accounting ---------------------------------------------------------------------------
    def emit(self, kind: EventKind, qty: float, detail: str = "") -> None:
        """Tell the watcher (there is one: callers check ``on_event``) what just happened here."""
        assert self.on_event is not None
        self.on_event(SimEvent(self.env._now, kind, self.name, qty, self.on_hand, self.owed, self.on_order, detail))

    def touch(self) -> None:
        """Advance the exact time integrals of on hand, backorders and pipeline to now."""
        self.advance_to(self.env._now)

    def advance_to(self, now: float) -> None:
        """Advance the time integrals to ``now``, nothing having changed here since they were last."""
        dt = now - self._t
        if dt > 0:
            c = self.counters
            if self.on_hand > EPS:
                c.area_on_hand += self.on_hand * dt
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

    def _line_time(self, dt: float) -> None:
        """The line making this item made nothing for ``dt``: starved if an order waited for components
        while this item was needed (nothing on hand or someone waiting), else idle."""
        if self.line_state == LineState.KITTING and (self.on_hand <= EPS or self.owed > EPS):
            self.counters.starved += dt
        else:
            self.counters.line_idle += dt

    def set_line_state(self, state: int) -> None:
        """The line making this item changed what it does (time is counted up to now first)."""
        if state != self.line_state:
            self.touch()
            self.line_state = state

    # -- value (moving-average cost) -----------------------------------------------------------
    def _out(self, qty: float) -> float:
        """Take the cost of ``qty`` units leaving at the moving-average cost of what is held; returns it."""
        c = self.counters
        held = self.held
        if held <= qty + EPS:
            value = c.stock_value
            self.held = 0.0
            c.stock_value = 0.0
        else:
            value = c.stock_value * (qty / held)
            self.held = held - qty
            c.stock_value -= value
        return value

    def _used(self, qty: float) -> float:
        """``qty`` units leave the network here (sold, spoiled, lost in a yield): their cost is used."""
        value = self._out(qty)
        self.counters.used_value += value
        return value

    def transfer_in(self, qty: float, value: float) -> None:
        """``qty`` units costing ``value`` are now this point's (shipped from upstream, or made)."""
        self.touch()
        self.held += qty
        self.counters.stock_value += value

    def wip(self, value: float) -> None:
        """Components costing ``value`` went into an order of the line making this item (or out, negative)."""
        self.touch()
        self.counters.wip_value += value

    def conserved(self) -> float:
        """Initial + received − (on hand + shipped + consumed + scrapped): zero when units balance.

        Shipped counts units to customers (served at once or late) and to downstream sites.
        """
        c = self.counters
        shipped = c.shipped + c.served_now + c.served_late
        return (c.initial + c.received) - (self.on_hand + shipped + c.consumed + c.scrapped)

    def _verify(self) -> None:
        gap = self.conserved()
        if abs(gap) > 1e-6 * max(1.0, self.counters.received + self.counters.initial) or self.on_hand < -EPS:
            raise SimulationError(
                f"units not conserved at {self.name} on day {self.env.now:g}: gap {gap:g}, on hand {self.on_hand:g}"
            )

    def _changed(self, review: bool = True) -> None:
        """The one epilogue of every change of state: verify units (when checking), then let a
        continuous policy review (``review`` False where nothing it sees can have moved it)."""
        if self.check:
            self._verify()
        if review and self.continuous:
            self.review()

    # -- stock --------------------------------------------------------------------------------
    def stock_initial(self, qty: float) -> None:
        """Put ``qty`` units on hand at time 0."""
        if qty > 0:
            self.counters.initial += qty
            self.held += qty
            self.counters.stock_value += qty * self.facts.unit_cost
            self._add(qty)
        if self.on_event is not None:
            self.emit(EventKind.INITIAL, qty)

    def _add(self, qty: float) -> None:
        self.on_hand += qty
        if self.lots is not None:
            lot = [qty]
            self.lots.append(lot)
            call(self.env, self.facts.shelf_life, RECEIPT, self._expire, lot)  # type: ignore[arg-type]

    def _take(self, qty: float) -> None:
        self.on_hand -= qty
        if self.on_hand < EPS:
            self.on_hand = 0.0
        if self.lots is not None:
            while qty > EPS and self.lots:
                lot = self.lots[0]
                used = min(lot[0], qty)
                lot[0] -= used
                qty -= used
                if lot[0] <= EPS:
                    self.lots.popleft()

    def _expire(self, event: Call) -> None:
        lot: list[float] = event._value
        if lot[0] <= EPS:
            return
        self.touch()
        qty = lot[0]
        lot[0] = 0.0
        if self.lots and self.lots[0] is lot:
            self.lots.popleft()
        self.on_hand = max(self.on_hand - qty, 0.0)
        self.counters.scrapped += qty
        self.counters.expired += qty
        self.counters.expired_value += self._used(qty)
        if self.on_event is not None:
            self.emit(EventKind.EXPIRED, qty)
        self._changed()

    # -- demand -------------------------------------------------------------------------------
    def demand(self, qty: float, patience: float | None = None, lost: bool = False) -> None:
        """A customer asks for ``qty``: served from stock, else backordered, waits ``patience``, or lost."""
        now = self.env._now
        if now != self._t:
            self.touch()
        c = self.counters
        c.demand += qty
        self.demand_by_day[int(now)] += qty
        self.last_demand = qty
        on_hand = self.on_hand
        if on_hand >= qty:
            served = qty
            if self.lots is None:
                self.on_hand = on_hand - qty
            else:
                self._take(qty)
        else:
            served = on_hand
            if served > 0:
                self._take(served)
        c.served_now += served
        if served > 0:
            self._used(served)
        short = qty - served
        if short > EPS:
            self.short_in_cycle = True
            self.short_by_day[int(now)] += short
            if self.service is not None:
                self.service.short(now, short, short if lost else 0.0)
            if lost:
                c.lost += short
            else:
                claim = Claim(short, now, None)
                self.queue.append(claim)
                self._owe(short)
                self.customer_owed += short
                if patience is not None:
                    call(self.env, patience, DEMAND, self._renege, claim)
        if self.on_event is not None:
            self.emit(EventKind.DEMAND, qty, "customer")
            if short > EPS:
                self.emit(EventKind.STOCKOUT, short, "lost" if lost else "waits")
        idle = self.idle_above is not None and self.on_hand + self.on_order - self.owed > self.idle_above
        self._changed(review=not idle or self.expedites)
        if not self.continuous and self.expedites:
            self.expedite()  # a periodic policy waits for its day; the expedite rule watches every sale

    def request(self, qty: float, deliver: Deliver, consumed: bool) -> None:
        """Internal demand (a downstream site's order or a line's components): served or queued; what
        is handed over is handed with its cost."""
        self.touch()
        c = self.counters
        c.internal_demand += qty
        self.demand_by_day[int(self.env._now)] += qty
        self.last_demand = qty
        served = min(self.on_hand, qty)
        value = 0.0
        if served > 0:
            self._take(served)
            value = self._out(served)
            if consumed:
                c.consumed += served
            else:
                c.shipped += served
            c.internal_served_now += served
        short = qty - served
        if short > EPS:
            self.short_in_cycle = True
            self.internal_short_by_day[int(self.env._now)] += short
            self.queue.append(Claim(short, self.env._now, deliver, consumed))
            self._owe(short)
        if served > 0:
            deliver(served, value)
        if self.on_event is not None:
            self.emit(EventKind.DEMAND, qty, "internal")
        self._changed()

    def _renege(self, event: Call) -> None:
        claim: Claim = event._value
        if claim.qty <= EPS or claim.deliver is not None:
            return
        self.touch()
        self.counters.lost += claim.qty
        self.counters.wait_lost += claim.qty * (self.env._now - claim.since)
        if self.service is not None:
            self.service.short(claim.since, 0.0, claim.qty)
        self.owed -= claim.qty
        self.customer_owed -= claim.qty
        lost = claim.qty
        claim.qty = 0.0
        self._settle()
        if self.on_event is not None:
            self.emit(EventKind.LOST, lost)
        self._changed()

    # -- supply -------------------------------------------------------------------------------
    def receive(self, qty: float, released: float, defective: float = 0.0, expedited: bool = False) -> None:
        """``qty`` good units land (``defective`` more are scrapped); ``released`` leaves the pipeline;
        ``expedited``: the rush order is in, another may be placed."""
        self.touch()
        if expedited:
            self.expediting = False
        c = self.counters
        c.received += qty + defective
        c.scrapped += defective
        c.defective += defective
        self.on_order -= released
        if self.on_order < EPS:
            self.on_order = 0.0
        c.cycles += 1
        if self.short_in_cycle:
            c.short_cycles += 1
            self.short_in_cycle = False
        if released > qty + EPS:
            self._used(released - qty)  # lost in the supplier's yield: paid for, never came
        self._add(qty)
        waited = bool(self.queue)
        if waited:
            self._serve_queue()
        if (
            self.service is not None
            and self.service.since is not None
            and self.on_hand > EPS
            and self.customer_owed <= EPS
        ):
            self.service.restored(self.env._now)
        if self.on_event is not None:
            self.emit(EventKind.RECEIPT, qty)
        self._changed(review=released != qty or waited)  # units given to those waiting were consumed

    def bought(self, units: float, price: float, expedited: bool = False, payment_days: float = 0.0) -> None:
        """The source charged ``units`` at ``price`` each (and the expedite premium on a rush order),
        payable ``payment_days`` later; the units are this point's, at that cost, from now."""
        c = self.counters
        paid = units * price
        c.purchase_cost += paid
        c.paid_days += paid * payment_days
        c.stock_value += paid
        self.held += units
        c.order_units += units
        if expedited:
            assert self.supply.expedite is not None
            c.expedite_cost += units * price * self.supply.expedite.premium

    def _serve_queue(self) -> None:
        now = self.env._now
        c = self.counters
        while self.queue and self.on_hand > EPS:
            claim = self.queue[0]
            if claim.qty <= EPS:
                self.queue.popleft()
                continue
            give = min(claim.qty, self.on_hand)
            self._take(give)
            claim.qty -= give
            self.owed -= give
            if claim.deliver is None:
                self._used(give)
                self.customer_owed -= give
                c.served_late += give
                c.wait += give * (now - claim.since)
            else:
                value = self._out(give)
                if claim.consumed:
                    c.consumed += give
                else:
                    c.shipped += give
                claim.deliver(give, value)
            if claim.qty <= EPS:
                self.queue.popleft()
        self._settle()

    def shipped_in(self, at: float, qty: float) -> tuple[float, float]:
        """A supplier shipped ``qty`` here, landing at ``at``; returns the entry to pass to :meth:`landed`."""
        entry = (at, qty)
        assert self.inbound is not None
        self.inbound.append(entry)
        return entry

    def landed(self, entry: tuple[float, float]) -> None:
        """The shipment :meth:`shipped_in` recorded has landed."""
        assert self.inbound is not None
        self.inbound.remove(entry)

    def cover(self, days: float) -> float:
        """Units physically here or surely coming within ``days``: on hand − backorders + what suppliers
        have shipped here landing by then. Orders not yet shipped (queued, or held at a closed
        supplier) do not count: they are what the inventory position counts and a planner cannot use."""
        soon = self.env._now + days
        due = math.fsum(qty for at, qty in self.inbound or () if at <= soon)
        return self.on_hand - self.owed + due

    def short_of(self, days: float) -> float:
        """Units the cover over ``days`` lacks of that many days of expected demand (≤ 0: none)."""
        return days * self.facts.demand_rate - self.cover(days)

    def _owe(self, qty: float) -> None:
        self.owed += qty

    def _settle(self) -> None:
        if self.customer_owed < EPS:
            self.customer_owed = 0.0
        if self.owed < EPS:
            self.owed = 0.0

    # -- decisions ----------------------------------------------------------------------------
    def view(self) -> StockView:
        """The read-only view the policy decides on."""
        history = self.policy.history
        recent: tuple[float, ...] = ()
        if history:
            day = int(self.env._now)
            recent = tuple(self.signal_by_day[max(0, day - history) : day])
        up = self.supply.source.up
        return StockView(
            self.env._now, self.on_hand, self.owed, self.on_order, self.view_facts, self.last_demand, up, recent
        )

    def review(self, _: object = None) -> None:
        """Ask the policy, place what it orders, and ask again until it orders nothing more (the
        position changed); then expedite if the position is still below the threshold."""
        if self.on_event is not None:
            self.emit(EventKind.REVIEW, 0.0)
        position = self.on_hand + self.on_order - self.owed
        for _ in range(MAX_ORDERS_PER_REVIEW):
            if self.idle_above is not None and position > self.idle_above:
                break
            order = self.policy.decide(self.view())
            if order is None or order.quantity <= EPS:
                break  # a rounding crumb (1e-12 below a level) is no order; placing it would change nothing
            self.place(order.quantity)
            position = self.on_hand + self.on_order - self.owed
        else:
            raise SimulationError(
                f"the policy of {self.name} placed {MAX_ORDERS_PER_REVIEW} orders in one review on day "
                f"{self.env._now:g} without stopping; its decide() must return None once the position is high enough"
            )
        self.expedite()

    def expedite(self) -> None:
        """Place one rush order, none being under way, while the net stock is below the rule's
        ``below`` (or the cover is short of its days): to the source if it is up, else to the backup
        if that is up (within what it can make), else none — a rush order at a closed supplier would
        bring nothing sooner. Orders on their way or held at a closed supplier are not counted."""
        rule = self.supply.expedite
        if rule is None or self.expediting:
            return
        if rule.cover_days is None:
            assert rule.below is not None
            short = rule.below - (self.on_hand - self.owed)
        else:
            short = self.short_of(rule.cover_days)
        if short <= EPS:
            return
        qty = rule.quantity or short
        backup = self.supply.backup
        if self.supply.source.up:
            self.expediting = self._send(qty, expedite=True)
        elif backup is not None and backup.source.up:
            self.expediting = self._send(min(qty, backup.source.room(backup.within)), expedite=True, backup=True)

    def place(self, qty: float) -> None:
        """Send the policy's order for ``qty`` to the source, or to the backup while the backup rule
        says the need is real (:meth:`_backup_needed`): the backup takes what it can make within the
        rule's window, the rest goes to the source (or to the backup, if the rule says so)."""
        if qty <= EPS or not math.isfinite(qty):
            return
        rule = self.supply.backup
        if rule is not None and self._backup_needed(rule, qty):
            share = qty if rule.remainder_to_backup else min(qty, rule.source.room(rule.within))
            if self._send(share, backup=True):
                qty -= share
        if qty > EPS:
            self._send(qty)

    def _backup_needed(self, rule: Backup, qty: float) -> bool:
        """True when the backup is up and the need is real. With a ``cover_below``: the cover over its
        days is short of that many days of expected demand, whatever the source's state. While the
        source is down (or, with ``overdue_by``, late): the cover over the horizon is short of it
        (the stock will not last until the source's orders could land, were it to reopen now), or
        it would be short of the backup's lead time by the next order, about this order's worth of
        demand later (orders come in lots: held at the source, this one leaves the next decision
        too late for the backup). So a stock point sitting on stock buys no premium units."""
        if not rule.source.up:
            return False
        rate = self.facts.demand_rate
        cover = self.cover(rule.cover_days)
        short = rule.cover_days * rate - cover
        if rule.cover_trigger and short > EPS:
            return True
        source = self.supply.source
        held = not source.up or (rule.overdue_by is not None and source.late_for(self))
        return held and (short > EPS or rule.lead_days * rate - (cover - qty) > EPS)

    def _send(self, qty: float, expedite: bool = False, backup: bool = False) -> bool:
        """One purchase order of ``qty`` to the source or the backup: its order cost, counters and
        event; False (nothing sent) for a crumb."""
        if qty <= EPS or not math.isfinite(qty):
            return False
        self.touch()
        c = self.counters
        supply = self.supply
        rule = supply.backup
        if backup:
            assert rule is not None
            target: Source = rule.source
            c.ordering_cost += rule.order_cost
        else:
            target = supply.source
            c.ordering_cost += supply.order_cost
        self.on_order += qty
        c.orders += 1
        self.orders_by_day[int(self.env._now)] += qty
        units = target.place(self, qty, expedite)
        if units > qty:
            self.on_order += units - qty  # a minimum order rounded it up
        if backup:
            c.backup_orders += 1
            c.backup_units += units
        if expedite:
            c.expedited_orders += 1
            c.expedited_units += units
        if self.on_event is not None:
            where = rule.name if backup and rule is not None else supply.name
            self.emit(EventKind.ORDER, units, f"{where} (expedited)" if expedite else where)
        return True

    def source_back(self) -> None:
        """The source's availability changed: once it is up, the orders at the backup not yet started
        move back to it (the backup's charge reversed, the source's price of the day paid): the need
        they were placed for is still in the inventory position, and the source is the cheaper way
        to meet it now (cancelling them would have a continuous policy re-order the same units at
        once). Units the backup has begun to make stay with it."""
        rule = self.supply.backup
        if rule is None or not self.supply.source.up:
            return
        moved = rule.source.withdraw(self)
        if not moved:
            return
        self.touch()
        c = self.counters
        for job in moved:
            self.bought(-job.qty, job.price, False, job.days)
            c.backup_orders -= 1
            c.backup_units -= job.qty
            units = self.supply.source.place(self, job.qty)
            if units > job.qty:
                self.on_order += units - job.qty
            if self.on_event is not None:
                self.emit(EventKind.ORDER, units, f"{self.supply.name} (moved from {rule.name})")
