"""The ``simjit`` command: parses arguments, calls the layers below, prints. Nothing else.

One module per command — ``validate``, ``schema``, ``run``, ``sweep``, ``abc``, ``plan``… — each declaring its
options on its function's signature (read by ``params``), calling one function of a lower layer and
rendering what it returns. What they share: ``options`` (flags and help), ``console`` (stdout, stderr,
the error format), ``play`` (run and sweep), and the rendering of results in ``tables``, ``cells``,
``outcome`` and ``progress``.
Heavy layers (experiment, model: pandas, numpy, simpy) are imported inside the commands that
need them, so ``simjit --help`` and ``simjit validate`` start fast.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from typing import NoReturn

from simjit import __version__
from simjit.cli import abc, plan, plot, report, run, schema, sweep, trace, tune, validate
from simjit.cli.console import USAGE_EXIT, err, out, print_exception, print_parser_error, state
from simjit.cli.params import Exit, ParserError, parse, parser
from simjit.errors import SimjitError

__all__ = ["entry", "main"]

COMMANDS = (
    ("validate", validate.validate, "Check scenario files; every problem located."),
    ("schema", schema.schema, "Print the JSON Schema of scenario files."),
    ("run", run.run, "Compare policy sets over common random numbers."),
    ("sweep", sweep.sweep, "Run every point of a parameter grid."),
    ("abc", abc.abc, "ABC classes by annual consumption value."),
    ("plan", plan.plan, "Show the numbers each policy runs with (Q*, r, S, kanban N…)."),
    ("trace", trace.trace, "Play one replication and show what happened."),
    ("plot", plot.plot, "Draw the figures of a finished run."),
    ("report", report.report, "Write the HTML report of a finished run."),
    ("tune", tune.tune, "Find the best settings of one policy set."),
)
DESCRIPTION = "Discrete-event supply chain simulator: JIT versus buffers, under disruptions."


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run the command and return its exit code. Errors of the user's input or options print as
    ``error: …`` without a traceback (``--debug`` shows it) and return 2."""
    state["debug"] = False
    state["argv"] = list(argv) if argv is not None else sys.argv[1:]
    grammar = parser("simjit", DESCRIPTION, COMMANDS)
    try:
        args = parse(grammar, state["argv"])
        state["debug"] = args.pop("debug")
        if args.pop("version"):
            out.print(f"simjit {__version__}")
            return 0
        command = args.pop("command")
        if command is None:  # bare `simjit`: the help, on stderr
            err.print(grammar.format_help(), markup=False, end="")
            return USAGE_EXIT
        command(**args)
    except ParserError as exc:
        print_parser_error(exc.message, exc.command)
        return USAGE_EXIT
    except SimjitError as exc:
        if state["debug"]:
            raise
        print_exception(exc)
        return USAGE_EXIT
    except Exit as exc:
        return exc.code
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


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
