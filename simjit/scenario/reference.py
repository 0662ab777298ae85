"""The scenario reference (``docs/scenario_reference.md``) as Markdown, generated from the JSON Schema.

The schema is the one description of the format (every field of the models carries its text), so
the reference is written from it and a test compares the page with :func:`schema_markdown`. Objects
are grouped as a reader looks for them; the policy, forecast and distribution kinds come from their
registries, so a new kind is documented as soon as it is declared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from simjit.scenario.distributions import KINDS as DISTRIBUTIONS
from simjit.scenario.policy_specs import FORECASTS, ORACLE, POLICIES
from simjit.scenario.schema import scenario_schema
from simjit.scenario.types import LARGEST, number_text

__all__ = ["REGENERATE", "schema_markdown"]

REGENERATE = (
    """python -c "from simjit.scenario.reference import schema_markdown; """
    """print(schema_markdown(), end='')" > docs/scenario_reference.md"""
)
"""The command that rewrites the page (quoted in its header and in the test's failure message)."""

Schema = dict[str, Any]

ROOT = "Scenario"
POLICY_DEFS = tuple(kind.__name__ for kind in POLICIES)
FORECAST_DEFS = tuple(kind.__name__ for kind in FORECASTS)
DISTRIBUTION_DEFS = tuple(kind.__name__ for kind in DISTRIBUTIONS)
TAGS = {
    **{kind.__name__: kind.tag for kind in POLICIES},
    **{kind.__name__: kind.tag for kind in FORECASTS},
    **{kind.__name__: kind.tag for kind in DISTRIBUTIONS},
}
"""Kinds are headed by the key a scenario writes (``kanban``), not by their model's name."""

GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("The scenario file", "The top level of a scenario file.", (ROOT,)),
    ("Items and costs", "What is stocked, and the cost rates every stock point shares.", ("Item", "Costs")),
    (
        "Suppliers",
        "Outside companies and how they serve: lead time, lateness, capacity, defects, price, outages.",
        ("Supplier", "RandomWalk"),
    ),
    (
        "Sites, stock points and lines",
        "Where stock is held, where each stock point is replenished from, and what is made.",
        ("Site", "StockPoint", "Backup", "Expedite", "Line"),
    ),
    (
        "Customer demand",
        "Who draws from the stock points, how much, and what they do when nothing is on hand.",
        ("Demand", "Arrivals", "Seasonality", "Shock", "OnStockout", "WaitUpTo"),
    ),
    (
        "Disruptions and events",
        "Outages of one supplier, lane or line (`disruptions:`, `breakdowns:`), and correlated events that "
        "hit several at once (`events:`). A target without a capacity (a supplier with no `capacity`, a lane) "
        "stops during any outage; one with a capacity keeps (1 − severity) of it.",
        ("Disruption", "Event"),
    ),
    (
        "Policy sets",
        "The alternatives compared. Each names the policy of every stock point: `overrides` first, then "
        "`by_class`, then `default`.",
        ("PolicySet", "AbcCutoffs"),
    ),
    (
        "Policy kinds",
        "A policy is a one-key mapping naming its kind, e.g. `{kanban: {containers: 8, container_size: 12}}`. "
        "What each decides, with its formulas: [policies.md](policies.md).",
        POLICY_DEFS,
    ),
    (
        "Forecasts",
        f"How `safety_stock` and `order_up_to` predict demand: `{ORACLE}` (the scenario's true mean and sd, "
        "no model: for teaching) or a one-key mapping naming a method.",
        FORECAST_DEFS,
    ),
    (
        "Distributions",
        "Wherever a field's type is *distribution*, write a number for a constant or a one-key mapping "
        "naming a kind, e.g. `{lognormal: {mean: 12, sd: 3}}`. Times and quantities are never negative: "
        "a normal is truncated at 0.",
        DISTRIBUTION_DEFS,
    ),
)

PLACEHOLDERS = {
    "items": "ITEM", "suppliers": "SUPPLIER", "sites": "SITE", "stock": "ITEM", "lines": "LINE",
    "policies": "SET", "bom": "ITEM", "by_class": "CLASS", "overrides": "SITE/ITEM",
}  # fmt: skip
"""How the key of each map is shown in the paths of the reference (``sites.SITE.stock.ITEM``)."""


