"""Closed-form inventory formulas with explicit parameters, named after their textbook symbols.

They live at the bottom of the layers so that the policies (which are built from them) and the
scenario's own checks (which say what those policies will do) read the same formulas.
"""

from __future__ import annotations

import math
from statistics import NormalDist

__all__ = [
    "FILL_RATE_FACTOR_MAX",
    "economic_order_quantity",
    "fill_rate_factor",
    "kanban_containers",
    "lead_time_demand_sd",
    "normal_loss",
    "safety_factor",
]


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


FILL_RATE_FACTOR_MAX = 8.0
"""The largest safety factor :func:`fill_rate_factor` gives: 8 sd, past which the normal tail is below
floating-point resolution and G(k) no longer decreases (a fill rate that close to 1 is asked of a lot
too small for it)."""


def normal_loss(k: float) -> float:
    """G(k) = φ(k) − k·(1 − Φ(k)): the expected shortfall E[(Z − k)⁺] of a standard normal Z over k,
    the unit normal loss function (Silver, Pyke & Thomas 2017, §7 and Appendix B)."""
    tail = 0.5 * math.erfc(k / math.sqrt(2.0))  # 1 − Φ(k), exact far into the upper tail
    return math.exp(-0.5 * k * k) / math.sqrt(2.0 * math.pi) - k * tail


def fill_rate_factor(fill_rate: float, order_quantity: float, sigma_ltd: float) -> float:
    """The safety factor k of a fill-rate target β [fill_rate]: the root of G(k)·σ_LTD = (1 − β)·Q
    (Silver, Pyke & Thomas 2017, §7, the P2 service measure; Axsäter 2015, ch. 5), so that the units
    short in a cycle, σ_LTD·G(k), are the share 1 − β of the Q units the cycle sells.

    k is negative when a lot covers so much demand that fewer than (1 − β)·Q units short per cycle need
    a reorder point below the mean lead-time demand; the safety stock k·σ_LTD stays above −(1 − β)·Q
    (as G(k) ≥ −k), so no lower clamp is needed. k is clamped above at :data:`FILL_RATE_FACTOR_MAX`.
    With no spread (σ_LTD = 0) nothing is ever short of the mean: k = 0."""
    if sigma_ltd <= 0:
        return 0.0
    from scipy.optimize import brentq  # ~0.1 s to import: only a scenario with a fill-rate target pays it

    target = (1.0 - fill_rate) * order_quantity / sigma_ltd
    if normal_loss(FILL_RATE_FACTOR_MAX) >= target:
        return FILL_RATE_FACTOR_MAX
    low = -target - 1.0  # G(low) ≥ −low > target: the root lies above
    return float(brentq(lambda k: normal_loss(k) - target, low, FILL_RATE_FACTOR_MAX, xtol=1e-12))


def kanban_containers(demand_rate: float, cycle_time: float, safety_time: float, container_size: float) -> int:
    """Toyota's number of kanbans N = ⌈D·(L + S)/c⌉ (Monden 2011, the safety coefficient α as a safety
    time S in days): mean demand per day [D], a card's cycle time in days [L], container size [c]."""
    return math.ceil(demand_rate * (cycle_time + safety_time) / container_size - 1e-9)
