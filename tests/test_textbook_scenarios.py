"""The bundled textbook scenarios against the closed forms their headers state.

Each ``scenarios/textbook_*.yaml`` opens with the question, the closed form worked out, and a table of
lines (one per policy set and KPI; a KPI may be a sum such as ``holding_cost+ordering_cost``)::

    #   r_Q   cycle_service_level   closed form 0.9478     simulated 0.9488 ± 0.0033

Three things are checked:

* every closed form printed is what the formula gives for the scenario's own numbers (read from the
  loaded scenario and computed here with scipy.stats), to the digits printed, and every simulated
  interval printed holds it (the header is consistent with itself);
* a few replications of the file itself (fewer than it asks for) put each closed form inside the
  confidence interval of their mean;
* and that interval is narrow enough to exclude a plausible wrong convention: L − 1 days of lead-time
  demand instead of L, the per-day lumps of ``textbook_shop.yaml`` instead of one-at-a-time customers,
  P(D ≤ S) instead of P(D ≤ S − 1).

Intervals are Student-t at :data:`test_theory.CONF` (99.9 %), not the 95 % the headers quote: about
forty intervals are checked, and at 95 % a legitimate change of random streams would trip one of
them most of the time. The simulation runs are marked slow, as test_theory's are.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from test_theory import CONF, Batch, base_stock_theory, mean_ci, rq_theory, run_batch

from simjit import Scenario, load_scenario
from simjit.model import KPIS, run_replication
from simjit.policies import economic_order_quantity

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
TEXTBOOK = sorted(p.name for p in SCENARIOS.glob("textbook_*.yaml"))

LINE = re.compile(
    r"^#\s+(?P<policy>[A-Za-z_]\w*)\s+(?P<kpi>[a-z_]+(?:\+[a-z_]+)*)\s+closed form\s+(?P<exact>-?\d+(?:\.\d+)?)"
    r"\s+simulated\s+(?P<mean>-?\d+(?:\.\d+)?)(?:\s+±\s+(?P<hw>\d+(?:\.\d+)?))?(?P<misses>\s+\(misses\))?\s*$"
)

Closed = dict[tuple[str, str], float]
"""Closed form of each (policy set, KPI) a header may state."""


@dataclass(frozen=True)
class Stated:
    """One line of a header's table."""

    policy: str
    kpi: str
    exact: str
    mean: str
    hw: str | None
    misses: bool


def stated(name: str) -> list[Stated]:
    """The table lines of a scenario's header (its comment lines before the first key); a line that
    looks like one ("closed form" and a number) but does not parse fails rather than being skipped."""
    lines = []
    for text in (SCENARIOS / name).read_text(encoding="utf-8").splitlines():
        if not text.startswith("#"):
            break
        m = LINE.match(text)
        if m:
            lines.append(Stated(m["policy"], m["kpi"], m["exact"], m["mean"], m["hw"], m["misses"] is not None))
        else:
            assert not re.search(r"closed form\s+-?\d", text), f"{name}: cannot read {text!r}"
    return lines


def value(row: dict[str, float] | Batch, kpi: str) -> float | np.ndarray:
    """A KPI, or a sum of KPIs written ``a+b``, of one replication or of a batch (per replication)."""
    parts = [row[k] for k in kpi.split("+")]
    return sum(parts[1:], start=parts[0])


def window_days(s: Scenario) -> float:
    return s.horizon - s.warmup


# --- closed forms ----------------------------------------------------------------------------


def rq_unit_demand(lam: float, lead: float, r: int, q: int) -> dict[str, float]:
    """(r, Q), Poisson(λ) customers of one unit, constant lead time L, backorders (Zipkin 2000, §6.2).

    The position meets r exactly and is uniform on {r+1, …, r+Q}; net stock at t is IP(t−L) − D_L,
    D_L ~ Poisson(λL). On hand and backorders have the very form of :func:`test_theory.rq_theory`
    (whose lumps give the same net stock at the end of a day), so they are taken from it. A customer
    is served iff net stock ≥ 1 (PASTA): fill = mean over y of P(D_L ≤ y−1). The cycle ending at a
    receipt has net stock r − D_L just before it, its lowest, so no one in it is short iff D_L ≤ r."""
    a = lam * lead
    same = rq_theory(lam, int(lead), r, q)
    return {
        "cycle_service_level": float(stats.poisson.cdf(r, a)),
        "fill_rate": float(stats.poisson.cdf(np.arange(r, r + q), a).mean()),
        "avg_backorders": same["avg_backorders"],
        "avg_on_hand": same["avg_on_hand"],
        "avg_pipeline": a,
        "orders_per_day": lam / q,
    }


