"""``simjit plot RESULTS_DIR``: the report's figures as image files, to paste into slides or a paper.

The same figures as ``simjit report`` (cost breakdown, trade-off frontier, distributions, paired
differences, resilience around each disruption, one replication up close; a sweep's response and
change), drawn by the report layer and saved one file each. The report layer (matplotlib,
pandas) is imported inside the command, so ``simjit --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Optional

from simjit.cli.console import err
from simjit.cli.options import Force, Plugins
from simjit.cli.params import Arg, Exit, Opt
from simjit.errors import SimjitError, UsageError

__all__ = ["plot"]

FORMATS = ("png", "svg", "pdf")
Format = Literal["png", "svg", "pdf"]


def plot(
    results_dir: Annotated[Path, Arg(metavar="RESULTS_DIR", help="The -o directory of a finished run.")],
    output: Annotated[
        Optional[Path],
        Opt("-o", "--output", metavar="DIR", help="Directory for the figures (default: RESULTS_DIR/figures)."),
    ] = None,
    format_: Annotated[str, Opt("--format", metavar="FORMAT", help="png, svg or pdf.")] = "png",
    force: Force = False,
    allow_plugins: Plugins = False,
) -> None:
    """Draw the figures of a finished run, a file each (the report's, without the tables)."""
    if format_ not in FORMATS:
        raise UsageError(f"--format {format_}: expected one of {', '.join(FORMATS)}")
    folder = output if output is not None else results_dir / "figures"
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"-o {folder}: this is a file, not a directory")
    from simjit.cli.progress import Bar
    from simjit.experiment import open_results
    from simjit.plots import save_figure
    from simjit.report import draw_figures, figure_plates

    results = open_results(results_dir)
    plates = figure_plates(results)
    taken = [str(folder / f"{p.key}.{format_}") for p in plates if (folder / f"{p.key}.{format_}").exists()]
    if taken and not force:
        raise UsageError(f"-o {folder}: {len(taken)} figures exist already ({taken[0]}…); add --force to replace them")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SimjitError(f"-o {folder}: cannot make the folder ({exc.strerror or exc})") from None
    bar = Bar(f"figures of {results_dir}")
    written, skipped = [], []
    try:
        for plate, figure, why in draw_figures(results, progress=bar, allow_plugins=allow_plugins):
            if figure is None:
                skipped.append(f"{plate.key}: {why}")
                continue
            written.append(save_figure(figure, folder / f"{plate.key}.{format_}"))
    except OSError as exc:
        bar.stop()
        raise SimjitError(f"-o {folder}: cannot write the figures there ({exc.strerror or exc})") from None
    except KeyboardInterrupt:
        bar.stop()
        err.print(f"[yellow]interrupted[/yellow]; {len(written)} figures were written to {folder}")
        raise Exit(130) from None
    finally:
        bar.stop()
    for path in written:
        err.print(f"wrote {path}", markup=False)
    for line in skipped:
        err.print(f"not drawn: {line}", markup=False)
