"""Where a stock point's orders go: the source protocol (a supplier, a lane from an upstream site,
a line) and the typed parts a stock point is built with: its source, backup and expedite rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from simjit.model.disruptions import Availability
from simjit.random import Sampler

if TYPE_CHECKING:
    from simjit.model.stock_point import StockPoint
    from simjit.model.supplier import SupplierSource

__all__ = ["Backup", "Expedite", "Source", "Supply"]


class Source(Protocol):
    """Where a stock point's orders go: a supplier, an upstream site over a lane, or a line."""

    availability: Availability

    @property
    def up(self) -> bool: ...

    def place(self, sp: StockPoint, qty: float, expedite: bool = False) -> float:
        """Accept an order of ``sp``; returns the units ordered (a minimum order may round it up)."""
        ...

    def late_for(self, sp: StockPoint) -> bool:
        """True while an order of ``sp`` is overdue past its due day plus the backup rule's allowance."""
        ...


@dataclass(frozen=True, slots=True)
class Backup:
    """The backup rule (``scenario.models.Backup`` resolved): order from ``source`` while the main
    source is down or (``overdue_by`` set) late and the cover over ``cover_days`` is short of that
    many days of demand, or would be short of the backup's ``lead_days`` by the next order; or
    (``cover_trigger``) whenever it is short now. The backup takes what it can make ``within``
    days; the rest goes to the main source unless ``remainder_to_backup``."""

    source: SupplierSource
    name: str
    order_cost: float
    overdue_by: float | None = None
    cover_days: float = 0.0
    lead_days: float = 0.0
    cover_trigger: bool = False
    within: float = 0.0
    remainder_to_backup: bool = False


@dataclass(frozen=True, slots=True)
class Expedite:
    """The expedite rule: one rush order at a time, over its own lead time, while the net stock is
    below ``below`` or (``cover_days`` set instead) the cover over that many days is short of them."""

    below: float | None
    cover_days: float | None
    lead_time: Sampler
    premium: float
    quantity: float | None = None


@dataclass(frozen=True, slots=True)
class Supply:
    """Where a stock point's orders go and what each costs: its source (named as in results), its
    kind (supplier, site or line), the order cost, and the backup and expedite rules."""

    source: Source
    name: str
    kind: str
    order_cost: float
    backup: Backup | None = None
    expedite: Expedite | None = None
