"""A finished results directory, opened again as tables: what a notebook, the plots and the report read.

The statistics are computed from the Parquet files with the functions a run uses at its end
(:func:`simjit.experiment.runner.summarize_kpis`, :func:`~simjit.experiment.runner.summarize_resilience`),
so they are those of ``summary.json``, with their dtypes and NaNs intact.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from simjit.errors import ScenarioError, SimjitError, UsageError
from simjit.experiment.columns import ID_COLUMNS, sums_unlike_units
from simjit.experiment.manifest import Manifest
from simjit.experiment.runner import summarize_kpis, summarize_resilience
from simjit.experiment.store import ResultStore
from simjit.scenario import load_scenario
from simjit.scenario.models import Scenario

__all__ = ["Results", "open_results"]

FINISHED = ("complete", "incomplete")
"""Statuses of a run whose every task was played (``incomplete``: some raised; their rows are absent)."""


@dataclass(eq=False)
class Results:
    """A finished run: its manifest, scenario, baseline and statistics; the replications and
    disruption events tables are read from disk when first used."""

    directory: Path
    manifest: Manifest
    scenario_doc: dict[str, Any]
    """The validated scenario as the run saved it (scenario.json)."""
    scenario: Scenario | None
    """The same, validated again; None when it no longer validates (a trace file moved away)."""
    baseline: str
    summary: pd.DataFrame
    comparison: pd.DataFrame
    resilience: pd.DataFrame

    @property
    def policies(self) -> tuple[str, ...]:
        """The policy sets in the run's order (the order that fixes each one's colour in the figures)."""
        return self.manifest.plan.policies

    @property
    def variants(self) -> tuple[str, ...]:
        """The variant names (sweep points; ``base`` without a sweep), in plan order."""
        return tuple(v.name for v in self.manifest.plan.variants)

    @property
    def params(self) -> tuple[str, ...]:
        """The swept parameters (a column each in ``replications``), none without a sweep."""
        return tuple(dict.fromkeys(p for v in self.manifest.plan.variants for p in v.params))

    @cached_property
    def replications(self) -> pd.DataFrame:
        """replications.parquet: one row per (variant, policy, replication), in plan order."""
        return pd.read_parquet(self.directory / "replications.parquet")

    @cached_property
    def disruptions(self) -> pd.DataFrame:
        """disruptions.parquet: one row per disruption event per task (no rows if none happened)."""
        return ResultStore(self.directory).events()


def open_results(directory: Path | str, baseline: str | None = None) -> Results:
    """Open the finished run in ``directory`` and compute its statistics (versus ``baseline``,
    by default the run's own); a SimjitError says why a directory holds no finished run, or that its
    files were cut short or edited (a truncated Parquet file, a scenario.json that is not JSON, text
    where a KPI's numbers belong)."""
    directory = Path(directory)
    manifest = _finished_manifest(directory)
    try:
        return _opened(directory, manifest, baseline)
    except SimjitError:  # the user's own mistake (an unknown baseline), said as it is
        raise
    except (OSError, ValueError, TypeError, KeyError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise SimjitError(
            f"{directory}: the run's files were cut short or edited by hand and cannot be read "
            f"({type(exc).__name__}: {str(exc)[:200]}); play the run again: simjit run SCENARIO -o {directory} --force"
        ) from None


def _opened(directory: Path, manifest: Manifest, baseline: str | None) -> Results:
    """open_results' work once the manifest says the run finished."""
    store = ResultStore(directory)
    doc = store.scenario_doc() or {}
    scenario = _validated(doc, manifest.source_dir)
    policies = manifest.plan.policies
    chosen = baseline or _run_baseline(directory, policies)
    if chosen not in policies:
        raise UsageError(
            f"baseline {chosen!r} is not a policy set of the run in {directory}; it has {', '.join(policies)}"
        )
    params = {p for v in manifest.plan.variants for p in v.params}
    kpis = [c for c in store.columns() if c not in ID_COLUMNS and c not in params]
    # every variant is judged with the base scenario: a sweep point changes values, not which items a sum adds
    unlike = {(v.name, k) for v in manifest.plan.variants for k in kpis if scenario and sums_unlike_units(k, scenario)}
    summary, comparison = summarize_kpis(store, kpis, policies, chosen, unlike)
    resilience = summarize_resilience(store, policies, chosen)
    return Results(directory, manifest, doc, scenario, chosen, summary, comparison, resilience)


def _finished_manifest(directory: Path) -> Manifest:
    """The manifest of the finished run in ``directory``, or a SimjitError saying what is there instead."""
    if not directory.exists():
        raise SimjitError(f"{directory}: no such directory; give the -o directory of a finished simjit run")
    if not directory.is_dir():
        raise SimjitError(f"{directory} is a file, not a results directory; give the -o directory of a simjit run")
    manifest = Manifest.load(directory / "manifest.json")
    if manifest is None:
        raise SimjitError(
            f"{directory} holds no simjit run (no manifest.json); play one there with simjit run SCENARIO -o {directory}"
        )
    if manifest.status not in FINISHED:
        raise SimjitError(
            f"{directory} holds an unfinished run ({manifest.status}: {manifest.tasks_done} of "
            f"{manifest.tasks_total} tasks done); complete it with simjit run SCENARIO --resume -o {directory}"
        )
    if not (directory / "replications.parquet").is_file():
        raise SimjitError(
            f"{directory}: the run is {manifest.status} but replications.parquet is missing; the directory was "
            "edited by hand: play the run again"
        )
    return manifest


def _validated(doc: dict[str, Any], source_dir: str | None) -> Scenario | None:
    """The saved scenario validated again, its plug-ins and ``trace:`` files looked up where the run found them
    (never in the results folder, where anyone may drop a file); None when that no longer works."""
    base = source_dir if source_dir is not None else os.devnull  # a run that did not say: nowhere
    try:
        return load_scenario(doc, base_dir=base, files_anywhere=True) if doc else None
    except ScenarioError:
        return None


def _run_baseline(directory: Path, policies: tuple[str, ...]) -> str:
    """The baseline the run compared with (summary.json), else its first policy set."""
    try:
        chosen = json.loads((directory / "summary.json").read_text(encoding="utf-8")).get("baseline")
    except (OSError, ValueError, AttributeError):
        chosen = None
    return chosen if chosen in policies else policies[0]
