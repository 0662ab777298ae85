"""``--tuned DIR``: the settings a ``simjit tune -o DIR`` chose, applied before any ``--set`` by every command
that plays a scenario (run, sweep, trace, …), with the same checks and the same warning everywhere."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from simjit.cli.console import err
from simjit.errors import UsageError

if TYPE_CHECKING:
    from simjit.scenario.models import Scenario

__all__ = ["tuned_settings", "warn_tuned_elsewhere", "with_tuned"]


def tuned_settings(directory: Optional[Path]) -> list[str]:
    """The ``--set`` assignments of ``--tuned DIR`` (a tune's ``DIR/tuned.yaml``), none without it; refused when
    there is no tuned.yaml or it sets how the experiment is played (seed, replications)."""
    if directory is None:
        return []
    from simjit.scenario.overrides import read_assignments

    if not (directory / "tuned.yaml").is_file():
        raise UsageError(f"--tuned {directory}: no tuned.yaml there (the -o DIR of a simjit tune that found a best)")
    assignments = read_assignments(directory / "tuned.yaml")
    for text in assignments:
        path = text.split("=", 1)[0]
        if path in ("seed", "replications"):
            raise UsageError(f"--tuned {directory}: tuned.yaml sets {path}, which is how the experiment is played, not "
                             "a setting of a policy (a tune's best seed is only its luckiest); remove that line")  # fmt: skip
    return assignments


def with_tuned(directory: Optional[Path], sets: Optional[Sequence[str]]) -> list[str]:
    """The overrides a command plays: ``--tuned DIR``'s settings first, then its own ``--set`` (which win)."""
    return [*tuned_settings(directory), *(sets or ())]


def warn_tuned_elsewhere(directory: Optional[Path], base: Scenario) -> None:
    """Warn when ``--tuned DIR`` is applied to another scenario than the one its settings were tuned for
    (nothing without ``--tuned``).

    A warning, not a refusal: applying settings tuned for one scenario to a variant of it (a longer
    horizon, a disruption set on top) is a fair question to ask; only doing it without a word is not."""
    if directory is None:
        return
    from simjit.experiment.tune import tuned_differences

    differences = tuned_differences(directory, base)
    if differences:
        more = f" and {len(differences) - 3} more" if len(differences) > 3 else ""
        err.print("[yellow]warning[/yellow]:", end=" ")
        err.print(
            f"--tuned {directory}: its settings were tuned for another scenario than this run plays (tuned for → "
            f"now: {'; '.join(differences[:3])}{more}); they are the best the tune found there, not necessarily "
            "here (tune this scenario, with these --set values, to know)",
            markup=False,
        )
