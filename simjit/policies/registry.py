"""From a scenario's policy spec (a tagged kind) to a policy object, given the stock point's facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simjit.policies.base import Policy
from simjit.policies.base_stock import BaseStockPolicy
from simjit.policies.eoq import eoq_policy
from simjit.policies.forecasting import forecaster
from simjit.policies.formulas import economic_order_quantity, safety_factor
from simjit.policies.kanban import KanbanPolicy
from simjit.policies.make_to_order import MakeToOrderPolicy
from simjit.policies.order_up_to import OrderUpToPolicy
from simjit.policies.plugins import load_plugin
from simjit.policies.r_q import ReorderPointQuantity
from simjit.policies.s_s import MinMax
from simjit.policies.safety_stock import SafetyStockPolicy
from simjit.scenario.policy_specs import (
    RQ,
    SS,
    BaseStock,
    Eoq,
    Kanban,
    MakeToOrder,
    OrderUpTo,
    PolicySpec,
    PythonPolicy,
    SafetyStock,
)

__all__ = ["PolicyFacts", "build_policy"]


@dataclass(frozen=True)
class PolicyFacts:
    """What a policy may be parameterised from: mean daily demand, lead time and costs."""

    demand_rate: float
    demand_sd: float
    lead_time: float
    lead_time_sd: float
    holding_cost: float
    order_cost: float
    production_rate: float | None = None
    allow_plugins: bool = False

    def lead_time_for(self, lot: float) -> float:
        """Replenishment time of a lot: the fixed lead time, plus lot / rate when a line makes it."""
        return self.lead_time + (lot / self.production_rate if self.production_rate else 0.0)


def _eoq(spec: Eoq, f: PolicyFacts) -> Policy:
    p = spec.eoq
    return eoq_policy(
        f.demand_rate, f.order_cost, f.holding_cost, f.lead_time,
        order_quantity=p.order_quantity, reorder_point=p.reorder_point, production_rate=f.production_rate,
    )  # fmt: skip


def _safety(spec: SafetyStock, f: PolicyFacts) -> Policy:
    p = spec.safety_stock
    q = p.order_quantity or economic_order_quantity(f.order_cost, f.holding_cost, f.demand_rate)
    return SafetyStockPolicy(
        safety_factor(p.service_level), q, f.lead_time_for(q), f.lead_time_sd, forecaster(p.forecast)
    )


def _order_up_to(spec: OrderUpTo, f: PolicyFacts) -> Policy:
    p = spec.order_up_to
    z = safety_factor(p.service_level) if p.service_level is not None else 0.0
    return OrderUpToPolicy(p.level, p.review_period, p.cover_days, forecaster(p.forecast), z)


def _plugin(spec: PythonPolicy, f: PolicyFacts) -> Policy:
    return load_plugin(spec.python, f.allow_plugins)


_BUILDERS: dict[type, Callable[[Any, PolicyFacts], Policy]] = {
    RQ: lambda s, f: ReorderPointQuantity(s.r_Q.reorder_point, s.r_Q.order_quantity),
    SS: lambda s, f: MinMax(s.s_S.s, s.s_S.S, s.s_S.review_period),
    BaseStock: lambda s, f: BaseStockPolicy(s.base_stock.level),
    OrderUpTo: _order_up_to,
    Kanban: lambda s, f: KanbanPolicy(
        s.kanban.containers, s.kanban.container_size, s.kanban.safety_time, demand_rate=f.demand_rate
    ),
    Eoq: _eoq,
    SafetyStock: _safety,
    MakeToOrder: lambda s, f: MakeToOrderPolicy(),
    PythonPolicy: _plugin,
}


def build_policy(spec: PolicySpec, facts: PolicyFacts) -> Policy:
    """The policy object a spec describes, parameterised by the stock point's facts."""
    return _BUILDERS[type(spec)](spec, facts)
