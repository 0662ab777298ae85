"""Base stock (S−1, S): replace every unit used, keeping the inventory position at S.

With Poisson demand of rate λ and i.i.d. lead times of mean E[L], the units on order are
Poisson(λ·E[L]) whatever the lead-time distribution (Palm's theorem, 1938).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from simjit.policies.base import Order, PointFacts, StockView
from simjit.policies.facts import PolicyFacts
from simjit.policies.parameters import Setting, StartingParameters
from simjit.scenario.policy_specs import BaseStock

__all__ = ["BaseStockPolicy"]


@dataclass(frozen=True)
class BaseStockPolicy:
    """Continuous-review base stock with level ``level`` [S]."""

    level: float
    review_period: float | None = None
    history: int = 0
    spec_class: ClassVar[type[BaseStock]] = BaseStock

    @classmethod
    def from_spec(cls, spec: BaseStock, facts: PolicyFacts) -> BaseStockPolicy:
        """``base_stock: {level}`` as given."""
        return cls(spec.base_stock.level)

    @property
    def idle_above(self) -> float:
        """Never orders while the position is at S or above."""
        return self.level - 1e-9

    def order_size(self, on_hand: float, backorders: float, on_order: float) -> float:
        """What brings the position back to S (0 at or above it)."""
        gap = self.level - (on_hand + on_order - backorders)
        return gap if gap > 0 else 0.0

    def decide(self, view: StockView) -> Order | None:
        """Order what brings the position back to S."""
        size = self.order_size(view.on_hand, view.backorders, view.on_order)
        return Order(size) if size > 0 else None

    def parameters(self, facts: PointFacts) -> StartingParameters:
        """S as given; safety stock S − D·L; the position stays at S; one order per demand."""
        d, lead = facts.demand_rate, facts.lead_time_mean
        return StartingParameters(
            (Setting("S", "base-stock level", self.level, "units"),), d, facts.demand_sd, lead, facts.lead_time_sd,
            safety_stock=self.level - d * lead, average_position=self.level,
        )  # fmt: skip
