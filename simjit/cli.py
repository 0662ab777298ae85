"""The ``simjit`` command: parses arguments, calls the layers below, prints. Nothing else."""

from __future__ import annotations

import io
import json
import math
import shlex
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from simjit import __version__
from simjit.errors import ScenarioError, SimjitError, UsageError
from simjit.policies.formulas import abc_classes
from simjit.scenario import Scenario, load_scenario, scenario_schema
from simjit.scenario.derived import demand_rates
from simjit.scenario.loader import read_text

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
_state: dict[str, Any] = {"debug": False, "argv": None}

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
            if _state["debug"]:
                raise
            failed += 1
            _print_error(exc)
            continue
        out.print(f"[green]ok[/green] {file}: {scenario_summary(s)}")
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
        try:
            output.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise SimjitError(f"{output}: cannot write the schema: {exc.strerror or exc}") from None
        err.print(f"wrote {output}")


HEADLINE = ("total_cost", "fill_rate", "cycle_service_level", "avg_on_hand_value", "avg_backorders", "lost_sales",
            "orders_placed", "backup_units", "stockout_days", "time_to_survive", "time_to_recover",
            "units_short")  # fmt: skip
SWEEP_KPIS = ("total_cost", "fill_rate")
SHOWN_FAILURES = 10

Replications = Annotated[Optional[int], typer.Option("-n", "--replications", help="Replications per policy.")]
Policies = Annotated[Optional[list[str]], typer.Option("--policy", help="Policy set to run (repeatable; default all).")]
Output = Annotated[Optional[Path], typer.Option("-o", "--output", help="Directory for result files.")]
Workers = Annotated[
    Optional[int], typer.Option("--workers", help="Processes (default: all cores; 1 = in this process).")
]
Dask = Annotated[
    Optional[str], typer.Option("--dask", help="Run on a Dask cluster: its scheduler address, or 'local'.")
]
Seed = Annotated[Optional[int], typer.Option("--seed", help="Root seed (overrides the scenario's).")]
Csv = Annotated[bool, typer.Option("--csv", help="Also write replications.csv and disruptions.csv.")]
Plugins = Annotated[bool, typer.Option("--allow-plugins", help="Allow python: policies to run their code.")]
Resume = Annotated[
    bool,
    typer.Option("--resume", help="Complete the run in -o DIR, or extend it to -n N replications in all."),
]
PrecisionOpt = Annotated[
    Optional[list[str]],
    typer.Option("--precision", help="KPI=REL: add replications until each policy's 95% CI is ±REL of the mean."),
]
MaxReplications = Annotated[int, typer.Option("--max-replications", help="Cap for --precision.")]
BatchSize = Annotated[Optional[int], typer.Option("--batch-size", help="Tasks per batch (default: automatic).")]
Kpis = Annotated[Optional[list[str]], typer.Option("--kpi", help="KPI to show in the table (repeatable).")]


@dataclass
class _Options:
    """What ``run`` and ``sweep`` share."""

    replications: Optional[int]
    policy: Optional[list[str]]
    output: Optional[Path]
    workers: Optional[int]
    dask: Optional[str]
    seed: Optional[int]
    csv: bool
    allow_plugins: bool
    set_: Optional[list[str]]
    resume: bool
    precision: Optional[list[str]]
    max_replications: int
    batch_size: Optional[int]
    kpi: Optional[list[str]]


@app.command()
def run(
    scenario_file: Annotated[Path, typer.Argument(help="The scenario to play.", show_default=False)],
    replications: Replications = None,
    policy: Policies = None,
    output: Output = None,
    workers: Workers = None,
    dask: Dask = None,
    seed: Seed = None,
    csv: Csv = False,
    allow_plugins: Plugins = False,
    set_: SetOption = None,
    resume: Resume = False,
    precision: PrecisionOpt = None,
    max_replications: MaxReplications = 1000,
    batch_size: BatchSize = None,
    kpi: Kpis = None,
) -> None:
    """Play every policy set over common random numbers and compare them with the baseline."""
    _play(scenario_file, [], _Options(**{k: v for k, v in locals().items() if k != "scenario_file"}))