def daily_lump_cycle_service(lam: float, lead: float, r: float, whole: bool = True) -> float:
    """(r, Q) with Poisson(λ) demand in one lump a day (``per_day``), reviewed after the lump, Q ≫ λ.

    The order leaves on the day the position falls to r − U (the undershoot U ≥ 0) and lands at the
    start of day L after it, before that day's lump: the cycle it ends is short iff the L − 1 days
    between take more than r − U. With whole positions P(U = u) = P(X > u)/λ for a day's demand X
    (the stationary overshoot of a renewal process with steps X); when Q is not whole the positions
    carry fractions, and the short condition D > r − U rounds U up: P(⌈U⌉ = k) = P(X ≥ k)/λ, k ≥ 1."""
    u = np.arange(int(lam + 40 * math.sqrt(lam)))
    p_u = stats.poisson.sf(u, lam) / lam
    k = u if whole else u + 1
    return float((p_u * stats.poisson.cdf(r - k, lam * (lead - 1))).sum())


def newsvendor(lam: float, level: int) -> dict[str, float]:
    """Stock S at the start of each day, Poisson(λ) demand D within it, the rest spoils, lost sales.

    Per day: sales E[min(D, S)] = Σ_{j<S} P(D > j); lost λ − sales; spoiled S − sales. A cycle (from
    one morning's receipt to the next) is one day, short iff D > S."""
    sales = float(stats.poisson.sf(np.arange(level), lam).sum())
    return {
        "sales": sales,
        "lost": lam - sales,
        "spoiled": level - sales,
        "fill_rate": sales / lam,
        "cycle_service_level": float(stats.poisson.cdf(level, lam)),
    }


def critical_level(lam: float, over: float, under: float) -> int:
    """The smallest S with P(D ≤ S) ≥ c_u / (c_u + c_o): the newsvendor's optimal stock."""
    return int(stats.poisson.ppf(under / (under + over), lam))


# --- each scenario's closed forms, from its own numbers --------------------------------------


def eoq_closed(s: Scenario) -> Closed:
    """Ordering K·D/Q and holding h·Q/2 per year; at Q* their sum is √(2DKh). The goods sold cost c·D
    whatever the lot (the shelf is the same at both ends of whole cycles) and earn p·D, so profit is
    (p − c)·D − ordering − holding: greatest where ordering + holding is least."""
    (d,) = s.demand
    rate = float(d.per_day)  # type: ignore[arg-type]
    (item,) = s.items.values()
    assert item.price is not None
    year = s.costs.days_per_year
    demand, k, h = rate * year, s.costs.order_cost, s.costs.holding_rate * item.unit_cost
    q_star = economic_order_quantity(k, h, demand)
    years = window_days(s) / year
    goods, revenue = item.unit_cost * demand * years, item.price * demand * years
    out: Closed = {}
    for name, p in s.policies.items():
        q = p.default.eoq.order_quantity or q_star  # type: ignore[union-attr]
        holding, ordering = h * q / 2 * years, k * demand / q * years
        out |= {
            (name, "holding_cost"): holding,
            (name, "ordering_cost"): ordering,
            (name, "holding_cost+ordering_cost"): holding + ordering,
            (name, "avg_on_hand"): q / 2,
            (name, "orders_placed"): demand / q * years,
            (name, "fill_rate"): 1.0,
            (name, "cost_of_goods"): goods,
            (name, "revenue"): revenue,
            (name, "profit"): revenue - goods - holding - ordering,
        }
        if q == q_star:
            assert holding + ordering == pytest.approx(math.sqrt(2 * demand * k * h) * years, rel=1e-12)
    return out


