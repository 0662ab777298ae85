"""A stopped run — Ctrl-C, SIGKILL, a replication that raises — keeps what finished, and
``--resume`` completes it to exactly the results of a run never stopped: no task missing, none twice."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from simjit.errors import SimjitError
from simjit.experiment import Plan, ProcessBackend, ResultStore, SerialBackend, Variant, execute
from simjit.experiment.columns import EVENT_COLUMNS
from simjit.experiment.worker import BatchResult, Failure
from simjit.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
BRAKE = ROOT / "scenarios" / "brake_plant.yaml"
RUN = ["run", str(BRAKE), "-n", "50", "--batch-size", "2"]
"""200 tasks in 100 batches: long enough to stop half-way, short enough for a test."""


def simjit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simjit", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "simjit", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for_parts(directory: Path, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if len(list((directory / "parts").glob("part-*.parquet"))) >= count:
            return
        time.sleep(0.01)
    raise AssertionError(f"no {count} parts appeared; the run ended with {process.poll()}")


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    scenario = load_scenario(BRAKE, ["replications=50"])
    outcome = execute(Plan.single(scenario, list(scenario.policies), 50), tmp_path_factory.mktemp("whole"))
    return outcome.results()


def manifest(directory: Path) -> dict[str, object]:
    return json.loads((directory / "manifest.json").read_text())


# --- the store -------------------------------------------------------------------------------


def test_parts_are_contiguous_and_failed_tasks_stay_missing(tmp_path: Path) -> None:
    row = {"variant": "base", "policy": "p", "replication": 0, "total_cost": 1.0}
    boom = Failure(3, "base", "p", 3, 7, "ValueError", "boom")
    with ResultStore(tmp_path) as store:
        assert store.add(BatchResult(0, 5, [row] * 4, [boom])) == 4
        assert store.add(BatchResult(8, 10, [row] * 2)) == 2
        assert store.done() == [(0, 3), (4, 5), (8, 10)]
        assert store.missing(12) == [(3, 4), (5, 8), (10, 12)]
        assert store.missing(7) == [(3, 4), (5, 7)]
        assert len(store.read_parts(["total_cost"], 12)) == 6


def event(policy: str, replication: int, name: str, tts: float = 1.0) -> dict[str, object]:
    """A hand-made row of disruptions.parquet (ids, then EVENT_COLUMNS)."""
    disruption = name.split("#")[0]
    return {"variant": "base", "policy": policy, "replication": replication, "event": name, "disruption": disruption,
            "target": "s", "start": 10.0, "end": 20.0, "survived": tts > 5, "recovered": True,
            "time_to_survive": tts, "time_to_recover": 0.0 if tts > 5 else 3.0, "units_short": 0.0 if tts > 5 else 7.0,
            "lost_sales": 0.0}  # fmt: skip


def test_events_are_stored_with_their_tasks_and_consolidated_in_plan_order(tmp_path: Path) -> None:
    scenario = load_scenario(BRAKE, ["replications=3"])
    plan = Plan.single(scenario, ["jit", "eoq"], 3)
    rows = [{"variant": "base", "policy": t.policy, "replication": t.replication, "total_cost": float(t.index)}
            for t in map(plan.task, range(6))]  # fmt: skip
    events = {i: [event(r["policy"], r["replication"], f"typhoon#{k}", 1.0 + i + k) for k in range(i % 3)]
              for i, r in enumerate(rows)}  # fmt: skip
    boom = Failure(2, "base", "jit", 1, 7, "ValueError", "boom")
    with ResultStore(tmp_path) as store:
        batch = BatchResult(4, 6, rows[4:6], [], [e for i in (4, 5) for e in events[i]])
        assert store.add(batch) == 2
        first = BatchResult(0, 4, [rows[0], rows[1], rows[3]], [boom], [e for i in (0, 1, 2, 3) for e in events[i]])
        assert store.add(first) == 3, "the failed task's events are dropped with it"
        names = sorted(p.name for p in (tmp_path / "parts").iterdir())
        assert names == [f"{stem}-{a:010d}-{b:010d}.parquet" for stem in ("disruptions", "part")
                         for a, b in ((0, 2), (3, 4), (4, 6))]  # fmt: skip
        files = store.consolidate(plan, csv=True)
    assert [f.name for f in files] == ["replications.parquet", "replications.csv", "disruptions.parquet",
                                       "disruptions.csv"]  # fmt: skip
    stored = pd.read_parquet(tmp_path / "disruptions.parquet")
    expected = pd.DataFrame([e for i in (0, 1, 3, 4, 5) for e in events[i]])
    pd.testing.assert_frame_equal(stored, expected, check_dtype=False)
    assert list(stored.columns) == ["variant", "policy", "replication", *EVENT_COLUMNS]
    assert stored["survived"].dtype == bool and stored["replication"].dtype == "int64"
    assert pd.read_csv(tmp_path / "disruptions.csv").shape == stored.shape


def test_an_events_part_without_its_part_is_dropped_and_a_run_without_events_still_consolidates(
    tmp_path: Path,
) -> None:
    scenario = load_scenario(BRAKE, ["replications=2"])
    plan = Plan.single(scenario, ["jit"], 2)
    rows = [{"variant": "base", "policy": "jit", "replication": r, "total_cost": 1.0} for r in range(2)]
    with ResultStore(tmp_path) as store:
        store.add(BatchResult(0, 2, rows, [], [event("jit", 1, "typhoon#1")]))
    (tmp_path / "parts" / "part-0000000000-0000000002.parquet").unlink()  # as if killed between the two writes
    with ResultStore(tmp_path) as store:
        assert list((tmp_path / "parts").iterdir()) == [], "the events of tasks never counted done are dropped"
        store._write_part(0, 2, rows)  # a part stored by a simjit that recorded no events
        store.consolidate(plan)
        assert store.events().empty and list(store.events().columns)[:3] == ["variant", "policy", "replication"]
        store.remove_parts()
    assert pd.read_parquet(tmp_path / "disruptions.parquet").empty
    assert not (tmp_path / "parts").exists()


def test_reopen_turns_both_tables_back_into_parts(tmp_path: Path) -> None:
    """``--resume -n N`` on a finished run: its tables become the first part again, swept columns dropped."""
    scenario = load_scenario(BRAKE, ["replications=2"])
    plan = Plan((Variant("a", scenario, {"horizon": 365}),), ("jit",), 2)
    rows = [{"variant": "a", "policy": "jit", "replication": r, "total_cost": 1.0 + r} for r in range(2)]
    happened = [{**event("jit", r, f"typhoon#{k}", 2.0 + k), "variant": "a"} for r in range(2) for k in range(2)]
    with ResultStore(tmp_path) as store:
        store.add(BatchResult(0, 2, rows, [], happened))
        store.consolidate(plan)
        store.remove_parts()
        before = store.events()
    assert list(before.columns[:4]) == ["variant", "policy", "replication", "horizon"] and len(before) == 4
    with ResultStore(tmp_path) as store:
        store.reopen(2, ["horizon"])
        assert sorted(p.name for p in (tmp_path / "parts").iterdir()) == [
            "disruptions-0000000000-0000000002.parquet", "part-0000000000-0000000002.parquet"]  # fmt: skip
        assert "horizon" not in pd.read_parquet(tmp_path / "parts" / "disruptions-0000000000-0000000002.parquet")
        store.consolidate(plan)
        pd.testing.assert_frame_equal(store.events(), before)
        store.remove_parts()
    (tmp_path / "disruptions.parquet").unlink()  # a finished run stored before events were recorded
    with ResultStore(tmp_path) as store:
        store.reopen(2, ["horizon"])
        assert [p.name for p in (tmp_path / "parts").iterdir()] == ["part-0000000000-0000000002.parquet"]
        store.consolidate(plan)
        assert store.events().empty
        store.clear()
    assert not any(p.suffix == ".parquet" for p in tmp_path.iterdir())


def test_a_directory_is_used_by_one_run_at_a_time(tmp_path: Path) -> None:
    pytest.importorskip("fcntl")
    with ResultStore(tmp_path), pytest.raises(SimjitError, match="in use by another simjit run"):
        ResultStore(tmp_path).__enter__()


# --- interrupted in this process ------------------------------------------------------------


def test_interrupt_then_resume_equals_uninterrupted(tmp_path: Path, uninterrupted: pd.DataFrame) -> None:
    scenario = load_scenario(BRAKE, ["replications=50"])
    plan = Plan.single(scenario, list(scenario.policies), 50)

    def ctrl_c_after_60(done: int, total: int) -> None:
        if done >= 60:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        execute(plan, tmp_path, backend=ProcessBackend(2), batch_size=7, progress=ctrl_c_after_60)
    stopped = manifest(tmp_path)
    assert stopped["status"] == "interrupted" and 60 <= stopped["tasks_done"] < 200  # type: ignore[operator]
    partial = pd.read_parquet(tmp_path / "replications.parquet")
    assert len(partial) == stopped["tasks_done"] and not partial.duplicated(["policy", "replication"]).any()

    with pytest.raises(SimjitError, match=r"holds an unfinished run \(\d+ of 200 tasks done\); add --resume"):
        execute(plan, tmp_path)
    outcome = execute(plan, tmp_path, backend=SerialBackend(), batch_size=3, resume=True)
    assert outcome.status == "complete" and outcome.tasks_done == 200
    pd.testing.assert_frame_equal(outcome.results(), uninterrupted, check_exact=True)
    assert not (tmp_path / "parts").exists(), "a finished run keeps only replications.parquet"


def test_resume_refuses_a_changed_run_and_names_the_change(tmp_path: Path) -> None:
    scenario = load_scenario(BRAKE, ["replications=2"])
    execute(Plan.single(scenario, ["jit", "eoq"], 2), tmp_path)
    changed = load_scenario(BRAKE, ["replications=2", "suppliers.pads_asia.on_time=0.5"])
    with pytest.raises(SimjitError, match=r"the scenario changed: suppliers\.pads_asia\.on_time \(0\.92 → 0\.5\)"):
        execute(Plan.single(changed, ["jit", "eoq"], 2), tmp_path, resume=True)
    with pytest.raises(SimjitError, match=r"the policy sets changed \(jit, eoq → jit\)"):
        execute(Plan.single(scenario, ["jit"], 2), tmp_path, resume=True)
    reseeded = load_scenario(BRAKE, ["replications=2", "seed=5"])
    with pytest.raises(SimjitError, match=r"the seed changed \(2026 → 5\)"):
        execute(Plan.single(reseeded, ["jit", "eoq"], 2), tmp_path, resume=True)
    with pytest.raises(SimjitError, match="nothing to resume"):
        execute(Plan.single(scenario, ["jit", "eoq"], 2), tmp_path / "empty", resume=True)


def test_resume_with_more_replications_extends_a_finished_run(tmp_path: Path, uninterrupted: pd.DataFrame) -> None:
    first = load_scenario(BRAKE, ["replications=20"])
    execute(Plan.single(first, list(first.policies), 20), tmp_path, backend=ProcessBackend(2))
    more = load_scenario(BRAKE, ["replications=50"])
    reports: list[int] = []
    outcome = execute(Plan.single(more, list(more.policies), 50), tmp_path, resume=True,
                      progress=lambda done, total: reports.append(done))  # fmt: skip
    assert reports[0] == 80, "the 20 replications stored are kept, not played again"
    assert outcome.status == "complete" and outcome.tasks_done == 200
    pd.testing.assert_frame_equal(outcome.results(), uninterrupted, check_exact=True)
    assert manifest(tmp_path)["plan"]["replications"] == 50  # type: ignore[index]
    assert not (tmp_path / "parts").exists()
    with pytest.raises(SimjitError, match=r"the replications changed \(50 → 30; a resume may add replications, not"):
        execute(Plan.single(first, list(first.policies), 30), tmp_path, resume=True)


# --- stopped from outside, through the command line -----------------------------------------


def test_sigkill_then_resume_equals_uninterrupted(tmp_path: Path, uninterrupted: pd.DataFrame) -> None:
    run = start(*RUN, "-o", str(tmp_path), "--workers", "2")
    wait_for_parts(tmp_path, 5, run)
    workers = Path(f"/proc/{run.pid}/task/{run.pid}/children")
    children = [int(pid) for pid in workers.read_text().split()] if workers.exists() else []
    run.send_signal(signal.SIGKILL)
    run.communicate()
    assert manifest(tmp_path)["status"] == "running"
    assert len(list((tmp_path / "parts").glob("*.parquet"))) < 100, "the run ended before it was killed"
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in children), "workers outlived their killed parent"

    refused = simjit(*RUN, "-o", str(tmp_path))
    assert refused.returncode == 2 and "add --resume to complete it" in refused.stderr
    resumed = simjit(*RUN, "-o", str(tmp_path), "--resume", "--workers", "1")
    assert resumed.returncode == 0, resumed.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "replications.parquet"), uninterrupted)
    assert manifest(tmp_path)["tasks_done"] == 200


def test_resume_continues_as_started_or_adds_replications_to_a_sweep(tmp_path: Path) -> None:
    shop = str(ROOT / "scenarios" / "textbook_shop.yaml")
    sweep = ["sweep", shop, "--vary", "horizon=60,90", "--workers", "1"]
    first = simjit(*sweep, "-n", "3", "-o", str(tmp_path / "grown"))
    assert first.returncode == 0, first.stderr
    again = simjit(*sweep, "-o", str(tmp_path / "grown"), "--resume")
    assert again.returncode == 0, again.stderr
    kept = pd.read_parquet(tmp_path / "grown" / "replications.parquet")
    assert sorted(set(kept["replication"])) == [0, 1, 2], "-n 3 as started, not the file's 100"
    grown = simjit(*sweep, "-n", "5", "-o", str(tmp_path / "grown"), "--resume")
    assert grown.returncode == 0, grown.stderr
    whole = simjit(*sweep, "-n", "5", "-o", str(tmp_path / "whole"))
    assert whole.returncode == 0, whole.stderr
    table = pd.read_parquet(tmp_path / "grown" / "replications.parquet")
    pd.testing.assert_frame_equal(table, pd.read_parquet(tmp_path / "whole" / "replications.parquet"))
    assert list(table.columns[:4]) == ["variant", "policy", "replication", "horizon"]
    summary = json.loads((tmp_path / "grown" / "summary.json").read_text())
    assert summary["replications"] == 5 and summary["tasks_done"] == summary["tasks_total"] == len(table)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_ctrl_c_keeps_what_finished_and_prints_the_resume_command(tmp_path: Path, uninterrupted: pd.DataFrame) -> None:
    run = start(*RUN, "-o", str(tmp_path), "--workers", "2")
    wait_for_parts(tmp_path, 5, run)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert "Traceback" not in err
    saved = manifest(tmp_path)
    assert saved["status"] == "interrupted"
    assert f"{saved['tasks_done']} of 200 tasks are saved in {tmp_path}" in err
    command = shlex.split(err.strip().splitlines()[-1])
    assert command[0] == "simjit" and command[-1] == "--resume"
    resumed = simjit(*command[1:])
    assert resumed.returncode == 0, resumed.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "replications.parquet"), uninterrupted)


# --- a replication that raises ----------------------------------------------------------------

FLAKY = '''
class Flaky:
    """Orders up to 40 each day; raises on day 5 when the day before sold ``limit`` or more."""

    review_period = 1.0
    history = 1

    def __init__(self, limit=6):
        self.limit = limit

    def decide(self, view):
        if view.time == 5 and view.recent_demand and view.recent_demand[-1] >= self.limit:
            raise RuntimeError(f"flaky policy gave up at {view.site}/{view.item}")
        gap = 40 - view.inventory_position
        return Order(gap) if gap > 0 else None


from simjit.policies.base import Order
'''

SHOP = """
name: flaky shop
horizon: 20
seed: 11
items: {x: {unit_cost: 1.0}}
suppliers: {s: {supplies: [x], lead_time: 2}}
sites: {shop: {stock: {x: {source: s}}}}
demand: [{at: shop/x, per_day: {poisson: 4}}]
policies:
  steady: {default: {base_stock: {level: 30}}}
  flaky: {default: {python: flaky:Flaky}}
  broken: {default: {python: {class: flaky:Flaky, params: {limit: 0}}}}
