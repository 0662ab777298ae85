"""simjit: a discrete-event supply chain simulator for comparing JIT with buffered policies."""

from simjit.errors import PluginError, Problem, ScenarioError, SimjitError, SimulationError, UsageError
from simjit.scenario import Scenario, load_scenario, scenario_schema

__version__ = "0.1.0"

__all__ = [
    "PluginError",
    "Problem",
    "Scenario",
    "ScenarioError",
    "SimjitError",
    "SimulationError",
    "UsageError",
    "__version__",
    "load_scenario",
    "scenario_schema",
]
