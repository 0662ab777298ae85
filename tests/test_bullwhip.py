"""The bullwhip effect against theory, and ``demand_signal``: each stage of a chain forecasting from the
orders it receives (``own``) or from end-customer demand (``customer``, shared point-of-sale data).

The policy is order-up-to with daily reviews and S_t = c·μ̂_t, μ̂_t the mean of the last p days of the
signal and no safety term (no service level: z = 0), so the order is a linear filter of demand:
q_t = S_t − S_{t−1} + (demand seen since the last review). Orders are never negative in simjit (Chen et
al. allow returns); with 100 a day and sd 10 an order would go negative about once in 6,000 days at the
stage most at risk (the two-stage chain's second stage: orders with sd 28 around 100, P(z < −3.6)), so
the truncation is negligible.

Timing (``tests/test_theory.py``): at one instant demand comes before the reviews, the reviews run in
the order the scenario lists the stock points (the retailer first here), and a forecast reads whole days
before today. With ``arrivals`` (a Poisson process), the review at time t sees the days up to t − 1, in the
inventory position and in the forecast alike; with a = c/p and B the backshift,

    retailer        q₁ = [(1 + a₁)B − a₁B^{p+1}] D       Var q₁ / Var D = 1 + 2a₁ + 2a₁²

which is Chen, Drezner, Ryan & Simchi-Levi (2000)'s expression 1 + 2L/p + 2L²/p², exact for z = 0,
with L = c, the days the level covers: the transit plus the review period. The wholesaler reviews after the retailer at
the same instant: today's order from the retailer is in its position but not yet in its forecast, so

    centralised     q₂ = q₁ + a₂(B − B^{p+1}) D = [(1 + A)B − AB^{p+1}] D, A = a₁ + a₂   (Chen's, exact)
    decentralised   q₂ = (1 + a₂B − a₂B^{p+1}) q₁

The decentralised chain is not Chen's lower bound Π(1 + 2aᵢ + 2aᵢ²): that assumes each stage's forecast
already holds the order it has just received; here it lags it by a day, which damps the second stage.
With ``per_day`` demand through the day (the default) it is the same: the review at 00:00 sees every lot
of the days before. With ``per_day`` demand lumped at 00:00 (``timing: start_of_day``) the day's lump
comes before the review but its day is not over, so even the retailer's forecast lags:
q₁ = (1 + a₁B − a₁B^{p+1}) D and Var q₁ / Var D = 1 + 2a₁².

Monte Carlo checks form a Student-t CI of the mean over replications at ``CONF``; the exact value lies
inside, the CI is narrow enough to catch a bias of the stated tolerance, and each wrong convention lies
outside. The bullwhip KPI of a replication is a ratio of sample variances over 950 days; its bias is of
order 1/950 and cancels to first order for a linear filter of i.i.d. demand.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats

from simjit import SimulationError, load_scenario
from simjit.experiment import compare, run_experiment
from simjit.model import EventKind, SimEvent, fast, simulate

ROOT = Path(__file__).resolve().parents[1]
CONF = 0.999
MU = 100.0
"""Customers a day (one case each): Poisson(100) daily demand, sd 10."""
P = 5
"""Days in the moving average."""
TRANSIT, BREWERY = 2, 3
"""The retailer's lane from the wholesaler, and the wholesaler's lead time from the brewery (days)."""
COVER = (TRANSIT + 1, BREWERY + 1)
"""Each stage's cover_days: its lead time plus the review period of one day."""
STAGES = ("retailer", "wholesaler", "distributor", "factory")


# --- closed forms ----------------------------------------------------------------------------


def chen(cover: float, p: int) -> float:
    """Var(q)/Var(D) = 1 + 2L/p + 2L²/p² for order-up-to over L periods of a p-period moving average
    (Chen et al. 2000, Management Science 46(3), Theorem 1 with z = 0; centralised: L = Σ Lᵢ)."""
    return 1 + 2 * cover / p + 2 * cover**2 / p**2


