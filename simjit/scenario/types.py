"""Shared field types and the base model every scenario part derives from."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "LARGEST",
    "DaysPerYear",
    "Fraction",
    "Name",
    "NonNegative",
    "Number",
    "Positive",
    "PositiveInt",
    "Spec",
    "StockPointRef",
    "number_text",
    "one_key",
]

LARGEST = 1e12
"""No quantity, time or money of a scenario is larger: beyond, sums overflow to infinity (1e300²)."""
Number = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-LARGEST, le=LARGEST)]
NonNegative = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=LARGEST)]
Positive = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=LARGEST)]
Fraction = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=1)]
PositiveInt = Annotated[int, Field(strict=True, ge=1)]
DaysPerYear = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=1, le=LARGEST)]
"""Days in a year: 365, 360 (a banker's year), 250 (a working year)… at least 1, since a year shorter than one
day of the model makes a day's holding cost larger than the year's (``1e-300`` overflows it to infinity)."""
Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=80, pattern=r"^[A-Za-z_][A-Za-z0-9_\-]*$"),
]
StockPointRef = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_\-]*/[A-Za-z_][A-Za-z0-9_\-]*$")]


class Spec(BaseModel):
    """Base of every scenario model: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


def number_text(value: float) -> str:
    """A number as the user would write it: ``5`` rather than ``5.0``, ``0.25`` as is."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def one_key(value: Any) -> str | None:
    """The tag of a one-key mapping (``{poisson: 5}`` → ``poisson``): how kinds are written."""
    if isinstance(value, dict) and len(value) == 1:
        return str(next(iter(value)))
    if isinstance(value, str):
        return value
    return None
