"""What the Markdown pages show, harvested so the tests can run it: code blocks, scenario excerpts and
fragments, and ``simjit`` command lines with the output they print.

The conventions a page follows (docs/README.md repeats them for writers):

- a ```yaml block is a whole scenario, unless the line before it says what it is:
  ``<!-- excerpt of PATH -->`` (its text appears, as written, in the scenario file PATH),
  ``<!-- added to PATH -->`` (merged into PATH's scenario, it still validates and plays), or
  ``<!-- not a scenario -->``;
- a ```console block holds ``$ command`` lines (a trailing ``\\`` continues one), each followed by what
  it prints; a ```bash block holds bare command lines. Every ``simjit`` command of a page is run, in
  order, in one folder where ``scenarios/`` and ``docs/`` are the repository's.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.M | re.S)
MARK = re.compile(r"<!--\s*(excerpt of|added to|not a scenario)\s*([^>]*?)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    """A fenced code block: its language, text, where it starts, and the marker on the line before it."""

    page: Path
    line: int
    lang: str
    text: str
    mark: str = ""
    target: str = ""

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


@dataclass(frozen=True)
class Command:
    """A ``simjit`` command of a page, and the output the page shows for it (``None``: none shown)."""

    block: Block
    argv: tuple[str, ...]
    shown: str | None

    @property
    def where(self) -> str:
        return f"{self.block.where}: {shlex.join(self.argv)}"


def pages(folder: Path = ROOT / "docs") -> list[Path]:
    """Every Markdown page under ``folder``, in a stable order."""
    return sorted(folder.rglob("*.md"))


def blocks(page: Path, lang: str | None = None) -> list[Block]:
    """The fenced blocks of a page (of one language if given), each with the marker before it."""
    text = page.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        if lang is not None and match.group(1) != lang:
            continue
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        mark = MARK.search(before)
        line = text.count("\n", 0, match.start()) + 1
        found.append(
            Block(page, line, match.group(1), match.group(2), *(mark.groups() if mark else ("", "")))  # type: ignore[arg-type]
        )
    return found


def commands(page: Path) -> list[Command]:
    """The ``simjit`` commands of a page's console and bash blocks, in page order."""
    found: list[Command] = []
    for block in blocks(page):
        if block.lang == "console":
            found += _console(block)
        elif block.lang in ("bash", "sh"):
            found += [Command(block, argv, None) for argv in _lines(block.text.splitlines())]
    return found


def _console(block: Block) -> list[Command]:
    found: list[Command] = []
    lines = block.text.splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$ "):
            i += 1
            continue
        command = [lines[i][2:]]
        while command[-1].endswith("\\") and i + 1 < len(lines):
            i += 1
            command.append(lines[i])
        j = i + 1
        while j < len(lines) and not lines[j].startswith("$ "):
            j += 1
        argv = _lines([" ".join(c.rstrip("\\").strip() for c in command)])
        if argv:
            found.append(Command(block, argv[0], "\n".join(lines[i + 1 : j]).rstrip("\n")))
        i = j
    return found


def _lines(lines: list[str]) -> list[tuple[str, ...]]:
    """The ``simjit`` command lines among shell lines (continuations joined, comments dropped)."""
    joined, current = [], ""
    for line in lines:
        current += line.rstrip("\\").strip() + " "
        if not line.endswith("\\"):
            joined.append(current.strip())
            current = ""
    return [tuple(shlex.split(line, comments=True)) for line in joined if line.startswith("simjit ")]


def merged(base: dict[str, Any], fragment: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``fragment`` laid over it: mappings merge key by key, anything else is replaced."""
    out = dict(base)
    for key, value in fragment.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def fragment_data(block: Block) -> dict[str, Any]:
    data = yaml.safe_load(block.text)
    assert isinstance(data, dict), f"{block.where}: a YAML block should be a mapping"
    return data
