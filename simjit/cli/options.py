"""The options commands share, declared once: their flags and help (``Annotated`` types read by ``params``), and
:class:`PlayOptions`, what ``run`` and ``sweep`` take, with the checks that need no scenario."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

from simjit.cli.params import Opt
from simjit.errors import UsageError

__all__ = [
    "BatchSize",
    "Csv",
    "Dask",
    "DaskAddress",
    "Force",
    "Kpis",
    "MaxReplications",
    "Output",
    "OutsideFiles",
    "PlayOptions",
    "Plugins",
    "Policies",
    "PrecisionOpt",
    "Quiet",
    "Replications",
    "Report",
    "Resume",
    "Seed",
    "SetOption",
    "Timeout",
    "Tuned",
    "Workers",
]

SetOption = Annotated[
    Optional[list[str]],
    Opt(
        "--set", metavar="PATH=VALUE", help="Override a field: dotted.path=value (repeatable), e.g. --set horizon=730."
    ),
]
Replications = Annotated[Optional[int], Opt("-n", "--replications", metavar="N", help="Replications per policy.")]
Policies = Annotated[
    Optional[list[str]], Opt("--policy", metavar="NAME", help="Policy set to run (repeatable; default all).")
]
Output = Annotated[Optional[Path], Opt("-o", "--output", metavar="DIR", help="Directory for result files.")]
Workers = Annotated[
    Optional[int], Opt("--workers", metavar="N", help="Processes (default: all cores; 1 = in this process).")
]

_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
"""Protocols a Dask scheduler listens on across machines (``inproc://`` exists only inside one process)."""


class DaskAddress(str):
    """``--dask``: 'local', or a scheduler's address with its port (``tcp://host:8786``, ``host:8786``), checked
    as the option is read: an empty or portless address would fail deep inside distributed."""

    def __new__(cls, text: str) -> DaskAddress:
        address = text.strip()
        scheme, sep, rest = address.partition("://")
        scheme, rest = (scheme, rest) if sep else ("tcp", address)
        if address != "local" and (scheme not in _SCHEMES or not re.fullmatch(r".+:\d+", rest)):
            raise argparse.ArgumentTypeError(
                f"expected 'local' or a scheduler's address with its port (tcp://host:8786), got {text!r}"
            )
        return super().__new__(cls, address)


Dask = Annotated[
    Optional[DaskAddress],
    Opt("--dask", metavar="ADDRESS", help="Run on a Dask cluster: its scheduler address, or 'local'."),
]
Seed = Annotated[Optional[int], Opt("--seed", metavar="N", help="Root seed (overrides the scenario's).")]
Csv = Annotated[bool, Opt("--csv", help="Also write replications.csv and disruptions.csv.")]
Plugins = Annotated[bool, Opt("--allow-plugins", help="Allow python: policies to run their code.")]
Resume = Annotated[
    bool,
    Opt("--resume", help="Complete the run in -o DIR, or extend it to -n N replications in all."),
]
PrecisionOpt = Annotated[
    Optional[list[str]],
    Opt(
        "--precision",
        metavar="KPI=REL",
        help="KPI=REL: add replications until each policy's 95% CI is ±REL of the mean.",
    ),
]
MaxReplications = Annotated[int, Opt("--max-replications", metavar="N", help="Cap for --precision.")]
BatchSize = Annotated[Optional[int], Opt("--batch-size", metavar="N", help="Tasks per batch (default: automatic).")]
Kpis = Annotated[Optional[list[str]], Opt("--kpi", metavar="KPI", help="KPI to show in the table (repeatable).")]
Force = Annotated[
    bool, Opt("--force", help="Write into -o DIR even if it holds a run or other files (replaces the run).")
]
Timeout = Annotated[
    float,
    Opt(
        "--timeout",
        metavar="SECONDS",
        help="Seconds one replication may take before it is stopped and reported as failed.",
    ),
]
OutsideFiles = Annotated[bool, Opt("--allow-outside-files", help="Let trace: files lie outside the scenario's folder.")]
Quiet = Annotated[bool, Opt("--quiet", "-q", help="Do not print the scenario's warnings.")]
Report = Annotated[bool, Opt("--report", help="At the end, write the HTML report of the run to -o DIR/report.html.")]
Tuned = Annotated[
    Optional[Path],
    Opt(
        "--tuned", metavar="DIR", help="Apply the settings simjit tune -o DIR chose (DIR/tuned.yaml), before any --set."
    ),
]


@dataclass
class PlayOptions:
    """What ``run`` and ``sweep`` share (every option but the scenario file and ``--vary``)."""

    replications: Optional[int]
    policy: Optional[list[str]]
    output: Optional[Path]
    workers: Optional[int]
    dask: Optional[str]
    seed: Optional[int]
    csv: bool
    allow_plugins: bool
    set_: Optional[list[str]]
    resume: bool
    precision: Optional[list[str]]
    max_replications: int
    batch_size: Optional[int]
    kpi: Optional[list[str]]
    force: bool = False
    timeout: float = 600.0
    allow_outside_files: bool = False
    quiet: bool = False
    reference: Optional[str] = None
    report: bool = False
    tuned: Optional[Path] = None

    def check(self) -> None:
        """Refuse options that cannot work together or whose count is below 1, before reading the scenario."""
        if self.resume and self.output is None:
            raise UsageError("--resume needs -o DIR: the directory of the run to complete")
        for option, value, what in (("--workers", self.workers, "process"), ("--batch-size", self.batch_size, "task")):
            if value is not None and value < 1:
                raise UsageError(f"{option}: expected at least 1 {what}, got {value}")
        if not self.timeout > 0:
            raise UsageError(f"--timeout: expected a number of seconds > 0, got {self.timeout:g}")
        if self.report and self.output is None:
            raise UsageError("--report needs -o DIR: the report is written to DIR/report.html, beside the results")
        if self.force and self.resume:
            raise UsageError("--force and --resume contradict each other: --resume keeps the run, --force replaces it")
