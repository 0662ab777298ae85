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

Two things the t bound cannot do are done otherwise (``docs/tuning.md``, "What the data cannot show"):

* A KPI whose replications all gave the same value shows no spread, and a t bound of zero width
  would "prove" any constraint it meets. Its bound is then what n equal replications support: with
  all n at v, P(KPI = v) ≥ α^(1/n) at confidence 1 − α (Clopper–Pearson with n successes of n; the
  *rule of three*, 1 − α^(1/n) ≈ 3/n at α = 5%), so for a KPI in [lo, hi] the mean lies in
  [lo + (v − lo)·α^(1/n), hi − (hi − v)·α^(1/n)]. A ratio (fill rate) lies in [0, 1]; a count or
  duration in [0, ∞); money is unbounded: there an unvarying KPI cannot be told.
* A replication where a KPI has no value (NaN: ``time_to_survive`` without a disruption event) is
  left out, as in ``run``'s tables; paired comparisons use the replications where both have one. A
  candidate whose objective has no value at all is never the best.
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
from simjit.experiment.columns import catalogued

__all__ = ["Constraint", "Decision", "Judgement", "Race", "Verdict", "judge", "kpi_range", "mean_of", "paired_bound"]

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
    """A constraint judged on one candidate: the mean, its one-sided bounds at the test's level, the verdict,
    and whether the KPI varied over the replications (when not, the bounds are the rule of three's)."""

    mean: float
    low: float
    high: float
    verdict: Verdict
    varied: bool = True


def judge(values: np.ndarray, constraint: Constraint, alpha: float) -> Judgement:
    """Feasible when the mean's one-sided (1 − α) bound that could miss the constraint still meets it
    (for ``KPI>=X`` the lower bound ≥ X), infeasible when the other one misses it (the upper bound < X),
    else "cannot tell". Replications without a value are left out; values that do not vary get the
    bounds n equal replications support (the module's docstring), never a bound of zero width."""
    mean, low, high = mean_bounds(values, alpha, kpi_range(constraint.kpi))
    good_side, bad_side = (low >= constraint.bound, high < constraint.bound)
    if constraint.op == "<=":
        good_side, bad_side = high <= constraint.bound, low > constraint.bound
    verdict: Verdict = "feasible" if good_side else "infeasible" if bad_side else "cannot tell"
    x = values[~np.isnan(values)]
    return Judgement(mean, low, high, verdict, len(x) < 2 or not _constant(x))


def kpi_range(kpi: str) -> tuple[float, float]:
    """The values a KPI column can take, from its unit in the catalogue: a ratio [0, 1], money any
    number, anything else (units, days, orders, a variance ratio) [0, ∞)."""
    entry = catalogued(kpi)
    if entry is None or entry.unit == "money":
        return -math.inf, math.inf
    return (0.0, 1.0) if entry.unit == "ratio" else (0.0, math.inf)


def mean_of(values: np.ndarray) -> float:
    """The mean over the replications with a value (NaN when none has one)."""
    x = values[~np.isnan(values)]
    return float(np.mean(x)) if len(x) else math.nan


def mean_bounds(values: np.ndarray, alpha: float, span: tuple[float, float]) -> tuple[float, float, float]:
    """The mean and its one-sided (1 − α) lower and upper bounds, over the replications with a value:
    Student-t ones when the values vary; when they do not, the rule-of-three bounds of a KPI in ``span``
    (infinite on an unbounded side); infinite for fewer than 2 values."""
    x = values[~np.isnan(values)]
    n = len(x)
    mean = float(np.mean(x)) if n else math.nan
    if n < 2:
        return mean, -math.inf, math.inf
    if _constant(x):
        share = alpha ** (1 / n)  # the (1 − α) lower bound of P(KPI = mean) after n replications all at it
        lo, hi = span
        low = lo + (mean - lo) * share if math.isfinite(lo) else -math.inf
        high = hi - (hi - mean) * share if math.isfinite(hi) else math.inf
        return mean, min(low, mean), max(high, mean)
    half = float(stats.t.ppf(1 - alpha, n - 1)) * float(np.std(x, ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half


def _constant(x: np.ndarray) -> bool:
    """Whether the values do not vary (up to rounding: a t bound on rounding noise is as empty as none)."""
    return float(np.ptp(x)) <= 1e-12 * max(1.0, float(np.max(np.abs(x))))


def _mean_half(values: np.ndarray, alpha: float) -> tuple[float, float]:
    """The mean and the one-sided (1 − α) Student-t margin over the values that are not NaN (0 when
    they do not vary, inf for fewer than 2)."""
    x = values[~np.isnan(values)]
    n = len(x)
    mean = float(np.mean(x)) if n else math.nan
    if n < 2:
        return mean, math.inf
    sd = float(np.std(x, ddof=1))
    return mean, 0.0 if sd == 0 else float(stats.t.ppf(1 - alpha, n - 1)) * sd / math.sqrt(n)


def paired_bound(worse: np.ndarray, best: np.ndarray, alpha: float) -> tuple[float, float, float]:
    """Mean of the paired differences ``worse − best`` and its two-sided (1 − 2α) CI, over the
    replications where both have a value."""
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
        means = {c: mean_of(objective[c]) for c in alive}
        feasible = [c for c in alive if not math.isnan(means[c])  # no value: never the best
                    and all(j.verdict == "feasible" for j in judgements[c].values())]  # fmt: skip
        best = min(feasible, key=lambda c: self.sign * means[c], default=None)
        if best is not None:
            for c in alive:
                if c == best or c in dropped:
                    continue
                _, low, _ = paired_bound(self.sign * objective[c], self.sign * objective[best], self.alpha_objective)
                if low > 0:
                    dropped[c] = f"worse than {best}"
        return Decision(best, dropped, judgements)
