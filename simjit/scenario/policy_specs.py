"""Policy and forecast specs: each kind a frozen model in a discriminated union keyed by its YAML tag.

The policies themselves (what they decide) live in :mod:`simjit.policies`; this module only
fixes what a scenario may say about them.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, Field, Tag, field_validator, model_validator
from pydantic_core import PydanticCustomError

from simjit.scenario.types import NonNegative, Number, Positive, PositiveInt, Spec

__all__ = [
    "FORECAST_KINDS",
    "POLICY_KINDS",
    "RQ",
    "SS",
    "BaseStock",
    "BaseStockParams",
    "Eoq",
    "EoqParams",
    "ExponentialSmoothing",
    "Forecast",
    "Holt",
    "HoltWinters",
    "Kanban",
    "KanbanParams",
    "MakeToOrder",
    "MovingAverage",
    "OrderUpTo",
    "OrderUpToParams",
    "PluginRef",
    "PolicySpec",
    "PythonPolicy",
    "RQParams",
    "SSParams",
    "SafetyStock",
    "SafetyStockParams",
]

Alpha = Annotated[float, Field(strict=True, gt=0, le=1)]


class MovingAverage(Spec):
    """``moving_average: N`` — mean of the last N days of demand."""

    moving_average: PositiveInt


class SmoothingParams(Spec):
    alpha: Alpha


class ExponentialSmoothing(Spec):
    """``exponential_smoothing: {alpha}`` — simple exponential smoothing (Brown)."""

    exponential_smoothing: SmoothingParams


class HoltParams(Spec):
    alpha: Alpha
    beta: Alpha


class Holt(Spec):
    """``holt: {alpha, beta}`` — level and trend (Holt's linear method)."""

    holt: HoltParams


class HoltWintersParams(Spec):
    alpha: Alpha
    beta: Alpha
    gamma: Alpha
    season: Annotated[int, Field(strict=True, ge=2)]


class HoltWinters(Spec):
    """``holt_winters: {alpha, beta, gamma, season}`` — additive seasonality."""

    holt_winters: HoltWintersParams


_FORECASTS: dict[str, type[Spec]] = {
    "moving_average": MovingAverage,
    "exponential_smoothing": ExponentialSmoothing,
    "holt": Holt,
    "holt_winters": HoltWinters,
}
FORECAST_KINDS: tuple[str, ...] = (*_FORECASTS, "oracle")


def _forecast_tag(value: Any) -> str | None:
    if value == "oracle" or value == {"oracle": {}} or value == {"oracle": None}:
        return "oracle"
    if isinstance(value, Spec):
        return next(k for k, v in _FORECASTS.items() if isinstance(value, v))
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _FORECASTS:
        return str(next(iter(value)))
    return None


def _oracle(value: Any) -> str:
    return "oracle"


Forecast = Annotated[
    Union[
        Annotated[MovingAverage, Tag("moving_average")],
        Annotated[ExponentialSmoothing, Tag("exponential_smoothing")],
        Annotated[Holt, Tag("holt")],
        Annotated[HoltWinters, Tag("holt_winters")],
        Annotated[Literal["oracle"], Tag("oracle")],
    ],
    Discriminator(
        _forecast_tag,
        custom_error_type="forecast_kind",
        custom_error_message="expected a forecast",
    ),
]
"""How a policy predicts demand: ``oracle`` or ``{kind: parameters}``."""


class KanbanParams(Spec):
    containers: PositiveInt
    container_size: Positive
    safety_time: NonNegative = 0.0


class Kanban(Spec):
    """JIT pull: N containers of size c; each emptied container sends a card for one more."""

    kanban: KanbanParams


class EoqParams(Spec):
    order_quantity: Positive | None = None
    reorder_point: Number | None = None


class Eoq(Spec):
    """Economic order quantity, reordering at expected lead-time demand (no buffer)."""

    eoq: EoqParams = EoqParams()

    @field_validator("eoq", mode="before")
    @classmethod
    def _empty(cls, v: Any) -> Any:
        return {} if v is None else v


class SafetyStockParams(Spec):
    service_level: Annotated[float, Field(strict=True, gt=0, lt=1)]
    forecast: Forecast | None = None
    order_quantity: Positive | None = None


class SafetyStock(Spec):
    """Reorder point = forecast lead-time demand + z·σ_LTD; order quantity EOQ unless given."""

    safety_stock: SafetyStockParams


class RQParams(Spec):
    reorder_point: Number
    order_quantity: Positive


class RQ(Spec):
    """Continuous-review (r, Q): order Q whenever the inventory position is at or below r."""

    r_Q: RQParams


class SSParams(Spec):
    s: Number
    S: Number
    review_period: Positive | None = None

    @model_validator(mode="after")
    def _s_below_S(self) -> SSParams:
        if self.s >= self.S:
            raise PydanticCustomError(
                "s_S_order", "expected s < S, got s = {s} and S = {S}", {"s": self.s, "S": self.S}
            )
        return self


class SS(Spec):
    """(s, S): when the position is at or below s, order up to S; continuous or periodic review."""

    s_S: SSParams


class BaseStockParams(Spec):
    level: NonNegative


class BaseStock(Spec):
    """Base stock (S−1, S): order exactly what was used, keeping the position at S."""

    base_stock: BaseStockParams


class OrderUpToParams(Spec):
    level: NonNegative | None = None
    cover_days: Positive | None = None
    review_period: Positive
    forecast: Forecast | None = None
    service_level: Annotated[float, Field(strict=True, gt=0, lt=1)] | None = None

    @model_validator(mode="after")
    def _one_target(self) -> OrderUpToParams:
        if (self.level is None) == (self.cover_days is None):
            raise PydanticCustomError("target", "expected exactly one of 'level' or 'cover_days'")
        return self


class OrderUpTo(Spec):
    """Periodic (R, S): every review period, order up to the level (or cover_days of forecast)."""

    order_up_to: OrderUpToParams


class MakeToOrder(Spec):
    """Hold nothing: every customer order becomes a replenishment order; the customer waits."""

    make_to_order: Annotated[dict[str, Any], Field(max_length=0)] = {}

    @field_validator("make_to_order", mode="before")
    @classmethod
    def _empty(cls, v: Any) -> Any:
        return {} if v is None else v


_PLUGIN_PATH = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


class PluginRef(Spec):
    """A user's policy class as ``module:Class`` with its parameters."""

    class_: str = Field(alias="class")
    params: dict[str, Any] = {}

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"class": value} if isinstance(value, str) else value

    @field_validator("class_")
    @classmethod
    def _module_colon_class(cls, v: str) -> str:
        if not _PLUGIN_PATH.match(v):
            raise PydanticCustomError("plugin_path", "expected 'module:Class', got {v!r}", {"v": v})
        return v


class PythonPolicy(Spec):
    """A user's policy class; runs only with ``--allow-plugins`` or an installed entry point."""

    python: PluginRef


_POLICIES: dict[str, type[Spec]] = {
    "kanban": Kanban,
    "eoq": Eoq,
    "safety_stock": SafetyStock,
    "r_Q": RQ,
    "s_S": SS,
    "base_stock": BaseStock,
    "order_up_to": OrderUpTo,
    "make_to_order": MakeToOrder,
    "python": PythonPolicy,
}
POLICY_KINDS: tuple[str, ...] = tuple(_POLICIES)


def _policy_tag(value: Any) -> str | None:
    if isinstance(value, Spec):
        return next(k for k, v in _POLICIES.items() if isinstance(value, v))
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _POLICIES:
        return str(next(iter(value)))
    return None


PolicySpec = Annotated[
    Union[tuple(Annotated[cls, Tag(tag)] for tag, cls in _POLICIES.items())],  # type: ignore[valid-type]
    Discriminator(
        _policy_tag,
        custom_error_type="policy_kind",
        custom_error_message="expected a one-key mapping naming a policy",
    ),
]
"""A replenishment policy: ``{kind: parameters}``."""
