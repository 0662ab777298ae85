"""What the result tables show, cell by cell: the text both the CLI's tables and the HTML report print.

Numbers are rounded as one reports a measurement: ``4,607 ± 66``, ``0.953 ± 0.019``, ``33% [6–79%]``,
``–`` for no value. With ``stacked``, the interval goes on a second line under the value, so a cell
is half as wide (see simjit/cli/tables.py). Which KPIs a run's tables show, in which group, which
policy earns the ★ (or which are marked ≈ together), what P(better) reads and in which currency the
money is are decided here too, so a report never disagrees with the terminal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Optional

from simjit.experiment.columns import better, catalogued, sums_unlike_units
from simjit.experiment.statistics import star_level
from simjit.model.catalogue import GROUPS, headline, priced
from simjit.scenario.models import Scenario

__all__ = [
    "HEADLINE",
    "MARKS_LEGEND",
    "RESILIENCE_CAPTION",
    "RESILIENCE_COLUMNS",
    "STAR",
    "SWEEP_KPIS",
    "TIED",
    "as_float",
    "cell",
    "delta",
    "direction",
    "gap",
    "grouped",
    "headline",
    "kpi_group",
    "marked",
    "marks",
    "marks_caption",
    "money_note",
    "negligible",
    "nothing_to_compare",
    "num",
    "resilience_cells",
    "rounded",
    "share",
    "sweep_kpis",
]

HEADLINE = ("profit", "revenue", "total_cost", "cost_of_goods", "holding_cost", "ordering_cost", "shortage_cost",
            "avg_inventory_value", "inventory_turns", "cash_to_cash", "fill_rate", "cycle_service_level",
            "avg_backorders", "lost_sales", "days_short", "orders_placed", "backup_units", "time_to_survive",
            "time_to_recover", "units_short")  # fmt: skip
"""The KPIs a run's tables show without ``--kpi`` (those the scenario cannot make differ, or cannot value, are
left out): profit where items have prices, the total cost and the costs JIT trades against each other, the cash
tied up, service, resilience."""
SWEEP_KPIS = ("total_cost", "fill_rate")
"""The KPIs a sweep of a scenario without prices shows without ``--kpi`` (a table each); see :func:`sweep_kpis`."""
STAR = "★"
"""The mark of the one policy better than every other, paired, at the run's confidence (:func:`marks`)."""
TIED = "≈"
"""The mark of the best mean and the policies the replications cannot tell apart from it (:func:`marks`)."""
MARKS_LEGEND = f"{STAR} best, {TIED} not told apart"
"""What the marks mean, short enough for a table's title (:func:`marks_caption` says it in full)."""
RESILIENCE_COLUMNS = {"time_to_survive": "TTS days", "time_to_recover": "TTR days", "units_short": "units short",
                      "shortage_share": "short in"}  # fmt: skip
"""The columns of a resilience table after its events, in order: KPI → header."""
RESILIENCE_CAPTION = (
    "events (replications hit); TTS: days from an event's start to the first customer downstream short; TTR: days "
    "from its end until service is clean again; per-replication means, mean ± 95% CI over the replications hit; "
    "short in: share of those with a shortage [95% Wilson interval]."
)
"""What the columns of a resilience table hold (the CLI adds where the definitions are)."""


def cell(by: Any, key: tuple[str, ...], stacked: bool = False) -> str:
    """``mean ± half-width`` of the row ``key`` of a summary indexed like ``key``; ``–`` if absent or empty."""
    if key not in by.index:
        return "–"
    row = by.loc[key]
    mean, high, low = (as_float(row[k]) for k in ("mean", "ci_high", "ci_low"))
    half = (high - low) / 2
    if mean != mean:
        return "–"  # nothing to average: no disruption event at this sweep point, no customer demand…
    if negligible(half, mean):  # the same value in every replication (often 0): no interval to show
        return num(mean)
    shown, pm = rounded(half, mean, half)
    return f"{shown}{gap(stacked)}± {pm}"


def as_float(value: Any) -> float:
    """A table cell's number; missing (None, pandas' NA) is NaN."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def negligible(half: float, mean: float) -> bool:
    """An interval's half-width of zero, or only the rounding noise of summing equal values."""
    return half == half and abs(half) <= 1e-9 * max(1.0, abs(mean) if mean == mean else 1.0)


def share(row: Any, stacked: bool = False) -> str:
    """``33% [6–79%]``: a share and its interval (not symmetric, so not ± a half-width)."""
    if row["mean"] != row["mean"]:
        return "–"
    low, high = row["ci_low"], row["ci_high"]
    interval = f"{gap(stacked)}[{low:.0%}–{high:.0%}]".replace("%–", "–") if low == low and high == high else ""
    return f"{row['mean']:.0%}{interval}"


