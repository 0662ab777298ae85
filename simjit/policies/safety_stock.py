"""Safety stock: reorder point = forecast lead-time demand + k·σ_LTD, lot size EOQ unless given.

σ_LTD = sqrt(L·σ_D² + D²·σ_L²) combines demand and lead-time variability (Silver, Pyke &
Thomas 2017, §6.7). The safety factor k serves one of two targets: a cycle service level α (the
probability that a replenishment cycle has no stock-out), k = Φ⁻¹(α); or a fill rate β (the share of
demand served from stock), k the root of G(k)·σ_LTD = (1 − β)·Q (ibid. §7; Axsäter 2015, ch. 5).
D and σ_D come from the forecast, updated as demand is observed (the stock point's own, or with
``demand_signal: customer`` the end-customer demand downstream); a fill rate's k is solved once, from
the scenario's σ_LTD, and kept as the forecast moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from simjit.policies.base import Order, PointFacts, StockView, orders_of
from simjit.policies.facts import PolicyFacts
from simjit.policies.forecasting import Forecaster, OracleForecast, forecaster
from simjit.policies.formulas import economic_order_quantity, fill_rate_factor, lead_time_demand_sd, safety_factor
from simjit.policies.parameters import GIVEN, Setting, StartingParameters, lot_parameters
from simjit.scenario.policy_specs import DemandSignal, SafetyStock, SafetyStockParams

__all__ = ["SafetyStockPolicy"]


@dataclass(frozen=True)
class SafetyStockPolicy:
    """(r, Q) whose r follows the forecast: r = D·L + k·σ_LTD [k from the service target]."""

    z: float
    order_quantity: float
    lead_time: float
    lead_time_sd: float
    forecast: Forecaster = field(default_factory=OracleForecast)
    review_period: float | None = None
    demand_signal: DemandSignal = DemandSignal.own
    target: Setting | None = None
    """The service target k was made for (α or β), for the record."""
    k_source: str = GIVEN
    """How k was made from the target."""
    lot_source: str = GIVEN
    """How Q was set: ``given``, or the EOQ formula."""
    spec_class: ClassVar[type[SafetyStock]] = SafetyStock

    @classmethod
    def from_spec(cls, spec: SafetyStock, facts: PolicyFacts) -> SafetyStockPolicy:
        """k from the service level or fill rate; Q given or EOQ, over the lead time of a lot of Q."""
        p = spec.safety_stock
        q = p.order_quantity or economic_order_quantity(facts.order_cost, facts.holding_cost, facts.demand_rate)
        lead = facts.lead_time_for(q)
        k, target, k_source = _factor(
            p, q, lead_time_demand_sd(facts.demand_rate, facts.demand_sd, lead, facts.lead_time_sd)
        )
        return cls(
            k, q, lead, facts.lead_time_sd, forecaster(p.forecast), demand_signal=p.demand_signal, target=target,
            k_source=k_source, lot_source=GIVEN if p.order_quantity else "√(2DK/h)",
        )  # fmt: skip

    @property
    def history(self) -> int:
        """Days of demand the forecast needs."""
        return self.forecast.history

    def reorder_point(self, view: StockView) -> float:
        """Forecast lead-time demand plus k standard deviations of it."""
        mean, sd = self.forecast.forecast(view.recent_demand, view.facts, self.lead_time)
        return mean * self.lead_time + self.z * lead_time_demand_sd(mean, sd, self.lead_time, self.lead_time_sd)

    def decide(self, view: StockView) -> Order | None:
        """Order lots of Q while the position is at or below the reorder point."""
        r = self.reorder_point(view)
        ip = view.inventory_position
        return Order(orders_of(self.order_quantity, r - ip)) if ip <= r else None

    def parameters(self, facts: PointFacts) -> StartingParameters:
        """The target, k, σ_LTD, r and Q before any demand is seen (the forecast then gives the scenario's D, σ_D);
        the safety stock is r − D·L = k·σ_LTD."""
        view = StockView(0.0, 0.0, 0.0, 0.0, facts)
        mean, sd = self.forecast.forecast((), facts, self.lead_time)
        sigma = lead_time_demand_sd(mean, sd, self.lead_time, self.lead_time_sd)
        r = self.reorder_point(view)
        settings = (
            *(() if self.target is None else (self.target,)),
            Setting("k", "safety factor", self.z, "", self.k_source),
            Setting("σ_LTD", "sd of lead-time demand", sigma, "units", "√(L·σ_D² + D²·σ_L²)"),
            Setting("r", "reorder point", r, "units", "D·L + k·σ_LTD"),
            Setting("Q", "order quantity", self.order_quantity, "units", self.lot_source),
        )
        facts_now = facts._replace(demand_rate=mean, demand_sd=sd)
        return lot_parameters(settings, facts_now, r, self.order_quantity, self.lead_time)


def _factor(p: SafetyStockParams, lot: float, sigma_ltd: float) -> tuple[float, Setting, str]:
    """The safety factor k for the spec's target (exactly one is given), the target, and how k was made."""
    if p.fill_rate is not None:
        beta = Setting("β", "fill rate target", p.fill_rate, "")
        return fill_rate_factor(p.fill_rate, lot, sigma_ltd), beta, "G(k)·σ_LTD = (1 − β)·Q"
    assert p.service_level is not None
    return safety_factor(p.service_level), Setting("α", "cycle service level target", p.service_level, ""), "Φ⁻¹(α)"
