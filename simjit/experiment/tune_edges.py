"""A tune's best on the edge of a range it searched: the optimum may lie beyond, where no candidate played.

Said of every parameter whose best value is the lowest or highest searched, unless that value is a bound
the scenario's format declares and a value may reach (containers ≥ 1, a fraction ≤ 1): nothing lies
beyond it. The same holds after an optuna search, which draws from the same values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simjit.experiment.tune_space import Parameter
from simjit.scenario.messages import Bound, declared_bounds
from simjit.scenario.models import Scenario
from simjit.scenario.overrides import parse_path
from simjit.scenario.types import number_text

__all__ = ["edge_notes"]


def edge_notes(parameters: Sequence[Parameter], best: Mapping[str, Any]) -> list[str]:
    """One note per numeric parameter whose ``best`` value is an edge of its values (and not a hard bound)."""
    notes = []
    for p in parameters:
        numbers = sorted(v for v in p.values if isinstance(v, int | float) and not isinstance(v, bool))
        value = best.get(p.path)
        if len(numbers) != len(p.values) or value not in (numbers[0], numbers[-1]):
            continue
        low_edge = value == numbers[0]
        bound = declared_bounds(Scenario, parse_path(p.path))[0 if low_edge else 1]
        if bound is not None and bound[1] and value == bound[0]:
            continue  # the lowest (highest) value the field takes: nothing lies beyond
        name = p.path.rsplit(".", 1)[-1]
        side, beyond = ("lowest", "below") if low_edge else ("highest", "above")
        notes.append(
            f"--param {p.option}: the best, {name}={number_text(value)}, is the {side} value searched: the optimum "
            f"may lie {beyond} it, where no candidate played; widen the range, e.g. --param "
            f"{p.path}={_wider(numbers, low_edge, bound, p.integer)}"
        )
    return notes


def _wider(numbers: list[Any], low_edge: bool, bound: Bound | None, integer: bool) -> str:
    """A range as wide again beyond the edge, down (up) to the declared bound, with the edge's own step."""
    span = numbers[-1] - numbers[0]
    step = numbers[1] - numbers[0] if low_edge else numbers[-1] - numbers[-2]
    edge = numbers[0] if low_edge else numbers[-1]
    far = edge - span if low_edge else edge + span
    if bound is not None:
        limit, reachable = bound
        past = far < limit if low_edge else far > limit
        if past or (far == limit and not reachable):
            far = limit if reachable else (limit + edge) / 2
    lo, hi = (far, edge) if low_edge else (edge, far)
    if integer:
        lo, hi, step = round(lo), round(hi), round(step)
        return f"{lo}:{hi}" + (f":{step}" if step != 1 else "")
    return f"{lo:g}:{hi:g}"
