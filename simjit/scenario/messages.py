"""Turn pydantic's validation errors into located, human messages about the user's fields."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from simjit.errors import Problem
from simjit.scenario.distributions import DISTRIBUTION_KINDS, DISTRIBUTION_MISSING_HINTS
from simjit.scenario.overrides import touches
from simjit.scenario.policy_specs import FORECAST_KINDS, ORACLE, POLICY_KINDS
from simjit.scenario.types import number_text
from simjit.scenario.yaml_nodes import Located, Path, dotted

__all__ = ["Bound", "declared_bounds", "dotted", "problems_from", "suggest"]

_FIELD_HINTS = {"on_stockout": "or {wait_up_to: days} for customers who wait a while"}
"""What else a field with a fixed set of words accepts."""
_MISSING_HINTS: dict[tuple[str, ...], str] = {key: hint for key, hint in DISTRIBUTION_MISSING_HINTS.items()}
"""How to fill a required field that people leave out by mistake, by (the mapping's key, field)."""
_MEAN_SD = [kind for kind, field in DISTRIBUTION_MISSING_HINTS if field == "sd"]
"""Distribution kinds written {mean, sd}, in the registry's order."""
_BARE = {ORACLE}
"""Kinds written as a plain word, without parameters."""
_KINDS = {
    "distribution_kind": ("distribution", DISTRIBUTION_KINDS),
    "policy_kind": ("policy", POLICY_KINDS),
    "forecast_kind": ("forecast", FORECAST_KINDS),
}


def suggest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """A 'did you mean' hint for a near miss, or None."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"did you mean {close[0]!r}?" if close else None


def _data_path(data: Any, loc: tuple[int | str, ...]) -> Path:
    """Keep the parts of pydantic's loc that are keys or indexes of the user's data (drop union tags)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_mapping = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_mapping or in_list:
            path.append(part)
            node = node[part]  # type: ignore[index]
    return tuple(path)


def _unknown_kind(kind: str, found: Any) -> tuple[str, str | None]:
    """A distribution, policy or forecast that names no known kind, or is not a one-key mapping."""
    what, kinds = _KINDS[kind]
    written = [k for k in kinds if k != "constant"]
    valid = ("a number, or one of: " if what == "distribution" else "valid kinds: ") + ", ".join(written)
    name = str(next(iter(found))) if isinstance(found, dict) and len(found) == 1 else str(found)
    if isinstance(found, dict) and name in _BARE:
        return f"expected the plain word {name}, got {{{name}: …}}", None
    if isinstance(found, str) and name in written:
        return f"expected {{{name}: …}} with its parameters, got {name!r} alone", None
    if isinstance(found, dict) and len(found) == 1:
        return f"unknown {what} kind {name!r}", suggest(name, written) or valid
    if isinstance(found, str) and (close := suggest(found, written, cutoff=0.7)):
        return f"unknown {what} kind {found!r}", close
    shape = "a number or a one-key mapping" if what == "distribution" else "a one-key mapping"
    if what == "distribution" and isinstance(found, dict) and found and set(found) <= {"mean", "sd"}:
        valid = (
            f"name the kind, e.g. {{{_MEAN_SD[0]}: {{mean: …, sd: …}}}}; {', '.join(_MEAN_SD[1:-1])} and "
            f"{_MEAN_SD[-1]} also take mean, sd"
        )
    return f"expected {shape} naming a {what}, got {_show(found)}", valid


def _show(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        if len(value) == 1:
            return f"{{{next(iter(value))}: …}}"
        return "an empty mapping" if not value else f"a mapping of {len(value)} keys ({', '.join(map(str, value))})"
    if isinstance(value, list):
        return "an empty list" if not value else f"a list of {len(value)} value{'s' if len(value) > 1 else ''}"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _types_at(root: type[BaseModel], loc: tuple[int | str, ...]) -> list[Any]:
    """The declared types a value at pydantic's ``loc`` may have."""
    types_here: list[Any] = [root]
    for part in loc:
        nxt: list[Any] = []
        for t in types_here:
            nxt.extend(_step(t, part))
        types_here = nxt
    return types_here


def _fields_of(root: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The field names allowed at ``loc`` (the mapping that held an unknown key)."""
    names: list[str] = []
    for t in _types_at(root, loc):
        for model in _models(t):
            names += [f.alias or n for n, f in model.model_fields.items()]
    return names


def _exact_length(root: type[BaseModel], loc: tuple[int | str, ...]) -> int | None:
    """The one length the list or mapping at ``loc`` must have, when its field declares
    ``min_length`` equal to ``max_length`` (seven weekly multipliers); None otherwise."""
    if not loc:
        return None
    bounds: list[Any] = []
    for model in (m for t in _types_at(root, loc[:-1]) for m in _models(t)):
        for name, f in model.model_fields.items():
            if loc[-1] in (name, f.alias):
                bounds += [*f.metadata, *_annotated_metadata(f.annotation)]
    low = {m.min_length for m in bounds if getattr(m, "min_length", None) is not None}
    high = {m.max_length for m in bounds if getattr(m, "max_length", None) is not None}
    return next(iter(low)) if len(low) == 1 and low == high else None


Bound = tuple[float, bool]
"""A declared bound and whether a value may reach it (``ge``/``le``) or not (``gt``/``lt``)."""


def declared_bounds(root: type[BaseModel], path: Path) -> tuple[Bound | None, Bound | None]:
    """The lower and upper bounds the models declare for the number at ``path`` (dict keys and list indexes
    stepped through, a kind by its tag); None where the side is open or two union branches disagree."""
    if not path:
        return None, None
    here: list[Any] = [root]
    for part in path[:-1]:  # a kind's key is its tag and its one field at once (``kanban: {containers: …}``)
        here = [s for t in here for s in _step(t, part)]
        here = [f for t in here for f in (_step(t, part) if getattr(t, "tag", None) == part else [t])]
    lows: set[Bound | None] = set()
    highs: set[Bound | None] = set()
    for model in (m for t in here for m in _models(t)):
        for name, f in model.model_fields.items():
            if path[-1] in (name, f.alias):
                found = [*f.metadata, *_annotated_metadata(f.annotation)]
                lows.add(_bound(found, "ge", "gt"))
                highs.add(_bound(found, "le", "lt"))
    return (next(iter(lows)) if len(lows) == 1 else None), (next(iter(highs)) if len(highs) == 1 else None)


def _bound(constraints: list[Any], inclusive: str, exclusive: str) -> Bound | None:
    for c in constraints:
        if getattr(c, inclusive, None) is not None:
            return float(getattr(c, inclusive)), True
        if getattr(c, exclusive, None) is not None:
            return float(getattr(c, exclusive)), False
    return None


def _annotated_metadata(t: Any) -> list[Any]:
    """Constraints written on ``t`` itself (``Annotated[list[…], Field(…)] | None``), not on its items."""
    origin = typing.get_origin(t)
    if origin is typing.Annotated:
        first, *extra = typing.get_args(t)
        own = [c for m in extra for c in (m.metadata if isinstance(m, FieldInfo) else [m])]
        return own + _annotated_metadata(first)
    if origin in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(t) for m in _annotated_metadata(a)]
    return []


def _models(t: Any) -> list[type[BaseModel]]:
    origin = typing.get_origin(t)
    if origin is typing.Annotated:
        return _models(typing.get_args(t)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(t) for m in _models(a)]
    return [t] if isinstance(t, type) and issubclass(t, BaseModel) else []


def _step(t: Any, part: int | str) -> list[Any]:
    origin = typing.get_origin(t)
    if origin is typing.Annotated:
        args = typing.get_args(t)
        tags = [getattr(m, "tag", None) for m in args[1:]]
        if part in tags:
            return [args[0]]
        return _step(args[0], part)
    if origin in (typing.Union, types.UnionType):
        return [s for a in typing.get_args(t) for s in _step(a, part)]
    if origin in (dict, list, tuple):
        return [typing.get_args(t)[-1]] if origin is not tuple else list(typing.get_args(t))
    if isinstance(t, type) and issubclass(t, BaseModel):
        for name, f in t.model_fields.items():
            if part in (name, f.alias):
                return [f.annotation]
        return [t] if part == t.__name__ else []
    return []


def _translate(err: ErrorDetails, found: Any, allowed: list[str], exact: int | None = None) -> tuple[str, str | None]:
    kind, ctx = err["type"], err.get("ctx", {})
    if kind == "missing":
        return "this required field is missing", _MISSING_HINTS.get(tuple(str(p) for p in err["loc"][-2:]))
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        hint = suggest(key, allowed)
        if not hint and allowed:
            hint = "expected one of: " + ", ".join(sorted(allowed))
        return f"unknown field {key!r}", hint
    if kind in _KINDS:
        return _unknown_kind(kind, found)
    bounds = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}
    if kind in bounds:
        limit = next(iter(ctx.values()))
        return f"expected a number {bounds[kind]} {number_text(limit)}, got {_show(found)}", None
    simple = {
        "float_type": "expected a number",
        "int_type": "expected a whole number",
        "string_type": "expected text",
        "bool_type": "expected true or false",
        "dict_type": "expected a mapping",
        "list_type": "expected a list",
        "tuple_type": "expected a list",
        "model_type": "expected a mapping",
        "model_attributes_type": "expected a mapping",
        "int_from_float": "expected a whole number",
    }
    if kind in simple:
        return f"{simple[kind]}, got {_show(found)}", None
    if kind == "finite_number":
        return f"expected a finite number, got {_show(found)}", None
    if kind in ("too_short", "too_long"):
        limit = ctx.get("min_length" if kind == "too_short" else "max_length")
        if limit == 0:
            return f"takes no parameters (write {{}}), got {_show(found)}", None
        entries = "entry" if limit == 1 else "entries"
        size = len(found) if isinstance(found, (list, dict)) else _show(found)
        bound = "exactly" if exact == limit else "at least" if kind == "too_short" else "at most"
        return f"expected {bound} {limit} {entries}, got {size}", None
    if kind == "string_pattern_mismatch":
        if "/" in str(ctx.get("pattern", "")):
            return f"expected site/item, got {_show(found)}", None
        return f"expected a name of letters, digits, '_' or '-', got {_show(found)}", None
    if kind in ("enum", "literal_error"):
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = suggest(found, choices) if isinstance(found, str) else None
        extra = next((_FIELD_HINTS[p] for p in reversed(err["loc"]) if p in _FIELD_HINTS), None)
        return f"expected one of {ctx.get('expected')}, got {_show(found)}", hint or extra
    if kind == "string_too_short":
        return "expected a non-empty text", None
    return err["msg"][0].lower() + err["msg"][1:], None


def problems_from(
    error: ValidationError, located: Located, root: type[BaseModel], overridden: dict[Path, str]
) -> list[Problem]:
    """Located problems for every error pydantic found; union branches that did not apply are pruned."""
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    errors = [(err, _data_path(located.data, err["loc"])) for err in error.errors(include_url=False)]
    real = {path for err, path in errors if err["type"] != "none_required"}
    for err, path in errors:
        if err["type"] == "none_required" and path in real:
            continue
        is_key = bool(err["loc"]) and err["loc"][-1] == "[key]"
        found = path[-1] if is_key else _value_at(located.data, path)
        allowed = _fields_of(root, err["loc"][:-1]) if err["type"] == "extra_forbidden" else []
        if err["type"] == "missing":
            found = None
        exact = _exact_length(root, err["loc"]) if err["type"] in ("too_short", "too_long") else None
        message, hint = _translate(err, found, allowed, exact)
        field = dotted(path) if err["type"] not in ("missing",) else dotted((*path, err["loc"][-1]))
        if (field, message) in seen:
            continue
        seen.add((field, message))
        source = next((f"--set {text}" for p, text in overridden.items() if touches(path, p)), None)
        line, col = (None, None) if source else located.where(path, key=is_key or err["type"] == "extra_forbidden")
        problems.append(Problem(field, message, line, col, hint, source))
    return problems


def _value_at(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data
