"""What a run did, printed: the tables on stdout; the precision reached, failed tasks and files written on stderr."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from simjit.cli.console import command_line, err, out, print_error
from simjit.cli.options import PlayOptions
from simjit.cli.tables import kpi_tables, reference_table, resilience_tables, sweep_table
from simjit.experiment.cells import HEADLINE, marks_caption, sweep_kpis
from simjit.experiment.study import Study

__all__ = ["SHOWN_FAILURES", "next_steps", "report"]

SHOWN_FAILURES = 10


def report(outcome: Any, study: Study, o: PlayOptions, print_files: bool) -> None:
    """The tables of a finished run (a sweep: a table per KPI), then notes on stderr."""
    names = list(outcome.plan.policies)
    if len(outcome.summary):
        if study.swept:
            swept = o.kpi or sweep_kpis(study.base)
            for kpi in swept:
                out.print(sweep_table(out, study.base, outcome, kpi, names), soft_wrap=False)
            if len(names) > 1:
                out.print(marks_caption(len(names)), style="table.caption", markup=False, soft_wrap=False)
            if o.reference is not None:
                _references(outcome, study, swept, o.reference, names)
        else:
            kpis = list(o.kpi or HEADLINE)
            tables, hidden = kpi_tables(out, study.base, outcome, kpis, names, study.baseline, hide_zeros=not o.kpi)
            for table in tables:
                out.print(table, soft_wrap=False)
            if hidden:
                note = f"zero or without a value in every replication, not shown: {', '.join(hidden)}"
                out.print(note, markup=False, soft_wrap=False)
            for table in resilience_tables(out, study.base, outcome, names) if len(outcome.resilience) else []:
                out.print(table, soft_wrap=False)
    if outcome.precision is not None:
        _precision(outcome, study.swept, o.max_replications)
    if outcome.failures:
        _failures(outcome, print_files)
    if print_files:
        for path in outcome.files:
            err.print(f"wrote {path}")


def _references(outcome: Any, study: Study, kpis: Sequence[str], reference: str, names: list[str]) -> None:
    """Per KPI: every point against the reference point, paired by replication."""
    from simjit.experiment import sweep_reference_table

    results = outcome.results()
    for kpi in kpis:
        table = sweep_reference_table(results, kpi, reference)
        out.print(reference_table(out, study.base, table, kpi, names, outcome.plan.replications), soft_wrap=False)


def _precision(outcome: Any, swept: bool, cap: int) -> None:
    w = outcome.precision
    where = f"{w.policy}" + (f" at {w.variant}" if swept else "")
    reached = "reached" if w.ratio <= 1 else f"[yellow]not reached[/yellow] (cap {cap})"
    err.print(
        f"precision {reached} after {outcome.plan.replications} replications: widest CI ±{w.relative:.2%} of "
        f"the mean ({where}, {w.kpi}; target ±{w.target:.2%})"
    )


def _failures(outcome: Any, print_files: bool) -> None:
    """The error line, the first failed tasks, and where the tracebacks are and how to complete the run."""
    n = len(outcome.failures)
    print_error(f"{n} of {outcome.tasks_total} tasks failed; the others are saved")
    for failure in outcome.failures[:SHOWN_FAILURES]:
        err.print(f"  {failure.describe()}", markup=False)
    if n > SHOWN_FAILURES:
        err.print(f"  … and {n - SHOWN_FAILURES} more")
    if print_files:
        err.print(f"tracebacks in {outcome.directory / 'failures.json'}; after a fix, complete the run with:")
        err.print(f"  {command_line(resume=True)}", markup=False)


def next_steps(file: Path, study: Study, output: Path | None, report_path: Path | None) -> None:
    """Where to look next, on stderr: the report (or how to get one), the figures, one replication up
    close, and where to learn to read the numbers."""
    q = shlex.quote
    lines: list[tuple[str, str]] = []
    if output is None:
        lines.append(("report", f"simjit run {q(str(file))} -o DIR --report"))
    else:
        lines.append(("report", f"open {q(str(report_path))}" if report_path else f"simjit report {q(str(output))}"))
        lines.append(("figures", f"simjit plot {q(str(output))}"))
    if not study.swept:
        lines.append(("one run", f"simjit trace {q(str(file))} --policy {q(study.policies[0])}"))
    lines.append(("learn", "docs/tutorial.md and notebooks/ in simjit's repository"))
    err.print("next:")
    for label, command in lines:
        err.print(f"  {label:<8} {command}", markup=False)
