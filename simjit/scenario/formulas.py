"""Closed-form inventory formulas with explicit parameters, named after their textbook symbols.

They live at the bottom of the layers so that the policies (which are built from them) and the
scenario's own checks (which say what those policies will do) read the same formulas.
"""

from __future__ import annotations

import math
from statistics import NormalDist

__all__ = ["economic_order_quantity", "lead_time_demand_sd", "safety_factor"]


def economic_order_quantity(fixed_cost: float, holding_cost: float, demand_rate: float) -> float:
    """Q* = sqrt(2·K·D / h) (Harris 1913): order cost [K], holding cost per unit per period [h],
    demand per period [D]. With no order cost or no holding cost, one period's demand."""
    if fixed_cost <= 0 or holding_cost <= 0 or demand_rate <= 0:
        return max(demand_rate, 1.0)
    return math.sqrt(2.0 * fixed_cost * demand_rate / holding_cost)


def safety_factor(service_level: float) -> float:
    """z such that P(Z ≤ z) = service level for a standard normal Z (the cycle service level)."""
    return NormalDist().inv_cdf(service_level)


def lead_time_demand_sd(demand_rate: float, demand_sd: float, lead_time: float, lead_time_sd: float) -> float:
    """σ_LTD = sqrt(L·σ_D² + D²·σ_L²) for i.i.d. daily demand (D, σ_D) and lead time (L, σ_L)."""
    return math.sqrt(lead_time * demand_sd**2 + demand_rate**2 * lead_time_sd**2)
