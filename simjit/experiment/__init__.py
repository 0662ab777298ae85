"""Monte Carlo experiments: plans, backends, a resumable results store, sweeps and statistics."""

from simjit.experiment.backends import Backend, ProcessBackend, SerialBackend, available_cores, make_backend
from simjit.experiment.columns import ID_COLUMNS, KPIS, LOWER_IS_BETTER, lower_is_better, point_column
from simjit.experiment.dask_backend import DaskBackend
from simjit.experiment.manifest import Manifest, Status
from simjit.experiment.plan import Plan, Task, Variant
from simjit.experiment.precision import Precision
from simjit.experiment.results import Results, open_results
from simjit.experiment.runner import Outcome, execute, run_experiment
from simjit.experiment.statistics import compare, describe, mean_ci, rank
from simjit.experiment.store import ResultStore
from simjit.experiment.study import Study, load_study
from simjit.experiment.sweep import parse_vary, sweep_variants
from simjit.experiment.sweep_reference import sweep_reference_table
from simjit.experiment.worker import Failure

__all__ = [
    "ID_COLUMNS",
    "KPIS",
    "LOWER_IS_BETTER",
    "Backend",
    "DaskBackend",
    "Failure",
    "Manifest",
    "Outcome",
    "Plan",
    "Precision",
    "ProcessBackend",
    "ResultStore",
    "Results",
    "SerialBackend",
    "Status",
    "Study",
    "Task",
    "Variant",
    "available_cores",
    "compare",
    "describe",
    "execute",
    "load_study",
    "lower_is_better",
    "make_backend",
    "mean_ci",
    "open_results",
    "parse_vary",
    "point_column",
    "rank",
    "run_experiment",
    "sweep_reference_table",
    "sweep_variants",
]
