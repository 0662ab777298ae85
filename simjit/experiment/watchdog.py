"""A per-replication time limit: a replication still running after ``seconds`` (a policy whose
``decide`` never returns, a plug-in stuck in a loop) is stopped with :class:`ReplicationTimeout`
so the run reports it and plays the others.

In a process's main thread (a worker process of the pool, or the run itself with ``--workers 1``)
the limit is a real-time timer (``setitimer``) whose signal raises the exception: it interrupts pure
Python at its next bytecode and a call blocked in C that waits (``time.sleep``, a blocking read, a
lock). In any other thread (a Dask worker's) one daemon thread per process checks the deadlines twice
a second and raises the exception in the late thread (``PyThreadState_SetAsyncExc``): pure Python is
interrupted at its next bytecode, a call stuck in C only when it returns — there, the only remedy is
to stop the worker (Ctrl-C, or the cluster's own limits). Neither costs anything per event.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from simjit.errors import SimjitError

__all__ = ["DEFAULT_TIMEOUT", "ReplicationTimeout", "time_limit"]

DEFAULT_TIMEOUT = 600.0
"""Seconds one replication may take: generous (a large network plays a replication in seconds)."""

_CHECK_EVERY = 0.5


class ReplicationTimeout(SimjitError):
    """A replication ran past its time limit."""


_lock = threading.Lock()
_deadlines: dict[int, tuple[float, int]] = {}  # thread id -> (deadline, token)
_fired: set[int] = set()  # tokens whose deadline passed
_tokens = iter(range(1, 1 << 62))
_thread: threading.Thread | None = None


def _inject(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


def _watch() -> None:
    while True:
        time.sleep(_CHECK_EVERY)
        now = time.monotonic()
        with _lock:
            for thread_id, (deadline, token) in _deadlines.items():
                if now > deadline and token not in _fired:
                    _fired.add(token)
                    _inject(thread_id, ReplicationTimeout)


def _start() -> None:
    global _thread
    if _thread is None or not _thread.is_alive():  # also after a fork: threads do not survive it
        _thread = threading.Thread(target=_watch, name="simjit-watchdog", daemon=True)
        _thread.start()


def _alarm(signum: int, frame: object) -> None:
    raise ReplicationTimeout


@contextmanager
def _timer(seconds: float) -> Iterator[None]:
    """The limit in the main thread: SIGALRM after ``seconds`` of real time raises in it."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    late = False
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    except ReplicationTimeout:
        late = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if late:
        raise ReplicationTimeout(f"still running after {seconds:g} s")


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ReplicationTimeout` in this thread if the block runs longer than ``seconds``
    (None: no limit). The exception never escapes the block late."""
    if seconds is None:
        yield
        return
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        with _timer(seconds):
            yield
        return
    thread_id = threading.get_ident()
    with _lock:
        _start()
        token = next(_tokens)
        _deadlines[thread_id] = (time.monotonic() + seconds, token)
    late = False
    try:
        yield
    except ReplicationTimeout:
        late = True
    finally:
        with _lock:
            del _deadlines[thread_id]
            if token in _fired:
                _fired.discard(token)
                _inject(thread_id, None)  # clear an exception raised but not yet delivered
                late = True
    if late:
        raise ReplicationTimeout(f"still running after {seconds:g} s")