def polynomial(terms: dict[int, float]) -> np.ndarray:
    """Coefficients of Σ c·Bᵏ (index k: the lag in days)."""
    out = np.zeros(max(terms) + 1)
    for lag, c in terms.items():
        out[lag] += c
    return out


def variance_ratio(*filters: np.ndarray) -> float:
    """Var(q)/Var(D) for q = h₁(B)·h₂(B)·… D with D i.i.d.: the sum of the squared coefficients."""
    h = np.array([1.0])
    for f in filters:
        h = np.convolve(h, f)
    return float(np.sum(h**2))


def retailer_filter(a: float, p: int) -> np.ndarray:
    """q₁ = (1 + a)D_{t−1} − aD_{t−1−p}: demand of day t − 1 in the position and in the forecast."""
    return polynomial({1: 1 + a, p + 1: -a})


def lagged_filter(a: float, p: int) -> np.ndarray:
    """q = d_t + a(d_{t−1} − d_{t−1−p}): today's demand in the position, not yet in the forecast."""
    return polynomial({0: 1.0, 1: a, p + 1: -a})


# --- scenarios and statistics ----------------------------------------------------------------


def chain(
    stages: int, demand: dict[str, Any], signals: dict[str, str], *, cover: tuple[int, ...] = COVER,
    horizon: float = 1000, warmup: float = 50, p: int = P,
) -> Any:  # fmt: skip
    """A chain listed retailer first, each stage fed over a lane of ``TRANSIT`` days by the next, the last
    by a brewery (``BREWERY`` days); a policy set per entry of ``signals`` (name → demand_signal)."""
    names = STAGES[:stages]
    sites = {
        name: {"stock": {"beer": {"source": names[i + 1], "transit": TRANSIT}}}
        if i + 1 < stages
        else {"stock": {"beer": {"source": "brewery"}}}
        for i, name in enumerate(names)
    }

    def out(c: int, signal: str) -> dict[str, Any]:
        return {"order_up_to": {"review_period": 1, "cover_days": c, "forecast": {"moving_average": p},
                                "demand_signal": signal}}  # fmt: skip

    policies = {
        set_name: {"default": out(cover[0], signal),
                   "overrides": {f"{name}/beer": out(cover[i], signal) for i, name in enumerate(names)}}
        for set_name, signal in signals.items()
    }  # fmt: skip
    return load_scenario({
        "name": "bullwhip check", "horizon": horizon, "warmup": warmup, "seed": 1997, "replications": 1,
        "items": {"beer": {"unit_cost": 1.0}},
        "suppliers": {"brewery": {"supplies": ["beer"], "lead_time": BREWERY}},
        "sites": sites, "demand": [{"at": "retailer/beer", **demand}], "policies": policies,
    })  # fmt: skip


def kpis(s: Any, policy: str, replications: int) -> dict[str, np.ndarray]:
    rows = [simulate(s, policy, r).summary for r in range(replications)]
    return {k: np.array([row[k] for row in rows]) for k in rows[0]}


def mean_ci(x: np.ndarray) -> tuple[float, float]:
    """Mean and Student-t half-width of its ``CONF`` interval."""
    half = float(stats.t.ppf(0.5 + CONF / 2, len(x) - 1) * np.std(x, ddof=1) / math.sqrt(len(x)))
    return float(np.mean(x)), half


def check(label: str, samples: np.ndarray, exact: float, tol: float, wrong: dict[str, float]) -> None:
    """``exact`` inside the CI, the CI narrower than ``tol`` × exact, and every wrong convention outside."""
    mean, half = mean_ci(samples)
    print(f"{label}: exact {exact:.4f}, simulated {mean:.4f} ± {half:.4f}; wrong: {wrong}")
    assert half < tol * exact, f"{label}: CI ± {half:.3g} too wide to catch a {tol:.1%} bias"
    assert abs(mean - exact) <= half, f"{label}: theory {exact:.4f} outside {mean:.4f} ± {half:.4f}"
    for name, value in wrong.items():
        assert abs(mean - value) > half, f"{label}: the {name} value {value:.4f} is inside {mean:.4f} ± {half:.4f}"


