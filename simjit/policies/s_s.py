"""(s, S): when the inventory position is at or below s, order up to S (Scarf 1960).

Continuous review by default; with ``review_period`` R it is the periodic (R, s, S) rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from simjit.policies.base import Order, StockView
from simjit.policies.facts import PolicyFacts
from simjit.scenario.policy_specs import SS

__all__ = ["MinMax"]


@dataclass(frozen=True)
class MinMax:
    """(s, S) with reorder level ``s`` and order-up-to level ``S``."""

    s: float
    S: float
    review_period: float | None = None
    history: int = 0
    spec_class: ClassVar[type[SS]] = SS

    @classmethod
    def from_spec(cls, spec: SS, facts: PolicyFacts) -> MinMax:
        """``s_S: {s, S, review_period?}`` as given."""
        return cls(spec.s_S.s, spec.s_S.S, spec.s_S.review_period)

    @property
    def idle_above(self) -> float:
        """Never orders while the position is above this."""
        return self.s

    def order_size(self, on_hand: float, backorders: float, on_order: float) -> float:
        """S − position when the position is at or below s (else 0)."""
        ip = on_hand + on_order - backorders
        return self.S - ip if ip <= self.s else 0.0

    def decide(self, view: StockView) -> Order | None:
        """Order S − position when the position is at or below s."""
        size = self.order_size(view.on_hand, view.backorders, view.on_order)
        return Order(size) if size > 0 else None
