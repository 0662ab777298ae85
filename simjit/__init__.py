"""simjit: a discrete-event supply chain simulator for comparing JIT with buffered policies."""

from typing import Any

from simjit.errors import PluginError, Problem, ScenarioError, SimjitError, SimulationError, UsageError
from simjit.scenario import Scenario, load_scenario, scenario_schema

__version__ = "0.1.0"

_MODEL = ("EventKind", "SimEvent", "simulate")
"""Names of the model layer offered here, imported on first use (the model imports SimPy)."""


def __getattr__(name: str) -> Any:
    if name in _MODEL:
        import simjit.model

        return getattr(simjit.model, name)
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