def schema_markdown() -> str:
    """The scenario reference: every object of the format with a table of its fields (name, type,
    default, description; required fields marked), grouped by topic. Pure and deterministic."""
    schema = scenario_schema()
    page = _Page(schema)
    out = [*_header(), *page.contents()]
    for title, intro, names in GROUPS:
        out += [f"## {title}", "", intro, ""]
        for name in names:
            out += page.object_section(name)
    left = [name for name in sorted(page.defs) if name not in page.done]
    if left:
        out += ["## Other objects", ""]
        for name in left:
            out += page.object_section(name)
    return "\n".join(out).rstrip("\n") + "\n"


def _header() -> list[str]:
    return [
        "# Scenario reference",
        "",
        "Every field a scenario file may hold, object by object. Generated from the JSON Schema of the",
        "format (`simjit schema`) by `simjit/scenario/reference.py`; a test fails when this page and the",
        f"schema differ. To regenerate it: `{REGENERATE}`.",
        "",
        "New to scenarios? Start with the [tutorial](tutorial.md). Each table lists a field's name, its type,",
        "its default (*required*: the field must be given) and what it means. *name* is a word of letters,",
        "digits, `_` and `-` (not starting with a digit); *site/item* names a stock point; *distribution* is",
        "a number or a random law (see [Distributions](#distributions)). `--set dotted.path=value` changes any",
        "field from the command line, e.g. `--set suppliers.wholesaler.lead_time=7`.",
        "",
    ]


