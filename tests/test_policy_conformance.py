"""Every built-in policy passes the public conformance suite, and the suite catches broken policies."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import pytest
from pydantic import TypeAdapter

from simjit.policies import Order, PolicyFacts, StockView, build_policy
from simjit.policies.registry import policy_builders
from simjit.scenario import POLICY_KINDS, PolicySpec
from simjit.scenario.policy_specs import POLICIES
from simjit.testing import check_policy

SPECS = {
    "kanban": {"kanban": {"containers": 3, "container_size": 50, "safety_time": 1}},
    "eoq": {"eoq": {}},
    "safety_stock": {"safety_stock": {"service_level": 0.95, "forecast": {"moving_average": 14}}},
    "r_Q": {"r_Q": {"reorder_point": 60, "order_quantity": 100}},
    "s_S": {"s_S": {"s": 20, "S": 90, "review_period": 7}},
    "base_stock": {"base_stock": {"level": 40}},
    "order_up_to": {"order_up_to": {"cover_days": 10, "review_period": 5}},
    "make_to_order": {"make_to_order": {}},
    "periodic_kanban": {"periodic_kanban": {"containers": 3, "container_size": 50, "review_period": 5}},
}
FACTS = PolicyFacts(demand_rate=20, demand_sd=5, lead_time=3, lead_time_sd=1, holding_cost=0.01, order_cost=50)


def test_every_kind_but_plugins_is_covered() -> None:
    assert set(SPECS) == set(POLICY_KINDS) - {"python"}


def test_every_kind_is_built_by_exactly_one_class() -> None:
    assert set(policy_builders()) == set(POLICIES)


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_builtin_policy_conforms(kind: str) -> None:
    spec = TypeAdapter(PolicySpec).validate_python(SPECS[kind])
    check_policy(build_policy(spec, FACTS))


@dataclass(frozen=True)
class _Negative:
    review_period: float | None = None
    history: int = 0

    def decide(self, view: StockView) -> Order | None:
        return Order(1.0) if view.on_hand > 0 else None


@dataclass
class _Moody:
    review_period: float | None = None
    history: int = 0
    calls: int = 0

    def decide(self, view: StockView) -> Order | None:
        self.calls += 1
        return Order(1.0) if self.calls % 2 else None


@dataclass(frozen=True)
class _Diary:
    """Frozen, yet keeps what it saw in a list: answers the same, but its state grows with every call."""

    review_period: float | None = None
    history: int = 0
    seen: list[float] = field(default_factory=list)

    def decide(self, view: StockView) -> Order | None:
        self.seen.append(view.on_hand)
        return None


class _Slotted:
    """A slotted class (no ``__dict__``) that counts its calls."""

    __slots__ = ("calls", "history", "review_period")

    def __init__(self) -> None:
        self.review_period, self.history, self.calls = None, 0, 0

    def decide(self, view: StockView) -> Order | None:
        self.calls += 1
        return None


class _Helper:
    """A plain object without ``__eq__``: its deep copy is equal only attribute by attribute."""

    def __init__(self) -> None:
        self.weights = [0.5, 0.5]


class _Steady:
    """Holds a NaN, an array and a plain helper object, and changes none of them."""

    review_period = None
    history = 0

    def __init__(self) -> None:
        self.missing, self.table, self.helper = float("nan"), np.arange(3.0), _Helper()

    def decide(self, view: StockView) -> Order | None:
        return Order(self.table[1]) if view.on_hand == 0 else None


_TICKS = itertools.count()
"""State outside any policy: only the determinism check can see a policy that reads it."""


@dataclass(frozen=True)
class _Fickle:
    review_period: float | None = None
    history: int = 0

    def decide(self, view: StockView) -> Order | None:
        return Order(1.0) if next(_TICKS) % 2 else None


@dataclass(frozen=True)
class _Liar:
    review_period: float | None = None
    history: int = 0
    idle_above: float = 10.0

    def decide(self, view: StockView) -> Order | None:
        return Order(5.0)


@dataclass(frozen=True)
class _PositionKanban:
    """The old mistake: cards counted from the inventory position, so every backordered unit sends one."""

    review_period: float | None = None
    history: int = 0
    wip_cap: float = 150.0

    def decide(self, view: StockView) -> Order | None:
        return Order(50.0) if self.wip_cap - view.inventory_position >= 50.0 else None


def test_suite_rejects_a_pull_loop_that_orders_for_waiting_customers() -> None:
    with pytest.raises(AssertionError, match="promised wip_cap"):
        check_policy(_PositionKanban())


def test_suite_rejects_a_nondeterministic_policy() -> None:
    with pytest.raises(AssertionError, match="not deterministic"):
        check_policy(_Fickle())


@pytest.mark.parametrize(
    ("policy", "change"),
    [(_Moody, "calls was 0, now 1"), (_Diary, r"seen was \[\], now \[0\.0\]"), (_Slotted, "calls was 0, now 1")],
    ids=["counter", "frozen-with-a-list", "slots"],
)
def test_suite_rejects_a_policy_that_changes_its_own_state(policy: type, change: str) -> None:
    """The view is immutable; what ``decide`` could change is the policy, and the engine asks any number of times."""
    with pytest.raises(AssertionError, match=rf"{policy.__name__}\.decide changed the policy's own state: {change}"):
        check_policy(policy)


def test_state_check_raises_no_false_alarm_on_unchanged_state() -> None:
    check_policy(_Steady())


def test_suite_rejects_a_broken_idle_promise() -> None:
    with pytest.raises(AssertionError, match="promised idle_above"):
        check_policy(_Liar())


def test_suite_accepts_a_class_with_params() -> None:
    check_policy(_Negative, {"review_period": 2.0})


def test_suite_rejects_a_bad_review_period() -> None:
    with pytest.raises(AssertionError, match="review_period"):
        check_policy(_Negative, {"review_period": -1.0})


def test_an_order_must_be_positive_and_finite() -> None:
    with pytest.raises(ValueError, match="positive, finite"):
        Order(float("nan"))
    with pytest.raises(ValueError, match="positive, finite"):
        Order(0.0)


def test_suite_rejects_an_order_size_that_disagrees_with_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's fast path asks a built-in policy's order_size instead of decide: they must agree."""
    from simjit.policies.r_q import ReorderPointQuantity

    monkeypatch.setattr(ReorderPointQuantity, "decide", lambda self, view: Order(1.0))
    with pytest.raises(
        AssertionError, match=r"ReorderPointQuantity\.order_size gives 100 where decide gives Order\(quantity=1\.0\)"
    ):
        check_policy(ReorderPointQuantity(60, 100))


