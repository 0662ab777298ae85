"""Monte Carlo experiments: plans, backends, a resumable results store, sweeps and statistics.

Each name is imported from its module on first use (PEP 562): ``simjit run`` reaches its first
replication without loading pandas, which only the statistics and result tables need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simjit.experiment.backends import Backend, SerialBackend, available_cores, make_backend
    from simjit.experiment.columns import ID_COLUMNS, KPIS, LOWER_IS_BETTER, lower_is_better, point_column
    from simjit.experiment.dask_backend import DaskBackend
    from simjit.experiment.manifest import Manifest, Status
    from simjit.experiment.plan import Plan, Task, Variant
    from simjit.experiment.precision import Precision
    from simjit.experiment.process_backend import ProcessBackend
    from simjit.experiment.results import Results, open_results
    from simjit.experiment.runner import Outcome, execute, run_experiment
    from simjit.experiment.statistics import compare, describe, mean_ci, rank
    from simjit.experiment.store import ResultStore
    from simjit.experiment.study import Study, load_study
    from simjit.experiment.sweep import parse_vary, sweep_variants
    from simjit.experiment.sweep_reference import sweep_reference_table
    from simjit.experiment.trace import Trace, trace_replication
    from simjit.experiment.tune import TuneOutcome, tune_policy
    from simjit.experiment.worker import Failure

_WHERE = {
    "backends": ("Backend", "SerialBackend", "available_cores", "make_backend"),
    "columns": ("ID_COLUMNS", "KPIS", "LOWER_IS_BETTER", "lower_is_better", "point_column"),
    "dask_backend": ("DaskBackend",),
    "manifest": ("Manifest", "Status"),
    "plan": ("Plan", "Task", "Variant"),
    "precision": ("Precision",),
    "process_backend": ("ProcessBackend",),
    "results": ("Results", "open_results"),
    "runner": ("Outcome", "execute", "run_experiment"),
    "statistics": ("compare", "describe", "mean_ci", "rank"),
    "store": ("ResultStore",),
    "study": ("Study", "load_study"),
    "sweep": ("parse_vary", "sweep_variants"),
    "sweep_reference": ("sweep_reference_table",),
    "tune": ("TuneOutcome", "tune_policy"),
    "trace": ("Trace", "trace_replication"),
    "worker": ("Failure",),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found once: later look-ups do not come here
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULE_OF])


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
    "Trace",
    "TuneOutcome",
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
    "trace_replication",
    "tune_policy",
]
