"""``simjit tune FILE --policy P --param PATH=RANGE …``: a policy set's best settings, with a statement.

The candidates race on common random numbers (see ``docs/tuning.md``); the command prints the
candidates kept, the best with its CI and those that cannot be told apart from it, writes the
best's settings to ``DIR/tuned.yaml`` (``simjit run FILE --tuned DIR`` applies them) and a
response figure per parameter (objective against the parameter, CI bands) beside it.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, cast

from simjit.cli.console import err, out, print_warnings
from simjit.cli.options import (
    Dask,
    Force,
    Output,
    OutsideFiles,
    Plugins,
    Quiet,
    Resume,
    Seed,
    SetOption,
    Timeout,
    Workers,
)
from simjit.cli.params import Arg, Exit, Opt
from simjit.errors import UsageError

if TYPE_CHECKING:
    from simjit.experiment.tune import TuneOutcome
    from simjit.experiment.tune_search import SearchMode

__all__ = ["figure_names", "tune"]

PolicyOpt = Annotated[str, Opt("--policy", metavar="NAME", help="The policy set to tune.", show_default=False)]
Params = Annotated[
    list[str],
    Opt(
        "--param",
        metavar="PATH=RANGE",
        help="PATH=LO:HI[:STEP] or PATH=v1,v2,… (repeatable: all combinations), e.g. "
        "policies.jit.overrides.plant/pad.kanban.containers=4:20.",
        show_default=False,
    ),
]
Minimize = Annotated[
    Optional[str],
    Opt(
        "--minimize",
        metavar="KPI",
        help="KPI whose mean to minimise (default: profit maximised where items have prices, else total_cost).",
    ),
]
Maximize = Annotated[Optional[str], Opt("--maximize", metavar="KPI", help="KPI whose mean to maximise instead.")]
SubjectTo = Annotated[
    Optional[list[str]],
    Opt("--subject-to", metavar="CONSTRAINT", help="Constraint on a KPI's mean: 'KPI>=X' or 'KPI<=X' (repeatable)."),
]
Budget = Annotated[
    Optional[int], Opt("--budget", metavar="N", help="Replications in all (default: 4 × first × candidates).")
]
Confidence = Annotated[
    float, Opt("--confidence", metavar="LEVEL", help="Confidence of the statement, over the whole race.")
]
First = Annotated[int, Opt("--first", metavar="N", help="Replications every candidate plays before any is dropped.")]
Most = Annotated[int, Opt("--most", metavar="N", help="Replications one candidate plays at most.")]
Search = Annotated[
    str,
    Opt(
        "--search",
        metavar="MODE",
        help="auto: race grids of up to 60 candidates whole, search larger ones with optuna (TPE) and race the "
        "best 8 found; grid: always race every candidate; optuna: always search first.",
    ),
]
SEARCH_MODES = ("auto", "grid", "optuna")


def tune(
    scenario_file: Annotated[Path, Arg(metavar="SCENARIO", help="The scenario to tune.")],
    policy: PolicyOpt,
    param: Params,
    minimize: Minimize = None,
    maximize: Maximize = None,
    subject_to: SubjectTo = None,
    budget: Budget = None,
    confidence: Confidence = 0.95,
    first: First = 10,
    most: Most = 200,
    search: Search = "auto",
    output: Output = None,
    workers: Workers = None,
    dask: Dask = None,
    seed: Seed = None,
    set_: SetOption = None,
    resume: Resume = False,
    force: Force = False,
    allow_plugins: Plugins = False,
    timeout: Timeout = 600.0,
    allow_outside_files: OutsideFiles = False,
    quiet: Quiet = False,
) -> None:
    """Find the settings of one policy set that minimise (or maximise) a KPI's mean, subject to constraints."""
    from simjit.cli.progress import Bar
    from simjit.experiment import make_backend
    from simjit.experiment.racing import Constraint
    from simjit.experiment.tune import TuneSpec, prepare_tune, run_tune
    from simjit.experiment.tune_space import parse_param

    if minimize is not None and maximize is not None:
        raise UsageError("--minimize and --maximize contradict each other: give one objective")
    if resume and output is None:
        raise UsageError("--resume needs -o DIR: the directory of the tune to continue")
    if budget is not None and budget < 1:
        raise UsageError(f"--budget: expected at least 1 replication, got {budget}")
    if workers is not None and workers < 1:
        raise UsageError(f"--workers: expected at least 1 process, got {workers}")
    if not timeout > 0:  # 0 or less would stop every replication (or none, in this process): never meant
        raise UsageError(f"--timeout: expected a number of seconds > 0, got {timeout:g}")
    if search not in SEARCH_MODES:
        raise UsageError(f"--search {search}: expected one of {', '.join(SEARCH_MODES)}")
    parameters = tuple(parse_param(p) for p in param)
    constraints = tuple(Constraint.parse(c) for c in subject_to or ())
    spec = TuneSpec(policy, parameters, maximize or minimize, maximize is not None, constraints,
                    confidence, budget, first, most, cast("SearchMode", search))  # fmt: skip
    overrides = [*(set_ or ()), *([f"seed={seed}"] if seed is not None else [])]
    prepared = prepare_tune(scenario_file, spec, overrides, allow_outside_files)
    if not quiet:
        print_warnings(prepared.base, str(scenario_file))
    bar = Bar(f"{prepared.base.name}: tuning {policy}, {len(prepared.candidates)} candidates")
    with tempfile.TemporaryDirectory(prefix="simjit-tune-") as scratch:
        directory = output if output is not None else Path(scratch)
        try:
            outcome = run_tune(
                prepared, directory, backend=make_backend(workers, dask, tasks=prepared.budget), progress=bar,
                allow_plugins=allow_plugins, resume=resume, force=force, timeout=timeout,
            )  # fmt: skip
        except KeyboardInterrupt:
            bar.stop()
            kept = f"; the replications played are kept in {output}: add --resume to continue" if output else ""
            err.print(f"[yellow]interrupted[/yellow]{kept}", markup=True)
            raise Exit(130) from None
        finally:
            bar.stop()
        _print(outcome)
        for note in outcome.notes:
            err.print(f"warning: {note}", markup=False)
        if output is not None:
            figures = _figures(outcome)
            err.print(f"written: {', '.join(str(p) for p in [*outcome.files, *figures])}", markup=False)


