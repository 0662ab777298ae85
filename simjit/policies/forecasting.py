"""Demand forecasts from a stock point's recent daily demand: a mean for the coming days and the
spread of one-day-ahead errors, for the policies that size buffers from them.

Each forecaster is a pure function of the history in the view (no hidden state), so policies
stay deterministic for equal views. Methods follow Hyndman & Athanasopoulos, *Forecasting:
Principles and Practice* (3rd ed.), ch. 8: simple exponential smoothing, Holt's linear trend,
additive Holt–Winters.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from simjit.policies.base import PointFacts
from simjit.scenario.policy_specs import (
    ORACLE,
    ExponentialSmoothing,
    Forecast,
    ForecastKind,
    Holt,
    HoltWinters,
    MovingAverage,
)

__all__ = [
    "FORECASTERS",
    "Forecaster",
    "HoltForecast",
    "HoltWintersForecast",
    "MovingAverageForecast",
    "OracleForecast",
    "SmoothingForecast",
    "forecaster",
]

WINDOW = 120
"""Days of history the smoothing methods run over (enough for their weights to settle)."""


class Forecaster(Protocol):
    """Predicts mean daily demand over the next ``horizon`` days and the sd of daily demand."""

    @property
    def history(self) -> int:
        """Days of past demand it needs."""
        ...

    def forecast(self, past: Sequence[float], facts: PointFacts, horizon: float = 1.0) -> tuple[float, float]:
        """(mean demand per day over the next ``horizon`` days, sd of one day's demand)."""
        ...


def _rmse(errors: list[float], fallback: float) -> float:
    return math.sqrt(math.fsum(e * e for e in errors) / len(errors)) if errors else fallback


@dataclass(frozen=True)
class OracleForecast:
    """The scenario's true mean and sd (for teaching: a forecast without error)."""

    history: int = 0

    def forecast(self, past: Sequence[float], facts: PointFacts, horizon: float = 1.0) -> tuple[float, float]:
        """The true rate and sd from the scenario."""
        return facts.demand_rate, facts.demand_sd


@dataclass(frozen=True)
class MovingAverageForecast:
    """Mean and sample sd of the last N days; the scenario's values until two days are seen."""

    history: int
    spec_class: ClassVar[type[MovingAverage]] = MovingAverage

    @classmethod
    def from_spec(cls, spec: MovingAverage) -> MovingAverageForecast:
        """``moving_average: N``."""
        return cls(spec.moving_average)

    def forecast(self, past: Sequence[float], facts: PointFacts, horizon: float = 1.0) -> tuple[float, float]:
        """Mean of the window; sd of its values."""
        if len(past) < 2:
            return facts.demand_rate, facts.demand_sd
        mean = math.fsum(past) / len(past)
        return mean, math.sqrt(math.fsum((x - mean) ** 2 for x in past) / (len(past) - 1))


@dataclass(frozen=True)
class SmoothingForecast:
    """Simple exponential smoothing: level ℓ_t = α·y_t + (1 − α)·ℓ_{t−1}."""

    alpha: float
    history: int = WINDOW
    spec_class: ClassVar[type[ExponentialSmoothing]] = ExponentialSmoothing

    @classmethod
    def from_spec(cls, spec: ExponentialSmoothing) -> SmoothingForecast:
        """``exponential_smoothing: {alpha}``."""
        return cls(spec.exponential_smoothing.alpha)

    def forecast(self, past: Sequence[float], facts: PointFacts, horizon: float = 1.0) -> tuple[float, float]:
        """The level; sd from one-step errors."""
        if len(past) < 2:
            return facts.demand_rate, facts.demand_sd
        level, errors = past[0], []
        for y in past[1:]:
            errors.append(y - level)
            level += self.alpha * (y - level)
        return level, _rmse(errors, facts.demand_sd)


@dataclass(frozen=True)
class HoltForecast:
    """Holt's linear method: level and trend, the mean over the horizon follows the trend."""

    alpha: float
    beta: float
    history: int = WINDOW
    spec_class: ClassVar[type[Holt]] = Holt

    @classmethod
    def from_spec(cls, spec: Holt) -> HoltForecast:
        """``holt: {alpha, beta}``."""
        return cls(spec.holt.alpha, spec.holt.beta)

    def forecast(self, past: Sequence[float], facts: PointFacts, horizon: float = 1.0) -> tuple[float, float]:
        """Mean of ℓ + k·b for k = 1 … horizon; sd from one-step errors."""
        if len(past) < 3:
            return facts.demand_rate, facts.demand_sd
        level, trend, errors = past[1], past[1] - past[0], []
        for y in past[2:]:
            predicted = level + trend
            errors.append(y - predicted)
            new_level = self.alpha * y + (1 - self.alpha) * predicted
            trend = self.beta * (new_level - level) + (1 - self.beta) * trend
            level = new_level
        mean = level + trend * (1 + max(horizon, 1.0)) / 2
        return max(mean, 0.0), _rmse(errors, facts.demand_sd)


@dataclass(frozen=True)
class HoltWintersForecast:
    """Additive Holt–Winters with a season of m days (weekly: m = 7)."""

    alpha: float
    beta: float
    gamma: float
    season: int
    spec_class: ClassVar[type[HoltWinters]] = HoltWinters

    @classmethod
    def from_spec(cls, spec: HoltWinters) -> HoltWintersForecast:
        """``holt_winters: {alpha, beta, gamma, season}``."""
        p = spec.holt_winters
        return cls(p.alpha, p.beta, p.gamma, p.season)

    @property
    def history(self) -> int:
        """At least four seasons, and the smoothing window."""
        return max(WINDOW, 4 * self.season)

    def forecast(self, past: Sequence[float], facts: PointFacts, horizon: float = 1.0) -> tuple[float, float]:
        """Mean of ℓ + k·b + s over the next ``horizon`` days; sd from one-step errors."""
        m = self.season
        if len(past) < 2 * m:
            return facts.demand_rate, facts.demand_sd
        first, second = past[:m], past[m : 2 * m]
        level = math.fsum(first) / m
        trend = (math.fsum(second) - math.fsum(first)) / (m * m)
        seasonal = [y - level for y in first]
        errors: list[float] = []
        for t in range(m, len(past)):
            y, s = past[t], seasonal[t % m]
            errors.append(y - (level + trend + s))
            new_level = self.alpha * (y - s) + (1 - self.alpha) * (level + trend)
            trend = self.beta * (new_level - level) + (1 - self.beta) * trend
            seasonal[t % m] = self.gamma * (y - new_level) + (1 - self.gamma) * s
            level = new_level
        n = len(past)
        days = max(1, round(horizon))
        mean = math.fsum(level + k * trend + seasonal[(n + k - 1) % m] for k in range(1, days + 1)) / days
        return max(mean, 0.0), _rmse(errors, facts.demand_sd)


FORECASTERS: dict[type[ForecastKind], Callable[[Any], Forecaster]] = {
    cls.spec_class: cls.from_spec
    for cls in (MovingAverageForecast, SmoothingForecast, HoltForecast, HoltWintersForecast)
}
"""Each forecast kind's ``from_spec``, keyed by its spec model (``oracle``, a plain word, has none)."""


def forecaster(spec: Forecast | None) -> Forecaster:
    """The forecaster a scenario's spec names (none given: the oracle)."""
    if spec is None or spec == ORACLE:
        return OracleForecast()
    assert isinstance(spec, ForecastKind)
    return FORECASTERS[type(spec)](spec)
