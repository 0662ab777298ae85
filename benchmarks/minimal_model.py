"""Hand-written SimPy models of workloads R1/R2: the yardstick simjit's engine is timed against.

Per-day Poisson demand (drawn up front), continuous-review (r, Q), constant lead time, backorders,
the same initial stock as simjit's (the lots the policy orders when empty) and the same exact time
integrals of on hand and backorders that simjit reports. Written as lean as a careful SimPy author
would: state in closure variables (no dicts, no attribute look-ups), one customer process per item,
deliveries as callbacks on a timeout rather than processes of their own.

``run_minimal`` is the yardstick; ``run_minimal_callbacks`` plays the days as callbacks too (no
generator resumed per day), the floor of what SimPy allows, printed for reference.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

__all__ = ["run_minimal", "run_minimal_callbacks"]


def _point(
    env: simpy.Environment, demand: list[float], r: float, q: float, lead: float, days: int, per_day_callbacks: bool
) -> Callable[[], tuple[float, float]]:
    """One (r, Q) stock point playing ``demand`` (one quantity per day); returns what reads its
    time averages of on hand and backorders at the horizon."""
    on_hand, backorders, on_order, t, area, area_bo = q * (r // q + 1), 0.0, 0.0, 0.0, 0.0, 0.0
    timeout = env.timeout

    def receive(_: simpy.Event) -> None:
        nonlocal on_hand, backorders, on_order, t, area, area_bo
        now = env.now
        area += on_hand * (now - t)
        area_bo += backorders * (now - t)
        t = now
        on_order -= q
        served = min(backorders, q)
        backorders -= served
        on_hand += q - served

    def sell(d: float) -> None:
        nonlocal on_hand, backorders, on_order, t, area, area_bo
        now = env.now
        area += on_hand * (now - t)
        area_bo += backorders * (now - t)
        t = now
        take = min(on_hand, d)
        on_hand -= take
        backorders += d - take
        while on_hand + on_order - backorders <= r:
            on_order += q
            timeout(lead).callbacks.append(receive)

    def customers() -> Generator[simpy.Event, Any, None]:
        for d in demand:
            if d:
                sell(d)
            yield timeout(1)

    days_left = iter(demand)

    def day(_: simpy.Event | None = None) -> None:
        d = next(days_left, None)
        if d is not None:
            if d:
                sell(d)
            timeout(1).callbacks.append(day)

    if per_day_callbacks:
        day()
    else:
        env.process(customers())

    def averages() -> tuple[float, float]:
        return (area + on_hand * (days - t)) / days, (area_bo + backorders * (days - t)) / days

    return averages


def _run(items: int, days: int, rate: float, r: float, q: float, lead: float, seed: int, callbacks: bool) -> float:
    env = simpy.Environment()
    rng = np.random.default_rng(seed)
    points = [_point(env, rng.poisson(rate, days).astype(float).tolist(), r, q, lead, days, callbacks)
              for _ in range(items)]  # fmt: skip
    env.run(until=days)
    return float(np.mean([p()[0] for p in points]))


def run_minimal(items: int, days: int, rate: float, r: float, q: float, lead: float, seed: int) -> float:
    """Play the system; return the mean on hand over all items (so the work cannot be skipped)."""
    return _run(items, days, rate, r, q, lead, seed, callbacks=False)


def run_minimal_callbacks(items: int, days: int, rate: float, r: float, q: float, lead: float, seed: int) -> float:
    """The same with every day a callback instead of a step of a process (the floor, for reference)."""
    return _run(items, days, rate, r, q, lead, seed, callbacks=True)
