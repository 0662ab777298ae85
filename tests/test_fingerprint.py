"""The engine's results, pinned: a hash of every KPI and disruption row of a few replications of
every policy of every bundled scenario, of the valid test scenario and of a shop of simple stock
points (the cases the engine's fast paths take), as the engine computed them when the hashes were
taken. Floats are compared exactly (``float.hex``): a faster engine must give the very same numbers.

A change that is meant to change results regenerates the file, and says why in its commit:

    SIMJIT_WRITE_FINGERPRINTS=1 python -m pytest tests/test_fingerprint.py
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from simjit import load_scenario
from simjit.model import simulate

ROOT = Path(__file__).resolve().parents[1]
STORED = Path(__file__).parent / "fingerprint" / "fingerprints.json"
SCENARIOS = [
    *sorted((ROOT / "scenarios").glob("*.yaml")),
    ROOT / "scenarios" / "plugins" / "plugin_shop.yaml",
    *sorted((ROOT / "tests" / "scenarios" / "valid").glob("*.yaml")),
    Path(__file__).parent / "fingerprint" / "simple_shop.yaml",
]
REPLICATIONS = (0, 1, 2)
MISSING_PLUGIN = {("every_kind", "plugins")}
"""Policy sets whose plug-in exists nowhere (the scenario checks the format only)."""


def _cell(value: object) -> str:
    return float.hex(value) if isinstance(value, float) else repr(value)


def fingerprint(path: Path, policy: str, replication: int) -> str:
    """SHA-256 of one replication's summary and disruption rows, names and values in order."""
    played = simulate(load_scenario(path), policy, replication, allow_plugins=True)
    lines = [f"{k}={_cell(v)}" for k, v in played.summary.items()]
    lines += [";".join(f"{k}={_cell(v)}" for k, v in row.items()) for row in played.disruptions]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def cases() -> list[tuple[Path, str]]:
    """(scenario, policy set) of every case pinned."""
    found = []
    for path in SCENARIOS:
        for policy in load_scenario(path).policies:
            if (path.stem, policy) not in MISSING_PLUGIN:
                found.append((path, policy))
    return found


def key(path: Path, policy: str) -> str:
    return f"{path.relative_to(ROOT).as_posix()}:{policy}"


def played(path: Path, policy: str) -> list[str]:
    return [fingerprint(path, policy, r) for r in REPLICATIONS]


if os.environ.get("SIMJIT_WRITE_FINGERPRINTS"):
    STORED.write_text(json.dumps({key(*c): played(*c) for c in cases()}, indent=1) + "\n", encoding="utf-8")

PINNED: dict[str, list[str]] = json.loads(STORED.read_text(encoding="utf-8"))


def test_every_case_is_pinned() -> None:
    assert sorted(key(*c) for c in cases()) == sorted(PINNED)


@pytest.mark.parametrize(("path", "policy"), cases(), ids=[key(*c) for c in cases()])
def test_results_are_those_pinned(path: Path, policy: str) -> None:
    now = played(path, policy)
    changed = [r for r, (a, b) in enumerate(zip(now, PINNED[key(path, policy)], strict=True)) if a != b]
    assert not changed, f"{key(path, policy)}: replications {changed} give other results than the pinned engine's"
