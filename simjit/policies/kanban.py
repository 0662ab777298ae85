"""Kanban (JIT pull): N containers of c units circulate between the stock point and its source; a
container *consumed* sends its card back for one container (Ohno 1988; Hopp & Spearman, Factory
Physics §10).

The loop invariant, whatever the demand: containers on hand (a partly used one counts whole) plus
containers on order never exceed N — units on hand + on order ≤ N·c. Customers waiting do not
send cards (nothing was consumed for them), which caps the work in process: after an outage the
loop refills only as fast as its N cards cycle. With c = 1, Poisson demand and exponential
replenishment times, cards in transit plus waiting customers form an M/M/N queue (Erlang C),
where a base stock of the same level is an M/G/∞ (Palm). ``safety_time`` s sends cards s days of
forecast demand earlier (the "safety time, not just safety stock" mitigation): the ceiling rises
by s·D.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from simjit.policies.base import Order, PointFacts, StockView
from simjit.policies.facts import PolicyFacts
from simjit.policies.formulas import kanban_containers
from simjit.policies.parameters import Setting, StartingParameters
from simjit.scenario.policy_specs import Kanban

__all__ = ["KanbanPolicy"]


@dataclass(frozen=True)
class KanbanPolicy:
    """N ``containers`` of ``container_size`` c; one order per consumed container."""

    containers: int
    container_size: float
    safety_time: float = 0.0
    demand_rate: float = 0.0
    review_period: float | None = None
    history: int = 0
    lead_time: float | None = None
    """Days to replenish one container, for the record (None: the stock point's lead time)."""
    spec_class: ClassVar[type[Kanban]] = Kanban

    @classmethod
    def from_spec(cls, spec: Kanban, facts: PolicyFacts) -> KanbanPolicy:
        """``kanban: {containers, container_size, safety_time?}``; the safety time is sized from D."""
        p = spec.kanban
        return cls(
            p.containers, p.container_size, p.safety_time, demand_rate=facts.demand_rate,
            lead_time=facts.lead_time_for(p.container_size),
        )  # fmt: skip

    @property
    def ceiling(self) -> float:
        """Units the loop holds when every card is attached to a full container: N·c + s·D."""
        return self.containers * self.container_size + self.safety_time * self.demand_rate

    @property
    def wip_cap(self) -> float:
        """The loop invariant the conformance suite checks: on hand + on order never exceeds this."""
        return self.ceiling

    @property
    def idle_above(self) -> float:
        """No card is sent while less than one container has been consumed (on hand + on order is
        at least the inventory position, so a position above this never sends one)."""
        return self.ceiling - self.container_size + 1e-9

    def cards_free(self, view: StockView) -> float:
        """Cards back at the source's post: containers consumed and not yet reordered."""
        return (self.ceiling - view.on_hand - view.on_order) / self.container_size

    def order_size(self, on_hand: float, backorders: float, on_order: float) -> float:
        """One container while a consumed container's card is free (else 0); backorders send none."""
        free = (self.ceiling - on_hand - on_order) / self.container_size
        return self.container_size if free >= 1 - 1e-9 else 0.0

    def decide(self, view: StockView) -> Order | None:
        """Send one card — an order of one container — while a consumed container's card is free.

        The engine asks again after each order, so k consumed containers make k orders.
        """
        size = self.order_size(view.on_hand, view.backorders, view.on_order)
        return Order(size) if size > 0 else None

    def parameters(self, facts: PointFacts) -> StartingParameters:
        """N, c and s as given; the loop's N·c + s·D units and the days of demand they cover. A card
        goes back when the position falls to N·c + s·D − c, so the loop is the (r, Q) with that r and
        Q = c (R days later when cards are collected every R): safety stock N·c + s·D − c − D·(L + R).
        Beside them, Toyota's N = ⌈D·(L + R + s)/c⌉ (Monden 2011): the containers its rule gives for the
        same safety time counted in the containers (with s = 0, the smallest loop that covers the
        replenishment time)."""
        d, period = self.demand_rate, self.review_period or 0.0
        lead = facts.lead_time_mean if self.lead_time is None else self.lead_time
        c = self.container_size
        periodic = () if self.review_period is None else (Setting("R", "card collection period", period, "days"),)
        days = self.ceiling / d if d > 0 else math.inf
        cover = Setting("cover", "days of demand the loop holds", days, "days", "(N·c + s·D)/D")
        settings = (
            Setting("N", "containers (cards)", self.containers, "containers"),
            Setting("c", "container size", c, "units"),
            Setting("s", "safety time", self.safety_time, "days"),
            *periodic,
            Setting("N·c+s·D", "units in the loop", self.ceiling, "units", "N·c + s·D"),
            *((cover,) if d > 0 else ()),
        )
        toyota = Setting(
            "N_Toyota", "Toyota's number of kanbans", kanban_containers(d, lead + period, self.safety_time, c),
            "containers", "⌈D·(L + R + s)/c⌉" if self.review_period is not None else "⌈D·(L + s)/c⌉",
        )  # fmt: skip
        return StartingParameters(
            settings, d, facts.demand_sd, lead, facts.lead_time_sd,
            safety_stock=self.ceiling - c - d * (lead + period), average_position=self.ceiling - c / 2 - d * period / 2,
            orders_per_day=d / c, references=(toyota,),
        )  # fmt: skip
