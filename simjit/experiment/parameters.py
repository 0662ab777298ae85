"""The plan table: per policy set and stock point, the numbers each policy runs with at the start (what a
planner would enter in an ERP), the demand and lead time it assumes, and what follows from them.

The policies are built by :func:`simjit.model.network.starting_policies`, the very path a replication
builds them by, so the numbers are exactly those that run. ``simjit plan`` prints the table and the
report shows it; both take their cells from :func:`plan_cells`, and CSV and JSON take the values from
:func:`plan_records`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from simjit.errors import PluginError, UsageError
from simjit.model.network import starting_policies
from simjit.policies.base import PointFacts
from simjit.policies.parameters import GIVEN, Setting, StartingParameters, StatesParameters
from simjit.scenario.assignment import assign_policies
from simjit.scenario.models import Scenario

__all__ = [
    "NOT_STATED", "PLAN_CAPTION", "PLAN_COLUMNS", "RECORD_FIELDS", "PlanRow", "number", "plan_cells", "plan_records",
    "plan_table",
]  # fmt: skip

NOT_STATED = "not stated"
"""What the table says of a policy that does not state its parameters (a plug-in without ``parameters``)."""
PLAN_COLUMNS = ("stock point", "runs with", "assumes", "safety stock", "average stock", "orders a year")
"""The plan table's columns (a table per policy set), in the CLI and the report alike."""
PLAN_CAPTION = (
    "runs with: the numbers each policy runs with at the start, as an ERP would hold them; [how] a number was "
    "computed (the others are as the scenario gives them); a forecasting policy's are those before it has seen any "
    "demand, and move with its forecast; a reference is a textbook value shown beside them, not used. assumes: "
    "mean and sd of daily demand (D, σ_D) and of the lead time (L, σ_L). safety stock: the stock expected just "
    "before a lot lands (r − D·L; S − D·(R + L) when reviewed every R days), in units and days of demand. average "
    "stock: about the average inventory position − D·L. orders a year: over a year of {days} days."
)
"""The table's caption (``{days}``: the scenario's days a year), in the CLI and the report alike."""
RECORD_FIELDS = ("policy_set", "stock_point", "kind", "role", "symbol", "meaning", "value", "unit", "source")
"""The fields of a record of :func:`plan_records`, one value each (CSV columns, JSON keys)."""


@dataclass(frozen=True)
class PlanRow:
    """One stock point under one policy set: what its policy states (None if it states nothing)."""

    policy_set: str
    stock_point: str
    kind: str
    stated: StartingParameters | None
    days_per_year: float

    @property
    def average_stock(self) -> float | None:
        """Average stock on hand, about the average inventory position less the lead-time demand D·L (at
        least 0: what is owed to customers is not on the shelf)."""
        p = self.stated
        return None if p is None else max(p.average_position - p.demand_rate * p.lead_time, 0.0)

    @property
    def orders_a_year(self) -> float | None:
        """Expected orders a year: orders a day × the scenario's days a year (None: one per demand)."""
        p = self.stated
        return None if p is None or p.orders_per_day is None else p.orders_per_day * self.days_per_year


def plan_table(s: Scenario, policies: Sequence[str] | None = None, allow_plugins: bool = False) -> list[PlanRow]:
    """A row per (policy set, stock point), policy sets as ``policies`` names them (default all, in the
    scenario's order), stock points in the scenario's order. A plug-in needs ``allow_plugins`` to be built,
    as for a run."""
    names = list(policies or s.policies)
    for name in names:
        if name not in s.policies:
            raise UsageError(
                f"--policy {name}: unknown policy set {name!r} (known policy sets: {', '.join(s.policies)})"
            )
    rows = []
    for name in names:
        specs = assign_policies(s, s.policies[name])
        for point, (facts, policy) in starting_policies(s, name, allow_plugins).items():
            rows.append(PlanRow(name, "/".join(point), specs[point].tag, _stated(policy, facts), s.costs.days_per_year))
    return rows


def _stated(policy: object, facts: PointFacts) -> StartingParameters | None:
    """What a policy states of itself; None for one without ``parameters`` (a user's class may lack it)."""
    if not isinstance(policy, StatesParameters):
        return None
    stated = policy.parameters(facts)
    if not isinstance(stated, StartingParameters):
        raise PluginError(
            f"policy {type(policy).__name__}: parameters(facts) returned {type(stated).__name__}, expected "
            "simjit.policies.StartingParameters (see docs/plugins.md)"
        )
    return stated


