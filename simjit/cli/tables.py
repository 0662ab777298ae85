"""The result tables of ``run`` and ``sweep``, laid out for the terminal they are printed on.

Each table is first built as wide as its content (a value and its interval on one line:
``2,849,936 ± 287,565``). If that is wider than the terminal — 80 columns, or a pipe, which rich
takes as 80 — it is built again *stacked*: each interval goes on a second line under its value
(``± 287,565``, ``[-26,987, 108,408]``), the Δ header on two lines, and KPI names longer than
14 characters break after ``_``, ``.`` or ``/``. Every column stays (P(better) too) and nothing is
cut short; a table still too wide wraps its cells rather than the terminal. Titles, captions and
notes are printed apart from the tables and wrap at the terminal's width.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Optional

from rich import box
from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from simjit.cli.cells import as_float, cell, gap, negligible, rounded, share
from simjit.experiment.columns import better, catalogued, sums_unlike_units
from simjit.model.catalogue import GROUPS
from simjit.scenario.models import Scenario

__all__ = ["break_name", "fit", "kpi_tables", "reference_table", "resilience_tables", "sweep_table", "titled"]

UNBOUNDED = 10_000
"""A width no table reaches: what a table is measured in to learn its natural width."""
KPI_WIDTH = 14
"""Characters per line of a KPI name in a stacked table."""
RESILIENCE_COLUMNS = {"time_to_survive": "TTS days", "time_to_recover": "TTR days", "units_short": "units short",
                      "shortage_share": "short in"}  # fmt: skip
RESILIENCE_CAPTION = (
    "events (replications hit); TTS: days from an event's start to the first customer downstream short; TTR: days "
    "from its end until service is clean again; per-replication means, mean ± 95% CI over the replications hit; "
    "short in: share of those with a shortage [95% Wilson interval]. Definitions: docs/kpis.md"
)


def fit(console: Console, build: Callable[[bool], Table]) -> Table:
    """``build(stacked=False)`` if it fits the console's width, else ``build(stacked=True)``."""
    table = build(False)
    natural = Measurement.get(console, console.options.update_width(UNBOUNDED), table).maximum
    return table if natural <= console.width else build(True)


def titled(title: str, table: Table, caption: Optional[str] = None) -> Group:
    """A table under its title (and over its caption), both wrapping at the terminal's width."""
    parts: list[RenderableType] = [Text(title, style="table.title"), table]
    return Group(*parts, Text(caption, style="table.caption")) if caption else Group(*parts)


def kpi_tables(
    console: Console, s: Scenario, outcome: Any, kpis: list[str], names: list[str], baseline: str,
    hide_zeros: bool = False,
) -> tuple[list[Group], list[str]]:  # fmt: skip
    """One table per KPI group (in the catalogue's order); a row per policy: mean ± CI, paired Δ to the
    baseline with its CI, P(better) (★ and P(better) only where the catalogue says which way is better).
    With ``hide_zeros``, KPIs that are 0 for every policy in every replication (lost sales under pure
    backorders: the scenario cannot produce them) are left out and returned beside the tables."""
    by = outcome.summary.set_index(["policy", "kpi"])
    diff = outcome.comparison.set_index(["policy", "kpi"]) if len(outcome.comparison) else None
    present = [k for k in dict.fromkeys(kpis) if any((p, k) in by.index for p in names)]
    hidden = [k for k in present if hide_zeros and _nothing_to_compare(by, [(p, k) for p in names])]
    shown = [k for k in present if k not in hidden]
    groups = [*GROUPS, *(g for g in dict.fromkeys(map(_group, shown)) if g not in GROUPS)]
    tables = []
    for group in groups:
        members = [k for k in shown if _group(k) == group]
        if not members:
            continue

        def build(stacked: bool, members: list[str] = members) -> Table:
            table = Table(box=box.SIMPLE_HEAD)
            delta = f"Δ vs {baseline}{gap(stacked)}(paired)"
            for header in ("KPI", "policy", "mean ± CI", delta, "P(better)"):
                table.add_column(header, justify="left" if header in ("KPI", "policy") else "right", overflow="fold")
            for kpi in members:
                _kpi_rows(table, kpi, by, diff, names, baseline, _direction(kpi, s), stacked)
            return table

        title = f"{s.name} — {group}: {outcome.plan.replications} replications, 95% CI (★ best)"
        tables.append(titled(title, fit(console, build)))
    return tables, hidden


