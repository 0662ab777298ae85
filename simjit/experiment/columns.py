"""Result column names: the contract that plots, reports and notebooks read."""

from __future__ import annotations

from simjit.model.ledger import KPIS

__all__ = ["ID_COLUMNS", "KPIS", "LOWER_IS_BETTER", "POLICY", "REPLICATION", "VARIANT", "point_column"]

VARIANT = "variant"
POLICY = "policy"
REPLICATION = "replication"
ID_COLUMNS = (VARIANT, POLICY, REPLICATION)

LOWER_IS_BETTER = frozenset(k for k in KPIS if k not in ("fill_rate", "cycle_service_level", "demand"))
"""KPIs where a smaller value is the better one (costs, stock, waiting, lost sales…)."""


def point_column(site: str, item: str, kpi: str) -> str:
    """The column of ``kpi`` at stock point ``site/item``."""
    return f"{site}/{item}.{kpi}"
