"""The Weibull kind, given by mean and sd, and the numerics that find its shape from them."""

from __future__ import annotations

import math
from typing import ClassVar

from pydantic import Field

from simjit.scenario.distributions.base import SPREAD_HINT, DistributionSpec, Draw, PositiveMeanSd

__all__ = ["KINDS", "Weibull"]


class Weibull(DistributionSpec):
    """``weibull: {mean, sd}`` — times to failure or repair, given by mean and sd like lognormal and gamma."""

    tag: ClassVar[str] = "weibull"
    missing_hints: ClassVar[dict[str, str]] = {"sd": SPREAD_HINT}
    weibull: PositiveMeanSd = Field(description="Mean and sd of the variable; the shape follows from sd/mean.")

    def moments(self) -> tuple[float, float]:
        return self.weibull.mean, self.weibull.sd

    def draw(self) -> Draw | float:
        """Shape k solving CV² = Γ(1 + 2/k) / Γ(1 + 1/k)² − 1 for CV = sd/mean, scale λ = mean / Γ(1 + 1/k).

        Johnson, Kotz & Balakrishnan, *Continuous Univariate Distributions* 1 (1994), ch. 21. k is
        sought in [10⁻², 10¹²], a CV from about 10²⁸ down to 10⁻¹².
        """
        m, s = self.weibull.mean, self.weibull.sd
        if s == 0:
            return m
        x = _weibull_inverse_shape(s / m)
        k, scale = 1 / x, m / math.gamma(1 + x)
        return lambda rng, n: rng.weibull(k, n) * scale


KINDS: tuple[type[DistributionSpec], ...] = (Weibull,)
"""This module's kinds, in the order messages and the schema list them."""


def _weibull_log_ratio(x: float) -> float:
    """ln(Γ(1 + 2x) / Γ(1 + x)²) = ln(1 + CV²) of a Weibull of shape 1/x.

    Near 0 the two log-gammas nearly cancel, so the series Σₙ₌₂ (−1)ⁿ ζ(n) (2ⁿ − 2)/n · xⁿ
    serves there (to x⁵: what it leaves out is below 7x⁴ of the sum).
    """
    if x < 1e-3:
        zeta2, zeta3, zeta4, zeta5 = math.pi**2 / 6, 1.2020569031595942, math.pi**4 / 90, 1.0369277551433699
        return x * x * (zeta2 - x * (2 * zeta3 - x * (3.5 * zeta4 - x * 6 * zeta5)))
    return math.lgamma(1 + 2 * x) - 2 * math.lgamma(1 + x)


def _weibull_inverse_shape(cv: float) -> float:
    """1/k for a coefficient of variation ``cv``: bisection on ln x (the ratio grows with x = 1/k)."""
    target = math.log1p(cv * cv)
    lo, hi = math.log(1e-12), math.log(1e2)
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if _weibull_log_ratio(math.exp(mid)) < target:
            lo = mid
        else:
            hi = mid
    return math.exp((lo + hi) / 2)
