"""Cross-checks that no single field can make: names exist, sources fit, no cycles, windows fit."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from simjit.scenario.distributions import distribution_mean
from simjit.scenario.messages import suggest
from simjit.scenario.models import Scenario
from simjit.scenario.yaml_nodes import Path

__all__ = ["Finding", "SourceKind", "check_references", "source_kind", "upstream_first"]


@dataclass(frozen=True)
class Finding:
    """One cross-reference problem at a path of the scenario."""

    path: Path
    message: str
    hint: str | None = None


SourceKind = Literal["supplier", "site", "line"]
"""What a stock point's source names."""


def source_kind(s: Scenario, site: str, item: str) -> SourceKind | None:
    """What kind of thing the stock point's source names (a line at the site wins over a supplier)."""
    name = s.sites[site].stock[item].source
    if name in s.sites[site].lines:
        return "line"
    if name in s.suppliers:
        return "supplier"
    if name in s.sites and name != site:
        return "site"
    return None


def _unknown(kind: str, name: str, choices: list[str], plural: str | None = None) -> tuple[str, str | None]:
    known = plural or f"{kind}s"
    hint = suggest(name, choices) or (f"known {known}: " + ", ".join(choices) if choices else f"no {kind} is defined")
    return f"unknown {kind} {name!r}", hint


def check_references(s: Scenario) -> list[Finding]:
    """Every cross-reference problem in the scenario (empty when it is consistent)."""
    out: list[Finding] = []
    items = list(s.items)
    if s.warmup >= s.horizon:
        out.append(Finding(("warmup",), f"expected warmup < horizon ({s.horizon:g}), got {s.warmup:g}"))
    out += _check_memory(s)
    out += _check_names(s)
    if s.baseline is not None and s.baseline not in s.policies:
        out.append(Finding(("baseline",), *_unknown("policy set", s.baseline, list(s.policies))))
    for name, sup in s.suppliers.items():
        if distribution_mean(sup.yield_) <= 0:
            out.append(
                Finding(
                    ("suppliers", name, "yield"), "expected a yield above 0 on average; this supplier would never ship"
                )
            )
        for i, item in enumerate(sup.supplies):
            if item not in s.items:
                out.append(Finding(("suppliers", name, "supplies", i), *_unknown("item", item, items)))
    for site_name, _site in s.sites.items():
        out += _check_site(s, site_name)
    out += _check_cycles(s)
    out += _check_events(s)
    points = [f"{a}/{b}" for a, b in s.stock_points()]
    for i, d in enumerate(s.demand):
        if d.at not in points:
            out.append(Finding(("demand", i, "at"), *_unknown("stock point", d.at, points)))
    for pname, pset in s.policies.items():
        for ref in pset.overrides:
            if ref not in points:
                out.append(Finding(("policies", pname, "overrides", ref), *_unknown("stock point", ref, points)))
        if pset.default is None and not pset.by_class:
            missing = [p for p in points if p not in pset.overrides]
            if missing:
                out.append(
                    Finding(
                        ("policies", pname),
                        f"no policy for {', '.join(missing)}",
                        "add a 'default:' policy or an override for each",
                    )
                )
    return out


