"""Policy and forecast specs: each kind a frozen model in a discriminated union keyed by its YAML tag.

A kind is declared once, here: its model carries its tag (the name of its single field), and the
registries :data:`POLICIES` and :data:`FORECASTS` generate the tagged unions :data:`PolicySpec`
and :data:`Forecast`, :data:`POLICY_KINDS` and :data:`FORECAST_KINDS`. The policies themselves
(what they decide, and ``from_spec`` to build one) live in :mod:`simjit.policies`; this module
only fixes what a scenario may say about them.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

from pydantic import Discriminator, Field, PrivateAttr, Tag, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from simjit.scenario.types import NonNegative, Number, Positive, PositiveInt, Spec, number_text

if TYPE_CHECKING:
    from typing import TypeAlias

__all__ = [
    "FORECASTS",
    "FORECAST_KINDS",
    "ORACLE",
    "POLICIES",
    "POLICY_KINDS",
    "RQ",
    "SS",
    "BaseStock",
    "BaseStockParams",
    "DemandSignal",
    "Eoq",
    "EoqParams",
    "ExponentialSmoothing",
    "Forecast",
    "ForecastKind",
    "Holt",
    "HoltWinters",
    "Kanban",
    "KanbanParams",
    "MakeToOrder",
    "MovingAverage",
    "OrderUpTo",
    "OrderUpToParams",
    "PeriodicKanban",
    "PeriodicKanbanParams",
    "PluginRef",
    "PolicyKind",
    "PolicySpec",
    "PythonPolicy",
    "RQParams",
    "SSParams",
    "SafetyStock",
    "SafetyStockParams",
    "demand_signal",
]

Alpha = Annotated[float, Field(strict=True, gt=0, le=1)]

ORACLE = "oracle"
"""The forecast written as a plain word: the scenario's true mean and sd (no model, no parameters)."""


class _Kind(Spec):
    """A policy or forecast kind: its one field is named for its tag, as the YAML writes it."""

    tag: ClassVar[str]
    """The key that names the kind in YAML."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if _Kind in cls.__bases__:
            return  # a family (forecasts, policies): no tag of its own
        if list(cls.model_fields) != [getattr(cls, "tag", None)]:
            raise TypeError(f"{cls.__name__} must have a tag and exactly one field, named for it")


class ForecastKind(_Kind):
    """A forecast kind; :mod:`simjit.policies.forecasting` builds its forecaster (``from_spec``)."""


class PolicyKind(_Kind):
    """A policy kind; a class in :mod:`simjit.policies` builds its policy (``from_spec``)."""


class MovingAverage(ForecastKind):
    """``moving_average: N`` — mean of the last N days of demand."""

    tag: ClassVar[str] = "moving_average"
    moving_average: PositiveInt = Field(description="N, the number of days averaged.")


class SmoothingParams(Spec):
    """Smoothing constant of simple exponential smoothing."""

    alpha: Alpha = Field(description="Weight of the newest observation, in (0, 1].")


class ExponentialSmoothing(ForecastKind):
    """``exponential_smoothing: {alpha}`` — simple exponential smoothing (Brown)."""

    tag: ClassVar[str] = "exponential_smoothing"
    exponential_smoothing: SmoothingParams = Field(description="The smoothing constant alpha.")


class HoltParams(Spec):
    """Smoothing constants of Holt's linear method."""

    alpha: Alpha = Field(description="Smoothing of the level, in (0, 1].")
    beta: Alpha = Field(description="Smoothing of the trend, in (0, 1].")


class Holt(ForecastKind):
    """``holt: {alpha, beta}`` — level and trend (Holt's linear method)."""

    tag: ClassVar[str] = "holt"
    holt: HoltParams = Field(description="Smoothing constants alpha and beta.")


class HoltWintersParams(Spec):
    """Smoothing constants and season length of additive Holt-Winters."""

    alpha: Alpha = Field(description="Smoothing of the level, in (0, 1].")
    beta: Alpha = Field(description="Smoothing of the trend, in (0, 1].")
    gamma: Alpha = Field(description="Smoothing of the seasonal indices, in (0, 1].")
    season: Annotated[int, Field(strict=True, ge=2)] = Field(description="Days in a season (7 for a weekly cycle).")


