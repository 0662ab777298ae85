"""Safety stock: reorder point = forecast lead-time demand + z·σ_LTD, lot size EOQ unless given.

σ_LTD = sqrt(L·σ_D² + D²·σ_L²) combines demand and lead-time variability (Silver, Pyke &
Thomas 2017, §6.7); z is the normal quantile of the target cycle service level. D and σ_D
come from the forecast, updated as demand is observed (the stock point's own, or with
``demand_signal: customer`` the end-customer demand downstream).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from simjit.policies.base import Order, StockView, orders_of
from simjit.policies.facts import PolicyFacts
from simjit.policies.forecasting import Forecaster, OracleForecast, forecaster
from simjit.policies.formulas import economic_order_quantity, lead_time_demand_sd, safety_factor
from simjit.scenario.policy_specs import DemandSignal, SafetyStock

__all__ = ["SafetyStockPolicy"]


@dataclass(frozen=True)
class SafetyStockPolicy:
    """(r, Q) whose r follows the forecast: r = D·L + z·σ_LTD [z from the service level]."""

    z: float
    order_quantity: float
    lead_time: float
    lead_time_sd: float
    forecast: Forecaster = field(default_factory=OracleForecast)
    review_period: float | None = None
    demand_signal: DemandSignal = DemandSignal.own
    spec_class: ClassVar[type[SafetyStock]] = SafetyStock

    @classmethod
    def from_spec(cls, spec: SafetyStock, facts: PolicyFacts) -> SafetyStockPolicy:
        """z from the service level; Q given or EOQ, over the lead time of a lot of Q."""
        p = spec.safety_stock
        q = p.order_quantity or economic_order_quantity(facts.order_cost, facts.holding_cost, facts.demand_rate)
        return cls(
            safety_factor(p.service_level), q, facts.lead_time_for(q), facts.lead_time_sd, forecaster(p.forecast),
            demand_signal=p.demand_signal,
        )  # fmt: skip

    @property
    def history(self) -> int:
        """Days of demand the forecast needs."""
        return self.forecast.history

    def reorder_point(self, view: StockView) -> float:
        """Forecast lead-time demand plus z standard deviations of it."""
        mean, sd = self.forecast.forecast(view.recent_demand, view.facts, self.lead_time)
        return mean * self.lead_time + self.z * lead_time_demand_sd(mean, sd, self.lead_time, self.lead_time_sd)

    def decide(self, view: StockView) -> Order | None:
        """Order lots of Q while the position is at or below the reorder point."""
        r = self.reorder_point(view)
        ip = view.inventory_position
        return Order(orders_of(self.order_quantity, r - ip)) if ip <= r else None
