"""Tune one policy set: search a parameter space for its best settings with a statistical statement.

Every candidate is a variant of the scenario played with the same seed and replication numbers
(common random numbers), so candidates are compared on paired differences. The candidates race
(:mod:`simjit.experiment.racing`): all play ``first`` replications, then only those still in
contention play more, round after round, until one is left, the schedule ends or the budget is
spent. Replications are played by the same worker function as ``run`` on any backend, so results
do not depend on it; every replication played is appended to ``DIR/observations.jsonl``, so an
interrupted tune resumes (``resume=True``) without playing anything twice.

A space of more than :data:`~simjit.experiment.tune_search.SEARCH_THRESHOLD` candidates is searched
first (:mod:`simjit.experiment.tune_search`, optuna's TPE on a few replications per trial) and only
the best few found race; the replications the search played count in the race.
"""

from __future__ import annotations

import difflib
import json
import math
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simjit.errors import SimjitError, UsageError
from simjit.experiment.backends import Backend, SerialBackend, make_backend
from simjit.experiment.columns import POLICY, REPLICATION, VARIANT, catalogued, kpi_columns
from simjit.experiment.plan import Plan, Variant, batches
from simjit.experiment.racing import Constraint, Judgement, Race, judge, mean_of, paired_bound
from simjit.experiment.resume import changes_between
from simjit.experiment.statistics import mean_ci
from simjit.experiment.store import data_digests, scenario_hash
from simjit.experiment.tune_edges import edge_notes
from simjit.experiment.tune_search import (
    Score,
    SearchMode,
    SearchPlan,
    SearchResult,
    Space,
    choose_mode,
    plan_search,
    search,
)
from simjit.experiment.tune_space import Parameter, candidates, check_policy_path, first_guess, ordered, parse_param
from simjit.experiment.worker import Work
from simjit.model.catalogue import headline
from simjit.scenario.models import Scenario
from simjit.scenario.overrides import assignments_text

__all__ = [
    "CandidateResult",
    "Prepared",
    "TuneOutcome",
    "TuneSpec",
    "prepare_tune",
    "run_tune",
    "tune_policy",
    "tuned_differences",
]

Progress = Callable[[int, int], None]
OBSERVATIONS = "observations.jsonl"
SPEC = "tune.json"
TUNED = "tuned.yaml"
NOTES = "notes"
"""The key of ``tune.json`` that keeps the last race's warnings (no part of what its observations depend on)."""
TUNED_FOR = "tuned_for.json"
"""The scenario the best was found for (its validated document and data files' digests), which
``--tuned DIR`` compares with the scenario it is applied to."""


@dataclass(frozen=True)
class TuneSpec:
    """What to tune: the policy set, the parameters, the objective (minimised, or maximised with
    ``maximize``), the constraints, the confidence of the statement and the replications allowed:
    ``budget`` in all (default ``first`` × candidates × 4), ``first`` for everyone, ``most`` per candidate;
    ``search``: race the whole ``grid``, ``optuna`` search first, or ``auto`` (search large spaces)."""

    policy: str
    parameters: tuple[Parameter, ...]
    objective: str | None = None
    """None: the scenario's headline (profit, maximised, where every item customers buy has a price; else
    total_cost, minimised)."""
    maximize: bool = False
    constraints: tuple[Constraint, ...] = ()
    confidence: float = 0.95
    budget: int | None = None
    first: int = 10
    most: int = 200
    search: SearchMode = "auto"

    @property
    def kpi(self) -> str:
        """The objective's KPI (once prepared, never None)."""
        assert self.objective is not None, "a tune's objective is settled by prepare_tune"
        return self.objective


@dataclass(frozen=True)
class Prepared:
    """A tune checked and ready to play: the base scenario, the candidates nearest the first guess
    first, the guesses per parameter path, the race's settings, the replications in all, and the
    search's plan (None when the whole grid races) with the race's share of the budget."""

    spec: TuneSpec
    base: Scenario
    candidates: tuple[Variant, ...]
    guesses: dict[str, float | None]
    race: Race
    budget: int
    search: SearchPlan | None = None
    race_budget: int = 0


@dataclass(frozen=True)
class CandidateResult:
    """One candidate at the end: its parameters, replications, objective mean and CI, the paired
    difference to the best and its CI (at the race's level), its constraints, and its status."""

    name: str
    params: dict[str, Any]
    replications: int
    mean: float
    ci_low: float
    ci_high: float
    diff: float
    diff_low: float
    diff_high: float
    judgements: dict[str, Judgement]
    status: str


