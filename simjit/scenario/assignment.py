"""Which policy spec each stock point plays under a policy set: its override, else its ABC class's,
else the default — a fact of the scenario, read by the model and by the scenario's own checks."""

from __future__ import annotations

from typing import Literal

from simjit.scenario.derived import demand_rates
from simjit.scenario.models import PolicySet, Scenario
from simjit.scenario.policy_specs import PolicySpec
from simjit.scenario.yaml_nodes import Path

__all__ = ["abc_classes", "annual_values", "assign_policies", "spec_path"]


def abc_classes(
    annual_value: dict[str, float], a: float = 0.8, b: float = 0.95, rule: Literal["include", "start"] = "include"
) -> dict[str, str]:
    """ABC classes by annual consumption value (Pareto), names ranked by value, ties by name.

    ``include``, the rule of the ABC article simjit follows: a name is A while the cumulative share of
    value up to and including it is at most ``a``, B while at most ``b``, else C — except that no class
    is skipped (:func:`_no_class_skipped`). ``start``, the older convention: a name is in the class
    where its cumulative share starts (the share ranked before it under ``a``: A; under ``b``: B).
    Nothing of value at all: every name is C.
    """
    total = sum(annual_value.values())
    ranked = sorted(annual_value, key=lambda k: (-annual_value[k], k))
    out: dict[str, str] = {}
    cumulative = 0.0
    for name in ranked:
        before, cumulative = cumulative, cumulative + annual_value[name]
        out[name] = _abc_class(before / total, cumulative / total, a, b, rule) if total > 0 else "C"
    if rule == "include" and total > 0:
        _no_class_skipped(out, ranked, annual_value, a, b)
    return out


def _no_class_skipped(classes: dict[str, str], ranked: list[str], value: dict[str, float], a: float, b: float) -> None:
    """Where one name's share spans a whole class, it takes that class rather than the next: the top name
    is A (unless ``a`` is 0), and the first name after class A is B (unless ``b`` is ``a`` or the name has
    no value). Shares of 90%, 6%, 4% are A, B, C, as practitioners class them; the bare rule gives B, C, C."""
    if a > 0:
        classes[ranked[0]] = "A"
    after_a = next((name for name in ranked if classes[name] != "A"), None)
    if after_a is not None and b > a and value[after_a] > 0:
        classes[after_a] = "B"


_ROUNDING = 1e-9
"""A cumulative share this close to a cut-off is on it: 80% summed from tenths is 0.7999999999999999."""


def _abc_class(before: float, through: float, a: float, b: float, rule: Literal["include", "start"]) -> str:
    """The class of a name whose cumulative share goes from ``before`` to ``through`` under ``rule``."""
    if rule == "start":
        return "A" if before < a - _ROUNDING else ("B" if before < b - _ROUNDING else "C")
    return "A" if through <= a + _ROUNDING else ("B" if through <= b + _ROUNDING else "C")


def annual_values(s: Scenario) -> dict[str, float]:
    """Annual consumption value (demand per year × unit cost) of every stock point, by ``site/item``."""
    rates = demand_rates(s)
    return {f"{a}/{b}": rates[(a, b)][0] * s.costs.days_per_year * s.items[b].unit_cost for a, b in rates}


_FALLBACK = {"A": ("B", "C"), "B": ("C", "A"), "C": ("B", "A")}


def assign_policies(s: Scenario, pset: PolicySet) -> dict[tuple[str, str], PolicySpec]:
    """The policy spec of every stock point: its override, else its ABC class's, else the default.

    A class without an entry takes the default; without a default, the nearest class given
    (B, then C, for A; C, then A, for B; B, then A, for C).
    """
    classes = abc_classes(annual_values(s), pset.abc.A, pset.abc.B, pset.abc.rule)
    out: dict[tuple[str, str], PolicySpec] = {}
    for site, item in s.stock_points():
        ref = f"{site}/{item}"
        spec = pset.overrides.get(ref)
        if spec is None and pset.by_class:
            cls = classes[ref]
            spec = pset.by_class.get(cls) or pset.default  # type: ignore[call-overload]
            for alt in _FALLBACK[cls]:
                spec = spec or pset.by_class.get(alt)  # type: ignore[call-overload]
        out[(site, item)] = spec or pset.default  # type: ignore[assignment]
    return out


def spec_path(s: Scenario, name: str, ref: str, spec: object) -> Path:
    """Where policy set ``name`` gives stock point ``ref`` its ``spec``: its override, its class's entry, or the
    default (what a message about the spec points at)."""
    pset = s.policies[name]
    if ref in pset.overrides:
        return ("policies", name, "overrides", ref)
    for cls, given in pset.by_class.items():
        if given is spec:
            return ("policies", name, "by_class", cls)
    return ("policies", name, "default")
