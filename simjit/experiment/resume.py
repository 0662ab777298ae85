"""The manifest of a run, and whether a run asked for now may resume the one a directory holds.

A resume continues the *same* plan: same simjit, seed, policy sets, precision target, sweep
points and scenario. It may ask for more replications than the run started with (tasks are
numbered replication-major, so more replications only append tasks); anything else would mix
results of two experiments, so it is refused with a message naming each change.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simjit.errors import SimjitError
from simjit.experiment.plan import Plan
from simjit.experiment.precision import Precision
from simjit.experiment.store import clean_json, scenario_hash, versions
from simjit.scenario.models import Scenario

__all__ = ["check_resume", "new_manifest", "stored_replications"]

ORDER = "index = (replication * variants + variant) * policies + policy"


def new_manifest(plan: Plan, base: Scenario, precision: Precision | None, command: str | None = None) -> dict[str, Any]:
    """The manifest of a run starting now (status ``running``, nothing done)."""
    variants = [{"name": v.name, "params": dict(v.params), "scenario_hash": scenario_hash(v.scenario)}
                for v in plan.variants]  # fmt: skip
    return clean_json({
        "status": "running",
        "scenario": base.name,
        "scenario_hash": scenario_hash(base),
        "seed": base.seed,
        "versions": versions(),
        "plan": {
            "order": ORDER,
            "policies": list(plan.policies),
            "replications": plan.replications,
            "precision": precision.record() if precision else None,
            "variants": variants,
        },
        "replications_done": 0,
        "tasks_total": plan.size(),
        "tasks_done": 0,
        "tasks_failed": 0,
        "command": command,
        "started": datetime.now(UTC).isoformat(),
    })  # fmt: skip


def check_resume(
    directory: Path, old: dict[str, Any] | None, old_scenario: dict[str, Any] | None,
    new: dict[str, Any], new_scenario: Scenario,
) -> None:  # fmt: skip
    """Raise, naming every change, unless ``new`` continues the run described by ``old``."""
    if old is None:
        raise SimjitError(f"{directory}: nothing to resume (no manifest.json); run without --resume to start")
    changes = list(_changes(old, new))
    now = json.loads(new_scenario.model_dump_json(by_alias=True))
    if old_scenario is None:
        if old.get("scenario_hash") != new["scenario_hash"]:
            changes.append("the scenario changed (its hash differs)")
    else:
        edits = [f"{path} ({_short(a)} → {_short(b)})" for path, a, b in _diff(old_scenario, now)
                 if path not in ("seed", "replications")]  # fmt: skip
        if edits:
            more = f" and {len(edits) - 3} more" if len(edits) > 3 else ""
            changes.append(f"the scenario changed: {', '.join(edits[:3])}{more}")
    if changes:
        raise SimjitError(
            f"cannot resume the run in {directory}: " + "; ".join(changes)
            + ". Resume with the same options, or start a new run in another directory"
        )  # fmt: skip


def _changes(old: dict[str, Any], new: dict[str, Any]) -> Iterator[str]:
    was, now = old.get("versions", {}).get("simjit"), new["versions"]["simjit"]
    if was != now:
        yield f"simjit is version {now}, the run was started by {was}"
    if old.get("seed") != new["seed"]:
        yield f"the seed changed ({old.get('seed')} → {new['seed']})"
    a, b = old.get("plan", {}), new["plan"]
    if a.get("policies") != b["policies"]:
        yield f"the policy sets changed ({', '.join(a.get('policies', []))} → {', '.join(b['policies'])})"
    was, now = a.get("replications"), b["replications"]
    if was != now and (not isinstance(was, int) or now < was or b["precision"] is not None):
        why = "a --precision run adds its own" if b["precision"] else "a resume may add replications, not drop them"
        yield f"the replications changed ({was} → {now}; {why})"
    if a.get("precision") != b["precision"]:
        yield f"the precision target changed ({_short(a.get('precision'))} → {_short(b['precision'])})"
    points = [(v["name"], v["params"]) for v in a.get("variants", [])]
    if points != [(v["name"], v["params"]) for v in b["variants"]]:
        yield (f"the sweep points changed ({', '.join(n for n, _ in points)} → "
               f"{', '.join(v['name'] for v in b['variants'])})")  # fmt: skip


def stored_replications(directory: Path) -> int | None:
    """The replications the run in ``directory`` was started with (what ``--resume`` without ``-n`` continues)."""
    try:
        doc = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = doc.get("plan", {}).get("replications") if isinstance(doc, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


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
