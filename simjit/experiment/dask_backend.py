"""Batches on a Dask cluster (``--dask ADDRESS``) or a local one started for the run (``--dask local``).

``distributed`` is optional: it is imported here, when a Dask backend starts, and a missing
install says how to add it. Workers need simjit installed, the same version as here: the
backend checks on connecting, since a different engine would give different numbers.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Generator, Iterable
from types import ModuleType
from typing import Any

from simjit.errors import SimjitError
from simjit.experiment.worker import BatchResult, Work, run_batch

__all__ = ["DaskBackend"]

INSTALL_HINT = 'the Dask backend needs dask.distributed: pip install "simjit[dask]"'


def _distributed() -> ModuleType:
    try:
        import distributed
    except ImportError:
        raise SimjitError(INSTALL_HINT) from None
    return distributed


def _simjit_version() -> str:
    """Run on each worker: the simjit it imports."""
    import simjit

    return simjit.__version__


def _probe(address: str, timeout: str) -> None:
    """Ask the scheduler who it is, within ``timeout``: a server speaking another protocol (the
    dashboard's port, a web server) would leave a Dask client waiting for ever."""
    import asyncio
    import socket
    from concurrent.futures import ThreadPoolExecutor

    from dask.utils import parse_timedelta
    from distributed.comm import connect

    seconds = parse_timedelta(timeout)

    host, _, port = address.removeprefix("tcp://").rpartition(":")
    if address.startswith("tcp://") and port.isdigit():
        try:
            socket.create_connection((host.strip("[]"), int(port)), timeout=seconds).close()
        except OSError as exc:
            raise SimjitError(f"cannot reach the Dask scheduler at {address}: {exc.strerror or exc}") from None

    async def identity() -> object:
        comm = await asyncio.wait_for(connect(address, timeout=seconds), seconds)
        try:
            await asyncio.wait_for(comm.write({"op": "identity", "reply": True}), seconds)
            return await asyncio.wait_for(comm.read(), seconds)
        finally:
            comm.abort()

    with ThreadPoolExecutor(1) as thread:  # its own event loop, even where one runs here (a notebook)
        try:
            answer = thread.submit(asyncio.run, identity()).result()
        except (TimeoutError, OSError) as exc:
            raise SimjitError(
                f"the server at {address} does not answer as a Dask scheduler (waited {timeout}, "
                f"{type(exc).__name__}); give the scheduler's address (tcp://host:8786 by default), not its "
                "dashboard's"
            ) from None
    if not (isinstance(answer, dict) and answer.get("type") == "Scheduler"):
        raise SimjitError(f"the server at {address} is not a Dask scheduler (it answered {str(answer)[:80]!r})")


class DaskBackend:
    """A Dask cluster: ``address`` is a scheduler (``tcp://host:8786``) or "local" for a
    LocalCluster of ``workers`` single-threaded processes on this machine (default: one per core)."""

    def __init__(self, address: str = "local", workers: int | None = None, timeout: str = "20s") -> None:
        self.address = address
        self.workers = workers
        self.timeout = timeout
        self._cluster: Any = None
        self._client: Any = None
        self._scattered: tuple[Work, Any] | None = None

    def __enter__(self) -> DaskBackend:
        distributed = _distributed()
        try:
            if self.address == "local":
                self._cluster = distributed.LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                    silence_logs=logging.ERROR,
                )  # fmt: skip
                self._client = distributed.Client(self._cluster)
            else:
                _probe(self.address, self.timeout)
                self._client = distributed.Client(self.address, timeout=self.timeout)
        except OSError as exc:
            self.__exit__(None, None, None)
            raise SimjitError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        try:
            self._check_workers()
        except SimjitError:
            self.__exit__(None, None, None)
            raise
        return self

    def _check_workers(self) -> None:
        """Refuse a cluster without workers or whose workers run another simjit (their numbers would differ)."""
        import simjit

        try:
            self._client.wait_for_workers(1, timeout=self.timeout)
        except TimeoutError:
            raise SimjitError(
                f"the Dask scheduler at {self.address} has no workers (waited {self.timeout}); start some with "
                f"`dask worker {self.address}`"
            ) from None
        try:
            found = self._client.run(_simjit_version)
        except Exception as exc:
            raise SimjitError(
                f"the Dask workers at {self.address} cannot run simjit ({type(exc).__name__}: {exc}); install "
                f"simjit {simjit.__version__} on every worker"
            ) from None
        other = {worker: version for worker, version in found.items() if version != simjit.__version__}
        if other:
            listed = ", ".join(f"{worker} has {version}" for worker, version in sorted(other.items()))
            raise SimjitError(
                f"the Dask workers must run simjit {simjit.__version__}, as here ({listed}); install the same "
                "version on every worker"
            )

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = self._scattered = None

    @property
    def slots(self) -> int:
        """The cluster's worker threads."""
        if self._client is None:
            return self.workers or 1
        return max(1, sum(self._client.nthreads().values()))

    def _work_on_cluster(self, work: Work) -> Any:
        if self._scattered is None or self._scattered[0] is not work:
            self._scattered = (work, self._client.scatter(work, broadcast=True, hash=False))
        return self._scattered[1]

    def run(self, work: Work, batches: Iterable[tuple[int, int]]) -> Generator[BatchResult, None, None]:
        """Keep two batches per worker thread in flight; yield results as they come."""
        if self._client is None:
            raise RuntimeError("use the Dask backend inside a with block")
        distributed = _distributed()
        remote = self._work_on_cluster(work)
        todo = iter(batches)

        live: set[Any] = set()

        def submit(batch: tuple[int, int]) -> Any:
            key = f"simjit-{batch[0]}-{batch[1]}-{uuid.uuid4().hex}"  # unique: a shared cluster caches by key
            future = self._client.submit(run_batch, remote, *batch, True, pure=False, key=key)
            live.add(future)
            return future

        running = distributed.as_completed([submit(b) for _, b in zip(range(2 * self.slots), todo, strict=False)])
        try:
            for future in running:
                live.discard(future)
                try:
                    result = future.result()
                except Exception as exc:
                    raise SimjitError(f"the Dask cluster could not run a batch: {type(exc).__name__}: {exc}") from None
                nxt = next(todo, None)
                if nxt is not None:
                    running.add(submit(nxt))
                yield result
        finally:
            if live:
                self._client.cancel(list(live))
