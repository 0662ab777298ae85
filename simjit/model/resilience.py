"""Resilience per disruption event: time to survive, time to recover and units short, measured on
the customer-facing stock points downstream of what the event hit.

Conventions (the KPI catalogue and ``docs/kpis.md`` repeat them):

* an *event* is one outage as it happened: a scheduled window, one random spell, one occurrence
  of a correlated event; it is named by its place in the scenario (``pads_asia.disruptions.0``,
  ``plant/assembly.breakdowns``, ``typhoon``), random occurrences numbered from 1 (``typhoon#3``);
  it is watched on the customer-facing stock points downstream of what it hit (through lanes,
  lines and bills of materials); one that reaches none (a backup supplier's outage alone, which
  leaves every stock point its source) is no row;
* a customer is *short* when not served in full from stock on arrival (backordered, waiting, or
  lost); a stock point is *in shortage* from a short customer until nobody waits and stock is on
  hand again;
* the *exposure window* runs from the event's start to its end plus the mean lead time from the
  hit source to the customer (source lead time, lane transits, the making of a lot);
* ``time_to_survive``: start → first short customer downstream in the exposure window; when
  there is none the event is *survived* and TTS is the window's length (Simchi-Levi et al. 2015);
* ``time_to_recover``: end → the start of the first run of ``recovery_days`` days in which no
  stock point downstream is in shortage (a run cut by the horizon counts), starting no earlier
  than the end of the last shortage spell begun in the exposure window (an event whose impact
  arrives after its end, a lead time later, has not been recovered from before it); 0 when service never
  broke; when a shortage is still open at the horizon, the days from the end to the horizon (a
  lower bound) with ``recovered`` false;
* ``units_short`` / ``lost_sales``: units of short customers downstream (not served from stock /
  lost) from the start until recovery.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simjit.model.disruptions import Outage
from simjit.scenario.derived import lead_time
from simjit.scenario.distributions import distribution_mean
from simjit.scenario.models import Scenario
from simjit.scenario.references import source_kind

__all__ = ["EVENT_COLUMNS", "ServiceLog", "event_rows", "watch_sets"]

EVENT_COLUMNS = (
    "event", "disruption", "target", "start", "end", "survived", "recovered",
    "time_to_survive", "time_to_recover", "units_short", "lost_sales",
)  # fmt: skip
"""Columns of one row of ``disruptions.parquet`` after (variant, policy, replication)."""

Point = tuple[str, str]
Row = dict[str, float | str | bool]


class ServiceLog:
    """What customers at one stock point met: every short customer, and the shortage spells."""

    __slots__ = ("shorts", "since", "spans")

    def __init__(self) -> None:
        self.shorts: list[tuple[float, float, float]] = []  # (arrival, units short, units lost)
        self.spans: list[tuple[float, float]] = []  # closed shortage spells [start, end)
        self.since: float | None = None  # start of the open spell

    def short(self, arrival: float, units: float, lost: float) -> None:
        """A customer arriving at ``arrival`` went ``units`` short, of which ``lost`` are lost
        (a customer who gives up waiting is logged again with units 0 and the units lost)."""
        self.shorts.append((arrival, units, lost))
        if units > 0 and self.since is None:
            self.since = arrival

    def restored(self, now: float) -> None:
        """Nobody waits and stock is on hand again: the open shortage spell ends."""
        if self.since is not None:
            self.spans.append((self.since, now))
            self.since = None

    def spells(self) -> list[tuple[float, float]]:
        """Shortage spells [start, end); one still open ends at infinity."""
        return self.spans + ([(self.since, math.inf)] if self.since is not None else [])


def watch_sets(s: Scenario, rates: dict[Point, tuple[float, float]]) -> dict[str, dict[Point, float]]:
    """For every target a disruption can hit (supplier, lane ``site/item``, line ``site/line``): the
    customer-facing stock points downstream of it, each with the mean lead time from the target
    to that point (source lead time + lane transits + the making of a day's demand on each line)."""
    customers: set[Point] = {(site, item) for site, item in (d.at.split("/", 1) for d in s.demand)}
    below: dict[Point, list[tuple[Point, float]]] = {p: [] for p in s.stock_points()}
    first: dict[str, list[tuple[Point, float]]] = {}
    for site, item in s.stock_points():
        spec = s.sites[site].stock[item]
        kind = source_kind(s, site, item)
        if kind == "supplier":
            first.setdefault(spec.source, []).append(((site, item), lead_time(s, site, item, rates)[0]))
        elif kind == "site":
            transit = distribution_mean(spec.transit)
            first.setdefault(f"{site}/{item}", []).append(((site, item), transit))
            below[(spec.source, item)].append(((site, item), transit))
        elif kind == "line":
            line = s.sites[site].lines[spec.source]
            making = rates[(site, item)][0] / line.rate
            first.setdefault(f"{site}/{spec.source}", []).append(((site, item), making))
            for comp in line.bom:
                below[(site, comp)].append(((site, item), making))

    def reach(p: Point, lead: float, out: dict[Point, float]) -> None:
        if p in customers:
            out[p] = max(out.get(p, 0.0), lead)
        for q, more in below[p]:
            reach(q, lead + more, out)

    watched: dict[str, dict[Point, float]] = {}
    for target, points in first.items():
        out: dict[Point, float] = {}
        for p, lead in points:
            reach(p, lead, out)
        watched[target] = out
    return watched


@dataclass
class _Watch:
    """The customer-facing stock points an event is measured on, with their exposure ends."""

    logs: list[ServiceLog]
    exposure_end: list[float]


def _measure(w: _Watch, start: float, end: float, horizon: float, recovery: float) -> dict[str, float | bool]:
    """TTS, TTR, units short and lost of one event on the stock points ``w`` (module docstring)."""
    first = math.inf
    for log, until in zip(w.logs, w.exposure_end, strict=True):
        for t, units, _ in log.shorts:
            if units > 0 and start <= t <= until and t < first:
                first = t
    if first == math.inf:
        window = max(w.exposure_end) - start
        return {"survived": True, "recovered": True, "time_to_survive": window, "time_to_recover": 0.0,
                "units_short": 0.0, "lost_sales": 0.0}  # fmt: skip
    spells = sorted(x for log in w.logs for x in log.spells())
    floor = end  # the run starts after every shortage spell the event can have caused
    for log, until in zip(w.logs, w.exposure_end, strict=True):
        for a, b in log.spells():
            if a <= until and b > start:
                floor = max(floor, b)
    back = _clean_run(spells, floor, recovery)
    recovered = back <= horizon
    until = back if recovered else max(horizon, end)
    short = lost = 0.0
    for log in w.logs:
        for t, units, gone in log.shorts:
            if start <= t < until:
                short += units
                lost += gone
    return {"survived": False, "recovered": recovered, "time_to_survive": first - start,
            "time_to_recover": until - end, "units_short": short, "lost_sales": lost}  # fmt: skip


def _clean_run(spells: list[tuple[float, float]], end: float, recovery: float) -> float:
    """The earliest τ ≥ ``end`` such that no spell overlaps [τ, τ + recovery); inf if none."""
    tau = end
    for a, b in spells:
        if b <= tau:
            continue
        if a >= tau + recovery:
            break
        tau = b  # this spell breaks the run: the next candidate starts when it ends
        if tau == math.inf:
            return tau
    return tau


def event_rows(
    outages: list[Outage], watched: dict[str, dict[Point, float]], logs: dict[Point, ServiceLog],
    warmup: float, horizon: float, recovery: float,
) -> tuple[list[Row], dict[Point, list[dict[str, float | bool]]]]:  # fmt: skip
    """One row per event starting in [warmup, horizon) that reaches a customer-facing stock point,
    and, per such stock point, its own measurements of the events that reach it."""
    rows: list[Row] = []
    per_point: dict[Point, list[dict[str, float | bool]]] = {}
    for o in outages:
        if not warmup <= o.start < horizon:
            continue
        reach: dict[Point, float] = {}
        for target in o.targets:
            for p, lead in watched.get(target, {}).items():
                reach[p] = max(reach.get(p, 0.0), lead)
        if not reach:
            continue
        points = sorted(reach)
        w = _Watch([logs[p] for p in points], [o.end + reach[p] for p in points])
        row: Row = {"event": o.event, "disruption": o.source, "target": ",".join(o.targets), "start": o.start,
                    "end": o.end}  # fmt: skip
        row.update(_measure(w, o.start, o.end, horizon, recovery))
        rows.append(row)
        for p in points:
            one = _Watch([logs[p]], [o.end + reach[p]])
            per_point.setdefault(p, []).append(_measure(one, o.start, o.end, horizon, recovery))
    return rows, per_point