def _check_site(s: Scenario, site_name: str) -> list[Finding]:
    out: list[Finding] = []
    site = s.sites[site_name]
    items = list(s.items)
    for item, sp in site.stock.items():
        here: Path = ("sites", site_name, "stock", item)
        if item not in s.items:
            out.append(Finding(here, *_unknown("item", item, items)))
            continue
        kind = source_kind(s, site_name, item)
        if kind is None:
            if sp.source == site_name:
                out.append(Finding((*here, "source"), f"site {site_name!r} cannot replenish from itself"))
            else:
                choices = [*s.suppliers, *[x for x in s.sites if x != site_name], *site.lines]
                out.append(Finding((*here, "source"), *_unknown("source", sp.source, choices)))
        elif kind == "supplier" and item not in s.suppliers[sp.source].supplies:
            out.append(
                Finding(
                    (*here, "source"),
                    f"supplier {sp.source!r} does not supply {item!r}",
                    f"add {item} to suppliers.{sp.source}.supplies",
                )
            )
        elif kind == "site" and item not in s.sites[sp.source].stock:
            out.append(
                Finding(
                    (*here, "source"),
                    f"site {sp.source!r} does not stock {item!r}",
                    f"add {item} under sites.{sp.source}.stock",
                )
            )
        elif kind == "line" and site.lines[sp.source].makes != item:
            out.append(
                Finding((*here, "source"), f"line {sp.source!r} makes {site.lines[sp.source].makes!r}, not {item!r}")
            )
        if kind in ("supplier", "line") and (distribution_mean(sp.transit) > 0 or sp.disruptions):
            field = "transit" if distribution_mean(sp.transit) > 0 else "disruptions"
            out.append(
                Finding(
                    (*here, field), f"{field} applies only to a lane from an upstream site; {sp.source!r} is a {kind}"
                )
            )
        if sp.expedite is not None and kind in ("site", "line"):
            out.append(
                Finding(
                    (*here, "expedite"),
                    f"expediting applies to a supplier source; {sp.source!r} is a {kind}",
                    "remove expedite, or source the item from a supplier",
                )
            )
        backup = sp.backup_rule
        if backup is not None:
            where = (*here, "backup") if isinstance(sp.backup, str) else (*here, "backup", "supplier")
            if backup.supplier not in s.suppliers:
                out.append(Finding(where, *_unknown("supplier", backup.supplier, list(s.suppliers))))
            elif item not in s.suppliers[backup.supplier].supplies:
                out.append(
                    Finding(
                        where,
                        f"supplier {backup.supplier!r} does not supply {item!r}",
                        f"add {item} to suppliers.{backup.supplier}.supplies",
                    )
                )
            elif backup.supplier == sp.source:
                out.append(Finding(where, "the backup is the source itself", "name a different supplier"))
    for line_name, line in site.lines.items():
        here = ("sites", site_name, "lines", line_name)
        if line.makes not in site.stock:
            out.append(
                Finding(
                    (*here, "makes"),
                    f"{line.makes!r} is not stocked at site {site_name!r}",
                    f"add {line.makes} under sites.{site_name}.stock with source: {line_name}",
                )
            )
        for comp in line.bom:
            if comp == line.makes:
                out.append(Finding((*here, "bom", comp), f"line {line_name!r} cannot consume what it makes"))
            elif comp not in site.stock:
                hint = f"add {comp} under sites.{site_name}.stock" if comp in s.items else suggest(comp, items)
                out.append(
                    Finding((*here, "bom", comp), f"component {comp!r} is not stocked at site {site_name!r}", hint)
                )
    return out


def _upstream(s: Scenario, site: str, item: str) -> list[tuple[str, str]]:
    kind = source_kind(s, site, item)
    src = s.sites[site].stock[item].source
    if kind == "site" and item in s.sites[src].stock:
        return [(src, item)]
    if kind == "line":
        return [(site, comp) for comp in s.sites[site].lines[src].bom if comp in s.sites[site].stock and comp != item]
    return []


def upstream_first(s: Scenario) -> list[tuple[str, str]]:
    """Every stock point after those it draws from (a lane's upstream site, a line's components), so
    a network can be built in one pass; the scenario's order otherwise. Needs a scenario without cycles."""
    order: dict[tuple[str, str], None] = {}

    def visit(node: tuple[str, str]) -> None:
        for nxt in _upstream(s, *node):
            if nxt not in order:
                visit(nxt)
        order[node] = None

    for node in s.stock_points():
        if node not in order:
            visit(node)
    return list(order)


MEMORY_BUDGET = 2 * 1024**3
"""Bytes of per-day arrays one replication may hold (each worker plays one replication at a time)."""
BYTES_PER_DAY = 32
"""Per array and day: a slot and, once written, the float in it."""


