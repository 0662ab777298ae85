"""The manifest of a run (DIR/manifest.json): what it plays, how far it got, how it ended.

``--resume`` compares it with the run asked for now (:mod:`simjit.experiment.resume`). The JSON
keys are those simjit has written since format 1, so an older run directory still resumes; keys
this simjit does not know are ignored, a format it does not know is refused.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from simjit.errors import SimjitError
from simjit.experiment.files import temporary_beside

__all__ = ["FORMAT", "Manifest", "PlanRecord", "Status", "VariantRecord"]

FORMAT = 1
"""The manifest format this simjit reads and writes."""

Status = Literal["running", "interrupted", "incomplete", "complete"]
"""How a run stands: ``running`` (started, or killed before it could say otherwise), ``interrupted``
(Ctrl-C; what finished is saved), ``incomplete`` (every task played, some raised), ``complete``."""

SHOWN_ERRORS = 3


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class VariantRecord(_Record):
    """One sweep point (``base`` without a sweep): the parameters it sets and its scenario's hash."""

    name: str
    params: dict[str, Any] = {}
    scenario_hash: str | None = None


class PlanRecord(_Record):
    """What the run plays: policy sets × variants × replications, in the task order ``order`` states.
    After a ``--precision`` run, ``replications`` is what it played (its rounds added them) and the
    precision record holds the ``-n`` it started with (``first``)."""

    order: str
    policies: tuple[str, ...]
    replications: int
    precision: dict[str, Any] | None = None
    """The ``--precision`` target (:meth:`simjit.experiment.precision.Precision.record`) and the first
    round's replications (``first``), if any."""
    variants: tuple[VariantRecord, ...]

    @property
    def first(self) -> int:
        """The replications the run started with: ``-n`` (a ``--precision`` run's first round)."""
        if self.precision is None:
            return self.replications
        first = self.precision.get("first", self.replications)  # older manifests: -n was never updated
        return first if type(first) is int else self.replications


class Manifest(_Record):
    """One run's identity (scenario hash, seed, versions, plan), its counters and its status."""

    status: Status
    scenario: str
    scenario_hash: str
    seed: int
    versions: dict[str, str]
    plan: PlanRecord
    replications_done: int | None = None
    """Replications of every task played, once the run is complete (None before)."""
    tasks_total: int
    tasks_done: int = 0
    tasks_failed: int = 0
    command: str | None = None
    started: datetime | None = None
    format: int = FORMAT
    updated: datetime | None = None
    data: dict[str, str] | None = None
    """SHA-256 of what each data file the scenario reads (``trace:`` CSVs) held, by name; left out of the
    JSON when the scenario reads none (None: none, or a manifest written before they were recorded)."""
    source_dir: str | None = None
    """The folder the run found the scenario's plug-ins and ``trace:`` files in (the scenario file's): where a
    replay (the report's traces) looks for them again — never the results folder. Left out when unknown."""

    @classmethod
    def load(cls, path: Path) -> Manifest | None:
        """The manifest saved in ``path``, None if there is none; a SimjitError naming the file if it is unreadable."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise SimjitError(f"{path}: cannot read the manifest: {exc}") from None
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise SimjitError(f"{path}: cannot read the manifest: not JSON ({exc})") from None
        return cls.parse(doc, path)

    @classmethod
    def parse(cls, doc: Any, source: Path | str) -> Manifest:
        """A manifest from its JSON document; errors name ``source``."""
        if not isinstance(doc, dict):
            raise SimjitError(f"{source}: not a simjit manifest (expected a JSON object, got {type(doc).__name__})")
        found = doc.get("format", FORMAT)
        if type(found) is not int or found != FORMAT:
            raise SimjitError(
                f"{source}: unknown manifest format {found!r} (this simjit reads format {FORMAT}); "
                "resume it with the simjit that wrote it, or start a new run in another directory"
            )
        try:
            return cls.model_validate(doc)
        except ValidationError as exc:
            problems = [f"{'.'.join(map(str, e['loc'])) or '(top)'}: {e['msg']}" for e in exc.errors()]
            more = f"; and {len(problems) - SHOWN_ERRORS} more" if len(problems) > SHOWN_ERRORS else ""
            raise SimjitError(
                f"{source}: not a manifest simjit can read: {'; '.join(problems[:SHOWN_ERRORS])}{more}"
            ) from None

    def save(self, path: Path) -> Manifest:
        """Write it to ``path`` stamped with the time, atomically (a reader or a crash never sees half a
        file); returns what was written."""
        stamped = self.model_copy(update={"format": FORMAT, "updated": datetime.now(UTC)})
        unknown = {k for k in ("data", "source_dir") if not getattr(self, k)}
        doc = stamped.model_dump(mode="json", exclude=unknown or None)
        text = json.dumps(doc, indent=2, ensure_ascii=False)
        tmp = temporary_beside(path)
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return stamped

    def progressed(self, total: int, done: int, failed: int) -> Manifest:
        """The same run with its task counters as they are now."""
        return self.model_copy(update={"tasks_total": total, "tasks_done": done, "tasks_failed": failed})

    def ended(self, status: Status, replications_done: int | None, replications: int | None = None) -> Manifest:
        """The same run with the status it stopped with and (``replications``) the replications per task its
        plan holds now: a ``--precision`` run's rounds add to the ``-n`` it started with."""
        plan = self.plan if replications is None else self.plan.model_copy(update={"replications": replications})
        return self.model_copy(update={"status": status, "replications_done": replications_done, "plan": plan})

    def continuing(self, old: Manifest) -> Manifest:
        """This run as the resume of ``old``: it started when ``old`` did."""
        return self.model_copy(update={"started": old.started or self.started})
