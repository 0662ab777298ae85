"""Figures of a 100,000-row replications table: each must draw in seconds (they aggregate first).

Tables: a real run of the brake plant (4 policies × 8 replications, 200 days) whose rows are
repeated with new replication numbers up to 100,000 rows (25,000 replications per policy), and
likewise a sweep of the port closure (5 points × 4 policies × 5,000 replications). Each figure is
timed from the call to the end of an Agg render (best of ``--repeats``); the statistics a
summary needs (describe/compare over 100,000 rows) are timed apart.

    python benchmarks/plots.py [--rows N] [--repeats K]
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from simjit import load_scenario
from simjit.experiment import Plan, compare, describe, execute, sweep_variants
from simjit.experiment.columns import KPIS
from simjit.plots import (
    cost_breakdown,
    kpi_distribution,
    paired_differences,
    sweep_difference,
    sweep_response,
    tradeoff_frontier,
)

ROOT = Path(__file__).resolve().parents[1]
BRAKE = ROOT / "scenarios" / "brake_plant.yaml"
CLOSURE = "suppliers.pads_asia.disruptions.0.duration"
SHORT = ["horizon=200", "warmup=20"]


def grown(table: pd.DataFrame, rows: int) -> pd.DataFrame:
    """``table`` repeated with fresh replication numbers until it has at least ``rows`` rows."""
    step = int(table["replication"].max()) + 1
    copies = math.ceil(rows / len(table))
    return pd.concat([table.assign(replication=table["replication"] + step * k) for k in range(copies)],
                     ignore_index=True).iloc[:rows]  # fmt: skip


def best(repeats: int, draw: Callable[[], Figure | object]) -> float:
    """Best wall time of ``repeats`` calls (figures rendered by Agg to the last pixel)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        figure = draw()
        if isinstance(figure, Figure):
            FigureCanvasAgg(figure).draw()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    scenario = load_scenario(BRAKE, SHORT)
    policies = list(scenario.policies)
    with tempfile.TemporaryDirectory() as tmp:
        run = execute(Plan.single(scenario, policies, 8), Path(tmp) / "run").results()
        _, variants = sweep_variants(BRAKE, [f"{CLOSURE}=0:60:15"], [*SHORT, "replications=2"])
        swept = execute(Plan(tuple(variants), tuple(policies), 2), Path(tmp) / "sweep").results()
    table, sweep = grown(run, args.rows), grown(swept, args.rows)
    kpis = [k for k in KPIS if k in table.columns]
    started = time.perf_counter()
    summary, comparison = describe(table, kpis), compare(table, kpis, "eoq")
    statistics = time.perf_counter() - started
    print(f"{len(table):,} rows ({table['replication'].nunique():,} replications × {len(policies)} policies), "
          f"{len(sweep):,} sweep rows; best of {args.repeats}")  # fmt: skip
    print(f"  {'describe + compare, 26 KPIs (not a figure)':45s} {statistics:6.2f} s")
    cases: dict[str, Callable[[], Figure]] = {
        "kpi_distribution box, paired": lambda: kpi_distribution(table, "total_cost", paired=True),
        "kpi_distribution violin, paired": lambda: kpi_distribution(table, "fill_rate", kind="violin", paired=True),
        "cost_breakdown (from the summary)": lambda: cost_breakdown(summary),
        "tradeoff_frontier (from the summary)": lambda: tradeoff_frontier(summary),
        "paired_differences (from the comparison)": lambda: paired_differences(comparison, ["total_cost", "fill_rate"]),
        "sweep_response": lambda: sweep_response(sweep, "total_cost"),
        "sweep_difference (with its table)": lambda: sweep_difference(sweep, "total_cost", 0),
    }
    for name, draw in cases.items():
        print(f"  {name:45s} {best(args.repeats, draw):6.2f} s")


if __name__ == "__main__":
    main()
