"""Safe YAML reading that remembers where every value came from.

PyYAML composes the node graph (no object is constructed from tags, so no code runs);
we then build plain dicts, lists and scalars ourselves, recording each path's line and
column, refusing duplicate keys and unknown tags, and capping how far aliases may expand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from simjit.errors import Problem, ScenarioError

__all__ = ["MAX_NODES", "Located", "Path", "parse_yaml"]

Path = tuple[str | int, ...]
MAX_NODES = 200_000
"""Values a document may expand to; a small file whose aliases expand past this is refused."""

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:merge",
}


@dataclass
class Located:
    """Plain data read from YAML, with the (line, column) of every value and key by path."""

    data: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of the value at ``path`` (or of its key), else of the nearest ancestor."""
        table = self.keys if key and path in self.keys else self.values
        for n in range(len(path), -1, -1):
            if path[:n] in table:
                return table[path[:n]]
            if path[:n] in self.values:
                return self.values[path[:n]]
        return None, None


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.out = Located(None)
        self.count = 0
        self.problems: list[Problem] = []
        self.constructor = yaml.SafeLoader("")
        self.active: set[int] = set()

    def problem(self, node: yaml.Node, path: Path, message: str, hint: str | None = None) -> None:
        line, col = _mark(node)
        self.problems.append(Problem(_dotted(path), message, line, col, hint))

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise ScenarioError.single(
                f"the document expands to more than {MAX_NODES:,} values (an alias bomb?)",
                self.file,
                line=_mark(node)[0],
                column=_mark(node)[1],
            )
        self.out.values.setdefault(path, _mark(node))
        if node.tag not in _PLAIN_TAGS:
            self.problem(
                node, path, f"the tag {node.tag!r} is not allowed", "scenarios hold plain data only; remove the tag"
            )
            return None
        if id(node) in self.active:
            self.problem(node, path, "an alias refers to a value that contains it (a cycle)")
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.constructor.construct_object(node, deep=True)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            return self.mapping(node, path)  # type: ignore[arg-type]
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        self.constructor.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, path, "a key must be a plain name, not a list or mapping")
                continue
            key = self.constructor.construct_object(key_node, deep=True)
            key = key if isinstance(key, str) else str(key)
            child = (*path, key)
            if key in result and child in self.out.keys:
                first = self.out.keys[child][0]
                self.problem(
                    key_node, child, f"duplicate key {key!r} (first given on line {first})", "keep one of them"
                )
                continue
            self.out.keys[child] = _mark(key_node)
            result[key] = self.build(value_node, child)
        return result


def _dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse_yaml(text: str, file: str) -> Located:
    """Parse one YAML document into plain data with positions; ScenarioError on any problem."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"this is not valid YAML: {exc.problem or exc.context}"
        if exc.context and exc.problem:
            message += f" ({exc.context})"
        raise ScenarioError.single(
            message, file, line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError.single(f"this is not valid YAML: {exc}", file) from None
    if root is None:
        raise ScenarioError.single(
            "the file is empty; a scenario needs at least name, horizon, items, sites, demand and policies", file
        )
    builder = _Builder(file)
    builder.out.data = builder.build(root, ())
    if builder.problems:
        raise ScenarioError(builder.problems, file)
    return builder.out
