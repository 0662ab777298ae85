"""What a worker does with a batch: play tasks ``start`` … ``stop - 1`` of a plan.

Each task gives one row of KPIs and one row per disruption event it saw. Kept light (no
pandas, no statistics) because every worker process imports it. A task that raises becomes a
:class:`Failure` naming it; the batch's other tasks still run.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

from simjit.experiment.columns import POLICY, REPLICATION, VARIANT
from simjit.experiment.plan import BASE, Plan
from simjit.experiment.watchdog import DEFAULT_TIMEOUT, ReplicationTimeout, time_limit
from simjit.model import simulate

__all__ = ["BatchResult", "EventRow", "Failure", "Row", "Work", "run_batch"]

Row = dict[str, float | int | str]
EventRow = dict[str, float | int | str | bool]
"""One disruption event of one task: the ids, then :data:`simjit.model.resilience.EVENT_COLUMNS`."""


@dataclass(frozen=True)
class Work:
    """What every worker needs once, whatever the batch: the plan, whether plug-ins may run, and the
    seconds one replication may take (None: no limit)."""

    plan: Plan
    allow_plugins: bool = False
    timeout: float | None = DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Failure:
    """A task that raised: which one, with which seed, and what it said."""

    index: int
    variant: str
    policy: str
    replication: int
    seed: int
    error: str
    message: str
    traceback: str = ""

    def describe(self) -> str:
        """``policy jit, replication 7 (seed 2026): ValueError: …`` (and the sweep point, if any)."""
        where = f"policy {self.policy}, replication {self.replication} (seed {self.seed})"
        if self.variant != BASE:
            where += f", variant {self.variant}"
        return f"{where}: {self.error}: {self.message}"


@dataclass(frozen=True)
class BatchResult:
    """Rows of the tasks in ``[start, stop)`` that finished, in plan order, their disruption
    events (in plan order, then in the order each replication reported them), and the failures."""

    start: int
    stop: int
    rows: list[Row] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)


def run_batch(work: Work, start: int, stop: int, isolated: bool = False) -> BatchResult:
    """Play tasks ``start`` … ``stop - 1``: one row each (ids, then the replication's KPIs), and
    one event row per disruption event the replication saw (ids, then the event's columns).

    A task that raises, exits (a plug-in calling ``exit()``) or runs past the time limit becomes a
    failure. ``isolated``: this is a worker, where the user's Ctrl-C never arrives, so a
    KeyboardInterrupt is a plug-in's doing and a failure too (in the user's process it stops the run).
    """
    result = BatchResult(start, stop)
    caught: tuple[type[BaseException], ...] = (Exception, SystemExit, KeyboardInterrupt) if isolated else (
        Exception, SystemExit)  # fmt: skip
    for index in range(start, stop):
        variant, policy, replication = work.plan.locate(index)
        try:
            with time_limit(work.timeout):
                played = simulate(variant.scenario, policy, replication, allow_plugins=work.allow_plugins)
        except caught as exc:
            error, text, seed = type(exc).__name__, _say(exc, work), variant.scenario.seed
            failure = Failure(index, variant.name, policy, replication, seed, error, text, traceback.format_exc())
            result.failures.append(failure)
            continue
        ids: Row = {VARIANT: variant.name, POLICY: policy, REPLICATION: replication}
        result.rows.append({**ids, **played.summary})
        result.events.extend({**ids, **event} for event in played.disruptions)
    return result


def _say(exc: BaseException, work: Work) -> str:
    """What went wrong, in words: a timeout or an exit is the policy's doing, not simjit's."""
    if isinstance(exc, ReplicationTimeout):
        return (
            f"{exc} (the time limit of a replication): a policy that never stops deciding? Raise the limit "
            "with --timeout SECONDS if the network is that large"
        )
    if isinstance(exc, SystemExit):
        return f"the replication called exit({exc.code!r}) (a plug-in policy ending the process?)"
    if isinstance(exc, KeyboardInterrupt):
        return "the replication raised KeyboardInterrupt by itself (a plug-in policy?)"
    return str(exc)
