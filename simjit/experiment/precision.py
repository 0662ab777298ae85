"""``--precision KPI=REL``: add replications until every policy's CI of KPI is narrow enough.

The relative half-width of a Student-t interval shrinks like 1/√n, so after a round of n
replications with relative half-width h against a target ε the next round aims at
n·(h/ε)² (a tenth more, rounded up to whole steps), never beyond the cap. The rounds depend
only on results, which depend only on the seed: a resumed run takes the same rounds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simjit.errors import Problem, ScenarioError
from simjit.experiment.columns import POLICY, VARIANT
from simjit.experiment.statistics import mean_ci

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Precision", "Shortfall"]


@dataclass(frozen=True)
class Shortfall:
    """The widest relative half-width found: where, how wide, against which target."""

    variant: str
    policy: str
    kpi: str
    relative: float
    target: float

    @property
    def ratio(self) -> float:
        """How many times too wide (≤ 1: reached)."""
        if self.relative == 0:
            return 0.0
        return self.relative / self.target if math.isfinite(self.relative) else math.inf


@dataclass(frozen=True)
class Precision:
    """Targets (KPI → relative half-width of its CI), the cap on replications and the CI level."""

    targets: Mapping[str, float]
    max_replications: int
    level: float = 0.95

    @classmethod
    def parse(cls, texts: Sequence[str], max_replications: int, level: float = 0.95) -> Precision:
        """``total_cost=0.02`` or ``fill_rate=1%`` (repeatable)."""
        targets = {}
        for text in texts:
            kpi, _, value = text.partition("=")
            try:
                rel = float(value[:-1]) / 100 if value.strip().endswith("%") else float(value)
            except ValueError:
                rel = math.nan
            if not kpi.strip() or not 0 < rel < 1:
                raise ScenarioError([Problem("", "expected KPI=REL with 0 < REL < 1, e.g. total_cost=0.02 or 2%",
                                             source=f"--precision {text}")])  # fmt: skip
            targets[kpi.strip()] = rel
        if max_replications < 2:
            raise ScenarioError([Problem("", f"expected at least 2, got {max_replications}",
                                         source="--max-replications")])  # fmt: skip
        return cls(targets, max_replications, level)

    def record(self) -> dict[str, Any]:
        """For the manifest and summary.json."""
        return {"targets": dict(self.targets), "max_replications": self.max_replications, "level": self.level}

    def worst(self, results: pd.DataFrame) -> Shortfall:
        """The (variant, policy, KPI) whose CI is widest relative to its target."""
        worst: Shortfall | None = None
        for (variant, policy), group in results.groupby([VARIANT, POLICY], sort=False):
            for kpi, target in self.targets.items():
                mean, lo, hi = mean_ci(group[kpi].to_numpy(dtype=float), self.level)
                half = (hi - lo) / 2
                relative = 0.0 if half == 0 else half / abs(mean) if mean else math.inf
                found = Shortfall(
                    str(variant), str(policy), kpi, relative if relative == relative else math.inf, target
                )
                if worst is None or found.ratio > worst.ratio:
                    worst = found
        assert worst is not None, "no results to judge"
        return worst

    def next_replications(self, worst: Shortfall, done: int, step: int) -> int | None:
        """Replications for the next round, or None when the target is reached or the cap hit."""
        if worst.ratio <= 1 or done >= self.max_replications:
            return None
        aim = done * 1.1 * worst.ratio**2 if math.isfinite(worst.ratio) else self.max_replications
        return min(self.max_replications, max(done + step, math.ceil(aim / step) * step))
