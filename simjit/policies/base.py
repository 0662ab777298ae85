"""The Policy protocol: a policy sees a read-only view of one stock point and answers with an order.

Policies know nothing of SimPy, the ledger or the network. This keeps them tiny, testable
without a simulation, and easy for users to write (a small class with one method).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, Protocol, runtime_checkable

__all__ = ["Order", "OrderSize", "PointFacts", "Policy", "StockView", "numeric_decision", "orders_of"]


class PointFacts(NamedTuple):
    """The constants of one stock point a policy may use (rates per day, times in days)."""

    site: str
    item: str
    demand_rate: float = 0.0
    demand_sd: float = 0.0
    lead_time_mean: float = 0.0
    lead_time_sd: float = 0.0
    unit_cost: float = 0.0
    holding_cost: float = 0.0
    order_cost: float = 0.0


class StockView(NamedTuple):
    """What a policy may know about one stock point at a review: immutable and cheap to build.

    ``inventory_position`` = on hand + on order − backorders (units owed to anyone waiting).
    The stock point's constants are in ``facts`` and also readable directly (``view.demand_rate``).
    """

    time: float
    on_hand: float
    backorders: float
    on_order: float
    facts: PointFacts
    last_demand: float = 0.0
    source_up: bool = True
    recent_demand: tuple[float, ...] = ()

    @property
    def inventory_position(self) -> float:
        """On hand + on order − backorders: what the policy compares with its reorder point."""
        return self.on_hand + self.on_order - self.backorders

    @property
    def site(self) -> str:
        """The site holding the stock."""
        return self.facts.site

    @property
    def item(self) -> str:
        """The item held."""
        return self.facts.item

    @property
    def demand_rate(self) -> float:
        """Mean demand per day (customers and downstream), from the scenario."""
        return self.facts.demand_rate

    @property
    def demand_sd(self) -> float:
        """Standard deviation of daily demand, from the scenario."""
        return self.facts.demand_sd

    @property
    def lead_time_mean(self) -> float:
        """Mean replenishment time of the source, in days."""
        return self.facts.lead_time_mean

    @property
    def lead_time_sd(self) -> float:
        """Standard deviation of the replenishment time, in days."""
        return self.facts.lead_time_sd

    @property
    def unit_cost(self) -> float:
        """Cost of one unit."""
        return self.facts.unit_cost

    @property
    def holding_cost(self) -> float:
        """Holding cost per unit per day."""
        return self.facts.holding_cost

    @property
    def order_cost(self) -> float:
        """Fixed cost per order."""
        return self.facts.order_cost


@dataclass(frozen=True, slots=True)
class Order:
    """A replenishment order for ``quantity`` units (> 0) from the stock point's source."""

    quantity: float

    def __post_init__(self) -> None:
        if not (self.quantity > 0 and math.isfinite(self.quantity)):
            raise ValueError(f"an order needs a positive, finite quantity, got {self.quantity}")


@runtime_checkable
class Policy(Protocol):
    """Decides replenishment for one stock point.

    ``review_period`` is None for continuous review (asked after every change of inventory
    position) or the days between periodic reviews (asked at t = 0, R, 2R, …).
    ``history`` is how many past days of demand the policy wants in ``view.recent_demand``.
    A policy may also declare ``idle_above``: a position above which ``decide`` never orders,
    so the engine can skip asking, ``wip_cap``: a ceiling on on hand + on order that no
    order breaks, whatever is backordered (a pull loop; the conformance suite checks both), and
    ``demand_signal``: ``"customer"`` to find the end-customer demand downstream in
    ``view.recent_demand`` instead of the demand the stock point sees (``"own"``, the default).
    """

    @property
    def review_period(self) -> float | None:
        """None for continuous review, else days between reviews."""
        ...

    @property
    def history(self) -> int:
        """Past days of demand wanted in ``view.recent_demand`` (0: none)."""
        ...

    def decide(self, view: StockView) -> Order | None:
        """The order to place now, or None."""
        ...


OrderSize = Callable[[float, float, float], float]
"""``order_size(on_hand, backorders, on_order)``: the units a policy's ``decide`` orders at these
numbers (0.0: no order), for a policy that looks at nothing else."""


def numeric_decision(policy: object) -> OrderSize | None:
    """The ``order_size`` of a built-in policy that decides on the stock numbers alone (its ``decide``
    wraps that very method in an Order, so the two cannot disagree): the engine asks it without
    building a view. None for any other policy: one that forecasts needs the view, and a user's
    class (even a subclass of a built-in, which may override ``decide``) is always asked through it."""
    size = getattr(policy, "order_size", None)
    builtin = type(policy).__module__.startswith(__name__.rpartition(".")[0] + ".")
    return size if builtin and callable(size) else None


def orders_of(step: float, shortfall: float) -> float:
    """The smallest whole number of ``step``-sized lots that covers ``shortfall`` (> 0)."""
    return step * math.floor(shortfall / step + 1.0)
