"""Start-up and whole-process speed of the ``simjit`` command, as a user meets it.

Wall times of fresh processes, median of ``--repeats`` rounds with the jobs interleaved:
``python -c pass`` (the interpreter alone, the floor), ``simjit --help`` and ``simjit validate``
(targets: under 0.25 s), ``simjit run`` until its first replication starts (target: under 0.5 s;
serial and with the default worker processes), and ``simjit run`` of R1 and R2 × 100 replications
from start to exit against the hand-written SimPy model playing the same replications in this
process (the whole-process ratio). Then, from ``python -X importtime``, what ``simjit run`` imports
before its first replication.

    python benchmarks/startup.py [--repeats K] [--skip-whole]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from engine import DAYS, LEAD, RATE, Q, R, workload_data
from minimal_model import run_minimal

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
CLI = "from simjit.cli import entry; entry()"
"""What the ``simjit`` console script runs, pointed at this checkout."""
FIRST = """
import os, sys, time
import simjit.experiment.worker as worker
def first(*args, **kwargs):
    with open(os.environ["SIMJIT_BENCH_FIRST"], "a") as fh:  # each worker notes its first; the earliest counts
        fh.write(repr(time.time()) + "\\n")
    os._exit(0)
worker.simulate = first
from simjit.cli import entry
entry()
"""
"""``simjit run`` that notes the wall-clock time its first replication starts, and stops there."""


def wall(args: list[str]) -> float:
    """Seconds from starting ``python args…`` to its exit."""
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)  # fmt: skip
    return time.perf_counter() - start


def to_first_replication(scenario: Path, workers: int, scratch: Path) -> float:
    """Seconds from starting ``simjit run`` to the start of its first replication."""
    note, out = scratch / "first.txt", scratch / f"first-{workers}"
    note.unlink(missing_ok=True)
    env = {**ENV, "SIMJIT_BENCH_FIRST": str(note)}
    args = ["run", str(scenario), "-n", "100", "--workers", str(workers), "-q", "--force", "-o", str(out)]
    start = time.time()
    subprocess.run([sys.executable, "-c", FIRST, *args], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)  # fmt: skip
    return min(float(t) for t in note.read_text().split()) - start


def medians(jobs: dict[str, Callable[[], float]], repeats: int) -> dict[str, float]:
    """Median of each job's seconds over ``repeats`` interleaved rounds."""
    seconds: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(repeats):
        for name, job in jobs.items():
            seconds[name].append(job())
    return {name: statistics.median(values) for name, values in seconds.items()}


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def imports_before_first_replication(scenario: Path, scratch: Path, top: int = 12) -> list[tuple[int, str]]:
    """The top-level imports of ``simjit run`` before its first replication, by cumulative µs."""
    env = {**ENV, "SIMJIT_BENCH_FIRST": str(scratch / "first.txt")}
    args = ["run", str(scenario), "-n", "100", "--workers", "1", "-q", "--force", "-o", str(scratch / "imports")]
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", FIRST, *args], env=env, cwd=ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    found = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self [us]" not in line:
            _, cumulative, name = line[len("import time:") :].split("|")
            if not name.startswith("  "):  # imported by the program itself, not by another module
                found.append((int(cumulative), name.strip()))
    return sorted(found, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7, help="interleaved rounds; the median is kept")
    parser.add_argument("--skip-whole", action="store_true", help="skip the whole-process runs of R1 and R2")
    args = parser.parse_args()
    brake = str(ROOT / "scenarios" / "brake_plant.yaml")
    # Bytecode compiled, as `pip install` leaves it, whatever PYTHONDONTWRITEBYTECODE says.
    compileall.compile_dir(ROOT / "simjit", quiet=1)
    with tempfile.TemporaryDirectory(prefix="simjit-startup-") as tmp:
        scratch = Path(tmp)
        scenarios = {}
        for items in (1, 10):
            scenarios[items] = scratch / f"R{items}.yaml"
            scenarios[items].write_text(json.dumps({**workload_data(items), "replications": 100}), encoding="utf-8")
        jobs = {
            "python -c pass": lambda: wall(["-c", "pass"]),
            "simjit --help": lambda: wall(["-c", CLI, "--help"]),
            "simjit validate brake_plant.yaml": lambda: wall(["-c", CLI, "validate", brake]),
            "simjit run R1: first replication, 1 process": lambda: to_first_replication(scenarios[1], 1, scratch),
            "simjit run R1: first replication, 2 workers": lambda: to_first_replication(scenarios[1], 2, scratch),
        }
        print(f"start-up, wall seconds, median of {args.repeats} rounds:")
        for name, seconds in medians(jobs, args.repeats).items():
            target = " (target < 0.25)" if "help" in name or "validate" in name else ""
            target = " (target < 0.5)" if "first" in name else target
            print(f"  {name:48s} {seconds:6.3f} s{target}")
        if not args.skip_whole:
            for items, repeats in ((1, max(3, args.repeats // 2)), (10, 3)):
                path, name = scenarios[items], "R1" if items == 1 else "R2"
                whole = {
                    "simjit run, whole process": lambda p=path: wall(["-c", CLI, "run", str(p), "--workers", "1",
                                                                       "-q", "--force", "-o", str(scratch / "whole")]),
                    "hand-written, in process": lambda i=items: timed(
                        lambda: [run_minimal(i, DAYS, RATE, R, Q, LEAD, rep) for rep in range(100)]),
                }  # fmt: skip
                m = medians(whole, repeats)
                print(f"{name} × 100 replications, wall seconds, median of {repeats} rounds:")
                for job, seconds in m.items():
                    print(f"  {job:48s} {seconds:6.3f} s")
                ratio = m["simjit run, whole process"] / m["hand-written, in process"]
                print(f"  simjit run / hand-written: {ratio:.2f}")
        print("imports of `simjit run` before its first replication (top level, cumulative ms):")
        for micros, module in imports_before_first_replication(scenarios[1], scratch):
            print(f"  {micros / 1000:7.1f}  {module}")


if __name__ == "__main__":
    main()
