"""A supplier: fills orders after a lead time, within its capacity, on time or late, in part,
with defects found at receipt, at the price of the order day — and waits out its outages.

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


class SupplierSource:
    """Orders queue for capacity (FIFO) while the supplier is up, then travel their lead time."""

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
        self.free_at = 0.0
        self.waiting: deque[tuple[StockPoint, float, bool | None, float]] = deque()
        self.expected = lead_time.mean + (1.0 - on_time) * delay.mean
        self.promised: dict[StockPoint, list[float]] = {}
        availability.listeners.append(self._resume)

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
        """Accept an order (raised to the minimum order): pay for it on the order day, then dispatch
        it when the supplier can; returns the units ordered."""
        qty = max(qty, self.min_order)
        base = sp.facts.unit_cost if self.price is None else self.price.at(self.env._now)
        sp.bought(qty, base * (1.0 + self.premium), expedite, self.payment_days)
        due = math.inf
        backup = sp.supply.backup
        if not expedite and backup is not None and backup.overdue_by is not None and sp.supply.source is self:
            due = self.env._now + self.expected + backup.overdue_by
            self.promised.setdefault(sp, []).append(due)
        self._dispatch(sp, qty, expedite, due)
        return qty

    def _dispatch(self, sp: StockPoint, qty: float, expedite: bool | None, due: float = math.inf) -> None:
        """Ship when up and capacity allows; ``expedite`` None marks a replacement of defective units."""
        if self.availability.stopped:
            self.waiting.append((sp, qty, expedite, due))
            return
        now = self.env._now
        ship = now
        if self.capacity is not None and not expedite:
            start = max(now, self.free_at)
            self.free_at = start + qty / (self.capacity * self.availability.factor)
            ship = self.free_at
        rush = sp.supply.expedite
        if expedite and rush is not None:
            travel = rush.lead_time()
        else:
            travel = self.lead_time()
            late = self.late_rng
            if late is not None and late.random() >= self.on_time:
                travel += self.delay()
        call(self.env, ship - now + travel, RECEIPT, self._arrive, (sp, qty, expedite, due))

    def _resume(self) -> None:
        while self.waiting and not self.availability.stopped:
            self._dispatch(*self.waiting.popleft())

    def _arrive(self, event: Call) -> None:
        sp, qty, expedite, due = event._value
        if due != math.inf:
            self.promised[sp].remove(due)
        shipped = qty if expedite is None or self.yield_ is None else self._shipped(qty)
        defective = 0.0
        rng = self.defect_rng
        if rng is not None and self.defect_rate > 0:
            whole = math.floor(shipped + EPS)
            if whole >= 1:
                defective = float(rng.binomial(whole, self.defect_rate))
        sp.receive(shipped - defective, qty - defective, defective, bool(expedite))
        if defective > 0:  # replaced free of charge and in full; the replacement stays in the pipeline
            self._dispatch(sp, defective, None)

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
