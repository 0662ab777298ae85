"""What ``run`` and ``sweep`` share: assemble the study, play it with a progress bar, print the results.

The experiment layer is imported here, inside :func:`play`, so that ``simjit --help`` and
``simjit validate`` never load pandas, numpy or simpy.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from simjit.cli.console import command_line, err, print_warnings
from simjit.cli.options import PlayOptions
from simjit.cli.params import Exit
from simjit.cli.tuned import warn_tuned_elsewhere, with_tuned
from simjit.errors import SimjitError, UsageError

if TYPE_CHECKING:
    from simjit.cli.progress import Bar
    from simjit.experiment import Outcome, Study
    from simjit.scenario.models import Scenario

__all__ = ["play"]


def play(file: Path, vary: Sequence[str], o: PlayOptions) -> None:
    """Play every policy set of ``file`` (at every ``vary`` point) and print the tables; exit 1 if a task
    failed (the others are saved), 130 on Ctrl-C (with how to resume, given ``-o``)."""
    from simjit.cli.progress import Bar

    o.check()
    _keep_users_report(o)
    bar = Bar()
    with tempfile.TemporaryDirectory(prefix="simjit-") as scratch:
        directory = o.output if o.output is not None else Path(scratch)
        try:  # from the start: a Ctrl-C while the experiment layer loads is answered the same way
            study, outcome = _execute(file, vary, o, directory, bar)
        except KeyboardInterrupt:
            bar.stop()  # before printing: the bar would overwrite the message
            _interrupted(o.output)
            raise Exit(130) from None
        finally:
            bar.stop()
        from simjit.cli.outcome import report

        report(outcome, study, o, print_files=o.output is not None)
    report_path = None
    if o.report and o.output is not None:
        from simjit.cli.report import write

        report_path = write(
            o.output, None, allow_plugins=o.allow_plugins
        )  # --force replaces the run, not a file of yours
    if not o.quiet and not outcome.failures:
        from simjit.cli.outcome import next_steps

        next_steps(file, study, o.output, report_path)
    if outcome.failures:
        raise Exit(1)


def _keep_users_report(o: PlayOptions) -> None:
    """Refuse, before playing, a --report that would replace a report.html the user wrote (--force replaces the
    run in -o DIR; the README promises other files are kept)."""
    if not o.report or o.output is None:
        return
    from simjit.report.document import REPORT_NAME, is_report

    path = o.output / REPORT_NAME
    if path.exists() and not is_report(path):
        raise UsageError(
            f"--report: {path} exists and is not a simjit report, and is kept even with --force; move it away, or "
            f"write the report elsewhere afterwards: simjit report {o.output} -o OTHER.html"
        )


def _execute(file: Path, vary: Sequence[str], o: PlayOptions, directory: Path, bar: Bar) -> tuple[Study, Outcome]:
    """The study of ``file`` with the options, played into ``directory``."""
    from simjit.experiment import Precision, execute, load_study, make_backend
    from simjit.experiment.resume import stored_replications

    replications = o.replications
    if replications is None and o.resume and o.output is not None:
        replications = stored_replications(o.output)  # --resume alone continues the run as it was started
    sets = with_tuned(o.tuned, o.set_)
    study = load_study(file, sets, vary, o.seed, replications, o.policy, o.allow_outside_files)
    warn_tuned_elsewhere(o.tuned, study.base)
    if not o.quiet:
        print_warnings(study.base, str(file))
    _check_kpis(o.kpi or (), study.base)
    if o.reference is not None:
        _check_reference(study, o.reference, o.kpi)
    nothing_to_add = _nothing_to_add(o.output, o.replications) if o.resume and o.output is not None else None
    precision = Precision.parse(o.precision, o.max_replications) if o.precision else None
    points = f"{len(study.variants)} points × " if study.swept else ""
    policies, n = len(study.policies), study.base.replications
    bar.description = f"{study.base.name}: {points}{policies} policies × {n} replications"
    plan = study.plan()
    outcome = execute(
        plan, directory, backend=make_backend(o.workers, o.dask, tasks=plan.size()), base=study.base,
        resume=o.resume, precision=precision, allow_plugins=o.allow_plugins, progress=bar, batch_size=o.batch_size,
        csv=o.csv, baseline=study.baseline, command=command_line(), timeout=o.timeout, force=o.force,
    )  # fmt: skip
    if nothing_to_add is not None:  # said once the resume was accepted (a refused one says why instead)
        err.print(nothing_to_add, markup=False)
    if outcome.repaired:
        err.print(
            f"{len(outcome.repaired)} part(s) of the earlier run were cut short (a crash?) and were played again: "
            f"{', '.join(outcome.repaired)}",
            markup=False,
        )
    return study, outcome


def _check_kpis(kpis: Sequence[str], s: Scenario) -> None:
    """Refuse a ``--kpi`` the run will not produce, before any replication runs."""
    import difflib

    from simjit.experiment.columns import kpi_columns

    known = kpi_columns(s)
    for kpi in kpis:
        if kpi not in known:
            close = difflib.get_close_matches(kpi, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "see docs/kpis.md; per stock point: site/item.kpi"
            raise UsageError(f"--kpi {kpi}: unknown KPI {kpi!r} ({hint})")


def _check_reference(study: Study, reference: str, kpis: Sequence[str] | None) -> None:
    """Refuse a ``--reference`` that names no point of the sweep, before anything runs (asked of a table of
    the sweep's points, with no result in it yet)."""
    import pandas as pd

    from simjit.experiment import sweep_reference_table

    if not study.swept:
        raise UsageError("--reference: only a sweep has points to compare with (simjit sweep … --vary …)")
    if any("seed" in v.params for v in study.variants):
        raise UsageError(f"--reference {reference}: the sweep varies seed, so its points play different random "
                         "futures and a point's difference to the reference is not paired (it would mix the "
                         "parameter's effect with luck); vary a parameter of the scenario, or leave out --reference")  # fmt: skip
    rows = [{"variant": v.name, "policy": study.policies[0], "replication": r, **v.params, "total_cost": 0.0}
            for v in study.variants for r in (0, 1)]  # fmt: skip
    try:
        sweep_reference_table(pd.DataFrame(rows), "total_cost", reference)
    except UsageError as exc:
        raise UsageError(f"--reference {reference}: {exc}") from None


def _nothing_to_add(directory: Path, replications: Optional[int]) -> Optional[str]:
    """``--resume -n N`` on a finished run of N replications plays nothing: what to say, and what -n means."""
    from simjit.experiment import Manifest

    manifest = Manifest.load(directory / "manifest.json")
    if manifest is None or manifest.status != "complete":
        return None
    if manifest.plan.precision is not None:
        if replications is None or replications == manifest.plan.first:
            return (f"the run in {directory} is complete: --precision played {manifest.plan.replications} replications "
                    f"from -n {manifest.plan.first}; nothing to add")  # fmt: skip
        return None
    if replications is None or replications == manifest.plan.replications:
        replications = manifest.plan.replications
        return (
            f"the run in {directory} is complete with {replications} replications: nothing to add (-n is the total; "
            f"-n {2 * replications} would add {replications} more)"
        )
    return None


def _interrupted(directory: Optional[Path]) -> None:
    """After Ctrl-C: what was kept, and the command that completes the run."""
    from rich.markup import escape

    from simjit.experiment import Manifest

    if directory is None:
        err.print("[yellow]interrupted[/yellow]; nothing was kept (run with -o DIR to be able to resume)")
        return
    try:
        manifest = Manifest.load(directory / "manifest.json")
    except SimjitError as exc:
        err.print(f"[yellow]interrupted[/yellow]; {escape(str(exc))}")
        return
    if manifest is None:
        err.print("[yellow]interrupted[/yellow] before any task ran; nothing to resume")
        return
    err.print(
        f"[yellow]interrupted[/yellow]: {manifest.tasks_done} of {manifest.tasks_total} tasks are saved in "
        f"{directory}; to complete the run:"
    )
    err.print(f"  {command_line(resume=True)}", markup=False)
