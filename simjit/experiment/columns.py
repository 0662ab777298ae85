"""Result column names: the contract that plots, reports and notebooks read.

What a KPI column means and which way it improves comes from the KPI catalogue
(:mod:`simjit.model.catalogue`); this module only names the columns and reads the catalogue.
"""

from __future__ import annotations

from simjit.model.catalogue import CATALOGUE, KPIS, TOTAL_COST_PARTS, Kpi, kpi
from simjit.model.resilience import EVENT_COLUMNS
from simjit.scenario.models import Scenario

__all__ = [
    "EVENT_COLUMNS",
    "ID_COLUMNS",
    "KPIS",
    "LOWER_IS_BETTER",
    "POLICY",
    "REPLICATION",
    "TOTAL_COST_PARTS",
    "VARIANT",
    "better",
    "catalogued",
    "kpi_columns",
    "kpi_of",
    "lower_is_better",
    "point_column",
    "sums_unlike_units",
]

VARIANT = "variant"
POLICY = "policy"
REPLICATION = "replication"
ID_COLUMNS = (VARIANT, POLICY, REPLICATION)

LOWER_IS_BETTER = frozenset(k.name for k in CATALOGUE if k.better == "lower")
"""KPIs where a smaller value is the better one (costs, stock, waiting, lost sales…)."""


def point_column(site: str, item: str, kpi: str) -> str:
    """The column of ``kpi`` at stock point ``site/item``."""
    return f"{site}/{item}.{kpi}"


def kpi_columns(scenario: Scenario) -> list[str]:
    """Every KPI column a run of ``scenario`` writes: the network's, then each stock point's."""
    return [*KPIS, *(point_column(site, item, k) for site, item in scenario.stock_points() for k in KPIS)]


def kpi_of(column: str) -> str:
    """The KPI a column holds: ``dc/brake.fill_rate`` → ``fill_rate``; a network KPI is itself."""
    return column.rsplit(".", 1)[-1] if "/" in column else column


def catalogued(column: str) -> Kpi | None:
    """The catalogue entry of a KPI column, or None for a column the catalogue does not know."""
    try:
        return kpi(column)
    except KeyError:
        return None


def better(column: str) -> str | None:
    """``"lower"``, ``"higher"`` or None: which way this KPI column (network or per stock point) improves."""
    entry = catalogued(column)
    return entry.better if entry is not None else None


def lower_is_better(column: str) -> bool:
    """Whether a smaller value of this KPI column (network or per stock point) is the better one."""
    return better(column) == "lower"


def sums_unlike_units(column: str, scenario: Scenario) -> bool:
    """True for a network column that adds units of more than one item (``avg_on_hand`` over pads
    and brakes): no policy is better on it. A per-point column always compares like units."""
    entry = catalogued(column)
    if "/" in column or entry is None or not entry.adds_units:
        return False
    points = scenario.stock_points()
    if entry.network == "sum of customer-facing":
        facing = {d.at for d in scenario.demand}
        points = [(site, item) for site, item in points if f"{site}/{item}" in facing]
    return len({item for _, item in points}) > 1
