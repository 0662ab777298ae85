"""Run a plan on a backend into a results directory: resumable, fault-tolerant, flat in memory.

Replication r of every policy and sweep point draws from the same named streams (common random
numbers); results do not depend on the backend, the number of workers, the batch size or the
order in which batches finish. Progress is reported through a callback ``(done, total)``.
"""

from __future__ import annotations

import difflib
import tempfile
import time
from collections.abc import Callable, Collection, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simjit.errors import Problem, ScenarioError, SimjitError
from simjit.experiment.backends import Backend, SerialBackend, make_backend
from simjit.experiment.columns import ID_COLUMNS, POLICY, VARIANT, kpi_columns, sums_unlike_units
from simjit.experiment.manifest import Manifest, Status
from simjit.experiment.plan import Plan, Variant, batches, guided_batches
from simjit.experiment.precision import Precision, Shortfall
from simjit.experiment.resume import check_resume, new_manifest
from simjit.experiment.statistics import RESILIENCE, compare, describe, rank, resilience
from simjit.experiment.store import ResultStore, write_json
from simjit.experiment.watchdog import DEFAULT_TIMEOUT
from simjit.experiment.worker import Failure, Work
from simjit.model import check_policies
from simjit.scenario.models import Scenario

if TYPE_CHECKING:
    import pandas as pd
else:

    class _Pandas:
        """Stands for pandas in this module's annotations until something reads them
        (``typing.get_type_hints(Outcome)``): a run needs pandas only once its replications are played."""

        def __getattr__(self, name: str) -> Any:
            import pandas

            return getattr(pandas, name)

    pd = _Pandas()

__all__ = ["Outcome", "execute", "run_experiment"]

Progress = Callable[[int, int], None]
MAX_BATCH = 100
"""Tasks per batch at most: bounds the rows a batch holds and keeps progress reports frequent."""
COLUMN_CHUNK = 32
"""KPI columns read at a time for the statistics, at least (memory stays flat in the number of rows × KPIs)."""
CELL_CHUNK = 1_000_000
"""Values read at a time for the statistics, at most: few rows take many columns per read, since each read of
replications.parquet parses the metadata of all its columns (0.14 s a read at 14,000 columns)."""


def _frame() -> pd.DataFrame:
    """An empty table (pandas is imported once the replications are played, not before)."""
    import pandas as pd

    return pd.DataFrame()


@dataclass
class Outcome:
    """What a run did: where its files are, how far it got, what failed, and its statistics:
    ``summary`` and ``comparison`` of the KPIs, ``resilience`` per disruption (see
    :func:`simjit.experiment.statistics.resilience`; empty when no disruption happened)."""

    directory: Path
    plan: Plan
    status: Status
    tasks_done: int
    failures: list[Failure] = field(default_factory=list)
    summary: pd.DataFrame = field(default_factory=_frame)
    comparison: pd.DataFrame = field(default_factory=_frame)
    resilience: pd.DataFrame = field(default_factory=_frame)
    precision: Shortfall | None = None
    files: list[Path] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    """Parts found cut short when the run resumed, dropped and played again."""

    @property
    def tasks_total(self) -> int:
        """Tasks in the (final) plan."""
        return self.plan.size()

    def results(self) -> pd.DataFrame:
        """The whole replications table (one row per variant, policy, replication), in plan order."""
        import pandas as pd

        return pd.read_parquet(self.directory / "replications.parquet")

    def disruptions(self) -> pd.DataFrame:
        """The disruption events table (one row per variant, policy, replication and event), in plan order."""
        import pandas as pd

        return pd.read_parquet(self.directory / "disruptions.parquet")


def _check_targets(plan: Plan, precision: Precision) -> None:
    known = {column for variant in plan.variants for column in kpi_columns(variant.scenario)}
    for kpi in precision.targets:
        if kpi not in known:
            close = difflib.get_close_matches(kpi, sorted(known), n=1)
            hint = (
                f"did you mean {close[0]!r}?" if close else "a KPI such as total_cost, fill_rate or dc/brake.fill_rate"
            )
            raise ScenarioError([Problem("", f"unknown KPI {kpi!r}", hint=hint, source=f"--precision {kpi}")])


class _Session:
    """One call of :func:`execute`: the store, the manifest and the counters it keeps up to date."""

    def __init__(self, store: ResultStore, manifest: Manifest, progress: Progress | None) -> None:
        self.store, self.manifest, self.progress = store, manifest, progress
        self.failures: list[Failure] = []
        self.done = 0
        self._saved_at = 0.0

    def report(self, total: int, force: bool = False) -> None:
        """Tell the progress callback; save the manifest (at most once a second unless forced)."""
        if self.progress is not None:
            self.progress(self.done, total)
        if force or time.monotonic() - self._saved_at > 1.0:
            self.save(total)

    def save(self, total: int) -> None:
        """Write the manifest with the counters as they are now."""
        self.manifest = self.store.write_manifest(self.manifest.progressed(total, self.done, len(self.failures)))
        self._saved_at = time.monotonic()

    def play(self, backend: Backend, work: Work, total: int, batch_size: int | None) -> None:
        """Run every task below ``total`` not stored yet."""
        missing = self.store.missing(total)
        self.done = total - sum(stop - start for start, stop in missing)
        self.report(total, force=True)
        todo = batches(missing, batch_size) if batch_size else guided_batches(missing, backend.slots, MAX_BATCH)
        with closing(backend.run(work, todo)) as results:
            for result in results:
                self.done += self.store.add(result)
                self.failures += result.failures
                self.report(total)


