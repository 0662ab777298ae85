"""Closed-form inventory formulas with explicit parameters, named after their textbook symbols: the
policies' names for the formulas the scenario layer declares (its checks read them too)."""

from __future__ import annotations

import math

from simjit.scenario.assignment import abc_classes
from simjit.scenario.formulas import economic_order_quantity, lead_time_demand_sd, safety_factor

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
