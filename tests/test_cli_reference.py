"""``simjit sweep --reference POINT``: every point against the reference, paired by replication."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

from simjit.experiment import sweep_reference_table
from simjit.experiment.cells import rounded

BRAKE = Path(__file__).resolve().parent.parent / "scenarios" / "brake_plant.yaml"
SWEEP = ["sweep", str(BRAKE), "--vary", "suppliers.pads_asia.disruptions.0.duration=0:30:15", "--policy", "jit",
         "--policy", "eoq", "-n", "4", "--set", "horizon=200", "--kpi", "total_cost"]  # fmt: skip


def simjit(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "simjit", *args], capture_output=True, text=True, timeout=300, env=env)


def test_the_reference_table_shows_the_paired_differences(tmp_path: Path) -> None:
    done = simjit(*SWEEP, "--reference", "duration=0", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    table = sweep_reference_table(pd.read_parquet(tmp_path / "replications.parquet"), "total_cost", "duration=0")
    text = done.stdout[done.stdout.index("total_cost against duration=0") :]
    assert "paired by replication, 4 per point, 95% CI" in text
    for row in table[table["variant"] != "duration=0"].itertuples():
        half = (row.ci_high - row.ci_low) / 2
        mid, low, high = rounded(half, row.diff, row.ci_low, row.ci_high)
        line = next(line for line in text.splitlines() if line.strip().startswith(str(row.variant)))
        assert f"{mid} [{low}, {high}]" in line
    assert text.count("reference") >= 2  # the reference point's own row


def test_a_reference_that_is_not_a_point_is_refused_before_anything_runs(tmp_path: Path) -> None:
    done = simjit(*SWEEP, "--reference", "duration=7", "-o", str(tmp_path))
    assert done.returncode == 2
    assert "error: --reference duration=7: suppliers.pads_asia.disruptions.0.duration=7 is not a point" in done.stderr
    assert not (tmp_path / "manifest.json").exists()
    run = simjit("run", str(BRAKE), "-n", "1", "--reference", "duration=0")
    assert run.returncode == 2 and "no such option: --reference" in run.stderr
