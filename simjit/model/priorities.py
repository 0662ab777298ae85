"""The documented order of events on the same instant, like SimPy's URGENT/NORMAL.

At one instant: disruptions change state, then receipts (and expiries) land, then customers
demand, then periodic reviews run, then KPI snapshots are taken. Ties within one class keep
the order they were scheduled in. A continuous-review policy reviews right after each change
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
    """An event that runs ``fn(value)`` after ``delay`` at a named priority; no process needed."""

    def __init__(
        self, env: simpy.Environment, delay: float, priority: int, fn: Callable[[Any], None], value: Any = None
    ):
        self.env = env
        self.callbacks = [self._run]
        self._fn = fn
        self._value = value
        self._ok = True
        env.schedule(self, priority, delay)  # type: ignore[arg-type]

    def _run(self, event: Event) -> None:
        self._fn(self._value)


def call(env: simpy.Environment, delay: float, priority: int, fn: Callable[[Any], None], value: Any = None) -> Call:
    """Schedule ``fn(value)`` in ``delay`` days with ``priority``."""
    return Call(env, delay, priority, fn, value)