def rq_numbers(s: Scenario, policy: str) -> tuple[float, float, int, int]:
    """λ, L, r and Q of a policy set of a one-item (r, Q) or EOQ scenario (r = λL when not given)."""
    (d,) = s.demand
    lam = d.arrivals.rate if d.arrivals is not None else float(d.per_day.poisson)  # type: ignore[union-attr]
    (supplier,) = s.suppliers.values()
    lead = float(supplier.lead_time)  # type: ignore[arg-type]
    spec = s.policies[policy].default
    if hasattr(spec, "r_Q"):
        r, q = spec.r_Q.reorder_point, spec.r_Q.order_quantity
    else:
        r = spec.eoq.reorder_point if spec.eoq.reorder_point is not None else lam * lead  # type: ignore[union-attr]
        q = spec.eoq.order_quantity  # type: ignore[union-attr]
    assert r == int(r) and q == int(q), "the Poisson formulas need whole lamps"
    return lam, lead, int(r), int(q)


def r_q_closed(s: Scenario) -> Closed:
    out: Closed = {}
    for name in s.policies:
        lam, lead, r, q = rq_numbers(s, name)
        exact = rq_unit_demand(lam, lead, r, q)
        out |= {(name, kpi): v for kpi, v in exact.items() if kpi in KPIS}
        out[(name, "orders_placed")] = exact["orders_per_day"] * window_days(s)
    return out


def newsvendor_closed(s: Scenario) -> Closed:
    """Every morning starts with S (yesterday's leftovers expired), so the goods used a day are the S
    croissants bought at c each, sold or thrown away (the waste c·E[(S − D)⁺] is spoilage_cost, inside
    cost_of_goods); each one sold brings p. No holding, order or goodwill cost: total_cost is the cost
    of goods, and profit = p·E[min(D, S)] − c·S a day."""
    (d,) = s.demand
    assert d.arrivals is not None
    lam, days = d.arrivals.rate, window_days(s)
    (item,) = s.items.values()
    assert item.price is not None
    c, p = item.unit_cost, item.price
    out: Closed = {}
    for name, policy in s.policies.items():
        level = int(policy.default.order_up_to.level)  # type: ignore[union-attr, arg-type]
        nv = newsvendor(lam, level)
        goods, revenue = c * level * days, p * nv["sales"] * days
        out |= {
            (name, "cycle_service_level"): nv["cycle_service_level"],
            (name, "fill_rate"): nv["fill_rate"],
            (name, "lost_sales"): nv["lost"] * days,
            (name, "purchase_cost"): goods,
            (name, "cost_of_goods"): goods,
            (name, "spoilage_cost"): c * nv["spoiled"] * days,
            (name, "total_cost"): goods,
            (name, "revenue"): revenue,
            (name, "profit"): revenue - goods,
        }
    return out


def base_stock_numbers(s: Scenario, policy: str) -> tuple[float, float, int]:
    (d,) = s.demand
    assert d.arrivals is not None
    (supplier,) = s.suppliers.values()
    return d.arrivals.rate, float(supplier.lead_time), int(s.policies[policy].default.base_stock.level)  # type: ignore[arg-type, union-attr]


def base_stock_closed(s: Scenario) -> Closed:
    out: Closed = {}
    for name in s.policies:
        lam, lead, level = base_stock_numbers(s, name)
        exact = base_stock_theory(lam, lead, level)
        exact["avg_customer_wait"] = exact["avg_backorders"] / lam  # Little's law
        out |= {(name, kpi): v for kpi, v in exact.items()}
    return out


def lump_numbers(s: Scenario, policy: str) -> tuple[float, float, float, bool]:
    """λ, L, r and whether the positions stay whole, for textbook_shop.yaml's r_Q and eoq sets (eoq's
    Q* = √(2DK/h) is not a whole number of lamps, so neither are its positions)."""
    (d,) = s.demand
    lam = float(d.per_day.poisson)  # type: ignore[union-attr]
    (supplier,) = s.suppliers.values()
    lead = float(supplier.lead_time)  # type: ignore[arg-type]
    spec = s.policies[policy].default
    if hasattr(spec, "r_Q"):
        return lam, lead, spec.r_Q.reorder_point, float(spec.r_Q.order_quantity).is_integer()
    (item,) = s.items.values()
    h = s.costs.holding_rate * item.unit_cost
    q = economic_order_quantity(s.costs.order_cost, h, lam * s.costs.days_per_year)
    return lam, lead, lam * lead, q.is_integer()


def textbook_shop_closed(s: Scenario) -> Closed:
    """Cycle service of the daily lumps, for the two sets its header discusses."""
    out: Closed = {}
    for name in ("r_Q", "eoq"):
        lam, lead, r, whole = lump_numbers(s, name)
        out[(name, "cycle_service_level")] = daily_lump_cycle_service(lam, lead, r, whole)
    return out


