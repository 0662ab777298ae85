"""A pool of local worker processes: each plays batches of a plan's tasks, unpickling the work once.

Its own module so that a run in one process never imports :mod:`multiprocessing` (20 ms of start-up).
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

from simjit.errors import SimjitError
from simjit.experiment.backends import Batch, available_cores
from simjit.experiment.worker import BatchResult, Work, run_batch

__all__ = ["ProcessBackend"]


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
