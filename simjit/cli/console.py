"""Where the command writes, and the one format of every error it reports.

Results go to stdout, everything else (progress, notes, errors) to stderr. An error is one line
``error: <message>``; a scenario with several problems is ``error: N problems:`` then one
compiler-style line per problem (``file:line:col: field: message``, unindented so editors can
jump to them). Bad input and bad usage — ours or the option parser's — exit with code 2.
"""

from __future__ import annotations

import os
import shlex
import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console

from simjit.errors import ScenarioError, SimjitError

if TYPE_CHECKING:
    from simjit.scenario.models import Scenario

__all__ = [
    "USAGE_EXIT",
    "command_line",
    "encodable",
    "err",
    "out",
    "print_error",
    "print_exception",
    "print_parser_error",
    "print_warnings",
    "state",
]

USAGE_EXIT = 2
"""Exit code of bad input or bad usage (a scenario error, an unknown option…)."""

MIN_WIDTH = 40
"""A ``COLUMNS`` narrower than this is taken for unknown, and tables are drawn 80 wide (rich's width when it
cannot tell): at ``COLUMNS=0`` rich prints nothing at all, and below about 40 no table of KPIs can be read."""


class _Stream:
    """``sys.stdout`` or ``sys.stderr`` as it is at each write (pytest and rich's live display replace them), with
    what its encoding cannot hold replaced by '?': on a legacy console (``PYTHONIOENCODING=cp1252``) a scenario
    named "Zürich → 東京" prints as "Zürich ? ??" instead of failing after the run has finished."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _stream(self) -> Any:
        stream = getattr(sys, self.name)
        return getattr(stream, "rich_proxied_file", stream)

    def write(self, text: str) -> int:
        stream = self._stream()
        if stream is None:  # pythonw: no console at all
            return len(text)
        try:
            return int(stream.write(text))
        except UnicodeEncodeError:
            return int(stream.write(encodable(text, stream)))

    def __getattr__(self, name: str) -> Any:
        if name == "rich_proxied_file":  # rich would write to the stream behind us, past the replacement
            raise AttributeError(name)
        return getattr(self._stream(), name)


def encodable(text: str, stream: Any) -> str:
    """``text`` with every character ``stream``'s encoding lacks replaced by '?'."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    return text.encode(encoding, "replace").decode(encoding)


def _width() -> int | None:
    """The width to draw at: rich's own choice (``COLUMNS``, else the terminal's), or 80 if ``COLUMNS`` is too narrow."""
    columns = os.environ.get("COLUMNS", "")
    return 80 if columns.isdigit() and int(columns) < MIN_WIDTH else None


out = Console(file=_Stream("stdout"), width=_width(), highlight=False, soft_wrap=True, emoji=False)  # type: ignore[arg-type]
err = Console(file=_Stream("stderr"), width=_width(), highlight=False, soft_wrap=True, emoji=False)  # type: ignore[arg-type]
state: dict[str, Any] = {"debug": False, "argv": None}
"""``--debug`` of this call, and its arguments (for the command line a resume repeats)."""


def print_error(message: str, problems: int = 1) -> None:
    """``error: message``, or ``error: N problems:`` and the message's lines under it."""
    if problems > 1:
        err.print(f"[red]error[/red]: {problems} problems:", style="bold")
        err.print(message, markup=False)
    else:
        err.print("[red]error[/red]:", style="bold", end=" ")
        err.print(message, markup=False)


def print_warnings(scenario: Scenario, file: str) -> None:
    """``warning: file:line:col: field: message (hint)`` for each thing the scenario probably did not mean."""
    for problem in scenario.warnings:
        err.print("[yellow]warning[/yellow]:", end=" ")
        err.print(problem.format(file), markup=False)


def print_exception(exc: SimjitError) -> None:
    """A simjit error, every problem of a scenario error listed."""
    print_error(str(exc), len(exc.problems) if isinstance(exc, ScenarioError) else 1)


def print_parser_error(message: str, command_path: str | None) -> None:
    """An error of the option parser (a missing argument, an unknown option…) in our format,
    with where to read the options: ``error: no such option: --bogus (see 'simjit run --help')``."""
    text = message.strip().rstrip(".")
    if text[:2].istitle():  # "Missing argument" → "missing argument", but not "URL" or "--seed"
        text = text[0].lower() + text[1:]
    print_error(f"{text} (see '{command_path} --help')" if command_path else text)


def command_line(resume: bool = False) -> str:
    """The command as typed, for a user to run again (with ``--resume`` added if asked)."""
    args = list(state["argv"] if state["argv"] is not None else sys.argv[1:])
    if resume and "--resume" not in args:
        args.append("--resume")
    return shlex.join(["simjit", *args])
