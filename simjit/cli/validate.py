"""``simjit validate FILE…``: check scenario files, print what each holds, every problem located."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from simjit.cli.console import USAGE_EXIT, out, print_exception, print_warnings, state
from simjit.cli.options import OutsideFiles, Quiet, SetOption
from simjit.cli.params import Arg, Exit
from simjit.errors import ScenarioError

if TYPE_CHECKING:
    from simjit.scenario import Scenario

__all__ = ["scenario_summary", "validate"]


def validate(
    files: Annotated[list[Path], Arg(metavar="FILE", help="Scenario files to check.")],
    set_: SetOption = None,
    allow_outside_files: OutsideFiles = False,
    quiet: Quiet = False,
) -> None:
    """Check scenario files and print what each holds; every problem is listed with file:line:col, and so is
    every warning (what validates but probably does not work as meant; --quiet hides them)."""
    from simjit.scenario import load_scenario  # pydantic: not for `simjit --help`

    failed = 0
    for file in files:
        try:
            s = load_scenario(file, set_ or (), files_anywhere=allow_outside_files)
        except ScenarioError as exc:
            if state["debug"]:
                raise
            failed += 1
            print_exception(exc)
            continue
        out.print("[green]ok[/green]", end=" ")
        out.print(f"{file}: {scenario_summary(s)}", markup=False)
        if not quiet:
            print_warnings(s, str(file))
    if failed:
        raise Exit(USAGE_EXIT)


def scenario_summary(s: Scenario) -> str:
    """One paragraph naming what a valid scenario holds."""
    lines = sum(len(x.lines) for x in s.sites.values())
    points = s.stock_points()
    return (
        f"{s.name!r}: {len(s.items)} items, {len(s.suppliers)} suppliers, {len(s.sites)} sites, "
        f"{len(points)} stock points ({', '.join(f'{a}/{b}' for a, b in points)}), {lines} lines, "
        f"{len(s.events)} events, {len(s.demand)} demand streams; policies: {', '.join(s.policies)} "
        f"(baseline {s.baseline_policy}); {s.horizon:g} days × {s.replications} replications, seed {s.seed}"
    )
