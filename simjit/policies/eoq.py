"""EOQ: order Q* = sqrt(2DK/h) when the position reaches the expected lead-time demand D·L.

The textbook lot-sizing rule (Harris 1913) with a reorder point at mean lead-time demand and no
safety stock; in the simulation it is a continuous-review (r, Q) with these two numbers.
"""

from __future__ import annotations

from simjit.policies.formulas import economic_order_quantity
from simjit.policies.r_q import ReorderPointQuantity

__all__ = ["eoq_policy"]


def eoq_policy(
    demand_rate: float, order_cost: float, holding_cost: float, lead_time_of: float | None = None,
    *, order_quantity: float | None = None, reorder_point: float | None = None,
    production_rate: float | None = None,
) -> ReorderPointQuantity:  # fmt: skip
    """(r, Q) with Q = Q*(D [demand_rate], K [order_cost], h [holding_cost]) unless given, and
    r = D·L unless given; L is ``lead_time_of`` plus Q / rate for a line-made item."""
    q = order_quantity or economic_order_quantity(order_cost, holding_cost, demand_rate)
    lead = (lead_time_of or 0.0) + (q / production_rate if production_rate else 0.0)
    r = reorder_point if reorder_point is not None else demand_rate * lead
    return ReorderPointQuantity(reorder_point=r, order_quantity=q)
