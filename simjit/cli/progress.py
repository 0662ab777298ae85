"""The progress bar of ``run`` and ``sweep`` on stderr: tasks done, tasks per second, time left."""

from __future__ import annotations

from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from simjit.cli.console import err

__all__ = ["Bar"]


class _RateColumn(ProgressColumn):
    """Tasks per second."""

    def render(self, task: Any) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "–/s", style="progress.data.speed")


class Bar:
    """The progress bar, started on the first report (after the backend has started its workers)."""

    def __init__(self, description: str = "") -> None:
        self.description = description
        self.progress = Progress(
            TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(), _RateColumn(), TimeElapsedColumn(),
            TimeRemainingColumn(), console=err, transient=True,
        )  # fmt: skip
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task(self.description, total=total, completed=done)
        self.progress.update(self.task, completed=done, total=total)

    def stop(self) -> None:
        """Take the bar off the terminal (before anything else is printed there)."""
        if self.task is not None:
            self.progress.stop()
            self.task = None