class HoltWinters(ForecastKind):
    """``holt_winters: {alpha, beta, gamma, season}`` — additive seasonality."""

    tag: ClassVar[str] = "holt_winters"
    holt_winters: HoltWintersParams = Field(description="Smoothing constants and season length.")


# --- the forecast registry: the union and the kind list are generated from it -----------------

FORECASTS: tuple[type[ForecastKind], ...] = (MovingAverage, ExponentialSmoothing, Holt, HoltWinters)
"""Every forecast kind with parameters, in the order messages and the schema list them (then ``oracle``)."""

_FORECASTS: dict[str, type[ForecastKind]] = {kind.tag: kind for kind in FORECASTS}
FORECAST_KINDS: tuple[str, ...] = (*_FORECASTS, ORACLE)


def _forecast_tag(value: Any) -> str | None:
    if value == ORACLE:
        return ORACLE
    if isinstance(value, ForecastKind):
        return value.tag
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _FORECASTS:
        return str(next(iter(value)))
    return None


def _forecast_union() -> Any:
    oracle = Literal.__getitem__(ORACLE)  # type: ignore[attr-defined]  # Literal[ORACLE], built at run time
    members = (*(Annotated[kind, Tag(kind.tag)] for kind in FORECASTS), Annotated[oracle, Tag(ORACLE)])
    return Annotated[
        Union[members],  # a Union built from a tuple: it has no ``|`` spelling
        Discriminator(_forecast_tag, custom_error_type="forecast_kind", custom_error_message="expected a forecast"),
    ]


if TYPE_CHECKING:
    Forecast: TypeAlias = ForecastKind | str
else:
    Forecast = _forecast_union()
    """How a policy predicts demand: ``oracle`` or ``{kind: parameters}``."""


class DemandSignal(StrEnum):
    """Which daily demand a forecast learns from.

    ``own``: the demand this stock point sees — its customers' and, upstream, its downstream sites'
    orders and its lines' draws (the decentralised chain of Lee, Padmanabhan & Whang 1997, where each
    stage forecasts from the orders it receives and the bullwhip effect compounds). ``customer``: the
    end-customer demand at the customer-facing stock points this one ultimately supplies, in units of
    its item (through every bill of materials on the way) — point-of-sale data shared up the chain
    (Chen, Drezner, Ryan & Simchi-Levi 2000, the centralised case).
    """

    own = "own"
    customer = "customer"


SignalChoice = Annotated[
    DemandSignal,
    Field(
        description="The daily demand the forecast learns from: 'own' (what this stock point sees, downstream "
        "orders included) or 'customer' (end-customer demand at the customer-facing stock points it supplies, in "
        "units of this item: shared point-of-sale data)."
    ),
]
"""The ``demand_signal`` field of every policy that forecasts, declared once."""


def _signal_read(signal: DemandSignal, info: ValidationInfo) -> DemandSignal:
    """``demand_signal: customer`` feeds a forecast of past demand: refuse it where nothing reads it (a fixed
    ``level``, the oracle). Judged on the fields before it; none if the forecast itself was refused."""
    if signal is DemandSignal.own or "forecast" not in info.data:
        return signal
    fixed = "a fixed level" if info.data.get("level") is not None else None
    forecast = info.data["forecast"]
    if fixed is not None:
        raise PydanticCustomError(
            "demand_signal_unused", "'customer' chooses what a forecast learns from, but {what} forecasts nothing",
            {"what": fixed},
        )  # fmt: skip
    if forecast is None or forecast == ORACLE:
        raise PydanticCustomError(
            "demand_signal_unused",
            "'customer' chooses what a forecast learns from, but the forecast is {what} (the scenario's true rate, "
            "learnt from nothing); name one of {kinds}",
            {"what": ORACLE if forecast == ORACLE else f"the default, {ORACLE}", "kinds": ", ".join(_FORECASTS)},
        )
    return signal