def gap(stacked: bool) -> str:
    """What parts a value from its interval: a space, or a new line in a stacked cell."""
    return "\n" if stacked else " "


def num(x: float) -> str:
    """A number without an interval: whole numbers exactly, others to 3 decimals below 10, else whole."""
    x = as_float(x)
    if x != x:
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.3f}" if abs(x) < 10 else f"{x:,.0f}"


def rounded(half: float, *values: float) -> list[str]:
    """Values shown to the precision of an interval's half-width (two significant digits of it), as one reports
    a measurement: 15.3 ± 6.0, 0.953 ± 0.019, 4,607 ± 66; a zero or unknown width falls back to ``num``."""
    if not (half == half and 0 < half < float("inf")):
        return [num(v) for v in values]
    decimals = min(6, max(0, 1 - math.floor(math.log10(half))))
    return [f"{round(v, decimals) + 0.0:,.{decimals}f}" if v == v else "–" for v in values]


def delta(d: Any, direction: Optional[str], stacked: bool = False) -> tuple[str, str]:
    """The paired difference to the baseline ``Δ [low, high]`` of a comparison row, and P(better)
    (``–`` where no policy is better, or where no replication differs)."""
    mid_value, low_value, high_value = (as_float(d[k]) for k in ("diff", "ci_low", "ci_high"))
    half = (high_value - low_value) / 2
    same_everywhere = negligible(half, mid_value)
    mid, low, high = rounded(0.0 if same_everywhere else half, mid_value, low_value, high_value)
    text = mid if same_everywhere else f"{mid}{gap(stacked)}[{low}, {high}]"
    same = same_everywhere and negligible(mid_value, 1.0)  # no replication differs
    known = direction is not None and d["p_better"] == d["p_better"] and not same
    return text, f"{d['p_better']:.0%}" if known else "–"


def resilience_cells(by: Any, disruption: str, policy: str, stacked: bool = False) -> Optional[list[str]]:
    """A resilience table's row of ``policy`` for ``disruption`` (``by`` indexed by disruption, policy, kpi):
    events (replications hit), then the cells of RESILIENCE_COLUMNS; None if the disruption never hit it."""
    if (disruption, policy, "units_short") not in by.index:
        return None
    hit = by.loc[(disruption, policy, "units_short")]
    cells = [share(by.loc[(disruption, policy, k)], stacked) if k == "shortage_share"
             else cell(by, (disruption, policy, k), stacked) for k in RESILIENCE_COLUMNS]  # fmt: skip
    return [f"{hit['events']:,} ({hit['replications']:,})", *cells]


def grouped(by: Any, kpis: Sequence[str], names: Sequence[str], hide_zeros: bool = False) -> tuple[
    list[tuple[str, list[str]]], list[str]
]:  # fmt: skip
    """The KPIs of ``kpis`` that a summary ``by`` (indexed by policy, kpi) holds, by table: (group, its KPIs)
    in the catalogue's order of groups. With ``hide_zeros``, KPIs that are 0 for every policy in every
    replication (lost sales under pure backorders: the scenario cannot produce them) are left out and
    returned second."""
    present = [k for k in dict.fromkeys(kpis) if any((p, k) in by.index for p in names)]
    hidden = [k for k in present if hide_zeros and nothing_to_compare(by, [(p, k) for p in names])]
    shown = [k for k in present if k not in hidden]
    hidden = [k for k in hidden if not _unvalued(by, [(p, k) for p in names])]  # not worth a word
    groups = [*GROUPS, *(g for g in dict.fromkeys(map(kpi_group, shown)) if g not in GROUPS)]
    tables = [(group, [k for k in shown if kpi_group(k) == group]) for group in groups]
    return [(group, members) for group, members in tables if members], hidden


NEEDS_PRICES = frozenset(("profit", "revenue", "gross_margin", "cash_to_cash"))
"""KPIs without a value unless the scenario gives prices (or payment terms): absent, they go unmentioned."""


def _unvalued(by: Any, keys: list[tuple[str, ...]]) -> bool:
    """A KPI of NEEDS_PRICES with no value in any replication: the scenario does not price, not a finding."""
    rows = [by.loc[key] for key in keys if key in by.index]
    return (
        bool(rows)
        and keys[0][-1].rsplit(".", 1)[-1] in NEEDS_PRICES
        and all(as_float(r["mean"]) != as_float(r["mean"]) for r in rows)
    )


def nothing_to_compare(by: Any, keys: list[tuple[str, ...]]) -> bool:
    """Exactly 0 in every replication of every key present (a mean of 0 with no spread), or no value at all
    (resilience of a scenario without disruptions): a row the scenario cannot make differ."""
    rows = [by.loc[key] for key in keys if key in by.index]
    return bool(rows) and all(
        as_float(r["mean"]) != as_float(r["mean"])
        or (as_float(r["mean"]) == 0 and (r["n"] == 1 or as_float(r["sd"]) == 0))
        for r in rows
    )


