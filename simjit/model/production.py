"""A production line: every production order claims its bill of materials from its site's stock
when it is released (MRP allocation: a queued order's parts are on their way while the line works
on earlier ones); the line makes orders first-come first-served at its rate while it runs
(breakdowns pause it; a partial disruption slows it), waits while the next order's parts are
missing (*starved* when its item is needed meanwhile, idle otherwise), and puts each batch into
stock. The parts' cost goes with them: into the order's work in process, then into the batch."""

from __future__ import annotations

from collections import deque
from functools import partial

import simpy

from simjit.model.disruptions import Availability
from simjit.model.events import EventKind, OnEvent, SimEvent
from simjit.model.priorities import RECEIPT, Call, call
from simjit.model.stock_point import EPS, LineState, StockPoint

__all__ = ["LineSource"]


class _Job:
    """A released production order: who gets it, how many, and the parts still missing."""

    __slots__ = ("missing", "qty", "sp", "value")

    def __init__(self, sp: StockPoint, qty: float, missing: float) -> None:
        self.sp, self.qty, self.missing = sp, qty, missing
        self.value = 0.0  # cost of the parts in it so far


class LineSource:
    """One line making one item; production orders are worked first-come first-served."""

    def __init__(
        self,
        env: simpy.Environment,
        name: str,
        bom: list[tuple[StockPoint, float]],
        rate: float,
        availability: Availability,
        on_event: OnEvent | None = None,
    ) -> None:
        self.env = env
        self.name = name
        self.bom = bom
        self.rate = rate
        self.availability = availability
        self.jobs: deque[_Job] = deque()  # released orders; the head is the one made (or kitted) next
        self.busy = False  # the head's parts are all in and the line is making it
        self.remaining = 0.0
        self.segment: tuple[float, float] | None = None  # (start, rate) of the run in progress
        self.token = 0
        self.on_event = on_event
        self.output: StockPoint | None = None
        availability.listeners.append(self._changed)

    def attach(self, sp: StockPoint) -> None:
        """``sp`` holds what this line makes: its starved and idle time are counted there."""
        self.output = sp
        sp.line_state = LineState.IDLE

    def _state(self) -> None:
        """Tell the output stock point what the line is doing now (making, kitting or idle)."""
        if self.output is not None:
            kitting = self.jobs and self.jobs[0].missing > EPS
            waiting = LineState.KITTING if kitting else LineState.IDLE
            self.output.set_line_state(LineState.NONE if self.busy else waiting)

    @property
    def up(self) -> bool:
        """False while a breakdown or disruption stops the line."""
        return not self.availability.stopped

    def late_for(self, sp: StockPoint) -> bool:
        """Lateness is judged only for suppliers (dual sourcing)."""
        return False

    def place(self, sp: StockPoint, qty: float, expedite: bool = False) -> float:
        """Release a production order for ``qty`` units: queue it and claim its parts now."""
        job = _Job(sp, qty, sum(qty * k for _, k in self.bom))
        self.jobs.append(job)
        for comp, k in self.bom:
            comp.request(qty * k, partial(self._got, job), consumed=True)
        self._next()
        self._state()
        return qty

    def _got(self, job: _Job, part: float, value: float) -> None:
        job.missing -= part
        job.value += value
        job.sp.wip(value)
        if job.missing <= EPS:
            self._next()

    def _next(self) -> None:
        """Start the head order if the line is free and its parts are all in."""
        if self.busy or not self.jobs or self.jobs[0].missing > EPS:
            return
        job = self.jobs[0]
        job.missing = 0.0
        self.busy = True
        self._state()
        self.remaining = job.qty
        if self.on_event is not None:
            self.on_event(SimEvent(self.env._now, EventKind.LINE_START, self.name, job.qty, detail=job.sp.name))
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
        if not self.busy:
            return  # idle or still kitting: nothing is being made
        if self.segment is not None:
            start, rate = self.segment
            left = self.remaining - (self.env._now - start) * rate
            if left <= EPS * max(1.0, self.remaining):
                return  # the batch completes at this very instant: let its completion event land
            self.remaining = left
        self._run()

    def _done(self, event: Call) -> None:
        if event._value != self.token or not self.busy:
            return
        job = self.jobs.popleft()
        self.busy = False
        self.remaining = 0.0
        self.segment = None
        if self.on_event is not None:
            self.on_event(SimEvent(self.env._now, EventKind.LINE_STOP, self.name, job.qty, detail=job.sp.name))
        job.sp.wip(-job.value)
        job.sp.transfer_in(job.qty, job.value)
        job.sp.receive(job.qty, released=job.qty)
        self._next()
        self._state()
