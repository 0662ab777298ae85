"""The KPI catalogue: every KPI simjit reports, declared once.

The ledger computes exactly these names, the results tables group and star them from here,
and ``docs/kpis.md`` is generated from it (a test fails when the two differ).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["CATALOGUE", "GROUPS", "KPIS", "TOTAL_COST_PARTS", "Kpi", "kpi", "kpi_markdown"]

Unit = Literal["money", "units", "days", "ratio", "variance ratio", "orders"]
Better = Literal["lower", "higher"] | None


@dataclass(frozen=True)
class Kpi:
    """One KPI: its column name, unit, table group, better direction, network aggregation and meaning.

    ``network`` says how the network value is formed from the stock points' values:
    ``sum`` (over every stock point), ``sum of customer-facing`` (only points with customer
    demand contribute), ``pooled`` (a ratio of sums over customer-facing points), ``worst``
    (the worst customer-facing point's), ``events`` (mean over the replication's disruption
    events) or ``supplier orders`` (orders to outside suppliers against customer demand).
    """

    name: str
    unit: Unit
    group: Literal["cost", "service", "resilience", "stock and orders"]
    better: Better
    network: Literal["sum", "sum of customer-facing", "pooled", "worst", "events", "supplier orders"]
    definition: str

    @property
    def adds_units(self) -> bool:
        """True when the network value sums units, which is meaningless across different items."""
        return self.unit == "units" and self.network.startswith("sum")


CATALOGUE: tuple[Kpi, ...] = (
    Kpi("total_cost", "money", "cost", "lower", "sum",
        "holding + ordering + purchase + expediting + shortage cost over [warmup, horizon): what the policy "
        "cost. Spoilage and defect costs are not added: they value units already paid in purchase_cost."),
    Kpi("holding_cost", "money", "cost", "lower", "sum", "Holding cost per unit-day × the time integral of on hand."),
    Kpi("ordering_cost", "money", "cost", "lower", "sum",
        "Fixed cost of every order placed: the source's order_cost (stock point, then supplier or line, then "
        "costs.order_cost); a backup order costs the backup supplier's."),
    Kpi("purchase_cost", "money", "cost", "lower", "sum",
        "Units bought from suppliers × the price on the order day (each item's own unit cost unless the "
        "supplier sets a price), premium included."),
    Kpi("expediting_cost", "money", "cost", "lower", "sum", "Premium paid on expedited units (on top of purchase)."),
    Kpi("shortage_cost", "money", "cost", "lower", "sum",
        "backorder_cost × unit-days customers waited + lost_sale_cost × units lost (a lost sale buys nothing, "
        "so with purchases in total_cost its cost is the revenue lost: the price, not the margin)."),
    Kpi("spoilage_cost", "money", "cost", "lower", "sum",
        "Unit cost of units that expired on the shelf: the waste, already paid in purchase_cost (the units "
        "bought to replace them), so not added to total_cost."),
    Kpi("defect_cost", "money", "cost", "lower", "sum",
        "Unit cost of units found defective at receipt (the supplier replaces them free): the value of the "
        "quality problem, not a payment, so not added to total_cost."),
    Kpi("fill_rate", "ratio", "service", "higher", "pooled",
        "Units served from stock on arrival / units demanded by customers (internal points: by downstream)."),
    Kpi("cycle_service_level", "ratio", "service", "higher", "pooled",
        "Share of replenishment cycles (receipt to receipt) in which no demand went short."),
    Kpi("avg_backorders", "units", "service", "lower", "sum of customer-facing",
        "Time average of units owed to waiting customers (an exact integral)."),
    Kpi("lost_sales", "units", "service", "lower", "sum of customer-facing",
        "Units of customer demand lost (turned away, or gave up waiting)."),
    Kpi("avg_customer_wait", "days", "service", "lower", "pooled",
        "Mean days a unit demanded waited before it was served (0 when served from stock)."),
    Kpi("stockout_days", "days", "service", "lower", "worst", "Days with nothing on hand."),
    Kpi("line_starved_days", "days", "service", "lower", "sum",
        "Days production orders waited for missing components before their line could start them."),
    Kpi("time_to_survive", "days", "resilience", "higher", "events",
        "Per disruption event: days from its start to the first customer downstream not served from stock; "
        "when none was, the exposure window (its length plus the lead time to the customer)."),
    Kpi("time_to_recover", "days", "resilience", "lower", "events",
        "Per disruption event: days from its end until customers downstream are served from stock with "
        "nobody waiting for recovery_days in a row, measured to the start of that run; 0 if service never broke; "
        "the days to the horizon (a lower bound) if it is not back by then."),
    Kpi("units_short", "units", "resilience", "lower", "events",
        "Per disruption event: units customers downstream did not get from stock (backordered, waiting or "
        "lost) from its start until recovery."),
    Kpi("avg_on_hand", "units", "stock and orders", "lower", "sum",
        "Time average of units on hand (network: a sum of units, comparable only for one item)."),
    Kpi("avg_on_hand_value", "money", "stock and orders", "lower", "sum", "Time average of on hand × unit cost."),
    Kpi("avg_pipeline", "units", "stock and orders", "lower", "sum", "Time average of units on order."),
    Kpi("demand", "units", "stock and orders", None, "sum of customer-facing",
        "Units demanded (customers and, per stock point, downstream sites and lines)."),
    Kpi("orders_placed", "orders", "stock and orders", "lower", "sum", "Replenishment orders placed."),
    Kpi("backup_units", "units", "stock and orders", None, "sum", "Units ordered from the backup supplier."),
    Kpi("expedited_units", "units", "stock and orders", None, "sum", "Units ordered expedited."),
    Kpi("bullwhip", "variance ratio", "stock and orders", "lower", "supplier orders",
        "Variance of daily orders placed / variance of daily demand seen (Lee et al. 1997)."),
)  # fmt: skip

KPIS: tuple[str, ...] = tuple(k.name for k in CATALOGUE)
"""KPI names, for the network (plain) and per stock point (``site/item.kpi``)."""

TOTAL_COST_PARTS = ("holding_cost", "ordering_cost", "purchase_cost", "expediting_cost", "shortage_cost")
"""The costs ``total_cost`` adds up: money spent. A spoiled unit is counted once, in the purchase that
replaced it (adding its value again would make perishables look twice as wasteful); a defective unit
is replaced free, so its value is no payment."""

GROUPS: tuple[str, ...] = ("cost", "service", "resilience", "stock and orders")
"""The results tables, in the order they are shown."""

_BY_NAME = {k.name: k for k in CATALOGUE}


def kpi(name: str) -> Kpi:
    """The catalogue entry of a KPI name or column (``dc/brake.fill_rate`` → ``fill_rate``)."""
    return _BY_NAME[name.rsplit(".", 1)[-1] if "/" in name else name]


_NETWORK = {
    "sum": "sum over stock points",
    "sum of customer-facing": "sum over customer-facing stock points",
    "pooled": "pooled over customer-facing stock points",
    "worst": "worst customer-facing stock point",
    "events": "mean over the replication's disruption events",
    "supplier orders": "orders to suppliers vs customer demand",
}


def kpi_markdown() -> str:
    """``docs/kpis.md``: the catalogue as a Markdown page."""
    lines = [
        "# KPI catalogue",
        "",
        "Generated from `simjit/model/catalogue.py` (the one place KPIs are declared); a test fails when",
        "this page and the catalogue differ. Every KPI is a column of `replications.parquet` for the",
        "network (`total_cost`) and per stock point (`dc/brake.total_cost`), over [warmup, horizon).",
        "",
    ]
    for group in GROUPS:
        lines += [f"## {group.capitalize()}", "", "| KPI | unit | better | network value | definition |",
                  "|---|---|---|---|---|"]  # fmt: skip
        for k in CATALOGUE:
            if k.group == group:
                better = k.better or "–"
                lines.append(f"| `{k.name}` | {k.unit} | {better} | {_NETWORK[k.network]} | {k.definition} |")
        lines.append("")
    lines += [
        "## Conventions",
        "",
        "- A ★ in the results tables marks the best policy on a KPI with a better direction; it is not",
        "  shown on a network sum of units when the stock points hold different items (compare",
        "  `avg_on_hand_value`, not `avg_on_hand`).",
        "- Resilience is measured per disruption event (a scheduled window, one random spell, one",
        "  occurrence of a correlated event) that hits a supplier, lane or line, on the customer-facing",
        "  stock points downstream of it; one row per event is written to `disruptions.parquet`.",
        "  A customer is *short* when not served in full from stock on arrival. A stock point is in",
        "  shortage from a short customer until nobody waits and stock is on hand again.",
        "- The exposure window of an event runs from its start to its end plus the mean lead time",
        "  from the hit source to the customer (source lead time with its expected lateness, lane",
        "  transits, the making of a day's demand on each line); an event with no short customer in",
        "  it is *survived*.",
        "- Simchi-Levi et al. (2014, 2015) define time to recover as the node's own restoration time,",
        "  which here is the event's duration (an input); simjit's `time_to_recover` is the customer's",
        "  side of it.",
        "",
    ]
    return "\n".join(lines)
