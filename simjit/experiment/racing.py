"""Racing: a sequential ranking-and-selection procedure over candidates sharing common random numbers.

Every candidate in contention has played the same replications 0 … n−1, so candidate i and j are
compared on the paired differences x_i(r) − x_j(r), whose spread leaves out the luck both share.
After each round (a *look*) the procedure drops a candidate

* *infeasible*: a constraint ``KPI>=X`` / ``KPI<=X`` fails with confidence (its mean's CI lies on
  the wrong side of X), or
* *worse*: the paired one-sided t bound of its difference to the best candidate shown feasible is
  above zero (Maron & Moore 1994, Hoeffding races; with a t bound instead of Hoeffding's, as in
  Birattari et al. 2002's F-race, and Bonferroni over pairs as in Kim & Nelson 2001's
  all-pairwise elimination).

Every test is made at level α / (looks · tests per look) (Bonferroni), so with probability at
least the confidence no test over the whole race errs: the best feasible candidate is never
dropped and every verdict stated is right (up to the normal approximation of the t tests).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy import stats

from simjit.errors import UsageError

__all__ = ["Constraint", "Decision", "Judgement", "Race", "Verdict", "judge", "paired_bound"]

Verdict = Literal["feasible", "infeasible", "cannot tell"]

_CONSTRAINT = re.compile(r"\s*([\w./-]+)\s*(>=|<=)\s*(-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|-?\.\d+)\s*")


@dataclass(frozen=True)
class Constraint:
    """``KPI>=X`` or ``KPI<=X`` on the mean of a KPI of the policy set being tuned."""

    text: str
    kpi: str
    op: Literal[">=", "<="]
    bound: float

    @classmethod
    def parse(cls, text: str) -> Constraint:
        """Read ``fill_rate>=0.95`` (a KPI column, ``>=`` or ``<=``, a number); refuse anything else."""
        match = _CONSTRAINT.fullmatch(text)
        if match is None:
            raise UsageError(
                f"--subject-to {text}: expected KPI>=NUMBER or KPI<=NUMBER, e.g. fill_rate>=0.95 or "
                "dc/brake.avg_backorders<=3"
            )
        kpi, op, bound = match.groups()
        return cls(text, kpi, ">=" if op == ">=" else "<=", float(bound))

    def holds(self, value: float) -> bool:
        """Whether a mean of ``value`` meets the constraint."""
        return value >= self.bound if self.op == ">=" else value <= self.bound


@dataclass(frozen=True)
class Judgement:
    """A constraint judged on one candidate: the mean, its CI at the test's level, and the verdict."""

    mean: float
    low: float
    high: float
    verdict: Verdict


def judge(values: np.ndarray, constraint: Constraint, alpha: float) -> Judgement:
    """Feasible when the two-sided (1 − 2α) CI of the mean lies on the right side of the bound,
    infeasible when it lies on the wrong side, else "cannot tell" (each side a one-sided test at α)."""
    mean, half = _mean_half(values, alpha)
    low, high = mean - half, mean + half
    good_side, bad_side = (low >= constraint.bound, high < constraint.bound)
    if constraint.op == "<=":
        good_side, bad_side = high <= constraint.bound, low > constraint.bound
    verdict: Verdict = "feasible" if good_side else "infeasible" if bad_side else "cannot tell"
    return Judgement(mean, low, high, verdict)


def _mean_half(values: np.ndarray, alpha: float) -> tuple[float, float]:
    """The mean and the one-sided (1 − α) Student-t margin (0 when the values do not vary, inf for n < 2)."""
    n = len(values)
    mean = float(np.mean(values)) if n else math.nan
    if n < 2:
        return mean, math.inf
    sd = float(np.std(values, ddof=1))
    return mean, 0.0 if sd == 0 else float(stats.t.ppf(1 - alpha, n - 1)) * sd / math.sqrt(n)


def paired_bound(worse: np.ndarray, best: np.ndarray, alpha: float) -> tuple[float, float, float]:
    """Mean of the paired differences ``worse − best`` and its two-sided (1 − 2α) CI."""
    mean, half = _mean_half(worse - best, alpha)
    return mean, mean - half, mean + half


@dataclass(frozen=True)
class Decision:
    """What one look decided: the best candidate shown feasible (None if none is yet), the candidates
    dropped at this look with why, and the judgements of the constraints of every candidate looked at."""

    best: str | None
    dropped: dict[str, str] = field(default_factory=dict)
    judgements: dict[str, dict[str, Judgement]] = field(default_factory=dict)


@dataclass(frozen=True)
class Race:
    """The settings of a race: ``candidates`` (their count sets the Bonferroni split), ``constraints``,
    ``confidence``, ``first`` replications for everyone, then rounds growing by ``growth`` up to
    ``most`` per candidate; ``sign`` +1 to minimise the objective, −1 to maximise it."""

    candidates: int
    constraints: tuple[Constraint, ...] = ()
    confidence: float = 0.95
    first: int = 10
    growth: float = 1.5
    most: int = 200
    sign: float = 1.0

    def schedule(self) -> list[int]:
        """Replications per candidate after each look: ``first``, then ×``growth``, ending at ``most``."""
        n, steps = self.first, [self.first]
        while n < self.most:
            n = min(self.most, max(n + 1, math.ceil(n * self.growth)))
            steps.append(n)
        return steps

    @property
    def alpha_objective(self) -> float:
        """One-sided level of each paired comparison: α (half of it with constraints) / (looks · (K − 1))."""
        share = 0.5 if self.constraints else 1.0
        return share * (1 - self.confidence) / (len(self.schedule()) * max(1, self.candidates - 1))

    @property
    def alpha_constraint(self) -> float:
        """One-sided level of each constraint's test: α/2 / (looks · K · constraints)."""
        tests = len(self.schedule()) * self.candidates * max(1, len(self.constraints))
        return 0.5 * (1 - self.confidence) / tests

    def look(self, objective: Mapping[str, np.ndarray], kpis: Mapping[str, Mapping[str, np.ndarray]],
             alive: Sequence[str]) -> Decision:  # fmt: skip
        """Judge the constraints of every candidate in ``alive`` and drop those shown infeasible or
        worse than the best feasible one. ``objective[c]`` and ``kpis[c][kpi]`` hold candidate c's
        values over the same replications (paired across candidates)."""
        judgements = {c: {k.text: judge(kpis[c][k.kpi], k, self.alpha_constraint) for k in self.constraints}
                      for c in alive}  # fmt: skip
        dropped: dict[str, str] = {}
        for c in alive:
            failed = [t for t, j in judgements[c].items() if j.verdict == "infeasible"]
            if failed:
                dropped[c] = "infeasible: " + ", ".join(failed)
        feasible = [c for c in alive if all(j.verdict == "feasible" for j in judgements[c].values())]
        best = min(feasible, key=lambda c: self.sign * float(np.mean(objective[c])), default=None)
        if best is not None:
            for c in alive:
                if c == best or c in dropped:
                    continue
                _, low, _ = paired_bound(self.sign * objective[c], self.sign * objective[best], self.alpha_objective)
                if low > 0:
                    dropped[c] = f"worse than {best}"
        return Decision(best, dropped, judgements)
