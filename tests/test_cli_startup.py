"""Start-up: the command loads heavy packages only when it plays something (STYLE rule 15).

``simjit --help`` and ``simjit validate`` load no pandas, numpy, scipy, simpy or pyarrow; ``simjit run``
loads scipy only once the replications are done. Each probe is a fresh interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "scipy", "simpy", "pyarrow", "matplotlib", "dask", "distributed", "optuna")
BUNDLED = [str(p) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]


def heavy_after(code: str) -> list[str]:
    """The heavy packages loaded in a fresh interpreter once ``code`` has run."""
    report = f'print("\\nloaded:", json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))))'
    probe = f"import json, sys\n{code}\n{report}\n"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.rsplit("loaded:", 1)[1])


@pytest.mark.parametrize(
    "args",
    [None, ["--help"], ["run", "--help"], ["validate", *BUNDLED], ["schema"]],
    ids=["import", "help", "run-help", "validate", "schema"],
)
def test_the_command_starts_without_heavy_packages(args: list[str] | None) -> None:
    call = "" if args is None else f"from simjit.cli import main; main({args!r})"
    assert heavy_after(f"import simjit.cli\n{call}") == []


def test_the_experiment_layer_loads_scipy_only_for_statistics() -> None:
    loaded = heavy_after("import simjit.experiment")
    assert "scipy" not in loaded and {"pandas", "simpy"} <= set(loaded)


def test_tuning_loads_optuna_only_when_a_large_space_is_searched() -> None:
    assert "optuna" not in heavy_after("import simjit.experiment.tune")
