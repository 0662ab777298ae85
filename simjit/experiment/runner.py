"""Run every (policy, replication) of a scenario and collect one tidy row per run.

Replication r of every policy draws from the same named streams (common random numbers);
results do not depend on the order or the process in which tasks run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import pandas as pd

from simjit.experiment.columns import POLICY, REPLICATION, VARIANT
from simjit.model import run_replication
from simjit.scenario.models import Scenario

__all__ = ["Task", "plan", "run_experiment"]


@dataclass(frozen=True)
class Task:
    """One replication of one policy set of one variant."""

    variant: str
    policy: str
    replication: int


def plan(scenario: Scenario, policies: Sequence[str], replications: int, variant: str = "base") -> list[Task]:
    """Tasks replication-major, so a cut-off run holds whole replications of every policy."""
    return [Task(variant, p, r) for r in range(replications) for p in policies]


def _run(args: tuple[Scenario, Task, bool]) -> dict[str, float | str | int]:
    scenario, task, allow_plugins = args
    row: dict[str, float | str | int] = {VARIANT: task.variant, POLICY: task.policy, REPLICATION: task.replication}
    row.update(run_replication(scenario, task.policy, task.replication, allow_plugins=allow_plugins))
    return row


def _results(
    scenario: Scenario, tasks: list[Task], workers: int, allow_plugins: bool
) -> Iterator[dict[str, float | str | int]]:
    jobs = [(scenario, t, allow_plugins) for t in tasks]
    if workers <= 1:
        yield from map(_run, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_run, jobs, chunksize=max(1, len(jobs) // (workers * 8)))


def run_experiment(
    scenario: Scenario, policies: Sequence[str], replications: int, *, workers: int = 1,
    allow_plugins: bool = False, progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:  # fmt: skip
    """All tasks' KPIs as a DataFrame, one row per (variant, policy, replication), in plan order."""
    tasks = plan(scenario, policies, replications)
    rows = []
    for done, row in enumerate(_results(scenario, tasks, workers, allow_plugins), start=1):
        rows.append(row)
        if progress is not None:
            progress(done, len(tasks))
    return pd.DataFrame(rows)
