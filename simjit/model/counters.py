"""The running totals a stock point keeps: one typed, slotted object, its field names the one list."""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["COUNTERS", "Counters"]


@dataclass(slots=True)
class Counters:
    """Every running total a stock point keeps (units, orders, money, time integrals); KPIs are
    their differences over [warmup, horizon].

    Two are levels rather than totals: ``stock_value`` (what the units on hand and on order that
    this point holds or has paid for cost) and ``wip_value`` (the components in its line's work in
    process); their difference is the change in value over the window. ``used_value`` is the
    cost of the goods that left the network here (sold, spoiled, lost in a yield)."""

    initial: float = 0.0
    received: float = 0.0
    shipped: float = 0.0
    consumed: float = 0.0
    scrapped: float = 0.0
    expired: float = 0.0
    defective: float = 0.0
    demand: float = 0.0
    served_now: float = 0.0
    served_late: float = 0.0
    lost: float = 0.0
    wait: float = 0.0
    wait_lost: float = 0.0
    internal_demand: float = 0.0
    internal_served_now: float = 0.0
    orders: float = 0.0
    expedited_orders: float = 0.0
    backup_orders: float = 0.0
    backup_units: float = 0.0
    expedited_units: float = 0.0
    ordering_cost: float = 0.0
    cycles: float = 0.0
    short_cycles: float = 0.0
    area_on_hand: float = 0.0
    area_backorders: float = 0.0
    area_pipeline: float = 0.0
    zero_time: float = 0.0
    purchase_cost: float = 0.0
    expedite_cost: float = 0.0
    order_units: float = 0.0
    starved: float = 0.0
    line_idle: float = 0.0
    stock_value: float = 0.0
    wip_value: float = 0.0
    used_value: float = 0.0
    expired_value: float = 0.0
    area_value: float = 0.0
    paid_days: float = 0.0

    def as_dict(self) -> dict[str, float]:
        """The totals by name (a snapshot: later changes do not show in it)."""
        return {name: getattr(self, name) for name in COUNTERS}


COUNTERS = tuple(f.name for f in fields(Counters))
"""The names of the running totals, in declaration order."""
