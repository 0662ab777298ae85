"""Named, reproducible random streams and samplers built from distribution specs.

Every source of randomness (demand at ``dc/brake``, lead times of ``pads_asia``…) draws from
its own generator, derived from (root seed, replication, stream name) with a stable hash
(BLAKE2b, never Python's ``hash``) fed to :class:`numpy.random.SeedSequence`. So replication r
of every policy sees the same demand (common random numbers), adding a stream shifts no other,
and results do not depend on worker count or backend.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable

import numpy as np

from simjit.scenario.distributions import (
    Distribution,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    NegativeBinomial,
    Normal,
    Poisson,
    Trace,
    Triangular,
    Uniform,
    distribution_mean,
)

__all__ = ["BLOCK", "Sampler", "sampler", "stream", "stream_key"]

BLOCK = 512
"""Values drawn per refill: one vectorised numpy call serves many events."""


def stream_key(name: str) -> list[int]:
    """Four 32-bit words of the BLAKE2b digest of the stream name (stable across runs and machines)."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=16).digest()
    return [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]


def stream(seed: int, replication: int, name: str) -> np.random.Generator:
    """The generator of stream ``name`` in ``replication`` under root ``seed``."""
    seq = np.random.SeedSequence([seed, replication, *stream_key(name)])
    return np.random.Generator(np.random.PCG64(seq))


Draw = Callable[[np.random.Generator, int], np.ndarray]


class Sampler:
    """Draws one value at a time from a distribution, refilling a block at once for speed.

    ``mean`` is the mean of the values drawn (for a normal, after truncation at 0).
    """

    __slots__ = ("_buf", "_draw", "_i", "_rng", "mean")

    def __init__(self, draw: Draw, rng: np.random.Generator | None, mean: float) -> None:
        self._draw = draw
        self._rng = rng
        self._buf: list[float] = []
        self._i = 0
        self.mean = mean

    def __call__(self) -> float:
        """The next value of the stream."""
        i = self._i
        buf = self._buf
        if i == len(buf):
            buf = self._buf = self._draw(self._rng, BLOCK).tolist()  # type: ignore[arg-type]
            i = 0
        self._i = i + 1
        return buf[i]

    def sample(self, n: int) -> np.ndarray:
        """``n`` further values at once (tests, statistics)."""
        return np.array([self() for _ in range(n)])


class _Constant(Sampler):
    __slots__ = ()

    def __call__(self) -> float:
        return self.mean


def _truncated_normal_mean(mean: float, sd: float) -> float:
    """Mean of N(mean, sd²) truncated to [0, ∞): μ + σ φ(μ/σ) / Φ(μ/σ)."""
    z = mean / sd
    pdf = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    cdf = math.erfc(-z / math.sqrt(2)) / 2
    return mean + sd * pdf / cdf


def _truncated_normal(mean: float, sd: float) -> Draw:
    def draw(rng: np.random.Generator, n: int) -> np.ndarray:
        out = rng.normal(mean, sd, n)
        bad = out < 0
        while bad.any():
            out[bad] = rng.normal(mean, sd, int(bad.sum()))
            bad = out < 0
        return out

    return draw


def _draw_of(d: Distribution) -> Draw | float:
    """A vectorised draw for ``d``, or the constant it always takes."""
    if isinstance(d, (int, float)):
        return float(d)
    if isinstance(d, Poisson):
        lam = d.poisson
        return (lambda rng, n: rng.poisson(lam, n).astype(float)) if lam > 0 else 0.0
    if isinstance(d, Exponential):
        m = d.exponential.mean
        return lambda rng, n: rng.exponential(m, n)
    if isinstance(d, Uniform):
        lo, hi = d.uniform
        return (lambda rng, n: rng.uniform(lo, hi, n)) if hi > lo else lo
    if isinstance(d, Triangular):
        a, c, b = d.triangular
        return (lambda rng, n: rng.triangular(a, c, b, n)) if b > a else a
    if isinstance(d, Empirical):
        values = np.array(d.empirical, dtype=float)
        return lambda rng, n: rng.choice(values, n)
    return _draw_of_mean_sd(d)


def _draw_of_mean_sd(d: Distribution) -> Draw | float:
    if isinstance(d, Normal):
        m, s = d.normal.mean, d.normal.sd
        return _truncated_normal(m, s) if s > 0 else m
    if isinstance(d, Lognormal):
        m, s = d.lognormal.mean, d.lognormal.sd
        if s == 0:
            return m
        sigma = math.sqrt(math.log1p((s / m) ** 2))
        mu = math.log(m) - sigma * sigma / 2
        return lambda rng, n: rng.lognormal(mu, sigma, n)
    if isinstance(d, Gamma):
        m, s = d.gamma.mean, d.gamma.sd
        if s == 0:
            return m
        shape, scale = (m / s) ** 2, s * s / m
        return lambda rng, n: rng.gamma(shape, scale, n)
    if isinstance(d, NegativeBinomial):
        m, var = d.negative_binomial.mean, d.negative_binomial.sd**2
        r, p = m * m / (var - m), m / var
        return lambda rng, n: rng.negative_binomial(r, p, n).astype(float)
    raise TypeError(f"not a distribution spec: {d!r}")


class _Replay(Sampler):
    """A trace played in order, from the start again when it runs out."""

    __slots__ = ("_values",)

    def __init__(self, values: tuple[float, ...]) -> None:
        super().__init__(lambda rng, n: np.empty(0), None, math.fsum(values) / len(values))
        self._values = values

    def __call__(self) -> float:
        v = self._values[self._i % len(self._values)]
        self._i += 1
        return v


def sampler(d: Distribution, rng: np.random.Generator) -> Sampler:
    """A sampler of ``d`` drawing from ``rng`` (which the caller derived with :func:`stream`)."""
    if isinstance(d, Trace):
        return _Replay(d.values)
    draw = _draw_of(d)
    if isinstance(draw, float):
        return _Constant(lambda rng, n: np.full(n, draw), None, draw)
    if isinstance(d, Normal):
        return Sampler(draw, rng, _truncated_normal_mean(d.normal.mean, d.normal.sd))
    return Sampler(draw, rng, distribution_mean(d))
