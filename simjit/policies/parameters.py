"""The numbers a policy runs with, as a planner would enter them in an ERP: Q*, r, safety stock, S,
kanban N and c… with the demand and lead time they were sized for.

A policy states them through one optional method, ``parameters(facts) -> StartingParameters``, asked
once with the stock point's facts before anything is played (a forecasting policy states what it
computes from them, before it has seen any demand). ``simjit plan`` and the report show them; a
user's class without the method is shown as "not stated".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from simjit.policies.base import PointFacts

__all__ = ["GIVEN", "Setting", "StartingParameters", "StatesParameters", "lot_parameters"]

GIVEN = "given"
"""The source of a number the scenario states rather than a formula computes."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One number a policy runs with: its symbol (``Q``), what it is, its value and unit, and where it
    comes from (``given``, or the formula that made it: ``√(2DK/h)``)."""

    symbol: str
    meaning: str
    value: float
    unit: str
    source: str = GIVEN


@dataclass(frozen=True, slots=True)
class StartingParameters:
    """What a policy runs with at the start, and what it assumes about the stock point.

    ``safety_stock`` is the expected net stock just before a lot lands (r − D·L for an (r, Q) rule,
    S − D·(R + L) for a periodic one; None where the idea does not apply). ``average_position`` is the
    time average of the inventory position; as the net stock at t + L is the position at t less the
    demand between, the average stock on hand is about ``average_position`` − D·L (backorders ignored;
    Zipkin 2000, §6.2). ``orders_per_day`` is None for a rule that orders once per demand.
    ``references`` are textbook values shown beside the settings, not used by the policy.
    """

    settings: tuple[Setting, ...]
    demand_rate: float
    demand_sd: float
    lead_time: float
    lead_time_sd: float
    safety_stock: float | None = None
    average_position: float = 0.0
    orders_per_day: float | None = None
    references: tuple[Setting, ...] = ()


@runtime_checkable
class StatesParameters(Protocol):
    """A policy that states its starting parameters (every built-in one; a plug-in may)."""

    def parameters(self, facts: PointFacts) -> StartingParameters:
        """The numbers it runs with at the start, given the stock point's facts."""
        ...


def lot_parameters(
    settings: tuple[Setting, ...], facts: PointFacts, reorder_point: float, lot: float, lead_time: float
) -> StartingParameters:
    """A continuous (r, Q) rule's record: safety stock r − D·L, the position r + Q/2 on average (uniform
    over (r, r + Q]), D/Q orders a day (Hadley & Whitin 1963), with D and σ_D from the facts and the lead
    time L the rule was sized for."""
    d = facts.demand_rate
    return StartingParameters(
        settings, d, facts.demand_sd, lead_time, facts.lead_time_sd,
        safety_stock=reorder_point - d * lead_time, average_position=reorder_point + lot / 2, orders_per_day=d / lot,
    )  # fmt: skip
