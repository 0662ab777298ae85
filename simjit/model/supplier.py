"""A supplier: makes orders first come first served within its capacity (waiting out its outages,
slowed by partial ones, for the work already queued as for new), then ships them over a lead
time, on time or late, in part, with defects found at receipt, at the price of the order day.

Each item is bought at its own unit cost unless the supplier sets a ``price`` (a constant or a
random walk), which then applies to every item it sells; ``price_premium`` applies on top.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import simpy

from simjit.model.disruptions import Availability
from simjit.model.priorities import RECEIPT, Call, call
from simjit.model.stock_point import EPS, StockPoint
from simjit.random import Sampler
from simjit.scenario.types import LARGEST

__all__ = ["PricePath", "SupplierSource"]


class PricePath:
    """The supplier's price on each day: a constant, or a geometric random walk drawn once per replication.

    p(t) = max(start·exp((drift − sd²/2)·t + sd·Σ Z_k), floor), Z_k standard normal: the mean price on
    day t is start·e^(drift·t) (above the floor), so a walk without drift does not trend.
    """

    def __init__(
        self, start: float, sd: float, floor: float, days: int, rng: np.random.Generator | None, drift: float = 0.0
    ) -> None:
        if sd > 0 and rng is not None:
            steps = rng.normal(0.0, sd, days + 1)
            steps[0] = 0.0
            log = np.cumsum(steps) + (drift - 0.5 * sd * sd) * np.arange(days + 1)
            self.prices = np.minimum(np.maximum(start * np.exp(log), floor), LARGEST)
        elif drift != 0.0:
            self.prices = np.minimum(np.maximum(start * np.exp(drift * np.arange(days + 1)), floor), LARGEST)
        else:
            self.prices = np.full(days + 1, start)

    def at(self, t: float) -> float:
        """Price per unit on the day containing ``t``."""
        return float(self.prices[min(int(t), len(self.prices) - 1)])


class _Job:
    """An order at a supplier: for whom, how many, how many are still to make and have shipped, what
    a unit was paid (to re-price it if it moves), whether it is a rush order (None: a free replacement
    of defective units), its due day (lateness) and whether it ships day by day (a backup's order)."""

    __slots__ = ("begun", "daily", "days", "due", "left", "price", "qty", "rush", "shipped", "sp")

    def __init__(
        self, sp: StockPoint, qty: float, rush: bool | None, due: float, price: float, days: float, daily: bool
    ) -> None:
        self.sp, self.qty, self.left, self.rush, self.due = sp, qty, qty, rush, due
        self.price, self.days, self.daily = price, days, daily
        self.shipped = 0.0
        self.begun = False


class SupplierSource:
    """Orders are made first come first served at the capacity (a rush order goes ahead of those not
    yet started) and travel their lead time; an outage holds them, a partial one slows the making.

    With a ``capacity``, the order being made advances at capacity × the availability factor and is
    re-timed at every change of availability, like a production line; it ships whole when made,
    except an order placed with this supplier as a stock point's backup, which ships at the end of
    each day what was made of it that day (a backup delivers as it makes, never more than its
    capacity a day). Without a capacity an order ships on the order day, or when an outage ends.
    """

    def __init__(
        self, env: simpy.Environment, name: str, availability: Availability, *, lead_time: Sampler,
        on_time: float, delay: Sampler, late_rng: np.random.Generator | None, yield_: Sampler | None,
        defect_rate: float, defect_rng: np.random.Generator | None, price: PricePath | None, premium: float,
        capacity: float | None, min_order: float, payment_days: float = 0.0,
    ) -> None:  # fmt: skip
        self.env = env
        self.name = name
        self.availability = availability
        self.lead_time = lead_time
        self.on_time = on_time
        self.delay = delay
        assert late_rng is not None or on_time >= 1.0, "a supplier that may be late draws from a stream"
        assert defect_rng is not None or (defect_rate == 0 and yield_ is None), "defects and yields draw too"
        self.late_rng = late_rng
        self.yield_ = yield_
        self.defect_rate = defect_rate
        self.defect_rng = defect_rng
        self.price = price
        self.premium = premium
        self.capacity = capacity
        self.min_order = min_order
        self.payment_days = payment_days
        self.jobs: deque[_Job] = deque()  # with a capacity: the queue, its head being made; else: held by an outage
        self.segment: tuple[float, float] | None = None  # (start, rate) of the making in progress
        self.token = 0
        self.begun: list[_Job] = []  # backup orders begun whose units made are not all shipped yet
        self.day_end = False  # the end-of-day shipment of backup orders is scheduled
        self.expected = lead_time.mean + (1.0 - on_time) * delay.mean
        self.promised: dict[StockPoint, list[float]] = {}
        availability.listeners.append(self._changed)

    @property
    def up(self) -> bool:
        """False while an outage stops the supplier."""
        return not self.availability.stopped

    def late_for(self, sp: StockPoint) -> bool:
        """True while an order of ``sp`` is overdue: not landed by its order day + the expected lead
        time + the backup rule's ``overdue_by`` (orders are tracked only for such a rule)."""
        dues = self.promised.get(sp)
        return dues is not None and len(dues) > 0 and min(dues) < self.env._now

    def place(self, sp: StockPoint, qty: float, expedite: bool = False) -> float:
        """Accept an order (raised to the minimum order): pay for it on the order day, then make and
        ship it when the supplier can; returns the units ordered."""
        qty = max(qty, self.min_order)
        base = sp.facts.unit_cost if self.price is None else self.price.at(self.env._now)
        price = base * (1.0 + self.premium)
        sp.bought(qty, price, expedite, self.payment_days)
        due = math.inf
        backup = sp.supply.backup
        primary = sp.supply.source is self
        if not expedite and primary and backup is not None and backup.overdue_by is not None:
            due = self.env._now + self.expected + backup.overdue_by
            self.promised.setdefault(sp, []).append(due)
        daily = self.capacity is not None and not primary
        self._enqueue(_Job(sp, qty, expedite, due, price, self.payment_days, daily))
        return qty

    def room(self, within: float) -> float:
        """Units it can still take to make within ``within`` days from now, after the orders it holds
        (at today's availability; unbounded without a capacity, none while it is stopped)."""
        if self.availability.stopped:
            return 0.0
        if self.capacity is None:
            return math.inf
        backlog = math.fsum(job.left for job in self.jobs) - self._made_since()
        return max(self.capacity * self.availability.factor * within - backlog, 0.0)

    def withdraw(self, sp: StockPoint) -> list[_Job]:
        """Take back the orders of ``sp`` not started yet (rush orders and replacements stay)."""
        taken = [j for j in self.jobs if j.sp is sp and j.rush is False and not self._started(j)]
        if taken:
            self.jobs = deque(j for j in self.jobs if j not in taken)
            if self.segment is None and self.capacity is not None:
                self._start()
        return taken

    def _started(self, job: _Job) -> bool:
        return job.begun or job.left < job.qty or (self.segment is not None and job is self.jobs[0])

    def _enqueue(self, job: _Job) -> None:
        if self.capacity is None:
            if self.availability.stopped:
                self.jobs.append(job)
            else:
                self._ship(job, job.qty, True)
            return
        if job.rush:
            i = 1 if self.jobs and self._started(self.jobs[0]) else 0
            while i < len(self.jobs) and self.jobs[i].rush:
                i += 1
            self.jobs.insert(i, job)
        else:
            self.jobs.append(job)
        if self.segment is None:
            self._start()

    def _made_since(self) -> float:
        """Units of the head made since its segment started (0 when nothing is being made)."""
        if self.segment is None:
            return 0.0
        start, rate = self.segment
        return (self.env._now - start) * rate

    def _progress(self) -> None:
        """Bring the head's units still to make up to now."""
        if self.segment is not None:
            head = self.jobs[0]
            head.left = max(head.left - self._made_since(), 0.0)
            self.segment = (self.env._now, self.segment[1])

    def _start(self) -> None:
        """(Re)time the head at the rate available now; nothing runs while stopped."""
        self.token += 1
        self.segment = None
        if not self.jobs or self.availability.stopped:
            return
        assert self.capacity is not None
        head = self.jobs[0]
        rate = self.capacity * self.availability.factor
        self.segment = (self.env._now, rate)
        if head.daily and not head.begun:
            head.begun = True
            self.begun.append(head)
            self._end_of_day()
        call(self.env, head.left / rate, RECEIPT, self._made, self.token)

    def _changed(self) -> None:
        """Availability changed: release what an outage held, or re-time what is being made."""
        if self.capacity is None:
            while self.jobs and not self.availability.stopped:
                job = self.jobs.popleft()
                self._ship(job, job.qty, True)
            return
        if self.segment is not None:
            head = self.jobs[0]
            left = head.left - self._made_since()
            if left <= EPS * max(1.0, head.left):
                return  # the order is made at this very instant: let its completion land
            head.left = left
        self._start()

    def _made(self, event: Call) -> None:
        if event._value != self.token:
            return
        job = self.jobs.popleft()
        job.left = 0.0
        if not job.daily:
            self._ship(job, job.qty, True)
        self._start()

    def _end_of_day(self) -> None:
        if not self.day_end:
            self.day_end = True
            now = self.env._now
            call(self.env, math.floor(now) + 1.0 - now, RECEIPT, self._ship_day)

    def _ship_day(self, _: Call) -> None:
        """Midnight: ship what was made today of each backup order begun."""
        self.day_end = False
        self._progress()
        begun, self.begun = self.begun, []
        for job in begun:
            done = job.left <= EPS * max(1.0, job.qty)
            made = job.qty if done else job.qty - job.left
            part = made - job.shipped
            if part > EPS or done:
                job.shipped = made
                self._ship(job, part, done)
            if not done:
                self.begun.append(job)
        if self.begun:
            self._end_of_day()

    def _ship(self, job: _Job, qty: float, last: bool) -> None:
        """``qty`` of ``job`` leave: over the rush lead time for a rush order, else the lead time
        (late by the delay with probability 1 − on_time); ``last`` marks the order's last part."""
        sp = job.sp
        rush = sp.supply.expedite
        if job.rush and rush is not None:
            travel = rush.lead_time()
        else:
            travel = self.lead_time()
            late = self.late_rng
            if late is not None and late.random() >= self.on_time:
                travel += self.delay()
        entry = None if sp.inbound is None else sp.shipped_in(self.env._now + travel, qty)
        call(self.env, travel, RECEIPT, self._arrive, (job, qty, last, entry))

    def _arrive(self, event: Call) -> None:
        job, qty, last, entry = event._value
        sp = job.sp
        if entry is not None:
            sp.landed(entry)
        if last and job.due != math.inf:
            self.promised[sp].remove(job.due)
        shipped = qty if job.rush is None or self.yield_ is None else self._shipped(qty)
        defective = 0.0
        rng = self.defect_rng
        if rng is not None and self.defect_rate > 0:
            whole = math.floor(shipped + EPS)
            if whole >= 1:
                defective = float(rng.binomial(whole, self.defect_rate))
        sp.receive(shipped - defective, qty - defective, defective, bool(job.rush) and last)
        if defective > 0:  # replaced free of charge and in full; the replacement stays in the pipeline
            self._enqueue(_Job(sp, defective, None, math.inf, 0.0, 0.0, job.daily))

    def _shipped(self, qty: float) -> float:
        """Units of an order that ship: the whole units × drawn yield, rounded at random to a whole
        number (up with probability equal to the fraction), and a fractional remainder shipped
        whole with probability the yield — unbiased, and never splitting an order into crumbs (a
        perishable crumb that expires and is re-bought short would split again without end)."""
        if self.yield_ is None:
            return qty
        rng = self.defect_rng
        assert rng is not None, "a supplier with a yield draws its shipments from the defects stream"
        y = min(max(self.yield_(), 0.0), 1.0)
        units = math.floor(qty + EPS)
        ships = units * y
        whole = math.floor(ships + EPS)
        shipped = float(whole + (1 if rng.random() < ships - whole - EPS else 0))
        rest = qty - units
        if rest > EPS and rng.random() < y:
            shipped += rest
        return shipped
