"""Timing on a shared machine: every job run in turn, round after round, and the median kept, so
that a burst of someone else's load slows all jobs of a round alike rather than one of them."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping


def timed(fn: Callable[[], object]) -> float:
    """Wall seconds of one call."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(jobs: Mapping[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median wall seconds of each job over ``repeats`` rounds, the jobs interleaved in each round."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(repeats):
        for name, job in jobs.items():
            times[name].append(timed(job))
    return {name: statistics.median(values) for name, values in times.items()}
