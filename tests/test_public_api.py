"""The public API is short and pinned (STYLE rule 3); importing simjit has no side effects (rule 15).

Changing a pinned ``__all__`` is a decision about users' code: update the set here on purpose.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PINNED: dict[str, set[str]] = {
    "simjit": {
        "EventKind",
        "PluginError",
        "Problem",
        "Scenario",
        "ScenarioError",
        "SimjitError",
        "SimEvent",
        "SimulationError",
        "UsageError",
        "__version__",
        "load_scenario",
        "scenario_schema",
        "simulate",
    },
    "simjit.errors": {"PluginError", "Problem", "ScenarioError", "SimjitError", "SimulationError", "UsageError"},
    "simjit.scenario": {
        "DISTRIBUTION_KINDS",
        "FORECAST_KINDS",
        "POLICY_KINDS",
        "Costs",
        "Demand",
        "Disruption",
        "Distribution",
        "Event",
        "Forecast",
        "Item",
        "Line",
        "OnStockout",
        "PolicySet",
        "PolicySpec",
        "Scenario",
        "Site",
        "StockPoint",
        "Supplier",
        "WaitUpTo",
        "distribution_mean",
        "distribution_sd",
        "load_scenario",
        "scenario_schema",
        "source_kind",
    },
    "simjit.random": {"BLOCK", "Sampler", "sampler", "stream", "stream_key"},
}

HEAVY = ("simpy", "matplotlib", "dask", "distributed", "rich")
"""Loaded only by the layer that needs them, when it is imported (never by ``import simjit``)."""

PACKAGES = sorted(
    ".".join(p.relative_to(ROOT).parent.parts) for p in (ROOT / "simjit").rglob("__init__.py") if p.stat().st_size
)
"""Every simjit package with a non-empty ``__init__.py``."""


@pytest.mark.parametrize("module", PINNED)
def test_all_is_pinned(module: str) -> None:
    names = importlib.import_module(module).__all__
    assert len(names) == len(set(names)), f"{module}.__all__ repeats a name"
    assert set(names) == PINNED[module], (
        f"{module}.__all__ changed: added {sorted(set(names) - PINNED[module])}, "
        f"removed {sorted(PINNED[module] - set(names))}"
    )


def test_top_level_re_exports_are_the_same_objects() -> None:
    import simjit
    import simjit.errors
    import simjit.model
    import simjit.scenario

    for name in PINNED["simjit"] - {"__version__"}:
        source = simjit.errors if name in PINNED["simjit.errors"] else simjit.scenario
        source = simjit.model if name in ("EventKind", "SimEvent", "simulate") else source
        assert getattr(simjit, name) is getattr(source, name), name
    assert isinstance(simjit.__version__, str) and simjit.__version__


def _assigns_all(path: Path) -> bool:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            return True
    return False


@pytest.mark.parametrize("package", PACKAGES)
def test_each_layer_lists_its_public_names(package: str) -> None:
    init = ROOT.joinpath(*package.split(".")) / "__init__.py"
    assert _assigns_all(init), f"{init.relative_to(ROOT)} does not list its public names in __all__"
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing, f"{package}.__all__ names what it does not define: {missing}"
    assert len(module.__all__) == len(set(module.__all__)), f"{package}.__all__ repeats a name"


_PROBE = textwrap.dedent(
    """
    import io, json, logging, multiprocessing, sys, warnings
    import numpy as np

    before = np.random.get_state()[1].tolist()
    out, err = io.StringIO(), io.StringIO()
    sys.stdout, sys.stderr = out, err
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import simjit, simjit.errors, simjit.random, simjit.scenario
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    print(json.dumps({
        "heavy": sorted(m for m in sys.modules if m.split(".")[0] in HEAVY),
        "printed": out.getvalue() + err.getvalue(),
        "warnings": [f"{w.filename}:{w.lineno}: {w.message}" for w in caught if "simjit" in w.filename],
        "start_method": multiprocessing.get_start_method(allow_none=True),
        "log_handlers": len(logging.getLogger().handlers),
        "numpy_state_changed": np.random.get_state()[1].tolist() != before,
    }))
    """
)


@pytest.fixture(scope="module")
def fresh_import() -> dict[str, object]:
    """What ``import simjit`` (and its light layers) does to a fresh interpreter."""
    code = f"HEAVY = {HEAVY!r}\n{_PROBE}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_import_loads_no_heavy_dependency(fresh_import: dict[str, object]) -> None:
    assert fresh_import["heavy"] == [], f"import simjit loaded {fresh_import['heavy']}; import them lazily"


def test_import_has_no_side_effects(fresh_import: dict[str, object]) -> None:
    assert fresh_import["printed"] == ""
    assert fresh_import["warnings"] == []
    assert fresh_import["start_method"] is None, "importing simjit set the multiprocessing start method"
    assert fresh_import["log_handlers"] == 0, "importing simjit configured logging"
    assert fresh_import["numpy_state_changed"] is False, "importing simjit drew from numpy's global generator"


def test_probe_sees_a_heavy_import() -> None:
    # The probe itself can fail: importing a layer that needs simpy shows up.
    code = f"HEAVY = {HEAVY!r}\nimport simpy\n{_PROBE}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert "simpy" in json.loads(done.stdout)["heavy"]
