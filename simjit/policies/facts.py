"""What a policy kind is built from: the spec a scenario gives and the stock point's facts."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PolicyFacts"]


@dataclass(frozen=True)
class PolicyFacts:
    """What a policy may be parameterised from: mean daily demand, lead time and costs."""

    demand_rate: float
    demand_sd: float
    lead_time: float
    lead_time_sd: float
    holding_cost: float
    order_cost: float
    production_rate: float | None = None
    allow_plugins: bool = False

    def lead_time_for(self, lot: float) -> float:
        """Replenishment time of a lot: the fixed lead time, plus lot / rate when a line makes it."""
        return self.lead_time + (lot / self.production_rate if self.production_rate else 0.0)