def _print(outcome: TuneOutcome) -> None:
    """The table of the candidates kept (and how many were dropped), then the statement."""
    from rich import box
    from rich.table import Table

    spec = outcome.spec
    kept = outcome.kept()
    paths = list(kept[0].params) if kept else [p.path for p in spec.parameters]
    short = [p.rsplit(".", 1)[-1] if sum(q.endswith(p.rsplit(".", 1)[-1]) for q in paths) == 1 else p for p in paths]
    table = Table(box=box.SIMPLE_HEAD)
    for name in short:
        table.add_column(name, justify="right")
    table.add_column(f"mean {spec.kpi} ({spec.confidence:.0%} CI)", justify="right")
    table.add_column("Δ best (race's CI)", justify="right")
    for constraint in spec.constraints:
        table.add_column(constraint.text)
    table.add_column("n", justify="right")
    table.add_column("status")
    for r in kept:
        cells = [str(r.params[p]) for p in paths]
        cells.append(f"{_num(r.mean)} ± {_num((r.ci_high - r.ci_low) / 2)}")
        cells.append("—" if r.status == "best" or math.isnan(r.diff) else f"{_num(r.diff)} [{_num(r.diff_low)}, "
                     f"{_num(r.diff_high)}]")  # fmt: skip
        cells += [f"{j.verdict} ({_num(j.mean)})" for j in r.judgements.values()]
        cells += [str(r.replications), r.status]
        table.add_row(*cells)
    direction = "maximise" if spec.maximize else "minimise"
    out.print(f"tuning {spec.policy}: {direction} mean {spec.kpi}", markup=False)
    out.print(table)
    for line in statement(outcome):
        out.print(line, markup=False)


