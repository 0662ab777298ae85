"""Periodic order-up-to (R, S): every R days, order S − inventory position.

With a fixed level this is the rule whose optimal S is the critical fractile of demand over
R + L (Zipkin 2000, §6.4). With ``cover_days`` the level follows the forecast:
S = D̂·cover_days + z·σ̂·sqrt(cover_days) (the safety term only with a service level). The forecast
learns from the demand the stock point sees, or with ``demand_signal: customer`` from the end-customer
demand downstream (shared point-of-sale data).

With a p-day moving average, z = 0 and daily reviews, the orders' variance over the demand's is
1 + 2L/p + 2L²/p² (Chen, Drezner, Ryan & Simchi-Levi 2000) with L = cover_days, the days the level
covers (the lead time plus the review period), when each day's demand is complete before the review
(``arrivals``); ``tests/test_bullwhip.py`` checks it, the chains' versions and the ``per_day`` case.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from simjit.policies.base import Order, PointFacts, StockView
from simjit.policies.facts import PolicyFacts
from simjit.policies.forecasting import Forecaster, forecaster
from simjit.policies.formulas import safety_factor
from simjit.policies.parameters import GIVEN, Setting, StartingParameters
from simjit.scenario.policy_specs import DemandSignal, OrderUpTo

__all__ = ["OrderUpToPolicy"]


@dataclass(frozen=True)
class OrderUpToPolicy:
    """(R, S) with review period ``review_period`` [R] and level ``level`` [S] or days of cover."""

    level: float | None = None
    review_period: float | None = 1.0
    cover_days: float | None = None
    forecast: Forecaster | None = None
    z: float = 0.0
    demand_signal: DemandSignal = DemandSignal.own
    spec_class: ClassVar[type[OrderUpTo]] = OrderUpTo

    @classmethod
    def from_spec(cls, spec: OrderUpTo, facts: PolicyFacts) -> OrderUpToPolicy:
        """A fixed level or cover days of the forecast; z from the service level, if one is given."""
        p = spec.order_up_to
        z = safety_factor(p.service_level) if p.service_level is not None else 0.0
        return cls(p.level, p.review_period, p.cover_days, forecaster(p.forecast), z, p.demand_signal)

    @property
    def history(self) -> int:
        """Days of demand the forecast needs (none for a fixed level)."""
        return self.forecast.history if self.forecast is not None and self.level is None else 0

    def target(self, view: StockView) -> float:
        """The order-up-to level S now."""
        if self.level is not None:
            return self.level
        assert self.forecast is not None and self.cover_days is not None
        mean, sd = self.forecast.forecast(view.recent_demand, view.facts, self.cover_days)
        return mean * self.cover_days + self.z * sd * math.sqrt(self.cover_days)

    def decide(self, view: StockView) -> Order | None:
        """Order up to S at each review."""
        gap = self.target(view) - view.inventory_position
        return Order(gap) if gap > 1e-9 else None

    def parameters(self, facts: PointFacts) -> StartingParameters:
        """R and S as given, or S from the days of cover before any demand is seen (the forecast then gives
        the scenario's D and σ_D). Safety stock S − D·(R + L); the position averages S − D·R/2 (Zipkin
        2000, §6.4); one order a review."""
        period = self.review_period or 0.0
        level = self.target(StockView(0.0, 0.0, 0.0, 0.0, facts))
        d, lead = facts.demand_rate, facts.lead_time_mean
        if self.forecast is not None and self.level is None:
            d, sd = self.forecast.forecast((), facts, self.cover_days or 0.0)
            facts = facts._replace(demand_rate=d, demand_sd=sd)
        z = self.z if self.cover_days is not None else 0.0  # a fixed level has no safety term
        made = "D·T + z·σ_D·√T" if z else "D·T"
        settings = (
            Setting("R", "review period", period, "days"),
            *(() if self.cover_days is None else (Setting("T", "days of cover", self.cover_days, "days"),)),
            *(() if not z else (Setting("z", "safety factor", z, "", "Φ⁻¹(α)"),)),
            Setting("S", "order-up-to level", level, "units", GIVEN if self.level is not None else made),
        )
        return StartingParameters(
            settings, d, facts.demand_sd, lead, facts.lead_time_sd, safety_stock=level - d * (period + lead),
            average_position=level - d * period / 2, orders_per_day=1 / period if period else None,
        )  # fmt: skip
