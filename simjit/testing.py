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

from simjit.policies.base import Order, PointFacts, Policy, StockView, numeric_decision
from simjit.scenario.policy_specs import DemandSignal

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
    takes on hand + on order above it, however many customers wait — kanban's N·c). The view is
    immutable, so what ``decide`` could wrongly change is the policy itself: its attributes
    (instance dict and slots, frozen or not, compared deep) must be the same after every call.
    A built-in policy whose engine fast path asks ``order_size`` must order exactly what it returns.
    A declared ``demand_signal`` must be ``own`` or ``customer``, and ``customer`` wants some history.
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
    signal = getattr(p, "demand_signal", DemandSignal.own)
    assert signal in {s.value for s in DemandSignal}, (
        f"{name}.demand_signal must be one of {', '.join(s.value for s in DemandSignal)}, got {signal!r}"
    )
    assert signal != DemandSignal.customer or p.history > 0, (
        f"{name}.demand_signal is customer but its history is 0: it would never see the demand it asks for"
    )
    idle = getattr(p, "idle_above", None)
    size = numeric_decision(p)
    for view in conformance_views():
        before = _snapshot(p)
        first = p.decide(view)
        _assert_state_kept(name, before, _snapshot(p), view)
        assert first is None or isinstance(first, Order), (
            f"{name}.decide must return an Order or None, got {first!r} for {view}"
        )
        if first is not None:
            q = first.quantity
            assert math.isfinite(q) and q > 0, f"{name} ordered {q!r} for {view}"
        again = p.decide(view)
        assert again == first, f"{name}.decide is not deterministic: {first} then {again} for {view}"
        if size is not None:
            fast = size(view.on_hand, view.backorders, view.on_order)
            assert fast == (0.0 if first is None else first.quantity), (
                f"{name}.order_size gives {fast!r} where decide gives {first} for {view}"
            )
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


def _attributes(obj: object) -> dict[str, Any]:
    """What an object holds, by name: its instance dict and its slots, of every class in its MRO."""
    names = list(getattr(obj, "__dict__", {}))
    for klass in type(obj).__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    skip = {"__dict__", "__weakref__"}
    return {n: getattr(obj, n) for n in dict.fromkeys(names) if n not in skip and hasattr(obj, n)}


def _snapshot(policy: object) -> dict[str, Any]:
    """A deep copy of a policy's attributes; one that cannot be copied (a lock, a file) is left out."""
    copies = {}
    for attr, value in _attributes(policy).items():
        try:
            copies[attr] = copy.deepcopy(value)
        except Exception:  # an uncopyable attribute cannot be compared, only skipped
            continue
    return copies


def _same(a: Any, b: Any, depth: int = 0) -> bool:
    """Structural equality of two snapshots: NaN equals NaN, objects without ``__eq__`` compare by
    attributes (a deep copy is never ``is`` the original), arrays elementwise."""
    if depth > 20:
        return True  # a cycle or a very deep structure: no verdict rather than a false alarm
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y, depth + 1) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(v, b[k], depth + 1) for k, v in a.items())
    if type(a).__eq__ is object.__eq__:
        return _same(_attributes(a), _attributes(b), depth + 1)
    try:
        return bool(a == b)
    except ValueError:  # numpy: == is elementwise
        return bool((a == b).all())


def _assert_state_kept(name: str, before: dict[str, Any], after: dict[str, Any], view: StockView) -> None:
    for attr, old in before.items():
        new = after.get(attr, "<deleted>")
        assert _same(old, new), (
            f"{name}.decide changed the policy's own state: {attr} was {old!r}, now {new!r}, for {view}; "
            "a policy must decide from the view alone (the engine asks it any number of times)"
        )
    added = sorted(set(after) - set(before))
    assert not added, f"{name}.decide added attributes {added} to the policy, for {view}"
