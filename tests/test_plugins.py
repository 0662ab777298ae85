"""Users' policy plug-ins: never run without permission, validated params, entry points, the worked example."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from simjit import PluginError, load_scenario
from simjit.model import run_replication
from simjit.testing import check_policy

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "plugins" / "plugin_shop.yaml"


def simjit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simjit", *args], capture_output=True, text=True, timeout=300)


def test_a_scenario_alone_never_runs_plugin_code() -> None:
    done = simjit("run", str(EXAMPLE), "-n", "1")
    assert done.returncode == 2
    assert "run with --allow-plugins" in done.stderr and "Traceback" not in done.stderr


def test_the_worked_example_runs_with_permission(tmp_path: Path) -> None:
    done = simjit("run", str(EXAMPLE), "-n", "2", "--allow-plugins", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "replications.parquet").is_file()


def test_the_example_class_passes_the_conformance_suite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLE.parent))
    from capped_base_stock import CappedBaseStock  # type: ignore[import-not-found]

    check_policy(CappedBaseStock, {"level": 60, "cap": 25})


def test_params_are_validated_by_the_class_model() -> None:
    s = load_scenario(EXAMPLE, ["policies.capped.default.python.params.cap=-5"])
    with pytest.raises(
        PluginError, match=r"capped_base_stock:CappedBaseStock: invalid params: cap: Input should be greater than 0"
    ):
        run_replication(s, "capped", 0, allow_plugins=True)


def test_a_missing_module_is_named() -> None:
    s = load_scenario(EXAMPLE, ["policies.capped.default.python.class=no_such_module:Policy"])
    with pytest.raises(PluginError, match="cannot import the plug-in module 'no_such_module'"):
        run_replication(s, "capped", 0, allow_plugins=True)


def test_an_installed_entry_point_needs_no_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLE.parent))
    installed = [EntryPoint("capped", "capped_base_stock:CappedBaseStock", "simjit.policies")]
    monkeypatch.setattr(
        "simjit.policies.plugins.entry_points", lambda group: installed if group == "simjit.policies" else []
    )
    s = load_scenario(EXAMPLE)
    capped = run_replication(s, "capped", 0)
    assert capped["fill_rate"] > 0.9
    assert capped["demand"] == run_replication(s, "base_stock", 0)["demand"]  # same demand: common random numbers
