"""Periodic order-up-to (R, S): every R days, order S − inventory position.

With a fixed level this is the newsvendor-like rule whose optimal S is the critical
fractile of demand over R + L (Zipkin 2000, §6.4). ``cover_days`` sets S from the forecast.
"""

from __future__ import annotations

from dataclasses import dataclass

from simjit.policies.base import Order, StockView

__all__ = ["OrderUpToPolicy"]


@dataclass(frozen=True)
class OrderUpToPolicy:
    """(R, S) with review period ``review_period`` [R] and level ``level`` [S]."""

    level: float
    review_period: float | None = 1.0
    history: int = 0

    def decide(self, view: StockView) -> Order | None:
        """Order up to S at each review."""
        gap = self.level - view.inventory_position
        return Order(gap) if gap > 0 else None
