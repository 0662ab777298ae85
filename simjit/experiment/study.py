"""A study: what ``simjit run`` and ``simjit sweep`` play, assembled and checked before anything runs.

The scenario file with its ``--set`` overrides, ``-n`` and ``--seed``; its sweep points (``--vary``);
the policy sets chosen (``--policy``) and the baseline the others are compared with. Bad options
are :class:`~simjit.errors.UsageError` naming the option; a bad scenario or sweep point is a
:class:`~simjit.errors.ScenarioError` located in the file or at the ``--set``/``--vary`` option.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from simjit.errors import UsageError
from simjit.experiment.plan import BASE, Plan, Variant
from simjit.experiment.sweep import sweep_variants
from simjit.scenario.loader import load_scenario
from simjit.scenario.models import Scenario

__all__ = ["Study", "load_study"]


@dataclass(frozen=True)
class Study:
    """A scenario's variants (one, or a sweep's points) × the policy sets to play, and the baseline."""

    base: Scenario
    variants: tuple[Variant, ...]
    policies: tuple[str, ...]
    baseline: str
    swept: bool = False

    def plan(self) -> Plan:
        """Every variant × policy set × the scenario's replications."""
        return Plan(self.variants, self.policies, self.base.replications)


def load_study(
    file: Path,
    set_: Sequence[str] = (),
    vary: Sequence[str] = (),
    seed: int | None = None,
    replications: int | None = None,
    policies: Sequence[str] | None = None,
    files_anywhere: bool = False,
) -> Study:
    """The study of ``file``: ``set_`` overrides, then ``replications`` and ``seed`` (as ``--set`` would),
    one variant per point of the ``vary`` grid (else the scenario alone), the ``policies`` chosen
    (default: all, in the scenario's order) and the baseline (the scenario's if chosen, else the first).

    Errors name the command-line options these arguments come from (``-n``, ``--seed``, ``--policy``);
    ``files_anywhere`` lets ``trace:`` files lie outside the scenario's folder.
    """
    overrides = list(set_)
    if replications is not None:
        if replications < 1:
            raise UsageError(f"-n: expected at least 1 replication, got {replications}")
        overrides.append(f"replications={replications}")
    if seed is not None:
        if seed < 0:
            raise UsageError(f"--seed: expected a number >= 0, got {seed}")
        overrides.append(f"seed={seed}")
    if vary:
        base, variants = sweep_variants(file, vary, overrides, files_anywhere)
    else:
        base = load_scenario(file, overrides, files_anywhere=files_anywhere)
        variants = [Variant(BASE, base)]
    names = tuple(dict.fromkeys(policies or base.policies))
    for name in names:
        if name not in base.policies:
            known = ", ".join(base.policies)
            raise UsageError(f"--policy {name}: unknown policy set {name!r} (known policy sets: {known})")
    baseline = base.baseline_policy if base.baseline_policy in names else names[0]
    return Study(base, tuple(variants), names, baseline, swept=bool(vary))
