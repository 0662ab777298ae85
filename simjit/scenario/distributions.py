"""Distribution specs: a number is a constant, otherwise a one-key mapping naming the kind.

Each kind is a frozen model whose single field is the kind's name, so that the YAML
``{lognormal: {mean: 12, sd: 3}}`` maps onto ``Lognormal(lognormal=MeanSd(mean=12, sd=3))``
and validation errors point at the user's keys. A kind is declared once, here: its model carries
its tag, its moments and its vectorised draw, and the registry :data:`KINDS` generates the tagged
union :data:`Distribution`, :data:`DISTRIBUTION_KINDS` and :func:`distribution_mean`/``_sd``.

The draws only build closures over :class:`numpy.random.Generator` calls; the generators (named
streams) and the buffering :class:`~simjit.random.Sampler` live in :mod:`simjit.random`. numpy is
imported when a replication draws, never when a scenario is validated.
"""

from __future__ import annotations

import csv
import math
from abc import abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Union

from pydantic import Discriminator, Field, PrivateAttr, Tag, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from simjit.scenario.types import NonNegative, Number, Positive, Spec, number_text

if TYPE_CHECKING:
    from typing import TypeAlias

    import numpy as np

__all__ = [
    "DISTRIBUTION_KINDS",
    "DISTRIBUTION_MISSING_HINTS",
    "KINDS",
    "Distribution",
    "DistributionSpec",
    "Draw",
    "Empirical",
    "Exponential",
    "Gamma",
    "Lognormal",
    "MeanSd",
    "NegativeBinomial",
    "Normal",
    "Poisson",
    "Trace",
    "Triangular",
    "Uniform",
    "Weibull",
    "distribution_mean",
    "distribution_sd",
]

Draw = Callable[["np.random.Generator", int], "np.ndarray"]
"""``(rng, n)`` → ``n`` values as floats: one vectorised numpy call serves many events."""

CONSTANT = "constant"
"""The tag of a bare number, the one kind without a model."""
_SPREAD = "the spread; give sd: 0 for a constant"


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
    missing_hints: ClassVar[dict[str, str]] = {"sd": _SPREAD}
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
    missing_hints: ClassVar[dict[str, str]] = {"sd": _SPREAD}
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
    missing_hints: ClassVar[dict[str, str]] = {"sd": _SPREAD}
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
    uniform: tuple[Number, Number] = Field(description="[lo, hi], lo <= hi.")

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

    def draw(self) -> Draw | float:
        lo, hi = self.uniform
        return (lambda rng, n: rng.uniform(lo, hi, n)) if hi > lo else lo


class Triangular(DistributionSpec):
    """``triangular: [lo, mode, hi]``."""

    tag: ClassVar[str] = "triangular"
    triangular: tuple[Number, Number, Number] = Field(description="[lo, mode, hi], in that order.")

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


class Empirical(DistributionSpec):
    """``empirical: [values…]`` — each value equally likely."""

    tag: ClassVar[str] = "empirical"
    empirical: Annotated[list[Number], Field(min_length=1)] = Field(description="The values, each equally likely.")

    def moments(self) -> tuple[float, float]:
        return _moments_of(self.empirical)

    def draw(self) -> Draw | float:
        import numpy as np

        values = np.array(self.empirical, dtype=float)
        return lambda rng, n: rng.choice(values, n)


class Trace(DistributionSpec):
    """``trace: file.csv`` — a column of numbers played in order, path relative to the scenario.

    The values are read once, at validation, so a scenario travels to workers whole.
    """

    tag: ClassVar[str] = "trace"
    trace: str = Field(description="CSV file, relative to the scenario; its first column is played in order.")
    _values: tuple[float, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _read(self, info: ValidationInfo) -> Trace:
        base = Path((info.context or {}).get("base_dir", "."))
        self._values = read_trace(base / self.trace, self.trace)
        return self

    @property
    def values(self) -> tuple[float, ...]:
        """The numbers of the trace, in file order."""
        return self._values

    def moments(self) -> tuple[float, float]:
        return _moments_of(self._values)

    def draw(self) -> Draw | float:
        """The trace from its start, again and again; data, not randomness: the generator is not used."""
        import numpy as np

        values = np.array(self._values, dtype=float)
        played = 0

        def replay(rng: np.random.Generator, n: int) -> np.ndarray:
            nonlocal played
            out = values[(played + np.arange(n)) % len(values)]
            played += n
            return out

        return replay


class Weibull(DistributionSpec):
    """``weibull: {mean, sd}`` — times to failure or repair, given by mean and sd like lognormal and gamma."""

    tag: ClassVar[str] = "weibull"
    missing_hints: ClassVar[dict[str, str]] = {"sd": _SPREAD}
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


def _moments_of(values: Sequence[float]) -> tuple[float, float]:
    """Mean and (population) sd of equally likely values."""
    mean = math.fsum(values) / len(values)
    var = math.fsum((v - mean) ** 2 for v in values) / len(values)
    return mean, math.sqrt(var)


def read_trace(path: Path, shown: str) -> tuple[float, ...]:
    """Read the first column of a CSV (a header line is allowed) as floats."""
    if not path.is_file():
        raise PydanticCustomError(
            "trace_missing", "trace file {name} not found (looked in {path})", {"name": shown, "path": str(path.parent)}
        )
    values: list[float] = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row_no, row in enumerate(csv.reader(fh), start=1):
            if not row or not row[0].strip():
                continue
            try:
                value = float(row[0])
            except ValueError:
                if row_no == 1:
                    continue
                raise PydanticCustomError(
                    "trace_value",
                    "{name} line {line}: expected a number, got {text}",
                    {"name": shown, "line": row_no, "text": repr(row[0])},
                ) from None
            if not math.isfinite(value) or value < 0:
                raise PydanticCustomError(
                    "trace_value",
                    "{name} line {line}: expected a finite number >= 0, got {text}",
                    {"name": shown, "line": row_no, "text": row[0]},
                )
            values.append(value)
    if not values:
        raise PydanticCustomError("trace_empty", "trace file {name} holds no numbers", {"name": shown})
    return tuple(values)


# --- the registry: everything below is generated from it ------------------------------------

KINDS: tuple[type[DistributionSpec], ...] = (
    Poisson,
    Normal,
    Lognormal,
    Gamma,
    Exponential,
    Uniform,
    Triangular,
    NegativeBinomial,
    Empirical,
    Trace,
    Weibull,
)
"""Every distribution kind, in the order messages and the schema list them."""

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
