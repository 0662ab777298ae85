"""A lane from an upstream site: orders are filled from the upstream stock (its shortages delay
them), and each filled part travels the lane's transit time. A disrupted lane holds departures."""

from __future__ import annotations

from collections import deque

import simpy

from simjit.model.disruptions import Availability
from simjit.model.priorities import RECEIPT, Call, call
from simjit.model.stock_point import StockPoint
from simjit.random import Sampler

__all__ = ["LaneSource"]


class LaneSource:
    """Replenishment of ``downstream`` from ``upstream`` (the same item at another site)."""

    def __init__(
        self, env: simpy.Environment, upstream: StockPoint, transit: Sampler, availability: Availability
    ) -> None:
        self.env = env
        self.upstream = upstream
        self.transit = transit
        self.availability = availability
        self.waiting: deque[tuple[StockPoint, float]] = deque()
        availability.listeners.append(self._resume)

    @property
    def up(self) -> bool:
        """False while the lane is disrupted."""
        return not self.availability.stopped

    def late_for(self, sp: StockPoint) -> bool:
        """Lateness is judged only for suppliers (dual sourcing)."""
        return False

    def place(self, sp: StockPoint, qty: float, expedite: bool = False) -> float:
        """Ask the upstream stock point for ``qty``; ship each part as it is filled."""

        def handed(part: float, value: float) -> None:
            sp.transfer_in(part, value)  # on the lane, the units are the downstream site's stock on order
            self._depart(sp, part)

        self.upstream.request(qty, handed, consumed=False)
        return qty

    def _depart(self, sp: StockPoint, qty: float) -> None:
        if self.availability.stopped:
            self.waiting.append((sp, qty))
            return
        call(self.env, self.transit(), RECEIPT, self._arrive, (sp, qty))

    def _resume(self) -> None:
        while self.waiting and not self.availability.stopped:
            self._depart(*self.waiting.popleft())

    @staticmethod
    def _arrive(event: Call) -> None:
        sp, qty = event._value
        sp.receive(qty, released=qty)
