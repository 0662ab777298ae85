"""The trace of one replication, as tables: every event (from the public ``on_event`` hook), the
disruption windows as they actually happened, and a per-day series per stock point.

``events``: time, stock_point, kind, quantity, on_hand, backorders, on_order, position, detail —
the stock point's state just after the event (``where`` of a disruption or a line in
``stock_point``). ``daily``: for each stock point and day d, the state at the end of day d
(just before d + 1) and what happened during [d, d + 1): demand (customer and internal),
units short, lost, ordered and received. ``disruptions``: one row per disruption event and target, its
start, end and severity as played. ``resilience``: one row per disruption event with its time to survive,
time to recover and units short, the rows this replication adds to a run's disruptions.parquet. Plots and
the report read these tables, never the model.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from simjit.experiment.files import temporary_beside
from simjit.model import EventKind, SimEvent, simulate
from simjit.model.resilience import EVENT_COLUMNS as RESILIENCE_COLUMNS
from simjit.scenario.models import Scenario

__all__ = ["DAILY_COLUMNS", "EVENT_COLUMNS", "Trace", "trace_files", "trace_replication", "write_trace"]

EVENT_COLUMNS = ("time", "stock_point", "kind", "quantity", "on_hand", "backorders", "on_order", "position", "detail")
"""Columns of the event log, in order."""
DAILY_COLUMNS = ("day", "stock_point", "on_hand", "backorders", "on_order", "position", "demand", "short", "lost",
                 "ordered", "received")  # fmt: skip
"""Columns of the per-day series, in order."""
_STATE = {EventKind.LINE_START, EventKind.LINE_STOP, EventKind.DISRUPTION_START, EventKind.DISRUPTION_END}
"""Kinds whose ``where`` is not a stock point (no state in the event)."""


@dataclass(frozen=True)
class Trace:
    """One replication of one policy set, as tables (see the module's docstring)."""

    scenario: Scenario
    policy: str
    replication: int
    events: pd.DataFrame
    daily: pd.DataFrame
    disruptions: pd.DataFrame
    summary: dict[str, float]
    resilience: pd.DataFrame


def trace_replication(
    scenario: Scenario, policy: str, replication: int = 0, stock_points: Sequence[str] | None = None,
    allow_plugins: bool = False,
) -> Trace:  # fmt: skip
    """Play ``replication`` of policy set ``policy`` and keep everything it did at ``stock_points``
    (``site/item``; default all), with the same numbers as in a run of many replications."""
    if policy not in scenario.policies:
        raise KeyError(policy)
    wanted = set(stock_points) if stock_points else {f"{a}/{b}" for a, b in scenario.stock_points()}
    seen: list[SimEvent] = []

    def keep(event: SimEvent) -> None:
        if event.where in wanted or event.kind in _STATE:
            seen.append(event)

    played = simulate(scenario, policy, replication, on_event=keep, allow_plugins=allow_plugins)
    events = pd.DataFrame(
        [(e.time, e.where, str(e.kind), e.quantity, e.on_hand, e.backorders, e.on_order, e.position, e.detail)
         for e in seen],
        columns=list(EVENT_COLUMNS),
    )  # fmt: skip
    order = [f"{a}/{b}" for a, b in scenario.stock_points() if f"{a}/{b}" in wanted]
    return Trace(
        scenario, policy, replication, events, _daily(events, order, scenario.horizon),
        _windows(events, scenario.horizon), played.summary,
        pd.DataFrame(played.disruptions, columns=list(RESILIENCE_COLUMNS)),
    )  # fmt: skip


def _daily(events: pd.DataFrame, points: list[str], horizon: float) -> pd.DataFrame:
    """End-of-day state and the day's flows per stock point, from the event log."""
    days = math.ceil(horizon)
    rows = []
    for point in points:
        mine = events[events["stock_point"] == point]
        day = mine["time"].floordiv(1).astype(int).clip(upper=days - 1)

        def total(
            kind: EventKind, detail: str | None = None, frame: pd.DataFrame = mine, day: pd.Series = day
        ) -> pd.Series:
            pick = frame["kind"] == str(kind)
            if detail is not None:
                pick &= frame["detail"] == detail
            return frame.loc[pick, "quantity"].groupby(day[pick]).sum().reindex(range(days), fill_value=0.0)

        state = mine[["on_hand", "backorders", "on_order", "position"]].groupby(day).last()
        state = state.reindex(range(days)).ffill().fillna(0.0)
        lost = total(EventKind.STOCKOUT, "lost") + total(EventKind.LOST)
        table = pd.DataFrame(
            {"day": range(days), "stock_point": point, **{c: state[c].to_numpy() for c in state.columns},
             "demand": total(EventKind.DEMAND).to_numpy(), "short": total(EventKind.STOCKOUT).to_numpy(),
             "lost": lost.to_numpy(), "ordered": total(EventKind.ORDER).to_numpy(),
             "received": total(EventKind.RECEIPT).to_numpy()},
        )  # fmt: skip
        rows.append(table)
    if not rows:
        return pd.DataFrame(columns=list(DAILY_COLUMNS))
    return pd.concat(rows, ignore_index=True)[list(DAILY_COLUMNS)]


def _windows(events: pd.DataFrame, horizon: float) -> pd.DataFrame:
    """The disruption events as played, from their start and end events: one row per event and
    target (``ended`` False for one still on at the horizon, whose ``end`` is the horizon)."""
    columns = ["event", "target", "start", "end", "severity", "ended"]
    rows: list[dict[str, object]] = []
    open_: dict[tuple[str, str], dict[str, object]] = {}
    for e in events.itertuples(index=False):
        if e.kind == str(EventKind.DISRUPTION_START):
            row = {"event": e.detail, "target": e.stock_point, "start": e.time, "end": horizon,
                   "severity": e.quantity, "ended": False}  # fmt: skip
            open_[(e.detail, e.stock_point)] = row
            rows.append(row)
        elif e.kind == str(EventKind.DISRUPTION_END) and (e.detail, e.stock_point) in open_:
            row = open_.pop((e.detail, e.stock_point))
            row["end"], row["ended"] = e.time, True
    return pd.DataFrame(rows, columns=columns)


def trace_files(path: Path) -> dict[str, Path]:
    """Where a trace written to ``path`` (``.parquet`` or ``.csv``) goes: the event log at ``path``, the
    per-day series and the disruption windows beside it (``NAME.daily.parquet``, ``NAME.disruptions.parquet``)."""
    return {
        "events": path,
        "daily": path.with_name(f"{path.stem}.daily{path.suffix}"),
        "disruptions": path.with_name(f"{path.stem}.disruptions{path.suffix}"),
    }


def write_trace(trace: Trace, path: Path) -> list[Path]:
    """Write the trace's three tables as :func:`trace_files` names them (Parquet, or CSV by the suffix)."""
    written = []
    for name, target in trace_files(path).items():
        table: pd.DataFrame = getattr(trace, name)
        tmp = temporary_beside(target)
        try:
            if path.suffix.lower() == ".csv":
                table.to_csv(tmp, index=False)
            else:
                table.to_parquet(tmp, index=False)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        written.append(target)
    return written
