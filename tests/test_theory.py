"""The engine against inventory theory: closed forms checked by Monte Carlo, and exact identities.

Every expected value below is derived for the engine's own timing, which is:

* time is in days; ``per_day`` demand is played as the period model (``timing: start_of_day``) the
  derivations below assume: one lump at each integer time t = 0, 1, 2, …;
  ``arrivals`` demand is a Poisson process in continuous time;
* at one instant, receipts land before demand, and periodic reviews run after demand; a
  continuous-review policy reviews inside the demand event that changed its position;
* an order placed at t with a constant lead time L lands at t + L, before that instant's demand;
* time averages are exact integrals over [warmup, horizon); with lumps at integer times the
  levels are constant within a day, so they are averages of the end-of-day levels.

One identity carries most derivations. Let IP(d) be the inventory position at the end of day d
(after that day's demand and the order it triggered). Orders placed on days ≤ d have all landed by
the start of day d + L, orders placed later have not, so the net inventory (on hand − backorders)

    at the end of day d + L            = IP(d) − (demand of days d+1 … d+L)     (L days)
    just before day d + L's demand     = IP(d) − (demand of days d+1 … d+L−1)   (L−1 days)

Monte Carlo checks run a fixed batch of replications (deterministic seeds), form a Student-t
confidence interval of the mean across replications at level ``CONF``, and assert two things:
the exact value lies inside the interval, and the interval is narrow enough to catch a bias of
the tolerance stated next to each check (1 % where the runtime allows, more for small tail
quantities such as backorders, which would need several million simulated days more for 1 %).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from scipy import integrate, stats

from simjit import Scenario, load_scenario
from simjit.model import run_replication, simulate
from simjit.policies import economic_order_quantity

CONF = 0.999
"""Confidence level of every interval: about 20 intervals are checked, so 99.9 % keeps the chance
that a legitimate change of random streams trips one of them near 2 %."""

POINT = "shop/part"


# --- building scenarios and running batches --------------------------------------------------


def scenario(
    *,
    demand: dict[str, Any],
    lead_time: Any,
    policies: dict[str, Any],
    horizon: float,
    warmup: float,
    costs: dict[str, float] | None = None,
    seed: int = 20240611,
) -> Scenario:
    """One stock point ``shop/part`` fed by one supplier, with one customer demand stream."""
    data = {
        "name": "theory check",
        "horizon": horizon,
        "warmup": warmup,
        "replications": 1,
        "seed": seed,
        "items": {"part": {"unit_cost": 1.0}},
        "costs": {"holding_cost": 1.0, "order_cost": 0.0, **(costs or {})},
        "suppliers": {"vendor": {"supplies": ["part"], "lead_time": lead_time}},
        "sites": {"shop": {"stock": {"part": {"source": "vendor"}}}},
        "demand": [{"at": POINT, **demand}],
        "policies": {name: {"default": spec} for name, spec in policies.items()},
    }
    return load_scenario(data)


@dataclass(frozen=True)
class Batch:
    """The KPIs of a batch of replications (name → one value per replication) and the window length."""

    kpi: dict[str, np.ndarray]
    days: float

    def __getitem__(self, name: str) -> np.ndarray:
        return self.kpi[name]


def run_batch(s: Scenario, policy: str, replications: int) -> Batch:
    """Replications 0 … replications−1 of ``policy`` on ``s``."""
    rows = [run_replication(s, policy, r) for r in range(replications)]
    return Batch({k: np.array([row[k] for row in rows]) for k in rows[0]}, s.horizon - s.warmup)


def mean_ci(x: np.ndarray, conf: float = CONF) -> tuple[float, float]:
    """Mean and Student-t half-width of its ``conf`` confidence interval."""
    n = len(x)
    hw = float(stats.t.ppf(0.5 + conf / 2, n - 1) * np.std(x, ddof=1) / math.sqrt(n))
    return float(np.mean(x)), hw


def check(label: str, samples: np.ndarray, exact: float, tol: float, scale: float | None = None) -> None:
    """Assert ``exact`` is inside the CI of the mean of ``samples`` and the CI is narrower than
    ``tol`` × ``scale`` (default: the exact value), so that a bias of that size is caught."""
    scale = abs(exact) if scale is None else scale
    mean, hw = mean_ci(samples)
    print(f"{label}: exact {exact:.6g}, simulated {mean:.6g} ± {hw:.3g} ({hw / scale:.2%} of {scale:.4g})")
    assert hw < tol * scale, f"{label}: CI half-width {hw:.3g} too wide to catch a {tol:.1%} bias of {scale:.4g}"
    assert abs(mean - exact) <= hw, f"{label}: theory {exact:.6g} outside {mean:.6g} ± {hw:.3g}"


# --- the cases -------------------------------------------------------------------------------

# (r, Q) with Poisson daily lumps and a constant lead time.
RQ_LAMBDA, RQ_L, RQ_R, RQ_Q = 20.0, 3, 60, 100
# Base stock with Poisson unit arrivals and i.i.d. random lead times (orders cross).
BS_LAMBDA, BS_S, BS_LEAD = 1.0, 5, {"gamma": {"mean": 5.0, "sd": 2.0}}
LS_LAMBDA, LS_S, LS_LEAD = 1.0, 5, {"lognormal": {"mean": 5.0, "sd": 3.0}}
LEAD_MEAN = 5.0
# Kanban loop of N cards of one unit against base stock S = N, Poisson unit arrivals, exponential
# lead times: an M/M/N queue (Erlang C) against an M/M/∞ (Palm), told apart by their CIs.
MMN_LAMBDA, MMN_N, MMN_LEAD = 1.0, 6, 4.0
# Periodic order-up-to, normal daily demand, constant lead time, S at two newsvendor fractiles.
OUT_MU, OUT_SIGMA, OUT_L = 100.0, 20.0, 2
OUT_FRACTILES = (0.5, 0.9)
# (r, Q) with random lead times, for Little's law on the pipeline.
LP_LEAD = {"lognormal": {"mean": LEAD_MEAN, "sd": 2.0}}


def _rq() -> Batch:
    s = scenario(
        demand={"per_day": {"poisson": RQ_LAMBDA}, "timing": "start_of_day", "on_stockout": "backorder"},
        lead_time=RQ_L,
        policies={"rq": {"r_Q": {"reorder_point": RQ_R, "order_quantity": RQ_Q}}},
        horizon=5100,
        warmup=100,
    )
    return run_batch(s, "rq", 400)


def _base_stock() -> Batch:
    s = scenario(
        demand={"arrivals": {"rate": BS_LAMBDA, "size": 1}, "on_stockout": "backorder"},
        lead_time=BS_LEAD,
        policies={"bs": {"base_stock": {"level": BS_S}}},
        horizon=5100,
        warmup=100,
    )
    return run_batch(s, "bs", 250)


def _lost_sales() -> Batch:
    s = scenario(
        demand={"arrivals": {"rate": LS_LAMBDA, "size": 1}, "on_stockout": "lost"},
        lead_time=LS_LEAD,
        policies={"bs": {"base_stock": {"level": LS_S}}},
        horizon=4100,
        warmup=100,
    )
    return run_batch(s, "bs", 100)


def _mmn(policy: dict[str, Any]) -> Batch:
    s = scenario(
        demand={"arrivals": {"rate": MMN_LAMBDA, "size": 1}, "on_stockout": "backorder"},
        lead_time={"exponential": {"mean": MMN_LEAD}},
        policies={"p": policy},
        horizon=5100,
        warmup=100,
    )
    return run_batch(s, "p", 200)


def _order_up_to(fractile: float) -> Batch:
    h = 1.0
    b = h * fractile / (1 - fractile)  # newsvendor: P(D ≤ S) = b / (b + h)
    s = scenario(
        demand={
            "per_day": {"normal": {"mean": OUT_MU, "sd": OUT_SIGMA}},
            "timing": "start_of_day",
            "on_stockout": "backorder",
        },
        lead_time=OUT_L,
        policies={"out": {"order_up_to": {"level": out_level(fractile), "review_period": 1}}},
        horizon=5100,
        warmup=100,
        costs={"holding_cost": h, "backorder_cost": b},
    )
    return run_batch(s, "out", 150)


def _rq_random_lead_time() -> Batch:
    s = scenario(
        demand={"per_day": {"poisson": RQ_LAMBDA}, "timing": "start_of_day", "on_stockout": "backorder"},
        lead_time=LP_LEAD,
        policies={"rq": {"r_Q": {"reorder_point": 100, "order_quantity": RQ_Q}}},
        horizon=2100,
        warmup=100,
    )
    return run_batch(s, "rq", 100)


CASES: dict[str, Callable[[], Batch]] = {
    "rq": _rq,
    "base_stock": _base_stock,
    "lost_sales": _lost_sales,
    "out_0.5": lambda: _order_up_to(0.5),
    "out_0.9": lambda: _order_up_to(0.9),
    "rq_random_lead_time": _rq_random_lead_time,
    "kanban_mmn": lambda: _mmn({"kanban": {"containers": MMN_N, "container_size": 1}}),
    "base_stock_mmn": lambda: _mmn({"base_stock": {"level": MMN_N}}),
}


@functools.cache
def batch(case: str) -> Batch:
    """The replications of a case, run once per session (the Little's-law checks reuse them)."""
    return CASES[case]()


# --- closed forms ----------------------------------------------------------------------------


def poisson_pmf(mean: float, upto: int) -> np.ndarray:
    return stats.poisson.pmf(np.arange(upto + 1), mean)


def rq_theory(lam: float, lead: int, r: int, q: int) -> dict[str, float]:
    """(r, Q), Poisson(λ) daily lumps, constant lead time L, backorders.

    IP(d) is uniform on {r+1, …, r+Q}: it moves by −(day's demand) mod Q inside that range, a
    circulant (doubly stochastic) chain. Net inventory at the end of day d+L is IP(d) − D_L with
    D_L ~ Poisson(λL) independent of IP(d), so

        avg_on_hand    = E[(IP − D_L)⁺]        avg_backorders = E[(D_L − IP)⁺]

    Just before day d+L's demand X ~ Poisson(λ), after the receipt, on hand is (IP − D_{L−1})⁺
    (receipts clear backorders first); the units served from stock are min(that, X), so

        fill_rate = E[min((IP − D_{L−1})⁺, X)] / λ.
    """
    top = int(lam * lead + 40 * math.sqrt(lam * lead) + r + q)
    k = np.arange(top + 1)
    ip = np.arange(r + 1, r + q + 1)[:, None]
    net = ip - k[None, :]
    p_l = poisson_pmf(lam * lead, top)
    on_hand = float((np.maximum(net, 0) * p_l).sum(axis=1).mean())
    backorders = float((np.maximum(-net, 0) * p_l).sum(axis=1).mean())
    # E[min(a, X)] = Σ_{j<a} P(X > j)
    e_min = np.concatenate([[0.0], np.cumsum(stats.poisson.sf(k, lam))])
    p_l1 = poisson_pmf(lam * (lead - 1), top)
    served = float((e_min[np.clip(net, 0, top)] * p_l1).sum(axis=1).mean())
    return {"avg_on_hand": on_hand, "avg_backorders": backorders, "fill_rate": served / lam}


def base_stock_theory(lam: float, mean_lead: float, level: int) -> dict[str, float]:
    """Base stock S with Poisson(λ) unit demand and i.i.d. lead times: the units on order are an
    M/G/∞ queue, N ~ Poisson(λ·E[L]) whatever the lead-time law (Palm). The position stays at
    S, so on hand − backorders = S − N; a customer is served from stock iff N ≤ S−1 (PASTA)."""
    a = lam * mean_lead
    top = int(a + 40 * math.sqrt(a) + level + 10)
    k = np.arange(top + 1)
    p = poisson_pmf(a, top)
    return {
        "avg_pipeline": a,
        "avg_on_hand": float((np.maximum(level - k, 0) * p).sum()),
        "avg_backorders": float((np.maximum(k - level, 0) * p).sum()),
        "fill_rate": float(stats.poisson.cdf(level - 1, a)),
    }


def erlang_b(servers: int, load: float) -> float:
    """Erlang's loss probability B(c, a) by the stable recursion B_j = a·B_{j−1} / (j + a·B_{j−1})."""
    b = 1.0
    for j in range(1, servers + 1):
        b = load * b / (j + load * b)
    return b


def lost_sales_theory(lam: float, mean_lead: float, level: int) -> dict[str, float]:
    """Base stock S, Poisson unit demand, lost sales: units on order are an M/G/S/S loss system
    (a demand met from stock starts one "server" — its replenishment — for a lead time; a
    demand finding the shelf empty is lost and orders nothing). Insensitivity + PASTA:
    fill_rate = 1 − B(S, λE[L]); avg_pipeline = λE[L](1 − B); avg_on_hand = S − avg_pipeline."""
    a = lam * mean_lead
    b = erlang_b(level, a)
    return {"fill_rate": 1 - b, "avg_pipeline": a * (1 - b), "avg_on_hand": level - a * (1 - b), "lost_share": b}


def kanban_theory(lam: float, mean_lead: float, cards: int) -> dict[str, float]:
    """Kanban of N one-unit containers, Poisson(λ) unit demand, exponential lead times, backorders.

    A card leaves when a unit is consumed — by a customer served from stock, or by a waiting
    customer the moment a unit lands — and rides one lead time. Cards in transit plus waiting
    customers X is a birth-death chain with rates λ and μ·min(X, N): the M/M/N queue. Hence
    (Erlang C, a = λ/μ < N): fill_rate = 1 − C(N, a) (PASTA: served from stock iff X < N),
    avg_backorders = L_q = C·a / (N − a), avg_pipeline = E[min(X, N)] = a, avg_on_hand = N − a.
    """
    a = lam * mean_lead
    b = erlang_b(cards, a)
    c = cards * b / (cards - a * (1 - b))
    return {"fill_rate": 1 - c, "avg_backorders": c * a / (cards - a), "avg_pipeline": a, "avg_on_hand": cards - a}


def out_level(fractile: float) -> float:
    """Newsvendor level for the engine's timing: end-of-day net inventory is S − D_L, D_L ~ N(μL, σ²L)."""
    return OUT_MU * OUT_L + float(stats.norm.ppf(fractile)) * OUT_SIGMA * math.sqrt(OUT_L)


def normal_loss(z: float) -> float:
    """Standard normal loss function G(z) = E[(Z − z)⁺] = φ(z) − z(1 − Φ(z))."""
    return float(stats.norm.pdf(z) - z * stats.norm.sf(z))


def order_up_to_theory(level: float, mu: float, sigma: float, lead: int) -> dict[str, float]:
    """Periodic order-up-to S, reviewed daily after demand, constant lead time L, N(μ, σ²) daily demand.

    The review restores IP(d) = S every day, so end-of-day net inventory is S − D_L with
    D_L ~ N(μL, σ²L): with z = (S − μL)/(σ√L),

        P(on hand = 0 at the end of a day) = P(backorders > 0) = 1 − Φ(z)   (days_empty / window)
        avg_backorders = σ√L·G(z)        avg_on_hand = S − μL + avg_backorders

    Before day d+L's demand X, on hand is A⁺ with A = S − D_{L−1} ~ N(S − μ(L−1), σ²(L−1)), so
    fill_rate = E[min(A⁺, X)]/μ = ∫_{a>0} (μ − σ·G((a − μ)/σ)) f_A(a) da / μ.
    """
    sd_l = sigma * math.sqrt(lead)
    z = (level - mu * lead) / sd_l
    backorders = sd_l * normal_loss(z)
    m_a, s_a = level - mu * (lead - 1), sigma * math.sqrt(lead - 1)

    def served(a: float) -> float:
        return (mu - sigma * normal_loss((a - mu) / sigma)) * float(stats.norm.pdf(a, m_a, s_a))

    fill, _ = integrate.quad(served, 0.0, m_a + 12 * s_a, epsabs=1e-12, epsrel=1e-12)
    return {
        "stockout_share": float(stats.norm.sf(z)),
        "avg_backorders": backorders,
        "avg_on_hand": level - mu * lead + backorders,
        "fill_rate": fill / mu,
    }


# --- 1. deterministic EOQ: exact, no Monte Carlo ---------------------------------------------

EOQ_D, EOQ_L, EOQ_K, EOQ_H = 10.0, 3, 25.0, 0.2
EOQ_Q = 50.0  # √(2·10·25 / 0.2) = 50 = five days of demand


def test_eoq_deterministic_saw_tooth_is_exact() -> None:
    """Constant demand D a day, constant lead time L, `eoq: {}` (Q* = √(2DK/h), r = D·L).

    IP(d) runs through r+Q, r+Q−D, …, r+D (Q is a multiple of D, so IP hits r exactly and the
    order lifts it to r+Q). End-of-day on hand at day d+L is IP(d) − L·D = IP(d) − r, so it runs
    through Q, Q−D, …, D: avg_on_hand = (Q + D)/2, never zero. The textbook Q/2 assumes demand
    flowing continuously; here the receipt lands before the demand of its day, so the lead time
    covers only L−1 days of demand and r = D·L leaves one day's demand D on the shelf at every
    receipt. With r = D·(L−1) the shelf empties exactly at the end of the day before each
    receipt: on hand runs Q−D, …, 0, avg_on_hand = (Q − D)/2, and still no customer waits.

    One order per cycle of Q/D days: orders per day D/Q, holding + ordering cost per day
    K·D/Q + h·avg_on_hand, pipeline Q for L days of each cycle: avg_pipeline = D·L. The window
    [60, 900) holds 840 days, a whole number of cycles for every Q/D in 3…7, so all of it is exact.
    """
    assert economic_order_quantity(EOQ_K, EOQ_H, EOQ_D) == pytest.approx(EOQ_Q, rel=1e-12)
    lots = (30.0, 40.0, 50.0, 60.0, 70.0)
    policies: dict[str, Any] = {"eoq": {"eoq": {}}, "jit": {"eoq": {"reorder_point": EOQ_D * (EOQ_L - 1)}}}
    policies |= {f"q{q:g}": {"eoq": {"order_quantity": q}} for q in lots}
    s = scenario(
        demand={"per_day": EOQ_D, "timing": "start_of_day", "on_stockout": "backorder"},
        lead_time=EOQ_L,
        policies=policies,
        horizon=900,
        warmup=60,
        costs={"holding_cost": EOQ_H, "order_cost": EOQ_K},
    )
    days = 840.0

    run = simulate(s, "eoq", 0, keep_network=True)
    assert run.network is not None
    policy = run.network.points[("shop", "part")].policy
    assert policy.order_quantity == pytest.approx(EOQ_Q, rel=1e-12)  # type: ignore[attr-defined]
    assert policy.reorder_point == pytest.approx(EOQ_D * EOQ_L, rel=1e-12)  # type: ignore[attr-defined]

    def expect(summary: dict[str, float], q: float, on_hand: float) -> None:
        approx = functools.partial(pytest.approx, rel=1e-9, abs=1e-9)
        assert summary["avg_on_hand"] == approx(on_hand)
        assert summary["orders_placed"] == approx(days * EOQ_D / q)
        assert summary["avg_pipeline"] == approx(EOQ_D * EOQ_L)
        assert summary["avg_backorders"] == 0.0
        assert summary["fill_rate"] == 1.0
        assert summary["demand"] == approx(days * EOQ_D)
        assert summary["holding_cost"] == approx(EOQ_H * on_hand * days)
        assert summary["ordering_cost"] == approx(EOQ_K * days * EOQ_D / q)
        per_day = (summary["holding_cost"] + summary["ordering_cost"]) / days
        assert per_day == approx(EOQ_K * EOQ_D / q + EOQ_H * on_hand)

    expect(run.summary, EOQ_Q, (EOQ_Q + EOQ_D) / 2)
    assert run.summary["days_empty"] == 0.0

    jit = run_replication(s, "jit", 0)
    expect(jit, EOQ_Q, (EOQ_Q - EOQ_D) / 2)
    assert jit["days_empty"] == pytest.approx(days * EOQ_D / EOQ_Q)  # one empty day per cycle

    # Q* minimises the simulated holding + ordering cost among lot sizes (the exact cost is
    # K·D/Q + h·(Q + D)/2: the textbook curve shifted by h·D/2, with the same minimiser).
    cost = {}
    for q in lots:
        summary = run_replication(s, f"q{q:g}", 0)
        expect(summary, q, (q + EOQ_D) / 2)
        cost[q] = (summary["holding_cost"] + summary["ordering_cost"]) / days
    assert min(cost, key=cost.__getitem__) == EOQ_Q
    assert cost[EOQ_Q] == pytest.approx(math.sqrt(2 * EOQ_K * EOQ_D * EOQ_H) + EOQ_H * EOQ_D / 2, rel=1e-9)


# --- 2. (r, Q) with Poisson daily demand -----------------------------------------------------


@pytest.mark.slow
def test_r_q_poisson_daily_demand_constant_lead_time() -> None:
    """(r, Q) = (60, 100), Poisson(20) a day, L = 3 days, backorders: see :func:`rq_theory`.

    A timing error of one day (receipts after demand, or the lead time counted from the next
    day) moves the lead-time demand by λ = 20 units: avg_on_hand by ~20, far outside the CI."""
    exact = rq_theory(RQ_LAMBDA, RQ_L, RQ_R, RQ_Q)
    runs = batch("rq")
    check("(r,Q) avg_on_hand", runs["avg_on_hand"], exact["avg_on_hand"], tol=0.01)
    # E[backorders] ≈ 0.14 units: a 2 % bias (0.003 units) is what 2 M simulated days resolve.
    check("(r,Q) avg_backorders", runs["avg_backorders"], exact["avg_backorders"], tol=0.02)
    # Fill rate ≈ 0.993: the tolerance is on the shortfall 1 − fill rate (2 % of 0.007).
    check("(r,Q) fill_rate", runs["fill_rate"], exact["fill_rate"], tol=0.02, scale=1 - exact["fill_rate"])


# --- 3. base stock, Palm's theorem -----------------------------------------------------------


@pytest.mark.slow
def test_base_stock_palm_theorem_random_lead_times() -> None:
    """Base stock S = 5, Poisson unit arrivals λ = 1 a day, gamma lead times (mean 5, sd 2), so
    N ~ Poisson(5): see :func:`base_stock_theory`. Every unit is ordered on its own with its own
    lead time, so orders cross; Palm's theorem needs exactly that (i.i.d. lead times)."""
    exact = base_stock_theory(BS_LAMBDA, LEAD_MEAN, BS_S)
    runs = batch("base_stock")
    check("base stock avg_pipeline", runs["avg_pipeline"], exact["avg_pipeline"], tol=0.01)
    check("base stock fill_rate", runs["fill_rate"], exact["fill_rate"], tol=0.01)
    check("base stock avg_on_hand", runs["avg_on_hand"], exact["avg_on_hand"], tol=0.0125)
    check("base stock avg_backorders", runs["avg_backorders"], exact["avg_backorders"], tol=0.015)
    # the position is always S: on hand − backorders = S − pipeline, exactly, in every replication
    np.testing.assert_allclose(runs["avg_on_hand"] - runs["avg_backorders"], BS_S - runs["avg_pipeline"], atol=1e-9)


# --- 4. base stock with lost sales, Erlang's loss formula ------------------------------------


@pytest.mark.slow
def test_base_stock_lost_sales_erlang_loss() -> None:
    """Base stock S = 5, Poisson unit arrivals λ = 1 a day, lost sales, lognormal lead times
    (mean 5, sd 3): see :func:`lost_sales_theory` (B(5, 5) ≈ 0.285). On hand + on order = S always."""
    exact = lost_sales_theory(LS_LAMBDA, LEAD_MEAN, LS_S)
    runs = batch("lost_sales")
    check("lost sales fill_rate", runs["fill_rate"], exact["fill_rate"], tol=0.01)
    check("lost sales avg_on_hand", runs["avg_on_hand"], exact["avg_on_hand"], tol=0.01)
    check("lost sales avg_pipeline", runs["avg_pipeline"], exact["avg_pipeline"], tol=0.01)
    check("lost sales share lost", runs["lost_sales"] / runs["demand"], exact["lost_share"], tol=0.015)
    assert np.all(runs["avg_backorders"] == 0.0)
    np.testing.assert_allclose(runs["avg_on_hand"] + runs["avg_pipeline"], LS_S, atol=1e-9)


# --- 4b. kanban against base stock: Erlang C against Palm -------------------------------------


@pytest.mark.slow
def test_kanban_is_an_mmn_queue_and_base_stock_is_palm() -> None:
    """N = S = 6 one-unit containers, λ = 1 a day, exponential lead times of mean 4 (a = 4).

    Kanban: cards return only when a unit is consumed, so waiting customers hold no card: the
    loop is M/M/6 (fill rate 1 − C(6, 4) ≈ 0.715, L_q ≈ 0.57). Base stock orders for every
    backordered unit too: M/M/∞, N ~ Poisson(4) (fill ≈ 0.785, backorders ≈ 0.195). Each
    interval is narrow enough that the other convention's value lies far outside it."""
    kanban, base = kanban_theory(MMN_LAMBDA, MMN_LEAD, MMN_N), base_stock_theory(MMN_LAMBDA, MMN_LEAD, MMN_N)
    runs, palm = batch("kanban_mmn"), batch("base_stock_mmn")
    # backorders are a small tail quantity: 6 % of 0.57 is what 1 M simulated days resolve at 99.9 %
    for kpi, tol in (("fill_rate", 0.01), ("avg_backorders", 0.06), ("avg_pipeline", 0.01), ("avg_on_hand", 0.02)):
        check(f"kanban {kpi}", runs[kpi], kanban[kpi], tol=tol)
        check(f"base stock {kpi}", palm[kpi], base[kpi], tol=tol)
    for kpi in ("fill_rate", "avg_backorders"):
        mean, hw = mean_ci(runs[kpi])
        assert abs(base[kpi] - mean) > 5 * hw, f"kanban {kpi}: cannot tell Erlang C from Palm"
    # the WIP cap: units on hand + on order never exceed N, so their time averages cannot either
    assert np.all(runs["avg_on_hand"] + runs["avg_pipeline"] <= MMN_N + 1e-9)


# --- 5. periodic order-up-to, normal demand --------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("fractile", OUT_FRACTILES)
def test_order_up_to_newsvendor_levels(fractile: float) -> None:
    """S at the newsvendor fractile b/(b+h) of the end-of-day net inventory S − D_L (with h = 1
    and b = backorder cost per unit-day): the share of days ending with an empty shelf is 1 − b/(b+h).

    Tolerances (bias a CI is narrow enough to catch): 1 % at the fractile 0.5; at 0.9 the
    backorders, stock-out days and fill-rate shortfall are tail quantities, checked to 2–2.5 %."""
    level = out_level(fractile)
    exact = order_up_to_theory(level, OUT_MU, OUT_SIGMA, OUT_L)
    assert exact["stockout_share"] == pytest.approx(1 - fractile, rel=1e-9)
    runs = batch(f"out_{fractile}")
    tail = {0.5: 0.01, 0.9: 0.025}[fractile]
    name = f"order-up-to {fractile}"
    check(f"{name} avg_on_hand", runs["avg_on_hand"], exact["avg_on_hand"], tol=0.01)
    check(f"{name} avg_backorders", runs["avg_backorders"], exact["avg_backorders"], tol=tail)
    check(f"{name} P(stockout)", runs["days_empty"] / runs.days, exact["stockout_share"], tol=min(tail, 0.02))
    shortfall = 1 - exact["fill_rate"]
    check(f"{name} fill_rate", runs["fill_rate"], exact["fill_rate"], tol=tail, scale=shortfall)
    h, b = 1.0, fractile / (1 - fractile)
    cost = (runs["holding_cost"] + runs["shortage_cost"]) / runs.days
    check(f"{name} cost/day", cost, h * exact["avg_on_hand"] + b * exact["avg_backorders"], tol=0.01)


# --- 6. Little's law -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("case", ["rq", "base_stock"])
def test_little_law_backorders_and_customer_wait(case: str) -> None:
    """Backordered units form a queue: its time-average length (avg_backorders) equals the
    demand rate times the mean wait per unit, counting units served at once as zero waits.

    Per replication the two sides differ only by units waiting across the window's edges;
    across replications the paired difference is zero within its CI. The mean wait also
    matches theory: E[W] = E[backorders]/λ."""
    runs = batch(case)
    rate = runs["demand"] / runs.days
    diff = runs["avg_backorders"] - rate * runs["avg_customer_wait"]
    mean, hw = mean_ci(diff)
    print(f"Little {case}: avg_backorders − λ̂·W = {mean:.3g} ± {hw:.3g}")
    assert abs(mean) <= hw
    assert hw < 0.005 * float(np.mean(runs["avg_backorders"]))
    if case == "rq":
        lam, expected = RQ_LAMBDA, rq_theory(RQ_LAMBDA, RQ_L, RQ_R, RQ_Q)["avg_backorders"]
    else:
        lam, expected = BS_LAMBDA, base_stock_theory(BS_LAMBDA, LEAD_MEAN, BS_S)["avg_backorders"]
    tol = {"rq": 0.02, "base_stock": 0.0125}[case]  # W is about as noisy as the backorders
    check(f"Little {case} avg_customer_wait", runs["avg_customer_wait"], expected / lam, tol=tol)


@pytest.mark.slow
def test_little_law_pipeline_random_lead_times() -> None:
    """Orders in transit form an infinite-server queue: avg_pipeline = (units ordered per day) ×
    E[lead time], here for (r, Q) lots with lognormal lead times that cross. Units ordered are
    purchase_cost / price (price 1). In the long run units ordered per day = λ, so also
    avg_pipeline = λ·E[L]."""
    runs = batch("rq_random_lead_time")
    ordered = runs["purchase_cost"] / runs.days
    np.testing.assert_allclose(runs["purchase_cost"], RQ_Q * runs["orders_placed"])
    little = runs["avg_pipeline"] - ordered * LEAD_MEAN
    check("Little pipeline − ordered/day × E[L]", little, 0.0, tol=0.01, scale=RQ_LAMBDA * LEAD_MEAN)
    check("pipeline vs λ·E[L]", runs["avg_pipeline"], RQ_LAMBDA * LEAD_MEAN, tol=0.01)
