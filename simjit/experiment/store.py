"""The results directory: replications (Parquet, optionally CSV), summary.json and manifest.json."""

from __future__ import annotations

import hashlib
import json
import math
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from simjit.scenario.models import Scenario

__all__ = ["scenario_hash", "write_results"]


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the validated scenario (what ``--resume`` compares)."""
    text = scenario.model_dump_json(by_alias=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _versions() -> dict[str, str]:
    out = {}
    for name in ("simjit", "simpy", "numpy", "scipy", "pandas", "pyarrow", "pydantic"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "unknown"
    return out


def write_results(
    directory: Path, scenario: Scenario, results: pd.DataFrame, summary: pd.DataFrame, comparison: pd.DataFrame,
    *, policies: list[str], replications: int, csv: bool = False,
) -> list[Path]:  # fmt: skip
    """Write the result files into ``directory`` (created if missing); return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = [directory / "replications.parquet"]
    results.to_parquet(written[0], index=False)
    if csv:
        written.append(directory / "replications.csv")
        results.to_csv(written[-1], index=False)
    doc = {
        "scenario": scenario.name,
        "baseline": scenario.baseline_policy,
        "policies": summary.to_dict(orient="records"),
        "versus_baseline": comparison.to_dict(orient="records"),
    }
    written.append(directory / "summary.json")
    written[-1].write_text(json.dumps(_clean(doc), indent=2, ensure_ascii=False), encoding="utf-8")
    manifest = {
        "scenario_hash": scenario_hash(scenario),
        "versions": _versions(),
        "seed": scenario.seed,
        "policies": policies,
        "replications": replications,
        "tasks_done": len(results),
    }
    written.append(directory / "manifest.json")
    written[-1].write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return written