CLOSED: dict[str, Callable[[Scenario], Closed]] = {
    "textbook_eoq.yaml": eoq_closed,
    "textbook_r_q.yaml": r_q_closed,
    "textbook_newsvendor.yaml": newsvendor_closed,
    "textbook_base_stock.yaml": base_stock_closed,
    "textbook_shop.yaml": textbook_shop_closed,
}


@functools.cache
def scenario(name: str) -> Scenario:
    return load_scenario(SCENARIOS / name)


@functools.cache
def closed(name: str) -> Closed:
    return CLOSED[name](scenario(name))


# --- the headers -----------------------------------------------------------------------------


def test_every_textbook_scenario_has_closed_forms_here() -> None:
    assert set(TEXTBOOK) == set(CLOSED)


@pytest.mark.parametrize("name", TEXTBOOK)
def test_the_header_states_the_closed_forms(name: str) -> None:
    """Each closed form printed equals the formula's value on the file's numbers to the digits
    printed, and each simulated interval printed holds it, unless the line says ``(misses)``: then it
    misses it at the 95 % printed and holds it at 99.9 % (the seed is not shopped for a clean table)."""
    lines = stated(name)
    assert lines, f"{name}: no 'closed form … simulated …' lines in the header"
    exact = closed(name)
    for line in lines:
        where = f"{name}: {line.policy} {line.kpi}"
        assert line.policy in scenario(name).policies, f"{where}: no such policy set"
        assert all(k in KPIS for k in line.kpi.split("+")), f"{where}: no such KPI"
        formula, decimals = exact[(line.policy, line.kpi)], len(line.exact.partition(".")[2])
        assert f"{formula:.{decimals}f}" == line.exact, f"{where}: the formula gives {formula}"
        gap, hw = abs(float(line.mean) - float(line.exact)), float(line.hw) if line.hw else 0.0
        if not line.misses:
            assert gap <= hw, f"{where}: the stated simulation misses the closed form"
            continue
        n = scenario(name).replications
        assert gap > hw, f"{where}: marked (misses) but the stated interval holds the closed form"
        wider = stats.t.ppf(0.5 + CONF / 2, n - 1) / stats.t.ppf(0.975, n - 1)
        assert gap <= hw * wider, f"{where}: misses the closed form even at {CONF:.1%}"


def test_the_newsvendor_level_is_the_critical_fractile() -> None:
    s = scenario("textbook_newsvendor.yaml")
    (d,) = s.demand
    (item,) = s.items.values()
    assert item.price is not None and item.shelf_life == 1
    # profit counts the revenue a customer sent away does not bring: no goodwill charged on top
    assert s.costs.lost_sale_cost == 0 and item.lost_sale_cost is None
    (supplier,) = s.suppliers.values()
    assert supplier.price is None  # the croissant is paid c = unit_cost
    level = s.policies["critical_ratio"].default.order_up_to.level  # type: ignore[union-attr]
    assert d.arrivals is not None
    # c_o = c − s = c (salvage 0), c_u = p − c: the fractile (p − c)/p
    assert level == critical_level(d.arrivals.rate, item.unit_cost, item.price - item.unit_cost)
    profits = {n: v for (n, kpi), v in closed("textbook_newsvendor.yaml").items() if kpi == "profit"}
    assert max(profits, key=profits.__getitem__) == "critical_ratio"


def test_the_base_stock_level_is_the_smallest_with_a_95_percent_fill_rate() -> None:
    lam, lead, level = base_stock_numbers(scenario("textbook_base_stock.yaml"), "fill_95")
    assert stats.poisson.cdf(level - 1, lam * lead) >= 0.95 > stats.poisson.cdf(level - 2, lam * lead)


# --- the simulations -------------------------------------------------------------------------


def pinned(label: str, samples: np.ndarray, exact: float, *wrong: float) -> None:
    """``exact`` inside the CI of the mean of ``samples``; every ``wrong`` value outside it."""
    mean, hw = mean_ci(samples)
    print(f"{label}: exact {exact:.6g}, simulated {mean:.6g} ± {hw:.3g}, wrong {[f'{w:.6g}' for w in wrong]}")
    assert abs(mean - exact) <= hw, f"{label}: closed form {exact:.6g} outside {mean:.6g} ± {hw:.3g}"
    for w in wrong:
        assert abs(mean - w) > hw, f"{label}: cannot tell the closed form from {w:.6g} ({mean:.6g} ± {hw:.3g})"


