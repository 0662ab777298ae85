"""Closed-form inventory formulas with explicit parameters, named after their textbook symbols: the
policies' names for the formulas the scenario layer declares (its checks read them too)."""

from __future__ import annotations

from simjit.scenario.assignment import abc_classes
from simjit.scenario.formulas import (
    FILL_RATE_FACTOR_MAX,
    economic_order_quantity,
    fill_rate_factor,
    kanban_containers,
    lead_time_demand_sd,
    normal_loss,
    safety_factor,
)

__all__ = [
    "FILL_RATE_FACTOR_MAX",
    "abc_classes",
    "economic_order_quantity",
    "fill_rate_factor",
    "kanban_containers",
    "lead_time_demand_sd",
    "normal_loss",
    "safety_factor",
]
