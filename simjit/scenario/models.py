"""The scenario as frozen pydantic models: the typed, immutable form of the YAML file.

Field names are the contract of ``shared/design/SCENARIO_FORMAT.md``; every field carries a
description, which ``simjit schema`` publishes for editors.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, Field, PrivateAttr, Tag, field_validator, model_validator
from pydantic_core import PydanticCustomError

from simjit.errors import Problem
from simjit.scenario.distributions import Distribution, FractionDistribution
from simjit.scenario.policy_specs import PolicySpec
from simjit.scenario.types import (
    DaysPerYear,
    Fraction,
    Name,
    NonNegative,
    Number,
    Positive,
    PositiveInt,
    Spec,
    StockPointRef,
    number_text,
)

__all__ = [
    "AbcCutoffs",
    "Arrivals",
    "Backup",
    "Costs",
    "Demand",
    "DemandTiming",
    "Disruption",
    "Event",
    "Expedite",
    "Item",
    "Line",
    "OnStockout",
    "PolicySet",
    "RandomWalk",
    "Scenario",
    "Seasonality",
    "Shock",
    "Site",
    "StockPoint",
    "Supplier",
    "WaitUpTo",
]


def _field(description: str, default: Any = ..., **kw: Any) -> Any:
    return Field(default, description=description, **kw)


class Item(Spec):
    """Something stocked, bought, made or sold."""

    unit_cost: NonNegative = _field("Cost of one unit (what holding and purchase costs are based on).")
    price: NonNegative | None = _field(
        "Selling price of one unit to customers: revenue, gross_margin and profit (the headline KPI when every "
        "item customers buy has one).",
        None,
    )
    shelf_life: Positive | None = _field("Days a unit keeps after receipt; older units expire and are scrapped.", None)
    holding_cost: NonNegative | None = _field(
        "Holding cost per unit per day for this item (overrides costs.holding_rate).", None
    )
    backorder_cost: NonNegative | None = _field(
        "Cost per unit per day a customer of this item waits on a backorder (overrides costs.backorder_cost).", None
    )
    lost_sale_cost: NonNegative | None = _field(
        "Cost per unit of this item's demand lost (overrides costs.lost_sale_cost).", None
    )


class Costs(Spec):
    """Cost rates shared by every stock point."""

    holding_rate: NonNegative = _field("Holding cost per year as a fraction of unit cost.", 0.25)
    holding_cost: NonNegative | None = _field("Holding cost per unit per day (overrides holding_rate).", None)
    order_cost: NonNegative = _field("Fixed cost of placing one order.", 0.0)
    backorder_cost: NonNegative = _field("Cost per unit per day a customer waits on a backorder.", 0.0)
    lost_sale_cost: NonNegative = _field(
        "Cost per unit of demand lost. With a selling price the revenue lost is counted already (in profit): "
        "give only the goodwill on top. Without prices, give the selling price (the revenue lost; total_cost "
        "already saves the goods a lost sale does not use) plus any goodwill: below the goods' cost, a lost "
        "sale looks cheaper than a sale.",
        0.0,
    )
    customer_payment_days: NonNegative = _field(
        "Days customers take to pay (days of receivables, in cash_to_cash).", 0.0
    )
    days_per_year: DaysPerYear = _field("Days in a year, to turn holding_rate into a daily rate.", 365.0)


class Disruption(Spec):
    """An outage: a scheduled window (``start`` + ``duration``) or random spells (``mtbf`` + ``mttr``)."""

    start: NonNegative | None = _field("Day the window opens (a scheduled disruption).", None)
    mtbf: Positive | None = _field("Mean days between random outages (exponential up-times).", None)
    duration: Distribution | None = _field("Length of the outage in days.", None)
    mttr: Distribution | None = _field("Mean time to repair: the length of a random outage (same as duration).", None)
    severity: FractionDistribution = _field("Fraction of capacity lost while down (1 = fully down).", 1.0)

    @model_validator(mode="after")
    def _one_kind(self) -> Disruption:
        if (self.start is None) == (self.mtbf is None):
            raise PydanticCustomError(
                "disruption_kind",
                "expected 'start' (a scheduled window) or 'mtbf' (random outages), got {found}",
                {"found": "both" if self.start is not None else "neither"},
            )
        if (self.duration is None) == (self.mttr is None):
            raise PydanticCustomError(
                "disruption_length", "expected exactly one of 'duration' or 'mttr' for the length of an outage"
            )
        return self

    @property
    def length(self) -> Distribution:
        """The outage length, whichever of ``duration``/``mttr`` was given."""
        return self.duration if self.duration is not None else self.mttr  # type: ignore[return-value]


class RandomWalkParams(Spec):
    """A geometric random walk of the price: log p(t) = log start + (drift − sd²/2)·t + sd·W(t),
    so that E[p(t)] = start·e^(drift·t) (geometric Brownian motion sampled daily; Hull 2018, §15.3)."""

    start: Positive = _field("Price on day 0.")
    sd: NonNegative = _field("Standard deviation of the daily change, as a fraction of the price (geometric walk).")
    floor: NonNegative = _field("The price never falls below this.", 0.0)
    drift: Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-1, le=1)] = _field(
        "Expected change of the price per day, as a fraction (0.002 = about +0.2% a day: the expected price on "
        "day t is start·e^(drift·t)); 0 = no trend, the walk is as likely to fall as to rise.",
        0.0,
    )


class RandomWalk(Spec):
    """``random_walk: {start, sd, floor, drift}`` — a spot price that moves day by day."""

    random_walk: RandomWalkParams = _field("Start, daily sd, floor and drift of the price.")


def _price_tag(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "constant"
    if isinstance(value, RandomWalk) or (isinstance(value, dict) and set(value) == {"random_walk"}):
        return "random_walk"
    return None


Price = Annotated[
    Union[Annotated[NonNegative, Tag("constant")], Annotated[RandomWalk, Tag("random_walk")]],
    Discriminator(
        _price_tag,
        custom_error_type="price_kind",
        custom_error_message="expected a number or {random_walk: {start, sd}}",
    ),
]


class Supplier(Spec):
    """An outside company that fills orders after a lead time."""

    supplies: Annotated[list[Name], Field(min_length=1)] = _field("Items this supplier sells.")
    lead_time: Distribution = _field("Days from order to delivery (drawn per order; orders may cross).", 0.0)
    capacity: Positive | None = _field(
        "Units per day it can make. Orders are made first come first served (a rush order goes ahead of those "
        "not yet started), at the capacity × what a partial outage leaves, and each ships whole when made; an "
        "order it takes as a backup ships at the end of each day what was made of it that day.",
        None,
    )
    on_time: Fraction = _field("Probability an order arrives on time; otherwise late by `delay`.", 1.0)
    delay: Distribution = _field("Extra days a late order takes.", 0.0)
    defect_rate: Annotated[float, Field(strict=True, ge=0, lt=1)] = _field(
        "Fraction of units found defective at receipt (scrapped and re-ordered).", 0.0
    )
    price: Price | None = _field(
        "Price per unit (default: the item's unit_cost); the price on the order day is paid.", None
    )
    price_premium: NonNegative = _field("Surcharge over the price, as a fraction (0.3 = 30% dearer).", 0.0)
    yield_: FractionDistribution = _field(
        "Fraction of an order that ships (partial shipments); draws above 1 count as 1.", 1.0, alias="yield"
    )
    min_order: NonNegative = _field("Minimum order quantity; smaller orders are rounded up.", 0.0)
    payment_days: NonNegative = _field("Days after the order day this supplier is paid (days of payables).", 0.0)
    order_cost: NonNegative | None = _field(
        "Fixed cost of one order from this supplier (overrides costs.order_cost).", None
    )
    disruptions: list[Disruption] = _field("Outages of this supplier.", [])


class Expedite(Spec):
    """Rush orders, fast and dear, when the stock physically there runs low: the net stock (``below``)
    or the days of cover (``cover_below``), never the inventory position, which counts orders held
    at a closed supplier. A rush order goes to the source if it is up, else to the backup if that is
    up (within what it can make), else nowhere: at a closed supplier it would bring nothing sooner."""

    below: Number | None = _field(
        "Expedite when the net stock (on hand − backorders) falls below this. Give this or cover_below.", None
    )
    cover_below: Positive | None = _field(
        "Expedite when the cover — net stock + units suppliers have shipped that land within this many days — "
        "is below this many days of expected demand. Give this or below.",
        None,
    )
    lead_time: Distribution = _field("Days an expedited order takes (whichever supplier ships it).")
    premium: NonNegative = _field("Surcharge over the price, as a fraction.", 0.0)
    quantity: Positive | None = _field(
        "Units per expedited order (default: what brings the net stock up to below, or the cover up to "
        "cover_below days of demand).",
        None,
    )

    @model_validator(mode="after")
    def _one_trigger(self) -> Expedite:
        if (self.below is None) == (self.cover_below is None):
            raise PydanticCustomError(
                "expedite_trigger",
                "expected exactly one of 'below' (net stock) or 'cover_below' (days of cover), got {found}",
                {"found": "both" if self.below is not None else "neither"},
            )
        return self


class Backup(Spec):
    """The contingency supplier and when a planner would use it: only while the need is real. The
    cover is the net stock + the units suppliers have shipped that land within the horizon; the
    horizon is ``cover_below``, else the longer of the source's and the backup's expected lead times
    (if the source reopened now, its orders would land no sooner). While the source is down (or,
    with ``overdue_by``, late) an order goes to the backup when the cover is short of the horizon's
    expected demand, or would be short of the backup's lead time's by the next order, about this
    order's worth of demand later (an order held at the source leaves the next one too late for
    the backup); with ``cover_below``, also whenever the cover is short of it, whatever the source's
    state. So a stock point sitting on stock buys no premium units because its source is down.

    An order to the backup is cut to what it can make ``within`` the window; the rest goes to the
    source (``remainder``). A backup that is down itself takes nothing. When the source is up again,
    the backup's orders not yet started move back to it, re-priced at its price: the need is still
    there (in the inventory position), and the source is now the cheaper way to meet it; cancelling
    them would only have the policy re-order the same units."""

    supplier: Name = _field("The backup supplier.")
    overdue_by: NonNegative | None = _field(
        "Also order from the backup while an order from the source is overdue by more than this many days "
        "(past its order day + the source's expected lead time). Default: only while the source is down.",
        None,
    )
    cover_below: Positive | None = _field(
        "Also order from the backup, whatever the source's state, while the cover (net stock + units shipped "
        "here that land within this many days) is below this many days of expected demand; it is then also "
        "the horizon of the need while the source is down or late. Default: no cover trigger, and the horizon "
        "is the longer of the source's and the backup's expected lead times.",
        None,
    )
    within: Positive | None = _field(
        "The backup takes of an order only what it can make within this many days, after the orders it holds "
        "(for a backup with a capacity). Default: the horizon of the need (cover_below, else the longer lead "
        "time): what it would make later comes no sooner than the source's orders would.",
        None,
    )
    remainder: Literal["source", "backup"] = _field(
        "Where the part of an order the backup cannot make within the window goes: source (the default: it "
        "waits there and ships when the source runs again, which may well be before the backup, dearer, would "
        "have made it) or backup (queued at the backup all the same).",
        "source",
    )


def _backup_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "name"
    if isinstance(value, (dict, Backup)):
        return "rule"
    return None


BackupRule = Annotated[
    Union[Annotated[Name, Tag("name")], Annotated[Backup, Tag("rule")]],
    Discriminator(
        _backup_tag,
        custom_error_type="backup_kind",
        custom_error_message="expected a supplier name or {supplier: NAME, overdue_by: DAYS}",
    ),
]


class StockPoint(Spec):
    """An item held at a site, replenished from one source."""

    source: Name = _field("Where replenishment comes from: a supplier, an upstream site, or a line at this site.")
    backup: BackupRule | None = _field(
        "A supplier used while the source is down and the stock there runs short (dual sourcing as a "
        "contingency plan): a name, or {supplier: NAME, overdue_by: DAYS, cover_below: DAYS, within: DAYS, "
        "remainder: source|backup} to use it also while an order from the source is overdue or whenever the "
        "cover runs short, and to say how much of an order it takes.",
        None,
    )
    order_cost: NonNegative | None = _field(
        "Fixed cost of one order of this stock point from its source — the lane's order cost for an "
        "upstream site (overrides the supplier's or line's order_cost and costs.order_cost).",
        None,
    )
    expedite: Expedite | None = _field("Rush orders when the net stock or the cover runs low.", None)
    initial: NonNegative | None = _field("Units on hand at time 0 (default: the policy's target).", None)
    transit: Distribution = _field("Days on the lane from an upstream site.", 0.0)
    disruptions: list[Disruption] = _field("Outages of the lane from an upstream site.", [])

    @property
    def backup_rule(self) -> Backup | None:
        """The backup as a rule, whichever form was written (a bare name: outages only)."""
        if self.backup is None or isinstance(self.backup, Backup):
            return self.backup
        return Backup(supplier=self.backup)


class Line(Spec):
    """A production line making one item from bill-of-materials components at its site."""

    makes: Name = _field("The item produced.")
    bom: Annotated[dict[Name, Positive], Field(min_length=1)] = _field("Units of each component per unit made.")
    rate: Positive = _field("Units produced per day while running.")
    order_cost: NonNegative | None = _field(
        "Fixed cost of one production order (set-up); overrides costs.order_cost.", None
    )
    breakdowns: Disruption | None = _field("Random or scheduled breakdowns.", None)
    disruptions: list[Disruption] = _field("Further outages of the line.", [])


class Site(Spec):
    """A place that holds stock (a plant, a warehouse, a store)."""

    stock: Annotated[dict[Name, StockPoint], Field(min_length=1)] = _field(
        "Stock points: item → how it is replenished."
    )
    lines: dict[Name, Line] = _field("Production lines at this site.", {})


class Event(Disruption):
    """A correlated disruption hitting several suppliers, lanes or lines at once."""

    name: Name = _field("Name of the event, used in results.")
    hits: Annotated[list[str], Field(min_length=1)] = _field(
        "What it takes down: supplier names, line names (site/line) or lanes (site/item)."
    )


class Seasonality(Spec):
    """Multipliers of the demand rate."""

    weekly: Annotated[list[NonNegative], Field(min_length=7, max_length=7)] | None = _field(
        "Seven multipliers, day 0 first (day t uses entry t mod 7).", None
    )
    annual: Annotated[list[NonNegative], Field(min_length=12, max_length=12)] | None = _field(
        "Twelve monthly multipliers (months of days_per_year / 12 days).", None
    )


class Shock(Spec):
    """A window in which demand is multiplied by a factor."""

    start: NonNegative = _field("Day the shock begins.")
    duration: Positive = _field("Days it lasts.")
    factor: NonNegative = _field("Multiplier of demand during the window.")


class Arrivals(Spec):
    """Customer orders arriving as a Poisson process in continuous time."""

    rate: Positive = _field("Mean customer orders per day.")
    size: Distribution = _field("Units per customer order.", 1.0)


class OnStockout(StrEnum):
    """What a customer does when the item is not on hand."""

    backorder = "backorder"
    lost = "lost"


class WaitUpTo(Spec):
    """The customer waits at most this many days, then the order is lost."""

    wait_up_to: Positive = _field("Days a customer waits before the order is lost.")


def _stockout_tag(value: Any) -> str | None:
    if isinstance(value, (str, OnStockout)):
        return "rule"
    if isinstance(value, (dict, WaitUpTo)):
        return "wait"
    return None


StockoutRule = Annotated[
    Union[Annotated[OnStockout, Tag("rule")], Annotated[WaitUpTo, Tag("wait")]],
    Discriminator(
        _stockout_tag,
        custom_error_type="stockout_kind",
        custom_error_message="expected backorder, lost or {wait_up_to: days}",
    ),
]


class DemandTiming(StrEnum):
    """When within its day a ``per_day`` draw reaches the stock point."""

    through_day = "through_day"
    start_of_day = "start_of_day"


class Demand(Spec):
    """Customer demand at one stock point."""

    at: StockPointRef = _field("The stock point customers draw from, as site/item.")
    per_day: Distribution | None = _field("Units demanded per day (one draw per day).", None)
    timing: DemandTiming = _field(
        "When a per_day draw arrives: through_day (default: its units spread over the day in hourly lots, "
        "each at a random time within its hour, so a delivery landing mid-day serves only what comes after "
        "it) or start_of_day (the period model of textbooks: the whole day's draw at 00:00, just after that "
        "instant's deliveries). Demand given as arrivals is always through the day.",
        DemandTiming.through_day,
    )
    arrivals: Arrivals | None = _field("Orders as a Poisson process with a size distribution.", None)
    seasonality: Seasonality | None = _field("Weekly and annual multipliers.", None)
    trend: Number = _field("Linear growth of the rate per year, as a fraction (0.1 = +10% a year).", 0.0)
    shocks: list[Shock] = _field("Windows of multiplied demand.", [])
    on_stockout: StockoutRule = _field("backorder, lost, or {wait_up_to: days}.", OnStockout.backorder)

    @model_validator(mode="after")
    def _one_process(self) -> Demand:
        if (self.per_day is None) == (self.arrivals is None):
            raise PydanticCustomError("demand_kind", "expected exactly one of 'per_day' or 'arrivals'")
        if self.arrivals is not None and self.timing is not DemandTiming.through_day:
            raise PydanticCustomError(
                "demand_timing", "timing: start_of_day applies to per_day demand; arrivals come through the day"
            )
        return self


AbcClass = Literal["A", "B", "C"]


class AbcCutoffs(Spec):
    """Cumulative shares of annual consumption value that end classes A and B (items ranked by value)."""

    A: Fraction = _field(
        "An item is A while the cumulative share of value up to and including it is at most this; "
        "the top item is A whatever its share (unless this is 0).",
        0.8,
    )
    B: Fraction = _field(
        "An item is B while that share is at most this, C after; the first item after class A is B whatever "
        "its share (unless this equals A or the item has no value).",
        0.95,
    )
    rule: Literal["include", "start"] = _field(
        "include: an item's cumulative share counts its own value (the rule of the ABC article); start: the "
        "older convention, an item is in the class where its cumulative share starts (A while the share "
        "ranked above it is under A, B while under B).",
        "include",
    )

    @model_validator(mode="after")
    def _ordered(self) -> AbcCutoffs:
        if self.A > self.B:
            raise PydanticCustomError(
                "abc_order",
                "expected A <= B, got A = {a} and B = {b}",
                {"a": number_text(self.A), "b": number_text(self.B)},
            )
        return self


class PolicySet(Spec):
    """One alternative compared: which policy each stock point follows."""

    default: PolicySpec | None = _field("Policy of every stock point not matched below.", None)
    by_class: dict[AbcClass, PolicySpec] = _field("Policy per ABC class of annual consumption value.", {})
    overrides: dict[StockPointRef, PolicySpec] = _field("Policy of named stock points (site/item).", {})
    abc: AbcCutoffs = _field("Cut-offs of the ABC classes.", AbcCutoffs())

    @model_validator(mode="after")
    def _covers(self) -> PolicySet:
        if self.default is None and not self.by_class and not self.overrides:
            raise PydanticCustomError("policy_empty", "expected 'default', 'by_class' or 'overrides'")
        return self


class Scenario(Spec):
    """A whole study: the network, its demand and disruptions, and the policies compared."""

    name: Annotated[str, Field(min_length=1)] = _field("Title of the study.")
    description: str = _field("What the study is about.", "")
    currency: Annotated[str, Field(min_length=1, max_length=12)] | None = _field(
        "Currency of every cost and price (EUR, USD, €…), shown in tables, the report and figure axes.", None
    )
    horizon: Positive = _field("Days simulated per replication.")
    warmup: NonNegative = _field("Days played before KPIs are counted.", 0.0)
    recovery_days: Positive = _field(
        "Days in a row customers must be served from stock, nobody waiting, for service to count as recovered "
        "after a disruption (time_to_recover).",
        7.0,
    )
    replications: PositiveInt = _field("Monte Carlo replications per policy.", 30)
    seed: Annotated[int, Field(strict=True, ge=0)] = _field("Root seed of all random streams.", 0)
    items: Annotated[dict[Name, Item], Field(min_length=1)] = _field("Items by name.")
    costs: Costs = _field("Cost rates.", Costs())
    suppliers: dict[Name, Supplier] = _field("Suppliers by name.", {})
    sites: Annotated[dict[Name, Site], Field(min_length=1)] = _field("Sites by name.")
    events: list[Event] = _field("Correlated disruptions.", [])
    demand: Annotated[list[Demand], Field(min_length=1)] = _field("Customer demand streams.")
    policies: Annotated[dict[Name, PolicySet], Field(min_length=1)] = _field("Policy sets compared, by name.")
    baseline: Name | None = _field("Policy set the others are compared with (default: the first).", None)

    @field_validator("description", mode="before")
    @classmethod
    def _strip(cls, v: Any) -> Any:
        return v.strip() if isinstance(v, str) else v

    _warnings: tuple[Problem, ...] = PrivateAttr(default=())
    _source_dir: str | None = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        """Equal when every field is: where it was loaded from and what warnings it raised are no part of a
        scenario's identity (the same file read from two folders is the same scenario)."""
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = Spec.__hash__

    @property
    def source_dir(self) -> str | None:
        """The folder its plug-ins and ``trace:`` files were looked up in (its file's), as an absolute path;
        None where the loader was not told (a model built by hand)."""
        return self._source_dir

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """What the loader found that validates but probably does not work as meant (located)."""
        return self._warnings

    @property
    def baseline_policy(self) -> str:
        """The named baseline, or the first policy set."""
        return self.baseline or next(iter(self.policies))

    def stock_points(self) -> list[tuple[str, str]]:
        """Every (site, item) pair, in file order."""
        return [(site, item) for site, s in self.sites.items() for item in s.stock]
