"""The documented order of events on the same instant, like SimPy's URGENT/NORMAL, and the events
and run loop the engine plays them with.

At one instant: the warm-up mark is taken first, disruptions change state, then receipts
(and expiries) land, then customers demand and impatient customers leave (so one whose
patience ends as stock arrives is served), then periodic reviews run, then KPI snapshots
are taken. A ``per_day`` draw with ``timing: start_of_day`` is one lump at 00:00, so it meets
that instant's receipts already landed; through the day (the default) its hourly lots fall at
random instants, and a receipt serves only the lots after it. Ties within one class keep the order they were scheduled in. A continuous-review policy reviews right after each change
of its inventory position, within the event that made it.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any

import simpy
from simpy.events import URGENT

__all__ = ["DEMAND", "DISRUPTION", "RECEIPT", "REVIEW", "SNAPSHOT", "Call", "call", "call_at", "run"]

DISRUPTION = 0
RECEIPT = 1
DEMAND = 2
REVIEW = 3
SNAPSHOT = 4


class Call:
    """An event that runs ``fn(event)`` after ``delay`` at a named priority; ``event._value`` carries data.

    Plain callbacks instead of processes: the engine's hot path schedules one of these per
    receipt or demand, so it holds only what SimPy's scheduler reads (``callbacks``, ``_ok``) and
    is scheduled as :meth:`simpy.Environment.schedule` would (same time, priority, event id).
    """

    __slots__ = ("_value", "callbacks")
    _ok = True
    callbacks: list[Callable[[Call], None]] | None

    def __init__(
        self, env: simpy.Environment, delay: float, priority: int, fn: Callable[[Call], None], value: Any = None
    ) -> None:
        self._value = value
        self.callbacks = [fn]
        heappush(env._queue, (env._now + delay, priority, next(env._eid), self))  # type: ignore[misc]

    def again(self, env: simpy.Environment, delay: float, priority: int, fn: Callable[[Call], None]) -> None:
        """Schedule this event (once it has run) ``delay`` after now: a chain of events, one a day
        or one per customer, reuses one object rather than making one per link."""
        self.callbacks = [fn]
        heappush(env._queue, (env._now + delay, priority, next(env._eid), self))  # type: ignore[misc]


call = Call
"""``call(env, delay, priority, fn, value)`` schedules ``fn(event)``: an alias that reads as a verb."""


def call_at(env: simpy.Environment, at: float, priority: int, fn: Callable[[Call], None], value: Any = None) -> Call:
    """Schedule ``fn(event)`` at the instant ``at`` exactly (now + (at − now) may round past it)."""
    event = Call.__new__(Call)
    event._value = value
    event.callbacks = [fn]
    heappush(env._queue, (at, priority, next(env._eid), event))  # type: ignore[misc]
    return event


def _stop(_: Call) -> None:
    raise AssertionError("the end of a run is never called")


def run(env: simpy.Environment, until: float, own_loop: bool = True) -> None:
    """``env.run(until=until)``: the same events in the same order, ending at the same one (SimPy
    schedules an URGENT event at ``until`` and stops when it comes up), without SimPy's per-event
    step. Every event the engine schedules is a :class:`Call`, so none can fail, and nothing stops
    a run but its end. ``own_loop`` False runs SimPy's loop itself (the general path)."""
    if not own_loop:
        env.run(until=until)
        return
    at = until if isinstance(until, int) else float(until)
    if at <= env._now:
        raise ValueError(f"until ({at}) must be greater than the current simulation time")
    end = Call(env, at - env._now, URGENT, _stop)
    queue: list[tuple[float, int, int, Call]] = env._queue  # type: ignore[assignment]
    while True:
        now, _, _, event = heappop(queue)
        env._now = now
        if event is end:
            return
        callbacks, event.callbacks = event.callbacks, None
        for fn in callbacks:  # type: ignore[union-attr]
            fn(event)
