"""Fault injection at run time: a policy that never returns, a plug-in that exits, Ctrl-C on a
stuck run. Each is reported as the policy's fault, the other tasks finish, nothing is left running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simjit import load_scenario
from simjit.errors import SimjitError
from simjit.experiment import Plan, ProcessBackend, SerialBackend, Variant, execute
from simjit.experiment.plan import BASE

SHOP = """\
name: faulty shop
horizon: 60
replications: 2
seed: 3
items:
  widget: {unit_cost: 10.0}
suppliers:
  maker: {supplies: [widget], lead_time: 2}
sites:
  shop:
    stock:
      widget: {source: maker}
demand:
  - at: shop/widget
    per_day: {poisson: 5}
policies:
  base_stock:
    default: {base_stock: {level: 20}}
  faulty:
    default:
      python: {class: "faulty:Faulty", params: {}}
baseline: base_stock
"""

FAULTS = {
    "stuck": "while True:\n                pass",
    "sleeps": '__import__("time").sleep(3600)',
    "reads": "import os\n            os.read(os.pipe()[0], 1)",
    "exits": "raise SystemExit(7)",
    "interrupts": "raise KeyboardInterrupt",
    "dies": '__import__("os")._exit(3)',
}


def _shop(tmp_path: Path, fault: str) -> Path:
    """The shop beside a plug-in whose ``decide`` misbehaves from day 10 on."""
    module = f"""\
class Faulty:
    review_period = None
    history = 0

    def decide(self, view):
        if view.time >= 10:
            {FAULTS[fault]}
        return None
"""
    (tmp_path / "faulty.py").write_text(module, encoding="utf-8")
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")
    return path


# In the user's own process (serial) a KeyboardInterrupt is the user's Ctrl-C and stops the run: not a fault.
@pytest.mark.parametrize(
    ("fault", "backend"),
    [("stuck", "serial"), ("stuck", "processes"), ("sleeps", "serial"), ("sleeps", "processes"),
     ("reads", "serial"), ("reads", "processes"), ("exits", "serial"), ("exits", "processes"),
     ("interrupts", "processes")],
)  # fmt: skip
def test_a_misbehaving_policy_fails_its_tasks_and_the_others_finish(tmp_path: Path, fault: str, backend: str) -> None:
    s = load_scenario(_shop(tmp_path, fault))
    plan = Plan((Variant(BASE, s),), ("base_stock", "faulty"), 2)
    runner = SerialBackend() if backend == "serial" else ProcessBackend(2)
    started = time.monotonic()
    outcome = execute(plan, tmp_path / "out", backend=runner, allow_plugins=True, timeout=1.0)
    assert time.monotonic() - started < 30
    assert outcome.status == "incomplete"
    assert sorted((f.policy, f.replication) for f in outcome.failures) == [("faulty", 0), ("faulty", 1)]
    expected = {
        "stuck": "still running after 1 s (the time limit of a replication)",
        "sleeps": "still running after 1 s (the time limit of a replication)",  # blocked in C: the timer's signal
        "reads": "still running after 1 s (the time limit of a replication)",
        "exits": "the replication called exit(7) (a plug-in policy ending the process?)",
        "interrupts": "raised KeyboardInterrupt by itself (a plug-in policy?)",
    }[fault]
    assert all(expected in f.message for f in outcome.failures), outcome.failures[0].message
    assert "policy faulty, replication 0 (seed 3)" in sorted(f.describe() for f in outcome.failures)[0]
    assert sorted(set(outcome.summary["policy"])) == ["base_stock"]  # the other policy's tasks finished


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_ctrl_c_stops_a_stuck_run_and_every_worker(tmp_path: Path) -> None:
    shop = _shop(tmp_path, "stuck")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "simjit", "run", str(shop), "--allow-plugins", "--workers", "2", "-o", str(out)]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (out / "manifest.json").exists() or len(_children(run.pid)) < 2:
        assert time.monotonic() < deadline, "the run did not start its workers"
        time.sleep(0.2)
    time.sleep(1.0)  # the workers are now inside the stuck decide()
    workers = _children(run.pid)
    os.kill(run.pid, signal.SIGINT)
    try:
        _, err = run.communicate(timeout=10)
    finally:
        run.kill()
    assert run.returncode == 130, err
    assert "interrupted" in err and "--resume" in err
    time.sleep(0.5)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
    assert alive == []


def _state(pid: int) -> str:
    try:
        return (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_a_plugin_that_kills_its_worker_is_named_and_the_run_marked_interrupted(tmp_path: Path) -> None:
    s = load_scenario(_shop(tmp_path, "dies"))
    plan = Plan((Variant(BASE, s),), ("base_stock", "faulty"), 2)
    with pytest.raises(SimjitError, match=r"a worker process died .*a plug-in policy that ends its process"):
        execute(plan, tmp_path / "out", backend=ProcessBackend(2), allow_plugins=True, batch_size=1)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "interrupted"
