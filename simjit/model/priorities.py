"""The documented order of events on the same instant, like SimPy's URGENT/NORMAL.

At one instant: the warm-up mark is taken first, disruptions change state, then receipts
(and expiries) land, then customers demand and impatient customers leave (so one whose
patience ends as stock arrives is served), then periodic reviews run, then KPI snapshots
are taken. Ties within one class keep the order they were scheduled in. A continuous-review policy reviews right after each change
of its inventory position, within the event that made it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import simpy
from simpy.events import Event

__all__ = ["DEMAND", "DISRUPTION", "RECEIPT", "REVIEW", "SNAPSHOT", "Call", "call"]

DISRUPTION = 0
RECEIPT = 1
DEMAND = 2
REVIEW = 3
SNAPSHOT = 4


class Call(Event):
    """An event that runs ``fn(event)`` after ``delay`` at a named priority; ``event._value`` carries data.

    Plain callbacks instead of processes: the engine's hot path schedules one of these per
    receipt or demand, so it does only what SimPy needs.
    """

    def __init__(
        self, env: simpy.Environment, delay: float, priority: int, fn: Callable[[Event], None], value: Any = None
    ) -> None:
        self.env = env
        self.callbacks = [fn]
        self._value = value
        self._ok = True
        env.schedule(self, priority, delay)  # type: ignore[arg-type]


call = Call
"""``call(env, delay, priority, fn, value)`` schedules ``fn(event)``: an alias that reads as a verb."""
