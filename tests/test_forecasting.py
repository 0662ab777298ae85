"""Forecasters recover the mean, trend and season of synthetic demand series."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import TypeAdapter

from simjit.policies.base import PointFacts
from simjit.policies.forecasting import (
    FORECASTERS,
    HoltForecast,
    HoltWintersForecast,
    MovingAverageForecast,
    OracleForecast,
    SmoothingForecast,
    forecaster,
)
from simjit.scenario import Forecast
from simjit.scenario.policy_specs import FORECASTS

FACTS = PointFacts("site", "item", demand_rate=10.0, demand_sd=2.0)


def noise(n: int, sd: float, seed: int = 3) -> np.ndarray:
    return np.random.Generator(np.random.PCG64(seed)).normal(0.0, sd, n)


@pytest.mark.parametrize("method", [MovingAverageForecast(60), SmoothingForecast(0.05)])
def test_level_methods_recover_a_constant_mean(method) -> None:  # type: ignore[no-untyped-def]
    past = tuple((50.0 + noise(400, 5.0)).tolist())[-method.history :]
    mean, sd = method.forecast(past, FACTS)
    # window means of sd 5 over >= 40 effective points: within 4 standard errors
    assert abs(mean - 50.0) < 4 * 5.0 / math.sqrt(39)
    assert 4.0 < sd < 6.5


def test_holt_recovers_level_and_trend() -> None:
    t = np.arange(300)
    past = tuple((20.0 + 0.5 * t + noise(300, 1.0)).tolist())[-120:]
    mean_next, sd = HoltForecast(0.3, 0.1).forecast(past, FACTS, horizon=1)
    mean_10, _ = HoltForecast(0.3, 0.1).forecast(past, FACTS, horizon=10)
    assert abs(mean_next - (20 + 0.5 * 300)) < 1.5
    # the mean over the next 10 days is the value 5.5 days ahead on the trend line
    assert abs((mean_10 - mean_next) - 0.5 * 4.5) < 0.3
    assert sd < 2.0


def test_holt_winters_recovers_the_weekly_season() -> None:
    t = np.arange(210)
    season = np.array([10.0, 0.0, -5.0, 5.0, 15.0, -10.0, -15.0])
    series = 100.0 + season[t % 7] + noise(210, 1.0)
    method = HoltWintersForecast(0.2, 0.05, 0.3, 7)
    past = tuple(series.tolist())[-method.history :]
    for k in range(7):
        mean, _ = method.forecast(past[: len(past) - 7 + k], FACTS, horizon=1)
        expected = 100.0 + season[(210 - 7 + k) % 7]
        assert abs(mean - expected) < 2.0, (k, mean, expected)
    weekly, _ = method.forecast(past, FACTS, horizon=7)
    assert abs(weekly - 100.0) < 1.0


def test_oracle_and_short_histories_use_the_scenario_values() -> None:
    assert OracleForecast().forecast((1.0, 2.0, 3.0), FACTS) == (10.0, 2.0)
    for method in (MovingAverageForecast(28), SmoothingForecast(0.2), HoltForecast(0.2, 0.1)):
        assert method.forecast((5.0,), FACTS) == (10.0, 2.0)


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        ("oracle", OracleForecast),
        ({"moving_average": 7}, MovingAverageForecast),
        ({"exponential_smoothing": {"alpha": 0.3}}, SmoothingForecast),
        ({"holt": {"alpha": 0.3, "beta": 0.1}}, HoltForecast),
        ({"holt_winters": {"alpha": 0.3, "beta": 0.1, "gamma": 0.2, "season": 7}}, HoltWintersForecast),
    ],
)
def test_specs_build_their_forecaster(spec: object, kind: type) -> None:
    assert isinstance(forecaster(TypeAdapter(Forecast).validate_python(spec)), kind)


def test_every_forecast_kind_has_a_forecaster() -> None:
    assert set(FORECASTERS) == set(FORECASTS)