baseline: steady
"""


def test_a_replication_that_raises_is_reported_and_the_others_are_saved(tmp_path: Path) -> None:
    (tmp_path / "flaky.py").write_text(FLAKY)
    (tmp_path / "shop.yaml").write_text(SHOP)
    out = tmp_path / "out"
    done = simjit("run", str(tmp_path / "shop.yaml"), "-n", "12", "-o", str(out), "--allow-plugins", "--workers", "2")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    failures = json.loads((out / "failures.json").read_text())
    failed = sorted(f["replication"] for f in failures if f["policy"] == "flaky")
    assert 0 < len(failed) < 12, "the test needs some replications to fail and some to pass"
    assert sorted(f["replication"] for f in failures if f["policy"] == "broken") == list(range(12))
    first = next(f for f in failures if f["policy"] == "flaky")
    line = f"policy flaky, replication {first['replication']} (seed 11): RuntimeError: flaky policy gave up at shop/x"
    assert line in done.stderr
    assert f"{len(failures)} of 36 tasks failed; the others are saved" in done.stderr
    table = pd.read_parquet(out / "replications.parquet")
    assert len(table) == 36 - len(failures) and "broken" not in set(table["policy"])
    assert sorted(set(range(12)) - set(table[table["policy"] == "flaky"]["replication"])) == failed
    assert manifest(out)["status"] == "incomplete" and manifest(out)["tasks_failed"] == len(failures)
    assert "RuntimeError" in first["traceback"]
    assert "total_cost" in done.stdout, "the table shows what finished"
    again = simjit("run", str(tmp_path / "shop.yaml"), "-n", "12", "-o", str(out), "--allow-plugins", "--resume")
    assert again.returncode == 1 and f"{len(failures)} of 36 tasks failed" in again.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX signals")
def test_interrupt_without_output_directory_says_nothing_was_kept() -> None:
    run = start("run", str(BRAKE), "-n", "300", "--workers", "1")
    time.sleep(2.5)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130 and "nothing was kept (run with -o DIR to be able to resume)" in err
