"""The ``simjit`` command: parses arguments, calls the layers below, prints. Nothing else."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from simjit import __version__
from simjit.errors import ScenarioError, SimjitError
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


HEADLINE = ("total_cost", "fill_rate", "cycle_service_level", "avg_on_hand", "avg_backorders", "lost_sales",
            "orders_placed", "stockout_days", "time_to_recover")  # fmt: skip


@app.command()
def run(
    scenario_file: Annotated[Path, typer.Argument(help="The scenario to play.", show_default=False)],
    replications: Annotated[
        Optional[int], typer.Option("-n", "--replications", help="Replications per policy.")
    ] = None,
    policy: Annotated[
        Optional[list[str]], typer.Option("--policy", help="Policy set to run (repeatable; default all).")
    ] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Directory for result files.")] = None,
    workers: Annotated[int, typer.Option("--workers", help="Processes to use (1 = in this process).")] = 1,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Root seed (overrides the scenario's).")] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Also write replications.csv.")] = False,
    allow_plugins: Annotated[
        bool, typer.Option("--allow-plugins", help="Allow python: policies to run their code.")
    ] = False,
    set_: SetOption = None,
) -> None:
    """Play every policy set over common random numbers and compare them with the baseline."""
    from simjit.experiment import compare, describe, run_experiment
    from simjit.experiment.store import write_results

    overrides = list(set_ or [])
    if replications is not None:
        overrides.append(f"replications={replications}")
    if seed is not None:
        overrides.append(f"seed={seed}")
    s = load_scenario(scenario_file, overrides)
    names = list(policy or s.policies)
    unknown = [p for p in names if p not in s.policies]
    if unknown:
        raise ScenarioError.single(
            f"unknown policy set {unknown[0]!r}; the scenario has {', '.join(s.policies)}",
            str(scenario_file),
            field="--policy",
        )
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
        console=err, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task(
            f"{s.name}: {len(names)} policies × {s.replications} replications", total=len(names) * s.replications
        )
        results = run_experiment(
            s, names, s.replications, workers=workers, allow_plugins=allow_plugins,
            progress=lambda done, total: bar.update(task, completed=done),
        )  # fmt: skip
    kpis = [k for k in HEADLINE if k in results.columns]
    summary = describe(results, [c for c in results.columns if c not in ("variant", "policy", "replication")])
    baseline = s.baseline_policy if s.baseline_policy in names else names[0]
    comparison = compare(results, kpis, baseline)
    out.print(_table(s, summary, comparison, kpis, names, baseline))
    if output is not None:
        for path in write_results(
            output, s, results, summary, comparison, policies=names, replications=s.replications, csv=csv
        ):
            err.print(f"wrote {path}")


def _table(s: Scenario, summary: Any, comparison: Any, kpis: list[str], names: list[str], baseline: str) -> Table:
    from simjit.experiment.columns import LOWER_IS_BETTER

    table = Table(title=f"{s.name} — {s.replications} replications, 95% CI; Δ = policy − {baseline} (paired)")
    table.add_column("KPI")
    for name in names:
        table.add_column(name + (" (baseline)" if name == baseline else ""), justify="right")
    by = summary.set_index(["policy", "kpi"])
    diff = comparison.set_index(["policy", "kpi"]) if len(comparison) else None
    for kpi in kpis:
        means = {p: by.loc[(p, kpi), "mean"] for p in names}
        finite = {p: m for p, m in means.items() if m == m}
        spread = len(set(finite.values())) > 1
        best = (min if kpi in LOWER_IS_BETTER else max)(finite, key=finite.__getitem__) if spread else None
        cells = []
        for p in names:
            row = by.loc[(p, kpi)]
            text = f"{_num(row['mean'])} ± {_num((row['ci_high'] - row['ci_low']) / 2)}"
            if diff is not None and p != baseline:
                d = diff.loc[(p, kpi)]
                text += f"\nΔ {_num(d['diff'])} [{_num(d['ci_low'])}, {_num(d['ci_high'])}]"
            cells.append(f"[bold green]{text} ★[/bold green]" if p == best else text)
        table.add_row(kpi, *cells)
    return table


def _num(x: float) -> str:
    if x != x:
        return "–"
    return f"{x:,.3f}" if abs(x) < 10 else f"{x:,.0f}"


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
