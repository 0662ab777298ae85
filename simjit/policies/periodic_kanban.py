"""Periodic kanban: the cards of a kanban loop are collected only every R days — a milk run that
picks them up on its round (Hopp & Spearman, Factory Physics §10) — so the containers consumed
since the last round are ordered together, one order per card, at the review.

The loop is the kanban's: on hand + on order never exceeds N·c (+ s·D with a safety time); only
the moment cards travel changes, so between rounds the stock runs down by up to a period's demand.
"""

from __future__ import annotations

from typing import ClassVar

from simjit.policies.facts import PolicyFacts
from simjit.policies.kanban import KanbanPolicy
from simjit.scenario.policy_specs import PeriodicKanban

__all__ = ["PeriodicKanbanKind"]


class PeriodicKanbanKind:
    """The ``periodic_kanban`` kind: a :class:`KanbanPolicy` reviewed every R days, not after each demand.

    At a review the engine asks until the policy stops ordering, so the k cards freed since the
    last round make k orders of one container.
    """

    spec_class: ClassVar[type[PeriodicKanban]] = PeriodicKanban

    @classmethod
    def from_spec(cls, spec: PeriodicKanban, facts: PolicyFacts) -> KanbanPolicy:
        """``periodic_kanban: {containers, container_size, review_period, safety_time?}``."""
        p = spec.periodic_kanban
        return KanbanPolicy(
            p.containers, p.container_size, p.safety_time, facts.demand_rate, p.review_period,
            lead_time=facts.lead_time_for(p.container_size),
        )  # fmt: skip
