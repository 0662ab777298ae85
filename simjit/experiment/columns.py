"""Result column names: the contract that plots, reports and notebooks read."""

from __future__ import annotations

from simjit.model.ledger import KPIS

__all__ = [
    "ID_COLUMNS",
    "KPIS",
    "LOWER_IS_BETTER",
    "POLICY",
    "REPLICATION",
    "VARIANT",
    "kpi_of",
    "lower_is_better",
    "point_column",
]

VARIANT = "variant"
POLICY = "policy"
REPLICATION = "replication"
ID_COLUMNS = (VARIANT, POLICY, REPLICATION)

LOWER_IS_BETTER = frozenset(k for k in KPIS if k not in ("fill_rate", "cycle_service_level", "demand"))
"""KPIs where a smaller value is the better one (costs, stock, waiting, lost sales…)."""


def point_column(site: str, item: str, kpi: str) -> str:
    """The column of ``kpi`` at stock point ``site/item``."""
    return f"{site}/{item}.{kpi}"


def kpi_of(column: str) -> str:
    """The KPI a column holds: ``dc/brake.fill_rate`` → ``fill_rate``; a network KPI is itself."""
    return column.rsplit(".", 1)[-1] if "/" in column else column


def lower_is_better(column: str) -> bool:
    """Whether a smaller value of this KPI column (network or per stock point) is the better one."""
    return kpi_of(column) in LOWER_IS_BETTER
