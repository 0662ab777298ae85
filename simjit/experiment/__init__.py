"""Monte Carlo experiments: plans of replications, runners, statistics of the results."""

from simjit.experiment.columns import ID_COLUMNS, KPIS, LOWER_IS_BETTER, point_column
from simjit.experiment.runner import Task, plan, run_experiment
from simjit.experiment.statistics import compare, describe, mean_ci

__all__ = [
    "ID_COLUMNS",
    "KPIS",
    "LOWER_IS_BETTER",
    "Task",
    "compare",
    "describe",
    "mean_ci",
    "plan",
    "point_column",
    "run_experiment",
]
