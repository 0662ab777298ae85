"""Which figures a report draws for a run, and the traces they need.

A run's tables give the cost breakdown, the trade-off frontier, the distributions of the headline KPI
(profit where items have prices, else total cost) and fill rate and the forest plot of paired
differences, money in the scenario's currency where it names one. The inventory trajectory and the
resilience profiles need traces: replications played again from the saved scenario (the same numbers as in
the run, common random numbers), replication 0 of every policy for the trajectory and, per
disruption, up to :data:`TRACED` replications in which it struck. A sweep gets its response and its
difference to the first point, per headline KPI and swept parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from simjit.experiment.cells import direction
from simjit.experiment.results import Results
from simjit.experiment.trace import Trace, trace_replication
from simjit.plots import (
    cost_breakdown,
    inventory_trajectory,
    kpi_distribution,
    paired_differences,
    resilience_profile,
    sweep_difference,
    sweep_response,
    tradeoff_frontier,
)
from simjit.plots.costs import beside_operating

__all__ = ["TRACED", "Plate", "Traces", "resilience_plate", "run_plates", "sweep_plates", "trajectory_plates"]

TRACED = 5
"""Replications traced per disruption for its resilience profile: enough to average, quick to play."""
SIDE_BY_SIDE = 2
"""Policies per figure of the inventory trajectory (each a column of panels)."""
SERVICE = "fill_rate"
"""Beside the headline KPI, the KPI whose spread over the replications, or response to a sweep, is drawn."""


@dataclass
class Traces:
    """Replications played again from the run's scenario, every policy each, kept by (policy, replication)."""

    results: Results
    allow_plugins: bool = False
    played: dict[tuple[str, int], Trace] = field(default_factory=dict)

    def play(self, replication: int) -> None:
        """Trace ``replication`` of every policy set of the run (the scenario must have validated again)."""
        if self.results.scenario is None:
            raise LookupError("the run's scenario no longer validates (a file it reads moved?): nothing to replay")
        for policy in self.results.policies:
            trace = trace_replication(self.results.scenario, policy, replication, allow_plugins=self.allow_plugins)
            self.played[(policy, replication)] = trace

    def of(self, replications: Sequence[int]) -> list[Trace]:
        """The traces of ``replications`` (every policy each) that were played, in the run's policy order."""
        return [self.played[(p, r)] for r in replications for p in self.results.policies if (p, r) in self.played]


@dataclass(frozen=True)
class Plate:
    """A figure of the report: its anchor (also the prefix of its SVG ids), heading, what to read in it,
    the replications it needs traced and how it is drawn."""

    key: str
    heading: str
    caption: str
    draw: Callable[[Traces], Figure]
    replications: tuple[int, ...] = ()


def run_plates(results: Results, forest_kpis: Sequence[str]) -> list[Plate]:
    """The figures of a run's tables: costs, frontier, distributions and paired differences."""
    policies, currency = results.policies, _currency(results)
    plates = [
        Plate(
            "costs",
            "Where the money goes",
            _costs_caption(results),
            lambda _: cost_breakdown(
                results.summary, policies=policies, replications=results.replications, currency=currency
            ),
        ),
        Plate(
            "frontier",
            "Money against service",
            f"Each policy's mean {_headline(results).replace('_', ' ')} and fill rate with both CIs; the dashed line "
            "joins the policies no other beats on both.",
            lambda _: tradeoff_frontier(results.summary, cost=_headline(results), policies=policies, currency=currency),
        ),
    ]
    plates += [
        Plate(
            f"spread-{kpi}",
            f"Spread of {kpi} over the replications",
            "A box per policy (quartiles, whiskers at 1.5 IQR, ◇ the mean); grey lines join the same replication, "
            "which met the same demand and disruptions under every policy.",
            _spread(results, kpi),
        )
        for kpi in (_headline(results), SERVICE)
    ]
    if len(results.comparison) and forest_kpis:
        plates.append(
            Plate(
                "differences",
                f"Paired differences against {results.baseline}",
                "Each policy minus the baseline, replication by replication: the mean with its 95% CI; an interval "
                "clear of 0 is a difference the replications cannot explain by chance.",
                _differences(results, list(forest_kpis)),
            )
        )
    return plates


def _costs_caption(results: Results) -> str:
    """What the cost figure shows for this run: the operating costs, and the goods with the total or with
    revenue and profit (as :func:`simjit.plots.cost_breakdown` chooses from the same summary)."""
    beside = beside_operating(results.summary) if len(results.summary) else ()
    right = ("revenue, the cost of the goods used and profit (revenue − cost of goods − operating costs)"
             if "profit" in beside else "the cost of the goods used and the total cost (operating costs + goods)")  # fmt: skip
    return (
        "Left: each policy's mean operating costs (holding, ordering, expediting, shortage: what the policy "
        f"trades against each other), stacked; right, on a scale of its own: {right}. Whiskers: 95% CIs of the "
        "means (on the left, of the operating costs' sum). The goods are most of the money: on one scale with "
        "them, the costs a policy trades would be a sliver. A cost 0 under every policy is not drawn."
    )


