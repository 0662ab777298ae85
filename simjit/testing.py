"""``check_policy``: the conformance suite every policy passes, built-in or a user's plug-in.

Like scikit-learn's ``check_estimator``: call it from your own tests,

    from simjit.testing import check_policy
    check_policy(MyPolicy, {"level": 40})

It raises AssertionError naming the view on which the policy misbehaved.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Iterator, Mapping
from typing import Any

from simjit.policies.base import Order, PointFacts, Policy, StockView

__all__ = ["check_policy", "conformance_views"]


def conformance_views() -> Iterator[StockView]:
    """Views a policy must cope with: empty, full, owed, huge backorders, zero demand, source down."""
    facts = [
        PointFacts("site", "item", 20.0, 5.0, 3.0, 1.0, 10.0, 0.01, 50.0),
        PointFacts("site", "item", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
        PointFacts("site", "item", 1e6, 1e3, 30.0, 10.0, 1e3, 1.0, 1e4),
    ]
    levels = (0.0, 1.0, 57.5, 1e4)
    owed = (0.0, 3.0, 1e9)
    history = ((), (0.0,) * 30, (20.0, 25.0, 15.0) * 10)
    for f, on_hand, backorders, on_order, up, recent in itertools.product(
        facts, levels, owed, levels, (True, False), history
    ):
        if on_hand > 0 and backorders > 0:
            continue
        yield StockView(7.0, on_hand, backorders, on_order, f, 4.0, up, recent)


def _build(policy: type | Policy, params: Mapping[str, Any] | None) -> Policy:
    if isinstance(policy, type):
        return policy(**(params or {}))  # type: ignore[no-any-return]
    assert not params, "pass params only with a policy class"
    return policy


def check_policy(policy: type | Policy, params: Mapping[str, Any] | None = None) -> None:
    """Assert that ``policy`` (a class with ``params``, or an instance) honours the Policy protocol.

    Promises a policy may declare and that are checked on every view: ``idle_above`` (no order
    while the inventory position is above it) and ``wip_cap`` (a pull loop's invariant: no order
    takes on hand + on order above it, however many customers wait — kanban's N·c).
    """
    p = _build(policy, params)
    name = type(p).__name__
    period = p.review_period
    assert period is None or (isinstance(period, (int, float)) and math.isfinite(period) and period > 0), (
        f"{name}.review_period must be None (continuous) or a positive number of days, got {period!r}"
    )
    assert isinstance(p.history, int) and p.history >= 0, (
        f"{name}.history must be a whole number >= 0, got {p.history!r}"
    )
    idle = getattr(p, "idle_above", None)
    for view in conformance_views():
        before = copy.deepcopy(view)
        first = p.decide(view)
        assert view == before, f"{name}.decide changed the view {view}"
        assert first is None or isinstance(first, Order), (
            f"{name}.decide must return an Order or None, got {first!r} for {view}"
        )
        if first is not None:
            q = first.quantity
            assert math.isfinite(q) and q > 0, f"{name} ordered {q!r} for {view}"
        again = p.decide(view)
        assert again == first, f"{name}.decide is not deterministic: {first} then {again} for {view}"
        cap = getattr(p, "wip_cap", None)
        if cap is not None and first is not None:
            held = view.on_hand + view.on_order + first.quantity
            assert held <= cap + 1e-9 * max(1.0, cap), (
                f"{name} promised wip_cap={cap} (on hand + on order, whatever is backordered) but ordered "
                f"{first} with {view.on_hand + view.on_order} held, for {view}"
            )
        if idle is not None and view.inventory_position > idle:
            assert first is None, (
                f"{name} promised idle_above={idle} but ordered {first} at position {view.inventory_position}"
            )
