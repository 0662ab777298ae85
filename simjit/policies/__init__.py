"""Replenishment policies: the Policy protocol, the built-in policies and the registry."""

from simjit.policies.base import Order, PointFacts, Policy, StockView
from simjit.policies.base_stock import BaseStockPolicy
from simjit.policies.eoq import eoq_policy
from simjit.policies.formulas import economic_order_quantity, lead_time_demand_sd, safety_factor
from simjit.policies.kanban import KanbanPolicy
from simjit.policies.make_to_order import MakeToOrderPolicy
from simjit.policies.order_up_to import OrderUpToPolicy
from simjit.policies.parameters import Setting, StartingParameters, StatesParameters
from simjit.policies.r_q import ReorderPointQuantity
from simjit.policies.registry import PolicyFacts, build_policy
from simjit.policies.s_s import MinMax
from simjit.policies.safety_stock import SafetyStockPolicy

__all__ = [
    "BaseStockPolicy",
    "KanbanPolicy",
    "MakeToOrderPolicy",
    "MinMax",
    "Order",
    "OrderUpToPolicy",
    "PointFacts",
    "Policy",
    "PolicyFacts",
    "ReorderPointQuantity",
    "SafetyStockPolicy",
    "Setting",
    "StartingParameters",
    "StatesParameters",
    "StockView",
    "build_policy",
    "economic_order_quantity",
    "eoq_policy",
    "lead_time_demand_sd",
    "safety_factor",
]
