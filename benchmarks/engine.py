"""Engine speed: simjit against the hand-written SimPy model of the same system (minimal_model.py).

R1: one item, Poisson(20)/day per-day demand at the start of each day (``timing: start_of_day``, the
period model the hand-written model plays; demand_timing.py times simjit's default, through the day),
(r, Q) with r = 60, Q = 100, constant lead time 3,
backorders, 3650 days. R2: the same with 10 items at one site. Prints simjit / hand-written for
R1 (target <= 1.3) and R2 (target <= 1.15), against the all-callbacks floor for reference, and simjit R2 / R1.
Every job is timed ``--repeats`` times, the jobs interleaved, and the median kept; ratios are of CPU
time (see timing.py), wall times are printed too. simjit's mean on hand is checked against the
hand-written model's (different random numbers: within a CI).

    python benchmarks/engine.py [--replications N] [--repeats K]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from minimal_model import run_minimal, run_minimal_callbacks
from timing import interleaved

from simjit.model import run_replication
from simjit.scenario import Scenario
from simjit.scenario.loader import validate_data
from simjit.scenario.yaml_nodes import Located

DAYS, RATE, R, Q, LEAD = 3650, 20, 60, 100, 3
TARGETS = {1: 1.3, 10: 1.15}


def workload_data(items: int, timing: str = "start_of_day") -> dict[str, object]:
    """The R1 (items = 1) or R2 (items = 10) scenario, as a YAML document would give it."""
    names = [f"item{k}" for k in range(items)]
    return {
        "name": f"R{items}",
        "horizon": DAYS,
        "items": {n: {"unit_cost": 1.0} for n in names},
        "suppliers": {"supplier": {"supplies": names, "lead_time": LEAD}},
        "sites": {"store": {"stock": {n: {"source": "supplier"} for n in names}}},
        "demand": [{"at": f"store/{n}", "per_day": {"poisson": RATE}, "timing": timing} for n in names],
        "policies": {"rQ": {"default": {"r_Q": {"reorder_point": R, "order_quantity": Q}}}},
    }


def workload(items: int, timing: str = "start_of_day") -> Scenario:
    """The R1 (items = 1) or R2 (items = 10) scenario, validated."""
    return validate_data(Located(workload_data(items, timing)), f"R{items}", Path("."))


def agreement(s: Scenario, items: int, n: int) -> str:
    """simjit's and the hand-written model's mean on hand per item over ``n`` replications, each ± 2 SE."""
    ours = [run_replication(s, "rQ", rep)["avg_on_hand"] / items for rep in range(n)]
    theirs = [run_minimal(items, DAYS, RATE, R, Q, LEAD, rep) for rep in range(n)]
    said = []
    for name, x in (("simjit", ours), ("hand-written", theirs)):
        said.append(f"{name} {statistics.mean(x):.2f} ± {2 * statistics.stdev(x) / math.sqrt(n):.2f}")
    return ", ".join(said)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replications", type=int, default=5, help="replications per timed job")
    parser.add_argument("--repeats", type=int, default=15, help="interleaved rounds; the median is kept")
    args = parser.parse_args()
    n = args.replications
    simjit: dict[int, float] = {}
    for items in (1, 10):
        s = workload(items)
        run_replication(s, "rQ", 0)  # imports and caches warm, as in a worker
        jobs = {
            "simjit": lambda s=s: [run_replication(s, "rQ", rep) for rep in range(n)],
            "hand-written": lambda i=items: [run_minimal(i, DAYS, RATE, R, Q, LEAD, rep) for rep in range(n)],
            "all callbacks": lambda i=items: [run_minimal_callbacks(i, DAYS, RATE, R, Q, LEAD, rep) for rep in range(n)],
        }  # fmt: skip
        medians = interleaved(jobs, args.repeats)
        print(
            f"{'R1' if items == 1 else 'R2'}: {items} item(s) × {DAYS} days, median of {args.repeats} rounds of {n} replications"
        )
        for name, t in medians.items():
            print(f"  {name:14s} {t.cpu / n * 1000:8.2f} ms CPU per replication ({t.wall / n * 1000:.2f} ms wall)")
        cpu = {name: t.cpu for name, t in medians.items()}
        simjit[items] = cpu["simjit"]
        print(f"  simjit / hand-written:  {cpu['simjit'] / cpu['hand-written']:.2f}  (target <= {TARGETS[items]})")
        print(f"  simjit / all callbacks: {cpu['simjit'] / cpu['all callbacks']:.2f}  (reference)")
        print(f"  mean on hand per item: {agreement(s, items, max(n, 10))}")
    print(f"simjit R2 / R1: {simjit[10] / simjit[1]:.2f}  (ten items; target <= 11)")


if __name__ == "__main__":
    main()
