"""What every distribution kind is: a one-field spec named for its tag, with its moments and its draw,
and the parameter models the kinds share.

The draws only build closures over :class:`numpy.random.Generator` calls; the generators (named
streams) and the buffering :class:`~simjit.random.Sampler` live in :mod:`simjit.random`. numpy is
imported when a replication draws, never when a scenario is validated.
"""

from __future__ import annotations

import math
from abc import abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field

from simjit.scenario.types import NonNegative, Positive, Spec

if TYPE_CHECKING:
    import numpy as np

__all__ = ["CONSTANT", "SPREAD_HINT", "DistributionSpec", "Draw", "MeanOnly", "MeanSd", "PositiveMeanSd"]

Draw = Callable[["np.random.Generator", int], "np.ndarray"]
"""``(rng, n)`` → ``n`` values as floats: one vectorised numpy call serves many events."""

CONSTANT = "constant"
"""The tag of a bare number, the one kind without a model."""
SPREAD_HINT = "the spread; give sd: 0 for a constant"
"""How to fill an ``sd`` left out, for kinds where 0 means a constant."""


class MeanSd(Spec):
    """Parameters given as mean and standard deviation, as people think of them.

    The sd is required: a spread left out is far more often a slip than a wish for a
    constant, so a constant says ``sd: 0``.
    """

    mean: NonNegative = Field(description="Mean of the variable.")
    sd: NonNegative = Field(description="Standard deviation of the variable; 0 for a constant.")


class PositiveMeanSd(Spec):
    """Mean and sd, both required, where the mean must be positive (lognormal, gamma, negative_binomial, weibull)."""

    mean: Positive = Field(description="Mean of the variable (not of its logarithm).")
    sd: NonNegative = Field(description="Standard deviation of the variable.")


class MeanOnly(Spec):
    """A distribution fixed by its mean alone (exponential)."""

    mean: Positive = Field(description="Mean of the variable.")


class DistributionSpec(Spec):
    """A distribution kind: its one field is named for its tag; it knows its moments and its draw."""

    tag: ClassVar[str]
    """The key that names the kind in YAML."""
    missing_hints: ClassVar[dict[str, str]] = {}
    """How to fill a parameter people leave out by mistake, by field name."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if list(cls.model_fields) != [cls.tag]:
            raise TypeError(f"{cls.__name__} must have exactly one field, named for its tag {cls.tag!r}")

    @abstractmethod
    def moments(self) -> tuple[float, float]:
        """Mean and standard deviation of the law the spec names (normal: before truncation at 0)."""

    @abstractmethod
    def draw(self) -> Draw | float:
        """A fresh vectorised draw, or the constant the spec always takes."""

    def sampler_mean(self) -> float:
        """The mean of the values drawn; differs from ``moments()[0]`` only where draws are altered."""
        return self.moments()[0]

    def support(self) -> tuple[float, float]:
        """The least and greatest values a draw can take (every kind is >= 0: quantities and times)."""
        return 0.0, math.inf