def execute(
    plan: Plan, directory: Path, *, backend: Backend | None = None, base: Scenario | None = None,
    resume: bool = False, precision: Precision | None = None, allow_plugins: bool = False,
    progress: Progress | None = None, batch_size: int | None = None, csv: bool = False,
    baseline: str | None = None, command: str | None = None, timeout: float | None = DEFAULT_TIMEOUT,
    force: bool = False,
) -> Outcome:  # fmt: skip
    """Play ``plan`` into ``directory`` and summarise it.

    ``resume`` continues the run stored there (refused if anything that shapes results
    changed). Without it, a directory holding a run (finished or not) or files of its own is
    refused, so nothing is lost by mistake; ``force`` replaces the run (other files are kept).
    On Ctrl-C the finished tasks are saved and KeyboardInterrupt propagates. A replication running
    longer than ``timeout`` seconds is stopped and reported as a failed task.
    """
    base = base or plan.variants[0].scenario
    if precision is not None:
        _check_targets(plan, precision)
    for variant in plan.variants:  # a plug-in that may not run fails here, not in every task
        check_policies(variant.scenario, list(plan.policies), allow_plugins)
    store = ResultStore(directory)
    store.check_path()
    if not (resume or force):
        _check_free(store)
    with store:
        manifest = _prepare(store, new_manifest(plan, base, precision, command), base, resume)
        session = _Session(store, manifest, progress)
        replications, shortfall = plan.replications, None
        status: Status = "interrupted"
        try:
            with backend or SerialBackend() as runner:
                work = Work(plan, allow_plugins, timeout)
                while True:
                    session.play(runner, work, plan.size(replications), batch_size)
                    if session.failures or precision is None:
                        break
                    columns = store.read_parts([VARIANT, POLICY, *precision.targets], plan.size(replications))
                    shortfall = precision.worst(columns)
                    more = precision.next_replications(shortfall, replications, plan.replications)
                    if more is None:
                        break
                    replications = more
            status = "incomplete" if session.failures else "complete"
        finally:
            final = replace(plan, replications=replications)
            # the replications played, not the -n started with: a --precision run's rounds added to it
            session.manifest = session.manifest.ended(status, replications if status == "complete" else None,
                                                      replications)  # fmt: skip
            session.save(final.size())
            outcome = _finish(store, final, session, status, shortfall, precision, csv, baseline)
    return outcome


def _prepare(store: ResultStore, manifest: Manifest, base: Scenario, resume: bool) -> Manifest:
    """Check the directory may take this run, make it ready, and save the run's manifest (as returned)."""
    old = store.manifest()
    if resume:
        check_resume(store.directory, old, store.scenario_doc(), manifest, base)
        if old is not None:
            manifest = manifest.continuing(old)
            if old.status == "complete" and manifest.plan.precision is None:
                store.reopen(old.tasks_total, [p for v in manifest.plan.variants for p in v.params])
    else:
        store.clear()
        store.write_scenario(base)
    return store.write_manifest(manifest)


def _check_free(store: ResultStore) -> None:
    """Refuse a directory whose contents a new run would replace or mix with: a run (finished or
    not) or another program's files."""
    old = store.manifest()
    where = store.directory
    if old is not None and old.status == "complete":
        raise SimjitError(
            f"-o {where} holds a finished run ({old.tasks_total} tasks, {_when(old)}); add "
            "--resume to extend it (with a larger -n), --force to replace it, or choose another directory"
        )
    if old is not None:
        raise SimjitError(
            f"-o {where} holds an unfinished run ({old.tasks_done} of {old.tasks_total} tasks done); add --resume "
            "to complete it, --force to start it again, or choose another directory"
        )
    foreign = store.foreign_files()
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise SimjitError(
            f"-o {where} is not empty and holds no simjit run ({shown}); choose a new or empty directory, or add "
            "--force to write there anyway (files named like a run's are replaced)"
        )


def _when(m: Manifest) -> str:
    return f"ended {m.updated:%Y-%m-%d %H:%M} UTC" if m.updated is not None else "ended earlier"


