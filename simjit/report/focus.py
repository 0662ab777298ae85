"""What a report shows of a large run: every policy set and stock point up to a limit, the few that matter beyond.

A run of 300 policy sets or 400 stock points would make a report nobody reads (31 MB, a table row and a
figure column per policy, a panel row per stock point). Beyond :data:`POLICY_LIMIT` policy sets the report
shows the :data:`POLICIES_SHOWN` best by the headline KPI and the baseline; beyond :data:`STOCK_POINT_LIMIT`
stock points its figures of stock points show the :data:`STOCK_POINTS_SHOWN` that cost most or serve worst.
Every number shown is the full run's (the marks still judge a policy against all the others); the report says
what it left out and where to find it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cached_property

import pandas as pd

from simjit.experiment.cells import headline
from simjit.experiment.columns import POLICY, VARIANT, better
from simjit.experiment.results import Results

__all__ = [
    "POLICIES_SHOWN",
    "POLICY_LIMIT",
    "STOCK_POINTS_SHOWN",
    "STOCK_POINT_LIMIT",
    "Focus",
    "focus",
]

POLICY_LIMIT = 12
"""Policy sets a report shows in full; beyond, the best few and the baseline."""
POLICIES_SHOWN = 8
"""Policy sets shown beyond the limit: the best by the headline KPI (the baseline is added if not among them)."""
STOCK_POINT_LIMIT = 30
"""Stock points a report's figures show in full; beyond, the few that matter most."""
STOCK_POINTS_SHOWN = 6
"""Stock points shown beyond the limit: half with the largest cost, half with the worst fill rate."""


@dataclass(eq=False)
class _Narrowed(Results):
    """A run's results with only some of its policy sets (the statistics are the full run's rows)."""

    full: Results | None = None

    @cached_property
    def replications(self) -> pd.DataFrame:
        table = self.full.replications if self.full is not None else super().replications
        return table[table[POLICY].isin(self.policies)].reset_index(drop=True)


@dataclass(frozen=True)
class Focus:
    """The results a report shows, the stock points its figures draw (None: all) and what it left out."""

    results: Results
    stock_points: tuple[str, ...] | None
    policies_left_out: tuple[str, ...]
    points_left_out: int

    @property
    def compared(self) -> int:
        """The policy sets the run compared, shown or not (the marks' intervals are adjusted for all of them)."""
        return len(self.results.policies) + len(self.policies_left_out)

    def policy_note(self) -> str:
        """What the report says of the policy sets it leaves out ('' if none), as plain text."""
        if not self.policies_left_out:
            return ""
        shown = self.results.policies
        return (
            f"The run compared {self.compared} policy sets; this report shows "
            f"{len(shown)}: the {len(shown) - 1 if self.results.baseline in shown else len(shown)} best by "
            f"{_headline(self.results)} and the baseline, {self.results.baseline} (each one's interval against the best "
            f"mean is the full run's, adjusted for all {self.compared}). Left out ({len(self.policies_left_out)}): {_listed(self.policies_left_out)}. "
            "To see them, run again with --policy NAME for the ones you want, or read summary.json and "
            "replications.parquet in the results folder."
        )

    def points_note(self) -> str:
        """What the report says of the stock points its figures leave out ('' if none), as plain text."""
        if not self.points_left_out or self.stock_points is None:
            return ""
        return (
            f"The network has {len(self.stock_points) + self.points_left_out} stock points; these figures show "
            f"{len(self.stock_points)}: those with the largest total cost and the lowest fill rate under "
            f"{self.results.baseline} ({', '.join(self.stock_points)}). Left out: {self.points_left_out}; their "
            "KPIs per stock point (columns SITE/ITEM.KPI) are in replications.parquet; "
            "simjit trace SCENARIO --stock-point SITE/ITEM draws any of them."
        )


def focus(results: Results) -> Focus:
    """What the report of ``results`` shows: all of it up to the limits, the best and the worst beyond."""
    left_out: tuple[str, ...] = ()
    shown = results
    if len(results.policies) > POLICY_LIMIT:
        kept = _best_policies(results)
        left_out = tuple(p for p in results.policies if p not in kept)
        shown = _narrowed(results, kept)
    points = _stock_points(results)
    if len(points) <= STOCK_POINT_LIMIT:
        return Focus(shown, None, left_out, 0)
    chosen = _points_that_matter(shown, points)
    return Focus(shown, chosen, left_out, len(points) - len(chosen))


