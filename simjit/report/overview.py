"""The report's opening and closing facts: what the scenario is and holds, and how the run was made.

Both read what the run saved (``scenario.json`` as a dict, ``manifest.json``), so a report can be
written even when the scenario no longer validates (a trace file moved). Every value is the user's
text or a number and is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from simjit.experiment.cells import STAR, TIED, as_float, cell, headline, marks
from simjit.experiment.columns import better
from simjit.experiment.results import Results
from simjit.report.tables import currency

__all__ = ["LISTED", "headline_kpi", "run_record", "scenario_overview", "verdict"]

LISTED = 30
"""Names a fact of the overview lists at most (policy sets, items, stock points, demand), then how many more."""


def scenario_overview(results: Results) -> str:
    """The scenario's name, the question it answers (its description) and what it holds, in a few lines."""
    doc = results.scenario_doc
    name = str(doc.get("name") or results.manifest.scenario)
    description = str(doc.get("description") or "").strip()
    lead = (
        f'<p class="lead">{escape(description)}</p>'
        if description
        else '<p class="lead muted">The scenario has no description.</p>'
    )
    facts = {
        "compared": _policies(doc, results),
        "replications": f"{results.manifest.plan.replications} per policy set, on common random numbers "
        f"(seed {results.manifest.seed}): replication r of every policy meets the same demand and disruptions",
        "horizon": _horizon(doc),
        **({"swept": _sweep(results)} if results.params else {}),
        "items": _listed_at_most(list(doc.get("items", {}))),
        "stock points": _stock_points(doc),
        "suppliers": ", ".join(
            f"{n} ({', '.join(s.get('supplies', []))})" for n, s in doc.get("suppliers", {}).items()
        ),
        "production lines": _lines(doc),
        "customer demand": _listed_at_most(list(dict.fromkeys(str(d.get("at")) for d in doc.get("demand", [])))),
        "disruptions": _disruptions(doc),
    }
    return f'<p class="kicker">simjit report</p><h1>{escape(name)}</h1>{lead}{verdict(results)}{_facts(facts)}'


def headline_kpi(results: Results) -> str:
    """The KPI the decision is made on: profit where every item customers buy has a price, else total_cost
    (read from the run's values when its scenario no longer validates)."""
    if results.scenario is not None:
        return headline(results.scenario)
    profit = results.summary[results.summary["kpi"] == "profit"]["mean"] if len(results.summary) else []
    return "profit" if len(profit) and all(as_float(m) == as_float(m) for m in profit) else "total_cost"


def verdict(results: Results) -> str:
    """The answer up front: the headline KPI, why it is the one, and which policy is best on it — only as
    far as the paired comparison tells them apart (★ or ≈, as in the tables)."""
    kpi = headline_kpi(results)
    why = ("every item customers buy has a price: revenue − total cost, higher is better" if kpi == "profit"
           else "items have no selling price: what running the network costs, lower is better")  # fmt: skip
    named = currency(results)
    unit = f", in {named}" if named else ""
    lead = f"<strong>Headline: {escape(kpi)}</strong> ({escape(why)}{escape(unit)})"
    if results.params:
        return f'<p class="verdict">{lead}: the first table of the sweep, the best at each point marked there.</p>'
    return f'<p class="verdict">{lead}: {_best_on(results, kpi)}</p>'


def _best_on(results: Results, kpi: str) -> str:
    """Which policy is best on ``kpi`` in the run's first variant, with its mean ± CI, as the marks say."""
    summary = results.summary
    if not len(summary):
        return "no result."
    by = summary[summary["variant"] == results.variants[0]].set_index(["policy", "kpi"])
    names = [p for p in results.policies if (p, kpi) in by.index]
    marked = marks(by, {p: (p, kpi) for p in names}, better(kpi))
    value = {p: escape(cell(by, (p, kpi))) for p in names}
    if not marked:
        shown = "; ".join(f"{escape(p)} {value[p]}" for p in names)
        same = " (the same in every replication: nothing to tell apart)" if len(names) > 1 else ""
        return f"{shown}{same}." if shown else "no value."
    leader = next(str(by.loc[(p, kpi), "best"]) for p in marked)
    if marked[leader] == STAR:
        return (f"<strong>{escape(leader)} {STAR}</strong> is best, {value[leader]}: better than every other policy, "
                "replication by replication, at 95% confidence.")  # fmt: skip
    tied = [p for p in names if marked.get(p) == TIED and p != leader]
    others = _listed([escape(p) for p in tied])
    return (f"{_listed([escape(p) for p in names if marked.get(p) == TIED])} cannot be told apart ({TIED}): "
            f"{escape(leader)} has the best mean, {value[leader]}, but its paired difference to {others} is not "
            "clear of zero (more replications may separate them).")  # fmt: skip