@dataclass
class TuneOutcome:
    """What a tune found: every candidate's result (the kept ones first), the best (None when no
    candidate was shown feasible), those that cannot be told apart from it, why the race stopped,
    and the replications it used out of its budget; after a search, what the search did and the
    candidates in the space (only the candidates it scored have results)."""

    directory: Path
    spec: TuneSpec
    results: list[CandidateResult]
    best: str | None
    tied: list[str]
    stopped: str
    used: int
    budget: int
    looks: int
    guesses: dict[str, float | None] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    search: SearchResult | None = None
    space: int = 0
    notes: list[str] = field(default_factory=list)
    """Warnings about what was found: a best on the edge of a range searched (:mod:`.tune_edges`)."""

    def best_params(self) -> dict[str, Any]:
        """The parameters of the best candidate (``{}`` when there is none)."""
        return next((r.params for r in self.results if r.name == self.best), {})

    def observations(self) -> pd.DataFrame:
        """Every replication the race played, one row per (candidate, replication): the ids, the
        candidate's parameters and the KPIs it judged (the table :func:`simjit.plots.sweep_response` reads)."""
        rows = []
        for line in (self.directory / OBSERVATIONS).read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        params = {r.name: r.params for r in self.results}
        table = [{VARIANT: row[VARIANT], POLICY: self.spec.policy, REPLICATION: row[REPLICATION],
                  **params[row[VARIANT]], **row["kpis"]} for row in rows if row[VARIANT] in params]  # fmt: skip
        return pd.DataFrame(table).drop_duplicates([VARIANT, REPLICATION], keep="last")

    def kept(self) -> list[CandidateResult]:
        """The candidates still in contention at the end."""
        return [r for r in self.results if not r.status.startswith("dropped")]

    def table(self) -> pd.DataFrame:
        """One row per candidate played, as in ``results`` (the best first, then those in contention):
        its parameters, replications ``n``, the objective's mean and CI, its paired difference to the
        best with the race's CI, each constraint's mean (under the KPI) and verdict, and its status."""
        rows = []
        for r in self.results:
            row: dict[str, Any] = {**r.params, "n": r.replications, "mean": r.mean, "ci_low": r.ci_low,
                                   "ci_high": r.ci_high, "diff": r.diff, "diff_low": r.diff_low,
                                   "diff_high": r.diff_high}  # fmt: skip
            for constraint in self.spec.constraints:
                judged = r.judgements[constraint.text]
                row[constraint.kpi], row[constraint.text] = judged.mean, judged.verdict
            rows.append({**row, "status": r.status})
        return pd.DataFrame(rows)


def tune_policy(
    scenario: str | Path, policy: str, params: str | Sequence[str], *, objective: str | None = None,
    maximize: bool = False, subject_to: str | Sequence[str] = (), budget: int | None = None,
    confidence: float = 0.95, first: int = 10, most: int = 200, search: SearchMode = "auto",
    overrides: Sequence[str] = (), directory: str | Path | None = None, workers: int = 1,
    allow_plugins: bool = False,
) -> TuneOutcome:  # fmt: skip
    """``simjit tune`` from Python: race the settings of ``policy`` in the scenario file and return
    what the race found. ``params`` are ``--param`` texts (``PATH=LO:HI[:STEP]`` or ``PATH=v1,v2,…``),
    ``subject_to`` ``--subject-to`` texts (``fill_rate>=0.9``), ``overrides`` ``--set`` texts; the
    other options are the command's. ``directory`` is its ``-o DIR`` (default: a new temporary
    folder, kept: the outcome reads its observations from there)."""
    params = [params] if isinstance(params, str) else list(params)
    subject_to = [subject_to] if isinstance(subject_to, str) else list(subject_to)
    spec = TuneSpec(policy, tuple(parse_param(p) for p in params), objective, maximize,
                    tuple(Constraint.parse(c) for c in subject_to), confidence, budget, first, most, search)  # fmt: skip
    prepared = prepare_tune(Path(scenario), spec, overrides)
    folder = Path(directory) if directory is not None else Path(tempfile.mkdtemp(prefix="simjit-tune-"))
    backend = make_backend(workers, tasks=prepared.budget)
    return run_tune(prepared, folder, backend=backend, allow_plugins=allow_plugins)


