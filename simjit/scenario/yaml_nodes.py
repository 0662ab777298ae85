"""Safe YAML reading that remembers where every value came from.

PyYAML composes the node graph (no object is constructed from tags, so no code runs);
we then build plain dicts, lists and scalars ourselves, recording each path's line and
column, refusing duplicate keys and unknown tags, and capping how far aliases may expand.

One reading on every machine and for every reader: a text holding a tab is composed by the
pure-Python parser (libyaml accepts tabs it refuses), and plain scalars that YAML 1.1 and
YAML 1.2 read differently (``010``: 8 or 10; ``1:30``: 90 or text; ``on``: true or text) are
refused, located, with both ways of writing what was meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from simjit.errors import Problem, ScenarioError

__all__ = ["EXPONENT_NUMBER", "MAX_NODES", "Located", "Path", "dotted", "parse_value", "parse_yaml"]

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
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
EXPONENT_NUMBER = re.compile(r"[-+]?(\d[\d_]*(\.\d*)?|\.\d+)[eE][-+]?\d+")
"""Plain scalars YAML 1.1 reads as text for want of a dot or a sign in the exponent (1e9, 2E-3)."""
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT, _FLOAT, _BOOL, _NULL = (f"tag:yaml.org,2002:{kind}" for kind in ("int", "float", "bool", "null"))
_COLLECTION_TAGS = {"a list": "tag:yaml.org,2002:seq", "a mapping": "tag:yaml.org,2002:map"}
_NULL_WORDS = {"", "~", "null", "Null", "NULL"}
_OCTAL = re.compile(r"[-+]?0[0-7_]+")
"""What YAML 1.1 reads as an octal number (``010`` is 8); YAML 1.2 and every person read 10."""
_LEADING_ZERO = re.compile(r"[-+]?0[0-9][0-9_]*")
"""Digits after a leading zero that are not octal (``09``): text to YAML 1.1, 9 to YAML 1.2."""
_FAST_COMPOSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML was built with it (ten times faster: a third of ``validate``'s work on
a large scenario); the same nodes, tags and positions. An error is read again by the pure-Python
parser, so its message is the same on every machine."""


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
    def __init__(self, file: str, located: bool = True) -> None:
        self.file = file
        self.located = located
        self.out = Located(None)
        self.count = 0
        self.problems: list[Problem] = []
        self.constructor = yaml.SafeLoader("")
        self.active: set[int] = set()

    def problem(self, node: yaml.Node, path: Path, message: str, hint: str | None = None) -> None:
        line, col = _mark(node) if self.located else (None, None)
        self.problems.append(Problem(dotted(path), message, line, col, hint))

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise ScenarioError.single(
                f"the document expands to more than {MAX_NODES:,} values",
                self.file,
                hint="an alias bomb? aliases (*name) and merge keys (<<) may not repeat values this often",
            )
        self.out.values.setdefault(path, _mark(node))
        if node.tag == _TIMESTAMP and isinstance(node, yaml.ScalarNode):
            return node.value
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(node, path, f"the tag {tag} is not allowed", "scenarios hold plain data only; remove the tag")
            return None
        if id(node) in self.active:
            line, col = self.out.keys.get(path, _mark(node))
            self.problems.append(
                Problem(dotted(path), "an alias refers to a value that contains it (a cycle)", line, col)
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            plain = not node.style  # None from PyYAML, "" from libyaml
            surprise = _yaml11_surprise(node) if plain else None
            if surprise is not None:
                self.problem(node, path, *surprise)
                return None
            if plain and node.tag == _STR and EXPONENT_NUMBER.fullmatch(node.value):
                return float(node.value)  # 1e9: a number in YAML 1.2 and to every reader, text in YAML 1.1
            return self.scalar(node, path)
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
        if node.tag != _COLLECTION_TAGS[kind]:  # !!str [1], !!map [1]
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(node, path, f"the tag {tag} does not fit {kind}", "remove the tag")
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            return self.mapping(node, path)  # type: ignore[arg-type]
        finally:
            self.active.discard(id(node))

    def scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        """The value of a scalar, or None and a problem where its tag cannot read it (``!!int 1.5``)."""
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        try:
            if node.tag == _NULL and node.value not in _NULL_WORDS:
                raise ValueError(node.value)
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, KeyError, TypeError, OverflowError):
            self.problem(node, path, f"the tag {tag} does not fit the value {node.value!r}", "remove the tag")
            return None

    def key(self, node: yaml.ScalarNode, path: Path) -> str | None:
        """A mapping's key as the name it is, or None and a problem: a key YAML reads as true or false
        (``on:``, ``no:``) is refused, any other key is the text as written (``010:`` is '010', not 8)."""
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(node, path, f"the tag {tag} is not allowed", "scenarios hold plain data only; remove the tag")
            return None
        if node.tag == _BOOL and not node.style:
            meaning = "true" if node.value.lower() in ("true", "yes", "on") else "false"
            self.problem(
                node,
                (*path, node.value),
                f"the key {node.value} reads as {meaning} in YAML, not as the name {node.value!r}",
                f"quote it: '{node.value}'",
            )
            return None
        if node.tag in (_STR, _TIMESTAMP):
            return node.value
        before = len(self.problems)
        self.scalar(node, path)  # an explicit tag must still read its value (!!int x)
        return node.value if len(self.problems) == before else None

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        explicit: dict[Any, Any] = {}
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, path, "a key must be a plain name, not a list or mapping")
                continue
            key = self.key(key_node, path)
            if key is None:
                continue
            child = (*path, key)
            if key in explicit:
                first = self.out.keys.get(child, _mark(key_node))[0]
                given = f" (first given on line {first})" if self.located else ""
                self.problem(key_node, child, f"duplicate key {key!r}{given}", "keep one of them")
                continue
            self.out.keys.setdefault(child, _mark(key_node))
            explicit[key] = self.build(value_node, child)
        return {**self.merged(merges, path), **explicit}

    def merged(self, merges: list[yaml.Node], path: Path) -> dict[Any, Any]:
        """The keys brought in by ``<<: *anchor`` (or a list of them; earlier ones win), built and counted."""
        out: dict[Any, Any] = {}
        for value_node in merges:
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    self.problem(source, path, "a merge key (<<) takes a mapping or a list of mappings")
                    continue
                built = self.build(source, path)
                for key, value in (built or {}).items():
                    out.setdefault(key, value)
        return out


