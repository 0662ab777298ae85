"""Policy and forecast specs: each kind a frozen model in a discriminated union keyed by its YAML tag.

The policies themselves (what they decide) live in :mod:`simjit.policies`; this module only
fixes what a scenario may say about them.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, Field, PrivateAttr, Tag, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from simjit.scenario.types import NonNegative, Number, Positive, PositiveInt, Spec, number_text

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

    moving_average: PositiveInt = Field(description="N, the number of days averaged.")


class SmoothingParams(Spec):
    """Smoothing constant of simple exponential smoothing."""

    alpha: Alpha = Field(description="Weight of the newest observation, in (0, 1].")


class ExponentialSmoothing(Spec):
    """``exponential_smoothing: {alpha}`` — simple exponential smoothing (Brown)."""

    exponential_smoothing: SmoothingParams = Field(description="The smoothing constant alpha.")


class HoltParams(Spec):
    """Smoothing constants of Holt's linear method."""

    alpha: Alpha = Field(description="Smoothing of the level, in (0, 1].")
    beta: Alpha = Field(description="Smoothing of the trend, in (0, 1].")


class Holt(Spec):
    """``holt: {alpha, beta}`` — level and trend (Holt's linear method)."""

    holt: HoltParams = Field(description="Smoothing constants alpha and beta.")


class HoltWintersParams(Spec):
    """Smoothing constants and season length of additive Holt-Winters."""

    alpha: Alpha = Field(description="Smoothing of the level, in (0, 1].")
    beta: Alpha = Field(description="Smoothing of the trend, in (0, 1].")
    gamma: Alpha = Field(description="Smoothing of the seasonal indices, in (0, 1].")
    season: Annotated[int, Field(strict=True, ge=2)] = Field(description="Days in a season (7 for a weekly cycle).")


class HoltWinters(Spec):
    """``holt_winters: {alpha, beta, gamma, season}`` — additive seasonality."""

    holt_winters: HoltWintersParams = Field(description="Smoothing constants and season length.")


_FORECASTS: dict[str, type[Spec]] = {
    "moving_average": MovingAverage,
    "exponential_smoothing": ExponentialSmoothing,
    "holt": Holt,
    "holt_winters": HoltWinters,
}
FORECAST_KINDS: tuple[str, ...] = (*_FORECASTS, "oracle")


def _forecast_tag(value: Any) -> str | None:
    if value == "oracle":
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
    """Cards in the loop, units per container, and an optional time buffer."""

    containers: PositiveInt = Field(description="Number of kanban containers (cards) in the loop.")
    container_size: Positive = Field(description="Units in one container; one card orders one container.")
    safety_time: NonNegative = Field(0.0, description="Days of demand added as a buffer (0: pure JIT).")


class Kanban(Spec):
    """JIT pull: N containers of size c; each emptied container sends a card for one more."""

    kanban: KanbanParams = Field(description="Containers, container size and safety time.")


class EoqParams(Spec):
    """Optional fixed values in place of the computed ones."""

    order_quantity: Positive | None = Field(None, description="Units per order (default: EOQ = √(2DK/h)).")
    reorder_point: Number | None = Field(None, description="Reorder point (default: expected lead-time demand).")


class Eoq(Spec):
    """Economic order quantity, reordering at expected lead-time demand (no buffer)."""

    eoq: EoqParams = Field(EoqParams(), description="Optional order_quantity and reorder_point; {} to compute both.")

    @field_validator("eoq", mode="before", json_schema_input_type=Union[EoqParams, None])
    @classmethod
    def _empty(cls, v: Any) -> Any:
        return {} if v is None else v


class SafetyStockParams(Spec):
    """Target service level, the forecast it rests on, and an optional order quantity."""

    service_level: Annotated[float, Field(strict=True, gt=0, lt=1)] = Field(
        description="Target probability of no stock-out in a replenishment cycle, in (0, 1)."
    )
    forecast: Forecast | None = Field(None, description="How demand is forecast (default: oracle).")
    order_quantity: Positive | None = Field(None, description="Units per order (default: EOQ).")


class SafetyStock(Spec):
    """Reorder point = forecast lead-time demand + z·σ_LTD; order quantity EOQ unless given."""

    safety_stock: SafetyStockParams = Field(description="Service level, forecast and order quantity.")


class RQParams(Spec):
    """The two numbers of an (r, Q) policy."""

    reorder_point: Number = Field(description="r: order when the inventory position is at or below this.")
    order_quantity: Positive = Field(description="Q: units per order.")


class RQ(Spec):
    """Continuous-review (r, Q): order Q whenever the inventory position is at or below r."""

    r_Q: RQParams = Field(description="Reorder point and order quantity.")