def number(x: float, digits: int = 4) -> str:
    """A value as a planner reads it: whole from 100 up, else ``digits`` significant digits."""
    if not math.isfinite(x):
        return str(x)
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.{digits}g}"


def _unit(value: float, unit: str) -> str:
    """`` units`` or `` days`` after a value (`` day`` after 1), nothing after a count or a ratio."""
    if unit not in ("units", "days"):
        return ""
    return f" {unit[:-1]}" if value == 1 else f" {unit}"


def _setting(x: Setting) -> str:
    unit = _unit(x.value, x.unit)
    how = f" [{x.source}]" if x.source != GIVEN else ""
    return f"{x.symbol} = {number(x.value)}{unit}{how}"


def _covered(units: float | None, demand_rate: float) -> str:
    """Units and the days of demand they cover."""
    if units is None:
        return "–"
    days = f"\n{number(units / demand_rate, 3)}{_unit(units / demand_rate, 'days')}" if demand_rate > 0 else ""
    return f"{number(units)}{_unit(units, 'units')}{days}"


def plan_cells(row: PlanRow) -> tuple[str, ...]:
    """The row's cells under :data:`PLAN_COLUMNS`, lines apart by newlines; references (Toyota's N) are
    marked as such."""
    p = row.stated
    point = f"{row.stock_point}\n{row.kind}"
    if p is None:
        return (point, NOT_STATED, "–", "–", "–", "–")
    runs = [_setting(x) for x in p.settings] + [f"reference: {_setting(x)}" for x in p.references]
    assumes = (
        f"D = {number(p.demand_rate)}/day\nσ_D = {number(p.demand_sd)}\n"
        f"L = {number(p.lead_time, 3)}{_unit(p.lead_time, 'days')}\nσ_L = {number(p.lead_time_sd, 3)}"
    )
    orders = row.orders_a_year
    return (
        point, "\n".join(runs) or "nothing to set", assumes, _covered(p.safety_stock, p.demand_rate),
        _covered(row.average_stock, p.demand_rate), number(orders) if orders is not None else "one per demand",
    )  # fmt: skip


def plan_records(rows: Sequence[PlanRow]) -> list[dict[str, Any]]:
    """Every value of the table, one record each (:data:`RECORD_FIELDS`): the settings, the references, the
    demand and lead time assumed, and what they imply; a policy that states nothing has one record saying so."""
    out = []
    for row in rows:
        head = {"policy_set": row.policy_set, "stock_point": row.stock_point, "kind": row.kind}
        for role, symbol, meaning, value, unit, source in _values(row):
            shown = value if value is None or math.isfinite(value) else None  # JSON has no infinity
            out.append({**head, "role": role, "symbol": symbol, "meaning": meaning, "value": shown, "unit": unit,
                        "source": source})  # fmt: skip
    return out


def _values(row: PlanRow) -> list[tuple[str, str, str, float | None, str, str]]:
    p = row.stated
    if p is None:
        return [("not stated", "", NOT_STATED, None, "", "")]
    found = [("runs with", x.symbol, x.meaning, x.value, x.unit, x.source) for x in p.settings]
    found += [("reference", x.symbol, x.meaning, x.value, x.unit, x.source) for x in p.references]
    found += [
        ("assumes", "D", "mean demand", p.demand_rate, "units/day", ""),
        ("assumes", "σ_D", "sd of daily demand", p.demand_sd, "units/day", ""),
        ("assumes", "L", "mean lead time", p.lead_time, "days", ""),
        ("assumes", "σ_L", "sd of lead time", p.lead_time_sd, "days", ""),
    ]
    implied = [
        ("SS", "safety stock", p.safety_stock, "units"),
        ("SS/D", "days of cover of the safety stock", _days(p.safety_stock, p.demand_rate), "days"),
        ("I", "average stock on hand", row.average_stock, "units"),
        ("I/D", "days of cover of the average stock", _days(row.average_stock, p.demand_rate), "days"),
        ("orders", "expected orders a year", row.orders_a_year, "orders/year"),
    ]
    return found + [("implies", symbol, meaning, value, unit, "") for symbol, meaning, value, unit in implied]


def _days(units: float | None, demand_rate: float) -> float | None:
    return None if units is None or demand_rate <= 0 else units / demand_rate
