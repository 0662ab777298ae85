"""Which figures a report draws for a run, and the traces they need.

A run's tables give the cost breakdown, the trade-off frontier, the distributions of total cost and
fill rate and the forest plot of paired differences. The inventory trajectory and the resilience
profiles need traces: replications played again from the saved scenario (the same numbers as in
the run, common random numbers), replication 0 of every policy for the trajectory and, per
disruption, up to :data:`TRACED` replications in which it struck. A sweep gets its response and its
difference to the first point, per headline KPI and swept parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from matplotlib.figure import Figure

from simjit.experiment.cells import SWEEP_KPIS
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

__all__ = ["TRACED", "Plate", "Traces", "resilience_plate", "run_plates", "sweep_plates", "trajectory_plates"]

TRACED = 5
"""Replications traced per disruption for its resilience profile: enough to average, quick to play."""
SIDE_BY_SIDE = 2
"""Policies per figure of the inventory trajectory (each a column of panels)."""
DISTRIBUTIONS = ("total_cost", "fill_rate")
"""The KPIs whose spread over the replications is drawn, a figure each."""


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
    policies = results.policies
    plates = [
        Plate(
            "costs",
            "Where the money goes",
            "Mean cost components per policy, stacked; the whisker is the total's 95% CI.",
            lambda _: cost_breakdown(results.summary, policies=policies),
        ),
        Plate(
            "frontier",
            "Cost against service",
            "Each policy's mean total cost and fill rate with both CIs; the dashed line joins the policies no "
            "other beats on both.",
            lambda _: tradeoff_frontier(results.summary, policies=policies),
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
        for kpi in DISTRIBUTIONS
    ]
    if len(results.comparison) and forest_kpis:
        plates.append(
            Plate(
                "differences",
                f"Paired differences against {results.baseline}",
                "Each policy minus the baseline, replication by replication: the mean with its 95% CI; an interval "
                "clear of 0 is a difference the replications cannot explain by chance.",
                lambda _: paired_differences(
                    results.comparison, list(forest_kpis), baseline=results.baseline, policies=policies
                ),
            )
        )
    return plates


def _spread(results: Results, kpi: str) -> Callable[[Traces], Figure]:
    return lambda _: kpi_distribution(results.replications, kpi, paired=True, policies=results.policies)


def trajectory_plates(results: Results) -> list[Plate]:
    """Replication 0 of every policy, stock point by stock point (the inventory saw-tooth), in figures of
    at most SIDE_BY_SIDE policies: a column per policy stays wide enough to read at a laptop's width."""
    policies = results.policies
    groups = [policies[i : i + SIDE_BY_SIDE] for i in range(0, len(policies), SIDE_BY_SIDE)]
    return [
        Plate(
            f"trajectory-{n}",
            f"Replication 0 of {' and '.join(group)}",
            "Every stock point (rows): on hand, backorders below 0, inventory position dashed, orders and receipts "
            "along the top, the disruptions that struck shaded.",
            _trajectory(results, group),
            (0,),
        )
        for n, group in enumerate(groups)
    ]


def _trajectory(results: Results, group: Sequence[str]) -> Callable[[Traces], Figure]:
    return lambda traces: inventory_trajectory(
        [t for t in traces.of([0]) if t.policy in group], policies=results.policies
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
    for kpi in SWEEP_KPIS:
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
    return lambda _: sweep_response(results.replications, kpi, parameter=parameter, at=at, policies=results.policies)


def _change(
    results: Results, kpi: str, parameter: str, at: dict[str, object] | None, reference: str
) -> Callable[[Traces], Figure]:
    return lambda _: sweep_difference(
        results.replications, kpi, reference, parameter=parameter, at=at, policies=results.policies
    )


def _struck(results: Results, disruption: str) -> list[int]:
    """The replications (of the first variant, any policy) in which ``disruption`` struck, in order."""
    events = results.disruptions
    if not len(events):
        return []
    mine = events[(events["variant"] == results.variants[0]) & (events["disruption"] == disruption)]
    return sorted({int(r) for r in mine["replication"]})