def _finish(
    store: ResultStore, plan: Plan, session: _Session, status: Status, shortfall: Shortfall | None,
    precision: Precision | None, csv: bool, baseline: str | None,
) -> Outcome:  # fmt: skip
    outcome = Outcome(store.directory, plan, status, session.done, session.failures, precision=shortfall)
    outcome.repaired = store.repaired
    if not store.done():
        store.write_failures(session.failures)
        return outcome
    # a CSV written by an earlier run is rewritten too, so it never disagrees with the Parquet
    outcome.files = store.consolidate(plan, csv or (store.directory / "replications.csv").is_file())
    outcome.summary, outcome.comparison = summarize(store, plan, baseline or plan.policies[0])
    outcome.resilience = summarize_resilience(store, plan.policies, baseline or plan.policies[0])
    doc = {
        "scenario": session.manifest.scenario,
        "status": status,
        "baseline": baseline or plan.policies[0],
        "replications": plan.replications,
        "tasks_done": session.done,
        "tasks_total": plan.size(),
        "variants": [{"name": v.name, "params": dict(v.params)} for v in plan.variants],
        "precision": None if precision is None else {**precision.record(), "worst": shortfall and asdict(shortfall)},
        "policies": outcome.summary.to_dict(orient="records"),
        "versus_baseline": outcome.comparison.to_dict(orient="records"),
        "resilience": outcome.resilience.to_dict(orient="records"),
    }
    write_json(store.directory / "summary.json", doc)
    outcome.files.append(store.directory / "summary.json")
    failures = store.write_failures(session.failures)
    outcome.files += [store.manifest_path] + ([failures] if failures else [])
    if status == "complete":
        store.remove_parts()
    return outcome


def summarize(store: ResultStore, plan: Plan, baseline: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statistics of replications.parquet per variant and policy, a few KPI columns at a time."""
    params = {p for v in plan.variants for p in v.params}
    kpis = [c for c in store.columns() if c not in ID_COLUMNS and c not in params]
    unlike = {(v.name, k) for v in plan.variants for k in kpis if sums_unlike_units(k, v.scenario)}
    return summarize_kpis(store, kpis, plan.policies, baseline, unlike)


def summarize_kpis(
    store: ResultStore, kpis: Sequence[str], policies: Sequence[str], baseline: str,
    unlike: Collection[tuple[str, str]] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """Summary and comparison with ``baseline`` of some KPI columns of replications.parquet, read a
    few at a time; no rank nor P(better) for a (variant, kpi) of ``unlike`` (a sum of unlike units).
    Apart from :func:`summarize` so that a finished directory is summarised without its Plan."""
    import pandas as pd

    summaries, comparisons = [], []
    at, size = 0, COLUMN_CHUNK
    while at < len(kpis):
        chunk = list(kpis[at : at + size])
        table = store.table_columns([*ID_COLUMNS, *chunk])
        summaries.append(describe(table, chunk))
        if baseline in policies and len(policies) > 1:
            comparisons.append(compare(table, chunk, baseline))
        at, size = at + size, max(COLUMN_CHUNK, CELL_CHUNK // max(1, len(table)))
    summary = rank(pd.concat(summaries, ignore_index=True)) if summaries else pd.DataFrame()
    comparison = pd.concat(comparisons, ignore_index=True) if comparisons else pd.DataFrame()
    for table, column in ((summary, "rank"), (comparison, "p_better")):  # no better policy on unlike units
        if unlike and len(table):
            hit = [key in unlike for key in zip(table[VARIANT], table["kpi"], strict=True)]
            table.loc[hit, column] = pd.NA if column == "rank" else float("nan")
    return summary, comparison


def summarize_resilience(store: ResultStore, policies: Sequence[str], baseline: str) -> pd.DataFrame:
    """Resilience per (variant, policy, disruption) from disruptions.parquet (empty: no disruption happened)."""
    columns = [*ID_COLUMNS, "disruption", "survived", *(k for k in RESILIENCE if k != "shortage_share")]
    compared = baseline if baseline in policies and len(policies) > 1 else None
    return resilience(store.events(columns), compared)


def run_experiment(
    scenario: Scenario | Sequence[Variant], policies: Sequence[str], replications: int, *, workers: int = 1,
    backend: Backend | None = None, allow_plugins: bool = False, progress: Progress | None = None,
) -> pd.DataFrame:  # fmt: skip
    """All tasks' KPIs as a DataFrame, one row per (variant, policy, replication), in plan order.

    ``scenario`` is one scenario (variant ``base``) or a sweep's variants (:func:`sweep_variants`;
    a column per swept parameter). A convenience for notebooks and tests; a task that raises
    raises here (see :func:`execute` to keep the others and write results to a directory).
    """
    if isinstance(scenario, Scenario):
        plan = Plan.single(scenario, policies, replications)
    else:
        plan = Plan(tuple(scenario), tuple(policies), replications)
    with tempfile.TemporaryDirectory(prefix="simjit-") as tmp:
        outcome = execute(plan, Path(tmp), backend=backend or make_backend(workers),
                          allow_plugins=allow_plugins, progress=progress)  # fmt: skip
        if outcome.failures:
            first = outcome.failures[0]
            raise SimjitError(f"{len(outcome.failures)} of {plan.size()} tasks failed; first: {first.describe()}")
        return outcome.results()
