"""Summary statistics of replication results: pure functions on DataFrames.

Confidence intervals are Student-t intervals of the mean over replications; comparisons with
the baseline are paired by replication (common random numbers make the pairs share demand and
disruptions, so the differences vary far less than the policies' results themselves). Which
way a KPI improves comes from the KPI catalogue; a KPI without a direction has no rank, no
P(better) and no best policy.
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

__all__ = [
    "RESILIENCE",
    "compare",
    "describe",
    "mean_ci",
    "rank",
    "resilience",
    "star_level",
    "versus_best",
    "wilson_ci",
]

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
    """Per (variant, policy, kpi): n, mean, sd, CI, P5/P50/P95, and the paired difference to the policy
    with the best mean (``best``, ``vs_best``, ``vs_best_low``, ``vs_best_high``: see :func:`versus_best`)."""
    rows = []
    for variant, in_variant in results.groupby(VARIANT, sort=False):
        policies = dict(tuple(in_variant.groupby(POLICY, sort=False)))
        values = {p: _finite_columns(g, kpis) for p, g in policies.items()}
        paired = _by_replication(policies)
        for kpi in kpis:
            means = {p: float(x[kpi].mean()) if len(x[kpi]) else math.nan for p, x in values.items()}
            versus = versus_best(paired, kpi, means, level)
            for policy in policies:
                x = values[policy][kpi]
                mean, lo, hi = mean_ci(x, level)
                p5, p50, p95 = np.percentile(x, [5, 50, 95]) if len(x) else (math.nan,) * 3
                rows.append({VARIANT: variant, POLICY: policy, "kpi": kpi, "n": len(x), "mean": mean,
                             "sd": float(x.std(ddof=1)) if len(x) > 1 else math.nan, "ci_low": lo, "ci_high": hi,
                             "p5": p5, "p50": p50, "p95": p95, **versus.get(policy, NO_BEST)})  # fmt: skip
    if not rows:
        return _table(rows)
    order = {(v, p): i for i, (v, p) in enumerate(dict.fromkeys(zip(results[VARIANT], results[POLICY], strict=True)))}
    return _table(sorted(rows, key=lambda r: order[(r[VARIANT], r[POLICY])]))  # a policy's KPIs together


NO_BEST: dict[str, object] = {"best": None, "vs_best": math.nan, "vs_best_low": math.nan, "vs_best_high": math.nan}
"""The comparison with the best of a KPI without a direction (or of a policy without a value of it)."""


def _finite_columns(group: pd.DataFrame, kpis: Sequence[str]) -> dict[str, np.ndarray]:
    """Each KPI's values without NaNs, from one conversion of the group (not a column at a time: a network of
    400 stock points has 14,000 KPI columns)."""
    table = group[list(kpis)].to_numpy(dtype=float)
    return {k: table[:, i][~np.isnan(table[:, i])] for i, k in enumerate(kpis)}


def _by_replication(policies: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame] | None:
    """Each policy's rows indexed by replication, to pair them; None when they cannot be paired (no
    replication column, or a replication twice)."""
    if any(REPLICATION not in g.columns or g[REPLICATION].duplicated().any() for g in policies.values()):
        return None
    return {p: g.set_index(REPLICATION) for p, g in policies.items()}


def star_level(level: float, policies: int) -> float:
    """The two-sided level of each paired interval that a policy must clear against every other one to be
    called the best, so that the claim "this one is best" holds at ``level`` among ``policies`` policies.

    Were the policy named before the run, no adjustment would be needed: "better than every other" is an
    intersection of K − 1 claims, each tested at ``level`` (intersection–union, Berger 1982). But the ★
    goes to the best *mean*, chosen by the data, so it is adjusted as multiple comparisons with the best
    (Hsu 1996, ch. 4): a wrong ★ needs some policy to beat the true best in its paired comparison, one of
    K − 1 comparisons, so each one-sided bound is taken at α / (K − 1), α = 1 − level (Bonferroni, as
    Nelson & Matejcik 1995 do under common random numbers, where the paired differences have unequal
    variances and Dunnett's exact quantile does not apply; Holm's step-down is not used, its guarantee
    being for a family fixed in advance). Never looser than the two-sided interval at ``level`` that the
    tables print (one-sided α/2), so a ★ never sits beside an interval that holds zero: for 2 or 3
    policies each comparison is the run's own 95% interval; for K ≥ 4, 1 − 2α/(K − 1) (96.7% for four).
    """
    alpha = 1 - level
    return 1 - 2 * alpha / max(2, policies - 1)


def versus_best(
    paired: dict[str, pd.DataFrame] | None, kpi: str, means: dict[str, float], level: float = 0.95
) -> dict[str, dict[str, object]]:
    """Each policy's paired difference to the policy with the best mean of ``kpi`` (``means``: policy → its
    mean; ties go to the first in the run's order), over the replications both played (common random
    numbers: the same replication is the same random future), with its interval at :func:`star_level`.
    ``paired`` holds each policy's rows of one variant indexed by replication (None: they cannot be paired).
    Returns policy → ``best`` (the policy with the best mean), ``vs_best`` (policy − best; 0 for the best),
    ``vs_best_low`` and ``vs_best_high`` (NaN for the best itself, and for all without ``paired``); empty
    for a KPI without a better direction."""
    direction = better(kpi)
    finite = {p: m for p, m in means.items() if m == m}
    if direction is None or not finite:
        return {}
    best = (min if direction == "lower" else max)(finite, key=finite.__getitem__)
    each = star_level(level, len(finite))
    out: dict[str, dict[str, object]] = {}
    for policy in finite:
        low = high = diff = math.nan
        if policy == best:
            diff = 0.0
        elif paired is not None:
            diff, low, high = mean_ci(_paired_difference(paired[policy][kpi], paired[best][kpi]), each)
        out[policy] = {"best": best, "vs_best": diff, "vs_best_low": low, "vs_best_high": high}
    return out


def _paired_difference(mine: pd.Series, theirs: pd.Series) -> np.ndarray:
    """``mine − theirs`` aligned by replication (as pandas aligns them), without aligning where the replications
    are already the same, in the same order (as they are in a run: 300 policy sets × 36 KPIs align in 8 s)."""
    if mine.index.equals(theirs.index):
        return mine.to_numpy(dtype=float) - theirs.to_numpy(dtype=float)
    return (mine - theirs).to_numpy(dtype=float)


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
            differences = mine.to_numpy(dtype=float) - theirs.to_numpy(dtype=float)  # one subtraction, every KPI
            for i, kpi in enumerate(kpis):
                diff = differences[:, i]
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
