"""Where batches run: in this process, in a pool of local processes (``process_backend``), or on a Dask
cluster (``dask_backend``); ``make_backend`` picks one from the command's options.

Every backend has one job, :meth:`Backend.run`: play batches (ranges of plan indices) and
yield their results as they finish, in any order. Results do not depend on the backend: each
task seeds its own streams from (seed, replication, stream name). At most a few batches per
worker are in flight, so memory stays flat however many tasks a plan holds.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable
from types import TracebackType
from typing import Protocol

from simjit.experiment.worker import BatchResult, Work, run_batch

__all__ = ["Backend", "Batch", "SerialBackend", "available_cores", "make_backend"]

Batch = tuple[int, int]


class Backend(Protocol):
    """Plays batches of a plan's tasks somewhere; a context manager owning its workers."""

    @property
    def slots(self) -> int:
        """How many batches run at once (for sizing batches)."""
        ...

    def run(self, work: Work, batches: Iterable[Batch]) -> Generator[BatchResult, None, None]:
        """Play every batch and yield each result as it finishes (any order)."""
        ...

    def __enter__(self) -> Backend: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


def available_cores() -> int:
    """The cores this process may use (its CPU affinity where the OS tells, else all)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class SerialBackend:
    """Every batch in this process, one after the other: for debugging and tiny runs."""

    slots = 1

    def run(self, work: Work, batches: Iterable[Batch]) -> Generator[BatchResult, None, None]:
        """Play the batches here, in order."""
        for start, stop in batches:
            yield run_batch(work, start, stop)

    def __enter__(self) -> SerialBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def make_backend(workers: int | None = None, dask: str | None = None, tasks: int | None = None) -> Backend:
    """The backend the CLI options name: ``dask`` (an address or "local") wins, then workers (1 = serial).

    Local workers are capped by the cores available and by ``tasks`` (more processes than either
    only cost start-up time and memory: ``--workers 1000`` for 4 tasks starts at most 4)."""
    cap = min(available_cores(), tasks or available_cores())
    if dask is not None:
        from simjit.experiment.dask_backend import DaskBackend

        return DaskBackend(dask, min(workers, cap) if workers and dask == "local" else workers)
    workers = min(workers or cap, cap)
    if workers <= 1:
        return SerialBackend()
    from simjit.experiment.process_backend import ProcessBackend  # multiprocessing: not for one process

    return ProcessBackend(workers)