def prepare_tune(file: Path, spec: TuneSpec, overrides: Sequence[str] = (), files_anywhere: bool = False) -> Prepared:
    """Check the tune before anything plays: the policy set, the parameters (every candidate
    validated, bad values reported at their ``--param``), the KPIs and the counts."""
    if not 0.5 <= spec.confidence < 1:
        raise UsageError(f"--confidence: expected a level in [0.5, 1), got {spec.confidence:g}")
    if spec.first < 2 or spec.most < spec.first:
        raise UsageError(f"--first: expected 2 ≤ first ≤ most replications, got {spec.first} and {spec.most}")
    base, variants = candidates(file, spec.parameters, overrides, files_anywhere)
    if spec.policy not in base.policies:
        sets = ", ".join(base.policies)
        raise UsageError(f"--policy {spec.policy}: unknown policy set {spec.policy!r} (known policy sets: {sets})")
    for parameter in spec.parameters:
        check_policy_path(parameter, spec.policy, list(base.policies))
    if spec.objective is None:
        spec = replace(spec, objective=headline(base), maximize=headline(base) == "profit")
    known = kpi_columns(base)
    _check_kpi(spec.kpi, known, "--maximize" if spec.maximize else "--minimize")
    for constraint in spec.constraints:
        _check_kpi(constraint.kpi, known, f"--subject-to {constraint.text}")
    guesses = {p.path: first_guess(base, spec.policy, p.path) for p in spec.parameters}
    kept = ordered(variants, spec.parameters, list(guesses.values()))
    sign = -1.0 if spec.maximize else 1.0
    if choose_mode(spec.search, len(kept)) == "optuna":
        warm = kept[0].name if any(g is not None for g in guesses.values()) else None
        plan, race_budget = plan_search(len(kept), spec.first, spec.budget, base.seed, warm)
        race = Race(plan.finalists, spec.constraints, spec.confidence, spec.first, most=spec.most, sign=sign)
        budget = plan.trials * plan.replications + race_budget
        return Prepared(spec, base, tuple(kept), guesses, race, budget, plan, race_budget)
    budget = spec.budget if spec.budget is not None else spec.first * len(kept) * 4
    if budget < spec.first * len(kept):
        raise UsageError(
            f"--budget {budget}: the first round alone plays {spec.first} replications of each of the "
            f"{len(kept)} candidates ({spec.first * len(kept)}); give a budget of at least that"
        )
    race = Race(len(kept), spec.constraints, spec.confidence, spec.first, most=spec.most, sign=sign)
    return Prepared(spec, base, tuple(kept), guesses, race, budget, race_budget=budget)


