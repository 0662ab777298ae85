"""(s, S): when the inventory position is at or below s, order up to S (Scarf 1960).

Continuous review by default; with ``review_period`` R it is the periodic (R, s, S) rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from simjit.policies.base import Order, PointFacts, StockView
from simjit.policies.facts import PolicyFacts
from simjit.policies.parameters import Setting, StartingParameters
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

    def parameters(self, facts: PointFacts) -> StartingParameters:
        """s and S as given. Safety stock s − D·(L + R) (R = 0 for continuous review); the position
        averages (s + S)/2 less D·R/2 between reviews; a mean lot is S − s plus the D·R/2 the position
        falls below s on average by a review (approximations: Silver, Pyke & Thomas 2017, §7)."""
        d, lead, period = facts.demand_rate, facts.lead_time_mean, self.review_period or 0.0
        lot = self.S - self.s + d * period / 2
        settings = (
            Setting("s", "reorder level", self.s, "units"),
            Setting("S", "order-up-to level", self.S, "units"),
            *(() if self.review_period is None else (Setting("R", "review period", self.review_period, "days"),)),
        )
        return StartingParameters(
            settings, d, facts.demand_sd, lead, facts.lead_time_sd, safety_stock=self.s - d * (lead + period),
            average_position=(self.s + self.S - d * period) / 2, orders_per_day=min(d / lot, 1 / period) if period else d / lot,
        )  # fmt: skip
