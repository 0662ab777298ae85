"""The ``simjit`` command: parses arguments, calls the layers below, prints. Nothing else.

One module per command — ``validate``, ``schema``, ``run``, ``sweep``, ``abc`` — each parsing its
options, calling one function of a lower layer and rendering what it returns. What they share:
``options`` (flags and help), ``console`` (stdout, stderr, the error format), ``play`` (run and
sweep), and the rendering of results in ``tables``, ``cells``, ``outcome`` and ``progress``.
Heavy layers (experiment, model: pandas, numpy, simpy) are imported inside the commands that
need them, so ``simjit --help`` and ``simjit validate`` start fast.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from typing import Annotated, NoReturn

import typer

from simjit import __version__
from simjit.cli import abc, plot, report, run, schema, sweep, trace, tune, validate
from simjit.cli.console import USAGE_EXIT, out, print_exception, print_parser_error, state
from simjit.errors import SimjitError

__all__ = ["app", "entry", "main"]

app = typer.Typer(
    name="simjit",
    help="Discrete-event supply chain simulator: JIT versus buffers, under disruptions.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # plain help: typer's boxed help imports rich.markdown and rich.traceback (70 ms)
)

ParserError: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
"""The option parser's error class (a missing argument, an unknown option…). Found through the public
``typer.BadParameter``: recent typer ships its own copy of click (``typer._click``), older typer uses click."""


@app.callback(invoke_without_command=True)
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    state["debug"] = debug
    if version:
        out.print(f"simjit {__version__}")
        raise typer.Exit()


for name, command, short in (
    ("validate", validate.validate, "Check scenario files; every problem located."),
    ("schema", schema.schema, "Print the JSON Schema of scenario files."),
    ("run", run.run, "Compare policy sets over common random numbers."),
    ("sweep", sweep.sweep, "Run every point of a parameter grid."),
    ("abc", abc.abc, "ABC classes by annual consumption value."),
    ("trace", trace.trace, "Play one replication and show what happened."),
    ("plot", plot.plot, "Draw the figures of a finished run."),
    ("report", report.report, "Write the HTML report of a finished run."),
    ("tune", tune.tune, "Find the best settings of one policy set."),
):
    app.command(name, short_help=short)(command)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run the app and return its exit code. Errors of the user's input or options print as
    ``error: …`` without a traceback (``--debug`` shows it) and return 2."""
    state["debug"] = False
    state["argv"] = list(argv) if argv is not None else sys.argv[1:]
    try:
        code = app(args=state["argv"], prog_name="simjit", standalone_mode=False)
    except SimjitError as exc:
        if state["debug"]:
            raise
        print_exception(exc)
        return USAGE_EXIT
    except ParserError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `simjit`: the help, on stderr
            exc.show()  # type: ignore[attr-defined]
        else:
            ctx = getattr(exc, "ctx", None)
            print_parser_error(exc.format_message(), ctx.command_path if ctx is not None else None)  # type: ignore[attr-defined]
        return int(getattr(exc, "exit_code", USAGE_EXIT))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return code if isinstance(code, int) else 0


def entry() -> NoReturn:
    """The ``simjit`` console script and ``python -m simjit``: :func:`main` in a process of its own.

    Start-up makes long-lived objects (modules, models, the scenario) and little garbage, so the cyclic
    collector runs in larger batches (every 50,000 new objects, not 700); at exit everything is frozen,
    so the interpreter's last collection does not walk it all again (70 ms of ``validate``). Only here:
    a notebook or a test calling :func:`main` keeps Python's defaults, and no garbage of theirs is frozen."""
    gc.set_threshold(50_000, 20, 100)
    code = main()
    gc.freeze()
    sys.exit(code)