def _check_kpi(kpi: str, known: Sequence[str], option: str) -> None:
    if kpi not in known:
        close = difflib.get_close_matches(kpi, list(known), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "see docs/kpis.md; per stock point: site/item.kpi"
        raise UsageError(f"{option}: unknown KPI {kpi!r} ({hint})")


class _Observations:
    """Every (candidate, replication) played: the KPIs the race needs, appended to a JSON-lines file
    as batches finish so that an interrupted tune resumes where it stopped."""

    def __init__(self, path: Path, kpis: Sequence[str]) -> None:
        self.path, self.kpis = path, list(kpis)
        self.values: dict[str, dict[int, dict[str, float]]] = {}
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:  # a line cut short by a crash: played again
                    continue
                self.values.setdefault(row[VARIANT], {})[row[REPLICATION]] = row["kpis"]

    def count(self, candidate: str) -> int:
        """Replications 0 … n−1 stored for ``candidate``: the n."""
        stored, n = self.values.get(candidate, {}), 0
        while n in stored:
            n += 1
        return n

    def add(self, rows: Sequence[dict[str, Any]]) -> None:
        """Keep and append the rows of a finished batch."""
        with self.path.open("a", encoding="utf-8") as out:
            for row in rows:
                kpis = {k: float(row[k]) for k in self.kpis}
                self.values.setdefault(str(row[VARIANT]), {})[int(row[REPLICATION])] = kpis
                out.write(json.dumps({VARIANT: row[VARIANT], REPLICATION: row[REPLICATION], "kpis": kpis}) + "\n")

    def array(self, candidate: str, kpi: str, n: int) -> np.ndarray:
        """The values of ``kpi`` over replications 0 … n−1 of ``candidate``."""
        stored = self.values[candidate]
        return np.array([stored[r][kpi] for r in range(n)], dtype=float)


def run_tune(
    prepared: Prepared, directory: Path, *, backend: Backend | None = None, progress: Progress | None = None,
    allow_plugins: bool = False, resume: bool = False, force: bool = False, timeout: float | None = None,
) -> TuneOutcome:  # fmt: skip
    """Race the candidates of ``prepared`` (after a search, its finalists) into ``directory`` and write
    ``tuned.yaml`` (the best's settings as ``--set`` assignments) beside the observations. ``resume``
    reuses the replications an earlier call of the same tune stored there; ``force`` replaces them."""
    spec = prepared.spec
    if timeout is not None and not timeout > 0:
        raise UsageError(f"--timeout: expected a number of seconds > 0, got {timeout:g}")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SimjitError(f"-o {directory}: cannot make the tune's directory ({exc.strerror or exc})") from None
    _claim(directory, prepared, resume, force)
    kpis = list(dict.fromkeys([spec.kpi, *(c.kpi for c in spec.constraints)]))
    seen = _Observations(directory / OBSERVATIONS, kpis)
    plan = Plan(prepared.candidates, (spec.policy,), prepared.race.most)
    work = Work(plan, allow_plugins, timeout)
    names, race, race_budget, offset = [v.name for v in prepared.candidates], prepared.race, prepared.race_budget, 0
    searched: SearchResult | None = None
    with backend or SerialBackend() as runner:
        if prepared.search is not None:
            searched = _search(prepared, prepared.search, runner, work, plan, seen, progress)
            names = searched.finalists
            # The finalists' replications 0 … m−1 were played by the search: the race counts them in its
            # rounds (as it counts stored ones on --resume), so its budget grows by them and they count once.
            prepaid = prepared.search.replications * len(names)
            race, race_budget = replace(race, candidates=len(names)), race_budget + prepaid
            offset = searched.played - prepaid
        shifted = None if progress is None else _shift(progress, offset, prepared.budget)
        raced = _race(runner, work, plan, seen, spec, names, race, race_budget, shifted)
    used = offset + raced.used
    if progress is not None:
        progress(used, used)
    dropped = dict(raced.dropped)
    if searched is not None and prepared.search is not None:
        m, k = prepared.search.replications, len(searched.finalists)
        for name in searched.scores:
            if name not in searched.finalists:
                dropped[name] = (f"dropped by the search: not among its {k} best on {m} replications", m)
    outcome = _outcome(directory, prepared, race, seen, raced, dropped, used)
    outcome.search, outcome.space = searched, len(prepared.candidates)
    outcome.notes = edge_notes(spec.parameters, outcome.best_params())
    _write(directory, outcome, prepared.candidates)
    return outcome


@dataclass
class _Raced:
    """Where a race ended: the candidates left, those dropped (why, at how many replications), the
    replications each left played, why it stopped, the replications it counted and its looks."""

    alive: list[str]
    dropped: dict[str, tuple[str, int]]
    n: int
    stopped: str
    used: int
    looks: int


def _race(
    runner: Backend, work: Work, plan: Plan, seen: _Observations, spec: TuneSpec, names: Sequence[str], race: Race,
    budget: int, progress: Progress | None,
) -> _Raced:  # fmt: skip
    """Race ``names`` on the objective round after round of ``race``'s schedule within ``budget``
    replications (stored ones count: the same tune resumed takes the same decisions). An objective
    without a value in any replication of any candidate after the first round stops the tune."""
    objective = spec.kpi
    alive, dropped, used, looks, stopped = list(names), {}, 0, 0, "the schedule ended"
    n = 0
    for target in race.schedule():
        affordable = n + (budget - used) // len(alive)
        step = min(target, affordable)
        if step <= n:
            stopped = "the budget was spent"
            break
        used += _play(runner, work, plan, seen, alive, n, step, used, budget, progress)
        n, looks = step, looks + 1
        if looks == 1:
            _check_has_values(seen, alive, spec, n)
        decision = race.look(_arrays(seen, alive, objective, n),
                             {c: {k: seen.array(c, k, n) for k in seen.kpis} for c in alive}, alive)  # fmt: skip
        for name, why in decision.dropped.items():
            dropped[name] = (f"dropped at {n} replications: {why}", n)
        alive = [c for c in alive if c not in decision.dropped]
        if not alive:
            stopped = "every candidate was dropped"
            break
        if len(alive) == 1 and decision.best == alive[0]:
            stopped = "one candidate was left"
            break
        if decision.best is not None and _identical(seen, alive, objective, n):
            stopped = "the candidates left played identically"
            break
        if step < target:
            stopped = "the budget was spent"
            break
    return _Raced(alive, dropped, n, stopped, used, looks)


def _search(
    prepared: Prepared, search_plan: SearchPlan, runner: Backend, work: Work, plan: Plan, seen: _Observations,
    progress: Progress | None,
) -> SearchResult:  # fmt: skip
    """Search the space with ``search_plan``: each trial's candidate plays replications 0 … m−1
    through the race's worker path (stored, so the race reuses them and --resume replays nothing)."""
    spec, m, played = prepared.spec, search_plan.replications, 0

    def evaluate(names: Sequence[str]) -> dict[str, Score]:
        nonlocal played
        played += _play(runner, work, plan, seen, names, 0, m, played, prepared.budget, progress)
        return {name: _score(seen, name, spec, m) for name in names}

    return search(Space.of(spec.parameters, prepared.candidates), search_plan, evaluate)


def _score(seen: _Observations, name: str, spec: TuneSpec, m: int) -> Score:
    """A candidate's search score: its objective's mean (lower is better) and how far each
    constraint's mean misses its bound (≤ 0: met), over replications 0 … m−1."""
    sign = -1.0 if spec.maximize else 1.0
    misses = []
    for c in spec.constraints:
        mean = mean_of(seen.array(name, c.kpi, m))
        misses.append(math.inf if math.isnan(mean) else c.bound - mean if c.op == ">=" else mean - c.bound)
    value = mean_of(seen.array(name, spec.kpi, m))
    return Score(math.inf if math.isnan(value) else sign * value, tuple(misses))  # no value: never preferred


def _shift(progress: Progress, offset: int, total: int) -> Progress:
    """The progress of a later phase: its count after ``offset`` replications, out of ``total``."""
    return lambda done, _: progress(offset + done, total)


def _arrays(seen: _Observations, alive: Sequence[str], kpi: str, n: int) -> dict[str, np.ndarray]:
    return {c: seen.array(c, kpi, n) for c in alive}


def _identical(seen: _Observations, alive: Sequence[str], kpi: str, n: int) -> bool:
    """Whether every candidate left has the same objective in every replication (more cannot part them)."""
    first = seen.array(alive[0], kpi, n)
    return all(np.array_equal(seen.array(c, kpi, n), first, equal_nan=True) for c in alive[1:])


def _check_has_values(seen: _Observations, alive: Sequence[str], spec: TuneSpec, n: int) -> None:
    """Refuse to go on when the objective has no value (NaN) in any of the ``n`` replications of any
    candidate: no mean can be compared, so nothing can be chosen (and no ``tuned.yaml`` is written)."""
    if any(not np.isnan(seen.array(c, spec.kpi, n)).all() for c in alive):
        return
    option = "--maximize" if spec.maximize else "--minimize"
    entry = catalogued(spec.kpi)
    why = (" (it has a value only in a replication with a disruption event: give the scenario disruptions that "
           "strike within the horizon, or more --first replications)" if entry is not None
           and entry.network == "events" else "")  # fmt: skip
    raise SimjitError(f"{option} {spec.kpi}: no candidate has a value of {spec.kpi} in any of its {n} "
                      f"replications{why}; no mean can be compared, so nothing is chosen and no {TUNED} is "
                      "written")  # fmt: skip


def _play(
    runner: Backend, work: Work, plan: Plan, seen: _Observations, alive: Sequence[str], start: int, stop: int,
    used: int, budget: int, progress: Progress | None,
) -> int:  # fmt: skip
    """Play replications ``start`` … ``stop − 1`` of every candidate in ``alive`` not stored yet;
    return how many replications that round holds (stored ones count: the budget is the race's)."""
    position = {v.name: i for i, v in enumerate(plan.variants)}
    todo = sorted(r * len(plan.variants) + position[c] for c in alive for r in range(start, stop)
                  if r not in seen.values.get(c, {}))  # fmt: skip
    round_size = (stop - start) * len(alive)
    done = round_size - len(todo)
    if progress is not None:
        progress(used + done, budget)
    size = max(1, math.ceil(len(todo) / (4 * runner.slots)))
    for result in runner.run(work, batches(list(_runs(todo)), size)):
        if result.failures:
            raise SimjitError(f"a replication failed, the tune stops: {result.failures[0].describe()}")
        seen.add(result.rows)
        done += len(result.rows)
        if progress is not None:
            progress(used + done, budget)
    return round_size


def _runs(indices: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Sorted task indices as ranges of consecutive ones."""
    start = prev = None
    for i in indices:
        if start is None or prev is None or i != prev + 1:
            if start is not None and prev is not None:
                yield start, prev + 1
            start = i
        prev = i
    if start is not None and prev is not None:
        yield start, prev + 1


def _claim(directory: Path, prepared: Prepared, resume: bool, force: bool) -> None:
    """Write the tune's description in ``directory``; refuse a directory holding another tune (or
    this one, without ``resume``) unless ``force``, which drops its observations."""
    described = _describe(prepared)
    old_path = directory / SPEC
    try:
        old = json.loads(old_path.read_text(encoding="utf-8")) if old_path.is_file() else None
    except (OSError, ValueError):
        if not force:
            raise SimjitError(
                f"-o {directory}: {SPEC} cannot be read (cut short, or edited?), so the tune there cannot be "
                "continued; add --force to start it again in this directory, or choose another"
            ) from None
        old = None
    observations = directory / OBSERVATIONS
    if force:
        observations.unlink(missing_ok=True)
    elif old is None and resume:
        raise SimjitError(f"-o {directory} holds no tune to resume (no {SPEC}); run the tune without --resume to "
                          "start one there, in a new or empty directory")  # fmt: skip
    elif old is not None and not resume:
        raise SimjitError(f"-o {directory} holds a tune already; add --resume to continue it, --force to replace "
                          "it, or choose another directory")  # fmt: skip
    elif old is not None and {k: v for k, v in old.items() if k != NOTES} != described:
        raise SimjitError(f"-o {directory} holds another tune ({_what_differs(old, described)}); --resume continues "
                          "only the same tune: add --force to replace it, or choose another directory")  # fmt: skip
    elif old is None and any(p.name != SPEC for p in directory.iterdir()) and not resume:
        raise SimjitError(f"-o {directory} is not empty and holds no tune; choose a new or empty directory, or add "
                          "--force to write there anyway")  # fmt: skip
    for stale in (TUNED, TUNED_FOR):  # the last tune's choice: written again once this one has chosen
        (directory / stale).unlink(missing_ok=True)
    old_path.write_text(json.dumps(described, indent=2) + "\n", encoding="utf-8")


def _describe(prepared: Prepared) -> dict[str, Any]:
    """What the stored observations depend on: the policy set, the KPIs and every candidate's scenario
    (its hash covers the contents of the data files it reads, also listed by name when there are any)."""
    spec = prepared.spec
    described: dict[str, Any] = {
        "policy": spec.policy,
        "kpis": [spec.kpi, *(c.kpi for c in spec.constraints)],
        "candidates": {v.name: scenario_hash(v.scenario) for v in prepared.candidates},
    }
    data = data_digests(prepared.base)
    if data:  # only then: a tune reading no file resumes from a tune.json written before data were recorded
        described["data"] = data
    return described


def _what_differs(old: dict[str, Any], new: dict[str, Any]) -> str:
    """Why a stored tune is not the one asked for now, in words."""
    if old.get("policy") != new["policy"]:
        return f"policy set {old.get('policy')} → {new['policy']}"
    if old.get("kpis") != new["kpis"]:
        return f"KPIs {', '.join(map(str, old.get('kpis') or []))} → {', '.join(new['kpis'])}"
    if set(old.get("candidates") or {}) != set(new["candidates"]):
        return "other candidates"
    was, now = old.get("data") or {}, new.get("data") or {}
    edited = [name for name in now if name in was and was[name] != now[name]]
    if edited:
        return f"the data file {', '.join(edited)} changed: its contents differ from when the tune started"
    return "the same candidates of another scenario: the file, a --set, the seed or a data file it reads changed"


def _outcome(
    directory: Path, prepared: Prepared, race: Race, seen: _Observations, raced: _Raced,
    dropped: dict[str, tuple[str, int]], used: int,
) -> TuneOutcome:  # fmt: skip
    """The results of every candidate played, judged on all its replications; the best and its ties."""
    spec, alive, n = prepared.spec, raced.alive, raced.n
    final = race.look(_arrays(seen, alive, spec.kpi, n),
                      {c: {k.kpi: seen.array(c, k.kpi, n) for k in spec.constraints} for c in alive}, alive)  # fmt: skip
    best = final.best
    results = []
    for variant in prepared.candidates:
        name = variant.name
        if name not in alive and name not in dropped:
            continue
        count = n if name in alive else dropped[name][1]
        values = seen.array(name, spec.kpi, count)
        mean, low, high = mean_ci(values, spec.confidence)
        diff = diff_low = diff_high = math.nan
        if best is not None:
            paired = min(count, n)
            diff, diff_low, diff_high = paired_bound(values[:paired], seen.array(best, spec.kpi, paired),
                                                     race.alpha_objective)  # fmt: skip
        judgements = {k.text: _judge(seen, name, k, count, race) for k in spec.constraints}
        status = dropped[name][0] if name not in alive else "best" if name == best else "in contention"
        results.append(CandidateResult(name, dict(variant.params), count, mean, low, high, diff, diff_low, diff_high,
                                       judgements, status))  # fmt: skip
    results.sort(key=lambda r: (r.status.startswith("dropped"), r.status != "best", math.isnan(r.mean),
                                0.0 if math.isnan(r.mean) else race.sign * r.mean))  # fmt: skip
    tied = [r.name for r in results if r.status == "in contention"]
    return TuneOutcome(directory, spec, results, best, tied, raced.stopped, used, prepared.budget, raced.looks,
                       prepared.guesses)  # fmt: skip


def _judge(seen: _Observations, name: str, constraint: Constraint, count: int, race: Race) -> Judgement:
    return judge(seen.array(name, constraint.kpi, count), constraint, race.alpha_constraint)


def _write(directory: Path, outcome: TuneOutcome, variants: Sequence[Variant]) -> None:
    """``tuned.yaml``: the best's settings as ``--set`` assignments, and beside it the scenario they were
    found for (:data:`TUNED_FOR`); both removed when there is no best."""
    tuned = directory / TUNED
    outcome.files.append(directory / OBSERVATIONS)
    described = json.loads((directory / SPEC).read_text(encoding="utf-8"))
    (directory / SPEC).write_text(json.dumps({**described, NOTES: outcome.notes}, indent=2) + "\n", encoding="utf-8")
    if outcome.best is None:
        tuned.unlink(missing_ok=True)
        (directory / TUNED_FOR).unlink(missing_ok=True)
        return
    spec = outcome.spec
    direction = "maximises" if spec.maximize else "minimises"
    comment = (f"simjit tune: the settings of policy set {spec.policy} that {direction} mean {spec.kpi}"
               + (f" subject to {', '.join(c.text for c in spec.constraints)}" if spec.constraints else "")
               + f"\napply with: simjit run SCENARIO --tuned {directory}"
               + "".join(f"\nwarning: {note}" for note in outcome.notes))  # fmt: skip
    best = next(v.scenario for v in variants if v.name == outcome.best)
    record = {"scenario": json.loads(best.model_dump_json(by_alias=True)), "data": data_digests(best)}
    (directory / TUNED_FOR).write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    tuned.write_text(assignments_text(outcome.best_params(), comment), encoding="utf-8")
    outcome.files.insert(0, tuned)


def tuned_differences(directory: Path, scenario: Scenario) -> list[str]:
    """How ``scenario`` (a run's, with ``DIR/tuned.yaml`` and its own ``--set`` applied) differs from the
    scenario the tune in ``directory`` chose its settings for, seed and replications aside, as
    ``path (tuned for → now)``; ``[]`` when it is that scenario or the tune did not record it."""
    path = directory / TUNED_FOR
    if not path.is_file():
        return []
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        tuned_for, data = dict(record["scenario"]), dict(record.get("data") or {})
    except (OSError, ValueError, KeyError, TypeError):
        return [f"its record of the scenario it tuned for ({path.name}) cannot be read"]
    differences = changes_between(tuned_for, json.loads(scenario.model_dump_json(by_alias=True)))
    now = data_digests(scenario)
    differences += [
        f"the data file {name} (other contents)" for name in now if name in data and data[name] != now[name]
    ]
    return differences
