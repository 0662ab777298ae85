"""From a scenario's policy spec (a tagged kind) to a policy object, given the stock point's facts.

A kind is built by the class in this package that names its spec model in ``spec_class`` and has a
classmethod ``from_spec(spec, facts)``. As plug-ins are found by looking up their entry points
rather than in a list written here, built-in kinds are found by looking through this package's
modules once: a new kind is its spec in :mod:`simjit.scenario.policy_specs` plus one module here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from simjit.policies.base import Policy
from simjit.policies.facts import PolicyFacts
from simjit.scenario.policy_specs import POLICIES, PolicyKind, PolicySpec

__all__ = ["PolicyFacts", "build_policy", "policy_builders"]

Builder = Callable[[Any, PolicyFacts], Policy]
"""A kind's ``from_spec``: (its spec, the stock point's facts) → the policy."""


def _built_by(obj: object, module: str) -> tuple[type[PolicyKind], Builder] | None:
    """The policy kind a class of ``module`` builds and its ``from_spec``, if it declares one in ``spec_class``."""
    if not (isinstance(obj, type) and obj.__module__ == module):
        return None
    kind = vars(obj).get("spec_class")
    if not (isinstance(kind, type) and issubclass(kind, PolicyKind)):
        return None  # not a builder, or a forecaster (it builds a forecast kind)
    builds: Any = obj
    return kind, builds.from_spec


@cache
def policy_builders() -> dict[type[PolicyKind], Builder]:
    """Each policy kind's ``from_spec``, keyed by its spec model; every kind of the registry has one."""
    package = __name__.rpartition(".")[0]
    found: dict[type[PolicyKind], Builder] = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        module = importlib.import_module(f"{package}.{info.name}")
        for kind, builder in filter(None, (_built_by(obj, module.__name__) for obj in vars(module).values())):
            if kind in found:
                raise TypeError(f"two classes build the policy kind {kind.tag!r}")
            found[kind] = builder
    missing = [kind.tag for kind in POLICIES if kind not in found]
    if missing:
        raise TypeError(f"no class in {package} builds the policy kinds {', '.join(missing)}")
    return found


def build_policy(spec: PolicySpec, facts: PolicyFacts) -> Policy:
    """The policy object a spec describes, parameterised by the stock point's facts."""
    return policy_builders()[type(spec)](spec, facts)
