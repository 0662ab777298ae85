"""``simjit trace FILE --policy P``: one replication, event by event — what happened at each stock
point, the disruption windows as they were played, and a per-day series; saved with ``-o``."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

from simjit.cli.console import err, out, print_warnings
from simjit.cli.options import Force, OutsideFiles, Plugins, Quiet, Seed, SetOption, Timeout, Tuned
from simjit.cli.params import Arg, Opt
from simjit.cli.tuned import warn_tuned_elsewhere, with_tuned
from simjit.errors import SimjitError, UsageError

if TYPE_CHECKING:
    from simjit.scenario import Scenario

__all__ = ["trace"]

SUFFIXES = (".parquet", ".csv")


def trace(
    scenario_file: Annotated[Path, Arg(metavar="SCENARIO", help="The scenario to play.")],
    policy: Annotated[str, Opt("--policy", metavar="NAME", help="The policy set to trace.", show_default=False)],
    replication: Annotated[int, Opt("--replication", "-r", metavar="N", help="Which replication (0, 1, …).")] = 0,
    stock_point: Annotated[
        Optional[list[str]],
        Opt("--stock-point", metavar="SITE/ITEM", help="SITE/ITEM to keep (repeatable; default all)."),
    ] = None,
    output: Annotated[
        Optional[Path],
        Opt(
            "-o",
            "--output",
            metavar="FILE",
            help="FILE.parquet or FILE.csv: the event log, with FILE.daily.* and FILE.disruptions.* beside it.",
        ),
    ] = None,
    set_: SetOption = None,
    seed: Seed = None,
    timeout: Timeout = 600.0,
    allow_plugins: Plugins = False,
    allow_outside_files: OutsideFiles = False,
    force: Force = False,
    quiet: Quiet = False,
    tuned: Tuned = None,
) -> None:
    """Play one replication of one policy set and show (or save) everything it did."""
    from simjit.scenario import load_scenario  # pydantic: not for `simjit --help`

    if replication < 0:
        raise UsageError(f"--replication: expected a number >= 0, got {replication}")
    if not timeout > 0:
        raise UsageError(f"--timeout: expected a number of seconds > 0, got {timeout:g}")
    if output is not None:
        _check_output(output)
    overrides = [*with_tuned(tuned, set_), *([f"seed={seed}"] if seed is not None else [])]
    s = load_scenario(scenario_file, overrides, files_anywhere=allow_outside_files)
    warn_tuned_elsewhere(tuned, s)
    if not quiet:
        print_warnings(s, str(scenario_file))
    _check_names(s, policy, stock_point or [])
    from simjit.experiment.trace import trace_files, trace_replication, write_trace

    if output is not None and not force:
        taken = [str(p) for p in trace_files(output).values() if p.exists()]
        if taken:
            raise UsageError(f"-o {output}: {', '.join(taken)} exist already; add --force to replace them")
    from simjit.experiment.watchdog import ReplicationTimeout, time_limit

    try:
        with time_limit(timeout):
            played = trace_replication(s, policy, replication, stock_point, allow_plugins)
    except ReplicationTimeout:
        raise SimjitError(
            f"replication {replication} of policy {policy} was still running after {timeout:g} s (--timeout): a "
            "policy that never stops deciding, or a replication larger than the limit allows"
        ) from None
    if output is None:
        _show(played)
        err.print("(-o FILE.parquet saves the event log, the per-day series and the disruption windows)")
        return
    if output.parent.exists() and not output.parent.is_dir():
        raise SimjitError(f"-o {output}: {output.parent} is a file, not a folder")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        paths = write_trace(played, output)
    except OSError as exc:
        raise SimjitError(f"-o {output}: cannot write the trace there ({exc.strerror or exc})") from None
    for path in paths:
        err.print(f"wrote {path}", markup=False)


def _check_output(output: Path) -> None:
    """A name ending in .parquet or .csv that is not one of the files written beside another trace."""
    if output.suffix.lower() not in SUFFIXES:
        raise UsageError(f"-o {output}: expected a file ending in .parquet or .csv")
    stem = output.stem.rsplit(".", 1)
    if len(stem) == 2 and stem[1] in ("daily", "disruptions"):
        raise UsageError(
            f"-o {output}: a name ending in .{stem[1]}{output.suffix} is the name of a trace's {stem[1]} file (it "
            f"would be overwritten by this trace's own); choose another, e.g. -o {output.with_name(stem[0] + output.suffix)}"
        )


def _check_names(s: Scenario, policy: str, points: list[str]) -> None:
    """Refuse an unknown policy set or stock point, with the names there are."""
    if policy not in s.policies:
        raise UsageError(f"--policy {policy}: unknown policy set {policy!r} (known: {', '.join(s.policies)})")
    known = [f"{a}/{b}" for a, b in s.stock_points()]
    for point in points:
        if point not in known:
            close = difflib.get_close_matches(point, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
            raise UsageError(f"--stock-point {point}: no stock point {point!r} ({hint})")


def _show(played: object) -> None:
    """What the replication did, in two short tables: per stock point over the horizon, and the windows."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from simjit.cli.tables import titled
    from simjit.experiment.trace import Trace

    assert isinstance(played, Trace)
    daily = played.daily
    head = f"{played.scenario.name} — policy {played.policy}, replication {played.replication}: "
    caption = "totals over the horizon; on hand: mean of the end-of-day stock; days short: days a customer went short"
    table = Table(box=box.SIMPLE_HEAD, collapse_padding=True)
    table.add_column("stock point", no_wrap=True)
    for column in ("demand", "short", "lost", "ordered", "received", "on hand", "days short"):
        table.add_column(column, justify="right", no_wrap=True)
    for point, rows in daily.groupby("stock_point", sort=False):
        table.add_row(
            Text(str(point)), *(f"{rows[c].sum():,.0f}" for c in ("demand", "short", "lost", "ordered", "received")),
            f"{rows['on_hand'].mean():,.1f}", f"{int((rows['short'] > 0).sum()):,}",
        )  # fmt: skip
    out.print(
        titled(f"{head}{len(played.events):,} events over {played.scenario.horizon:g} days", table, caption),
        soft_wrap=False,
    )
    windows = played.disruptions
    if len(windows):
        shown = Table(title="disruptions as played", box=box.SIMPLE_HEAD)
        shown.add_column("event", no_wrap=True)
        shown.add_column("hits", overflow="fold")
        for column in ("start", "end", "severity"):
            shown.add_column(column, justify="right")
        for w in windows.itertuples(index=False):
            end = f"{w.end:,.1f}" if w.ended else f"{w.end:,.1f}+"
            shown.add_row(Text(str(w.event)), Text(str(w.target)), f"{w.start:,.1f}", end, f"{w.severity:.2f}")
        out.print(shown, soft_wrap=False)