def statement(outcome: TuneOutcome) -> list[str]:
    """What the race found, in words: the best and its CI, those that cannot be told apart from it,
    the infeasible and the unsure, why it stopped, and the replications it used."""
    spec = outcome.spec
    dropped = [r for r in outcome.results if r.status.startswith("dropped")]
    infeasible = [r for r in dropped if "infeasible" in r.status]
    lines = []
    found = outcome.search
    if found is not None:
        lines.append(f"search: optuna TPE scored {len(found.scores)} of {outcome.space} candidates on "
                     f"{found.replications} replications each ({len(found.trials)} trials); its {len(found.finalists)} "
                     "best raced, and the statement below holds among them")  # fmt: skip
    best = next((r for r in outcome.results if r.name == outcome.best), None)
    if best is None:
        unsure = [r.name for r in outcome.kept()]
        lines.append(f"no candidate meets {', '.join(c.text for c in spec.constraints)} with {spec.confidence:.0%} "
                     "confidence: nothing is chosen and no tuned.yaml is written")  # fmt: skip
        if unsure:
            lines.append(f"cannot tell whether these meet the constraints: {'; '.join(unsure)}")
        lines += _unvaried(outcome)
    else:
        lines.append(f"best: {best.name}: mean {spec.kpi} {_num(best.mean)} "
                     f"[{_num(best.ci_low)}, {_num(best.ci_high)}] ({spec.confidence:.0%} CI, {best.replications} "
                     "replications)")  # fmt: skip
        if outcome.tied:
            lines.append(f"cannot be told apart from it at {spec.confidence:.0%} confidence: {'; '.join(outcome.tied)}")
        else:
            others = "finalist" if found is not None else "candidate"
            lines.append(f"every other {others} is worse or infeasible with {spec.confidence:.0%} confidence")
    lines += [f"on the edge: {note}" for note in outcome.notes]
    if infeasible:
        lines.append(f"{len(infeasible)} candidate(s) shown infeasible: {'; '.join(r.name for r in infeasible)}")
    lines.append(f"{len(dropped)} of {len(outcome.results)} candidates dropped; {outcome.used} of {outcome.budget} "
                 f"replications used in {outcome.looks} look(s); stopped: {outcome.stopped}")  # fmt: skip
    return lines


def _unvaried(outcome: TuneOutcome) -> list[str]:
    """Why a constraint cannot be told of a candidate whose KPI never varied: what n equal values support."""
    lines = []
    for r in outcome.kept():
        for c in outcome.spec.constraints:
            j = r.judgements[c.text]
            if j.verdict == "cannot tell" and not j.varied:
                reach = _reach(j.low, j.high)
                lines.append(f"{r.name}: {c.kpi} was {_num(j.mean)} in each of its {r.replications} replications, "
                             f"which supports only {reach} (a bound needs replications that vary; docs/tuning.md)")  # fmt: skip
    return lines


def _reach(low: float, high: float) -> str:
    """What the bounds of a mean say, in words (an infinite side says nothing)."""
    if math.isfinite(low) and math.isfinite(high):
        return f"a mean of {_num(low)} to {_num(high)}"
    if math.isfinite(low) or math.isfinite(high):
        return f"a mean of at least {_num(low)}" if math.isfinite(low) else f"a mean of at most {_num(high)}"
    return "no bound on the mean (its unit has no range)"


def _num(x: float) -> str:
    if math.isnan(x):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def _figures(outcome: TuneOutcome) -> list[Path]:
    """Per parameter, the objective against it (others at the best's values) with CI bands."""
    from simjit.plots import save_figure, tune_response

    paths = [parameter.path for parameter in outcome.spec.parameters]
    return [
        save_figure(tune_response(outcome, path), outcome.directory / name)
        for path, name in zip(paths, figure_names(paths), strict=True)
    ]


def figure_names(paths: list[str]) -> list[str]:
    """``response_<parameter>.png`` per parameter, by its last part (``response_containers.png``), or by
    its whole path when two share a last part (two loops' containers), so no figure replaces another."""
    names = [path.rsplit(".", 1)[-1] for path in paths]
    if len(set(names)) < len(names):
        names = [path.removeprefix("policies.") for path in paths]
    return [f"response_{name.replace('/', '_')}.png" for name in names]
