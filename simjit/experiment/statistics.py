"""Summary statistics of replication results: pure functions on DataFrames.

Confidence intervals are Student-t intervals of the mean over replications; comparisons with
the baseline are paired by replication (common random numbers make the pairs share demand and
disruptions, so the differences vary far less than the policies' results themselves). Which
way a KPI improves comes from the KPI catalogue; a KPI without a direction has no rank and no
P(better).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from simjit.experiment.columns import POLICY, REPLICATION, VARIANT, better

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RESILIENCE", "compare", "describe", "mean_ci", "rank", "resilience", "wilson_ci"]

RESILIENCE: dict[str, str | None] = {
    **{k: better(k) for k in ("time_to_survive", "time_to_recover", "units_short")},
    "shortage_share": "lower",
}
"""What :func:`resilience` reports per disruption, and which way each improves. The first three
are KPIs of the catalogue (means over a replication's events of the disruption);
``shortage_share`` is the share of the replications it hit in which some event was not survived."""


def mean_ci(values: Sequence[float] | np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and the two ends of its Student-t confidence interval (NaNs dropped)."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return math.nan, math.nan, math.nan
    mean = float(x.mean())
    if len(x) < 2:
        return mean, math.nan, math.nan
    half = _t_quantile(level, len(x) - 1) * float(x.std(ddof=1)) / math.sqrt(len(x))
    return mean, mean - half, mean + half


@lru_cache(maxsize=1024)
def _t_quantile(level: float, df: int) -> float:
    from scipy.special import stdtrit  # ~0.2 s to import: not before the first replication, nor in workers

    return float(stdtrit(df, 0.5 + level / 2))  # Student-t quantile (what scipy.stats.t.ppf calls)


def describe(results: pd.DataFrame, kpis: Sequence[str], level: float = 0.95) -> pd.DataFrame:
    """Per (variant, policy, kpi): n, mean, sd, CI, P5/P50/P95."""
    rows = []
    for (variant, policy), group in results.groupby([VARIANT, POLICY], sort=False):
        for kpi in kpis:
            x = group[kpi].to_numpy(dtype=float)
            x = x[~np.isnan(x)]
            mean, lo, hi = mean_ci(x, level)
            p5, p50, p95 = np.percentile(x, [5, 50, 95]) if len(x) else (math.nan,) * 3
            rows.append({VARIANT: variant, POLICY: policy, "kpi": kpi, "n": len(x), "mean": mean,
                         "sd": float(x.std(ddof=1)) if len(x) > 1 else math.nan, "ci_low": lo, "ci_high": hi,
                         "p5": p5, "p50": p50, "p95": p95})  # fmt: skip
    return _table(rows)


def compare(results: pd.DataFrame, kpis: Sequence[str], baseline: str, level: float = 0.95) -> pd.DataFrame:
    """Per (variant, policy ≠ baseline, kpi): paired mean difference policy − baseline, its CI,
    and P(better): the share of replications in which the policy beat the baseline."""
    rows = []
    for variant, group in results.groupby(VARIANT, sort=False):
        base = group[group[POLICY] == baseline].set_index(REPLICATION)
        for policy, other in group[group[POLICY] != baseline].groupby(POLICY, sort=False):
            other = other.set_index(REPLICATION)
            common = base.index.intersection(other.index)
            mine, theirs = other.loc[common, list(kpis)], base.loc[common, list(kpis)]  # aligned once, not per KPI
            for kpi in kpis:
                diff = (mine[kpi] - theirs[kpi]).to_numpy(dtype=float)
                diff = diff[~np.isnan(diff)]
                mean, lo, hi = mean_ci(diff, level)
                rows.append({VARIANT: variant, POLICY: policy, "kpi": kpi, "n": len(diff), "diff": mean,
                             "ci_low": lo, "ci_high": hi, "p_better": _p_better(diff, better(kpi))})  # fmt: skip
    return _table(rows)


def _table(rows: list[dict[str, object]]) -> pd.DataFrame:
    """A DataFrame of ``rows`` (pandas is imported here, on first use: the module's mean_ci is needed
    by the precision check between rounds of replications, which must not wait for pandas)."""
    import pandas as pd

    return pd.DataFrame(rows)


def _p_better(diff: np.ndarray, direction: str | None) -> float:
    """The share of paired differences (policy − baseline) in the better direction."""
    if direction is None or not len(diff):
        return math.nan
    return float((diff < 0 if direction == "lower" else diff > 0).mean())


def rank(summary: pd.DataFrame) -> pd.DataFrame:
    """``summary`` (from :func:`describe`) with a ``rank`` column: 1 = the best policy of each
    (variant, kpi) by mean — the smallest where lower is better, the largest where higher is; ties
    share; no rank (NA) for a KPI without a better direction."""
    direction = summary["kpi"].map(better)
    key = summary["mean"].where(direction == "lower", -summary["mean"]).where(direction.notna())
    ranked = summary.copy()
    ranked["rank"] = key.groupby([summary[VARIANT], summary["kpi"]]).rank(method="min").astype("Int64")
    return ranked


def wilson_ci(successes: int, n: int, level: float = 0.95) -> tuple[float, float, float]:
    """A share and its Wilson score interval (Wilson 1927): unlike the Student-t interval it does
    not collapse to a point when the share is 0 or 1, as it often is over few replications."""
    if n == 0:
        return math.nan, math.nan, math.nan
    from scipy.special import ndtri

    p, z = successes / n, float(ndtri(0.5 + level / 2))  # standard normal quantile
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return p, max(0.0, centre - half), min(1.0, centre + half)


def resilience(events: pd.DataFrame, baseline: str | None = None, level: float = 0.95) -> pd.DataFrame:
    """Per (variant, disruption by name, policy, kpi of :data:`RESILIENCE`), from the event rows of
    ``disruptions.parquet``: the events, the replications the disruption hit, the mean of the
    per-replication means with its CI (the share with its Wilson interval), and versus
    ``baseline`` the paired difference over replications both saw the disruption in, its CI and
    P(better). A replication with an event whose value is NaN (``time_to_recover`` of a shortage
    still open at the horizon) has no mean of it: it is left out of that KPI's ``n``."""
    if events.empty:
        return _table([])
    per = _per_replication(events).groupby([VARIANT, POLICY, "disruption"], sort=False)
    variants, policies = (list(dict.fromkeys(events[c])) for c in (VARIANT, POLICY))
    order = sorted(per.groups, key=lambda k: (variants.index(k[0]), k[2], policies.index(k[1])))
    groups = {key: per.get_group(key).set_index(REPLICATION) for key in order}
    rows = []
    for (variant, policy, disruption), group in groups.items():
        base = None
        if baseline is not None and policy != baseline:
            base = groups.get((variant, baseline, disruption), group.iloc[:0])
        for kpi, direction in RESILIENCE.items():
            row = _resilience_row(group, kpi, level)
            if base is not None:
                common = group.index.intersection(base.index)
                diff = (group.loc[common, kpi] - base.loc[common, kpi]).to_numpy(dtype=float)
                diff = diff[~np.isnan(diff)]
                mean, lo, hi = mean_ci(diff, level)
                row |= {"n_paired": len(diff), "diff": mean, "diff_ci_low": lo, "diff_ci_high": hi,
                        "p_better": _p_better(diff, direction)}  # fmt: skip
            rows.append({VARIANT: variant, POLICY: policy, "disruption": disruption,
                         "events": int(group["events"].sum()), "replications": len(group), **row})  # fmt: skip
    columns = [VARIANT, POLICY, "disruption", "events", "replications", "kpi", "n", "mean", "ci_low", "ci_high",
               "n_paired", "diff", "diff_ci_low", "diff_ci_high", "p_better"]  # fmt: skip
    return _table(rows).reindex(columns=columns).astype({"n_paired": "Int64"})


def _per_replication(events: pd.DataFrame) -> pd.DataFrame:
    """One row per (variant, policy, disruption, replication): events, the means of the event
    KPIs, and whether some event was not survived."""
    frame = events.assign(shortage_share=~events["survived"].astype(bool))
    grouped = frame.groupby([VARIANT, POLICY, "disruption", REPLICATION], sort=False)
    measures = ["time_to_survive", "time_to_recover", "units_short"]
    per = grouped[measures].sum()
    per["events"] = grouped.size()
    known = grouped[measures].count()
    for name in measures:  # an event with an unknown value leaves its replication's mean unknown
        per[name] = (per[name] / per["events"]).where(known[name] == per["events"])
    per["shortage_share"] = grouped["shortage_share"].any().astype(float)
    return per.reset_index()


def _resilience_row(group: pd.DataFrame, kpi: str, level: float) -> dict[str, object]:
    values = group[kpi].to_numpy(dtype=float)
    values = values[~np.isnan(values)]
    if kpi == "shortage_share":
        mean, lo, hi = wilson_ci(int(values.sum()), len(values), level)
    else:
        mean, lo, hi = mean_ci(values, level)
    return {"kpi": kpi, "n": len(values), "mean": mean, "ci_low": lo, "ci_high": hi}
