"""What demand through the day costs: the engine benchmark's workloads (R1, one item; R2, ten items;
Poisson(20)/day, (r, Q) = (60, 100), lead time 3, 3650 days) played with ``timing: through_day``
(simjit's default: hourly lots at random times) against ``timing: start_of_day`` (the period model,
one lump a day). Prints the CPU-time ratio through / start of day (target <= 2), and the fill rates
of both, which differ: receipts no longer land before the whole day's demand.

    python benchmarks/demand_timing.py [--replications N] [--repeats K]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from engine import workload
from timing import interleaved

from simjit.model import run_replication

TARGET = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replications", type=int, default=5, help="replications per timed job")
    parser.add_argument("--repeats", type=int, default=7, help="interleaved rounds; the median is kept")
    args = parser.parse_args()
    n = args.replications
    for items in (1, 10):
        scenarios = {timing: workload(items, timing) for timing in ("start_of_day", "through_day")}
        for s in scenarios.values():
            run_replication(s, "rQ", 0)  # imports and caches warm, as in a worker
        jobs = {t: (lambda s=s: [run_replication(s, "rQ", rep) for rep in range(n)]) for t, s in scenarios.items()}
        medians = interleaved(jobs, args.repeats)
        print(f"{'R1' if items == 1 else 'R2'}: {items} item(s), median of {args.repeats} rounds of {n} replications")
        for timing, t in medians.items():
            fill = statistics.mean(run_replication(scenarios[timing], "rQ", rep)["fill_rate"] for rep in range(n))
            print(f"  {timing:13s} {t.cpu / n * 1000:8.2f} ms CPU per replication, fill rate {fill:.4f}")
        ratio = medians["through_day"].cpu / medians["start_of_day"].cpu
        print(f"  through_day / start_of_day: {ratio:.2f}  (target <= {TARGET})")


if __name__ == "__main__":
    main()
