"""Availability of suppliers, lanes and lines, and the disruptions that take them down.

A disruption has a severity s in [0, 1]: the fraction of capacity lost while it lasts.
Overlapping disruptions take the largest severity. A target without a capacity limit (a
supplier with no ``capacity``, a lane) is stopped by any disruption; a capacitated one
(supplier with ``capacity``, a line with a ``rate``) keeps working at (1 − s) of capacity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import simpy

from simjit.model.events import EventKind, OnEvent, SimEvent
from simjit.model.priorities import DISRUPTION, call
from simjit.random import Sampler

__all__ = ["Availability", "Outage", "schedule_random", "schedule_window"]


@dataclass
class Outage:
    """One disruption event as it happened: which disruption, which occurrence, what it hit, when,
    how long, how hard. ``source`` names the disruption as declared (``pads_asia.disruptions.0``,
    ``typhoon``); ``event`` the occurrence (``typhoon#3``; a scheduled window's is its ``source``)."""

    source: str
    event: str
    targets: tuple[str, ...]
    start: float
    end: float
    severity: float


@dataclass
class Availability:
    """How much of a target's capacity is available now, and who waits for it to change."""

    name: str
    capacitated: bool
    active: list[float] = field(default_factory=list)
    listeners: list[Callable[[], None]] = field(default_factory=list)

    @property
    def severity(self) -> float:
        """Fraction of capacity lost now (the worst active disruption)."""
        return max(self.active) if self.active else 0.0

    stopped: bool = False
    """True when the target cannot work at all (kept current by :meth:`change`)."""

    @property
    def factor(self) -> float:
        """Fraction of capacity available (0 when stopped)."""
        return 0.0 if self.stopped else 1.0 - self.severity

    def change(self, add: float | None = None, remove: float | None = None) -> None:
        """Start or end one disruption of this target and tell whoever listens."""
        if add is not None:
            self.active.append(add)
        if remove is not None:
            self.active.remove(remove)
        s = self.severity
        self.stopped = s >= 1.0 or (s > 0.0 and not self.capacitated)
        for listener in list(self.listeners):
            listener()


def _hit(
    env: simpy.Environment, targets: list[Availability], severity: float, length: float, log: Outage,
    on_event: OnEvent | None,
) -> None:  # fmt: skip
    where = ",".join(log.targets)
    if on_event is not None:
        on_event(SimEvent(env.now, EventKind.DISRUPTION_START, where, severity, detail=log.event))
    for t in targets:
        t.change(add=severity)

    def end(_: object) -> None:
        if on_event is not None:
            on_event(SimEvent(env.now, EventKind.DISRUPTION_END, where, severity, detail=log.event))
        for t in targets:
            t.change(remove=severity)

    call(env, length, DISRUPTION, end)


def schedule_window(
    env: simpy.Environment, name: str, targets: list[Availability], start: float, length: Sampler, severity: Sampler,
    log: list[Outage], on_event: OnEvent | None = None,
) -> None:  # fmt: skip
    """A scheduled outage: opens at ``start``, lasts a drawn length, with a drawn severity."""
    duration, sev = length(), min(max(severity(), 0.0), 1.0)

    def begin(_: object) -> None:
        outage = Outage(name, name, tuple(t.name for t in targets), env.now, env.now + duration, sev)
        log.append(outage)
        _hit(env, targets, sev, duration, outage, on_event)

    if duration > 0 and sev > 0:
        call(env, start, DISRUPTION, begin)


def schedule_random(
    env: simpy.Environment, name: str, targets: list[Availability], mtbf: float, length: Sampler, severity: Sampler,
    rng: np.random.Generator, log: list[Outage], horizon: float, on_event: OnEvent | None = None,
) -> None:  # fmt: skip
    """Random outages: exponential up-times of mean ``mtbf`` alternating with drawn lengths; the
    occurrences that happen are numbered from 1 (``name#1``, ``name#2``…)."""
    count = [0]

    def next_outage(_: object) -> None:
        duration, sev = length(), min(max(severity(), 0.0), 1.0)
        if sev > 0 and duration > 0:
            count[0] += 1
            outage = Outage(
                name, f"{name}#{count[0]}", tuple(t.name for t in targets), env.now, env.now + duration, sev
            )
            log.append(outage)
            _hit(env, targets, sev, duration, outage, on_event)
        gap = duration + rng.exponential(mtbf)
        if env.now + gap < horizon:
            call(env, gap, DISRUPTION, next_outage)

    first = rng.exponential(mtbf)
    if first < horizon:
        call(env, first, DISRUPTION, next_outage)