class _Page:
    """The schema's definitions, where each is used, and which have been written."""

    def __init__(self, schema: Schema) -> None:
        self.defs: dict[str, Schema] = dict(schema["$defs"])
        self.defs[ROOT] = {k: v for k, v in schema.items() if k not in ("$defs", "$schema", "$id")}
        self.paths: dict[str, list[str]] = {}
        self._walk(ROOT, "", set())
        self.done: set[str] = set()
        self.merged = {self._wrapped(name) for name in self.defs} - {None}
        self.anchors: dict[str, str] = {}
        for title, _, _ in GROUPS:
            self._anchor(title, title)
        for name in self.defs:
            if name not in self.merged:
                self._anchor(name, self.heading(name))

    def _anchor(self, key: str, heading: str) -> None:
        anchor = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        if anchor in self.anchors.values():
            raise ValueError(f"two headings of the scenario reference share the anchor #{anchor}")
        self.anchors[key] = anchor

    def heading(self, name: str) -> str:
        """A kind is headed by its YAML key, any other object by its model's name."""
        return f"`{TAGS[name]}`" if name in TAGS else name

    def link(self, name: str) -> str:
        return f"[{self.heading(name).strip('`')}](#{self.anchors[name]})" if name in self.anchors else name

    def contents(self) -> list[str]:
        lines = ["Contents:", ""]
        for title, _, names in GROUPS:
            objects = ", ".join(self.link(n) for n in names if n not in (ROOT,))
            lines.append(f"- [{title}](#{self.anchors[title]})" + (f": {objects}" if objects else ""))
        return [*lines, ""]

    def _walk(self, name: str, path: str, seen: set[str]) -> None:
        """Record the dotted paths at which each object appears (kinds are not followed: they are leaves)."""
        if name in seen:
            return
        self.paths.setdefault(name, []).append(path)
        for field, prop in self.defs[name].get("properties", {}).items():
            if self._union(prop) is not None:
                continue
            for ref, suffix in _refs(prop, field):
                if ref not in TAGS:
                    self._walk(ref, f"{path}.{field}{suffix}".lstrip("."), seen | {name})

    def _union(self, prop: Schema) -> str | None:
        """The anchor of the kind family a union of kinds names (policy, forecast, distribution), if it is one."""
        refs = set(_direct_refs(prop))
        for family, names in (("Policy kinds", POLICY_DEFS), ("Forecasts", FORECAST_DEFS),
                              ("Distributions", DISTRIBUTION_DEFS)):  # fmt: skip
            if refs and refs <= set(names) and len(refs) > 1:
                return family
        return None

    def object_section(self, name: str) -> list[str]:
        """One object: heading, what it is, where it appears, and the table of its fields."""
        self.done.add(name)
        spec = self.defs[name]
        lines = [f"### {self.heading(name)}", "", _text(spec.get("description", "")), ""]
        where = [p for p in self.paths.get(name, []) if p]
        if where and name not in TAGS:
            lines += ["Appears at " + ", ".join(f"`{p}`" for p in where) + ".", ""]
        if "enum" in spec:
            return [*lines, "One of " + ", ".join(f"`{v}`" for v in spec["enum"]) + ".", ""]
        fields, owner = self._fields(name)
        if owner != name:
            lines += self._form(name, fields)
        return [*lines, *self._table(fields, self.defs[owner].get("required", [])), "", *self._helpers(fields)]

    def _wrapped(self, name: str) -> str | None:
        """The object a one-field wrapper holds (``kanban: {…}`` holds KanbanParams): shown as the wrapper's."""
        props = self.defs[name].get("properties", {})
        if len(props) == 1:
            (prop,) = props.values()
            refs = _direct_refs(prop)
            if len(refs) == 1 and _plain_ref(prop):
                return refs[0]
        return None

    def _fields(self, name: str) -> tuple[dict[str, Schema], str]:
        """The fields shown for an object: a wrapper's are those of the object it holds, which it consumes."""
        inner = self._wrapped(name)
        if inner is not None:
            self.done.add(inner)
            return self.defs[inner].get("properties", {}), inner
        return self.defs[name].get("properties", {}), name

    def _form(self, name: str, fields: dict[str, Schema]) -> list[str]:
        """How a kind with a mapping of fields is written, unless its description already says it."""
        text, key = self.defs[name].get("description", ""), next(iter(self.defs[name]["properties"]))
        if text.startswith(f"``{key}:"):
            return []
        return [f"Written `{key}: {{{', '.join(fields)}}}`.", ""]

    def _helpers(self, fields: dict[str, Schema]) -> list[str]:
        """Objects the fields refer to that no group places (``python``'s mapping form): right after."""
        placed = {n for _, _, names in GROUPS for n in names}
        lines: list[str] = []
        for prop in fields.values():
            for ref in _direct_refs(prop):
                if ref not in placed and ref not in self.done and self._union(prop) is None:
                    lines += self.object_section(ref)
        return lines

    def _table(self, fields: dict[str, Schema], required: list[str]) -> list[str]:
        rows = ["| field | type | default | description |", "|---|---|---|---|"]
        for field, prop in fields.items():
            default = "*required*" if field in required else self._default(prop)
            rows.append(f"| `{field}` | {self.type_text(prop)} | {default} | {_cell(prop.get('description', ''))} |")
        return rows

    def _default(self, prop: Schema) -> str:
        if "default" not in prop:
            return "—"
        value = prop["default"]
        if value is None:
            return "none"
        if isinstance(value, dict) and value and value == self._defaults_of(prop):
            return "`{}` (all defaults)"
        return f"`{_yaml(value)}`"

    def _defaults_of(self, prop: Schema) -> dict[str, Any] | None:
        refs = _direct_refs(prop)
        if len(refs) != 1:
            return None
        fields = self.defs[refs[0]].get("properties", {})
        return {k: v.get("default") for k, v in fields.items()}

    def type_text(self, prop: Schema) -> str:
        """The type of a field in words, objects and kind families linked to their sections."""
        family = self._union(prop)
        if family is not None:
            word = {"Policy kinds": "policy", "Forecasts": "forecast", "Distributions": "distribution"}[family]
            return f"[{word}](#{self.anchors[family]})"
        if "$ref" in prop:
            return self.link(prop["$ref"].rsplit("/", 1)[1])
        for key in ("anyOf", "oneOf"):
            if key in prop:
                return " or ".join(self.type_text(p) for p in prop[key] if p != {"type": "null"})
        if "const" in prop:
            return f"`{prop['const']}`"
        if "enum" in prop:
            return " or ".join(f"`{v}`" for v in prop["enum"])
        return self._plain_type(prop)

    def _plain_type(self, prop: Schema) -> str:
        kind = prop.get("type")
        if kind in ("number", "integer"):
            return _number_type(prop)
        if kind == "string":
            return _string_type(prop)
        if kind == "array":
            return self._array_type(prop)
        if kind == "object":
            return self._map_type(prop)
        return "any"

    def _array_type(self, prop: Schema) -> str:
        if "prefixItems" in prop:
            return "[" + ", ".join(self.type_text(p) for p in prop["prefixItems"]) + "]"
        item = self.type_text(prop.get("items", {}))
        low, high = prop.get("minItems"), prop.get("maxItems")
        if low is not None and low == high:
            return f"list of {low}: {item}"
        return f"list of {item}" + (f" (at least {low})" if low else "")

    def _map_type(self, prop: Schema) -> str:
        values = prop.get("patternProperties") or {}
        value = next(iter(values.values()), prop.get("additionalProperties"))
        if not isinstance(value, dict):
            return "mapping"
        keys = prop.get("propertyNames", {}).get("enum")
        key = "/".join(keys) if keys else ("site/item" if "/" in next(iter(values), "") else "name")
        return f"map of {key} → {self.type_text(value)}" + (" (at least 1)" if prop.get("minProperties") else "")


