"""The engine's fast path (simjit.model.fast) gives the results of the general path: every policy
of every bundled scenario, of the valid test scenario and of the simple shop, played both ways (the
general path forced by the module switch, and by a watcher). They agree to rounding (1e-9 relative):
the fast path plays a run of quiet lots of demand through the day in one step, with the time
integrals in closed form, where the general path adds them lot by lot; every count, order and
shortage is the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_fingerprint import cases, key

from simjit import load_scenario
from simjit.model import fast, simulate
from simjit.model.fast import SimpleStockPoint
from simjit.model.network import build_network
from simjit.model.replication import ReplicationResult
from simjit.scenario.models import Scenario

SHOP = Path(__file__).parent / "fingerprint" / "simple_shop.yaml"


class Same:
    """Summary and disruption rows of a replication, equal to another's to rounding (NaN equal to NaN)."""

    def __init__(self, result: ReplicationResult) -> None:
        self.rows = [result.summary, *result.disruptions]

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Same)
            and len(self.rows) == len(other.rows)
            and all(
                a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
                for a, b in zip(self.rows, other.rows, strict=True)
            )
        )

    def __repr__(self) -> str:
        return repr(self.rows)


def _close(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-9, abs=1e-9, nan_ok=True)
    return a == b


def fast_points(s: Scenario, policy: str) -> int:
    built = build_network(s, policy, 0, allow_plugins=True)
    return sum(isinstance(sp, SimpleStockPoint) for sp in built.points.values())


@pytest.mark.parametrize(("path", "policy"), cases(), ids=[key(*c) for c in cases()])
def test_the_general_path_gives_the_same_results(path: Path, policy: str, monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_scenario(path)
    played = [Same(simulate(s, policy, r, allow_plugins=True)) for r in (0, 1)]
    monkeypatch.setattr(fast, "ENABLED", False)
    assert fast_points(s, policy) == 0
    assert [Same(simulate(s, policy, r, allow_plugins=True)) for r in (0, 1)] == played


@pytest.mark.parametrize("policy", list(load_scenario(SHOP).policies))
def test_a_watcher_takes_the_general_path_with_the_same_results(policy: str) -> None:
    s = load_scenario(SHOP)
    assert fast_points(s, policy) > 0, "the simple shop's stock points take the fast path"
    seen: list[object] = []
    watched = simulate(s, policy, 0, on_event=seen.append, keep_network=True)
    assert watched.network is not None and seen
    assert not any(isinstance(sp, SimpleStockPoint) for sp in watched.network.points.values())
    assert Same(watched) == Same(simulate(s, policy, 0))


def test_what_needs_the_general_path_takes_it() -> None:
    """Lots (shelf life), patience, expediting, backup rules and a user's policy: no fast path."""
    coffee = load_scenario(Path(__file__).parents[1] / "scenarios" / "coffee_shop.yaml")  # every item perishes
    assert all(fast_points(coffee, p) == 0 for p in coffee.policies)
    brake = load_scenario(Path(__file__).parents[1] / "scenarios" / "brake_plant.yaml")
    points = build_network(brake, "eoq", 0).points
    assert not isinstance(points[("plant", "pad")], SimpleStockPoint)  # backup and expedite rules
    assert isinstance(points[("plant", "caliper")], SimpleStockPoint)
    waits = load_scenario(SHOP, ["demand.0.on_stockout={wait_up_to: 2}"])
    assert not isinstance(build_network(waits, "r_Q", 0).points[("shop", "a")], SimpleStockPoint)
    plugin = load_scenario(Path(__file__).parents[1] / "scenarios" / "plugins" / "plugin_shop.yaml")
    assert fast_points(plugin, "base_stock") == 1
    assert fast_points(plugin, "capped") == 0
