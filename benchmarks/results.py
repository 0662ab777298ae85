"""Result handling against the engine: R2 (ten items, 286 result columns) × 1,000 replications × 10
policies, through the experiment layer — parts written as batches of 100 tasks finish, the tables
consolidated, every KPI summarised and compared with the baseline, resilience summarised.

The rows are real replications' (a few played per policy, repeated with fresh replication numbers),
so the engine need not play 10,000 replications here: its time for them is the median seconds per
R2 replication, measured in each round between the layer's runs, × 10,000. Printed: each step's seconds, the experiment layer's
share of the whole (engine + layer), and how the layer scales with twice the rows and twice the
columns (R2 with 20 items): linear is 2.0.

    python benchmarks/results.py [--replications N] [--repeats K]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from engine import workload_data
from timing import interleaved

from simjit.experiment import Plan, ResultStore
from simjit.experiment.runner import summarize, summarize_resilience
from simjit.experiment.worker import BatchResult, Row
from simjit.model import run_replication
from simjit.scenario import Scenario
from simjit.scenario.loader import validate_data
from simjit.scenario.yaml_nodes import Located

POLICIES = 10
BATCH = 100
PLAYED = 2
"""Real replications played per policy; their rows are repeated to fill the table."""


def scenario(items: int) -> Scenario:
    """R2's system with ``items`` items and ten (r, Q) policy sets differing in their reorder point."""
    data = workload_data(items)
    data["policies"] = {
        f"r{r}": {"default": {"r_Q": {"reorder_point": r, "order_quantity": 100}}} for r in range(40, 140, 10)
    }
    return validate_data(Located(data), f"R2-{items}", Path("."))


def rows_of(s: Scenario) -> dict[str, list[dict[str, float]]]:
    """The KPIs of a few real replications of every policy set."""
    return {p: [run_replication(s, p, rep) for rep in range(PLAYED)] for p in s.policies}


def handle(s: Scenario, played: dict[str, list[dict[str, float]]], replications: int) -> dict[str, float]:
    """Seconds of each step of the experiment layer for ``replications`` per policy set."""
    plan = Plan.single(s, list(s.policies), replications)
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="simjit-results-") as tmp, ResultStore(Path(tmp)) as store:
        start = time.perf_counter()
        for at in range(0, plan.size(), BATCH):
            rows: list[Row] = []
            for index in range(at, min(at + BATCH, plan.size())):
                variant, policy, rep = plan.locate(index)
                rows.append({"variant": variant.name, "policy": policy, "replication": rep,
                             **played[policy][rep % PLAYED]})  # fmt: skip
            store.add(BatchResult(at, min(at + BATCH, plan.size()), rows))
        seconds["parts written"] = time.perf_counter() - start
        start = time.perf_counter()
        store.consolidate(plan)
        seconds["consolidated"] = time.perf_counter() - start
        start = time.perf_counter()
        summarize(store, plan, plan.policies[0])
        summarize_resilience(store, plan.policies, plan.policies[0])
        seconds["summarised"] = time.perf_counter() - start
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replications", type=int, default=1000, help="replications per policy set")
    parser.add_argument("--repeats", type=int, default=3, help="rounds; the median is kept")
    args = parser.parse_args()
    n = args.replications
    r2, wide = scenario(10), scenario(20)
    played, played_wide = rows_of(r2), rows_of(wide)
    runs: dict[str, list[dict[str, float]]] = {"R2": [], "2x rows": [], "2x columns": []}
    engines = []
    for _ in range(args.repeats):
        engines.append(interleaved({"R2": lambda: run_replication(r2, "r40", 0)}, 3)["R2"].wall)
        runs["R2"].append(handle(r2, played, n))
        runs["2x rows"].append(handle(r2, played, 2 * n))
        runs["2x columns"].append(handle(wide, played_wide, n))
    engine = statistics.median(engines)
    steps = {name: {k: statistics.median(r[k] for r in rounds) for k in rounds[0]} for name, rounds in runs.items()}
    columns = len(next(iter(played.values()))[0])
    tasks = n * POLICIES
    print(f"R2: {columns} KPI columns × {tasks:,} rows ({n:,} replications × {POLICIES} policies), "
          f"median of {args.repeats} rounds")  # fmt: skip
    for step, seconds in steps["R2"].items():
        print(f"  {step:16s} {seconds:7.2f} s")
    layer = sum(steps["R2"].values())
    print(f"  engine, {tasks:,} R2 replications: {engine * tasks:7.1f} s ({engine * 1000:.1f} ms each, measured here)")
    print(f"  experiment layer's share of the whole: {layer / (layer + engine * tasks):.2%}")
    for name in ("2x rows", "2x columns"):
        ratio = sum(steps[name].values()) / layer
        detail = ", ".join(f"{k} {steps[name][k] / steps['R2'][k]:.2f}" for k in steps[name])
        print(f"  {name}: {ratio:.2f} × the time (linear: 2.0; {detail})")


if __name__ == "__main__":
    main()