def _check_memory(s: Scenario) -> list[Finding]:
    """Per-day arrays (demand and orders per stock point, a demand stream's draws) grow with the
    horizon: refuse, before anything is allocated, a scenario that would not fit in memory."""
    arrays = 2 * len(s.stock_points()) + 2 * len(s.demand)
    need = (math.ceil(s.horizon) + 1) * arrays * BYTES_PER_DAY
    if need <= MEMORY_BUDGET:
        return []
    return [
        Finding(
            ("horizon",),
            f"a horizon of {s.horizon:g} days with {len(s.stock_points())} stock points and {len(s.demand)} demand "
            f"streams needs about {need / 1024**3:,.1f} GiB of per-day arrays per replication; the limit is "
            f"{MEMORY_BUDGET / 1024**3:g} GiB",
            f"a horizon up to about {MEMORY_BUDGET // (arrays * BYTES_PER_DAY):,} days fits",
        )
    ]


def _check_names(s: Scenario) -> list[Finding]:
    """Names an event's ``hits`` could not tell apart: a site named like a supplier, a line named
    like an item stocked at its site (``plant/x`` would be both the lane and the line)."""
    out = [
        Finding(("sites", name), f"the site {name!r} has the name of a supplier", "give one of them another name")
        for name in s.sites
        if name in s.suppliers
    ]
    for site, x in s.sites.items():
        out += [
            Finding(
                ("sites", site, "lines", line),
                f"the line {line!r} has the name of an item stocked at {site!r} ({site}/{line} would name both)",
                "give the line another name",
            )
            for line in x.lines
            if line in x.stock
        ]
    return out


def _check_cycles(s: Scenario) -> list[Finding]:
    state: dict[tuple[str, str], int] = {}
    stack: list[tuple[str, str]] = []
    out: list[Finding] = []

    def visit(node: tuple[str, str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in _upstream(s, *node):
            if state.get(nxt) == 1:
                loop = [*stack[stack.index(nxt) :], nxt]
                path = " ← ".join(f"{a}/{b}" for a, b in loop)
                out.append(
                    Finding(
                        ("sites", nxt[0], "stock", nxt[1], "source"),
                        f"sources form a cycle: {path}",
                        "every chain of sources must end at a supplier",
                    )
                )
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in s.stock_points():
        if node[1] in s.items and node not in state:
            visit(node)
    return out


def _check_events(s: Scenario) -> list[Finding]:
    out: list[Finding] = []
    targets = list(s.suppliers)
    targets += [f"{site}/{line}" for site, x in s.sites.items() for line in x.lines]
    targets += [
        f"{site}/{item}" for site, item in s.stock_points() if item in s.items and source_kind(s, site, item) == "site"
    ]
    lines_by_name = {line: site for site, x in s.sites.items() for line in x.lines}
    points = {f"{site}/{item}" for site, item in s.stock_points() if item in s.items}
    names: set[str] = set()
    for i, ev in enumerate(s.events):
        if ev.name in names:
            out.append(Finding(("events", i, "name"), f"duplicate event name {ev.name!r}"))
        names.add(ev.name)
        for j, hit in enumerate(ev.hits):
            if hit in targets:
                continue
            if hit in points:
                site, item = hit.split("/")
                source = s.sites[site].stock[item].source
                out.append(
                    Finding(
                        ("events", i, "hits", j),
                        f"{hit!r} is not a lane: it is replenished from {source!r}, not from an upstream site",
                        f"name {source!r} to hit the source itself" if source in s.suppliers else None,
                    )
                )
            elif hit in lines_by_name:
                out.append(
                    Finding(("events", i, "hits", j), f"name the line with its site: {lines_by_name[hit]}/{hit}")
                )
            else:
                out.append(
                    Finding(("events", i, "hits", j), *_unknown("supplier, line or lane", hit, targets, "targets"))
                )
    return out