class SSParams(Spec):
    """The two levels of an (s, S) policy and how often it looks."""

    s: Number = Field(description="Reorder level: order when the inventory position is at or below s.")
    S: Number = Field(description="Order-up-to level, above s.")
    review_period: Positive | None = Field(None, description="Days between reviews (default: continuous review).")

    @model_validator(mode="after")
    def _s_below_S(self) -> SSParams:
        if self.s >= self.S:
            raise PydanticCustomError(
                "s_S_order",
                "expected s < S, got s = {s} and S = {S}",
                {"s": number_text(self.s), "S": number_text(self.S)},
            )
        return self


class SS(Spec):
    """(s, S): when the position is at or below s, order up to S; continuous or periodic review."""

    s_S: SSParams = Field(description="s, S and the review period.")


class BaseStockParams(Spec):
    """The base-stock level."""

    level: NonNegative = Field(description="S: the inventory position kept after every order.")


class BaseStock(Spec):
    """Base stock (S−1, S): order exactly what was used, keeping the position at S."""

    base_stock: BaseStockParams = Field(description="The level S to keep the inventory position at.")


class OrderUpToParams(Spec):
    """A fixed level or days of cover, reviewed periodically."""

    level: NonNegative | None = Field(None, description="Order up to this inventory position.")
    cover_days: Positive | None = Field(None, description="Order up to this many days of forecast demand.")
    review_period: Positive = Field(description="R: days between reviews.")
    forecast: Forecast | None = Field(None, description="How demand is forecast for cover_days (default: oracle).")
    service_level: Annotated[float, Field(strict=True, gt=0, lt=1)] | None = Field(
        None, description="Adds a safety buffer for this cycle service level, in (0, 1)."
    )

    @model_validator(mode="after")
    def _one_target(self) -> OrderUpToParams:
        if (self.level is None) == (self.cover_days is None):
            raise PydanticCustomError("target", "expected exactly one of 'level' or 'cover_days'")
        return self


class OrderUpTo(Spec):
    """Periodic (R, S): every review period, order up to the level (or cover_days of forecast)."""

    order_up_to: OrderUpToParams = Field(description="Level or cover days, review period, forecast.")


class MakeToOrder(Spec):
    """Hold nothing: every customer order becomes a replenishment order; the customer waits."""

    make_to_order: Annotated[dict[str, Any], Field(max_length=0)] = Field({}, description="No parameters: {}.")

    @field_validator("make_to_order", mode="before", json_schema_input_type=Union[dict[str, Any], None])
    @classmethod
    def _empty(cls, v: Any) -> Any:
        return {} if v is None else v


_PLUGIN_PATH = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


class PluginRef(Spec):
    """A user's policy class as ``module:Class`` with its parameters."""

    class_: str = Field(alias="class", description="The policy class as module:Class.")
    params: dict[str, Any] = Field({}, description="Keyword arguments passed to the class.")
    _search_dir: str = PrivateAttr(default=".")

    @model_validator(mode="after")
    def _remember_dir(self, info: ValidationInfo) -> PluginRef:
        self._search_dir = str((info.context or {}).get("base_dir", "."))
        return self

    @property
    def search_dir(self) -> str:
        """The scenario file's folder, where a plug-in module beside it is found."""
        return self._search_dir

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"class": value} if isinstance(value, str) else value

    @field_validator("class_")
    @classmethod
    def _module_colon_class(cls, v: str) -> str:
        if not _PLUGIN_PATH.match(v):
            raise PydanticCustomError("plugin_path", "expected 'module:Class', got {v}", {"v": repr(v)})
        return v


class PythonPolicy(Spec):
    """A user's policy class; runs only with ``--allow-plugins`` or an installed entry point."""

    python: PluginRef = Field(description="module:Class, or {class: module:Class, params: {…}}.")

    @field_validator("python", mode="before", json_schema_input_type=Union[str, PluginRef])
    @classmethod
    def _short_form(cls, v: Any) -> Any:
        return v


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
    Union[
        Annotated[Kanban, Tag("kanban")],
        Annotated[Eoq, Tag("eoq")],
        Annotated[SafetyStock, Tag("safety_stock")],
        Annotated[RQ, Tag("r_Q")],
        Annotated[SS, Tag("s_S")],
        Annotated[BaseStock, Tag("base_stock")],
        Annotated[OrderUpTo, Tag("order_up_to")],
        Annotated[MakeToOrder, Tag("make_to_order")],
        Annotated[PythonPolicy, Tag("python")],
    ],
    Discriminator(
        _policy_tag,
        custom_error_type="policy_kind",
        custom_error_message="expected a one-key mapping naming a policy",
    ),
]
"""A replenishment policy: ``{kind: parameters}``."""