def _yaml11_surprise(node: yaml.ScalarNode) -> tuple[str, str] | None:
    """(message, hint) for a plain scalar YAML 1.1 (PyYAML, libyaml) reads otherwise than YAML 1.2 and
    people do — a leading zero (``010`` is 8), base 60 (``1:30`` is 90), ``yes``/``no``/``on``/``off`` as
    true or false — or None. Refused rather than guessed: the same file must mean one thing to every reader."""
    text, tag = node.value, node.tag
    if (tag == _INT and _OCTAL.fullmatch(text)) or (tag == _STR and _LEADING_ZERO.fullmatch(text)):
        decimal = int(text.replace("_", ""), 10)
        read = f"the octal number {int(text.replace('_', ''), 8)}" if tag == _INT else "text"
        return (
            f"{text} has a leading zero, so YAML 1.1 reads it as {read}, not {decimal}",
            f"write {decimal} or '{text}'",
        )
    if tag in (_INT, _FLOAT) and ":" in text:
        sixty = yaml.SafeLoader("").construct_object(node)
        return (
            f"YAML 1.1 reads {text} as a number in base 60 ({sixty:g}), YAML 1.2 as text",
            f"write {sixty:g}, or quote it: '{text}'",
        )
    if tag == _BOOL and text.lower() in ("yes", "no", "on", "off"):
        meaning = "true" if text.lower() in ("yes", "on") else "false"
        return f"YAML 1.1 reads {text} as {meaning}, YAML 1.2 as the text {text!r}", f"write {meaning} or '{text}'"
    return None


