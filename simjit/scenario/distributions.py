"""Distribution specs: a number is a constant, otherwise a one-key mapping naming the kind.

Each kind is a frozen model whose single field is the kind's name, so that the YAML
``{lognormal: {mean: 12, sd: 3}}`` maps onto ``Lognormal(lognormal=MeanSd(mean=12, sd=3))``
and validation errors point at the user's keys. Samplers live in :mod:`simjit.random`.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Annotated, Any, Union

from pydantic import Discriminator, Field, PrivateAttr, Tag, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from simjit.scenario.types import NonNegative, Number, Positive, Spec, number_text

__all__ = [
    "DISTRIBUTION_KINDS",
    "Distribution",
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
    "distribution_mean",
    "distribution_sd",
]


class MeanSd(Spec):
    """Parameters given as mean and standard deviation, as people think of them.

    The sd is required: a spread left out is far more often a slip than a wish for a
    constant, so a constant says ``sd: 0``.
    """

    mean: NonNegative = Field(description="Mean of the variable.")
    sd: NonNegative = Field(description="Standard deviation of the variable; 0 for a constant.")


class PositiveMeanSd(Spec):
    """Mean and sd, both required, where the mean must be positive (lognormal, gamma, negative_binomial)."""

    mean: Positive = Field(description="Mean of the variable (not of its logarithm).")
    sd: NonNegative = Field(description="Standard deviation of the variable.")


class MeanOnly(Spec):
    """A distribution fixed by its mean alone (exponential)."""

    mean: Positive = Field(description="Mean of the variable.")


class Poisson(Spec):
    """``poisson: λ`` — counts with mean and variance λ."""

    poisson: NonNegative = Field(description="The mean λ (also the variance).")


class Normal(Spec):
    """``normal: {mean, sd}`` — truncated at 0 when it samples a quantity or a time."""

    normal: MeanSd = Field(description="Mean and sd before truncation at 0.")


class Lognormal(Spec):
    """``lognormal: {mean, sd}`` — mean and sd of the variable itself, not of its log."""

    lognormal: PositiveMeanSd = Field(description="Mean and sd of the variable itself.")


class Gamma(Spec):
    """``gamma: {mean, sd}``."""

    gamma: PositiveMeanSd = Field(description="Mean and sd.")


class Exponential(Spec):
    """``exponential: {mean}``."""

    exponential: MeanOnly = Field(description="The mean.")


class Uniform(Spec):
    """``uniform: [lo, hi]``."""

    uniform: tuple[Number, Number] = Field(description="[lo, hi], lo <= hi.")

    @field_validator("uniform")
    @classmethod
    def _ordered(cls, v: tuple[float, float]) -> tuple[float, float]:
        if v[0] > v[1]:
            raise PydanticCustomError(
                "order", "expected lo <= hi, got [{lo}, {hi}]", {"lo": number_text(v[0]), "hi": number_text(v[1])}
            )
        return v


class Triangular(Spec):
    """``triangular: [lo, mode, hi]``."""

    triangular: tuple[Number, Number, Number] = Field(description="[lo, mode, hi], in that order.")

    @field_validator("triangular")
    @classmethod
    def _ordered(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        if not v[0] <= v[1] <= v[2]:
            raise PydanticCustomError(
                "order",
                "expected lo <= mode <= hi, got [{lo}, {mode}, {hi}]",
                {"lo": number_text(v[0]), "mode": number_text(v[1]), "hi": number_text(v[2])},
            )
        return v


class NegativeBinomial(Spec):
    """``negative_binomial: {mean, sd}`` — overdispersed counts: sd² must exceed the mean."""

    negative_binomial: PositiveMeanSd = Field(description="Mean and sd, with sd² > mean.")

    @field_validator("negative_binomial")
    @classmethod
    def _overdispersed(cls, v: PositiveMeanSd) -> PositiveMeanSd:
        if v.sd**2 <= v.mean:
            raise PydanticCustomError(
                "overdispersion",
                "expected sd² > mean (more spread than Poisson), got mean {mean} and sd {sd}",
                {"mean": number_text(v.mean), "sd": number_text(v.sd)},
            )
        return v


class Empirical(Spec):
    """``empirical: [values…]`` — each value equally likely."""

    empirical: Annotated[list[Number], Field(min_length=1)] = Field(description="The values, each equally likely.")


class Trace(Spec):
    """``trace: file.csv`` — a column of numbers played in order, path relative to the scenario.

    The values are read once, at validation, so a scenario travels to workers whole.
    """

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


_KINDS: dict[str, type[Spec]] = {
    "poisson": Poisson,
    "normal": Normal,
    "lognormal": Lognormal,
    "gamma": Gamma,
    "exponential": Exponential,
    "uniform": Uniform,
    "triangular": Triangular,
    "negative_binomial": NegativeBinomial,
    "empirical": Empirical,
    "trace": Trace,
}
DISTRIBUTION_KINDS: tuple[str, ...] = ("constant", *_KINDS)


def _distribution_tag(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "constant"
    if isinstance(value, Spec):
        return next(k for k, v in _KINDS.items() if isinstance(value, v))
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return key if key in _KINDS else None
    return None


Distribution = Annotated[
    Union[
        Annotated[NonNegative, Tag("constant")],
        Annotated[Poisson, Tag("poisson")],
        Annotated[Normal, Tag("normal")],
        Annotated[Lognormal, Tag("lognormal")],
        Annotated[Gamma, Tag("gamma")],
        Annotated[Exponential, Tag("exponential")],
        Annotated[Uniform, Tag("uniform")],
        Annotated[Triangular, Tag("triangular")],
        Annotated[NegativeBinomial, Tag("negative_binomial")],
        Annotated[Empirical, Tag("empirical")],
        Annotated[Trace, Tag("trace")],
    ],
    Discriminator(
        _distribution_tag,
        custom_error_type="distribution_kind",
        custom_error_message="expected a number or a one-key mapping naming a distribution",
    ),
]
"""A random quantity: a number (constant) or ``{kind: parameters}``."""


def distribution_mean(d: Distribution) -> float:
    """The mean of a distribution spec (normal: before truncation at 0)."""
    return _moments(d)[0]


def distribution_sd(d: Distribution) -> float:
    """The standard deviation of a distribution spec (normal: before truncation at 0)."""
    return _moments(d)[1]


def _moments(d: Distribution) -> tuple[float, float]:
    if isinstance(d, (int, float)):
        return float(d), 0.0
    if isinstance(d, Poisson):
        return d.poisson, math.sqrt(d.poisson)
    if isinstance(d, Normal):
        return d.normal.mean, d.normal.sd
    if isinstance(d, Lognormal):
        return d.lognormal.mean, d.lognormal.sd
    if isinstance(d, Gamma):
        return d.gamma.mean, d.gamma.sd
    if isinstance(d, NegativeBinomial):
        return d.negative_binomial.mean, d.negative_binomial.sd
    if isinstance(d, Exponential):
        return d.exponential.mean, d.exponential.mean
    if isinstance(d, Uniform):
        lo, hi = d.uniform
        return (lo + hi) / 2, (hi - lo) / math.sqrt(12)
    if isinstance(d, Triangular):
        a, c, b = d.triangular
        var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        return (a + b + c) / 3, math.sqrt(max(var, 0.0))
    values = d.empirical if isinstance(d, Empirical) else list(d.values)
    mean = math.fsum(values) / len(values)
    var = math.fsum((v - mean) ** 2 for v in values) / len(values)
    return mean, math.sqrt(var)
