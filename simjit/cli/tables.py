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
from collections.abc import Callable
from typing import Any, Optional

from rich import box
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from simjit.experiment.cells import (
    MARKS_LEGEND,
    RESILIENCE_CAPTION,
    RESILIENCE_COLUMNS,
    STAR,
    as_float,
    cell,
    delta,
    direction,
    gap,
    grouped,
    marked,
    marks,
    marks_caption,
    money_note,
    negligible,
    resilience_cells,
    rounded,
)
from simjit.scenario.models import Scenario

__all__ = [
    "break_name", "fit", "kpi_tables", "legend", "reference_table", "resilience_tables", "sweep_table", "titled",
]  # fmt: skip

UNBOUNDED = 10_000
"""A width no table reaches: what a table is measured in to learn its natural width."""
KPI_WIDTH = 14
"""Characters per line of a KPI name in a stacked table."""


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
    baseline with its CI, P(better) (marks and P(better) only where the catalogue says which way is better:
    ★ on a policy better than every other, ≈ on those the replications cannot tell apart from the best;
    the caption under the last table says so in full). With ``hide_zeros``, KPIs that are 0 for every policy
    in every replication (lost sales under pure backorders: the scenario cannot produce them) are left out
    and returned beside the tables. Money is in the scenario's currency, said in the title, where it names one."""
    by = outcome.summary.set_index(["policy", "kpi"])
    diff = outcome.comparison.set_index(["policy", "kpi"]) if len(outcome.comparison) else None
    groups, hidden = grouped(by, kpis, names, hide_zeros)
    tables = []
    for n, (group, members) in enumerate(groups):

        def build(stacked: bool, members: list[str] = members) -> Table:
            table = Table(box=box.SIMPLE_HEAD)
            versus = f"Δ vs {baseline}{gap(stacked)}(paired)"
            for header in ("KPI", "policy", "mean ± CI", versus, "P(better)"):
                table.add_column(header, justify="left" if header in ("KPI", "policy") else "right", overflow="fold")
            for kpi in members:
                _kpi_rows(table, kpi, by, diff, names, baseline, direction(kpi, s), stacked)
            return table

        money = money_note(members, s.currency)
        title = f"{s.name} — {group}: {outcome.plan.replications} replications, 95% CI{money}"
        caption = marks_caption(len(names)) if n == len(groups) - 1 else None
        tables.append(titled(f"{title}{legend(len(names))}", fit(console, build), caption))
    return tables, hidden


def legend(policies: int) -> str:
    """`` (★ best, ≈ not told apart)`` after a table's title, where there are policies to mark."""
    return f" ({MARKS_LEGEND})" if policies > 1 else ""


def _kpi_rows(
    table: Table, kpi: str, by: Any, diff: Any, names: list[str], baseline: str, better: Optional[str],
    stacked: bool,
) -> None:  # fmt: skip
    marked_as = marks(by, {p: (p, kpi) for p in names}, better)
    for i, p in enumerate(names):
        change, p_better = "", ""
        if p == baseline:
            change = "baseline"
        elif diff is not None and (p, kpi) in diff.index:
            change, p_better = delta(diff.loc[(p, kpi)], better, stacked)
        mark = marked_as.get(p)
        name, value = _styled(marked(escape(p), mark), mark), _styled(cell(by, (p, kpi), stacked), mark)
        label = (break_name(kpi) if stacked else kpi) if i == 0 else ""
        table.add_row(label, name, value, change, p_better, end_section=i == len(names) - 1)


def _styled(text: str, mark: Optional[str]) -> str:
    """A marked policy's cell: bold green for ★, green for ≈, as it is otherwise."""
    if not mark:
        return text
    style = "bold green" if mark == STAR else "green"
    return f"[{style}]{text}[/{style}]"


def break_name(name: str) -> str:
    """A KPI name in lines of at most KPI_WIDTH characters, broken after ``_``, ``.`` or ``/``."""
    lines = [""]
    for part in re.findall(r"[^_./]*[_./]?", name):
        if lines[-1] and len(lines[-1]) + len(part) > KPI_WIDTH:
            lines.append("")
        lines[-1] += part
    return "\n".join(lines)


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
                cells = resilience_cells(by, disruption, p, stacked)
                if cells is not None:
                    table.add_row(p, *cells)
            return table

        title = f"{s.name} — resilience to {disruption}: {outcome.plan.replications} replications, 95% CI"
        caption = f"{RESILIENCE_CAPTION} Definitions: docs/kpis.md" if n == len(disruptions) - 1 else None
        tables.append(titled(title, fit(console, build), caption))
    return tables


def sweep_table(console: Console, s: Scenario, outcome: Any, kpi: str, names: list[str]) -> Group:
    """One KPI at every sweep point (a row each), a column per policy: mean ± 95% CI, marked at each point as
    in the run's tables (★ on a policy better than every other there, ≈ on those not told apart)."""
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
            marked_as = marks(by, keys, direction(kpi, variant.scenario))
            cells = (_styled(marked(cell(by, keys[p], stacked), marked_as.get(p)), marked_as.get(p)) for p in names)
            table.add_row(Text(variant.name), *cells)  # a point's values are the user's text, never markup
        return table

    n = outcome.plan.replications
    money = money_note([kpi], s.currency)
    title = f"{s.name} — {kpi}: mean ± 95% CI half-width, {n} replications per point{money}{legend(len(names))}"
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
