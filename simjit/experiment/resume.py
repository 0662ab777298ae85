"""A new run's manifest, and whether the run asked for now may resume the one a directory holds.

A resume continues the *same* plan: same simjit, seed, policy sets, precision target, sweep
points, scenario and contents of the data files it reads. It may ask for more replications than
the run started with (tasks are numbered replication-major, so more replications only append
tasks); anything else would mix results of two experiments, so it is refused with a message
naming each change.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simjit.errors import SimjitError
from simjit.experiment.files import clean_json
from simjit.experiment.manifest import Manifest, PlanRecord, VariantRecord
from simjit.experiment.plan import Plan
from simjit.experiment.precision import Precision
from simjit.experiment.store import data_digests, scenario_hash, versions
from simjit.scenario.models import Scenario

__all__ = ["changes_between", "check_resume", "new_manifest", "stored_replications"]

ORDER = "index = (replication * variants + variant) * policies + policy"


def new_manifest(plan: Plan, base: Scenario, precision: Precision | None, command: str | None = None) -> Manifest:
    """The manifest of a run starting now (status ``running``, nothing done)."""
    variants = tuple(
        VariantRecord(name=v.name, params=clean_json(dict(v.params)), scenario_hash=scenario_hash(v.scenario))
        for v in plan.variants
    )
    record = PlanRecord(
        order=ORDER,
        policies=plan.policies,
        replications=plan.replications,
        precision={**precision.record(), "first": plan.replications} if precision else None,
        variants=variants,
    )
    data: dict[str, str] = {}
    for scenario in (base, *(v.scenario for v in plan.variants)):
        data.update(data_digests(scenario))
    return Manifest(
        status="running",
        scenario=base.name,
        scenario_hash=scenario_hash(base),
        seed=base.seed,
        versions=versions(),
        plan=record,
        replications_done=0,
        tasks_total=plan.size(),
        command=command,
        started=datetime.now(UTC),
        data=dict(sorted(data.items())) or None,
        source_dir=base.source_dir,
    )


def check_resume(
    directory: Path, old: Manifest | None, old_scenario: dict[str, Any] | None,
    new: Manifest, new_scenario: Scenario,
) -> None:  # fmt: skip
    """Raise, naming every change (in what its data files hold too), unless ``new`` continues the run
    described by ``old``."""
    if old is None:
        raise SimjitError(f"{directory}: nothing to resume (no manifest.json); run without --resume to start")
    changes = list(_changes(old, new))
    now = json.loads(new_scenario.model_dump_json(by_alias=True))
    edits: list[str] = []
    if old_scenario is None:
        if old.scenario_hash != new.scenario_hash:
            changes.append("the scenario changed (its hash differs)")
    else:
        edits = changes_between(old_scenario, now)
        if edits:
            more = f" and {len(edits) - 3} more" if len(edits) > 3 else ""
            changes.append(f"the scenario changed: {', '.join(edits[:3])}{more}")
    if old.data is not None or not edits:  # an edit adding a trace: said above, no need to doubt the old data
        changes += _data_changes(old.data, new.data or {})
    if changes:
        raise SimjitError(
            f"cannot resume the run in {directory}: " + "; ".join(changes)
            + ". Resume with the same options, or start a new run in another directory"
        )  # fmt: skip


def _changes(old: Manifest, new: Manifest) -> Iterator[str]:
    was, now = old.versions.get("simjit"), new.versions.get("simjit")
    if was != now:
        yield f"simjit is version {now}, the run was started by {was}"
    if old.seed != new.seed:
        yield f"the seed changed ({old.seed} → {new.seed})"
    a, b = old.plan, new.plan
    if a.policies != b.policies:
        yield f"the policy sets changed ({', '.join(a.policies)} → {', '.join(b.policies)})"
    was_n, now_n = a.first, b.first  # a --precision run is compared on the -n it started from
    if was_n != now_n and (now_n < was_n or b.precision is not None):
        why = "a --precision run adds its own" if b.precision else "a resume may add replications, not drop them"
        yield f"the replications changed ({was_n} → {now_n}; {why})"
    if _target(a.precision) != _target(b.precision):
        yield f"the precision target changed ({_short(_target(a.precision))} → {_short(_target(b.precision))})"
    if [(v.name, v.params) for v in a.variants] != [(v.name, v.params) for v in b.variants]:
        yield (f"the sweep points changed ({', '.join(v.name for v in a.variants)} → "
               f"{', '.join(v.name for v in b.variants)})")  # fmt: skip


def _target(precision: dict[str, Any] | None) -> dict[str, Any] | None:
    """A precision record without the first round's replications (compared with the others)."""
    return None if precision is None else {k: v for k, v in precision.items() if k != "first"}


def _data_changes(old: dict[str, str] | None, new: dict[str, str]) -> list[str]:
    """What changed in the data files both runs read (a file renamed shows in the scenario's changes)."""
    if old is None:
        if not new:
            return []
        return [f"the run was started by a simjit that did not record what its data files held ({', '.join(new)}), "
                "so whether they changed cannot be told"]  # fmt: skip
    edited = [name for name in new if name in old and old[name] != new[name]]
    return [f"the data file {name} changed (what it holds differs from when the run started)" for name in edited]


def stored_replications(directory: Path) -> int | None:
    """The replications the run in ``directory`` was started with, ``-n`` (what ``--resume`` without ``-n``
    continues; a ``--precision`` run then takes the same rounds again)."""
    manifest = Manifest.load(directory / "manifest.json")
    return None if manifest is None else manifest.plan.first


def changes_between(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Where two scenario documents differ, as ``path (old → new)``, seed and replications aside (how
    many futures are played, and which, is not what a scenario describes)."""
    return [
        f"{path} ({_short(a)} → {_short(b)})" for path, a, b in _diff(old, new) if path not in ("seed", "replications")
    ]


def _diff(a: Any, b: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Dotted paths where two JSON documents differ, with both values (missing = None)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in dict.fromkeys([*a, *b]):
            yield from _diff(a.get(key), b.get(key), f"{path}.{key}" if path else str(key))
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _diff(x, y, f"{path}.{i}")
    elif a != b:
        yield path, a, b


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "…"
