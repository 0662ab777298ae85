"""Kanban (JIT pull): N containers of c units circulate; each emptied container sends a card
back to the source for one container (Ohno 1988; Hopp & Spearman, Factory Physics §10).

The inventory position is the number of full containers' units in the loop, so it never
exceeds N·c. ``safety_time`` s returns cards s days of forecast demand earlier (the
"safety time, not just safety stock" mitigation): the ceiling rises by s·D.
"""

from __future__ import annotations

from dataclasses import dataclass

from simjit.policies.base import Order, StockView

__all__ = ["KanbanPolicy"]


@dataclass(frozen=True)
class KanbanPolicy:
    """N ``containers`` of ``container_size`` c; one order per emptied container."""

    containers: int
    container_size: float
    safety_time: float = 0.0
    demand_rate: float = 0.0
    review_period: float | None = None
    history: int = 0

    @property
    def idle_above(self) -> float:
        """No card is sent while less than one container has been emptied."""
        return self.containers * self.container_size + self.safety_time * self.demand_rate - self.container_size + 1e-9

    def decide(self, view: StockView) -> Order | None:
        """Send one card — an order of one container — while a container stands emptied.

        The engine asks again after each order, so k emptied containers make k orders.
        """
        ceiling = self.containers * self.container_size + self.safety_time * self.demand_rate
        emptied = (ceiling - view.inventory_position) / self.container_size
        return Order(self.container_size) if emptied >= 1 - 1e-9 else None
