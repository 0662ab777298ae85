"""The result tables as HTML, cell for cell those ``simjit run`` and ``simjit sweep`` print.

Every number comes from :mod:`simjit.experiment.cells`, as in the CLI's tables: a mean ± its 95%
CI half-width rounded to the CI's precision, the paired Δ to the baseline with its interval,
P(better), ★ on a policy better than every other and ≈ on those the replications cannot tell apart
from the best, money in the scenario's currency; KPIs that are 0 in every replication are left out
the same way. Every name in them (policies, KPIs per stock point, sweep points, disruptions) is the
user's text and is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

import pandas as pd

from simjit.experiment.cells import (
    MARKS_LEGEND,
    RESILIENCE_CAPTION,
    RESILIENCE_COLUMNS,
    STAR,
    cell,
    delta,
    direction,
    grouped,
    marked,
    marks,
    money_note,
    resilience_cells,
)
from simjit.experiment.columns import catalogued
from simjit.experiment.parameters import PLAN_COLUMNS, PlanRow, plan_cells
from simjit.experiment.results import Results

__all__ = ["currency", "definitions", "disruptions", "kpi_tables", "plan_tables", "resilience_table", "sweep_table"]


def kpi_tables(results: Results, kpis: Sequence[str]) -> tuple[list[str], list[str]]:
    """A table per KPI group, a row per policy: mean ± CI, Δ vs the baseline (paired) with its CI,
    P(better); ★ on a policy better than every other (in bold green), ≈ on those the replications cannot
    tell apart from the best (in green; the report's text before the tables says so in full). Returns the
    tables and the KPIs left out (0 or without a value in every replication)."""
    summary = _first_variant(results, results.summary)
    by = summary.set_index(["policy", "kpi"])
    comparison = _first_variant(results, results.comparison)
    diff = comparison.set_index(["policy", "kpi"]) if len(comparison) else None
    names = list(results.policies)
    groups, hidden = grouped(by, kpis, names, hide_zeros=True)
    n = results.manifest.plan.replications
    tables = []
    for group, members in groups:
        head = _head(["KPI", "policy", "mean ± CI", f"Δ vs {results.baseline} (paired)", "P(better)"], numeric_from=2)
        bodies = "".join(_kpi_body(results, kpi, by, diff, names) for kpi in members)
        caption = f"{group} — {n} replications, 95% CI{money_note(members, currency(results))}{_legend(names)}"
        tables.append(_table("kpis", caption, head + bodies))
    return tables, hidden


def currency(results: Results) -> str | None:
    """The currency the run's scenario names, if any."""
    if results.scenario is not None:
        return results.scenario.currency
    named = results.scenario_doc.get("currency")
    return str(named) if named else None


def _legend(names: Sequence[str]) -> str:
    return f" ({MARKS_LEGEND})" if len(names) > 1 else ""


def _kpi_body(results: Results, kpi: str, by: Any, diff: Any, names: list[str]) -> str:
    """One KPI's rows, a ``<tbody>`` headed by the KPI's name (its definition in the tooltip)."""
    better = direction(kpi, results.scenario)
    marked_as = marks(by, {p: (p, kpi) for p in names}, better)
    rows = []
    for i, policy in enumerate(names):
        change, p_better = "", ""
        if policy == results.baseline:
            change = "baseline"
        elif diff is not None and (policy, kpi) in diff.index:
            change, p_better = delta(diff.loc[(policy, kpi)], better)
        kpi_cell = f'<th scope="rowgroup" rowspan="{len(names)}"{_definition(kpi)}>{escape(kpi)}</th>' if i == 0 else ""
        mark = marked_as.get(policy)
        style = _mark_class(mark)
        shown = (
            f"<td{_class(style)}>{escape(marked(policy, mark))}</td>"
            f"<td{_class(f'num {style}'.strip())}>{escape(cell(by, (policy, kpi)))}</td>"
        )
        baseline = _class("baseline" if policy == results.baseline else "")
        rows.append(f"<tr{baseline}>{kpi_cell}{shown}{_cells([change, p_better], numeric_from=0)}</tr>")
    return f'<tbody class="group">{"".join(rows)}</tbody>'


def _mark_class(mark: str | None) -> str:
    """The class of a marked cell: ``best`` (★), ``tied`` (≈), or none."""
    return "" if not mark else "best" if mark == STAR else "tied"


def disruptions(results: Results) -> list[str]:
    """The disruptions of the resilience tables (of the first variant), in the order they were declared."""
    frame = _first_variant(results, results.resilience)
    return list(dict.fromkeys(frame["disruption"])) if len(frame) else []


def resilience_table(results: Results, disruption: str) -> str:
    """A row per policy hit by ``disruption``: events (replications hit), mean ± CI of time to survive,
    time to recover and units short over the replications hit, the share of those with a shortage."""
    by = _first_variant(results, results.resilience).set_index(["disruption", "policy", "kpi"])
    rows = []
    for policy in results.policies:
        cells = resilience_cells(by, disruption, policy)
        if cells is not None:
            rows.append(f'<tr><th scope="row">{escape(policy)}</th>{_cells(cells, numeric_from=0)}</tr>')
    head = _head(["policy", "events", *RESILIENCE_COLUMNS.values()], numeric_from=1)
    n = results.manifest.plan.replications
    caption = f"resilience to {disruption} — {n} replications, 95% CI"
    return _table("resilience", caption, f"{head}<tbody>{''.join(rows)}</tbody>", RESILIENCE_CAPTION)


def sweep_table(results: Results, kpi: str) -> str:
    """One KPI at every sweep point (a row each), a column per policy: mean ± 95% CI, marked at each point as
    the run's tables are (★ on a policy better than every other there, ≈ on those not told apart)."""
    by = results.summary.set_index(["variant", "policy", "kpi"])
    names = list(results.policies)
    rows = []
    for variant in results.variants:
        keys = {p: (variant, p, kpi) for p in names}
        if not any(k in by.index for k in keys.values()):
            continue
        marked_as = marks(by, keys, direction(kpi, results.scenario))
        cells = "".join(
            f"<td{_class(f'num {_mark_class(marked_as.get(p))}'.strip())}>"
            f"{escape(marked(cell(by, keys[p]), marked_as.get(p)))}</td>"
            for p in names
        )
        rows.append(f'<tr><th scope="row">{escape(variant)}</th>{cells}</tr>')
    n = results.manifest.plan.replications
    money = money_note([kpi], currency(results))
    caption = f"{kpi}: mean ± 95% CI half-width, {n} replications per point{money}{_legend(names)}"
    head = _head(["point", *names], numeric_from=1)
    return _table("sweep", caption, f"{head}<tbody>{''.join(rows)}</tbody>")


def plan_tables(rows: Sequence[PlanRow]) -> list[str]:
    """A table per policy set, a row per stock point: cell for cell what ``simjit plan`` prints, a line of a
    cell on a line of its own."""
    tables = []
    for name in dict.fromkeys(row.policy_set for row in rows):
        body = "".join(
            f'<tr><th scope="row">{_lines(cells[0])}</th>'
            + "".join(f"<td{_class('num' if i >= 3 else '')}>{_lines(c)}</td>" for i, c in enumerate(cells[1:], 1))
            + "</tr>"
            for cells in (plan_cells(row) for row in rows if row.policy_set == name)
        )
        tables.append(
            _table("plan", f"policy set {name}", f"{_head(PLAN_COLUMNS, numeric_from=3)}<tbody>{body}</tbody>")
        )
    return tables


def _lines(text: str) -> str:
    """A cell's text, escaped, its lines kept."""
    return "<br>".join(escape(line) for line in text.split("\n"))


def definitions(kpis: Sequence[str], currency: str | None = None) -> str:
    """What each KPI shown means and its unit, from the KPI catalogue (per stock point: at that point);
    money in ``currency`` where the scenario names one."""
    items = []
    for kpi in dict.fromkeys(kpis):
        entry = catalogued(kpi)
        if entry is not None:
            unit = currency if entry.unit == "money" and currency else entry.unit
            shown = f' <span class="muted">({escape(unit)})</span>'
            items.append(f"<dt><code>{escape(kpi)}</code>{shown}</dt><dd>{escape(entry.definition)}</dd>")
    return f'<dl class="facts">{"".join(items)}</dl>'


def _first_variant(results: Results, table: pd.DataFrame) -> pd.DataFrame:
    """The rows of the run's first variant (a plain run has only that one, ``base``)."""
    if not len(table) or "variant" not in table.columns:
        return table
    return table[table["variant"] == results.variants[0]]


def _definition(kpi: str) -> str:
    entry = catalogued(kpi)
    return f' title="{escape(entry.definition)}"' if entry is not None else ""


def _head(headers: Sequence[str], numeric_from: int) -> str:
    cells = "".join(
        f'<th scope="col"{_class("num" if i >= numeric_from else "")}>{escape(h)}</th>' for i, h in enumerate(headers)
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _cells(values: Sequence[str], numeric_from: int) -> str:
    return "".join(f"<td{_class('num' if i >= numeric_from else '')}>{escape(v)}</td>" for i, v in enumerate(values))


def _class(names: str) -> str:
    return f' class="{names}"' if names else ""


def _table(kind: str, caption: str, content: str, note: str = "") -> str:
    """A table that scrolls sideways on its own when wider than the page, with its caption and a note."""
    below = f'<p class="note">{escape(note)}</p>' if note else ""
    return (
        f'<div class="table-wrap"><table class="{kind}"><caption>{escape(caption)}</caption>{content}</table>'
        f"{below}</div>"
    )
