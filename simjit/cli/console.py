"""Where the command writes, and the one format of every error it reports.

Results go to stdout, everything else (progress, notes, errors) to stderr. An error is one line
``error: <message>``; a scenario with several problems is ``error: N problems:`` then one
compiler-style line per problem (``file:line:col: field: message``, unindented so editors can
jump to them). Bad input and bad usage — ours or the option parser's — exit with code 2.
"""

from __future__ import annotations

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

out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
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
