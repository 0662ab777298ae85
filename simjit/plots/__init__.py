"""Figures of results tables and traces: matplotlib ``Figure`` objects drawn without pyplot's global
state (no GUI backend needed), usable in notebooks, the report and the CLI.

Every figure draws each policy in one style fixed by its place in the run's policy order: pass
``policies=results.policies`` (or ``plan.policies``) to keep the colours identical across figures
of one run; by default the order is that of the table (a run's tables are in plan order) or, for
traces, the scenario's.
"""

from simjit.plots.resilience import daily_fill_rate, resilience_profile
from simjit.plots.save import save_figure
from simjit.plots.style import PolicyStyle, policy_styles
from simjit.plots.trajectory import inventory_trajectory

__all__ = [
    "PolicyStyle",
    "daily_fill_rate",
    "inventory_trajectory",
    "policy_styles",
    "resilience_profile",
    "save_figure",
]
