"""EOQ: order Q* = sqrt(2DK/h) when the position reaches the expected lead-time demand D·L.

The textbook lot-sizing rule (Harris 1913) with a reorder point at mean lead-time demand and no
safety stock; in the simulation it is a continuous-review (r, Q) with these two numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from simjit.policies.base import PointFacts
from simjit.policies.facts import PolicyFacts
from simjit.policies.formulas import economic_order_quantity
from simjit.policies.parameters import GIVEN, Setting, StartingParameters, lot_parameters
from simjit.policies.r_q import ReorderPointQuantity
from simjit.scenario.policy_specs import Eoq

__all__ = ["EoqKind", "EoqPolicy", "eoq_policy"]


@dataclass(frozen=True)
class EoqPolicy(ReorderPointQuantity):
    """The (r, Q) an EOQ sizing made, remembering the lead time it used and which numbers it computed."""

    lead_time: float = 0.0
    lot_source: str = "√(2DK/h)"
    point_source: str = "D·L"

    def parameters(self, facts: PointFacts) -> StartingParameters:
        """Q* and r as computed (or given), over the lead time of a lot of Q."""
        settings = (
            Setting("Q", "order quantity", self.order_quantity, "units", self.lot_source),
            Setting("r", "reorder point", self.reorder_point, "units", self.point_source),
        )
        return lot_parameters(settings, facts, self.reorder_point, self.order_quantity, self.lead_time)


def eoq_policy(
    demand_rate: float, order_cost: float, holding_cost: float, lead_time_of: float | None = None,
    *, order_quantity: float | None = None, reorder_point: float | None = None,
    production_rate: float | None = None,
) -> EoqPolicy:  # fmt: skip
    """(r, Q) with Q = Q*(D [demand_rate], K [order_cost], h [holding_cost]) unless given, and
    r = D·L unless given; L is ``lead_time_of`` plus Q / rate for a line-made item."""
    q = order_quantity or economic_order_quantity(order_cost, holding_cost, demand_rate)
    lead = (lead_time_of or 0.0) + (q / production_rate if production_rate else 0.0)
    r = reorder_point if reorder_point is not None else demand_rate * lead
    return EoqPolicy(
        reorder_point=r, order_quantity=q, lead_time=lead,
        lot_source=GIVEN if order_quantity else "√(2DK/h)", point_source=GIVEN if reorder_point is not None else "D·L",
    )  # fmt: skip


class EoqKind:
    """The ``eoq`` kind: the (r, Q) that :func:`eoq_policy` sizes."""

    spec_class: ClassVar[type[Eoq]] = Eoq

    @classmethod
    def from_spec(cls, spec: Eoq, facts: PolicyFacts) -> EoqPolicy:
        """Q and r given, or computed from the stock point's demand, costs and lead time."""
        p = spec.eoq
        return eoq_policy(
            facts.demand_rate, facts.order_cost, facts.holding_cost, facts.lead_time,
            order_quantity=p.order_quantity, reorder_point=p.reorder_point, production_rate=facts.production_rate,
        )  # fmt: skip
