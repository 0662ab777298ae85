"""``simjit report RESULTS_DIR``: the HTML report of a finished run, one file to share or print.

Also what ``run … --report`` and ``sweep … --report`` call once their run is done. The report layer
(matplotlib, pandas) is imported inside :func:`write`, so ``simjit --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

from simjit.cli.console import err
from simjit.cli.options import Plugins
from simjit.cli.params import Arg, Exit, Opt

__all__ = ["report", "write"]

ReportFile = Annotated[
    Optional[Path],
    Opt("-o", "--output", metavar="FILE", help="The report file (default: RESULTS_DIR/report.html)."),
]
ReplaceFile = Annotated[bool, Opt("--force", help="Replace -o FILE even if it is not a simjit report.")]


def report(
    results_dir: Annotated[Path, Arg(metavar="RESULTS_DIR", help="The -o directory of a finished run.")],
    output: ReportFile = None,
    force: ReplaceFile = False,
    allow_plugins: Plugins = False,
) -> None:
    """Write the HTML report of a finished run: its tables (as run prints them), figures and manifest in one
    self-contained file."""
    write(results_dir, output, force=force, allow_plugins=allow_plugins)


def write(results_dir: Path, output: Optional[Path], *, force: bool = False, allow_plugins: bool = False) -> Path:
    """Write the report of ``results_dir`` with a progress bar on stderr, and say where it went; on Ctrl-C
    nothing is written (exit 130)."""
    from simjit.cli.progress import Bar
    from simjit.report import write_report

    bar = Bar(f"report of {results_dir}: traces and figures")
    try:
        path = write_report(results_dir, output, force=force, progress=bar, allow_plugins=allow_plugins)
    except KeyboardInterrupt:
        bar.stop()
        err.print("[yellow]interrupted[/yellow]; no report was written")
        raise Exit(130) from None
    finally:
        bar.stop()
    err.print(f"wrote {path}", markup=False)
    return path
