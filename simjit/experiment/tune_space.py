"""The space a tune searches: ``--param PATH=LO:HI[:STEP]`` or ``PATH=v1,v2,…`` over dotted paths into
the scenario, every candidate a validated variant (the same override mechanism as ``--set``), and
a first guess for the parameters the policies have a formula for.

A first guess is never absurd: a kanban loop starts at Toyota's N = D·L/c (plus R for a periodic loop;
the loop's own safety_time adds its s·D on top of N·c, so it is not counted again), an order
quantity at EOQ's Q* = √(2KD/h), a base-stock level or reorder point at the mean lead-time demand
D·L. Candidates are ordered by their distance to the guess, so a search starts there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from simjit.errors import Problem, ScenarioError, UsageError
from simjit.experiment.plan import Variant
from simjit.experiment.sweep import split_values, sweep_variants
from simjit.policies.formulas import economic_order_quantity
from simjit.scenario.assignment import assign_policies
from simjit.scenario.derived import demand_rates, holding_cost_per_day, lead_time, order_cost
from simjit.scenario.models import Scenario
from simjit.scenario.overrides import parse_path

__all__ = ["MAX_GRID", "Parameter", "candidates", "first_guess", "parse_param"]

MAX_GRID = 10_000
"""Candidates a tune may hold at most (the product of every ``--param``'s values)."""

_NUMBER = r"\s*(-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*"
_RANGE = re.compile(f"{_NUMBER}:{_NUMBER}(?::{_NUMBER})?")
_WHOLE = re.compile(r"\s*-?\d+\s*")
REAL_POINTS = 21
"""Points of a real range given without a step: LO, HI and 19 evenly spaced between."""
META = {
    "seed": "the seed is not a setting of the policy: every candidate plays the same random futures (common random "
    "numbers), so that differences between candidates are the settings', not luck; a seed 'tuned' would be "
    "the luckiest one (set the tune's seed with --seed)",
    "replications": "the replications are the race's to choose (--first, --most, --budget), not a setting of the "
    "policy",
}
"""Scenario fields that say how the experiment is played, not what is played: refused as ``--param``."""


@dataclass(frozen=True)
class Parameter:
    """One ``--param``: its dotted path, the values it may take (as YAML text and as numbers or
    values read), and whether they are all integers."""

    option: str
    path: str
    texts: tuple[str, ...]
    values: tuple[Any, ...]
    integer: bool


def _error(option: str, message: str) -> UsageError:
    return UsageError(f"--param {option}: {message}")


def _expand(text: str, option: str) -> list[str] | None:
    """``4:20`` → 4, 5, …, 20; ``0.9:0.99:0.01`` → 0.9, 0.91, …; ``0.9:0.99`` → 21 points; else None."""
    match = _RANGE.fullmatch(text)
    if match is None:
        return None
    lo_text, hi_text, step_text = match.groups()
    whole = all(g is None or _WHOLE.fullmatch(g) for g in match.groups())
    lo, hi = float(lo_text), float(hi_text)
    if not all(math.isfinite(float(g)) for g in match.groups() if g is not None):
        big = next(g.strip() for g in match.groups() if g is not None and not math.isfinite(float(g)))
        raise _error(option, f"expected a finite number, got {big} (in the range {text})")
    if hi <= lo:
        raise _error(option, f"a range LO:HI[:STEP] needs LO < HI, got {text}")
    if step_text is None and not whole:
        return [repr(round(lo + i * (hi - lo) / (REAL_POINTS - 1), 10)) for i in range(REAL_POINTS)]
    step = float(step_text) if step_text is not None else 1.0
    if step <= 0:
        raise _error(option, f"a range's STEP must be > 0, got {step_text}")
    count = int((hi - lo) / step + 1e-9) + 1
    if count > MAX_GRID:
        raise _error(option, f"the range {text} has {count:,} values; at most {MAX_GRID:,}")
    values = [lo + i * step for i in range(count)]
    return [str(int(v)) if whole else repr(round(v, 10)) for v in values]


def parse_param(option: str) -> Parameter:
    """One ``--param PATH=LO:HI[:STEP]`` or ``PATH=v1,v2,…`` (values read as YAML, like ``--set``)."""
    if "=" not in option:
        raise _error(option, "expected dotted.path=LO:HI[:STEP] or dotted.path=v1,v2,…")
    left, right = option.split("=", 1)
    try:
        path = ".".join(map(str, parse_path(left.strip())))
    except ValueError as exc:
        raise _error(option, f"cannot read this path: {exc}") from None
    if path in META:
        raise _error(option, META[path])
    texts: list[str] = []
    for token in split_values(right):
        if token == "":
            raise _error(option, "empty value (two commas in a row, or a comma at the end?)")
        texts += _expand(token, option) or [token]
    if len(set(texts)) != len(texts):
        raise _error(option, "a value is listed twice")
    if len(texts) < 2:
        raise _error(option, "one value leaves nothing to tune; give a range or two values or more (or use --set)")
    values = tuple(_number(t) for t in texts)
    for i, value in enumerate(values):
        if value in values[:i]:  # 1e1 and 10.0: one candidate, named twice
            raise _error(option, f"the values {texts[values.index(value)]} and {texts[i]} are the same number")
    integer = all(isinstance(v, int) for v in values)
    return Parameter(option, path, tuple(texts), values, integer)


def _number(text: str) -> Any:
    """A value as a number where it reads as one (the ranges and the warm start need numbers)."""
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def check_policy_path(parameter: Parameter, policy: str, policies: Sequence[str]) -> None:
    """Refuse a parameter under another policy set's entry: it cannot change the set being tuned."""
    parts = parameter.path.split(".")
    if len(parts) > 1 and parts[0] == "policies" and parts[1] != policy and parts[1] in policies:
        raise _error(
            parameter.option,
            f"this path is in policy set {parts[1]!r}, but the tune plays {policy!r}: it would change nothing "
            f"(write policies.{policy}.… instead)",
        )


def candidates(
    file: Path, parameters: Sequence[Parameter], overrides: Sequence[str] = (), files_anywhere: bool = False
) -> tuple[Scenario, list[Variant]]:
    """The base scenario and one validated variant per combination of the parameters' values, each
    named ``path=value, …`` with its values in ``params``. Bad values are reported at their ``--param``."""
    count = math.prod(len(p.texts) for p in parameters)
    if count > MAX_GRID:
        raise UsageError(f"--param: the {len(parameters)} parameters make {count:,} candidates; at most {MAX_GRID:,}")
    if len({p.path for p in parameters}) != len(parameters):
        raise UsageError("--param: a path is given twice; give all its values in one --param")
    varies = {f"{p.path}={','.join(p.texts)}": p for p in parameters}
    try:
        base, variants = sweep_variants(file, list(varies), overrides, files_anywhere)
    except ScenarioError as exc:
        raise ScenarioError([_as_param(problem, varies) for problem in exc.problems], exc.file) from None
    named = []
    for variant in variants:
        params = {p.path: variant.params[p.path] for p in parameters}
        name = ", ".join(f"{path}={value}" for path, value in params.items())
        named.append(Variant(name, variant.scenario, params))
    _check_effect(parameters, named)
    return base, named


def _as_param(problem: Problem, varies: dict[str, Parameter]) -> Problem:
    """A problem located at the ``--vary`` option a ``--param`` was played as, relocated to the ``--param``."""
    source = problem.source or ""
    for vary, parameter in varies.items():
        if source.startswith(f"--vary {vary}"):
            return replace(problem, source=f"--param {parameter.option}{source[len('--vary ' + vary) :]}")
    return problem


def _check_effect(parameters: Sequence[Parameter], variants: Sequence[Variant]) -> None:
    """Refuse a parameter whose first two values give the same scenario: it changes nothing."""
    for parameter in parameters:
        a, b = parameter.values[0], parameter.values[1]
        first = next((v for v in variants if v.params[parameter.path] == a), None)
        second = next((v for v in variants if v.params[parameter.path] == b and _others_equal(v, first, parameter)),
                      None)  # fmt: skip
        if first is not None and second is not None and first.scenario == second.scenario:
            raise _error(parameter.option, f"the values {a} and {b} give the same scenario: this path changes nothing")


def _others_equal(v: Variant, w: Variant | None, parameter: Parameter) -> bool:
    return w is not None and all(v.params[k] == w.params[k] for k in v.params if k != parameter.path)


def first_guess(scenario: Scenario, policy: str, path: str) -> float | None:
    """What the policies' formulas say a parameter should be, or None when no formula covers it:
    kanban containers (Toyota's rule), an order quantity (EOQ), a base-stock level, reorder point
    or (s, S)'s s (the mean lead-time demand)."""
    parts = path.split(".")
    if len(parts) < 4 or parts[0] != "policies" or parts[1] not in scenario.policies:
        return None
    points = list(assign_policies(scenario, scenario.policies[parts[1]]))
    if parts[2] == "overrides" and "/" in parts[3]:
        site, item = parts[3].split("/", 1)
        points = [(site, item)] if (site, item) in points else []
    if not points:
        return None
    site, item = points[0]
    rates = demand_rates(scenario)
    demand = rates[(site, item)][0]
    lead, _ = lead_time(scenario, site, item, rates)
    name, kind = parts[-1], parts[-2] if len(parts) > 1 else ""
    if name == "containers":
        spec = getattr(assign_policies(scenario, scenario.policies[parts[1]])[(site, item)], kind, None)
        size = getattr(spec, "container_size", 1.0)
        review = getattr(spec, "review_period", 0.0)  # safety_time is held on top of N·c: not counted in N
        return float(max(1, math.ceil(demand * (lead + review) / size)))
    if name == "order_quantity":
        return economic_order_quantity(order_cost(scenario, site, item), holding_cost_per_day(scenario, item), demand)
    if name in ("level", "reorder_point", "s"):
        return demand * lead
    return None


def ordered(variants: Sequence[Variant], parameters: Sequence[Parameter], guesses: Sequence[float | None]) -> list[
        Variant]:  # fmt: skip
    """The candidates nearest the first guess first (relative distance over the parameters guessed)."""

    def distance(v: Variant) -> float:
        total = 0.0
        for p, g in zip(parameters, guesses, strict=True):
            value = v.params[p.path]
            if g is not None and isinstance(value, int | float):
                total += abs(value - g) / max(abs(g), 1e-9)
        return total

    return sorted(variants, key=distance)
