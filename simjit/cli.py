"""The ``simjit`` command: parses arguments, calls the layers below, prints. Nothing else."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from simjit import __version__
from simjit.errors import ScenarioError, SimjitError
from simjit.scenario import Scenario, load_scenario, scenario_schema

__all__ = ["app", "main"]

app = typer.Typer(
    name="simjit",
    help="Discrete-event supply chain simulator: JIT versus buffers, under disruptions.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
_state = {"debug": False}

SetOption = Annotated[
    Optional[list[str]],
    typer.Option("--set", help="Override a field: dotted.path=value (repeatable), e.g. --set horizon=730."),
]


@app.callback(invoke_without_command=True)
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    _state["debug"] = debug
    if version:
        out.print(f"simjit {__version__}")
        raise typer.Exit()


def describe(s: Scenario) -> str:
    """One paragraph naming what a valid scenario holds."""
    lines = sum(len(x.lines) for x in s.sites.values())
    points = s.stock_points()
    return (
        f"{s.name!r}: {len(s.items)} items, {len(s.suppliers)} suppliers, {len(s.sites)} sites, "
        f"{len(points)} stock points ({', '.join(f'{a}/{b}' for a, b in points)}), {lines} lines, "
        f"{len(s.events)} events, {len(s.demand)} demand streams; policies: {', '.join(s.policies)} "
        f"(baseline {s.baseline_policy}); {s.horizon:g} days × {s.replications} replications, seed {s.seed}"
    )


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.", show_default=False)],
    set_: SetOption = None,
) -> None:
    """Check scenario files and print what each holds; every problem is listed with file:line:col."""
    failed = 0
    for file in files:
        try:
            s = load_scenario(file, set_ or ())
        except ScenarioError as exc:
            failed += 1
            _print_error(exc)
            continue
        out.print(f"[green]ok[/green] {file}: {describe(s)}")
    if failed:
        raise typer.Exit(2)


@app.command()
def schema(
    output: Annotated[
        Optional[Path], typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of scenario files (for YAML plug-ins of editors)."""
    text = json.dumps(scenario_schema(), indent=2, ensure_ascii=False)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8")
        err.print(f"wrote {output}")


def _print_error(exc: SimjitError) -> None:
    n = len(exc.problems) if isinstance(exc, ScenarioError) else 1
    err.print(f"[red]error[/red]{'s' if n > 1 else ''}:", style="bold", end=" " if n == 1 else "\n")
    err.print(str(exc), markup=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run the app; user errors print without a traceback and return 2."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="simjit")
    except SimjitError as exc:
        if _state["debug"]:
            raise
        _print_error(exc)
        return 2
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0
