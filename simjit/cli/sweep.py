"""``simjit sweep FILE --vary path=values…``: every policy set at every point of a parameter grid."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

from simjit.cli.options import (
    BatchSize,
    Csv,
    Dask,
    Force,
    Kpis,
    MaxReplications,
    Output,
    OutsideFiles,
    PlayOptions,
    Plugins,
    Policies,
    PrecisionOpt,
    Quiet,
    Replications,
    Report,
    Resume,
    Seed,
    SetOption,
    Timeout,
    Tuned,
    Workers,
)
from simjit.cli.params import Arg, Opt
from simjit.cli.play import play

__all__ = ["sweep"]

Reference = Annotated[
    Optional[str],
    Opt(
        "--reference",
        metavar="PATH=VALUE",
        help="A point to compare every other with, e.g. duration=0: the paired difference per policy (with CI).",
    ),
]
Vary = Annotated[
    list[str],
    Opt(
        "--vary",
        metavar="PATH=VALUES",
        help="dotted.path=v1,v2,… or dotted.path=start:stop:step (repeatable: all combinations).",
        show_default=False,
    ),
]


def sweep(
    scenario_file: Annotated[Path, Arg(metavar="SCENARIO", help="The scenario to vary.")],
    vary: Vary,
    replications: Replications = None,
    policy: Policies = None,
    output: Output = None,
    workers: Workers = None,
    dask: Dask = None,
    seed: Seed = None,
    csv: Csv = False,
    allow_plugins: Plugins = False,
    set_: SetOption = None,
    resume: Resume = False,
    precision: PrecisionOpt = None,
    max_replications: MaxReplications = 1000,
    batch_size: BatchSize = None,
    kpi: Kpis = None,
    force: Force = False,
    timeout: Timeout = 600.0,
    allow_outside_files: OutsideFiles = False,
    quiet: Quiet = False,
    reference: Reference = None,
    report: Report = False,
    tuned: Tuned = None,
) -> None:
    """Play every policy set at every point of a parameter grid (each point a variant, same random numbers)."""
    options = {k: v for k, v in locals().items() if k not in ("scenario_file", "vary")}
    play(scenario_file, vary, PlayOptions(**options))