def _headline(results: Results) -> str:
    if results.scenario is not None:
        return headline(results.scenario)
    summary = results.summary
    profit = summary.loc[summary["kpi"] == "profit", "mean"] if len(summary) else pd.Series(dtype=float)
    return "profit" if len(profit) and bool(profit.notna().all()) else "total_cost"


def _best_policies(results: Results) -> tuple[str, ...]:
    """The POLICIES_SHOWN best by the headline mean in the first variant, and the baseline, in the run's order."""
    kpi = _headline(results)
    means = _means(results, kpi)
    sign = 1.0 if better(kpi) == "lower" else -1.0
    ranked = sorted(results.policies, key=lambda p: (_key(sign * means.get(p, math.nan)), results.policies.index(p)))
    kept = {*ranked[:POLICIES_SHOWN], results.baseline}
    return tuple(p for p in results.policies if p in kept)


def _key(value: float) -> float:
    return math.inf if value != value else value  # a policy without a value last


def _means(results: Results, kpi: str) -> dict[str, float]:
    """Each policy's mean of ``kpi`` in the run's first variant."""
    summary = results.summary
    if not len(summary):
        return {}
    rows = summary[(summary[VARIANT] == results.variants[0]) & (summary["kpi"] == kpi)]
    return {str(p): float(m) for p, m in zip(rows[POLICY], rows["mean"], strict=True)}


def _narrowed(results: Results, kept: tuple[str, ...]) -> Results:
    """``results`` with only the policy sets ``kept`` (their rows of every table, the plan naming only them)."""
    plan = results.manifest.plan.model_copy(update={"policies": kept})
    manifest = results.manifest.model_copy(update={"plan": plan})
    tables = {name: _rows(getattr(results, name), kept) for name in ("summary", "comparison", "resilience")}
    base = replace(results, manifest=manifest, **tables)
    return _Narrowed(**{f: getattr(base, f) for f in base.__dataclass_fields__}, full=results)


def _rows(table: pd.DataFrame, kept: tuple[str, ...]) -> pd.DataFrame:
    if not len(table) or POLICY not in table.columns:
        return table
    return table[table[POLICY].isin(kept)].reset_index(drop=True)


def _stock_points(results: Results) -> list[str]:
    """``site/item`` of every stock point of the run's scenario (from its saved document)."""
    sites = results.scenario_doc.get("sites") or {}
    return [f"{site}/{item}" for site, spec in sites.items() for item in (spec.get("stock") or {})]


def _points_that_matter(results: Results, points: list[str]) -> tuple[str, ...]:
    """Half the STOCK_POINTS_SHOWN with the largest total cost under the baseline, the rest with the lowest fill
    rate (those without a value last), in the scenario's order."""
    by = _baseline_means(results)
    costly = sorted(points, key=lambda p: _key(-by.get(f"{p}.total_cost", math.nan)))
    kept = list(costly[: STOCK_POINTS_SHOWN // 2])
    short = sorted(points, key=lambda p: _key(by.get(f"{p}.fill_rate", math.nan)))
    kept += [p for p in short if p not in kept][: STOCK_POINTS_SHOWN - len(kept)]
    return tuple(p for p in points if p in kept)


def _baseline_means(results: Results) -> dict[str, float]:
    """The baseline's mean of every KPI in the run's first variant."""
    summary = results.summary
    if not len(summary):
        return {}
    rows = summary[(summary[VARIANT] == results.variants[0]) & (summary[POLICY] == results.baseline)]
    return {str(k): float(m) for k, m in zip(rows["kpi"], rows["mean"], strict=True)}


def _listed(names: tuple[str, ...], at_most: int = 40) -> str:
    """Names joined, the first ``at_most`` of them and how many more."""
    more = f" and {len(names) - at_most} more" if len(names) > at_most else ""
    return ", ".join(names[:at_most]) + more
