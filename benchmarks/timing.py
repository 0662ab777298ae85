"""Timing on a shared machine: every job run in turn, round after round, and the median kept, so
that a burst of someone else's load slows all jobs of a round alike rather than one of them.

In-process jobs are timed in CPU seconds of this process (``time.process_time``): on a machine
whose cores other jobs share, wall time counts the time slices given to them too, while the CPU
time of a single-threaded job is what it costs. Wall time is kept alongside.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """Median seconds of a job: CPU time of this process and wall time."""

    cpu: float
    wall: float


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """CPU and wall seconds of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def interleaved(jobs: Mapping[str, Callable[[], object]], repeats: int) -> dict[str, Timing]:
    """Median CPU and wall seconds of each job over ``repeats`` rounds, the jobs interleaved in each round."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in jobs}
    for _ in range(repeats):
        for name, job in jobs.items():
            times[name].append(timed(job))
    return {
        name: Timing(statistics.median(c for c, _ in values), statistics.median(w for _, w in values))
        for name, values in times.items()
    }