# --- (b) closed forms --------------------------------------------------------------------------


@pytest.mark.slow
def test_two_stage_chain_against_chen_et_al() -> None:
    """Retailer: Chen's single-stage expression with L = c (lead time + review), not the lead time alone
    and not the lagged forecast's 1 + 2a². Centralised wholesaler: Chen's expression with L = c₁ + c₂.
    Decentralised wholesaler: the engine's filter, below Chen's product bound. Tolerances 2.5 % (5 %
    for the decentralised chain, whose ratio varies twice as much between replications)."""
    s = chain(2, {"arrivals": {"rate": MU}}, {"own": "own", "shared": "customer"})
    own, shared = kpis(s, "own", 30), kpis(s, "shared", 30)
    a1, a2 = COVER[0] / P, COVER[1] / P

    exact = chen(COVER[0], P)
    assert variance_ratio(retailer_filter(a1, P)) == pytest.approx(exact, rel=1e-12)
    check("retailer", own["retailer/beer.bullwhip"], exact, 0.025,
          {"lead time alone (L = 2)": chen(TRANSIT, P), "lagged forecast": variance_ratio(lagged_filter(a1, P))})  # fmt: skip
    # the retailer is the chain's customer-facing point: its customer signal is its own demand, and its
    # orders are the same (to rounding: its position sums other parts when the wholesaler ships otherwise)
    np.testing.assert_allclose(shared["retailer/beer.bullwhip"], own["retailer/beer.bullwhip"], rtol=1e-9)

    centralised = chen(COVER[0] + COVER[1], P)
    assert variance_ratio(retailer_filter(a1 + a2, P)) == pytest.approx(centralised, rel=1e-12)
    product = chen(COVER[0], P) * chen(COVER[1], P)
    check("centralised wholesaler", shared["bullwhip"], centralised, 0.025,
          {"lead times alone (L = 5)": chen(TRANSIT + BREWERY, P), "decentralised bound": product})  # fmt: skip

    decentralised = variance_ratio(retailer_filter(a1, P), lagged_filter(a2, P))
    check("decentralised wholesaler", own["bullwhip"], decentralised, 0.05, {"Chen's product bound": product})

    # the network's ratio (the brewery's orders against customer demand) telescopes over the stages:
    # each stage's demand, day by day, is the orders of the stage below it
    for k in (own, shared):
        chained = k["retailer/beer.bullwhip"] * k["wholesaler/beer.bullwhip"]
        np.testing.assert_allclose(chained, k["bullwhip"], rtol=1e-9)


@pytest.mark.slow
def test_per_day_lumps_lag_the_forecast_by_a_day() -> None:
    """With demand lumped at the start of each day (the period model, ``timing: start_of_day``), today's
    lump is in the position before the review but not in the forecast (its day is not over): 1 + 2a²,
    not Chen's 1 + 2a + 2a². Tolerance 2 %."""
    s = chain(1, {"per_day": {"poisson": MU}, "timing": "start_of_day"}, {"own": "own"}, horizon=2000)
    a = COVER[0] / P
    check("per-day retailer", kpis(s, "own", 40)["bullwhip"], 1 + 2 * a**2, 0.02, {"Chen's": chen(COVER[0], P)})


@pytest.mark.slow
def test_per_day_through_the_day_is_chens_expression() -> None:
    """Spread through the day (the default), a day's demand has all come by the next 00:00 review, in the
    position and in the forecast alike, as with ``arrivals``: Chen's 1 + 2a + 2a², not the lumps' 1 + 2a².
    Tolerance 2 %."""
    s = chain(1, {"per_day": {"poisson": MU}}, {"own": "own"}, horizon=2000)
    a = COVER[0] / P
    check("per-day retailer through the day", kpis(s, "own", 40)["bullwhip"], chen(COVER[0], P), 0.02,
          {"lagged forecast": 1 + 2 * a**2})  # fmt: skip


