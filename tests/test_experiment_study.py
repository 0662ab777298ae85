"""``load_study``: what run and sweep play — overrides, sweep points, policy sets, baseline — and the
option errors it reports as UsageError naming the option."""

from __future__ import annotations

from pathlib import Path

import pytest

from simjit.errors import ScenarioError, UsageError
from simjit.experiment import Study, load_study
from simjit.experiment.plan import BASE

ROOT = Path(__file__).resolve().parent.parent
BRAKE = ROOT / "scenarios" / "brake_plant.yaml"
SHOP = ROOT / "scenarios" / "textbook_shop.yaml"


def test_a_plain_study_plays_the_scenario_with_every_policy_set() -> None:
    study = load_study(BRAKE)
    assert isinstance(study, Study) and not study.swept
    assert [v.name for v in study.variants] == [BASE] and study.variants[0].scenario == study.base
    assert study.policies == tuple(study.base.policies) and study.baseline == study.base.baseline_policy
    assert study.plan().size() == len(study.base.policies) * study.base.replications


def test_n_and_seed_override_the_scenario_after_set() -> None:
    study = load_study(SHOP, set_=["replications=9", "seed=3"], replications=4, seed=11)
    assert (study.base.replications, study.base.seed) == (4, 11)
    assert study.plan().replications == 4


def test_policies_keep_the_order_given_once_and_the_baseline_falls_back_to_the_first() -> None:
    study = load_study(BRAKE, policies=["jit", "safety_stock", "jit"])
    assert study.policies == ("jit", "safety_stock")
    assert study.base.baseline_policy == "eoq" and study.baseline == "jit"
    assert load_study(BRAKE, policies=["jit", "eoq"]).baseline == "eoq"


def test_a_sweep_has_a_variant_per_point() -> None:
    study = load_study(BRAKE, vary=["suppliers.pads_asia.disruptions.0.duration=0,30"], replications=2)
    assert study.swept and [v.name for v in study.variants] == ["duration=0", "duration=30"]
    assert {v.scenario.replications for v in study.variants} == {2}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"replications": 0}, "-n: expected at least 1 replication, got 0"),
        ({"seed": -1}, "--seed: expected a number >= 0, got -1"),
        ({"policies": ["kanbn"]}, "--policy kanbn: unknown policy set 'kanbn' (known policy sets: jit, eoq, "),
    ],
)
def test_bad_options_are_usage_errors_naming_the_option(arguments: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        load_study(BRAKE, **arguments)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)
    assert not isinstance(caught.value, ScenarioError)


def test_a_bad_override_is_still_a_scenario_error_at_the_set() -> None:
    with pytest.raises(ScenarioError, match=r"--set horizon=-1: horizon: "):
        load_study(SHOP, set_=["horizon=-1"])