def played(name: str, replications: int) -> dict[str, Batch]:
    """Replications 0 … n−1 of every policy set of a scenario."""
    s = scenario(name)
    return {policy: run_batch(s, policy, replications) for policy in s.policies}


def check_stated(name: str, runs: dict[str, Batch]) -> None:
    """Every closed form the header states, inside the CI of the replications played."""
    exact = closed(name)
    for line in stated(name):
        pinned(f"{name} {line.policy} {line.kpi}", value(runs[line.policy], line.kpi), exact[(line.policy, line.kpi)])  # type: ignore[arg-type]


def test_eoq_plays_exactly() -> None:
    """Nothing is random: one replication equals the closed forms to rounding, with no shortage,
    and Q* is the cheapest and the most profitable of the three lots (the lumpy saw-tooth's average
    is Q/2, not (Q + D)/2)."""
    s = scenario("textbook_eoq.yaml")
    exact = closed("textbook_eoq.yaml")
    rows = {policy: run_replication(s, policy, 0) for policy in s.policies}
    for (policy, kpi), v in exact.items():
        assert value(rows[policy], kpi) == pytest.approx(v, rel=1e-9), f"{policy} {kpi}"
    (d,) = s.demand
    q = exact[("eoq", "avg_on_hand")] * 2
    assert rows["eoq"]["avg_on_hand"] != pytest.approx((q + float(d.per_day)) / 2, rel=1e-3)  # type: ignore[arg-type]
    assert all(row["avg_backorders"] == 0.0 for row in rows.values())
    cost = {p: value(row, "holding_cost+ordering_cost") for p, row in rows.items()}
    assert min(cost, key=cost.__getitem__) == "eoq"
    profit = {p: row["profit"] for p, row in rows.items()}
    assert max(profit, key=profit.__getitem__) == "eoq"


@pytest.mark.slow
def test_r_q_poisson_customers() -> None:
    """Both sets in the CI; the cycle service tells one-at-a-time customers (L days of exposure)
    from daily lumps (L − 1 days plus the undershoot) and from L − 1 days alone; the fill rate from
    the lumps'; on hand from L − 1 days (20 lamps more)."""
    name = "textbook_r_q.yaml"
    runs = played(name, 20)
    check_stated(name, runs)
    s = scenario(name)
    for policy in s.policies:
        lam, lead, r, q = rq_numbers(s, policy)
        exact = rq_unit_demand(lam, lead, r, q)
        lumps = rq_theory(lam, int(lead), r, q)
        pinned(f"{policy} cycle service", runs[policy]["cycle_service_level"], exact["cycle_service_level"],
               daily_lump_cycle_service(lam, lead, r), float(stats.poisson.cdf(r, lam * (lead - 1))))  # fmt: skip
        pinned(f"{policy} fill rate", runs[policy]["fill_rate"], exact["fill_rate"], lumps["fill_rate"])
        pinned(f"{policy} on hand", runs[policy]["avg_on_hand"], exact["avg_on_hand"],
               rq_unit_demand(lam, lead - 1, r, q)["avg_on_hand"])  # fmt: skip


@pytest.mark.slow
def test_newsvendor_croissants() -> None:
    """Every stated KPI in the CI; a stock-out on the S-th customer (P(D ≤ S − 1), fill at S − 1) is
    outside it; and S* earns more than one croissant fewer or more in the paired profit differences."""
    name = "textbook_newsvendor.yaml"
    runs = played(name, 30)
    check_stated(name, runs)
    (d,) = scenario(name).demand
    assert d.arrivals is not None
    lam = d.arrivals.rate
    level = int(scenario(name).policies["critical_ratio"].default.order_up_to.level)  # type: ignore[union-attr, arg-type]
    exact, fewer = newsvendor(lam, level), newsvendor(lam, level - 1)
    best = runs["critical_ratio"]
    pinned("cycle service", best["cycle_service_level"], exact["cycle_service_level"], fewer["cycle_service_level"])
    pinned("fill rate", best["fill_rate"], exact["fill_rate"], fewer["fill_rate"])
    # profit is p·sales − c·S a day: not a lost sale charged again on top of its missing revenue, nor
    # the waste counted a second time beside the tray that held it
    (item,) = scenario(name).items.values()
    c, p, days = item.unit_cost, item.price, best.days
    assert p is not None
    pinned("profit", best["profit"], (p * exact["sales"] - c * level) * days,
           (p * exact["sales"] - c * level - p * exact["lost"]) * days,
           (p * exact["sales"] - c * level - c * exact["spoiled"]) * days)  # fmt: skip
    for other in ("one_fewer", "one_more"):
        mean, hw = mean_ci(best["profit"] - runs[other]["profit"])
        assert mean - hw > 0, f"S* does not earn more than {other}: {mean:.4g} ± {hw:.3g}"