def _currency(results: Results) -> str | None:
    """The currency the run's scenario names (from its saved document when it no longer validates), or None."""
    if results.scenario is not None:
        return results.scenario.currency
    named = results.scenario_doc.get("currency")
    return str(named) if named else None


def _headline(results: Results) -> str:
    """Profit where the run has it (every item customers buy has a price), else total cost."""
    summary = results.summary
    profit = summary.loc[summary["kpi"] == "profit", "mean"] if len(summary) else pd.Series(dtype=float)
    return "profit" if len(profit) and bool(profit.notna().all()) else "total_cost"


def _differences(results: Results, kpis: list[str]) -> Callable[[Traces], Figure]:
    sides = {k: direction(k, results.scenario) for k in kpis}  # as the tables judge them (no side: no ★ there)
    return lambda _: paired_differences(
        results.comparison,
        kpis,
        baseline=results.baseline,
        policies=results.policies,
        currency=_currency(results),
        directions=sides,
    )


def _spread(results: Results, kpi: str) -> Callable[[Traces], Figure]:
    return lambda _: kpi_distribution(
        results.replications, kpi, paired=True, policies=results.policies, currency=_currency(results)
    )


def trajectory_plates(results: Results, stock_points: Sequence[str] | None = None) -> list[Plate]:
    """Replication 0 of every policy, stock point by stock point (the inventory saw-tooth; ``stock_points``
    only, if given), in figures of at most SIDE_BY_SIDE policies: a column per policy stays wide enough to
    read at a laptop's width."""
    policies = results.policies
    groups = [policies[i : i + SIDE_BY_SIDE] for i in range(0, len(policies), SIDE_BY_SIDE)]
    return [
        Plate(
            f"trajectory-{n}",
            f"Replication 0 of {' and '.join(group)}",
            f"{'Every stock point' if stock_points is None else 'The stock points named above'} (rows): on hand, backorders below 0, inventory position dashed, orders and receipts "
            "along the top, the disruptions that struck shaded.",
            _trajectory(results, group, stock_points),
            (0,),
        )
        for n, group in enumerate(groups)
    ]


def _trajectory(
    results: Results, group: Sequence[str], stock_points: Sequence[str] | None
) -> Callable[[Traces], Figure]:
    return lambda traces: inventory_trajectory(
        [t for t in traces.of([0]) if t.policy in group], stock_points, policies=results.policies
    )


def resilience_plate(results: Results, disruption: str, index: int) -> Plate:
    """The daily customer fill rate around ``disruption``, over the traced replications it struck."""
    struck = tuple(_struck(results, disruption)[:TRACED])
    caption = (f"Daily customer fill rate around each occurrence in replications {', '.join(map(str, struck))}, "
               "aligned on its start, with its 95% CI.")  # fmt: skip
    return Plate(f"profile-{index}", f"Customers' fill rate around {disruption}", caption,
                 lambda traces: resilience_profile(traces.of(struck), disruption, policies=results.policies),
                 struck)  # fmt: skip


def sweep_plates(results: Results) -> list[Plate]:
    """Per headline KPI and swept parameter: the mean at every point, and the paired change from the first
    point (the other parameters held at the first point's values)."""
    first = results.manifest.plan.variants[0].params
    plates = []
    for kpi in (_headline(results), SERVICE):
        for n, parameter in enumerate(results.params):
            at = {p: v for p, v in first.items() if p != parameter} or None
            reference = f"{parameter}={first[parameter]}"
            plates += [
                Plate(
                    f"response-{kpi}-{n}",
                    f"{kpi} against {parameter}",
                    "Mean per point and policy with its 95% CI band.",
                    _response(results, kpi, parameter, at),
                ),
                Plate(
                    f"change-{kpi}-{n}",
                    f"Change in {kpi} against {reference}",
                    "Each point minus the same policy at the reference point, paired by replication: the mean "
                    "with its 95% CI.",
                    _change(results, kpi, parameter, at, reference),
                ),
            ]
    return plates


def _response(results: Results, kpi: str, parameter: str, at: dict[str, object] | None) -> Callable[[Traces], Figure]:
    return lambda _: sweep_response(
        results.replications, kpi, parameter=parameter, at=at, policies=results.policies, currency=_currency(results)
    )


def _change(
    results: Results, kpi: str, parameter: str, at: dict[str, object] | None, reference: str
) -> Callable[[Traces], Figure]:
    return lambda _: sweep_difference(results.replications, kpi, reference, parameter=parameter, at=at,
                                      policies=results.policies, currency=_currency(results))  # fmt: skip


def _struck(results: Results, disruption: str) -> list[int]:
    """The replications (of the first variant, any policy) in which ``disruption`` struck, in order."""
    events = results.disruptions
    if not len(events):
        return []
    mine = events[(events["variant"] == results.variants[0]) & (events["disruption"] == disruption)]
    return sorted({int(r) for r in mine["replication"]})
