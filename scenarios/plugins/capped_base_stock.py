"""A worked plug-in policy: base stock whose orders are capped (a supplier's truck holds `cap`).

Run the scenario beside this file with:
    simjit run scenarios/plugins/plugin_shop.yaml --allow-plugins
and test the class with simjit's conformance suite:
    from simjit.testing import check_policy
    check_policy(CappedBaseStock, {"level": 60, "cap": 25})
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from simjit.policies import Order, StockView


class CappedBaseStock:
    """Order up to ``level`` after every demand, at most ``cap`` units per order."""

    class Params(BaseModel):
        """What the scenario may set; simjit validates `params:` against it."""

        level: float = Field(ge=0, description="Target inventory position.")
        cap: float = Field(gt=0, description="Largest order a truck carries.")

    review_period = None  # continuous review
    history = 0  # no demand history needed

    def __init__(self, level: float, cap: float) -> None:
        self.level = level
        self.cap = cap

    def decide(self, view: StockView) -> Order | None:
        """Order the gap to the level, one truck at a time (simjit asks again after each order)."""
        gap = self.level - view.inventory_position
        return Order(min(gap, self.cap)) if gap > 0 else None