def _kpi_rows(
    table: Table, kpi: str, by: Any, diff: Any, names: list[str], baseline: str, direction: Optional[str],
    stacked: bool,
) -> None:  # fmt: skip
    best = _best(_means(by, {p: (p, kpi) for p in names}), direction)
    for i, p in enumerate(names):
        delta, p_better = "", ""
        if p == baseline:
            delta = "baseline"
        elif diff is not None and (p, kpi) in diff.index:
            delta, p_better = _delta(diff.loc[(p, kpi)], direction, stacked)
        name, value = p, cell(by, (p, kpi), stacked)
        if p == best:
            name, value = f"[bold green]{p} ★[/bold green]", f"[bold green]{value}[/bold green]"
        label = (break_name(kpi) if stacked else kpi) if i == 0 else ""
        table.add_row(label, name, value, delta, p_better, end_section=i == len(names) - 1)


def _delta(d: Any, direction: Optional[str], stacked: bool) -> tuple[str, str]:
    """The paired difference to the baseline ``Δ [low, high]`` and P(better) (``–`` where nothing is better)."""
    mid_value, low_value, high_value = (as_float(d[k]) for k in ("diff", "ci_low", "ci_high"))
    half = (high_value - low_value) / 2
    same_everywhere = negligible(half, mid_value)
    mid, low, high = rounded(0.0 if same_everywhere else half, mid_value, low_value, high_value)
    delta = mid if same_everywhere else f"{mid}{gap(stacked)}[{low}, {high}]"
    same = same_everywhere and negligible(mid_value, 1.0)  # no replication differs
    known = direction is not None and d["p_better"] == d["p_better"] and not same
    return delta, f"{d['p_better']:.0%}" if known else "–"


def _starred(value: str) -> str:
    """The best policy's cell: in bold green, ★ after the value (on its first line when stacked)."""
    first, *rest = value.split("\n", 1)
    return "\n".join([f"[bold green]{first} ★", *rest]) + "[/bold green]"


def break_name(name: str) -> str:
    """A KPI name in lines of at most KPI_WIDTH characters, broken after ``_``, ``.`` or ``/``."""
    lines = [""]
    for part in re.findall(r"[^_./]*[_./]?", name):
        if lines[-1] and len(lines[-1]) + len(part) > KPI_WIDTH:
            lines.append("")
        lines[-1] += part
    return "\n".join(lines)


def _nothing_to_compare(by: Any, keys: list[tuple[str, ...]]) -> bool:
    """Exactly 0 in every replication of every key present (a mean of 0 with no spread), or no value at all
    (resilience of a scenario without disruptions): a row the scenario cannot make differ."""
    rows = [by.loc[key] for key in keys if key in by.index]
    return bool(rows) and all(
        as_float(r["mean"]) != as_float(r["mean"])
        or (as_float(r["mean"]) == 0 and (r["n"] == 1 or as_float(r["sd"]) == 0))
        for r in rows
    )


def _means(by: Any, keys: Mapping[str, tuple[str, ...]]) -> dict[str, float]:
    return {p: by.loc[key, "mean"] for p, key in keys.items() if key in by.index}


def _direction(kpi: str, s: Scenario) -> Optional[str]:
    """Which way a KPI column improves (the catalogue's), None where no policy can be better:
    no direction in the catalogue, or a network sum of units of different items."""
    return None if sums_unlike_units(kpi, s) else better(kpi)


def _best(means: dict[str, float], direction: Optional[str]) -> Optional[str]:
    finite = {p: m for p, m in means.items() if m == m}
    if direction is None or len(set(finite.values())) < 2:
        return None
    return (min if direction == "lower" else max)(finite, key=finite.__getitem__)


def _group(kpi: str) -> str:
    """The table a KPI column is shown in: its catalogue group (``dc/brake.fill_rate`` is service)."""
    entry = catalogued(kpi)
    return entry.group if entry is not None else "stock and orders"


