"""Backends: in this process, two local processes and a real Dask cluster give the same numbers.

Each task seeds its streams from (seed, replication, stream name), so results may not depend on
where a task runs, how tasks are batched or in which order batches finish.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simjit.errors import SimjitError
from simjit.experiment import (
    DaskBackend,
    Plan,
    ProcessBackend,
    SerialBackend,
    available_cores,
    execute,
    make_backend,
    sweep_variants,
)

ROOT = Path(__file__).resolve().parent.parent
BRAKE = ROOT / "scenarios" / "brake_plant.yaml"
ORDER = ["replication", "variant", "policy"]


@pytest.fixture(scope="module")
def plan() -> Plan:
    """Two sweep points × four policy sets × three replications of the brake plant."""
    _, variants = sweep_variants(BRAKE, ["suppliers.pads_asia.disruptions.0.duration=0,45"])
    return Plan(tuple(variants), ("jit", "eoq", "safety_stock", "hybrid"), 3)


def in_plan_order(frame: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    rank = {v.name: i for i, v in enumerate(plan.variants)}
    policy = {p: i for i, p in enumerate(plan.policies)}
    key = frame["replication"] * 1000 + frame["variant"].map(rank) * 10 + frame["policy"].map(policy)
    return frame.iloc[key.argsort(kind="stable")].reset_index(drop=True)


def play(plan: Plan, directory: Path, backend: object, batch_size: int | None = None) -> pd.DataFrame:
    outcome = execute(plan, directory, backend=backend, batch_size=batch_size)  # type: ignore[arg-type]
    assert outcome.status == "complete" and not outcome.failures
    return outcome.results()


@pytest.fixture(scope="module")
def serial(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return play(plan, tmp_path_factory.mktemp("serial"), SerialBackend())


def test_serial_results_are_tidy_and_in_plan_order(plan: Plan, serial: pd.DataFrame) -> None:
    assert len(serial) == plan.size() == 24
    assert list(serial.columns[:4]) == [
        "variant",
        "policy",
        "replication",
        "suppliers.pads_asia.disruptions.0.duration",
    ]
    pd.testing.assert_frame_equal(serial, in_plan_order(serial.sample(frac=1, random_state=1), plan))
    tasks = [plan.task(i) for i in range(plan.size())]
    assert [(t.variant, t.policy, t.replication) for t in tasks] == list(
        serial[["variant", "policy", "replication"]].itertuples(index=False, name=None)
    )
    assert set(serial["suppliers.pads_asia.disruptions.0.duration"]) == {0, 45}


def test_two_processes_equal_serial_exactly(plan: Plan, serial: pd.DataFrame, tmp_path: Path) -> None:
    with_processes = play(plan, tmp_path, ProcessBackend(2), batch_size=5)  # batches finish out of order
    pd.testing.assert_frame_equal(in_plan_order(with_processes, plan), serial, check_exact=True)


def test_dask_local_cluster_equals_serial_exactly(plan: Plan, serial: pd.DataFrame, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_dask = play(plan, tmp_path, DaskBackend(cluster.scheduler_address), batch_size=3)
    pd.testing.assert_frame_equal(in_plan_order(on_dask, plan), serial, check_exact=True)


def test_batch_size_does_not_change_results(plan: Plan, serial: pd.DataFrame, tmp_path: Path) -> None:
    pd.testing.assert_frame_equal(play(plan, tmp_path, SerialBackend(), batch_size=1), serial, check_exact=True)


def test_make_backend_follows_the_options() -> None:
    assert isinstance(make_backend(1), SerialBackend)
    if available_cores() >= 2:
        assert isinstance(make_backend(2), ProcessBackend) and make_backend(2).slots == 2
    assert make_backend(1000, tasks=4).slots == min(4, available_cores())  # capped by tasks and cores
    assert isinstance(make_backend(1000, tasks=1), SerialBackend)
    assert isinstance(make_backend(None, "local"), DaskBackend)


def test_missing_dask_says_how_to_install_it() -> None:
    code = (
        "import sys; sys.modules['distributed'] = None\n"
        "from simjit.experiment import make_backend\n"
        "from simjit.errors import SimjitError\n"
        "try:\n    make_backend(2, 'local').__enter__()\nexcept SimjitError as e:\n    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert 'pip install "simjit[dask]"' in done.stdout, done.stderr


def test_unreachable_scheduler_is_a_clear_error(plan: Plan, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    backend = DaskBackend("tcp://127.0.0.1:9", timeout="2s")
    with pytest.raises(SimjitError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        execute(plan, tmp_path, backend=backend)


def test_a_cluster_running_another_simjit_or_no_workers_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    import simjit

    here = simjit.__version__
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        monkeypatch.setattr(simjit, "__version__", "9.9.9")
        with pytest.raises(SimjitError, match=rf"must run simjit 9\.9\.9, as here \(tcp://.+ has {here}\)"):
            DaskBackend(cluster.scheduler_address).__enter__()
        monkeypatch.setattr(simjit, "__version__", here)
        with DaskBackend(cluster.scheduler_address) as backend:
            assert backend.slots == 1
    no_workers = pytest.raises(SimjitError, match=r"has no workers .* start some with `dask worker tcp://")
    with distributed.LocalCluster(n_workers=0, dashboard_address=None) as empty, no_workers:
        DaskBackend(empty.scheduler_address, timeout="1s").__enter__()


def test_process_backend_leaves_the_start_method_alone() -> None:
    code = (
        "import multiprocessing as mp\n"
        "from simjit.experiment import ProcessBackend\n"
        "with ProcessBackend(2):\n    pass\n"
        "print(mp.get_start_method(allow_none=True))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "None", done.stderr


def test_a_server_speaking_another_protocol_is_a_clear_error_not_a_hang(plan: Plan, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    import http.server
    import threading
    import time

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"tcp://127.0.0.1:{server.server_address[1]}"
    started = time.monotonic()
    try:
        with pytest.raises(SimjitError, match=rf"the server at {address} does not answer as a Dask scheduler"):
            execute(plan, tmp_path, backend=DaskBackend(address, timeout="2s"))
    finally:
        server.shutdown()
    assert time.monotonic() - started < 15