@pytest.mark.slow
def test_base_stock_poisson_pipeline() -> None:
    """Every stated KPI in the CI; fill rate P(N ≤ S) (the S-th unit counted as served) and L − 1
    days of demand on order are outside it."""
    name = "textbook_base_stock.yaml"
    runs = played(name, 40)
    check_stated(name, runs)
    s = scenario(name)
    for policy in s.policies:
        lam, lead, level = base_stock_numbers(s, policy)
        exact = base_stock_theory(lam, lead, level)
        pinned(f"{policy} fill rate", runs[policy]["fill_rate"], exact["fill_rate"],
               float(stats.poisson.cdf(level, lam * lead)), float(stats.poisson.cdf(level - 1, lam * (lead - 1))))  # fmt: skip
        pinned(f"{policy} on hand", runs[policy]["avg_on_hand"], exact["avg_on_hand"],
               base_stock_theory(lam, lead - 1, level)["avg_on_hand"])  # fmt: skip
        # the position is S at every instant: on hand − backorders = S − pipeline, in every replication
        net = runs[policy]["avg_on_hand"] - runs[policy]["avg_backorders"]
        np.testing.assert_allclose(net, level - runs[policy]["avg_pipeline"], atol=1e-9)


@pytest.mark.slow
def test_textbook_shop_daily_lumps_are_not_the_poisson_formula() -> None:
    """textbook_shop.yaml's per-day lumps: its cycle service is the lumps' closed form, and the
    textbook's P(Poisson(λL) ≤ r) — right for one-at-a-time customers — lies outside the CI."""
    name = "textbook_shop.yaml"
    s = scenario(name)
    runs = {policy: run_batch(s, policy, 200) for policy in ("r_Q", "eoq")}
    check_stated(name, runs)
    for policy in runs:
        lam, lead, r, _ = lump_numbers(s, policy)
        pinned(f"textbook shop {policy}", runs[policy]["cycle_service_level"],
               closed(name)[(policy, "cycle_service_level")], float(stats.poisson.cdf(r, lam * lead)))  # fmt: skip


@pytest.mark.slow
def test_textbook_shop_policies_differ_only_in_holding_ordering_and_backorders() -> None:
    """textbook_shop.yaml's money, as its header states: every policy sells the same lamps, so the
    goods used are the same to a few lamps in every replication (a lot of 540 ordered just inside the
    year no longer counts); EOQ earns most, and s_S earns less by the stock its weekly review holds,
    several times what it saves in orders."""
    s = scenario("textbook_shop.yaml")
    runs = {policy: run_batch(s, policy, 20) for policy in ("eoq", "r_Q", "s_S")}
    eoq = runs["eoq"]
    for policy in ("r_Q", "s_S"):
        goods = runs[policy]["cost_of_goods"] - eoq["cost_of_goods"]
        assert np.abs(goods).max() < 10 * s.items["lamp"].unit_cost, policy
        mean, hw = mean_ci(runs[policy]["profit"] - eoq["profit"])
        assert mean + hw < 0, f"{policy} earns no less than eoq: {mean:.4g} ± {hw:.3g}"
    s_s = runs["s_S"]
    held, saved = (
        np.mean(s_s["holding_cost"] - eoq["holding_cost"]),
        np.mean(eoq["ordering_cost"] - s_s["ordering_cost"]),
    )
    assert saved > 0 and held > 5 * saved
    mean, hw = mean_ci(s_s["profit"] - eoq["profit"])
    assert mean - hw > -400 and mean + hw < -200
