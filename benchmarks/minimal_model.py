"""A hand-written minimal SimPy model of workloads R1/R2: the yardstick simjit's engine is timed against.

Per-day Poisson demand (drawn up front), continuous-review (r, Q), constant lead time,
backorders, and the same exact time integrals of on hand and backorders that simjit reports.
"""

from __future__ import annotations

import numpy as np
import simpy


def run_minimal(items: int, days: int, rate: float, r: float, q: float, lead: float, seed: int) -> float:
    """Play the system; return the mean on hand over all items (so the work cannot be skipped)."""
    env = simpy.Environment()
    rng = np.random.default_rng(seed)
    totals = []
    for _ in range(items):
        state = {"on_hand": r + q, "backorders": 0.0, "on_order": 0.0, "t": 0.0, "area": 0.0, "area_bo": 0.0}
        demand = rng.poisson(rate, days).astype(float).tolist()

        def touch(st: dict[str, float] = state) -> None:
            dt = env.now - st["t"]
            st["area"] += st["on_hand"] * dt
            st["area_bo"] += st["backorders"] * dt
            st["t"] = env.now

        def arrive(_: simpy.Event, st: dict[str, float] = state) -> None:
            touch(st)
            st["on_order"] -= q
            served = min(st["backorders"], q)
            st["backorders"] -= served
            st["on_hand"] += q - served

        def customers(st: dict[str, float] = state, demand: list[float] = demand):  # type: ignore[no-untyped-def]
            for d in demand:
                if d > 0:
                    touch(st)
                    take = min(st["on_hand"], d)
                    st["on_hand"] -= take
                    st["backorders"] += d - take
                    while st["on_hand"] + st["on_order"] - st["backorders"] <= r:
                        st["on_order"] += q
                        env.timeout(lead).callbacks.append(arrive)
                yield env.timeout(1)

        env.process(customers())
        totals.append(state)
    env.run(until=days)
    return float(np.mean([st["area"] / days for st in totals]))
