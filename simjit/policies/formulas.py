"""Closed-form inventory formulas with explicit parameters, named after their textbook symbols: the
policies' names for the formulas the scenario layer declares (its checks read them too)."""

from __future__ import annotations

from simjit.scenario.assignment import abc_classes
from simjit.scenario.formulas import economic_order_quantity, lead_time_demand_sd, safety_factor

__all__ = ["abc_classes", "economic_order_quantity", "lead_time_demand_sd", "safety_factor"]