@app.command()
def sweep(
    scenario_file: Annotated[Path, typer.Argument(help="The scenario to vary.", show_default=False)],
    vary: Annotated[
        list[str],
        typer.Option(
            "--vary",
            help="dotted.path=v1,v2,… or dotted.path=start:stop:step (repeatable: all combinations).",
            show_default=False,
        ),
    ],
    replications: Replications = None,
    policy: Policies = None,
    output: Output = None,
    workers: Workers = None,
    dask: Dask = None,
    seed: Seed = None,
    csv: Csv = False,
    allow_plugins: Plugins = False,
    set_: SetOption = None,
    resume: Resume = False,
    precision: PrecisionOpt = None,
    max_replications: MaxReplications = 1000,
    batch_size: BatchSize = None,
    kpi: Kpis = None,
) -> None:
    """Play every policy set at every point of a parameter grid (each point a variant, same random numbers)."""
    _play(scenario_file, vary, _Options(**{k: v for k, v in locals().items() if k not in ("scenario_file", "vary")}))


def _play(file: Path, vary: list[str], o: _Options) -> None:
    from simjit.experiment import Plan, Precision, Variant, execute, make_backend, sweep_variants
    from simjit.experiment.plan import BASE
    from simjit.experiment.resume import stored_replications

    overrides = list(o.set_ or [])
    replications = o.replications
    if replications is None and o.resume and o.output is not None:
        replications = stored_replications(o.output)  # --resume alone continues the run as it was started
    if replications is not None:
        overrides.append(f"replications={replications}")
    if o.seed is not None:
        overrides.append(f"seed={o.seed}")
    if vary:
        base, variants = sweep_variants(file, vary, overrides)
    else:
        base = load_scenario(file, overrides)
        variants = [Variant(BASE, base)]
    names = list(dict.fromkeys(o.policy or base.policies))
    unknown = [p for p in names if p not in base.policies]
    if unknown:
        raise ScenarioError.single(
            f"unknown policy set {unknown[0]!r}; the scenario has {', '.join(base.policies)}",
            str(file),
            field="--policy",
        )
    _check_kpis(o.kpi or (), base)
    if o.resume and o.output is not None:
        _say_if_nothing_to_add(o.output, o.replications)
    if o.resume and o.output is None:
        raise SimjitError("--resume needs -o DIR: the directory of the run to complete")
    for option, value in (("--batch-size", o.batch_size), ("--workers", o.workers)):
        if value is not None and value < 1:
            raise SimjitError(f"{option} must be at least 1, got {value}")
    precision = Precision.parse(o.precision, o.max_replications) if o.precision else None
    plan = Plan(tuple(variants), tuple(names), base.replications)
    baseline = base.baseline_policy if base.baseline_policy in names else names[0]
    what = f"{len(variants)} points × " if vary else ""
    bar = _Bar(f"{base.name}: {what}{len(names)} policies × {base.replications} replications")
    with tempfile.TemporaryDirectory(prefix="simjit-") as scratch:
        directory = o.output if o.output is not None else Path(scratch)
        try:
            outcome = execute(
                plan, directory, backend=make_backend(o.workers, o.dask), base=base, resume=o.resume,
                precision=precision, allow_plugins=o.allow_plugins, progress=bar, batch_size=o.batch_size,
                csv=o.csv, baseline=baseline, command=_command(),
            )  # fmt: skip
        except KeyboardInterrupt:
            bar.stop()  # before printing: the bar would overwrite the message
            _interrupted(directory if o.output is not None else None)
            raise typer.Exit(130) from None
        finally:
            bar.stop()
        _report(outcome, base, baseline, vary, o, print_files=o.output is not None)
    if outcome.failures:
        raise typer.Exit(1)


def _say_if_nothing_to_add(directory: Path, replications: Optional[int]) -> None:
    """``--resume -n N`` on a finished run of N replications plays nothing: say so, and what -n means."""
    from simjit.experiment import Manifest

    manifest = Manifest.load(directory / "manifest.json")
    if manifest is None or manifest.status != "complete":
        return
    if replications is None or replications == manifest.plan.replications:
        replications = manifest.plan.replications
        err.print(
            f"the run in {directory} is complete with {replications} replications: nothing to add (-n is the total; "
            f"-n {2 * replications} would add {replications} more)",
            markup=False,
        )


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


