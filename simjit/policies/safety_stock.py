"""Safety stock: reorder point = forecast lead-time demand + z·σ_LTD, lot size EOQ unless given.

σ_LTD = sqrt(L·σ_D² + D²·σ_L²) combines demand and lead-time variability (Silver, Pyke &
Thomas 2017, §6.7); z is the normal quantile of the target cycle service level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simjit.policies.base import Order, StockView, orders_of
from simjit.policies.formulas import lead_time_demand_sd

__all__ = ["SafetyStockPolicy"]


@dataclass(frozen=True)
class SafetyStockPolicy:
    """Reorder point from a moving-average forecast (``history`` days; 0 = the true mean)."""

    z: float
    order_quantity: float
    lead_time: float
    lead_time_sd: float
    demand_rate: float
    demand_sd: float
    history: int = 0
    review_period: float | None = None

    def forecast(self, view: StockView) -> tuple[float, float]:
        """Mean and sd of daily demand: from recent history when kept, else the scenario's."""
        past = view.recent_demand
        if self.history and len(past) >= 2:
            mean = math.fsum(past) / len(past)
            var = math.fsum((x - mean) ** 2 for x in past) / (len(past) - 1)
            return mean, math.sqrt(var)
        return self.demand_rate, self.demand_sd

    def decide(self, view: StockView) -> Order | None:
        """Order lots of Q while the position is at or below the reorder point."""
        mean, sd = self.forecast(view)
        r = mean * self.lead_time + self.z * lead_time_demand_sd(mean, sd, self.lead_time, self.lead_time_sd)
        ip = view.inventory_position
        if ip > r:
            return None
        return Order(orders_of(self.order_quantity, r - ip))