# --- (a) the beer game -------------------------------------------------------------------------


@pytest.mark.slow
def test_beer_game_bullwhip_grows_upstream_and_shared_sales_data_tame_it() -> None:
    """scenarios/beer_game.yaml (with its 95 % safety term): each stage amplifies the variance of the
    orders it receives, so the amplification against customer demand grows at every step up; sharing
    the retailer's sales lowers the factory's own ratio and the whole chain's, paired over replications;
    and with a safety term on an estimated sd Chen's centralised expression is a lower bound."""
    s = load_scenario(ROOT / "scenarios" / "beer_game.yaml")
    results = run_experiment(s, ["decentralised", "shared_pos"], replications=20)
    local = [f"{stage}/beer.bullwhip" for stage in STAGES]
    by_policy = {p: g.sort_values("replication") for p, g in results.groupby("policy")}
    for policy, rows in by_policy.items():
        np.testing.assert_allclose(rows[local].prod(axis=1), rows["bullwhip"], rtol=1e-9, err_msg=policy)

    own = by_policy["decentralised"]
    for column in local:  # every stage's orders vary more than the demand it sees (about fourfold here)
        mean, half = mean_ci(own[column].to_numpy())
        assert mean - half > 2, f"{column}: {mean:.3f} ± {half:.3f}"
    amplification = own[local].cumprod(axis=1).mean()
    assert amplification.is_monotonic_increasing and amplification.iloc[-1] > 10 * amplification.iloc[0]

    paired = compare(results, ["factory/beer.bullwhip", "bullwhip", "holding_cost"], "decentralised")
    paired = paired.set_index("kpi")
    assert (paired["ci_high"] < 0).all(), paired

    shared = by_policy["shared_pos"][local].cumprod(axis=1)
    cover, p = 3, 4
    for k, column in enumerate(local, start=1):
        mean, half = mean_ci(shared[column].to_numpy())
        assert mean - half > chen(k * cover, p), f"{column}: {mean:.3f} ± {half:.3f} below Chen's bound"


# --- the option itself ---------------------------------------------------------------------------

BOM = {
    "name": "shared sales data through a bill of materials",
    "horizon": 120, "warmup": 10, "seed": 5,
    "items": {"kit": {"unit_cost": 20.0}, "part": {"unit_cost": 4.0}},
    "suppliers": {"vendor": {"supplies": ["part"], "lead_time": 2}},
    "sites": {
        "plant": {"stock": {"part": {"source": "vendor"}, "kit": {"source": "assembly"}},
                  "lines": {"assembly": {"makes": "kit", "bom": {"part": 2}, "rate": 100}}},
        "store": {"stock": {"kit": {"source": "plant", "transit": 1}}},
    },
    "demand": [
        {"at": "store/kit", "arrivals": {"rate": 10}},
        {"at": "plant/part", "per_day": {"poisson": 3}},  # spare parts sold at the plant
    ],
    "policies": {
        "shared": {
            "default": {"order_up_to": {"review_period": 1, "cover_days": 3, "forecast": {"moving_average": 4},
                                        "demand_signal": "customer"}},
            "overrides": {"plant/part": {"safety_stock": {"service_level": 0.9, "forecast": {"moving_average": 7},
                                                          "demand_signal": "customer"}}},
        },
    },
}  # fmt: skip


def customer_demand(events: list[SimEvent], point: str, days: int) -> np.ndarray:
    """Units customers asked for at ``point`` on each day, from the event log."""
    out = np.zeros(days)
    for e in events:
        if e.where == point and e.kind == EventKind.DEMAND and e.detail == "customer":
            out[int(e.time)] += e.quantity
    return out


