"""Summary statistics of replication results: pure functions on DataFrames.

Confidence intervals are Student-t intervals of the mean over replications; comparisons with
the baseline are paired by replication (common random numbers make the pairs share demand and
disruptions, so the differences vary far less than the policies' results themselves).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

from simjit.experiment.columns import POLICY, REPLICATION, VARIANT, lower_is_better

__all__ = ["compare", "describe", "mean_ci", "rank"]


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
    return float(stats.t.ppf(0.5 + level / 2, df))


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
    return pd.DataFrame(rows)


def compare(results: pd.DataFrame, kpis: Sequence[str], baseline: str, level: float = 0.95) -> pd.DataFrame:
    """Per (variant, policy ≠ baseline, kpi): paired mean difference policy − baseline, its CI,
    and P(better): the share of replications in which the policy beat the baseline."""
    rows = []
    for variant, group in results.groupby(VARIANT, sort=False):
        base = group[group[POLICY] == baseline].set_index(REPLICATION)
        for policy, other in group[group[POLICY] != baseline].groupby(POLICY, sort=False):
            other = other.set_index(REPLICATION)
            common = base.index.intersection(other.index)
            for kpi in kpis:
                diff = (other.loc[common, kpi] - base.loc[common, kpi]).to_numpy(dtype=float)
                diff = diff[~np.isnan(diff)]
                mean, lo, hi = mean_ci(diff, level)
                better = diff < 0 if lower_is_better(kpi) else diff > 0
                rows.append({VARIANT: variant, POLICY: policy, "kpi": kpi, "n": len(diff), "diff": mean,
                             "ci_low": lo, "ci_high": hi,
                             "p_better": float(better.mean()) if len(diff) else math.nan})  # fmt: skip
    return pd.DataFrame(rows)


def rank(summary: pd.DataFrame) -> pd.DataFrame:
    """``summary`` (from :func:`describe`) with a ``rank`` column: 1 = the best policy of each
    (variant, kpi) by mean — the smallest where lower is better, else the largest; ties share."""
    lower = summary["kpi"].map(lower_is_better).astype(bool)
    key = summary["mean"].where(lower, -summary["mean"])
    ranked = summary.copy()
    ranked["rank"] = key.groupby([summary[VARIANT], summary["kpi"]]).rank(method="min").astype("Int64")
    return ranked