def _listed(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def run_record(results: Results) -> str:
    """The manifest: status, tasks, seed, replications, scenario hash, command, versions and times."""
    m = results.manifest
    failed = f", {m.tasks_failed} failed (their rows are missing)" if m.tasks_failed else ""
    facts = {
        "status": f"{m.status}: {m.tasks_done} of {m.tasks_total} tasks played{failed}",
        "replications": str(m.replications_done or m.plan.replications),
        "seed": str(m.seed),
        "scenario hash": m.scenario_hash,
        "command": m.command or "(not recorded)",
        "versions": ", ".join(f"{k} {v}" for k, v in m.versions.items()),
        "started": f"{m.started:%Y-%m-%d %H:%M:%S} UTC" if m.started else "(not recorded)",
        "ended": f"{m.updated:%Y-%m-%d %H:%M:%S} UTC" if m.updated else "(not recorded)",
        "results": str(results.directory),
    }
    code = {"scenario hash", "command", "results"}
    items = "".join(
        f"<dt>{escape(k)}</dt><dd>{f'<code>{escape(v)}</code>' if k in code else escape(v)}</dd>"
        for k, v in facts.items()
    )
    return f'<dl class="facts">{items}</dl>'


def _facts(facts: Mapping[str, str]) -> str:
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts.items() if v)
    return f'<dl class="facts">{items}</dl>'


def _policies(doc: Mapping[str, Any], results: Results) -> str:
    """Each policy set run with the policy kinds it uses: ``hybrid (kanban, eoq, s_S)``; and the baseline."""
    sets = doc.get("policies", {})
    shown = []
    for name in results.policies:
        spec = sets.get(name) or {}
        specs = [spec.get("default"), *(spec.get("by_class") or {}).values(), *(spec.get("overrides") or {}).values()]
        kinds = list(dict.fromkeys(next(iter(s)) for s in specs if isinstance(s, Mapping) and s))
        shown.append(f"{name} ({', '.join(kinds)})" if kinds else name)
    return f"{len(shown)} policy sets — {_listed_at_most(shown)}; baseline: {results.baseline}"


def _horizon(doc: Mapping[str, Any]) -> str:
    horizon, warmup = doc.get("horizon"), doc.get("warmup") or 0
    if horizon is None:
        return ""
    counted = f", the first {warmup:g} a warm-up not counted in the KPIs" if warmup else ""
    return f"{horizon:g} days per replication{counted}"


def _sweep(results: Results) -> str:
    """Each swept parameter with its values, and how many points the grid has."""
    values: dict[str, list[str]] = {p: [] for p in results.params}
    for variant in results.manifest.plan.variants:
        for parameter, value in variant.params.items():
            if str(value) not in values[parameter]:
                values[parameter].append(str(value))
    grid = "; ".join(f"{p} = {', '.join(v)}" for p, v in values.items())
    return f"{grid} ({len(results.variants)} points, each playing the same random numbers)"


def _stock_points(doc: Mapping[str, Any]) -> str:
    """``site/item ← source`` for each stock point, with its backup supplier if any."""
    shown = []
    for site, spec in doc.get("sites", {}).items():
        for item, point in (spec.get("stock") or {}).items():
            backup = point.get("backup")
            backup_name = backup.get("supplier") if isinstance(backup, Mapping) else backup
            extra = f" (backup {backup_name})" if backup_name else ""
            shown.append(f"{site}/{item} ← {point.get('source')}{extra}")
    return _listed_at_most(shown)


def _listed_at_most(names: list[str]) -> str:
    """``names`` joined by commas, beyond LISTED the first LISTED and how many more (a network's 400 items)."""
    more = f", and {len(names) - LISTED} more" if len(names) > LISTED else ""
    return ", ".join(names[:LISTED]) + more


def _lines(doc: Mapping[str, Any]) -> str:
    shown = []
    for site, spec in doc.get("sites", {}).items():
        for name, line in (spec.get("lines") or {}).items():
            bom = " + ".join(f"{q:g} {item}" for item, q in (line.get("bom") or {}).items())
            shown.append(f"{site}/{name} makes {line.get('makes')}" + (f" from {bom}" if bom else ""))
    return ", ".join(shown)


def _disruptions(doc: Mapping[str, Any]) -> str:
    """Every disruption by the name the results give it, and when it strikes."""
    horizon = doc.get("horizon")
    found: list[tuple[str, Mapping[str, Any]]] = []
    for name, supplier in doc.get("suppliers", {}).items():
        found += [(f"{name}.disruptions.{i}", d) for i, d in enumerate(supplier.get("disruptions") or [])]
    for site, spec in doc.get("sites", {}).items():
        for item, point in (spec.get("stock") or {}).items():
            found += [(f"{site}/{item}.disruptions.{i}", d) for i, d in enumerate(point.get("disruptions") or [])]
        for name, line in (spec.get("lines") or {}).items():
            if line.get("breakdowns"):
                found.append((f"{site}/{name}.breakdowns", line["breakdowns"]))
            found += [(f"{site}/{name}.disruptions.{i}", d) for i, d in enumerate(line.get("disruptions") or [])]
    found += [(str(e.get("name")), e) for e in doc.get("events") or []]
    return ", ".join(f"{name} ({_when(d, horizon)})" for name, d in found) or "none"


def _when(d: Mapping[str, Any], horizon: Any) -> str:
    hits = d.get("hits")
    target = f"; hits {', '.join(_strings(hits))}" if hits else ""
    if d.get("start") is not None:
        late = " — after the horizon: never played" if horizon is not None and d["start"] >= horizon else ""
        return f"from day {d['start']:g}{late}{target}"
    if d.get("mtbf") is not None:
        return f"random, every {d['mtbf']:g} days on average{target}"
    return f"as declared{target}"


def _strings(values: Iterable[Any]) -> list[str]:
    return [str(v) for v in values]
