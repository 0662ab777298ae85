"""``simjit plan SCENARIO``: the numbers each policy runs with at the start — Q*, r, safety stock, S,
kanban N and c — with the demand and lead time they assume: what a planner would enter in an ERP."""

from __future__ import annotations

import csv
import json
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from simjit.cli.console import out, print_warnings
from simjit.cli.options import OutsideFiles, Plugins, Policies, Quiet, SetOption, Tuned
from simjit.cli.params import Arg, Opt
from simjit.errors import UsageError

if TYPE_CHECKING:
    from rich.table import Table

    from simjit.experiment.parameters import PlanRow
    from simjit.scenario import Scenario

__all__ = ["plan"]

FORMATS = ("table", "csv", "json")


def plan(
    scenario_file: Annotated[Path, Arg(metavar="SCENARIO", help="The scenario to plan.")],
    policy: Policies = None,
    tuned: Tuned = None,
    set_: SetOption = None,
    format_: Annotated[
        str, Opt("--format", metavar="FORMAT", help="table, or csv or json: one value a line, to copy into an ERP.")
    ] = "table",
    allow_plugins: Plugins = False,
    allow_outside_files: OutsideFiles = False,
    quiet: Quiet = False,
) -> None:
    """Print, per policy set and stock point, the numbers each policy runs with at the start (Q*, r, safety
    factor, S, kanban N and c…), how each was made, the demand and lead time they assume, the safety stock
    and average stock they imply in units and days of demand, and the orders a year. Nothing is played."""
    if format_ not in FORMATS:
        raise UsageError(f"--format {format_}: expected one of {', '.join(FORMATS)}")
    from simjit.cli.tuned import warn_tuned_elsewhere, with_tuned
    from simjit.experiment.parameters import plan_table
    from simjit.scenario import load_scenario

    s = load_scenario(scenario_file, with_tuned(tuned, set_), files_anywhere=allow_outside_files)
    warn_tuned_elsewhere(tuned, s)
    if not quiet:
        print_warnings(s, str(scenario_file))
    rows = plan_table(s, policy, allow_plugins)
    if format_ == "table":
        _show(s, rows)
    else:
        _write(rows, format_)


def _show(s: Scenario, rows: list[PlanRow]) -> None:
    """The plan as a table per policy set, under the scenario's title and over what each column means."""
    from rich.text import Text

    from simjit.cli.tables import fit, titled
    from simjit.experiment.parameters import PLAN_CAPTION, plan_cells

    out.print(Text(f"{s.name} — what each policy runs with at the start", style="table.title"), soft_wrap=False)
    for name in dict.fromkeys(row.policy_set for row in rows):
        cells = [plan_cells(row) for row in rows if row.policy_set == name]
        out.print(titled(f"policy set {name}", fit(out, partial(_table, cells))))
    out.print(Text(PLAN_CAPTION.format(days=f"{s.costs.days_per_year:g}"), style="table.caption"), soft_wrap=False)


def _table(cells: list[tuple[str, ...]], stacked: bool) -> Table:
    """A policy set's rows; ``stacked`` (a narrow terminal): what each assumes under the stock point's name,
    and the numbers' headers and cells on two lines."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from simjit.experiment.parameters import PLAN_COLUMNS

    point, runs, assumes, *numbers = PLAN_COLUMNS
    table = Table(box=box.SIMPLE_HEAD, pad_edge=not stacked)
    for column in (f"{point}, {assumes}", runs) if stacked else (point, runs, assumes):
        table.add_column(column, overflow="fold")
    for column in numbers:
        table.add_column(column.replace(" ", "\n", 1) if stacked else column, justify="right", overflow="fold")
    for c in cells:
        texts = [f"{c[0]}\n{c[2]}", c[1], *c[3:]] if stacked else list(c)
        table.add_row(*(Text(t) for t in texts))  # names are the user's text, never markup
    return table


def _write(rows: list[PlanRow], format_: str) -> None:
    """Every value of the plan, one record each, as CSV or JSON on stdout."""
    from simjit.experiment.parameters import RECORD_FIELDS, plan_records

    records = plan_records(rows)
    if format_ == "json":
        out.file.write(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
        return
    writer = csv.DictWriter(out.file, fieldnames=RECORD_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
