"""Search a large tune space with optuna's TPE sampler, then leave the final selection to the race.

A grid of a few dozen candidates is raced whole: its first round alone is ``first`` × candidates
replications. Past :data:`SEARCH_THRESHOLD` candidates that first round costs more than the search
needs, so a well-kept optimiser (optuna's Tree-structured Parzen Estimator, Bergstra et al. 2011)
proposes candidates of the grid, each scored on a few replications 0 … m−1 (common random numbers,
so scores are paired), and the best :data:`FINALISTS` distinct candidates go to the race, which
reuses those replications and makes the statement (best, CI, ties) among them.

Everything here is deterministic given the scenario's seed: the sampler is seeded from it, trials
are asked in batches of a fixed size (not the backend's width) and told in order, so a tune gives
the same result serially, on processes and on Dask. The caller plays the replications
(``evaluate``), through the same worker path as the race, and stores them for the race to reuse.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from simjit.errors import UsageError
from simjit.experiment.plan import Variant
from simjit.experiment.tune_space import Parameter

if TYPE_CHECKING:
    import optuna

__all__ = [
    "BATCH",
    "DEFAULT_TRIALS",
    "FINALISTS",
    "SEARCH_REPLICATIONS",
    "SEARCH_THRESHOLD",
    "Score",
    "SearchMode",
    "SearchPlan",
    "SearchResult",
    "Space",
    "choose_mode",
    "finalists",
    "plan_search",
    "search",
]

SearchMode = Literal["auto", "grid", "optuna"]

SEARCH_THRESHOLD = 60
"""Candidates above which ``--search auto`` searches with optuna instead of racing the whole grid."""
FINALISTS = 8
"""Distinct candidates the search hands to the race."""
SEARCH_REPLICATIONS = 4
"""Replications 0 … m−1 each trial's candidate plays (capped by the race's ``first``)."""
DEFAULT_TRIALS = 100
"""Trials of the search when no ``--budget`` is given."""
BATCH = 8
"""Trials asked before their replications play: fixed, so the result does not depend on the backend."""
ASKS_PER_TRIAL = 5
"""Asks allowed per trial of the budget: proposals of a candidate already scored are told its score
at no cost, and this bounds them when the sampler keeps proposing known candidates."""


def choose_mode(mode: SearchMode, count: int) -> Literal["grid", "optuna"]:
    """``grid`` races every candidate, ``optuna`` searches first; ``auto`` searches past the threshold."""
    if mode == "auto":
        return "optuna" if count > SEARCH_THRESHOLD else "grid"
    return mode


@dataclass(frozen=True)
class Score:
    """A candidate scored on the search's replications: the objective's mean (× sign, so lower is
    better) and, per constraint, how far its mean lies on the wrong side of the bound (≤ 0 meets it)."""

    value: float
    constraints: tuple[float, ...] = ()

    @property
    def violation(self) -> float:
        """The total by which the means miss their bounds (0 when every constraint is met)."""
        return sum(max(0.0, c) for c in self.constraints)


@dataclass(frozen=True)
class SearchPlan:
    """How the search runs: ``trials`` distinct candidates scored (the budget's share), ``replications``
    each, ``finalists`` raced, the sampler's ``seed``, and the candidate the formulas point at
    (``warm``, enqueued as the first trial; None when no formula covers the parameters)."""

    trials: int
    replications: int
    finalists: int
    seed: int
    warm: str | None


@dataclass
class SearchResult:
    """What the search did: the candidate of each trial in order (repeats included), every distinct
    candidate's score, the finalists (best first), the replications each candidate played and in all."""

    trials: list[str] = field(default_factory=list)
    scores: dict[str, Score] = field(default_factory=dict)
    finalists: list[str] = field(default_factory=list)
    replications: int = 0
    played: int = 0


@dataclass(frozen=True)
class Space:
    """The grid as optuna sees it: per parameter its values (numbers sorted, so that the sampler's
    integer index keeps their order; anything else categorical), and the candidate of each point."""

    parameters: tuple[Parameter, ...]
    choices: dict[str, tuple[Any, ...]]
    ordinal: dict[str, bool]
    points: dict[tuple[Any, ...], str]

    @classmethod
    def of(cls, parameters: Sequence[Parameter], candidates: Sequence[Variant]) -> Space:
        """The space of ``candidates``, every one a combination of the parameters' values."""
        choices: dict[str, tuple[Any, ...]] = {}
        ordinal: dict[str, bool] = {}
        for p in parameters:
            values = list(dict.fromkeys(v.params[p.path] for v in candidates))
            numeric = all(isinstance(x, int | float) and not isinstance(x, bool) for x in values)
            choices[p.path] = tuple(sorted(values) if numeric else values)
            ordinal[p.path] = numeric
        points = {tuple(v.params[p.path] for p in parameters): v.name for v in candidates}
        return cls(tuple(parameters), choices, ordinal, points)

    def suggest(self, trial: optuna.Trial) -> str:
        """The candidate a trial proposes: an integer index per ordered parameter, a category otherwise."""
        point = []
        for p in self.parameters:
            values = self.choices[p.path]
            if self.ordinal[p.path]:
                point.append(values[trial.suggest_int(p.path, 0, len(values) - 1)])
            else:
                point.append(values[trial.suggest_categorical(p.path, list(range(len(values))))])
        return self.points[tuple(point)]

    def fixed(self, name: str) -> dict[str, int]:
        """The trial parameters that propose candidate ``name`` (for ``enqueue_trial``)."""
        point = next(k for k, v in self.points.items() if v == name)
        return {p.path: self.choices[p.path].index(x) for p, x in zip(self.parameters, point, strict=True)}


Evaluate = Callable[[Sequence[str]], Mapping[str, Score]]
"""Play the search's replications of the candidates named (in that order) and score them."""


def search(space: Space, plan: SearchPlan, evaluate: Evaluate) -> SearchResult:
    """Run the TPE search: the warm start first, then batches of :data:`BATCH` asks, each batch's new
    candidates played together by ``evaluate``, until ``plan.trials`` distinct candidates are scored
    (or the grid is exhausted, or the sampler keeps proposing known ones); return the finalists."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        sampler = optuna.samplers.TPESampler(seed=plan.seed % 2**32, multivariate=True, constant_liar=True)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    if plan.warm is not None:
        study.enqueue_trial(space.fixed(plan.warm))
    result = SearchResult(replications=plan.replications)
    wanted = min(plan.trials, len(space.points))
    asks = 0
    while len(result.scores) < wanted and asks < plan.trials * ASKS_PER_TRIAL:
        size = min(BATCH, wanted - len(result.scores))
        asked = [study.ask() for _ in range(size)]
        asks += size
        names = [space.suggest(t) for t in asked]
        new = list(dict.fromkeys(n for n in names if n not in result.scores))
        scored = evaluate(new) if new else {}
        result.played += len(new) * plan.replications
        result.scores.update(scored)
        for trial, name in zip(asked, names, strict=True):
            score = result.scores[name]
            for i, miss in enumerate(score.constraints):
                trial.set_constraint(f"constraint {i}", miss)
            study.tell(trial, score.value)
            result.trials.append(name)
    result.finalists = finalists(result.scores, plan.finalists)
    return result


def finalists(scores: Mapping[str, Score], k: int) -> list[str]:
    """The ``k`` best candidates scored: those meeting the constraints first, by value; then the
    least violating. Ties keep the order in which candidates were first scored."""
    order = {name: i for i, name in enumerate(scores)}
    ranked = sorted(scores, key=lambda n: (scores[n].violation, scores[n].value, order[n]))
    return ranked[:k]


def plan_search(count: int, first: int, budget: int | None, seed: int, warm: str | None) -> tuple[SearchPlan, int]:
    """The search's plan and the race's share of the budget. The race gets what a grid race of the
    finalists would by default (``first`` × finalists × 4); the rest buys trials of m replications."""
    replications = min(SEARCH_REPLICATIONS, first)
    raced = min(FINALISTS, count)
    race_share = first * raced * 4
    if budget is None:
        trials = min(DEFAULT_TRIALS, count)
    else:
        trials = (budget - race_share) // replications
        least = race_share + 2 * raced * replications
        if trials < 2 * raced:
            raise UsageError(
                f"--budget {budget}: a search over {count} candidates needs at least {least} replications "
                f"({race_share} for the race of its {raced} finalists, {replications} for each of at least "
                f"{2 * raced} trials); give more, or --search grid to race every candidate"
            )
        trials = min(trials, count)
        race_share = budget - trials * replications
    return SearchPlan(trials, replications, raced, seed, warm), race_share