def dotted(path: Path) -> str:
    """``('demand', 0, 'at')`` → ``demand[0].at``: a data path as the user writes it."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _syntax_error(exc: yaml.MarkedYAMLError, file: str) -> ScenarioError:
    """PyYAML's complaint, where the reader should look, and a hint for the usual slips."""
    mark = exc.problem_mark or exc.context_mark
    if exc.context == "expected a single document in the stream":
        return ScenarioError.single(
            "a scenario file holds one YAML document; found a second one ('---')",
            file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint="remove the '---' line or split the file",
        )
    message = f"this is not valid YAML: {exc.problem or exc.context}"
    if exc.context and exc.problem:
        started = exc.context_mark
        if started is not None and mark is not None and started.line != mark.line:
            message += f" ({exc.context} that starts on line {started.line + 1})"
        else:
            message += f" ({exc.context})"
    problem = exc.problem or ""
    hint = None
    if "'\\t'" in problem:
        message, hint = (_tab(mark) if mark is not None else None) or (message, "indent with spaces, not tabs")
    elif "expected ',' or" in problem:
        hint = "is a '[' or '{' left open?"
    elif "mapping values are not allowed" in problem:
        hint = "quote a value that holds ': ', or check the indentation"
    elif "<block end>" in problem:
        hint = "check the indentation"
    return ScenarioError.single(
        message, file, line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None, hint=hint
    )


def _tab(mark: yaml.Mark) -> tuple[str, str] | None:
    """A tab past the indentation, outside quotes (``key:<tab>1``): libyaml would take it, the pure-Python
    parser does not, and simjit refuses it on every machine alike; None for a tab in the indentation."""
    before = mark.buffer[mark.pointer - mark.column : mark.pointer] if mark.buffer else ""
    if not before.strip(" \t"):
        return None
    return "this is not valid YAML: a tab outside quotes", "replace it with spaces, or quote the text that holds it"


def parse_yaml(text: str, file: str) -> Located:
    """Parse one YAML document into plain data with positions; ScenarioError on any problem.

    Sizes are checked before the document is composed (pure-Python PyYAML reads about 40,000 values a
    second): a file of a million values is refused at once, not after half a minute and gigabytes."""
    values = text.count(",") + text.count("\n")
    if values > MAX_NODES:
        raise ScenarioError.single(
            f"the file holds about {values:,} values (commas and lines); a scenario holds at most {MAX_NODES:,}",
            file,
            hint="long series of numbers belong in a CSV file read with trace: FILE.csv",
        )
    try:
        return _parse(text, file)
    except RecursionError:
        raise ScenarioError.single(
            "the document is nested too deeply to read (hundreds of levels of lists or mappings)",
            file,
            hint="a scenario needs a few levels; is a '[' or '{' repeated by mistake?",
        ) from None


def _compose(text: str, composer: type[yaml.SafeLoader]) -> yaml.Node | None:
    loader = composer(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _root(text: str) -> yaml.Node | None:
    """The document's nodes, composed by libyaml where it agrees with the pure-Python parser: a text
    holding a tab goes to the pure-Python parser only, since libyaml accepts tabs (``key:<tab>1``, a tab
    before a value) that the other refuses, and a file valid on one machine would not be on another.
    An error is raised by the pure-Python parser, whose messages the hints know."""
    if "\t" not in text:
        try:
            root = _compose(text, _FAST_COMPOSER)
        except (yaml.YAMLError, UnicodeError):
            root = None
        if root is not None:
            return root
    return _compose(text, yaml.SafeLoader)


def _parse(text: str, file: str) -> Located:
    try:
        root = _root(text)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, file) from None
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


def parse_value(text: str, path: Path = ()) -> Any:
    """A value written on the command line (``--set``, ``--vary``), read as the same text in a file is:
    the same numbers (``{poisson: 1e1}``), the same refusals (duplicate keys, tags, ``010``). Problems
    are named by ``path`` and the path below it, without a line; nothing written (or a comment) is None.
    A text that is not YAML raises :class:`yaml.YAMLError` (the pure-Python parser's)."""
    builder = _Builder("", located=False)
    try:
        root = _root(text)
        data = None if root is None else builder.build(root, path)
    except RecursionError:
        raise ScenarioError([Problem(dotted(path), "the value is nested too deeply to read")]) from None
    if builder.problems:
        raise ScenarioError(builder.problems)
    return data
