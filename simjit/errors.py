"""One exception hierarchy for everything simjit reports to a user.

Every error names the user's thing (file, line, field, supplier, item), never our
internals; the CLI prints them without a traceback and exits with code 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "PluginError",
    "Problem",
    "ScenarioError",
    "SimjitError",
    "SimulationError",
    "UsageError",
]


class SimjitError(Exception):
    """Root of every error simjit raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One mistake in a scenario: where it is, what was expected, what was found."""

    field: str
    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    source: str | None = None

    def format(self, file: str | None = None) -> str:
        """Render as ``file:LINE:COL: field: message (hint)`` like a compiler does."""
        where = self.source or file or "<scenario>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class ScenarioError(SimjitError, ValueError):
    """A scenario that cannot be used, with every problem found in it at once."""

    def __init__(self, problems: Sequence[Problem], file: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.file = file
        super().__init__(self.render())

    def render(self) -> str:
        """All problems, one per line, in file order."""
        return "\n".join(p.format(self.file) for p in self.problems)

    @classmethod
    def single(cls, message: str, file: str | None = None, **where: object) -> ScenarioError:
        """A scenario error with one problem (file-level: unreadable, empty, not a mapping…)."""
        return cls([Problem(field=str(where.pop("field", "")), message=message, **where)], file)  # type: ignore[arg-type]


class UsageError(SimjitError, ValueError):
    """An option or argument a command or function cannot use (an unknown KPI, a bad count, a replication
    number given as text): exit 2 on the command line."""


class UnknownNameError(SimjitError, KeyError):
    """A name the scenario does not hold (a policy set…), said with the names it does hold; a KeyError still,
    for code that looks names up and catches one."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""  # KeyError's own would quote the whole sentence


class PluginError(SimjitError, ValueError):
    """A user's policy plug-in that cannot be loaded or was not allowed."""


class SimulationError(SimjitError, RuntimeError):
    """The simulation broke an invariant (units not conserved, negative stock…): a bug to report."""
