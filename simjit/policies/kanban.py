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

from dataclasses import dataclass
from typing import ClassVar

from simjit.policies.base import Order, StockView
from simjit.policies.facts import PolicyFacts
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
    spec_class: ClassVar[type[Kanban]] = Kanban

    @classmethod
    def from_spec(cls, spec: Kanban, facts: PolicyFacts) -> KanbanPolicy:
        """``kanban: {containers, container_size, safety_time?}``; the safety time is sized from D."""
        p = spec.kanban
        return cls(p.containers, p.container_size, p.safety_time, demand_rate=facts.demand_rate)

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
