"""Customer demand: the whole series of a replication is drawn up front (vectorised, from the
stream's own generator), then played as events — so every policy sees the very same demand.

The rate at day d is the base rate × weekly[d mod 7] × annual[month of d] × (1 + trend·d/365)
× the factor of any shock covering d; it is constant within a day.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from heapq import heappush

import numpy as np
import simpy

from simjit.model.priorities import DEMAND, Call, call
from simjit.model.stock_point import StockPoint
from simjit.random import sampler
from simjit.scenario.distributions import Poisson
from simjit.scenario.models import Demand, OnStockout, WaitUpTo

__all__ = ["DailyDemand", "DemandStream", "demand_series", "multipliers", "units_per_day"]


def multipliers(d: Demand, days: int, days_per_year: float) -> np.ndarray:
    """The rate multiplier of each day 0 … days−1."""
    day = np.arange(days, dtype=float)
    m = 1.0 + d.trend * day / days_per_year
    if d.seasonality is not None and d.seasonality.weekly:
        m = m * np.asarray(d.seasonality.weekly)[np.arange(days) % 7]
    if d.seasonality is not None and d.seasonality.annual:
        month = ((day % days_per_year) // (days_per_year / 12)).astype(int).clip(0, 11)
        m = m * np.asarray(d.seasonality.annual)[month]
    for shock in d.shocks:
        m = np.where((day >= shock.start) & (day < shock.start + shock.duration), m * shock.factor, m)
    return np.maximum(m, 0.0)


def demand_series(
    d: Demand, days: int, days_per_year: float, rng: np.random.Generator, size_rng: np.random.Generator | None
) -> tuple[list[float], list[float]]:
    """Times and quantities of every customer order of one replication (zero orders dropped);
    ``size_rng`` draws the sizes of ``arrivals`` (None for demand ``per_day``)."""
    m = multipliers(d, days, days_per_year)
    if d.per_day is not None:
        if isinstance(d.per_day, Poisson):
            qty = rng.poisson(d.per_day.poisson * m).astype(float)
        else:
            draw = sampler(d.per_day, rng)
            qty = np.array([draw() for _ in range(days)]) * m
        keep = qty > 0
        return np.arange(days, dtype=float)[keep].tolist(), qty[keep].tolist()
    assert d.arrivals is not None
    counts = rng.poisson(d.arrivals.rate * m)
    times = np.repeat(np.arange(days, dtype=float), counts) + rng.random(int(counts.sum()))
    times.sort(kind="stable")
    assert size_rng is not None
    size = sampler(d.arrivals.size, size_rng)
    qty = np.array([size() for _ in range(len(times))])
    keep = qty > 0
    return times[keep].tolist(), qty[keep].tolist()


def units_per_day(series: Iterable[tuple[list[float], list[float]]], days: int) -> np.ndarray:
    """Units demanded on each day 0 … days − 1 over pre-drawn series of (times, quantities): an order at
    time t counts on day ⌊t⌋, as the stock point it is played at records it."""
    out = np.zeros(days)
    for times, qty in series:
        out += np.bincount(np.floor(np.asarray(times, dtype=float)).astype(int), weights=qty, minlength=days)
    return out


class DemandStream:
    """Plays a pre-drawn series of customer orders at one stock point, one event at a time (one
    event object, scheduled again for each order)."""

    def __init__(
        self, env: simpy.Environment, sp: StockPoint, rule: OnStockout | WaitUpTo, times: list[float], qty: list[float]
    ) -> None:
        self.env = env
        self.sp = sp
        self.times = times
        self.qty = qty
        self.i = 0
        self.n = len(times)
        self.lost = rule == OnStockout.lost
        self.patience = rule.wait_up_to if isinstance(rule, WaitUpTo) else None
        if times:
            call(env, times[0], DEMAND, self._fire)

    def _fire(self, event: Call) -> None:
        i = self.i
        self.sp.demand(self.qty[i], self.patience, self.lost)
        self.i = i = i + 1
        if i < self.n:
            event.again(self.env, self.times[i] - self.env._now, DEMAND, self._fire)


class _Series:
    __slots__ = ("i", "lost", "n", "patience", "qty", "sp", "times")

    def __init__(self, sp: StockPoint, rule: OnStockout | WaitUpTo, times: list[float], qty: list[float]) -> None:
        self.sp, self.times, self.qty, self.i, self.n = sp, times, qty, 0, len(times)
        self.lost = rule == OnStockout.lost
        self.patience = rule.wait_up_to if isinstance(rule, WaitUpTo) else None


class DailyDemand:
    """Plays every ``per_day`` stream with one event per day: all of a day's lumps, in stream order.

    The same as one event chain per stream (same instant, same priority, same order), with a
    tenth of the events when ten items share a site, and one event object scheduled again each day.
    """

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.series: list[_Series] = []

    def add(self, sp: StockPoint, rule: OnStockout | WaitUpTo, times: list[float], qty: list[float]) -> None:
        """Add one stream's pre-drawn series (times are whole days, increasing)."""
        if times:
            self.series.append(_Series(sp, rule, times, qty))

    def start(self) -> None:
        """Schedule the first day with demand (a lone stream takes a shorter path per event)."""
        if self.series:
            fire = self._lone(self.series[0]) if len(self.series) == 1 else self._fire
            call(self.env, min(x.times[0] for x in self.series), DEMAND, fire)

    def _lone(self, x: _Series) -> Callable[[Call], None]:
        """What plays a lone stream: its state in the closure's variables, and its event pushed straight
        back onto SimPy's heap as :meth:`Call.again` would (the hot path of a one-item network)."""
        env, sell, times, qty, n, patience, lost = self.env, x.sp.demand, x.times, x.qty, x.n, x.patience, x.lost
        queue: list[tuple[float, int, int, Call]] = env._queue  # type: ignore[assignment]
        eid = env._eid
        i = 0

        def fire(event: Call) -> None:
            nonlocal i
            sell(qty[i], patience, lost)
            i += 1
            if i < n:
                event.callbacks = callbacks  # the run loop took them when the event came up
                heappush(queue, (env._now + (times[i] - env._now), DEMAND, next(eid), event))

        callbacks: list[Callable[[Call], None]] = [fire]
        return fire

    def _fire(self, event: Call) -> None:
        now = self.env._now
        following = math.inf
        for x in self.series:
            i = x.i
            if i < x.n and x.times[i] == now:
                x.sp.demand(x.qty[i], x.patience, x.lost)
                x.i = i = i + 1
            if i < x.n and x.times[i] < following:
                following = x.times[i]
        if following < math.inf:
            event.again(self.env, following - now, DEMAND, self._fire)
