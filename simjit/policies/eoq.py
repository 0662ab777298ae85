"""EOQ: order Q* = sqrt(2DK/h) when the position reaches the expected lead-time demand D·L.

No buffer against variability: this is the textbook lot-sizing rule (Harris 1913) used with
a reorder point at mean lead-time demand.
"""

from __future__ import annotations

from dataclasses import dataclass

from simjit.policies.base import Order, StockView, orders_of

__all__ = ["EoqPolicy"]


@dataclass(frozen=True)
class EoqPolicy:
    """Reorder at ``reorder_point`` [r = D·L] with lot size ``order_quantity`` [Q*]."""

    reorder_point: float
    order_quantity: float
    review_period: float | None = None
    history: int = 0

    @property
    def idle_above(self) -> float:
        """Never orders while the position is above this."""
        return self.reorder_point

    def decide(self, view: StockView) -> Order | None:
        """Order whole lots of Q* until the position is above r."""
        ip = view.inventory_position
        if ip > self.reorder_point:
            return None
        return Order(orders_of(self.order_quantity, self.reorder_point - ip))
