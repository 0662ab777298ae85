"""Random streams and samplers: reproducible, independent, and drawing the distribution they claim.

Sampled statistics are checked against closed forms (scipy) with tolerances derived from the
standard error, on fixed seeds, so every check is deterministic and can fail.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter
from scipy import optimize, special, stats

from simjit.random import BLOCK, Sampler, sampler, stream, stream_key
from simjit.scenario import DISTRIBUTION_KINDS, Distribution, distribution_mean, distribution_sd

N = 20_000
"""Draws per statistical check."""
Z = 4.5
"""Standard errors allowed between a sample statistic and its theoretical value."""
P_MIN = 1e-4
"""Smallest goodness-of-fit p-value accepted (fixed seeds: the checks are deterministic)."""
SEED = 20240611

_SPEC: TypeAdapter[Any] = TypeAdapter(Distribution)


def spec(value: Any, base_dir: Path | None = None) -> Any:
    """A validated distribution spec, as the scenario loader would build it."""
    context = {"base_dir": base_dir} if base_dir is not None else None
    return _SPEC.validate_python(value, context=context)


def draws(value: Any, n: int = N, name: str = "test", replication: int = 0) -> np.ndarray:
    return sampler(spec(value), stream(SEED, replication, name)).sample(n)


# --- streams ---------------------------------------------------------------------------------


def test_same_seed_replication_name_give_identical_numbers() -> None:
    a = stream(7, 3, "dc/brake").random(1000)
    b = stream(7, 3, "dc/brake").random(1000)
    np.testing.assert_array_equal(a, b)


def test_stream_key_is_pinned() -> None:
    # Computed once from the BLAKE2b-128 digest; a change of hashing changes every study's numbers.
    assert stream_key("dc/brake") == [3041917095, 1795785534, 3687467405, 840695592]


def test_stream_output_is_pinned() -> None:
    # Pins how (seed, replication, key) feed SeedSequence and PCG64 (raw bits: stable across numpy).
    raw = stream(42, 0, "dc/brake").bit_generator.random_raw(3)
    assert raw.tolist() == [9213673046125107057, 13006622394923730209, 5044120538428879082]


def test_stream_key_is_four_32_bit_words_and_name_sensitive() -> None:
    key = stream_key("dc/brake")
    assert len(key) == 4
    assert all(0 <= w < 2**32 for w in key)
    assert stream_key("dc/brakes") != key
    assert stream_key("DC/brake") != key


PAIRS = {
    "other name": ((1, 0, "dc/brake"), (1, 0, "dc/rotor")),
    "similar name": ((1, 0, "dc/brake"), (1, 0, "dc/brake ")),
    "other replication": ((1, 0, "dc/brake"), (1, 1, "dc/brake")),
    "other seed": ((1, 0, "dc/brake"), (2, 0, "dc/brake")),
    "seed and replication swapped": ((0, 1, "dc/brake"), (1, 0, "dc/brake")),
    "seed past 32 bits": ((2**32, 0, "dc/brake"), (0, 1, "dc/brake")),
}


@pytest.mark.parametrize(("a", "b"), PAIRS.values(), ids=PAIRS.keys())
def test_different_streams_are_uncorrelated(a: tuple[int, int, str], b: tuple[int, int, str]) -> None:
    x, y = stream(*a).random(N), stream(*b).random(N)
    r = np.corrcoef(x, y)[0, 1]
    assert abs(r) < 4 / math.sqrt(N), f"correlation {r:.4f} between streams {a} and {b}"
    # Not a shifted copy of each other either: no 64-bit output in common.
    raw_a = stream(*a).bit_generator.random_raw(N)
    raw_b = stream(*b).bit_generator.random_raw(N)
    assert np.intersect1d(raw_a, raw_b).size == 0


def test_adding_a_stream_does_not_shift_another() -> None:
    alone = stream(5, 2, "dc/brake").random(100)
    other = stream(5, 2, "pads_asia/lead_time")
    other.random(10_000)
    np.testing.assert_array_equal(stream(5, 2, "dc/brake").random(100), alone)


names = st.text(max_size=40)
seeds = st.integers(min_value=0, max_value=2**64 - 1)
replications = st.integers(min_value=0, max_value=10**6)


@settings(max_examples=200, deadline=None)
@given(seed=seeds, replication=replications, name=names)
def test_streams_built_the_same_way_give_the_same_draws(seed: int, replication: int, name: str) -> None:
    first = stream(seed, replication, name).random(10)
    np.testing.assert_array_equal(stream(seed, replication, name).random(10), first)
    d = spec({"gamma": {"mean": 4, "sd": 2}})
    np.testing.assert_array_equal(
        sampler(d, stream(seed, replication, name)).sample(10),
        sampler(d, stream(seed, replication, name)).sample(10),
    )


@settings(max_examples=200, deadline=None)
@given(seed=seeds, replication=replications, a=names, b=names)
def test_streams_of_different_names_differ(seed: int, replication: int, a: str, b: str) -> None:
    assume(a != b)
    assert not np.array_equal(stream(seed, replication, a).random(10), stream(seed, replication, b).random(10))


# --- the Sampler contract --------------------------------------------------------------------


def test_sample_n_equals_n_successive_calls() -> None:
    d = spec({"lognormal": {"mean": 12, "sd": 3}})
    n = 3 * BLOCK + 17  # crosses refills
    batch = sampler(d, stream(3, 0, "x")).sample(n)
    one_by_one = sampler(d, stream(3, 0, "x"))
    assert batch.tolist() == [one_by_one() for _ in range(n)]


def test_sample_continues_the_stream_of_calls() -> None:
    d = spec({"poisson": 4})
    reference = sampler(d, stream(3, 0, "x")).sample(BLOCK + 10)
    s = sampler(d, stream(3, 0, "x"))
    mixed = [s(), s(), *s.sample(BLOCK), *[s() for _ in range(8)]]
    assert mixed == reference.tolist()


def test_sampler_values_are_python_floats() -> None:
    s = sampler(spec({"negative_binomial": {"mean": 6, "sd": 4}}), stream(3, 0, "x"))
    assert isinstance(s, Sampler)
    assert type(s()) is float


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7, 7.0),
        (2.5, 2.5),
        ({"poisson": 0}, 0.0),
        ({"normal": {"mean": 3, "sd": 0}}, 3.0),
        ({"lognormal": {"mean": 4, "sd": 0}}, 4.0),
        ({"gamma": {"mean": 5, "sd": 0}}, 5.0),
        ({"uniform": [2, 2]}, 2.0),
        ({"triangular": [1, 1, 1]}, 1.0),
        ({"empirical": [6]}, 6.0),
        ({"weibull": {"mean": 4, "sd": 0}}, 4.0),
    ],
    ids=repr,
)
def test_constant_returns_the_constant(value: Any, expected: float) -> None:
    s = sampler(spec(value), stream(3, 0, "x"))
    assert s.mean == expected
    assert set(s.sample(2 * BLOCK + 1).tolist()) == {expected}
    assert s() == expected


# --- distributions against theory ------------------------------------------------------------


def _lognormal(mean: float, sd: float) -> Any:
    sigma = math.sqrt(math.log1p((sd / mean) ** 2))
    return stats.lognorm(s=sigma, scale=mean * math.exp(-sigma * sigma / 2))


def _truncated_normal(mean: float, sd: float) -> Any:
    return stats.truncnorm(a=-mean / sd, b=np.inf, loc=mean, scale=sd)


def _weibull(mean: float, sd: float) -> Any:
    """The Weibull of this mean and sd: shape k from CV² = Γ(1 + 2/k) / Γ(1 + 1/k)² − 1 (root found by scipy)."""
    cv2 = (sd / mean) ** 2
    k = optimize.brentq(lambda k: special.gamma(1 + 2 / k) / special.gamma(1 + 1 / k) ** 2 - 1 - cv2, 0.05, 1e3)
    return stats.weibull_min(c=k, scale=mean / special.gamma(1 + 1 / k))


# spec, the same law in scipy's terms (written independently of simjit.random), and whether
# the spec's mean/sd (before truncation) differ from those of what is drawn.
CASES: dict[str, tuple[Any, Any, bool]] = {
    "poisson": ({"poisson": 4.0}, stats.poisson(4.0), False),
    "normal": ({"normal": {"mean": 10, "sd": 2}}, _truncated_normal(10, 2), False),
    "normal truncated": ({"normal": {"mean": 1, "sd": 2}}, _truncated_normal(1, 2), True),
    "normal at zero": ({"normal": {"mean": 0, "sd": 1}}, _truncated_normal(0, 1), True),
    "lognormal": ({"lognormal": {"mean": 12, "sd": 3}}, _lognormal(12, 3), False),
    "gamma": ({"gamma": {"mean": 5, "sd": 2}}, stats.gamma(a=(5 / 2) ** 2, scale=2**2 / 5), False),
    "exponential": ({"exponential": {"mean": 3}}, stats.expon(scale=3), False),
    "uniform": ({"uniform": [2, 7]}, stats.uniform(loc=2, scale=5), False),
    "triangular": ({"triangular": [1, 2, 6]}, stats.triang(c=0.2, loc=1, scale=5), False),
    # numpy and scipy share the parameterisation: failures before r successes of probability p.
    "negative_binomial": (
        {"negative_binomial": {"mean": 6, "sd": 4}},
        stats.nbinom(n=6**2 / (4**2 - 6), p=6 / 4**2),
        False,
    ),
    "weibull": ({"weibull": {"mean": 5, "sd": 2}}, _weibull(5, 2), False),
}
DISCRETE = {"poisson", "negative_binomial"}


def test_every_distribution_kind_is_checked_here() -> None:
    covered = {name.split()[0] for name in CASES} | {"constant", "empirical", "trace"}
    assert covered == set(DISTRIBUTION_KINDS), "a distribution kind has no statistical test"


def _variance_tolerance(law: Any, n: int) -> float:
    """Z standard errors of the sample variance: Var(s²) ≈ σ⁴ (κ + 2) / n, κ the excess kurtosis."""
    var, kurtosis = (float(v) for v in law.stats(moments="vk"))
    return Z * var * math.sqrt((kurtosis + 2) / n)


@pytest.mark.parametrize("name", CASES)
def test_moments_match_theory(name: str) -> None:
    value, law, truncated = CASES[name]
    d = spec(value)
    if not truncated:  # the reference law is the spec's law
        assert distribution_mean(d) == pytest.approx(law.mean(), rel=1e-5)
        assert distribution_sd(d) == pytest.approx(law.std(), rel=1e-5)
    mu, sd = law.mean(), law.std()
    s = sampler(d, stream(SEED, 0, "moments"))
    assert s.mean == pytest.approx(mu, rel=1e-9), "Sampler.mean is not the mean of what it draws"
    x = s.sample(N)
    assert abs(x.mean() - mu) < Z * sd / math.sqrt(N), f"mean {x.mean():.4f}, expected {mu:.4f}"
    tol = _variance_tolerance(law, N)
    assert abs(x.var(ddof=1) - sd**2) < tol, f"variance {x.var(ddof=1):.4f}, expected {sd**2:.4f} ± {tol:.4f}"


def _chi_square_p(x: np.ndarray, law: Any) -> float:
    """Chi-square goodness of fit of integer draws, tails pooled so every bin expects ≥ 5."""
    lo, hi = int(law.ppf(1e-3)), int(law.ppf(1 - 1e-3))
    inner = np.arange(lo + 1, hi)
    observed = [np.sum(x <= lo), *(np.sum(x == k) for k in inner), np.sum(x >= hi)]
    expected = len(x) * np.array([law.cdf(lo), *law.pmf(inner), law.sf(hi - 1)])
    assert expected.min() >= 5
    return float(stats.chisquare(observed, expected).pvalue)


def _goodness_of_fit_p(x: np.ndarray, law: Any, discrete: bool) -> float:
    return _chi_square_p(x, law) if discrete else float(stats.kstest(x, law.cdf).pvalue)


@pytest.mark.parametrize("name", CASES)
def test_goodness_of_fit(name: str) -> None:
    value, law, _ = CASES[name]
    x = draws(value, name="fit")
    if name in DISCRETE:
        assert np.array_equal(x, np.round(x)), "counts must be whole numbers"
    if name.startswith("normal"):
        assert x.min() >= 0, "normal is truncated at 0"
    p = _goodness_of_fit_p(x, law, name in DISCRETE)
    assert p > P_MIN, f"{name}: goodness-of-fit p = {p:.2e}"


@pytest.mark.parametrize(
    ("value", "wrong", "discrete"),
    [
        ({"poisson": 4.0}, stats.poisson(4.2), True),
        ({"gamma": {"mean": 5, "sd": 2}}, stats.gamma(a=(5 / 2.2) ** 2, scale=2.2**2 / 5), False),
        ({"normal": {"mean": 1, "sd": 2}}, stats.norm(1, 2), False),
        ({"weibull": {"mean": 5, "sd": 2}}, _weibull(5, 2.2), False),
    ],
    ids=["poisson", "gamma", "normal untruncated", "weibull"],
)
def test_goodness_of_fit_rejects_a_nearby_wrong_law(value: Any, wrong: Any, discrete: bool) -> None:
    # The checks above have power: a 5-10% error in a parameter is caught.
    assert _goodness_of_fit_p(draws(value, name="fit"), wrong, discrete) < P_MIN


@pytest.mark.parametrize("cv", [0.02, 0.3, 1.0, 2.5])
def test_weibull_draws_the_mean_and_sd_it_is_given(cv: float) -> None:
    # From nearly fixed (shape ≈ 64) to heavy-tailed (shape ≈ 0.45): the shape solved from sd/mean holds.
    mean, sd = 8.0, cv * 8.0
    d = spec({"weibull": {"mean": mean, "sd": sd}})
    assert (distribution_mean(d), distribution_sd(d)) == (mean, sd)
    x = sampler(d, stream(SEED, 0, "weibull")).sample(N)
    assert abs(x.mean() - mean) < Z * sd / math.sqrt(N), f"mean {x.mean():.4f}, expected {mean}"
    tol = _variance_tolerance(_weibull(mean, sd), N)
    assert abs(x.var(ddof=1) - sd**2) < tol, f"variance {x.var(ddof=1):.4f}, expected {sd**2:.4f} ± {tol:.4f}"


def test_weibull_with_sd_equal_to_mean_is_the_exponential() -> None:
    # Shape 1: a closed form that needs no root finding, in simjit or in the test.
    x = draws({"weibull": {"mean": 3, "sd": 3}})
    assert stats.kstest(x, stats.expon(scale=3).cdf).pvalue > P_MIN


@pytest.mark.parametrize(("value", "lo", "hi"), [({"uniform": [2, 7]}, 2, 7), ({"triangular": [1, 2, 6]}, 1, 6)])
def test_bounded_laws_stay_within_bounds(value: Any, lo: float, hi: float) -> None:
    x = draws(value)
    assert lo <= x.min() and x.max() <= hi
    assert x.min() < lo + 0.01 * (hi - lo) and x.max() > hi - 0.01 * (hi - lo)  # and fill them


def test_empirical_takes_only_listed_values_with_their_frequencies() -> None:
    values = [1, 2, 2, 5, 0.5]
    d = spec({"empirical": values})
    x = draws({"empirical": values})
    assert set(x.tolist()) == {1.0, 2.0, 5.0, 0.5}
    support = [0.5, 1.0, 2.0, 5.0]
    observed = [np.sum(x == v) for v in support]
    expected = [N * values.count(v) / len(values) for v in support]
    assert stats.chisquare(observed, expected).pvalue > P_MIN
    mu, sd = distribution_mean(d), distribution_sd(d)
    assert mu == pytest.approx(np.mean(values)) and sd == pytest.approx(np.std(values))
    assert abs(x.mean() - mu) < Z * sd / math.sqrt(N)


def test_trace_replays_in_order_and_wraps(tmp_path: Path) -> None:
    (tmp_path / "demand.csv").write_text("units\n3\n1\n4\n1\n5\n", encoding="utf-8")
    d = spec({"trace": "demand.csv"}, base_dir=tmp_path)
    rng = stream(3, 0, "x")
    s = sampler(d, rng)
    assert s.sample(12).tolist() == [3, 1, 4, 1, 5, 3, 1, 4, 1, 5, 3, 1]
    assert [s(), s(), s()] == [4, 1, 5]
    assert s.mean == distribution_mean(d) == pytest.approx(14 / 5)
    assert distribution_sd(d) == pytest.approx(np.std([3, 1, 4, 1, 5]))
    # A trace is data, not randomness: every replication replays it from the start.
    assert sampler(d, stream(3, 1, "x")).sample(3).tolist() == [3, 1, 4]
    np.testing.assert_array_equal(rng.random(5), stream(3, 0, "x").random(5))
