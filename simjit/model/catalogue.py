"""The KPI catalogue: every KPI simjit reports, declared once.

The ledger computes exactly these names, the results tables group and star them from here,
and ``docs/kpis.md`` is generated from it (a test fails when the two differ).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from simjit.scenario.models import Scenario

__all__ = [
    "CATALOGUE",
    "GROUPS",
    "KPIS",
    "OPERATING_COSTS",
    "TOTAL_COST_PARTS",
    "Kpi",
    "headline",
    "kpi",
    "kpi_markdown",
    "priced",
]

Unit = Literal["money", "units", "days", "ratio", "variance ratio", "orders", "per year"]
Better = Literal["lower", "higher"] | None
Network = Literal[
    "sum", "sum of customer-facing", "pooled", "worst", "any customer-facing", "network ratio", "events",
    "supplier orders",
]  # fmt: skip


@dataclass(frozen=True)
class Kpi:
    """One KPI: its column name, unit, table group, better direction, network aggregation and meaning.

    ``network`` says how the network value is formed from the stock points' values:
    ``sum`` (over every stock point), ``sum of customer-facing`` (only points with customer
    demand contribute), ``pooled`` (a ratio of sums over customer-facing points), ``worst``
    (the worst customer-facing point's), ``any customer-facing`` (days on which any customer-facing
    point counts), ``network ratio`` (the same ratio of the network's sums), ``events`` (mean over
    the replication's disruption events) or ``supplier orders`` (orders to outside suppliers
    against customer demand).
    """

    name: str
    unit: Unit
    group: Literal["profit", "cost", "cash", "service", "resilience", "stock and orders"]
    better: Better
    network: Network
    definition: str

    @property
    def adds_units(self) -> bool:
        """True when the network value sums units, which is meaningless across different items."""
        return self.unit == "units" and self.network.startswith("sum")


CATALOGUE: tuple[Kpi, ...] = (
    Kpi("profit", "money", "profit", "higher", "sum",
        "revenue − total_cost: what the policy earns over [warmup, horizon). Only where every item customers buy "
        "has a price (else –); then it is the headline KPI."),
    Kpi("revenue", "money", "profit", "higher", "sum",
        "Selling price × units delivered to customers (served from stock or late); a lost unit earns nothing."),
    Kpi("gross_margin", "money", "profit", "higher", "sum",
        "revenue − cost_of_goods (the cost of the goods sold, with spoilage and yield losses as a controller "
        "books normal waste)."),
    Kpi("total_cost", "money", "cost", "lower", "sum",
        "holding + ordering + cost_of_goods + expediting + shortage cost over [warmup, horizon): what the policy "
        "cost. The headline KPI where items have no price."),
    Kpi("cost_of_goods", "money", "cost", "lower", "sum",
        "Cost of the goods used in [warmup, horizon): purchases in the window + the value of stock on hand and "
        "on order at the warm-up − the same at the horizon. Every unit is valued at the moving-average cost of "
        "what its stock point holds or has paid for (on hand and on order: a price that walks is averaged in as "
        "it is paid); a unit moved downstream or into a line keeps its cost, so a made unit carries its "
        "components'. Used = sold to customers, spoiled, or lost in a supplier's yield; the timing of orders "
        "at the window's edges does not count."),
    Kpi("holding_cost", "money", "cost", "lower", "sum", "Holding cost per unit-day × the time integral of on hand."),
    Kpi("ordering_cost", "money", "cost", "lower", "sum",
        "Fixed cost of every order placed: the source's order_cost (stock point, then supplier or line, then "
        "costs.order_cost); a backup order costs the backup supplier's."),
    Kpi("expediting_cost", "money", "cost", "lower", "sum", "Premium paid on expedited units (on top of the price)."),
    Kpi("shortage_cost", "money", "cost", "lower", "sum",
        "backorder_cost × unit-days customers waited + lost_sale_cost × units lost (each item's own, else "
        "costs.*). With prices the revenue a lost sale loses is in profit already: lost_sale_cost is goodwill."),
    Kpi("purchase_cost", "money", "cost", "lower", "sum",
        "Cash paid for orders placed in the window: units bought from suppliers × the price on the order day "
        "(each item's own unit cost unless the supplier sets a price). Not in total_cost, which counts the "
        "goods used (cost_of_goods)."),
    Kpi("spoilage_cost", "money", "cost", "lower", "sum",
        "Cost of the units that expired on the shelf (at moving-average cost): waste, inside cost_of_goods."),
    Kpi("defect_cost", "money", "cost", "lower", "sum",
        "Unit cost of units found defective at receipt (the supplier replaces them free): the value of the "
        "quality problem, not a payment, so not in total_cost."),
    Kpi("avg_inventory_value", "money", "cash", "lower", "sum",
        "Time average of the value of stock on hand and on order (paid for or shipped; a line's work in "
        "process at its output) at cost: the working capital tied up."),
    Kpi("inventory_turns", "per year", "cash", "higher", "network ratio",
        "cost_of_goods per year / avg_inventory_value."),
    Kpi("days_of_supply", "days", "cash", "lower", "network ratio",
        "avg_inventory_value / cost_of_goods per day: days the stock held and on order would last (days of "
        "inventory)."),
    Kpi("cash_to_cash", "days", "cash", "lower", "network ratio",
        "days_of_supply + days of receivables (costs.customer_payment_days, where items have prices) − days of "
        "payables (suppliers' payment_days, weighted by purchases); shown when the scenario sets payment terms."),
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
    Kpi("days_short", "days", "service", "lower", "any customer-facing",
        "Days on which some customer demand went unserved from stock (backordered, waiting or lost); internal "
        "points: demand of downstream sites and lines."),
    Kpi("days_empty", "days", "service", "lower", "worst", "Time with nothing on hand, in days (even if no one asked)."),
    Kpi("line_starved_days", "days", "service", "lower", "sum",
        "Days the line making this item waited for missing components while its output was needed (nothing "
        "on hand or someone waiting for it)."),
    Kpi("line_idle_days", "days", "stock and orders", None, "sum",
        "Days the line making this item made nothing while it could have: no production order, or components "
        "missing while its output was not needed (spare capacity, not a loss)."),
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

OPERATING_COSTS = ("holding_cost", "ordering_cost", "expediting_cost", "shortage_cost")
"""The costs of running the policy, beside the cost of the goods it used: what JIT trades against."""

TOTAL_COST_PARTS = ("holding_cost", "ordering_cost", "cost_of_goods", "expediting_cost", "shortage_cost")
"""The costs ``total_cost`` adds up. A spoiled unit is counted once, inside ``cost_of_goods`` (its
spoilage_cost says how much of it was waste); a defective unit is replaced free, so its value is no cost."""

GROUPS: tuple[str, ...] = ("profit", "cost", "cash", "service", "resilience", "stock and orders")
"""The results tables, in the order they are shown."""

_BY_NAME = {k.name: k for k in CATALOGUE}


def priced(s: Scenario) -> bool:
    """True when every item customers buy has a selling price: revenue and profit exist."""
    return all(s.items[d.at.split("/", 1)[1]].price is not None for d in s.demand)


def headline(s: Scenario | None) -> str:
    """The KPI a decision is made on: ``profit`` where every item customers buy has a price, else
    ``total_cost``."""
    return "profit" if s is not None and priced(s) else "total_cost"


def kpi(name: str) -> Kpi:
    """The catalogue entry of a KPI name or column (``dc/brake.fill_rate`` → ``fill_rate``)."""
    return _BY_NAME[name.rsplit(".", 1)[-1] if "/" in name else name]


_NETWORK = {
    "sum": "sum over stock points",
    "sum of customer-facing": "sum over customer-facing stock points",
    "pooled": "pooled over customer-facing stock points",
    "worst": "worst customer-facing stock point",
    "any customer-facing": "days on which any customer-facing stock point counts",
    "network ratio": "the same ratio of the network's sums",
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
        "- Money is an accountant's. `total_cost` counts the cost of the goods *used* in the window",
        "  (`cost_of_goods`), not the cash paid for orders placed in it (`purchase_cost`): an order placed",
        "  on the last day changes `total_cost` by its ordering cost alone. Stock is valued at moving-average",
        "  cost per stock point over what it holds or has paid for (on hand and on order), so a price that",
        "  walks is averaged in as it is paid; units shipped downstream or into a line keep their cost.",
        "  Stock at time 0 is valued at the item's `unit_cost`.",
        "- Where every item customers buy has a `price`, `profit` = `revenue` − `total_cost` is the",
        "  headline KPI (higher is better); a lost sale then costs the revenue it loses, and",
        "  `lost_sale_cost` is the goodwill on top. Without prices the headline is `total_cost`, and",
        "  `lost_sale_cost` must be at least the margin lost (`validate` warns when it is below the cost of",
        "  the goods a unit holds). Amounts are in the scenario's `currency` where it names one.",
        "- A ★ in the results tables marks the policy with the best mean on a KPI with a better direction",
        "  only when its paired difference (replication by replication) to every other policy is clear of",
        '  zero, the claim "this one is best" holding at the run\'s confidence over those comparisons',
        "  (Bonferroni over the K − 1 comparisons with the best: with two or three policies, exactly the",
        "  95% paired intervals shown). When the best cannot be told apart from others, they are marked ≈",
        "  together. Neither is shown on a network sum of units when the stock points hold different items",
        "  (compare `avg_on_hand_value`, not `avg_on_hand`), nor, where items have prices, on `total_cost`,",
        "  `cost_of_goods` and `purchase_cost`: they grow with sales, so the policy that sells least would",
        "  earn them (`profit` judges).",
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
