"""Write a figure to a file whose suffix says the format: png for slides, svg or pdf for print."""

from __future__ import annotations

import os
from pathlib import Path

from matplotlib.figure import Figure

from simjit.errors import UsageError
from simjit.experiment.files import temporary_beside

__all__ = ["FORMATS", "save_figure"]

FORMATS = ("png", "svg", "pdf")


def save_figure(figure: Figure, path: Path | str, *, dpi: int = 150) -> Path:
    """Save ``figure`` as ``path`` (.png at ``dpi``, .svg, .pdf), creating its folder; returns the path."""
    path = Path(path)
    kind = path.suffix.lower().removeprefix(".")
    if kind not in FORMATS:
        raise UsageError(f"{path}: cannot tell the format; end the name with .{', .'.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_beside(path)  # replaced whole: a symlink at ``path`` is replaced, never written through
    try:
        figure.savefig(tmp, format=kind, dpi=dpi)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
