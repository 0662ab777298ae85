"""The kinds given by data rather than parameters: values listed in the scenario (empirical) or
read from a CSV file and played in order (trace)."""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import Field, PrivateAttr, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from simjit.scenario.distributions.base import DistributionSpec, Draw
from simjit.scenario.types import NonNegative

if TYPE_CHECKING:
    import numpy as np

__all__ = ["KINDS", "Empirical", "Trace", "read_trace"]


class Empirical(DistributionSpec):
    """``empirical: [values…]`` — each value equally likely."""

    tag: ClassVar[str] = "empirical"
    empirical: Annotated[list[NonNegative], Field(min_length=1)] = Field(
        description="The values (>= 0), each equally likely."
    )

    def moments(self) -> tuple[float, float]:
        return _moments_of(self.empirical)

    def support(self) -> tuple[float, float]:
        return min(self.empirical), max(self.empirical)

    def draw(self) -> Draw | float:
        import numpy as np

        values = np.array(self.empirical, dtype=float)
        return lambda rng, n: rng.choice(values, n)


class Trace(DistributionSpec):
    """``trace: file.csv`` — a column of numbers played in order, path relative to the scenario.

    The values are read once, at validation, so a scenario travels to workers whole.
    """

    tag: ClassVar[str] = "trace"
    trace: str = Field(description="CSV file, relative to the scenario; its first column is played in order.")
    _values: tuple[float, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _read(self, info: ValidationInfo) -> Trace:
        context = info.context or {}
        base = Path(context.get("base_dir", "."))
        path = base / self.trace
        if not context.get("files_anywhere") and not path.resolve().is_relative_to(base.resolve()):
            raise PydanticCustomError(
                "trace_outside",
                "trace file {name} is outside the scenario's folder {folder}; copy it beside the scenario (or "
                "allow files anywhere: --allow-outside-files, load_scenario(..., files_anywhere=True))",
                {"name": self.trace, "folder": str(base)},
            )
        self._values = read_trace(path, self.trace)
        return self

    @property
    def values(self) -> tuple[float, ...]:
        """The numbers of the trace, in file order."""
        return self._values

    def moments(self) -> tuple[float, float]:
        return _moments_of(self._values)

    def support(self) -> tuple[float, float]:
        return min(self._values), max(self._values)

    def draw(self) -> Draw | float:
        """The trace from its start, again and again; data, not randomness: the generator is not used."""
        import numpy as np

        values = np.array(self._values, dtype=float)
        played = 0

        def replay(rng: np.random.Generator, n: int) -> np.ndarray:
            nonlocal played
            out = values[(played + np.arange(n)) % len(values)]
            played += n
            return out

        return replay


KINDS: tuple[type[DistributionSpec], ...] = (Empirical, Trace)
"""This module's kinds, in the order messages and the schema list them."""


def _moments_of(values: Sequence[float]) -> tuple[float, float]:
    """Mean and (population) sd of equally likely values."""
    mean = math.fsum(values) / len(values)
    var = math.fsum((v - mean) ** 2 for v in values) / len(values)
    return mean, math.sqrt(var)


def read_trace(path: Path, shown: str) -> tuple[float, ...]:
    """Read the first column of a CSV (a header line is allowed; a UTF-8 byte-order mark is not data) as floats."""
    if not path.is_file():
        raise PydanticCustomError(
            "trace_missing", "trace file {name} not found (looked in {path})", {"name": shown, "path": str(path.parent)}
        )
    values: list[float] = []
    with path.open(newline="", encoding="utf-8-sig") as fh:  # -sig: Excel's "CSV UTF-8" starts with a BOM
        for row_no, row in enumerate(csv.reader(fh), start=1):
            if not row or not row[0].strip():
                continue
            try:
                value = float(row[0])
            except ValueError:
                if row_no == 1:
                    continue
                raise PydanticCustomError(  # the line itself is not quoted: the file may not be the user's to show
                    "trace_value",
                    "{name} line {line}: expected a number in the first column (a header only on line 1)",
                    {"name": shown, "line": row_no},
                ) from None
            if not math.isfinite(value) or value < 0:
                raise PydanticCustomError(
                    "trace_value",
                    "{name} line {line}: expected a finite number >= 0 in the first column",
                    {"name": shown, "line": row_no},
                )
            values.append(value)
    if not values:
        raise PydanticCustomError("trace_empty", "trace file {name} holds no numbers", {"name": shown})
    return tuple(values)
