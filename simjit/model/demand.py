"""Customer demand: the whole series of a replication is drawn up front (vectorised, from the
stream's own generator), then played as events — so every policy sees the very same demand.

The rate at day d is the base rate × weekly[d mod 7] × annual[month of d] × (1 + trend·d/365)
× the factor of any shock covering d; it is constant within a day.

A ``per_day`` draw arrives through the day by default: each of its units at a uniform time in
the day (a Poisson draw so becomes a Poisson stream), the units of one hour served as one lot at a
uniform time within that hour (see :data:`LOTS_PER_DAY`). The placement is drawn from a stream of
its own, so the day's total is the same as with ``timing: start_of_day``, the period model, where
the whole draw arrives at 00:00 just after that instant's deliveries.
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

__all__ = [
    "LOTS_PER_DAY",
    "UNITS_DRAWN_ONE_BY_ONE",
    "DailyDemand",
    "DemandStream",
    "Lots",
    "demand_series",
    "multipliers",
    "spread",
    "units_per_day",
]

LOTS_PER_DAY = 24
"""Slots a day's ``per_day`` draw is spread over (hours): a slot's units arrive together at a
uniform time within it."""

UNITS_DRAWN_ONE_BY_ONE = 2_000_000
"""Up to this many units a replication, each unit's slot is drawn on its own; above, a day's slot
counts are drawn at once (multinomial, the same law) to bound memory."""


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


def spread(
    times: list[float], qty: list[float], rng: np.random.Generator, lots: int = LOTS_PER_DAY
) -> tuple[np.ndarray, np.ndarray]:
    """A ``per_day`` series played through the day: each unit of a day's draw falls in one of ``lots``
    equal slots at random (a fractional remainder too), and a slot's units arrive at a uniform time
    within it. Poisson units so become a Poisson stream observed per slot. Returns times and units."""
    if not times:
        return np.zeros(0), np.zeros(0)
    day = np.asarray(times)
    q = np.asarray(qty)
    whole = np.floor(q)
    units = whole.astype(np.int64)
    if whole.sum() <= UNITS_DRAWN_ONE_BY_ONE:  # each unit's slot, counted (ten times faster than below)
        cell = np.repeat(np.arange(len(q)) * lots, units) + rng.integers(0, lots, int(units.sum()))
        counts = np.bincount(cell, minlength=len(q) * lots).astype(float)
    else:
        counts = rng.multinomial(units, np.full(lots, 1.0 / lots)).astype(float).ravel()
    rest = (q - whole).nonzero()[0]
    if len(rest):
        counts[rest * lots + rng.integers(0, lots, len(rest))] += q[rest] - whole[rest]
    cell = counts.nonzero()[0]
    start = day[cell // lots]
    at = start + (cell % lots + rng.random(len(cell))) / lots
    return np.minimum(at, np.nextafter(start + 1.0, start)), counts[cell]  # (23 + u)/24 may round to 24/24


def units_per_day(series: Iterable[tuple[list[float], list[float]]], days: int) -> np.ndarray:
    """Units demanded on each day 0 … days − 1 over pre-drawn series of (times, quantities): an order at
    time t counts on day ⌊t⌋, as the stock point it is played at records it."""
    out = np.zeros(days)
    for times, qty in series:
        out += np.bincount(np.floor(np.asarray(times, dtype=float)).astype(int), weights=qty, minlength=days)
    return out


class DemandStream:
    """Plays a pre-drawn series of customer orders at one stock point, one event per order: one event
    object, pushed straight back onto SimPy's heap as :meth:`Call.again` would (the hot path)."""

    def __init__(
        self, env: simpy.Environment, sp: StockPoint, rule: OnStockout | WaitUpTo, times: list[float], qty: list[float]
    ) -> None:
        self.env = env
        self.sp = sp
        self.times = times
        self.qty = qty
        self.lost = rule == OnStockout.lost
        self.patience = rule.wait_up_to if isinstance(rule, WaitUpTo) else None
        if times:
            call(env, times[0], DEMAND, self._chain())

    def _chain(self) -> Callable[[Call], None]:
        """What plays the series: its state in the closure's variables."""
        env, sell, times, qty, patience, lost = self.env, self.sp.demand, self.times, self.qty, self.patience, self.lost
        queue: list[tuple[float, int, int, Call]] = env._queue  # type: ignore[assignment]
        eid = env._eid
        n = len(times)
        i = 0

        def fire(event: Call) -> None:
            nonlocal i
            sell(qty[i], patience, lost)
            i += 1
            if i < n:
                event.callbacks = callbacks  # the run loop took them when the event came up
                heappush(queue, (times[i], DEMAND, next(eid), event))

        callbacks: list[Callable[[Call], None]] = [fire]
        return fire


