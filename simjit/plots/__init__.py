"""Figures of results tables and traces: matplotlib ``Figure`` objects drawn without pyplot's global
state (no GUI backend needed), usable in notebooks, the report and the CLI.

Every figure draws each policy in one style fixed by its place in the run's policy order: pass
``policies=results.policies`` (or ``plan.policies``) to keep the colours identical across figures
of one run; by default the order is that of the table (a run's tables are in plan order) or, for
traces, the scenario's.
"""

from simjit.plots.costs import cost_breakdown
from simjit.plots.distributions import kpi_distribution
from simjit.plots.forest import paired_differences
from simjit.plots.frontier import tradeoff_frontier
from simjit.plots.resilience import daily_fill_rate, resilience_profile
from simjit.plots.save import save_figure
from simjit.plots.style import PolicyStyle, policy_styles
from simjit.plots.sweep import sweep_difference, sweep_response, tune_response
from simjit.plots.trajectory import inventory_trajectory

__all__ = [
    "PolicyStyle",
    "cost_breakdown",
    "daily_fill_rate",
    "inventory_trajectory",
    "kpi_distribution",
    "paired_differences",
    "policy_styles",
    "resilience_profile",
    "save_figure",
    "sweep_difference",
    "sweep_response",
    "tradeoff_frontier",
    "tune_response",
]
