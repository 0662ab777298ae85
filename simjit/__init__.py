"""simjit: a discrete-event supply chain simulator for comparing JIT with buffered policies."""

from typing import TYPE_CHECKING, Any

from simjit.errors import PluginError, Problem, ScenarioError, SimjitError, SimulationError, UsageError

if TYPE_CHECKING:
    from simjit.model import EventKind, SimEvent, simulate
    from simjit.scenario import Scenario, load_scenario, scenario_schema

__version__ = "0.1.0"

_LAZY = {
    "EventKind": "simjit.model",
    "SimEvent": "simjit.model",
    "simulate": "simjit.model",
    "Scenario": "simjit.scenario",
    "load_scenario": "simjit.scenario",
    "scenario_schema": "simjit.scenario",
}
"""Names offered here, imported from their layer on first use: the model imports SimPy, the scenario
layer pydantic, and ``simjit --help`` (which imports this package) needs neither."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'simjit' has no attribute {name!r}")


__all__ = [
    "EventKind",
    "PluginError",
    "Problem",
    "Scenario",
    "ScenarioError",
    "SimEvent",
    "SimjitError",
    "SimulationError",
    "UsageError",
    "__version__",
    "load_scenario",
    "scenario_schema",
    "simulate",
]