def _refs(prop: Any, field: str) -> Iterator[tuple[str, str]]:
    """Every definition a property refers to, with the path suffix from the property to it."""
    if isinstance(prop, list):
        for p in prop:
            yield from _refs(p, field)
        return
    if not isinstance(prop, dict):
        return
    if "$ref" in prop:
        yield prop["$ref"].rsplit("/", 1)[1], ""
    for key in ("anyOf", "oneOf"):
        yield from _refs(prop.get(key, []), field)
    if isinstance(prop.get("items"), dict):
        yield from ((ref, f"[]{s}") for ref, s in _refs(prop["items"], field))
    key_word = "." + PLACEHOLDERS.get(field, "NAME")
    for value in (prop.get("patternProperties") or {}).values():
        yield from ((ref, f"{key_word}{s}") for ref, s in _refs(value, field))
    if isinstance(prop.get("additionalProperties"), dict):
        yield from ((ref, f"{key_word}{s}") for ref, s in _refs(prop["additionalProperties"], field))


def _direct_refs(prop: Schema) -> list[str]:
    """The definitions a property is (``X``, ``X | Y``, ``X | null``), not those inside its lists or maps."""
    if "$ref" in prop:
        return [prop["$ref"].rsplit("/", 1)[1]]
    return [ref for key in ("anyOf", "oneOf") for option in prop.get(key, []) for ref in _direct_refs(option)]


def _plain_ref(prop: Schema) -> bool:
    """A reference to one object, possibly optional (``X`` or ``X | null``)."""
    if "$ref" in prop:
        return True
    options = [p for p in prop.get("anyOf", []) if p != {"type": "null"}]
    return len(options) == 1 and "$ref" in options[0]


def _number_type(prop: Schema) -> str:
    word = "whole number" if prop["type"] == "integer" else "number"
    low = _bound(prop, "minimum", "exclusiveMinimum", -LARGEST)
    high = _bound(prop, "maximum", "exclusiveMaximum", LARGEST)
    if low and high:
        return f"{word} in {'[' if low[0] else '('}{low[1]}, {high[1]}{']' if high[0] else ')'}"
    if low:
        return f"{word} {'≥' if low[0] else '>'} {low[1]}"
    if high:
        return f"{word} {'≤' if high[0] else '<'} {high[1]}"
    return word


def _bound(prop: Schema, inclusive: str, exclusive: str, unbounded: float) -> tuple[bool, str] | None:
    if inclusive in prop and prop[inclusive] != unbounded:
        return True, number_text(prop[inclusive])
    if exclusive in prop:
        return False, number_text(prop[exclusive])
    return None


def _string_type(prop: Schema) -> str:
    pattern = prop.get("pattern", "")
    if "/" in pattern:
        return "site/item"
    return "name" if pattern else "text"


def _yaml(value: Any) -> str:
    """A default as a scenario writes it: ``0.25``, ``backorder``, ``[]``, ``{A: 0.8, B: 0.95}``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, str):
        return value or '""'
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    return json.dumps(value)


def _text(docstring: str) -> str:
    """A docstring as Markdown: RST's double backquotes become single ones, paragraphs one line each."""
    paragraphs = [" ".join(p.split()) for p in docstring.split("\n\n")]
    return "\n\n".join(paragraphs).replace("``", "`")


def _cell(text: str) -> str:
    return _text(text).replace("\n\n", " ").replace("|", "\\|")
