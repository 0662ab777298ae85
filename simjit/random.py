"""Named, reproducible random streams and samplers built from distribution specs.

Every source of randomness (demand at ``dc/brake``, lead times of ``pads_asia``…) draws from
its own generator, derived from (root seed, replication, stream name) with a stable hash
(BLAKE2b, never Python's ``hash``) fed to :class:`numpy.random.SeedSequence`. So replication r
of every policy sees the same demand (common random numbers), adding a stream shifts no other,
and results do not depend on worker count or backend.
"""

from __future__ import annotations

import hashlib

import numpy as np

from simjit.scenario.distributions import Distribution, Draw

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


def sampler(d: Distribution, rng: np.random.Generator | None) -> Sampler:
    """A sampler of ``d`` drawing from ``rng`` (which the caller derived with :func:`stream`; None
    only for a constant, which draws nothing).

    The spec builds a fresh draw for each sampler, so a draw may keep state (a trace its place).
    """
    if isinstance(d, (int, float)):
        return _constant(float(d))
    draw = d.draw()
    if isinstance(draw, float):
        return _constant(draw)
    return Sampler(draw, rng, d.sampler_mean())


def _constant(value: float) -> Sampler:
    return _Constant(lambda rng, n: np.full(n, value), None, value)
