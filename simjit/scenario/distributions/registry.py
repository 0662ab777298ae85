"""The registry of distribution kinds, and everything generated from it: the tagged union
:data:`Distribution`, the kind list :data:`DISTRIBUTION_KINDS`, the hints for parameters left out,
and :func:`distribution_mean`/``_sd``.

A number is a constant; otherwise a one-key mapping names the kind, so the YAML
``{lognormal: {mean: 12, sd: 3}}`` maps onto ``Lognormal(lognormal=MeanSd(mean=12, sd=3))`` and
validation errors point at the user's keys.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import AfterValidator, Discriminator, Tag
from pydantic_core import PydanticCustomError

from simjit.scenario.distributions import data, parametric, weibull
from simjit.scenario.distributions.base import CONSTANT, DistributionSpec
from simjit.scenario.types import NonNegative, number_text

if TYPE_CHECKING:
    from typing import TypeAlias

__all__ = [
    "DISTRIBUTION_KINDS",
    "DISTRIBUTION_MISSING_HINTS",
    "KINDS",
    "Distribution",
    "FractionDistribution",
    "distribution_mean",
    "distribution_sd",
]

KINDS: tuple[type[DistributionSpec], ...] = (*parametric.KINDS, *data.KINDS, *weibull.KINDS)
"""Every distribution kind, in the order messages and the schema list them: each module of kinds
lists its own, so a kind is added in one module (a new module of kinds is also listed here)."""

_KINDS: dict[str, type[DistributionSpec]] = {kind.tag: kind for kind in KINDS}
DISTRIBUTION_KINDS: tuple[str, ...] = (CONSTANT, *_KINDS)
DISTRIBUTION_MISSING_HINTS: dict[tuple[str, str], str] = {
    (kind.tag, field): hint for kind in KINDS for field, hint in kind.missing_hints.items()
}
"""How to fill a required parameter left out, by (the kind's key, field): for located messages."""


def _distribution_tag(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return CONSTANT
    if isinstance(value, DistributionSpec):
        return value.tag
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return key if key in _KINDS else None
    return None


def _tagged_union() -> Any:
    members = (Annotated[NonNegative, Tag(CONSTANT)], *(Annotated[kind, Tag(kind.tag)] for kind in KINDS))
    return Annotated[
        Union[members],  # a Union built from a tuple: it has no ``|`` spelling
        Discriminator(
            _distribution_tag,
            custom_error_type="distribution_kind",
            custom_error_message="expected a number or a one-key mapping naming a distribution",
        ),
    ]


if TYPE_CHECKING:
    Distribution: TypeAlias = float | DistributionSpec
else:
    Distribution = _tagged_union()
    """A random quantity: a number (constant) or ``{kind: parameters}``."""


def distribution_mean(d: Distribution) -> float:
    """The mean of a distribution spec (normal: before truncation at 0)."""
    return float(d) if isinstance(d, (int, float)) else d.moments()[0]


def distribution_sd(d: Distribution) -> float:
    """The standard deviation of a distribution spec (normal: before truncation at 0)."""
    return 0.0 if isinstance(d, (int, float)) else d.moments()[1]


def _a_fraction(d: Distribution) -> Distribution:
    """A share (a yield, a severity) cannot exceed 1: refuse a spec whose values or mean do."""
    hi = float(d) if isinstance(d, (int, float)) else d.support()[1]
    mean = distribution_mean(d)
    if isinstance(d, (int, float)) and d > 1:
        raise PydanticCustomError("fraction", "expected a fraction in [0, 1], got {got}", {"got": number_text(d)})
    if math.isfinite(hi) and hi > 1:
        raise PydanticCustomError(
            "fraction", "expected a fraction in [0, 1], got values up to {hi}", {"hi": number_text(hi)}
        )
    if mean > 1:
        raise PydanticCustomError(
            "fraction", "expected a fraction in [0, 1], got a mean of {mean}", {"mean": number_text(mean)}
        )
    return d


if TYPE_CHECKING:
    FractionDistribution: TypeAlias = Distribution
else:
    FractionDistribution = Annotated[Distribution, AfterValidator(_a_fraction)]
    """A random share in [0, 1]: draws of an unbounded kind above 1 count as 1."""
