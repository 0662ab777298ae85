"""Make-to-order: hold nothing; every unit a customer waits for is ordered from the source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from simjit.policies.base import Order, PointFacts, StockView
from simjit.policies.facts import PolicyFacts
from simjit.policies.parameters import StartingParameters
from simjit.scenario.policy_specs import MakeToOrder

__all__ = ["MakeToOrderPolicy"]


@dataclass(frozen=True)
class MakeToOrderPolicy:
    """Order exactly what is owed and not yet on order; never stock ahead of demand."""

    review_period: float | None = None
    history: int = 0
    spec_class: ClassVar[type[MakeToOrder]] = MakeToOrder

    @classmethod
    def from_spec(cls, spec: MakeToOrder, facts: PolicyFacts) -> MakeToOrderPolicy:
        """``make_to_order: {}``: nothing to set."""
        return cls()

    def order_size(self, on_hand: float, backorders: float, on_order: float) -> float:
        """The uncovered backlog, −position (0 unless it exceeds 1e-9)."""
        gap = -(on_hand + on_order - backorders)
        return gap if gap > 1e-9 else 0.0

    def decide(self, view: StockView) -> Order | None:
        """Order the uncovered backlog (the last customer order, under continuous review)."""
        size = self.order_size(view.on_hand, view.backorders, view.on_order)
        return Order(size) if size > 0 else None

    def parameters(self, facts: PointFacts) -> StartingParameters:
        """Nothing to set and no stock: one order per customer who waits."""
        return StartingParameters((), facts.demand_rate, facts.demand_sd, facts.lead_time_mean, facts.lead_time_sd)
