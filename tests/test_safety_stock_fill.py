"""safety_stock with a fill-rate target β: k solves G(k)·σ_LTD = (1 − β)·Q, and the simulated fill rate
meets β (Silver, Pyke & Thomas 2017, §7; Axsäter 2015, ch. 5).

The Monte Carlo case is the setting of the formula: customers arrive one at a time as a Poisson process
in continuous time (λ = 100 a day), the lead time is a constant L = 4 days, shortages are backordered.
The lead-time demand is Poisson(400), close to normal (mean 400, σ_LTD = 20, skewness 0.05); with
unit demands the position meets the reorder point exactly, so the textbook's exposure of L days
holds (daily lumps would add an undershoot; see ``scenarios/textbook_r_q.yaml``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from simjit import ScenarioError, load_scenario
from simjit.model import run_replication
from simjit.policies.formulas import FILL_RATE_FACTOR_MAX, fill_rate_factor, normal_loss

LAMBDA, LEAD = 100.0, 4
SIGMA_LTD = math.sqrt(LAMBDA * LEAD)  # Poisson: σ_D² = λ, so σ_LTD² = L·λ = 400
BETA, LOT = 0.95, 99
"""Q = 99 puts r = 400 + 20·k = 407.03 just above a whole number: a unit demand orders when the
position reaches ⌊r⌋, so r = 407.9 would run as 407, a unit less than the formula meant."""


def scenario(target: str, replications: int) -> str:
    """The shop, its safety_stock sized for ``target`` (``fill_rate: …`` or ``service_level: …``)."""
    return f"""
name: fill-rate target
horizon: 1100
warmup: 100
replications: {replications}
seed: 11
items:
  part: {{unit_cost: 10.0}}
costs: {{holding_rate: 0.25, order_cost: 50}}
suppliers:
  maker: {{supplies: [part], lead_time: {LEAD}}}
sites:
  shop:
    stock:
      part: {{source: maker}}
demand:
  - at: shop/part
    arrivals: {{rate: {LAMBDA:g}, size: 1}}
    on_stockout: backorder
policies:
  buffer: {{default: {{safety_stock: {{{target}, order_quantity: {LOT}}}}}}}
"""


def fill_rates(target: str, replications: int) -> np.ndarray:
    """The fill rate of each replication, played through the public API."""
    s = load_scenario(scenario(target, replications))
    return np.array([run_replication(s, "buffer", r)["fill_rate"] for r in range(replications)])


def mean_ci(x: np.ndarray) -> tuple[float, float]:
    """Mean and the half-width of its 95% Student-t interval."""
    return float(x.mean()), float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x)))


def test_normal_loss_matches_the_tables() -> None:
    """G(0) = φ(0) = 0.3989, G(1) = 0.0833, G(2) = 0.0085 (Silver, Pyke & Thomas, Appendix B);
    G(−k) = G(k) + k, as E[(Z + k)⁺] − E[(Z − k)⁺] = k."""
    assert normal_loss(0.0) == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-12)
    assert normal_loss(1.0) == pytest.approx(0.0833, abs=5e-5)
    assert normal_loss(2.0) == pytest.approx(0.0085, abs=5e-5)
    assert normal_loss(-1.5) == pytest.approx(normal_loss(1.5) + 1.5, rel=1e-12)


def test_fill_rate_factor_solves_the_loss_equation() -> None:
    """β = 0.98, Q = 500, σ_LTD = 60: G(k) = 0.02·500/60 = 1/6, between G(0.60) = 0.1687 and
    G(0.61) = 0.1659 in the tables, so k ≈ 0.607; and the root satisfies the equation."""
    k = fill_rate_factor(0.98, 500, 60)
    assert 0.60 < k < 0.61
    assert normal_loss(k) * 60 == pytest.approx(0.02 * 500, rel=1e-9)


def test_fill_rate_factor_at_its_edges() -> None:
    """A lot of 1000 against σ_LTD = 1 at β = 0.5: half a lot may go short each cycle, so r sits 500
    below the mean (k = −500, the safety stock −(1 − β)·Q, its floor); no spread: k = 0; a target no
    normal tail reaches (the largest β below 1, a lot of 1 against σ = 100): k stops at FILL_RATE_FACTOR_MAX."""
    assert fill_rate_factor(0.5, 1000, 1) == pytest.approx(-500, abs=1e-6)
    assert fill_rate_factor(0.9, 100, 0.0) == 0.0
    assert fill_rate_factor(math.nextafter(1.0, 0.0), 1, 100) == FILL_RATE_FACTOR_MAX


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("service_level: 0.95, fill_rate: 0.98", "expected exactly one of 'service_level' or 'fill_rate'"),
        ("order_quantity: 10", "expected exactly one of 'service_level' or 'fill_rate'"),
        ("fill_rate: 1.0", "fill_rate"),
    ],
)
def test_safety_stock_takes_exactly_one_target(fields: str, message: str) -> None:
    """Both targets, neither, or a fill rate of 1 (no finite k reaches it) are refused, located."""
    text = scenario("service_level: 0.9", 1).replace("service_level: 0.9, order_quantity: 99", fields)
    with pytest.raises(ScenarioError, match=message):
        load_scenario(text)


def test_fill_rate_target_is_met() -> None:
    """β = 0.95: the mean fill rate of 12 replications of 1,000 days has 0.95 inside its 95% CI, and the
    CI is narrow enough (±0.003, 6% of the 5% shortfall) to tell it from the cycle-service target of the
    same number, α = 0.95 (k = 1.645: fill 1 − 20·G(1.645)/99 = 0.9958), which three replications show."""
    k = fill_rate_factor(BETA, LOT, SIGMA_LTD)
    assert 400 + SIGMA_LTD * k == pytest.approx(407.03, abs=0.005)  # the r the docstring of LOT works with
    beta_mean, beta_hw = mean_ci(fill_rates(f"fill_rate: {BETA}", 12))
    print(f"β = {BETA}: fill rate {beta_mean:.5f} ± {beta_hw:.5f}")
    assert beta_hw < 0.003
    assert abs(beta_mean - BETA) <= beta_hw
    alpha_fill = 1 - SIGMA_LTD * normal_loss(stats.norm.ppf(BETA)) / LOT
    alpha_mean, alpha_hw = mean_ci(fill_rates(f"service_level: {BETA}", 3))
    print(f"α = {BETA}: fill rate {alpha_mean:.5f} ± {alpha_hw:.5f} (formula {alpha_fill:.5f})")
    assert alpha_mean - alpha_hw > beta_mean + beta_hw
    assert alpha_mean == pytest.approx(alpha_fill, abs=0.002)
