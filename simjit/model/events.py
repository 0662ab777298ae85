"""What happens in a replication, as typed events: the one way to watch it.

``simulate(..., on_event=callback)`` calls ``callback(event)`` for every event below, in the
order the engine plays them (the same-instant order of :mod:`simjit.model.priorities`). A
stock point's state in the event is taken just after the event changed it. Without a callback
nothing is built, so watching costs nothing when nobody watches.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import NamedTuple

__all__ = ["EventKind", "OnEvent", "SimEvent"]


class EventKind(StrEnum):
    """The kinds of events a replication reports."""

    INITIAL = "initial"
    """The stock on hand when the replication starts (time 0): ``quantity`` is that stock."""
    DEMAND = "demand"
    """Units asked of a stock point: ``detail`` is ``customer`` or ``internal`` (a downstream site or line)."""
    STOCKOUT = "stockout"
    """A customer not served in full from stock: ``quantity`` is the units short."""
    REVIEW = "review"
    """The policy looked at the stock point (an order it places follows as its own event)."""
    LOST = "lost"
    """Waiting customers who gave up (their patience ran out): ``quantity`` is the units lost."""
    ORDER = "order"
    """A replenishment order placed: ``detail`` names where it went (the source, or the backup), with
    ``(expedited)`` for a rush order; ``SOURCE (moved from BACKUP)`` is an order the backup had not
    started, moved back to the source when it reopened (the backup's ``backup_units`` and charge
    reversed, the source's price paid)."""
    RECEIPT = "receipt"
    """Units landed at a stock point (good units; defective ones are scrapped at receipt)."""
    EXPIRED = "expired"
    """Units that reached their shelf life on the shelf and were scrapped."""
    DISRUPTION_START = "disruption_start"
    """A disruption event began: ``where`` is what it hit, ``detail`` the event, ``quantity`` its severity."""
    DISRUPTION_END = "disruption_end"
    """A disruption event ended (same fields as its start)."""
    LINE_START = "line_start"
    """A line started making a batch (all its parts in): ``quantity`` is the batch."""
    LINE_STOP = "line_stop"
    """A line finished a batch and put it into stock."""


class SimEvent(NamedTuple):
    """One event: when, what, where (``site/item``, a line ``site/line``, or what a disruption hit),
    how many, and the stock point's on hand, backorders and on order right after it (0 elsewhere)."""

    time: float
    kind: EventKind
    where: str
    quantity: float = 0.0
    on_hand: float = 0.0
    backorders: float = 0.0
    on_order: float = 0.0
    detail: str = ""

    @property
    def position(self) -> float:
        """On hand + on order − backorders, right after the event."""
        return self.on_hand + self.on_order - self.backorders


OnEvent = Callable[[SimEvent], None]
"""The callback ``simulate`` calls with every event."""
