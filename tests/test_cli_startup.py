"""Start-up: the command loads heavy packages only when it plays something (STYLE rule 15).

``simjit --help`` and ``simjit validate`` load no pandas, numpy, scipy, simpy or pyarrow (``--help``
not even pydantic); ``simjit run`` reaches its first replication with numpy and SimPy alone, and
loads pyarrow, pandas and scipy only to store and summarise results. Each probe is a fresh
interpreter; the time these take is measured in ``benchmarks/startup.py``, not here.
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


def probe(code: str, heavy: tuple[str, ...] = HEAVY) -> tuple[str, list[str]]:
    """What ``code`` printed in a fresh interpreter, and the ``heavy`` packages loaded once it has run."""
    report = f'print("\\nloaded:", json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))))'
    program = f"import json, sys\n{code}\n{report}\n"
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    printed, loaded = done.stdout.rsplit("loaded:", 1)
    return printed, json.loads(loaded)


def heavy_after(code: str, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """The ``heavy`` packages loaded in a fresh interpreter once ``code`` has run."""
    return probe(code, heavy)[1]


@pytest.mark.parametrize(
    "args",
    [None, ["--help"], ["run", "--help"], ["validate", *BUNDLED], ["schema"]],
    ids=["import", "help", "run-help", "validate", "schema"],
)
def test_the_command_starts_without_heavy_packages(args: list[str] | None) -> None:
    call = "" if args is None else f"from simjit.cli import main; main({args!r})"
    assert heavy_after(f"import simjit.cli\n{call}") == []


def test_help_loads_no_validation_library() -> None:
    assert "pydantic" not in heavy_after("from simjit.cli import main; main(['--help'])", ("pydantic",))


def test_the_experiment_layer_loads_its_modules_on_first_use() -> None:
    assert heavy_after("import simjit.experiment") == []
    assert heavy_after("from simjit.experiment import Plan, execute") == ["numpy", "simpy"]


def test_run_reaches_its_first_replication_with_numpy_and_simpy_alone(tmp_path: Path) -> None:
    """What ``simjit run`` has loaded when its first replication starts (played in this process),
    and what it loads to store and summarise the results."""
    shop, out = BUNDLED[-1], str(tmp_path / "out")
    code = f"""
import simjit.experiment.worker as worker
first = []
played = worker.simulate
def simulate(*args, **kwargs):
    if not first:
        first.extend(sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r})))
    return played(*args, **kwargs)
worker.simulate = simulate
from simjit.cli import main
assert main(["run", {shop!r}, "-n", "2", "--workers", "1", "-q", "-o", {out!r}]) == 0
print("first:", json.dumps(first))
"""
    printed, after = probe(code)
    assert json.loads(printed.split("first:", 1)[1]) == ["numpy", "simpy"]
    assert {"pandas", "pyarrow", "scipy"} <= set(after)


def test_tuning_loads_optuna_only_when_a_large_space_is_searched() -> None:
    assert "optuna" not in heavy_after("import simjit.experiment.tune")


def test_only_the_console_script_tunes_the_garbage_collector(capsys: pytest.CaptureFixture[str]) -> None:
    """``entry`` (the ``simjit`` process) collects in larger batches and freezes at exit; ``main`` called from a
    notebook or a test leaves the caller's collector as it was."""
    import gc

    from simjit.cli import main

    before = gc.get_threshold(), gc.get_freeze_count()
    assert main(["validate", BUNDLED[0]]) == 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
    printed, _ = probe(
        f"import gc\nfrom simjit.cli import entry\nsys.argv = ['simjit', 'validate', {BUNDLED[0]!r}]\n"
        "try:\n    entry()\nexcept SystemExit as exit:\n"
        "    print('exit', exit.code, gc.get_threshold()[0], gc.get_freeze_count() > 10_000)"
    )
    assert printed.strip().splitlines()[-1] == "exit 0 50000 True"
