"""Play one replication of one policy set and return its KPIs: the model layer's one entry point."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

from simjit.errors import SimulationError, UnknownNameError, UsageError
from simjit.model import fast
from simjit.model.events import OnEvent
from simjit.model.ledger import Snapshot, kpis
from simjit.model.network import Network, build_network
from simjit.model.priorities import DISRUPTION, SNAPSHOT, call, run
from simjit.model.resilience import Row, event_rows
from simjit.scenario.models import Scenario

__all__ = ["ReplicationResult", "run_replication", "simulate"]


@dataclass
class ReplicationResult:
    """A replication's summary (KPI → value), one row per disruption event (``EVENT_COLUMNS``) and,
    when asked, its daily series."""

    summary: dict[str, float]
    series: list[dict[str, float | str]] = field(default_factory=list)
    disruptions: list[Row] = field(default_factory=list)
    network: Network | None = None


def _snapshot(net: Network) -> Snapshot:
    for sp in net.points.values():
        sp.touch()
    return {sp.name: sp.counters.as_dict() for sp in net.points.values()}


def simulate(
    scenario: Scenario, policy: str, replication: int, *, series: bool = False, check: bool = False,
    allow_plugins: bool = False, keep_network: bool = False, on_event: OnEvent | None = None,
) -> ReplicationResult:  # fmt: skip
    """Build and run one replication; ``check`` verifies unit conservation at every event;
    ``on_event`` is called with every event as it happens (:mod:`simjit.model.events`).
    A bad argument raises a simjit error naming it: a replication that is not a whole number >= 0
    (UsageError), a policy set the scenario does not hold (UnknownNameError, a KeyError)."""
    _check_arguments(scenario, policy, replication)
    net = build_network(scenario, policy, replication, check=check, allow_plugins=allow_plugins, on_event=on_event)
    env = net.env
    marks: dict[str, Snapshot] = {}
    rows: list[dict[str, float | str]] = []
    call(env, scenario.warmup, DISRUPTION - 1, lambda _: marks.__setitem__("warmup", _snapshot(net)))
    if series:

        def snap(_: object) -> None:
            for sp in net.points.values():
                sp.touch()  # lots through the day played lazily are played up to now
                rows.append({"time": env.now, "stock_point": sp.name, "on_hand": sp.on_hand, "backorders": sp.owed,
                             "on_order": sp.on_order, "inventory_position": sp.on_hand + sp.on_order - sp.owed})  # fmt: skip
            if env.now + 1 < scenario.horizon:
                call(env, 1.0, SNAPSHOT, snap)

        call(env, 0.0, SNAPSHOT, snap)
    run(env, scenario.horizon, own_loop=fast.ENABLED)
    end = _snapshot(net)
    for sp in net.points.values():
        gap = sp.conserved()
        if abs(gap) > 1e-6 * max(1.0, sp.counters.received + sp.counters.initial):
            raise SimulationError(f"units not conserved at {sp.name}: off by {gap:g}")
    logs = {p: sp.service for p, sp in net.points.items() if sp.service is not None}
    events, per_point = event_rows(
        net.outages, net.watched, logs, scenario.warmup, scenario.horizon, scenario.recovery_days
    )
    summary = kpis(scenario, net.points, marks.get("warmup", end), end, events, per_point)
    return ReplicationResult(summary, rows, events, net if keep_network else None)


def _check_arguments(scenario: Scenario, policy: str, replication: int) -> None:
    if not isinstance(scenario, Scenario):
        raise UsageError(f"scenario: expected a Scenario (from load_scenario), got {type(scenario).__name__}")
    if isinstance(replication, bool) or not isinstance(replication, numbers.Integral) or replication < 0:
        raise UsageError(f"replication: expected a non-negative whole number, got {replication!r}")
    if policy not in scenario.policies:
        known = ", ".join(scenario.policies)
        raise UnknownNameError(f"unknown policy set {policy!r} (known policy sets: {known})")


def run_replication(
    scenario: Scenario, policy: str, replication: int, *, allow_plugins: bool = False
) -> dict[str, float]:
    """The KPIs of ``replication`` of policy set ``policy``: network KPIs, then ``site/item.kpi``."""
    return simulate(scenario, policy, replication, allow_plugins=allow_plugins).summary