class KanbanParams(Spec):
    """Cards in the loop, units per container, and an optional time buffer."""

    containers: PositiveInt = Field(description="Number of kanban containers (cards) in the loop.")
    container_size: Positive = Field(description="Units in one container; one card orders one container.")
    safety_time: NonNegative = Field(0.0, description="Days of demand added as a buffer (0: pure JIT).")


class Kanban(PolicyKind):
    """JIT pull: N containers of size c; each emptied container sends a card for one more."""

    tag: ClassVar[str] = "kanban"
    kanban: KanbanParams = Field(description="Containers, container size and safety time.")


class EoqParams(Spec):
    """Optional fixed values in place of the computed ones."""

    order_quantity: Positive | None = Field(None, description="Units per order (default: EOQ = √(2DK/h)).")
    reorder_point: Number | None = Field(None, description="Reorder point (default: expected lead-time demand).")


class Eoq(PolicyKind):
    """Economic order quantity, reordering at expected lead-time demand (no buffer)."""

    tag: ClassVar[str] = "eoq"
    eoq: EoqParams = Field(EoqParams(), description="Optional order_quantity and reorder_point; {} to compute both.")

    @field_validator(tag, mode="before", json_schema_input_type=Union[EoqParams, None])
    @classmethod
    def _empty(cls, v: Any) -> Any:
        return {} if v is None else v


Probability = Annotated[float, Field(strict=True, gt=0, lt=1)]
"""A service target: a probability strictly between 0 and 1."""


class SafetyStockParams(Spec):
    """A service target (cycle service level or fill rate), the forecast it rests on, and an optional
    order quantity."""

    service_level: Probability | None = Field(
        None, description="Target probability of no stock-out in a replenishment cycle (α), in (0, 1)."
    )
    fill_rate: Probability | None = Field(
        None, description="Target share of demand served from stock (β), in (0, 1); instead of service_level."
    )
    forecast: Forecast | None = Field(None, description="How demand is forecast (default: oracle).")
    order_quantity: Positive | None = Field(None, description="Units per order (default: EOQ).")
    demand_signal: SignalChoice = DemandSignal.own

    _signal_read = field_validator("demand_signal")(_signal_read)

    @model_validator(mode="after")
    def _one_target(self) -> SafetyStockParams:
        if (self.service_level is None) == (self.fill_rate is None):
            raise PydanticCustomError("target", "expected exactly one of 'service_level' or 'fill_rate'")
        return self


class SafetyStock(PolicyKind):
    """Reorder point = forecast lead-time demand + k·σ_LTD, k for a cycle service level or a fill rate;
    order quantity EOQ unless given."""

    tag: ClassVar[str] = "safety_stock"
    safety_stock: SafetyStockParams = Field(description="Service level or fill rate, forecast and order quantity.")


class RQParams(Spec):
    """The two numbers of an (r, Q) policy."""

    reorder_point: Number = Field(description="r: order when the inventory position is at or below this.")
    order_quantity: Positive = Field(description="Q: units per order.")


class RQ(PolicyKind):
    """Continuous-review (r, Q): order Q whenever the inventory position is at or below r."""

    tag: ClassVar[str] = "r_Q"
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


class SS(PolicyKind):
    """(s, S): when the position is at or below s, order up to S; continuous or periodic review."""

    tag: ClassVar[str] = "s_S"
    s_S: SSParams = Field(description="s, S and the review period.")


class BaseStockParams(Spec):
    """The base-stock level."""

    level: NonNegative = Field(description="S: the inventory position kept after every order.")


class BaseStock(PolicyKind):
    """Base stock (S−1, S): order exactly what was used, keeping the position at S."""

    tag: ClassVar[str] = "base_stock"
    base_stock: BaseStockParams = Field(description="The level S to keep the inventory position at.")


