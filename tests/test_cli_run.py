"""`simjit run` through the command line, as a user runs it: files written, numbers reproducible."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
BRAKE = ROOT / "scenarios" / "brake_plant.yaml"


def simjit(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simjit", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_run_writes_results_for_every_policy_and_replication(tmp_path: Path) -> None:
    done = simjit("run", str(BRAKE), "-n", "3", "-o", str(tmp_path), "--csv")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    table = pd.read_parquet(tmp_path / "replications.parquet")
    assert sorted(table["policy"].unique()) == ["eoq", "hybrid", "jit", "safety_stock"]
    assert len(table) == 12 and set(table["replication"]) == {0, 1, 2}
    assert {"total_cost", "fill_rate", "plant/pad.avg_on_hand", "dc/brake.fill_rate"} <= set(table.columns)
    assert pd.read_csv(tmp_path / "replications.csv").shape == table.shape
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["baseline"] == "eoq"
    assert {row["policy"] for row in summary["versus_baseline"]} == {"jit", "safety_stock", "hybrid"}
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["tasks_done"] == 12 and manifest["seed"] == 2026 and len(manifest["scenario_hash"]) == 64
    assert manifest["status"] == "complete" and manifest["plan"]["policies"] == ["jit", "eoq", "safety_stock", "hybrid"]
    assert {"simjit", "numpy", "simpy", "pandas"} <= set(manifest["versions"])
    assert "total_cost" in done.stdout and "fill_rate" in done.stdout


def test_the_tables_show_each_policy_against_the_baseline(tmp_path: Path) -> None:
    shop = ROOT / "scenarios" / "textbook_shop.yaml"
    args = ["run", str(shop), "-n", "6", "-o", str(tmp_path), "--kpi", "total_cost", "--kpi", "fill_rate"]
    done = subprocess.run([sys.executable, "-m", "simjit", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "COLUMNS": "200"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "— cost: 6 replications" in done.stdout and "— service: 6 replications" in done.stdout
    summary = json.loads((tmp_path / "summary.json").read_text())
    fill = {r["policy"]: r["mean"] for r in summary["policies"] if r["kpi"] == "fill_rate"}
    versus = {r["policy"]: r for r in summary["versus_baseline"] if r["kpi"] == "fill_rate"}
    service = done.stdout[done.stdout.index("— service:") :]
    rows = {}
    for line in service.splitlines():
        named = [token for token in line.split() if token in fill]
        if named:
            rows[named[0]] = line
    assert set(rows) == set(fill) and "baseline" in rows["eoq"]
    for policy, row in versus.items():
        assert row["n"] == 6 and rows[policy].rstrip().endswith(f"{row['p_better']:.0%}"), rows[policy]
    best = max(fill, key=fill.__getitem__)
    assert [p for p, line in rows.items() if "★" in line] == [best]
    half = {r["policy"]: (r["ci_high"] - r["ci_low"]) / 2 for r in summary["policies"] if r["kpi"] == "fill_rate"}
    for policy, line in rows.items():
        shown, width = re.search(r"([\d.,]+) ± ([\d.,]+)", line).groups()  # type: ignore[union-attr]
        unit = 0.5 * 10 ** -len(shown.split(".")[-1]) + 1e-12  # half the last shown digit: both are rounded to it
        assert half[policy] == 0 or len(width.replace(".", "").lstrip("0")) == 2, line  # two significant digits
        assert abs(float(shown) - fill[policy]) <= unit and abs(float(width) - half[policy]) <= unit, line


def test_results_do_not_depend_on_worker_count(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert simjit("run", str(BRAKE), "-n", "2", "-o", str(one), "--workers", "1").returncode == 0
    assert simjit("run", str(BRAKE), "-n", "2", "-o", str(two), "--workers", "2").returncode == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet(one / "replications.parquet"), pd.read_parquet(two / "replications.parquet")
    )


def test_seed_changes_results(tmp_path: Path) -> None:
    assert simjit("run", str(BRAKE), "-n", "2", "--policy", "eoq", "-o", str(tmp_path / "a")).returncode == 0
    assert (
        simjit("run", str(BRAKE), "-n", "2", "--policy", "eoq", "--seed", "7", "-o", str(tmp_path / "b")).returncode
        == 0
    )
    a = pd.read_parquet(tmp_path / "a" / "replications.parquet")
    b = pd.read_parquet(tmp_path / "b" / "replications.parquet")
    assert not a["total_cost"].equals(b["total_cost"])


def test_unknown_policy_is_a_clear_error() -> None:
    done = simjit("run", str(BRAKE), "-n", "1", "--policy", "kanbn")
    assert done.returncode == 2
    assert "unknown policy set 'kanbn'" in done.stderr and "Traceback" not in done.stderr


def test_readme_first_command_runs(tmp_path: Path) -> None:
    """The README's first command (after its install step) works from a fresh directory."""
    lines = (ROOT / "README.md").read_text().splitlines()
    first = next(line for line in lines if line.startswith("pip install ") and "simjit run" in line)
    command = shlex.split(first.split("&&", 1)[1])
    assert command[:2] == ["simjit", "run"]
    scenario = ROOT / command[2]
    args = [str(scenario), *command[3:]]
    out_dir = args[args.index("-o") + 1]
    args[args.index("-o") + 1] = str(tmp_path / out_dir)
    done = simjit("run", *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / out_dir / "replications.parquet").is_file()


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_line = next(line for line in readme.splitlines() if line.startswith("pip install ") and "pytest" in line)
    pattern = re.search(r"grep -m1 -E '([^']+)' README.md", ci)
    assert pattern is not None and re.match(pattern.group(1), test_line)


def test_running_again_replaces_a_finished_run(tmp_path: Path) -> None:
    assert simjit("run", str(BRAKE), "-n", "2", "--policy", "eoq", "-o", str(tmp_path)).returncode == 0
    again = simjit("run", str(BRAKE), "-n", "3", "--policy", "eoq", "-o", str(tmp_path))
    assert again.returncode == 0, again.stderr
    assert len(pd.read_parquet(tmp_path / "replications.parquet")) == 3


def test_resume_needs_an_output_directory() -> None:
    done = simjit("run", str(BRAKE), "-n", "1", "--resume")
    assert done.returncode == 2 and "--resume needs -o DIR" in done.stderr


def test_dask_local_through_the_command_line(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    done = simjit(
        "run", str(BRAKE), "-n", "2", "--policy", "jit", "-o", str(tmp_path), "--dask", "local", "--workers", "2"
    )
    assert done.returncode == 0, done.stderr
    assert len(pd.read_parquet(tmp_path / "replications.parquet")) == 2


@pytest.mark.parametrize("name", ["validate", "schema", "run", "sweep"])
def test_help_of_each_command(name: str) -> None:
    done = simjit(name, "--help")
    assert done.returncode == 0 and "Usage" in done.stdout