VOLUME_COSTS = frozenset(("total_cost", "cost_of_goods", "purchase_cost"))
"""Costs that grow with what is sold: where items have prices, less of them may only mean fewer sales."""


def direction(kpi: str, s: Optional[Scenario]) -> Optional[str]:
    """Which way a KPI column improves (the catalogue's), None where no policy can be better:
    no direction in the catalogue, a network sum of units of different items (of ``s``, if known), or,
    where every item customers buy has a price, a cost that grows with sales (profit judges those: the
    policy that sells least would get the ★ on them)."""
    if s is not None and (sums_unlike_units(kpi, s) or (priced(s) and kpi.rsplit(".", 1)[-1] in VOLUME_COSTS)):
        return None
    return better(kpi)


def marks(by: Any, keys: Mapping[str, tuple[str, ...]], direction: Optional[str]) -> dict[str, str]:
    """The mark of each policy on one KPI (``keys``: policy → its row of a summary ``by`` from
    :func:`simjit.experiment.statistics.describe`): STAR on the best mean when its paired difference to
    every other policy is clear of zero (at :func:`~simjit.experiment.statistics.star_level`, so that the
    claim holds at the run's confidence); else TIED on the best mean and on every policy whose paired
    difference to it is not clear of zero. No mark without a direction, with fewer than two policies
    with a value, or when no replication differs from one policy to another (nothing to tell apart)."""
    if direction is None or "best" not in by.columns:
        return {}
    rows = {p: by.loc[key] for p, key in keys.items() if key in by.index}
    rows = {p: r for p, r in rows.items() if as_float(r["mean"]) == as_float(r["mean"])}  # policies with a value
    leader = next((r["best"] for r in rows.values() if isinstance(r["best"], str)), None)
    if len(rows) < 2 or leader not in rows:
        return {}
    others = {p: r for p, r in rows.items() if p != leader}
    if all(_identical(r) for r in others.values()):
        return {}
    tied = {p for p, r in others.items() if not _clear(r, direction)}
    if not tied:
        return {leader: STAR}
    return {p: TIED for p in rows if p == leader or p in tied}


def _clear(row: Any, direction: str) -> bool:
    """Whether a policy's paired difference to the best (policy − best) is clear of zero on the worse side."""
    low, high = as_float(row["vs_best_low"]), as_float(row["vs_best_high"])
    return low > 0 if direction == "lower" else high < 0  # False for an unknown (NaN) interval


def _identical(row: Any) -> bool:
    """The same value as the best's in every replication: a paired difference of 0 with no spread."""
    return all(as_float(row[k]) == 0 for k in ("vs_best", "vs_best_low", "vs_best_high"))


def marked(text: str, mark: Optional[str]) -> str:
    """``text`` with its mark after it (on its first line, for a stacked cell)."""
    if not mark:
        return text
    first, *rest = text.split("\n", 1)
    return "\n".join([f"{first} {mark}", *rest])


def marks_caption(policies: int, level: float = 0.95) -> str:
    """What STAR and TIED mean in a run of ``policies`` policies at ``level`` ('' for one policy: no marks)."""
    if policies < 2:
        return ""
    each = star_level(level, policies)
    how = f"at {level:.0%}"
    if each > level:
        joint = f"so that the claim holds at {level:.0%} over the {policies - 1} comparisons (Bonferroni)"
        how = f"at {each:.1%} each, {joint}"
    return (
        f"{STAR} best: its paired difference to every other policy (replication by replication: the same random "
        f"future) is clear of zero {how}. {TIED}: the best mean and the policies whose paired difference to it is "
        "not clear of zero; the replications cannot tell them apart."
    )


def money_note(kpis: Iterable[str], currency: Optional[str]) -> str:
    """``, amounts in EUR`` for a table with a money KPI when the scenario names its ``currency``; else ''."""
    money = any((entry := catalogued(k)) is not None and entry.unit == "money" for k in kpis)
    return f", amounts in {currency}" if money and currency else ""


def sweep_kpis(s: Optional[Scenario]) -> tuple[str, ...]:
    """The KPIs a sweep shows without ``--kpi``, a table each: the headline (profit where every item customers
    buy has a price, else total_cost) and the fill rate."""
    return (headline(s), "fill_rate")


def kpi_group(kpi: str) -> str:
    """The table a KPI column is shown in: its catalogue group (``dc/brake.fill_rate`` is service)."""
    entry = catalogued(kpi)
    return entry.group if entry is not None else "stock and orders"
