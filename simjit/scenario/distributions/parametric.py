"""The kinds given by a few parameters with closed-form moments: counts (poisson,
negative_binomial), the continuous laws people reach for (normal, lognormal, gamma, exponential)
and the bounded ones (uniform, triangular).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from simjit.scenario.distributions.base import SPREAD_HINT, DistributionSpec, Draw, MeanOnly, MeanSd, PositiveMeanSd
from simjit.scenario.types import NonNegative, number_text

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "KINDS",
    "Exponential",
    "Gamma",
    "Lognormal",
    "NegativeBinomial",
    "Normal",
    "Poisson",
    "Triangular",
    "Uniform",
]


class Poisson(DistributionSpec):
    """``poisson: λ`` — counts with mean and variance λ."""

    tag: ClassVar[str] = "poisson"
    poisson: NonNegative = Field(description="The mean λ (also the variance).")

    def moments(self) -> tuple[float, float]:
        return self.poisson, math.sqrt(self.poisson)

    def draw(self) -> Draw | float:
        lam = self.poisson
        return (lambda rng, n: rng.poisson(lam, n).astype(float)) if lam > 0 else 0.0


class Normal(DistributionSpec):
    """``normal: {mean, sd}`` — truncated at 0 when it samples a quantity or a time."""

    tag: ClassVar[str] = "normal"
    missing_hints: ClassVar[dict[str, str]] = {"sd": SPREAD_HINT}
    normal: MeanSd = Field(description="Mean and sd before truncation at 0.")

    def moments(self) -> tuple[float, float]:
        return self.normal.mean, self.normal.sd

    def draw(self) -> Draw | float:
        m, s = self.normal.mean, self.normal.sd
        if s == 0:
            return m

        def truncated(rng: np.random.Generator, n: int) -> np.ndarray:
            out = rng.normal(m, s, n)
            bad = out < 0
            while bad.any():  # redraw the negatives: N(m, s²) conditioned on >= 0
                out[bad] = rng.normal(m, s, int(bad.sum()))
                bad = out < 0
            return out

        return truncated

    def sampler_mean(self) -> float:
        """Mean of N(μ, σ²) truncated to [0, ∞): μ + σ φ(μ/σ) / Φ(μ/σ)."""
        m, s = self.normal.mean, self.normal.sd
        if s == 0:
            return m
        z = m / s
        pdf = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
        cdf = math.erfc(-z / math.sqrt(2)) / 2
        return m + s * pdf / cdf


class Lognormal(DistributionSpec):
    """``lognormal: {mean, sd}`` — mean and sd of the variable itself, not of its log."""

    tag: ClassVar[str] = "lognormal"
    missing_hints: ClassVar[dict[str, str]] = {"sd": SPREAD_HINT}
    lognormal: PositiveMeanSd = Field(description="Mean and sd of the variable itself.")

    def moments(self) -> tuple[float, float]:
        return self.lognormal.mean, self.lognormal.sd

    def draw(self) -> Draw | float:
        m, s = self.lognormal.mean, self.lognormal.sd
        if s == 0:
            return m
        sigma = math.sqrt(math.log1p((s / m) ** 2))
        mu = math.log(m) - sigma * sigma / 2
        return lambda rng, n: rng.lognormal(mu, sigma, n)


class Gamma(DistributionSpec):
    """``gamma: {mean, sd}``."""

    tag: ClassVar[str] = "gamma"
    missing_hints: ClassVar[dict[str, str]] = {"sd": SPREAD_HINT}
    gamma: PositiveMeanSd = Field(description="Mean and sd.")

    def moments(self) -> tuple[float, float]:
        return self.gamma.mean, self.gamma.sd

    def draw(self) -> Draw | float:
        m, s = self.gamma.mean, self.gamma.sd
        if s == 0:
            return m
        shape, scale = (m / s) ** 2, s * s / m
        return lambda rng, n: rng.gamma(shape, scale, n)


class Exponential(DistributionSpec):
    """``exponential: {mean}``."""

    tag: ClassVar[str] = "exponential"
    exponential: MeanOnly = Field(description="The mean.")

    def moments(self) -> tuple[float, float]:
        return self.exponential.mean, self.exponential.mean

    def draw(self) -> Draw | float:
        m = self.exponential.mean
        return lambda rng, n: rng.exponential(m, n)


class Uniform(DistributionSpec):
    """``uniform: [lo, hi]``."""

    tag: ClassVar[str] = "uniform"
    uniform: tuple[NonNegative, NonNegative] = Field(description="[lo, hi], 0 <= lo <= hi.")

    @field_validator(tag)
    @classmethod
    def _ordered(cls, v: tuple[float, float]) -> tuple[float, float]:
        if v[0] > v[1]:
            raise PydanticCustomError(
                "order", "expected lo <= hi, got [{lo}, {hi}]", {"lo": number_text(v[0]), "hi": number_text(v[1])}
            )
        return v

    def moments(self) -> tuple[float, float]:
        lo, hi = self.uniform
        return (lo + hi) / 2, (hi - lo) / math.sqrt(12)

    def support(self) -> tuple[float, float]:
        return self.uniform

    def draw(self) -> Draw | float:
        lo, hi = self.uniform
        return (lambda rng, n: rng.uniform(lo, hi, n)) if hi > lo else lo


class Triangular(DistributionSpec):
    """``triangular: [lo, mode, hi]``."""

    tag: ClassVar[str] = "triangular"
    triangular: tuple[NonNegative, NonNegative, NonNegative] = Field(
        description="[lo, mode, hi], in that order, lo >= 0."
    )

    @field_validator(tag)
    @classmethod
    def _ordered(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        if not v[0] <= v[1] <= v[2]:
            raise PydanticCustomError(
                "order",
                "expected lo <= mode <= hi, got [{lo}, {mode}, {hi}]",
                {"lo": number_text(v[0]), "mode": number_text(v[1]), "hi": number_text(v[2])},
            )
        return v

    def support(self) -> tuple[float, float]:
        return self.triangular[0], self.triangular[2]

    def moments(self) -> tuple[float, float]:
        a, c, b = self.triangular
        var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        return (a + b + c) / 3, math.sqrt(max(var, 0.0))

    def draw(self) -> Draw | float:
        a, c, b = self.triangular
        return (lambda rng, n: rng.triangular(a, c, b, n)) if b > a else a


class NegativeBinomial(DistributionSpec):
    """``negative_binomial: {mean, sd}`` — overdispersed counts: sd² must exceed the mean."""

    tag: ClassVar[str] = "negative_binomial"
    missing_hints: ClassVar[dict[str, str]] = {"sd": "the spread; sd² must exceed the mean"}
    negative_binomial: PositiveMeanSd = Field(description="Mean and sd, with sd² > mean.")

    @field_validator(tag)
    @classmethod
    def _overdispersed(cls, v: PositiveMeanSd) -> PositiveMeanSd:
        if v.sd**2 <= v.mean:
            raise PydanticCustomError(
                "overdispersion",
                "expected sd² > mean (more spread than Poisson), got mean {mean} and sd {sd}",
                {"mean": number_text(v.mean), "sd": number_text(v.sd)},
            )
        return v

    def moments(self) -> tuple[float, float]:
        return self.negative_binomial.mean, self.negative_binomial.sd

    def draw(self) -> Draw | float:
        """Failures before r successes of probability p, with r = μ²/(σ² − μ) and p = μ/σ²."""
        m, var = self.negative_binomial.mean, self.negative_binomial.sd**2
        r, p = m * m / (var - m), m / var
        return lambda rng, n: rng.negative_binomial(r, p, n).astype(float)


KINDS: tuple[type[DistributionSpec], ...] = (
    Poisson,
    Normal,
    Lognormal,
    Gamma,
    Exponential,
    Uniform,
    Triangular,
    NegativeBinomial,
)
"""This module's kinds, in the order messages and the schema list them."""