class OrderUpToParams(Spec):
    """A fixed level or days of cover, reviewed periodically."""

    level: NonNegative | None = Field(None, description="Order up to this inventory position.")
    cover_days: Positive | None = Field(None, description="Order up to this many days of forecast demand.")
    review_period: Positive = Field(description="R: days between reviews.")
    forecast: Forecast | None = Field(None, description="How demand is forecast for cover_days (default: oracle).")
    service_level: Probability | None = Field(
        None, description="Adds a safety buffer for this cycle service level, in (0, 1)."
    )
    demand_signal: SignalChoice = DemandSignal.own

    _signal_read = field_validator("demand_signal")(_signal_read)

    @model_validator(mode="after")
    def _one_target(self) -> OrderUpToParams:
        if (self.level is None) == (self.cover_days is None):
            raise PydanticCustomError("target", "expected exactly one of 'level' or 'cover_days'")
        return self


class OrderUpTo(PolicyKind):
    """Periodic (R, S): every review period, order up to the level (or cover_days of forecast)."""

    tag: ClassVar[str] = "order_up_to"
    order_up_to: OrderUpToParams = Field(description="Level or cover days, review period, forecast.")


class MakeToOrder(PolicyKind):
    """Hold nothing: every customer order becomes a replenishment order; the customer waits."""

    tag: ClassVar[str] = "make_to_order"
    make_to_order: Annotated[dict[str, Any], Field(max_length=0)] = Field({}, description="No parameters: {}.")

    @field_validator(tag, mode="before", json_schema_input_type=Union[dict[str, Any], None])
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


class PythonPolicy(PolicyKind):
    """A user's policy class; runs only with ``--allow-plugins`` or an installed entry point."""

    tag: ClassVar[str] = "python"
    python: PluginRef = Field(description="module:Class, or {class: module:Class, params: {…}}.")

    @field_validator(tag, mode="before", json_schema_input_type=Union[str, PluginRef])
    @classmethod
    def _short_form(cls, v: Any) -> Any:
        return v


class PeriodicKanbanParams(Spec):
    """A kanban loop whose cards are collected only at periodic reviews (a milk run every R days)."""

    containers: PositiveInt = Field(description="Number of kanban containers (cards) in the loop.")
    container_size: Positive = Field(description="Units in one container; one card orders one container.")
    review_period: Positive = Field(description="R: days between card collections; each sends one order per card.")
    safety_time: NonNegative = Field(0.0, description="Days of demand added as a buffer (0: pure JIT).")


class PeriodicKanban(PolicyKind):
    """Kanban with cards collected every R days: one container per card collected, N·c still the cap."""

    tag: ClassVar[str] = "periodic_kanban"
    periodic_kanban: PeriodicKanbanParams = Field(description="Containers, container size, review period, safety time.")


def demand_signal(spec: PolicyKind) -> DemandSignal:
    """The demand a policy spec's forecast learns from (``own`` for a kind that does not forecast)."""
    return getattr(getattr(spec, spec.tag), "demand_signal", DemandSignal.own)  # type: ignore[no-any-return]


# --- the policy registry: the union and the kind list are generated from it ------------------

POLICIES: tuple[type[PolicyKind], ...] = (
    Kanban,
    Eoq,
    SafetyStock,
    RQ,
    SS,
    BaseStock,
    OrderUpTo,
    MakeToOrder,
    PeriodicKanban,
    PythonPolicy,
)
"""Every policy kind, in the order messages and the schema list them."""

_POLICIES: dict[str, type[PolicyKind]] = {kind.tag: kind for kind in POLICIES}
POLICY_KINDS: tuple[str, ...] = tuple(_POLICIES)


def _policy_tag(value: Any) -> str | None:
    if isinstance(value, PolicyKind):
        return value.tag
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _POLICIES:
        return str(next(iter(value)))
    return None


def _policy_union() -> Any:
    return Annotated[
        Union[tuple(Annotated[kind, Tag(kind.tag)] for kind in POLICIES)],  # built from a tuple: no ``|`` spelling
        Discriminator(
            _policy_tag,
            custom_error_type="policy_kind",
            custom_error_message="expected a one-key mapping naming a policy",
        ),
    ]


if TYPE_CHECKING:
    PolicySpec: TypeAlias = PolicyKind
else:
    PolicySpec = _policy_union()
    """A replenishment policy: ``{kind: parameters}``."""
