"""The results directory, written as tasks finish so that a stopped run resumes where it stopped.

    DIR/parts/part-<start>-<stop>.parquet   rows of tasks start … stop-1 (plan order), one file per
                                            finished run of tasks, written atomically
    DIR/parts/disruptions-<start>-<stop>.parquet
                                            the disruption events of the same tasks (maybe none),
                                            written before their part-… file
    DIR/manifest.json                       scenario hash, versions, seed, plan, tasks done, status
    DIR/scenario.json                       the validated scenario (to say what changed on --resume)
    DIR/replications.parquet (.csv)         the parts in plan order, with one column per swept parameter
    DIR/disruptions.parquet (.csv)          the events parts likewise: one row per disruption event
    DIR/summary.json, DIR/failures.json     statistics; tasks that raised

Which tasks are done is read from the part names alone, so it costs nothing to know and a part
is either wholly there or not. Parts hold contiguous, disjoint index ranges: concatenated in
name order they are the results in plan order, whatever order batches finished in.

A task counted done always has its events: an events part is written before, and removed
after, the part of the same tasks; one left without its part (a write cut short) is dropped
when the store is opened. A run stored before events were recorded has no events parts: its
tasks count as having had no events.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
from collections.abc import Iterator, Sequence
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from simjit.errors import SimjitError
from simjit.experiment.columns import POLICY, REPLICATION, VARIANT
from simjit.experiment.files import write_json
from simjit.experiment.manifest import Manifest
from simjit.experiment.plan import Plan
from simjit.experiment.worker import BatchResult, EventRow, Failure, Row
from simjit.scenario.distributions.data import Trace
from simjit.scenario.models import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ResultStore", "data_digests", "scenario_hash", "versions", "write_json"]

PART = re.compile(r"part-(\d+)-(\d+)\.parquet")
EVENTS = "disruptions"
"""Stem of the events parts and of the consolidated events table."""


OWN_FILES = frozenset(("parts", "manifest.json", "scenario.json", "replications.parquet", "replications.csv",
                       f"{EVENTS}.parquet", f"{EVENTS}.csv", "summary.json", "failures.json"))  # fmt: skip
"""Everything a run writes in its directory."""


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the validated scenario and of the contents of the data files it read (what ``--resume``
    compares): a ``trace:`` file edited under the same name is another scenario."""
    text = scenario.model_dump_json(by_alias=True)
    digest = hashlib.sha256(text.encode("utf-8"))
    data = data_digests(scenario, text)
    if data:  # a scenario reading no file keeps the hash it always had
        digest.update(json.dumps(data, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def data_digests(scenario: Scenario, text: str | None = None) -> dict[str, str]:
    """SHA-256 of the numbers read from each data file of the scenario (``trace:`` CSVs), by the name the
    scenario gives the file: the scenario's text names a file, these say what was in it. ``text``, the
    scenario's JSON if at hand, spares the walk through a scenario that names no file."""
    if '"trace":' not in (text if text is not None else scenario.model_dump_json(by_alias=True)):
        return {}
    found: dict[str, str] = {}
    for trace in _traces(scenario):
        numbers = ",".join(repr(v) for v in trace.values)
        found[trace.trace] = hashlib.sha256(numbers.encode("ascii")).hexdigest()
    return dict(sorted(found.items()))


def _traces(node: object) -> Iterator[Trace]:
    """Every ``trace:`` distribution in a validated model, wherever it sits."""
    if isinstance(node, Trace):
        yield node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _traces(getattr(node, name))
    elif isinstance(node, dict):
        for value in node.values():
            yield from _traces(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _traces(value)


def versions() -> dict[str, str]:
    """Versions of simjit and the packages its results depend on."""
    out = {}
    for name in ("simjit", "simpy", "numpy", "scipy", "pandas", "pyarrow", "pydantic"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "unknown"
    return out


def _runs(start: int, stop: int, failed: set[int]) -> Iterator[tuple[int, int]]:
    """Maximal ranges of ``[start, stop)`` without a failed index."""
    lo = start
    for i in range(start, stop + 1):
        if i == stop or i in failed:
            if i > lo:
                yield lo, i
            lo = i + 1


class ResultStore:
    """One results directory; use as a context manager (it locks the directory against a second run)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.parts = self.directory / "parts"
        self.manifest_path = self.directory / "manifest.json"
        self._lock: int | None = None
        self.repaired: list[str] = []
        """Parts found unreadable (cut short by a crash) and dropped when the store was opened."""

    # --- the lock --------------------------------------------------------------------------

    def check_path(self) -> None:
        """Refuse a path that cannot be a results directory (a file, /dev/null), before reading it."""
        if self.directory.exists() and not self.directory.is_dir():
            raise SimjitError(f"-o {self.directory}: this is a file, not a directory; choose a directory for results")

    def __enter__(self) -> ResultStore:
        self.check_path()
        try:
            self.parts.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SimjitError(
                f"-o {self.directory}: cannot write results there ({exc.strerror or exc}); choose a directory you "
                "can write to"
            ) from None
        for stale in self.parts.glob("*.tmp"):  # a write cut short by a kill: its tasks were never counted
            stale.unlink()
        try:
            import fcntl
        except ImportError:  # no advisory locks on this platform: trust the user
            return self
        self._lock = os.open(self.directory, os.O_RDONLY)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._lock)
            self._lock = None
            raise SimjitError(
                f"{self.directory} is in use by another simjit run; wait for it or choose another -o"
            ) from None
        self._drop_orphan_events()
        self.repaired = self._drop_torn_parts()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._lock is not None:
            os.close(self._lock)  # releases the lock
            self._lock = None

    # --- manifest --------------------------------------------------------------------------

    def manifest(self) -> Manifest | None:
        """The manifest of the run in this directory, if any (a SimjitError if it cannot be read)."""
        return Manifest.load(self.manifest_path)

    def write_manifest(self, manifest: Manifest) -> Manifest:
        """Replace the manifest; returns it as saved (stamped with the time)."""
        return manifest.save(self.manifest_path)

    def scenario_doc(self) -> dict[str, Any] | None:
        """The scenario the run in this directory played, as saved when it started."""
        path = self.directory / "scenario.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def write_scenario(self, scenario: Scenario) -> None:
        """Save the validated scenario (to say what changed when a resume is refused)."""
        write_json(self.directory / "scenario.json", json.loads(scenario.model_dump_json(by_alias=True)))

    def foreign_files(self) -> list[str]:
        """Names in a directory without a run's manifest: anything but an empty ``parts`` folder
        is someone else's (even a ``summary.json``: no run of ours wrote it)."""
        if not self.directory.is_dir() or self.manifest_path.exists():
            return []
        empty_parts = self.parts.is_dir() and not any(self.parts.iterdir())
        return sorted(p.name for p in self.directory.iterdir() if not (p == self.parts and empty_parts))

    def clear(self) -> None:
        """Remove a previous run's files (not the directory's other contents)."""
        self._unlink_parts()
        for name in OWN_FILES - {"parts", "manifest.json"}:
            (self.directory / name).unlink(missing_ok=True)
        self.manifest_path.unlink(missing_ok=True)

    # --- parts -----------------------------------------------------------------------------

    def _parts(self) -> list[tuple[int, int, Path]]:
        """Stored parts as (start, stop, path), in plan order."""
        found = []
        if self.parts.is_dir():
            for path in self.parts.iterdir():
                match = PART.fullmatch(path.name)
                if match is not None:
                    found.append((int(match[1]), int(match[2]), path))
        return sorted(found)

    def _unlink_parts(self) -> None:
        """Remove every part and events part (a part before its events, so that a removal cut
        short leaves no task counted done without them)."""
        for start, stop, path in self._parts():
            path.unlink()
            self._events_path(start, stop).unlink(missing_ok=True)
        self._drop_orphan_events()

    def _events_path(self, start: int, stop: int) -> Path:
        """The events part of tasks ``start`` … ``stop - 1`` (it may not exist)."""
        return self.parts / f"{EVENTS}-{start:010d}-{stop:010d}.parquet"

    def _drop_orphan_events(self) -> None:
        """Remove events parts whose tasks were never counted done (their part was not written)."""
        kept = {self._events_path(start, stop).name for start, stop, _ in self._parts()}
        for path in self.parts.glob(f"{EVENTS}-*.parquet"):
            if path.name not in kept:
                path.unlink()

    def _drop_torn_parts(self) -> list[str]:
        """Remove parts whose file is unreadable or holds the wrong number of rows (a crash of the
        machine between write and disk, a file cut by hand): their tasks are played again."""
        dropped: list[str] = []
        parts = self._parts()
        if not parts:
            return dropped  # a new run: no need to load pyarrow yet
        from simjit.experiment.parquet import is_whole

        for start, stop, path in parts:
            events = self._events_path(start, stop)
            if not is_whole(path, stop - start, events):
                path.unlink()
                events.unlink(missing_ok=True)
                dropped.append(path.name)
        return dropped

    def done(self) -> list[tuple[int, int]]:
        """The index ranges already stored, in plan order."""
        ranges = [(start, stop) for start, stop, _ in self._parts()]
        for (_, stop), (start, _) in itertools.pairwise(ranges):
            if start < stop:
                raise SimjitError(f"{self.parts}: parts overlap at task {start}; the directory was edited by hand")
        return ranges

    def missing(self, total: int) -> list[tuple[int, int]]:
        """The index ranges of tasks ``0 … total-1`` not stored yet."""
        gaps, at = [], 0
        for start, stop in self.done():
            if start >= total:
                break
            if start > at:
                gaps.append((at, start))
            at = max(at, stop)
        if at < total:
            gaps.append((at, total))
        return gaps

    def add(self, result: BatchResult) -> int:
        """Store a finished batch: one part per run of tasks that did not fail. Returns rows stored."""
        failed = {f.index for f in result.failures}
        rows = iter(result.rows)
        events: dict[tuple[Any, ...], list[EventRow]] = {}
        for event in result.events:
            events.setdefault(_task_ids(event), []).append(event)
        for start, stop in _runs(result.start, result.stop, failed):
            part = [next(rows) for _ in range(start, stop)]
            self._write_events(start, stop, [e for row in part for e in events.get(_task_ids(row), [])])
            self._write_part(start, stop, part)
        return len(result.rows)

    def _write_events(self, start: int, stop: int, events: list[EventRow]) -> None:
        from simjit.experiment.parquet import write_events  # pyarrow: once the first batch is played

        write_events(self._events_path(start, stop), events)

    def _write_part(self, start: int, stop: int, rows: list[Row]) -> None:
        from simjit.experiment.parquet import write_rows

        write_rows(self.parts / f"part-{start:010d}-{stop:010d}.parquet", rows)

    def read_parts(self, columns: Sequence[str], total: int) -> pd.DataFrame:
        """Columns of the stored tasks below ``total``, in plan order (for the precision check)."""
        import pandas as pd

        from simjit.experiment.parquet import column_names, read_columns

        frames = []
        for start, _, path in self._parts():
            if start < total:
                names = set(column_names(path))
                frames.append(read_columns(path, [c for c in columns if c in names]).to_pandas())
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(columns))

    # --- the consolidated table ------------------------------------------------------------

    def consolidate(self, plan: Plan, csv: bool = False) -> list[Path]:
        """Write replications.parquet and disruptions.parquet (and .csv) from the parts, in plan
        order, with one column per swept parameter after the ids, a row group at a time."""
        from simjit.experiment.parquet import consolidate

        parts = self._parts()
        events = [self._events_path(start, stop) for start, stop, _ in parts]
        return consolidate(
            self.directory / "replications.parquet", self.directory / f"{EVENTS}.parquet",
            [path for *_, path in parts], [p for p in events if p.is_file()], plan, csv,
        )  # fmt: skip

    def reopen(self, tasks: int, params: Sequence[str]) -> None:
        """Turn a finished run's replications.parquet back into one part of its ``tasks`` tasks, so
        that a resume asking for more replications appends to it (swept parameters are dropped:
        consolidation adds them again)."""
        from simjit.experiment.parquet import copy_without, row_count

        source = self.directory / "replications.parquet"
        if self._parts() or not source.is_file():
            return
        rows = row_count(source)
        if rows != tasks:
            raise SimjitError(
                f"{source} holds {rows} rows but the manifest counts {tasks} tasks; "
                "the directory was edited by hand: start a new run in another directory"
            )
        events = self.directory / f"{EVENTS}.parquet"
        if events.is_file():  # a run stored before events were recorded has none
            copy_without(events, self._events_path(0, tasks), params)
        copy_without(source, self.parts / f"part-{0:010d}-{tasks:010d}.parquet", params)

    def events(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Columns of disruptions.parquet (every column by default; none stored: no rows)."""
        import pandas as pd

        from simjit.experiment.parquet import EVENT_SCHEMA, read_columns

        path = self.directory / f"{EVENTS}.parquet"
        if not path.is_file():
            return pd.DataFrame(columns=list(columns or EVENT_SCHEMA.names))
        return read_columns(path, columns).to_pandas()

    def table_columns(self, columns: Sequence[str]) -> pd.DataFrame:
        """Some columns of replications.parquet (statistics read it a few columns at a time)."""
        from simjit.experiment.parquet import read_columns

        return read_columns(self.directory / "replications.parquet", columns).to_pandas()

    def columns(self) -> list[str]:
        """The columns of replications.parquet, in order."""
        from simjit.experiment.parquet import column_names

        return column_names(self.directory / "replications.parquet")

    def remove_parts(self) -> None:
        """Drop the parts once replications.parquet holds every task of a finished run."""
        self._unlink_parts()
        if self.parts.is_dir() and not any(self.parts.iterdir()):
            self.parts.rmdir()

    def write_failures(self, failures: Sequence[Failure]) -> Path | None:
        """failures.json: every task that raised, with its traceback (removed when none did)."""
        path = self.directory / "failures.json"
        if not failures:
            path.unlink(missing_ok=True)
            return None
        write_json(path, [f.__dict__ for f in failures])
        return path


def _task_ids(row: Row | EventRow) -> tuple[Any, ...]:
    return row[VARIANT], row[POLICY], row[REPLICATION]
