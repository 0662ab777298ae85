"""What an experiment plays: variants (sweep points) × policy sets × replications, in one fixed order.

Tasks are numbered replication-major — index = (replication · V + variant) · P + policy — so a
cut-off run holds whole replications of every variant and policy, adding replications only
appends tasks (``--precision``), and a batch of work is just a range of indices.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from simjit.scenario.models import Scenario

__all__ = ["BASE", "Plan", "Task", "Variant", "batches", "guided_batches"]

BASE = "base"
"""The variant name of a plain run (no sweep)."""


@dataclass(frozen=True)
class Variant:
    """One scenario played: the base scenario, or a sweep point with the parameters it sets."""

    name: str
    scenario: Scenario
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Task:
    """One replication of one policy set of one variant, and its place in the plan."""

    index: int
    variant: str
    policy: str
    replication: int


@dataclass(frozen=True)
class Plan:
    """Every (variant, policy, replication) to play; every variant's replication r shares random streams."""

    variants: tuple[Variant, ...]
    policies: tuple[str, ...]
    replications: int

    def __post_init__(self) -> None:
        names = [v.name for v in self.variants]
        if not names or len(set(names)) != len(names):
            raise ValueError(f"variant names must be distinct and at least one, got {names}")
        if not self.policies or len(set(self.policies)) != len(self.policies):
            raise ValueError(f"policy sets must be distinct and at least one, got {list(self.policies)}")

    @classmethod
    def single(cls, scenario: Scenario, policies: Sequence[str], replications: int) -> Plan:
        """A plan without a sweep: one variant named ``base``."""
        return cls((Variant(BASE, scenario),), tuple(policies), replications)

    @property
    def per_replication(self) -> int:
        """Tasks in one replication of every variant and policy."""
        return len(self.variants) * len(self.policies)

    def size(self, replications: int | None = None) -> int:
        """Number of tasks in the first ``replications`` replications (default: the plan's)."""
        return (self.replications if replications is None else replications) * self.per_replication

    def locate(self, index: int) -> tuple[Variant, str, int]:
        """The variant, policy set and replication at plan position ``index``."""
        replication, rest = divmod(index, self.per_replication)
        v, p = divmod(rest, len(self.policies))
        return self.variants[v], self.policies[p], replication

    def task(self, index: int) -> Task:
        """The task at plan position ``index``."""
        variant, policy, replication = self.locate(index)
        return Task(index, variant.name, policy, replication)


def batches(missing: Sequence[tuple[int, int]], size: int) -> Iterator[tuple[int, int]]:
    """Cut ranges of task indices into batches of at most ``size``, never across a range's end."""
    for start, stop in missing:
        for lo in range(start, stop, size):
            yield lo, min(lo + size, stop)


def guided_batches(missing: Sequence[tuple[int, int]], slots: int, largest: int = 100) -> Iterator[tuple[int, int]]:
    """Batches that shrink as the work left shrinks (guided self-scheduling): a quarter of the
    remaining tasks per slot, so workers finish together; at least 1/50 of the whole per slot,
    so the last batches are not so small that their overhead shows; at most ``largest``."""
    left = sum(stop - start for start, stop in missing)
    smallest = max(1, -(-left // (50 * slots)))
    for start, stop in missing:
        lo = start
        while lo < stop:
            size = min(largest, max(smallest, -(-left // (4 * slots))), stop - lo)
            yield lo, lo + size
            lo += size
            left -= size
