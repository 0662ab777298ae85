"""Where batches run: in this process, in a pool of local processes, or on a Dask cluster.

Every backend has one job, :meth:`Backend.run`: play batches (ranges of plan indices) and
yield their results as they finish, in any order. Results do not depend on the backend: each
task seeds its own streams from (seed, replication, stream name). At most a few batches per
worker are in flight, so memory stays flat however many tasks a plan holds.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
import time
import uuid
from collections.abc import Generator, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from types import TracebackType
from typing import Protocol

from simjit.errors import SimjitError
from simjit.experiment.worker import BatchResult, Work, run_batch

__all__ = ["Backend", "ProcessBackend", "SerialBackend", "available_cores", "make_backend"]

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


_CACHE: tuple[str, Work] | None = None
"""The work this worker process last unpickled, by token (sent with every batch, unpickled once)."""


def _start_worker() -> None:
    # Ctrl-C is the parent's to handle: it saves what finished and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    """A parent killed with SIGKILL cannot stop its pool: workers notice and leave by themselves."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _run_in_worker(token: str, payload: bytes, start: int, stop: int) -> BatchResult:
    global _CACHE
    if _CACHE is None or _CACHE[0] != token:
        _CACHE = (token, pickle.loads(payload))
    return run_batch(_CACHE[1], start, stop, isolated=True)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's worker processes now (they ignore Ctrl-C; a stuck one would never return)."""
    processes = getattr(pool, "_processes", None) or {}  # the executor keeps no public list of them
    for process in list(processes.values()):
        if process.is_alive():
            process.terminate()
    for process in list(processes.values()):
        process.join(timeout=2)
        if process.is_alive():
            process.kill()


class ProcessBackend:
    """A pool of local processes (default: one per available core), started when the backend is entered.

    ``context`` is a :mod:`multiprocessing` start method ("fork", "spawn", "forkserver") or None
    for the interpreter's default; simjit never changes the global start method. The pool's
    processes all start on entry, before the caller starts threads of its own (a progress bar).
    """

    def __init__(self, workers: int | None = None, context: str | None = None) -> None:
        self.workers = workers or available_cores()
        # The user's global choice, else the platform's default, named explicitly: get_context(None) would fix
        # the global start method as a side effect.
        method = (
            context or multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_all_start_methods()[0]
        )
        self._context = multiprocessing.get_context(method)
        self._pool: ProcessPoolExecutor | None = None
        self._packed: tuple[Work, str, bytes] | None = None

    @property
    def slots(self) -> int:
        """One batch per worker process."""
        return self.workers

    def __enter__(self) -> ProcessBackend:
        self._pool = ProcessPoolExecutor(self.workers, mp_context=self._context, initializer=_start_worker)
        wait([self._pool.submit(os.getpid) for _ in range(self.workers)])
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        # On an error or Ctrl-C, stop the batches in flight at once (a stuck policy would keep its worker
        # busy for ever): --resume re-runs their tasks.
        if self._pool is not None:
            if kind is not None:
                _terminate(self._pool)
            self._pool.shutdown(wait=kind is None, cancel_futures=True)
        self._pool = self._packed = None

    def _pack(self, work: Work) -> tuple[str, bytes]:
        if self._packed is None or self._packed[0] is not work:
            self._packed = (work, uuid.uuid4().hex, pickle.dumps(work, protocol=pickle.HIGHEST_PROTOCOL))
        return self._packed[1], self._packed[2]

    def run(self, work: Work, batches: Iterable[Batch]) -> Generator[BatchResult, None, None]:
        """Keep two batches per worker in flight; yield results as they come."""
        if self._pool is None:
            raise RuntimeError("use the process backend inside a with block")
        pool, packed, todo = self._pool, self._pack(work), iter(batches)
        pending = {pool.submit(_run_in_worker, *packed, *b) for b in islice(todo, 2 * self.workers)}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        result = future.result()
                    except BrokenProcessPool as exc:
                        raise SimjitError(
                            f"a worker process died ({exc}): a plug-in policy that ends its process (os._exit) or "
                            "a machine out of memory; the finished tasks are kept, --resume plays the others"
                        ) from None
                    pending.update(pool.submit(_run_in_worker, *packed, *b) for b in islice(todo, 1))
                    yield result
        finally:
            for future in pending:
                future.cancel()


def make_backend(workers: int | None = None, dask: str | None = None, tasks: int | None = None) -> Backend:
    """The backend the CLI options name: ``dask`` (an address or "local") wins, then workers (1 = serial).

    Local workers are capped by the cores available and by ``tasks`` (more processes than either
    only cost start-up time and memory: ``--workers 1000`` for 4 tasks starts at most 4)."""
    cap = min(available_cores(), tasks or available_cores())
    if dask is not None:
        from simjit.experiment.dask_backend import DaskBackend

        return DaskBackend(dask, min(workers, cap) if workers and dask == "local" else workers)
    workers = min(workers or cap, cap)
    return SerialBackend() if workers <= 1 else ProcessBackend(workers)