def resilience_tables(console: Console, s: Scenario, outcome: Any, names: list[str]) -> list[Group]:
    """A table per disruption, a row per policy: events, then mean ± CI over the replications it hit of the
    per-replication means of time to survive, time to recover and units short, and the share of those
    replications with a shortage with its Wilson interval. The caption under the last one says what each is."""
    frame = outcome.resilience[outcome.resilience["variant"] == outcome.plan.variants[0].name]
    by = frame.set_index(["disruption", "policy", "kpi"])
    disruptions = list(dict.fromkeys(frame["disruption"]))
    tables = []
    for n, disruption in enumerate(disruptions):

        def build(stacked: bool, disruption: str = disruption) -> Table:
            table = Table(box=box.SIMPLE_HEAD)
            table.add_column("policy", overflow="fold")
            for header in ("events", *RESILIENCE_COLUMNS.values()):
                table.add_column(header, justify="right", overflow="fold")
            for p in names:
                if (disruption, p, "units_short") not in by.index:
                    continue
                cells = [share(by.loc[(disruption, p, k)], stacked) if k == "shortage_share"
                         else cell(by, (disruption, p, k), stacked) for k in RESILIENCE_COLUMNS]  # fmt: skip
                hit = by.loc[(disruption, p, "units_short")]
                table.add_row(p, f"{hit['events']:,} ({hit['replications']:,})", *cells)
            return table

        title = f"{s.name} — resilience to {disruption}: {outcome.plan.replications} replications, 95% CI"
        caption = RESILIENCE_CAPTION if n == len(disruptions) - 1 else None
        tables.append(titled(title, fit(console, build), caption))
    return tables


def sweep_table(console: Console, s: Scenario, outcome: Any, kpi: str, names: list[str]) -> Group:
    """One KPI at every sweep point (a row each), a column per policy: mean ± 95% CI, ★ on the best."""
    by = outcome.summary.set_index(["variant", "policy", "kpi"])

    def build(stacked: bool) -> Table:
        table = Table(box=box.SIMPLE_HEAD)
        table.add_column("point", overflow="fold")
        for name in names:
            table.add_column(name, justify="right", overflow="fold")
        for variant in outcome.plan.variants:
            keys = {p: (variant.name, p, kpi) for p in names}
            if not any(k in by.index for k in keys.values()):
                continue
            best = _best(_means(by, keys), _direction(kpi, variant.scenario))
            cells = [cell(by, keys[p], stacked) for p in names]
            starred = (_starred(c) if p == best else c for p, c in zip(names, cells, strict=True))
            table.add_row(Text(variant.name), *starred)  # a point's values are the user's text, never markup
        return table

    n = outcome.plan.replications
    title = f"{s.name} — {kpi}: mean ± 95% CI half-width, {n} replications per point (★ best)"
    return titled(title, fit(console, build))


def reference_table(console: Console, s: Scenario, table: Any, kpi: str, names: list[str], n: int) -> Group:
    """``kpi`` at every sweep point minus the same policy's at the reference point, paired by replication:
    a row per point, a column per policy, ``Δ [low, high]`` (95% t interval)."""
    reference = str(table["reference"].iloc[0])
    by = table.set_index(["variant", "policy"])

    def build(stacked: bool) -> Table:
        out = Table(box=box.SIMPLE_HEAD)
        out.add_column("point", overflow="fold")
        for name in names:
            out.add_column(name, justify="right", overflow="fold")
        for variant in dict.fromkeys(table["variant"]):
            cells = [_versus(by, (variant, p), variant == reference, stacked) for p in names]
            out.add_row(Text(str(variant)), *cells)
        return out

    title = f"{s.name} — {kpi} against {reference} (paired by replication, {n} per point, 95% CI)"
    return titled(title, fit(console, build))


def _versus(by: Any, key: tuple[str, str], itself: bool, stacked: bool) -> str:
    if itself:
        return "reference"
    if key not in by.index:
        return "–"
    row = by.loc[key]
    mid, low, high = (as_float(row[k]) for k in ("diff", "ci_low", "ci_high"))
    if mid != mid:
        return "–"
    half = (high - low) / 2
    if negligible(half, mid):
        return rounded(0.0, mid)[0]
    shown, lo, hi = rounded(half, mid, low, high)
    return f"{shown}{gap(stacked)}[{lo}, {hi}]"