def test_only_builtin_policies_are_asked_without_a_view() -> None:
    from simjit.policies.base import numeric_decision
    from simjit.policies.r_q import ReorderPointQuantity

    class Mine(ReorderPointQuantity):
        """A user's subclass may override decide: the engine must keep asking it through a view."""

    assert numeric_decision(ReorderPointQuantity(60, 100)) is not None
    assert numeric_decision(Mine(60, 100)) is None


@dataclass(frozen=True)
class _Listener:
    """Orders yesterday's demand; which demand it reads is its ``demand_signal``."""

    demand_signal: str = "customer"
    history: int = 1
    review_period: float | None = 1.0

    def decide(self, view: StockView) -> Order | None:
        return Order(view.recent_demand[-1]) if view.recent_demand and view.recent_demand[-1] > 0 else None


def test_suite_accepts_a_declared_demand_signal() -> None:
    check_policy(_Listener)
    check_policy(_Listener, {"demand_signal": "own"})
    spec = {"order_up_to": {"cover_days": 3, "review_period": 1, "forecast": {"moving_average": 4},
                            "demand_signal": "customer"}}  # fmt: skip
    check_policy(build_policy(TypeAdapter(PolicySpec).validate_python(spec), FACTS))


def test_suite_rejects_a_demand_signal_it_cannot_serve() -> None:
    with pytest.raises(AssertionError, match=r"_Listener\.demand_signal must be one of own, customer, got 'pos'"):
        check_policy(_Listener, {"demand_signal": "pos"})
    with pytest.raises(AssertionError, match=r"_Listener\.demand_signal is customer but its history is 0"):
        check_policy(_Listener, {"history": 0})