def _command(resume: bool = False) -> str:
    args = list(_state["argv"] if _state["argv"] is not None else sys.argv[1:])
    if resume and "--resume" not in args:
        args.append("--resume")
    return shlex.join(["simjit", *args])


def _interrupted(directory: Optional[Path]) -> None:
    if directory is None:
        err.print("[yellow]interrupted[/yellow]; nothing was kept (run with -o DIR to be able to resume)")
        return
    from simjit.experiment import Manifest

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
    err.print(f"  {_command(resume=True)}", markup=False)


class _RateColumn(ProgressColumn):
    """Tasks per second."""

    def render(self, task: Any) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "–/s", style="progress.data.speed")


class _Bar:
    """The progress bar, started on the first report (after the backend has started its workers)."""

    def __init__(self, description: str) -> None:
        self.description = description
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _RateColumn(), TimeElapsedColumn(),
            TimeRemainingColumn(), console=err, transient=True,
        )  # fmt: skip
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task(self.description, total=total, completed=done)
        self.progress.update(self.task, completed=done, total=total)

    def stop(self) -> None:
        if self.task is not None:
            self.progress.stop()
            self.task = None


def _report(outcome: Any, base: Scenario, baseline: str, vary: list[str], o: _Options, print_files: bool) -> None:
    names = list(outcome.plan.policies)
    if len(outcome.summary):
        if vary:
            for kpi in o.kpi or SWEEP_KPIS:
                out.print(_sweep_table(base, outcome, kpi, names))
        else:
            tables, hidden = _tables(base, outcome, list(o.kpi or HEADLINE), names, baseline, hide_zeros=not o.kpi)
            for table in tables:
                out.print(table)
            if hidden:
                out.print(f"zero or without a value in every replication, not shown: {', '.join(hidden)}", markup=False)
            for table in _resilience_tables(base, outcome, names) if len(outcome.resilience) else []:
                out.print(table)
    if outcome.precision is not None:
        w = outcome.precision
        where = f"{w.policy}" + (f" at {w.variant}" if vary else "")
        reached = "reached" if w.ratio <= 1 else f"[yellow]not reached[/yellow] (cap {o.max_replications})"
        err.print(
            f"precision {reached} after {outcome.plan.replications} replications: widest CI ±{w.relative:.2%} of "
            f"the mean ({where}, {w.kpi}; target ±{w.target:.2%})"
        )
    if outcome.failures:
        n = len(outcome.failures)
        err.print(f"[red]error[/red]: {n} of {outcome.tasks_total} tasks failed; the others are saved", style="bold")
        for failure in outcome.failures[:SHOWN_FAILURES]:
            err.print(f"  {failure.describe()}", markup=False)
        if n > SHOWN_FAILURES:
            err.print(f"  … and {n - SHOWN_FAILURES} more")
        if print_files:
            err.print(f"tracebacks in {outcome.directory / 'failures.json'}; after a fix, complete the run with:")
            err.print(f"  {_command(resume=True)}", markup=False)
    if print_files:
        for path in outcome.files:
            err.print(f"wrote {path}")


def _cell(by: Any, key: tuple[str, ...]) -> str:
    if key not in by.index:
        return "–"
    row = by.loc[key]
    mean, high, low = (_float(row[k]) for k in ("mean", "ci_high", "ci_low"))
    half = (high - low) / 2
    if mean != mean:
        return "–"  # nothing to average: no disruption event at this sweep point, no customer demand…
    if _negligible(half, mean):  # the same value in every replication (often 0): no interval to show
        return _num(mean)
    shown, pm = _rounded(half, mean, half)
    return f"{shown} ± {pm}"