def test_the_customer_signal_is_end_customer_demand_in_units_of_the_item() -> None:
    """A part sold as a spare and used two to a kit reads spares + 2 × kits sold; the kit at the plant
    reads the kits sold at the store; the store, its own sales."""
    events: list[SimEvent] = []
    played = simulate(load_scenario(BOM), "shared", 0, on_event=events.append, keep_network=True)
    assert played.network is not None
    points = played.network.points
    days = int(BOM["horizon"])
    kits, spares = customer_demand(events, "store/kit", days), customer_demand(events, "plant/part", days)
    assert kits.sum() > 0 and spares.sum() > 0
    np.testing.assert_allclose(points[("plant", "part")].signal_by_day[:days], spares + 2 * kits, rtol=1e-12)
    np.testing.assert_allclose(points[("plant", "kit")].signal_by_day[:days], kits, rtol=1e-12)
    assert points[("store", "kit")].signal_by_day[:days] == list(kits)
    assert points[("store", "kit")].signal_by_day is not points[("store", "kit")].demand_by_day  # read, not shared


def test_the_fast_path_reads_the_same_signal(monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_scenario(BOM)
    played = [simulate(s, "shared", r).summary for r in (0, 1)]
    monkeypatch.setattr(fast, "ENABLED", False)
    again = [simulate(s, "shared", r).summary for r in (0, 1)]
    assert [repr(x) for x in again] == [repr(x) for x in played]  # repr: exact floats, NaN equal to NaN


PLUGIN = """
from simjit.policies import Order


class Watcher:
    \"\"\"Keeps the position at 300; wants 30 days of the demand its demand_signal names.\"\"\"

    review_period = 1.0
    history = 30

    def __init__(self, signal):
        self.demand_signal = signal

    def decide(self, view):
        gap = 300 - view.inventory_position
        return Order(gap) if gap > 1e-9 else None
"""


def test_a_users_policy_may_ask_for_the_customer_signal(tmp_path: Path) -> None:
    (tmp_path / "watcher.py").write_text(PLUGIN, encoding="utf-8")
    data = chain(2, {"per_day": {"poisson": MU}}, {"own": "own"}, horizon=60, warmup=0).model_dump(by_alias=True)
    retailer_policy = data["policies"].pop("own")["default"]
    for signal in ("customer", "own"):
        watcher = {"python": {"class": "watcher:Watcher", "params": {"signal": signal}}}
        data["policies"][signal] = {"default": retailer_policy, "overrides": {"wholesaler/beer": watcher}}
    s = load_scenario(data, base_dir=tmp_path)
    for signal in ("customer", "own"):
        played = simulate(s, signal, 0, allow_plugins=True, keep_network=True)
        assert played.network is not None
        retailer, wholesaler = (played.network.points[(site, "beer")] for site in ("retailer", "wholesaler"))
        seen = wholesaler.view().recent_demand  # the last 30 days, at the horizon
        read = retailer.demand_by_day if signal == "customer" else retailer.orders_by_day  # customers', or orders
        assert seen == tuple(read[30:60]) and retailer.demand_by_day[30:60] != retailer.orders_by_day[30:60]

    data["demand"][0]["at"] = "wholesaler/beer"  # nobody buys at the retailer or downstream of it
    data["policies"] = {"lonely": {"default": retailer_policy, "overrides": {"retailer/beer": watcher}}}
    watcher["python"]["params"]["signal"] = "customer"
    with pytest.raises(SimulationError, match=r"policy of retailer/beer forecasts from end-customer demand"):
        simulate(load_scenario(data, base_dir=tmp_path), "lonely", 0, allow_plugins=True)


def test_demand_signal_is_in_the_schema() -> None:
    from simjit import scenario_schema

    defs = scenario_schema()["$defs"]
    for params in ("OrderUpToParams", "SafetyStockParams"):
        field = defs[params]["properties"]["demand_signal"]
        assert field["default"] == "own" and "point-of-sale" in field["description"]
    assert defs["DemandSignal"]["enum"] == ["own", "customer"]
