"""Users' policy plug-ins: never run without permission, validated params, entry points, the worked example."""

from __future__ import annotations

import json
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


def _shop_with(tmp_path: Path, class_ref: str, params: dict[str, object], module: str = "") -> Path:
    """A copy of the worked example whose ``capped`` policy names ``class_ref``; ``module`` is
    written beside it as ``mine.py``."""
    if module:
        (tmp_path / "mine.py").write_text(module, encoding="utf-8")
    text = EXAMPLE.read_text(encoding="utf-8").replace("capped_base_stock:CappedBaseStock", class_ref)
    text = text.replace("params: {level: 60, cap: 25}", f"params: {json.dumps(params)}")
    path = tmp_path / "shop.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_installed_callable_is_never_called(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    s = load_scenario(_shop_with(tmp_path, "subprocess:Popen", {"args": ["touch", str(marker)]}))
    with pytest.raises(PluginError, match=r"no subprocess\.py beside the scenario"):
        run_replication(s, "capped", 0, allow_plugins=True)
    assert not marker.exists()


def test_a_class_without_decide_is_refused_before_it_is_built(tmp_path: Path) -> None:
    marker = tmp_path / "built"
    module = f"class NotAPolicy:\n    def __init__(self, **kw):\n        open({str(marker)!r}, 'w').close()\n"
    s = load_scenario(_shop_with(tmp_path, "mine:NotAPolicy", {}, module))
    with pytest.raises(PluginError, match=r"mine:NotAPolicy is not a policy: the class has no decide"):
        run_replication(s, "capped", 0, allow_plugins=True)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ("review_period = 0\n    history = 0", r"review_period must be None .* or a number of days > 0, got 0"),
        ("review_period = None\n    history = -1", r"history must be a whole number of days >= 0, got -1"),
    ],
)
def test_a_policy_that_would_hang_or_misread_is_refused(tmp_path: Path, attributes: str, message: str) -> None:
    module = f"class Spin:\n    {attributes}\n\n    def decide(self, view):\n        return None\n"
    s = load_scenario(_shop_with(tmp_path, "mine:Spin", {}, module))
    with pytest.raises(PluginError, match=message):
        run_replication(s, "capped", 0, allow_plugins=True)


def test_a_plugin_module_that_fails_to_import_is_named(tmp_path: Path) -> None:
    s = load_scenario(_shop_with(tmp_path, "mine:Broken", {}, "class Broken:\n    def decide(self, view)\n"))
    with pytest.raises(PluginError, match=r"the plug-in module 'mine' fails as it is imported: SyntaxError"):
        run_replication(s, "capped", 0, allow_plugins=True)
