"""Scenario files: YAML → typed, immutable models, with located errors and a JSON Schema."""

from simjit.scenario.distributions import DISTRIBUTION_KINDS, Distribution, distribution_mean, distribution_sd
from simjit.scenario.loader import load_scenario
from simjit.scenario.models import (
    Costs,
    Demand,
    Disruption,
    Event,
    Item,
    Line,
    OnStockout,
    PolicySet,
    Scenario,
    Site,
    StockPoint,
    Supplier,
    WaitUpTo,
)
from simjit.scenario.policy_specs import FORECAST_KINDS, POLICY_KINDS, Forecast, PolicySpec
from simjit.scenario.references import source_kind
from simjit.scenario.schema import scenario_schema

__all__ = [
    "DISTRIBUTION_KINDS",
    "FORECAST_KINDS",
    "POLICY_KINDS",
    "Costs",
    "Demand",
    "Disruption",
    "Distribution",
    "Event",
    "Forecast",
    "Item",
    "Line",
    "OnStockout",
    "PolicySet",
    "PolicySpec",
    "Scenario",
    "Site",
    "StockPoint",
    "Supplier",
    "WaitUpTo",
    "distribution_mean",
    "distribution_sd",
    "load_scenario",
    "scenario_schema",
    "source_kind",
]
