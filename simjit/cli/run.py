"""``simjit run FILE``: every policy set over common random numbers, compared with the baseline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
from simjit.cli.params import Arg
from simjit.cli.play import play

__all__ = ["run"]


def run(
    scenario_file: Annotated[Path, Arg(metavar="SCENARIO", help="The scenario to play.")],
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
    report: Report = False,
    tuned: Tuned = None,
) -> None:
    """Play every policy set over common random numbers and compare them with the baseline."""
    play(scenario_file, (), PlayOptions(**{k: v for k, v in locals().items() if k != "scenario_file"}))
