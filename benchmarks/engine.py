"""Engine speed: simjit against a hand-written minimal SimPy model of the same system.

R1: one item, Poisson(20)/day per-day demand, (r, Q) with r = 60, Q = 100, constant lead time 3,
backorders, 3650 days, 100 replications. R2: the same with 10 items at one site.
Prints simjit/minimal for R1 and R2 (target ≤ 1.5 on R1) and simjit R2/R1 (target ≤ 11).
Each workload is timed several times, interleaved, and the fastest run is kept.

    python benchmarks/engine.py [--replications N] [--repeats K]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from minimal_model import run_minimal

from simjit.model import run_replication
from simjit.scenario import Scenario
from simjit.scenario.loader import validate_data
from simjit.scenario.yaml_nodes import Located

DAYS, RATE, R, Q, LEAD = 3650, 20, 60, 100, 3


def workload(items: int) -> Scenario:
    """The R1 (items = 1) or R2 (items = 10) scenario."""
    names = [f"item{k}" for k in range(items)]
    data = {
        "name": f"R{items}",
        "horizon": DAYS,
        "items": {n: {"unit_cost": 1.0} for n in names},
        "suppliers": {"supplier": {"supplies": names, "lead_time": LEAD}},
        "sites": {"store": {"stock": {n: {"source": "supplier"} for n in names}}},
        "demand": [{"at": f"store/{n}", "per_day": {"poisson": RATE}} for n in names],
        "policies": {"rQ": {"default": {"r_Q": {"reorder_point": R, "order_quantity": Q}}}},
    }
    return validate_data(Located(data), f"R{items}", Path("."))


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replications", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    n = args.replications
    best: dict[str, float] = {}
    for _ in range(args.repeats):
        for items in (1, 10):
            s = workload(items)
            jobs = {
                f"simjit R{items}": lambda s=s: [run_replication(s, "rQ", rep) for rep in range(n)],
                f"minimal R{items}": lambda items=items: [
                    run_minimal(items, DAYS, RATE, R, Q, LEAD, rep) for rep in range(n)
                ],
            }
            for name, job in jobs.items():
                best[name] = min(best.get(name, float("inf")), timed(job))
    for name, seconds in best.items():
        print(f"{name:12s} {seconds:8.3f} s  ({seconds / n * 1000:.2f} ms per replication)")
    print(f"R1 simjit/minimal: {best['simjit R1'] / best['minimal R1']:.2f}  (target <= 1.5)")
    print(f"R2 simjit/minimal: {best['simjit R10'] / best['minimal R10']:.2f}")
    print(f"simjit R2/R1:      {best['simjit R10'] / best['simjit R1']:.2f}  (target <= 11)")


if __name__ == "__main__":
    main()