class Lots:
    """The through-the-day lots of one stock point (its streams merged in time order), with the
    running sums that let a run of them be played in one step: units, units × time, and the first
    lot of each day."""

    __slots__ = ("alike", "cum", "cumw", "day_start", "i", "lost", "n", "qty", "times")

    def __init__(self, parts: list[tuple[bool, np.ndarray, np.ndarray]], days: int) -> None:
        """``parts``: per stream, whether its customers go elsewhere when short (lost), and its lots."""
        times, qty = parts[0][1], parts[0][2]
        self.lost: list[bool] = [parts[0][0]] * len(times)
        if len(parts) > 1:
            order = np.argsort(np.concatenate([t for _, t, _ in parts]), kind="stable")
            times = np.concatenate([t for _, t, _ in parts])[order]
            qty = np.concatenate([q for _, _, q in parts])[order]
            self.lost = np.concatenate([np.full(len(t), x) for x, t, _ in parts])[order].tolist()
        self.times: list[float] = times.tolist()  # a list where bisect looks (and the hot checks read)
        self.qty = qty  # arrays where a few values are read per run: no Python float made for each lot
        self.cum = np.zeros(len(qty) + 1)
        np.cumsum(qty, out=self.cum[1:])
        self.cumw = np.zeros(len(qty) + 1)
        np.cumsum(qty * times, out=self.cumw[1:])
        self.day_start: list[int] = np.searchsorted(times, np.arange(days + 2, dtype=float)).tolist()
        self.alike = len({x for x, _, _ in parts}) == 1  # every customer backorders, or every one is lost
        self.n = len(self.times)
        self.i = 0  # the first lot not played yet

    def units(self, i: int, j: int) -> float:
        """Units of lots i … j−1."""
        return float(self.cum[j] - self.cum[i])

    def waited(self, i: int, j: int) -> float:
        """Σ q_l (t_m − t_l) over lots l = i … m−1, m = j − 1: unit-days before the last lot of the run."""
        m = j - 1
        return self.times[m] * float(self.cum[m] - self.cum[i]) - float(self.cumw[m] - self.cumw[i])

    def first_over(self, i: int, units: float) -> int:
        """The first lot k ≥ i after which lots i … k total more than ``units`` (n if none)."""
        return max(i, int(self.cum.searchsorted(self.cum[i] + units, "right")) - 1)

    def first_reaching(self, i: int, units: float) -> int:
        """The first lot k ≥ i after which lots i … k total ``units`` or more (n if none)."""
        return max(i, int(self.cum.searchsorted(self.cum[i] + units, "left")) - 1)


class _Series:
    __slots__ = ("i", "lost", "n", "patience", "qty", "rule", "sp", "times")

    def __init__(self, sp: StockPoint, rule: OnStockout | WaitUpTo, times: list[float], qty: list[float]) -> None:
        self.sp, self.rule, self.times, self.qty, self.i, self.n = sp, rule, times, qty, 0, len(times)
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
        if len(self.series) == 1:  # a lone stream is a chain of its own: one event per day, no scan
            x = self.series[0]
            DemandStream(self.env, x.sp, x.rule, x.times, x.qty)
        elif self.series:
            call(self.env, min(x.times[0] for x in self.series), DEMAND, self._fire)

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
