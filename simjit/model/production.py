"""A production line: for each production order it takes the bill of materials from its site's
stock (waiting, *starved*, for missing parts), makes the batch at its rate while it runs
(breakdowns pause it; a partial disruption slows it), and puts the batch into stock."""

from __future__ import annotations

from collections import deque

import simpy
from simpy.events import Event

from simjit.model.disruptions import Availability
from simjit.model.priorities import RECEIPT, call
from simjit.model.stock_point import EPS, StockPoint

__all__ = ["LineSource"]


class LineSource:
    """One line making one item; production orders are worked first-come first-served."""

    def __init__(
        self,
        env: simpy.Environment,
        name: str,
        bom: list[tuple[StockPoint, float]],
        rate: float,
        availability: Availability,
    ) -> None:
        self.env = env
        self.name = name
        self.bom = bom
        self.rate = rate
        self.availability = availability
        self.orders: deque[tuple[StockPoint, float]] = deque()
        self.current: tuple[StockPoint, float] | None = None
        self.missing = 0.0
        self.kitting_since = 0.0
        self.remaining = 0.0
        self.segment: tuple[float, float] | None = None  # (start, rate) of the run in progress
        self.token = 0
        availability.listeners.append(self._changed)

    @property
    def up(self) -> bool:
        """False while a breakdown or disruption stops the line."""
        return not self.availability.stopped

    def late_for(self, sp: StockPoint) -> bool:
        """Lateness is judged only for suppliers (dual sourcing)."""
        return False

    def place(self, sp: StockPoint, qty: float, expedite: bool = False) -> None:
        """Queue a production order for ``qty`` units of the line's item."""
        self.orders.append((sp, qty))
        if self.current is None:
            self._start()

    def _start(self) -> None:
        _sp, qty = self.current = self.orders.popleft()
        self.remaining = 0.0
        self.missing = sum(qty * k for _, k in self.bom)
        self.kitting_since = self.env._now
        for comp, k in self.bom:
            comp.request(qty * k, self._got, consumed=True)

    def _got(self, part: float) -> None:
        self.missing -= part
        if self.missing > EPS or self.current is None:
            return
        sp, qty = self.current
        starved = self.env._now - self.kitting_since
        if starved > 0:
            sp.c["starved"] += starved
        self.missing = 0.0
        self.remaining = qty
        self._run()

    def _run(self) -> None:
        self.token += 1
        self.segment = None
        if self.availability.stopped:
            return
        rate = self.rate * self.availability.factor
        self.segment = (self.env._now, rate)
        call(self.env, self.remaining / rate, RECEIPT, self._done, self.token)

    def _changed(self) -> None:
        if self.current is None or self.missing > EPS or self.remaining <= 0:
            return  # idle or still kitting: nothing is being made
        if self.segment is not None:
            start, rate = self.segment
            left = self.remaining - (self.env._now - start) * rate
            if left <= EPS * max(1.0, self.remaining):
                return  # the batch completes at this very instant: let its completion event land
            self.remaining = left
        self._run()

    def _done(self, event: Event) -> None:
        if event._value != self.token or self.current is None:
            return
        sp, qty = self.current
        self.current = None
        self.remaining = 0.0
        self.segment = None
        sp.receive(qty, released=qty)
        if self.orders and self.current is None:
            self._start()