def _float(value: Any) -> float:
    """A table cell's number; missing (None, pandas' NA) is NaN."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _negligible(half: float, mean: float) -> bool:
    """An interval's half-width of zero, or only the rounding noise of summing equal values."""
    return half == half and abs(half) <= 1e-9 * max(1.0, abs(mean) if mean == mean else 1.0)


def _means(by: Any, keys: Mapping[str, tuple[str, ...]]) -> dict[str, float]:
    return {p: by.loc[key, "mean"] for p, key in keys.items() if key in by.index}


def _direction(kpi: str, s: Scenario) -> Optional[str]:
    """Which way a KPI column improves (the catalogue's), None where no policy can be better:
    no direction in the catalogue, or a network sum of units of different items."""
    from simjit.experiment.columns import better, sums_unlike_units

    return None if sums_unlike_units(kpi, s) else better(kpi)


def _best(means: dict[str, float], direction: Optional[str]) -> Optional[str]:
    finite = {p: m for p, m in means.items() if m == m}
    if direction is None or len(set(finite.values())) < 2:
        return None
    return (min if direction == "lower" else max)(finite, key=finite.__getitem__)


def _group(kpi: str) -> str:
    """The table a KPI column is shown in: its catalogue group (``dc/brake.fill_rate`` is service)."""
    from simjit.experiment.columns import catalogued

    entry = catalogued(kpi)
    return entry.group if entry is not None else "stock and orders"


def _tables(
    s: Scenario, outcome: Any, kpis: list[str], names: list[str], baseline: str, hide_zeros: bool = False
) -> tuple[list[Table], list[str]]:
    """One table per KPI group (in the catalogue's order); a row per policy: mean ± CI, paired Δ to the
    baseline with its CI, P(better) (★ and P(better) only where the catalogue says which way is better).
    With ``hide_zeros``, KPIs that are 0 for every policy in every replication (lost sales under pure
    backorders: the scenario cannot produce them) are left out and returned beside the tables."""
    from simjit.model.catalogue import GROUPS

    n = outcome.plan.replications
    by = outcome.summary.set_index(["policy", "kpi"])
    diff = outcome.comparison.set_index(["policy", "kpi"]) if len(outcome.comparison) else None
    present = [k for k in dict.fromkeys(kpis) if any((p, k) in by.index for p in names)]
    hidden = [k for k in present if hide_zeros and _nothing_to_compare(by, [(p, k) for p in names])]
    shown = [k for k in present if k not in hidden]
    groups = [*GROUPS, *(g for g in dict.fromkeys(map(_group, shown)) if g not in GROUPS)]
    tables = []
    for group in groups:
        members = [k for k in shown if _group(k) == group]
        if not members:
            continue
        title = f"{s.name} — {group}: {n} replications, 95% CI (★ best)"
        table = Table(title=title, box=box.SIMPLE_HEAD)
        for header in ("KPI", "policy", "mean ± CI", f"Δ vs {baseline} (paired)", "P(better)"):
            table.add_column(header, justify="left" if header in ("KPI", "policy") else "right")
        for kpi in members:
            _kpi_rows(table, kpi, by, diff, names, baseline, _direction(kpi, s))
        tables.append(table)
    return tables, hidden


def _nothing_to_compare(by: Any, keys: list[tuple[str, ...]]) -> bool:
    """Exactly 0 in every replication of every key present (a mean of 0 with no spread), or no value at all
    (resilience of a scenario without disruptions): a row the scenario cannot make differ."""
    rows = [by.loc[key] for key in keys if key in by.index]
    return bool(rows) and all(
        _float(r["mean"]) != _float(r["mean"]) or (_float(r["mean"]) == 0 and (r["n"] == 1 or _float(r["sd"]) == 0))
        for r in rows
    )


