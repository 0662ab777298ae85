"""Continuous-review (r, Q): when the inventory position is at or below r, order Q.

If one demand takes the position more than Q below r, enough lots of Q are ordered to bring
it back above r (Hadley & Whitin 1963; Zipkin 2000, §6.2): the position then lives in
{r+1, …, r+Q} for unit demand, which is what the closed forms assume.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from simjit.policies.base import Order, PointFacts, StockView
from simjit.policies.facts import PolicyFacts
from simjit.policies.parameters import Setting, StartingParameters, lot_parameters
from simjit.scenario.policy_specs import RQ

__all__ = ["ReorderPointQuantity"]


@dataclass(frozen=True)
class ReorderPointQuantity:
    """(r, Q) with reorder point ``reorder_point`` [r] and lot size ``order_quantity`` [Q]."""

    reorder_point: float
    order_quantity: float
    review_period: float | None = None
    history: int = 0
    spec_class: ClassVar[type[RQ]] = RQ

    @classmethod
    def from_spec(cls, spec: RQ, facts: PolicyFacts) -> ReorderPointQuantity:
        """``r_Q: {reorder_point, order_quantity}`` as given."""
        return cls(spec.r_Q.reorder_point, spec.r_Q.order_quantity)

    @property
    def idle_above(self) -> float:
        """Never orders while the position is above this."""
        return self.reorder_point

    def order_size(self, on_hand: float, backorders: float, on_order: float) -> float:
        """Whole lots of Q that bring the position above r, when it is at or below r (else 0)."""
        ip = on_hand + on_order - backorders
        if ip > self.reorder_point:
            return 0.0
        step = self.order_quantity
        return step * math.floor((self.reorder_point - ip) / step + 1.0)  # orders_of, inline: the engine's hot path

    def decide(self, view: StockView) -> Order | None:
        """Order whole lots of Q until the position is above r."""
        size = self.order_size(view.on_hand, view.backorders, view.on_order)
        return Order(size) if size > 0 else None

    def parameters(self, facts: PointFacts) -> StartingParameters:
        """r and Q as given; the safety stock they imply over the stock point's lead time."""
        settings = (
            Setting("r", "reorder point", self.reorder_point, "units"),
            Setting("Q", "order quantity", self.order_quantity, "units"),
        )
        return lot_parameters(settings, facts, self.reorder_point, self.order_quantity, facts.lead_time_mean)
