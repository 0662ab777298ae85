"""``--set dotted.path=value`` overrides and sweep points, applied to the raw data before validation."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path as FilePath
from typing import Any

import yaml

from simjit.errors import Problem, ScenarioError
from simjit.scenario.yaml_nodes import Path, dotted, parse_value

__all__ = ["apply_overrides", "assignments_text", "parse_assignment", "parse_path", "read_assignments", "touches"]


def parse_path(dotted: str) -> Path:
    """``suppliers.pads_asia.disruptions[0].start`` (or ``…disruptions.0.start``) → a data path."""
    parts: list[str | int] = []
    for chunk in dotted.replace("]", "").replace("[", ".").split("."):
        if chunk == "":
            raise ValueError(f"empty part in {dotted!r}")
        parts.append(int(chunk) if chunk.isdigit() else chunk)
    return tuple(parts)


def parse_assignment(text: str) -> tuple[Path, Any]:
    """``path=value``, the value read as YAML (``3``, ``0.5``, ``[1, 2]``, ``{poisson: 4}``) exactly as the
    same text in a scenario file is: ``{poisson: 1e1}`` is 10, a duplicate key or ``010`` is refused."""
    if not isinstance(text, str):
        raise ScenarioError([Problem("", f"expected a text dotted.path=value, got {text!r}", source=f"--set {text}")])
    if "=" not in text:
        raise ScenarioError([Problem("", "expected dotted.path=value", source=f"--set {text}")])
    left, right = text.split("=", 1)
    try:
        path = parse_path(left.strip())
    except ValueError as exc:
        raise ScenarioError([Problem(left.strip(), f"cannot read this path: {exc}", source=f"--set {text}")]) from None
    try:
        value = parse_value(right, path) if right.strip() else ""
    except yaml.YAMLError as exc:
        reason = exc.problem if isinstance(exc, yaml.MarkedYAMLError) and exc.problem else type(exc).__name__
        raise ScenarioError(
            [Problem(dotted(path), f"cannot read the value {right!r} as YAML: {reason}", source=f"--set {text}")]
        ) from None
    except ScenarioError as exc:
        raise ScenarioError([replace(p, source=f"--set {text}") for p in exc.problems]) from None
    return path, value


def apply_overrides(data: dict[str, Any], assignments: Iterable[str]) -> tuple[dict[str, Any], dict[Path, str]]:
    """A copy of ``data`` with each assignment applied, and which path each came from."""
    out = copy.deepcopy(data)
    origin: dict[Path, str] = {}
    for text in assignments:
        pattern, value = parse_assignment(text)
        for path in _matches(out, pattern, text):
            _assign(out, path, value, text)
            origin[path] = text
    return out, origin


def _matches(data: dict[str, Any], pattern: Path, text: str) -> list[Path]:
    """The paths a pattern names: itself, or with each ``*`` every entry there (``demand.*.timing``
    is the timing of every demand entry); a ``*`` that matches nothing is refused."""
    paths: list[Path] = [()]
    for part in pattern:
        if part != "*":
            paths = [(*p, part) for p in paths]
            continue
        wider: list[Path] = []
        for p in paths:
            node = _at(data, p)
            keys = list(node) if isinstance(node, dict) else range(len(node)) if isinstance(node, list) else []
            wider += [(*p, k) for k in keys]
        if not wider:
            where = dotted(tuple(paths[0])) if paths else ""
            raise ScenarioError([Problem(where, "'*' matches no entry here", source=f"--set {text}")])
        paths = wider
    return paths


def _at(data: Any, path: Path) -> Any:
    node = data
    for part in path:
        node = _child(node, part)
    return node


def _assign(out: dict[str, Any], path: Path, value: Any, text: str) -> None:
    """Set ``path`` in ``out`` to a copy of ``value``, making the mappings on the way."""
    node: Any = out
    for i, part in enumerate(path[:-1]):
        nxt = _child(node, part)
        if nxt is None:
            if isinstance(node, dict):
                node[part] = {}
                nxt = node[part]
            else:
                where = dotted(path[: i + 1])
                raise ScenarioError([Problem(where, "there is no such entry to change", source=f"--set {text}")])
        node = nxt
    last = path[-1]
    if not _settable(node, last):
        raise ScenarioError([Problem(dotted(path), "there is no such entry to change", source=f"--set {text}")])
    node[last] = copy.deepcopy(value)


def _settable(node: Any, key: str | int) -> bool:
    """Whether ``node[key] = value`` changes an entry of the scenario (a mapping's, or a list's existing one)."""
    return isinstance(node, dict) or (isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node))


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def touches(path: Path, override: Path) -> bool:
    """Whether a problem at ``path`` comes from an override of ``override`` (the same entry, one
    inside it, or an entry the override created on its way, like a misspelt supplier name)."""
    n = min(len(path), len(override))
    return n > 0 and path[:n] == override[:n]


def assignments_text(assignments: Mapping[str, Any], comment: str = "") -> str:
    """``--set`` assignments as a YAML mapping of dotted paths (a scenario fragment), ``comment`` on top."""
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    return head + yaml.safe_dump(dict(assignments), sort_keys=False, allow_unicode=True)


def read_assignments(file: FilePath) -> list[str]:
    """The ``--set`` assignments of a fragment written by :func:`assignments_text` (``path=value`` each)."""
    source = f"--tuned {file.parent}"
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError([Problem("", f"cannot read {file}: {exc.strerror or exc}", source=source)]) from None
    except yaml.YAMLError:
        raise ScenarioError([Problem("", f"{file} is not YAML", source=source)]) from None
    if not isinstance(data, dict) or not data:
        raise ScenarioError([Problem("", f"{file} holds no mapping of dotted.path: value", source=source)])
    return [f"{key}={json.dumps(value)}" for key, value in data.items()]