def _kpi_rows(
    table: Table, kpi: str, by: Any, diff: Any, names: list[str], baseline: str, direction: Optional[str]
) -> None:
    best = _best(_means(by, {p: (p, kpi) for p in names}), direction)
    for i, p in enumerate(names):
        delta, better = "", ""
        if p == baseline:
            delta = "baseline"
        elif diff is not None and (p, kpi) in diff.index:
            d = diff.loc[(p, kpi)]
            mid_value, low_value, high_value = (_float(d[k]) for k in ("diff", "ci_low", "ci_high"))
            half = (high_value - low_value) / 2
            mid, low, high = _rounded(0.0 if _negligible(half, mid_value) else half, mid_value, low_value, high_value)
            delta = mid if _negligible(half, mid_value) else f"{mid} [{low}, {high}]"
            same = _negligible(half, mid_value) and _negligible(mid_value, 1.0)  # no replication differs
            known = direction is not None and d["p_better"] == d["p_better"] and not same
            better = f"{d['p_better']:.0%}" if known else "–"
        name, value = p, _cell(by, (p, kpi))
        if p == best:
            name, value = f"[bold green]{p} ★[/bold green]", f"[bold green]{value}[/bold green]"
        table.add_row(kpi if i == 0 else "", name, value, delta, better, end_section=i == len(names) - 1)


RESILIENCE_COLUMNS = {"time_to_survive": "TTS days", "time_to_recover": "TTR days", "units_short": "units short",
                      "shortage_share": "short in"}  # fmt: skip
RESILIENCE_CAPTION = (
    "events (replications hit); TTS: days from an event's start to the first customer downstream short; TTR: days "
    "from its end until service is clean again; per-replication means, mean ± 95% CI over the replications hit; "
    "short in: share of those with a shortage [95% Wilson interval]. Definitions: docs/kpis.md"
)


def _resilience_tables(s: Scenario, outcome: Any, names: list[str]) -> list[Table]:
    """A table per disruption (narrow enough for an 80-column terminal), a row per policy: events, then
    mean ± CI over the replications it hit of the per-replication means of time to survive, time to
    recover and units short, and the share of those replications with a shortage with its Wilson interval."""
    frame = outcome.resilience[outcome.resilience["variant"] == outcome.plan.variants[0].name]
    by = frame.set_index(["disruption", "policy", "kpi"])
    disruptions = list(dict.fromkeys(frame["disruption"]))
    tables = []
    for n, disruption in enumerate(disruptions):
        title = f"{s.name} — resilience to {disruption}: {outcome.plan.replications} replications, 95% CI"
        caption = RESILIENCE_CAPTION if n == len(disruptions) - 1 else None
        table = Table(title=escape(title), caption=caption, box=box.SIMPLE_HEAD)
        table.add_column("policy")
        for header in ("events", *RESILIENCE_COLUMNS.values()):
            table.add_column(header, justify="right")
        for p in names:
            if (disruption, p, "units_short") not in by.index:
                continue
            cells = [_share(by.loc[(disruption, p, k)]) if k == "shortage_share" else _cell(by, (disruption, p, k))
                     for k in RESILIENCE_COLUMNS]  # fmt: skip
            hit = by.loc[(disruption, p, "units_short")]
            table.add_row(p, f"{hit['events']:,} ({hit['replications']:,})", *cells)
        tables.append(table)
    return tables


def _share(row: Any) -> str:
    """``33% [6–79%]``: a share and its interval (not symmetric, so not ± a half-width)."""
    if row["mean"] != row["mean"]:
        return "–"
    low, high = row["ci_low"], row["ci_high"]
    interval = f" [{low:.0%}–{high:.0%}]".replace("%–", "–") if low == low and high == high else ""
    return f"{row['mean']:.0%}{interval}"


def _sweep_table(s: Scenario, outcome: Any, kpi: str, names: list[str]) -> Table:
    n = outcome.plan.replications
    title = f"{s.name} — {kpi}: mean ± 95% CI half-width, {n} replications per point (★ best)"
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column("point")
    for name in names:
        table.add_column(name, justify="right")
    by = outcome.summary.set_index(["variant", "policy", "kpi"])
    for variant in outcome.plan.variants:
        keys = {p: (variant.name, p, kpi) for p in names}
        if not any(k in by.index for k in keys.values()):
            continue
        best = _best(_means(by, keys), _direction(kpi, variant.scenario))
        cells = [_cell(by, keys[p]) for p in names]
        table.add_row(variant.name, *(f"[bold green]{c} ★[/bold green]" if p == best else c
                                      for p, c in zip(names, cells, strict=True)))  # fmt: skip
    return table


