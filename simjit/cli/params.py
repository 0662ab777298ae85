"""The command line's grammar: options and arguments declared on each command's signature, read by argparse.

A command is a typed function; each parameter is ``Annotated[type, Opt(...)]`` or ``Annotated[type, Arg(...)]``
and its default is the option's default (none: required). :func:`parser` turns the commands into one
:mod:`argparse` parser. The standard library's parser starts in a few milliseconds, where typer spent about
60 ms of every command (its import, and pydantic adapters for each option's type).

Types: ``int``, ``float``, ``str``, ``Path``; ``bool`` is a flag; ``list[T]`` is a repeatable option, or an
argument taking one or more values; ``Optional[T]`` is ``T`` with the default ``None``.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
import textwrap
import typing
from collections.abc import Callable, Sequence
from types import NoneType, UnionType
from typing import Any, NoReturn

from simjit.cli.console import encodable

__all__ = ["Arg", "Command", "Exit", "Opt", "ParserError", "parse", "parser"]

Command = Callable[..., None]
_NONE = inspect.Parameter.empty
"""The default of a parameter that has none: a required option or argument."""


class Opt:
    """An option: its flags (``"-o", "--output"``), what its value is (``metavar``) and its help."""

    def __init__(self, *flags: str, help: str, metavar: str | None = None, show_default: bool = True) -> None:
        self.flags, self.help, self.metavar, self.show_default = flags, help, metavar, show_default


class Arg:
    """A positional argument: what it is (``metavar``, also its name in errors) and its help."""

    def __init__(self, *, metavar: str, help: str) -> None:
        self.metavar, self.help = metavar, help


class Exit(Exception):
    """Leave the command with an exit code (its messages are printed already)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class ParserError(Exception):
    """The command line does not parse: ``message``, and the command whose ``--help`` tells how."""

    def __init__(self, message: str, command: str) -> None:
        super().__init__(message)
        self.message, self.command = message, command


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ParserError(message, self.prog)

    def print_help(self, file: Any = None) -> None:
        """The help, with what the stream's encoding cannot hold (…, ±, ×) replaced by '?' on a legacy
        console (``PYTHONIOENCODING=cp1252`` or ascii), where it would fail."""
        stream = file if file is not None else sys.stdout
        stream.write(encodable(self.format_help(), stream))


class _Help(argparse.HelpFormatter):
    """Paragraphs of a docstring wrapped one by one (argparse would run them together), and an option's value
    named once: ``-o, --output DIR``, not ``-o DIR, --output DIR``."""

    def _format_action_invocation(self, action: argparse.Action) -> str:
        if not action.option_strings or action.nargs == 0:
            return super()._format_action_invocation(action)
        return f"{', '.join(action.option_strings)} {self._format_args(action, action.dest.upper())}"

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = re.split(r"\n\s*\n", inspect.cleandoc(text))
        return "\n\n".join(textwrap.fill(" ".join(p.split()), width, initial_indent=indent, subsequent_indent=indent)
                           for p in paragraphs)  # fmt: skip


class _Command(_Parser):
    """One sub-command, its options read from its function's signature the first time it parses or shows its
    help: a command line reads one signature, not nine (about 5 ms of 8)."""

    def __init__(self, *args: Any, function: Command, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.function: Command | None = function
        self.set_defaults(command=function, command_parser=self)

    def _fill(self) -> None:
        if self.function is None:
            return
        params, self.function = _params(self.function), None
        needed = " ".join(
            f"{m.flags[-1]} {m.metavar}" for _, m, d in params.values() if isinstance(m, Opt) and d is _NONE
        )
        arguments = " ".join(
            f"{m.metavar}..." if typing.get_origin(kind) is list else m.metavar
            for kind, m, _ in params.values() if isinstance(m, Arg)
        )  # fmt: skip
        self.usage = " ".join(filter(None, (self.prog, needed, "[OPTIONS]", arguments)))
        for name, (kind, meta, default) in params.items():
            _add(self, name, kind, meta, default)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        self._fill()
        return super().parse_known_args(*args, **kwargs)

    def format_help(self) -> str:
        self._fill()
        return super().format_help()


def parser(prog: str, description: str, commands: Sequence[tuple[str, Command, str]]) -> argparse.ArgumentParser:
    """The parser of ``prog COMMAND …``: one sub-command per ``(name, function, one-line summary)``; the parsed
    namespace holds ``command`` (the function) and one attribute per parameter."""
    root = _Parser(prog=prog, description=description, formatter_class=_Help, allow_abbrev=False)
    root.add_argument("--debug", action="store_true", help="Show Python tracebacks on errors.")
    root.add_argument("--version", action="store_true", help="Print the version and exit.")
    sub = root.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Command)
    for name, function, summary in commands:
        sub.add_parser(
            name, help=summary, description=function.__doc__, formatter_class=_Help, allow_abbrev=False,
            function=function,
        )  # fmt: skip
    return root


def parse(grammar: argparse.ArgumentParser, argv: Sequence[str]) -> dict[str, Any]:
    """The parsed command line as ``{"command": function or None, "debug": …, "version": …, parameter: value…}``;
    ParserError names the sub-command whose help to read when an option is unknown."""
    namespace, extra = grammar.parse_known_args(argv)
    found = vars(namespace)
    command = found.pop("command_parser", grammar)
    if "--debug" in extra:  # also after the command: `simjit run x.yaml --debug`
        found["debug"] = True
        extra = [a for a in extra if a != "--debug"]
    if extra:
        what = "no such option" if extra[0].startswith("-") else "unexpected argument"
        raise ParserError(f"{what}: {extra[0]}", command.prog)
    found.setdefault("command", None)
    return found


def _params(function: Command) -> dict[str, tuple[Any, Opt | Arg, Any]]:
    """Each parameter of a command: its type, its Opt or Arg, and its default (``inspect.Parameter.empty``)."""
    hints = typing.get_type_hints(function, include_extras=True)
    out = {}
    for name, p in inspect.signature(function).parameters.items():
        kind, *extras = typing.get_args(hints[name])
        meta = next(m for m in extras if isinstance(m, (Opt, Arg)))
        out[name] = (kind, meta, p.default)
    return out


def _add(command: argparse.ArgumentParser, name: str, kind: Any, meta: Opt | Arg, default: Any) -> None:
    required = default is _NONE
    if typing.get_origin(kind) in (typing.Union, UnionType):  # Optional[T]
        kind = next(k for k in typing.get_args(kind) if k is not NoneType)
    many = typing.get_origin(kind) is list
    value_type = typing.get_args(kind)[0] if many else kind
    shown = isinstance(meta, Opt) and meta.show_default and not required and default not in (None, False)
    text = f"{meta.help} [default: {default}]" if shown else meta.help
    text = f"{text} [required]" if required and isinstance(meta, Opt) else text
    text = text.replace("%", "%%")  # argparse formats help with %
    if isinstance(meta, Arg):
        command.add_argument(name, metavar=meta.metavar, type=value_type, nargs="+" if many else None, help=text)
    elif value_type is bool:
        command.add_argument(*meta.flags, dest=name, action="store_true", help=text)
    else:
        command.add_argument(
            *meta.flags, dest=name, type=value_type, metavar=meta.metavar, help=text, required=required,
            action="append" if many else "store", default=None if required else default,
        )  # fmt: skip