def _num(x: float) -> str:
    x = _float(x)
    if x != x:
        return "–"
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.3f}" if abs(x) < 10 else f"{x:,.0f}"


def _rounded(half: float, *values: float) -> list[str]:
    """Values shown to the precision of an interval's half-width (two significant digits of it), as one reports
    a measurement: 15.3 ± 6.0, 0.953 ± 0.019, 4,607 ± 66; a zero or unknown width falls back to ``_num``."""
    if not (half == half and 0 < half < float("inf")):
        return [_num(v) for v in values]
    decimals = min(6, max(0, 1 - math.floor(math.log10(half))))
    return [f"{round(v, decimals) + 0.0:,.{decimals}f}" if v == v else "–" for v in values]


@app.command()
def abc(
    file: Annotated[Path, typer.Argument(help="An items table (CSV: name, unit_cost, annual_demand) or a scenario.")],
    a: Annotated[float, typer.Option("--a", help="Cumulative share of value that ends class A.")] = 0.8,
    b: Annotated[float, typer.Option("--b", help="Cumulative share of value that ends class B.")] = 0.95,
) -> None:
    """ABC classes by annual consumption value (unit cost × annual demand)."""
    if not 0 < a <= b <= 1:
        raise ScenarioError.single(f"expected 0 < a <= b <= 1, got a = {a:g}, b = {b:g}", str(file), field="--a/--b")
    values = _items_table(file) if file.suffix.lower() == ".csv" else _scenario_values(load_scenario(file))
    classes = abc_classes(values, a, b)
    total = sum(values.values()) or 1.0
    table = Table(title=f"ABC classes of {file.name}: A while the value ranked above is under {a:.0%}, B under {b:.0%}")
    for column in ("name", "annual value", "share", "cumulative", "class"):
        table.add_column(column, justify="left" if column == "name" else "right")
    cumulative = 0.0
    for name in sorted(values, key=lambda k: (-values[k], k)):
        cumulative += values[name]
        table.add_row(
            name, f"{values[name]:,.0f}", f"{values[name] / total:.1%}", f"{cumulative / total:.1%}", classes[name]
        )
    out.print(table)


def _items_table(file: Path) -> dict[str, float]:
    import pandas as pd

    text = read_text(file)
    try:
        frame = pd.read_csv(io.StringIO(text))
    except (ValueError, pd.errors.ParserError) as exc:
        raise ScenarioError.single(f"cannot read the table: {exc}", str(file)) from None
    missing = [c for c in ("name", "unit_cost", "annual_demand") if c not in frame.columns]
    if missing:
        raise ScenarioError.single(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; found {', '.join(map(str, frame.columns))}",
            str(file), line=1, hint="the header must name: name, unit_cost, annual_demand",
        )  # fmt: skip
    values: dict[str, float] = {}
    for row_no, row in enumerate(frame.itertuples(index=False), start=2):
        cost, demand = _number(row.unit_cost), _number(row.annual_demand)
        if not (cost >= 0 and demand >= 0):
            raise ScenarioError.single(
                f"expected unit_cost and annual_demand >= 0, got {row.unit_cost!r} and {row.annual_demand!r}",
                str(file), line=row_no, field=str(row.name),
            )  # fmt: skip
        values[str(row.name)] = float(cost) * float(demand)
    return values


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


def _scenario_values(s: Scenario) -> dict[str, float]:
    rates = demand_rates(s)
    return {f"{a}/{b}": rates[(a, b)][0] * s.costs.days_per_year * s.items[b].unit_cost for a, b in rates}


def _print_error(exc: SimjitError) -> None:
    n = len(exc.problems) if isinstance(exc, ScenarioError) else 1
    err.print(f"[red]error[/red]{'s' if n > 1 else ''}:", style="bold", end=" " if n == 1 else "\n")
    err.print(str(exc), markup=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run the app; user errors print without a traceback and return 2."""
    _state["debug"] = False
    _state["argv"] = list(argv) if argv is not None else sys.argv[1:]
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
