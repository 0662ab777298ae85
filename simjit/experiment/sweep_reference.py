"""What a sweep point costs against a reference point: "a 30-day closure against none".

Every point plays the same replications with the same random streams, so replication r of a
policy at a point and at the reference share their demand and every other disruption: the
difference is paired by replication, and its Student-t interval comes from
:func:`simjit.experiment.statistics.compare`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence

import pandas as pd

from simjit.errors import UsageError
from simjit.experiment.columns import ID_COLUMNS, POLICY, REPLICATION, VARIANT, catalogued
from simjit.experiment.statistics import compare

__all__ = ["REFERENCE_COLUMNS", "sweep_reference_table", "swept_parameters"]

REFERENCE_COLUMNS = ("n", "diff", "ci_low", "ci_high", "p_better")
"""Columns of :func:`sweep_reference_table` after variant, the swept parameters, policy, kpi and reference."""


def swept_parameters(replications: pd.DataFrame) -> list[str]:
    """The swept parameter columns of a replications table (neither ids nor KPIs), in order."""
    return [c for c in replications.columns if c not in ID_COLUMNS and catalogued(c) is None]


def sweep_reference_table(
    replications: pd.DataFrame, kpi: str, reference: str | float, level: float = 0.95
) -> pd.DataFrame:
    """Per sweep point and policy: ``kpi`` there minus ``kpi`` of the same policy at the reference
    point, paired by replication: mean difference, its ``level`` t interval, P(better).

    ``reference`` is a point's variant name (``duration=0``), ``parameter=value`` (``duration=0``
    or the full path; with several swept parameters the others keep each point's values), or a
    bare value of the only swept parameter. The reference point's own rows have a difference of 0.
    """
    if kpi not in replications.columns or catalogued(kpi) is None:
        raise UsageError(f"unknown KPI {kpi!r}{_close(kpi, [c for c in replications.columns if catalogued(c)])}")
    params = swept_parameters(replications)
    if not params:
        raise UsageError("these results are not a sweep (no swept parameter column): there is no point to refer to")
    parameter, value = _reference(replications, params, reference)
    points = replications.drop_duplicates(VARIANT).set_index(VARIANT)[params]
    keys = [POLICY, *(p for p in params if p != parameter)]
    tables = []
    for key, group in replications[[*ID_COLUMNS, *params, kpi]].groupby(keys, sort=False, dropna=False):
        names = list(dict.fromkeys(group.loc[group[parameter].map(lambda x: _same(x, value)), VARIANT]))
        if len(names) != 1:
            fixed = ", ".join(f"{k}={v}" for k, v in zip(keys, key, strict=True))
            raise UsageError(f"no reference point {parameter}={value} among the points with {fixed}")
        tables.append(_versus(group, kpi, names[0], level))
    out = pd.concat(tables, ignore_index=True)
    out = out.join(points, on=VARIANT)
    rank = {name: i for i, name in enumerate(points.index)}
    out = out.sort_values(VARIANT, key=lambda c: c.map(rank), kind="stable")
    return out[[VARIANT, *params, POLICY, "kpi", "reference", *REFERENCE_COLUMNS]].reset_index(drop=True)


def _versus(group: pd.DataFrame, kpi: str, reference: str, level: float) -> pd.DataFrame:
    """One policy's points against its ``reference`` point, paired by replication: the variants
    play the part of the policies :func:`compare` compares with a baseline."""
    roles = pd.DataFrame({VARIANT: "", POLICY: group[VARIANT], REPLICATION: group[REPLICATION], kpi: group[kpi]})
    itself = {POLICY: reference, "kpi": kpi, "n": int(group.loc[group[VARIANT] == reference, kpi].notna().sum()),
              "diff": 0.0, "ci_low": 0.0, "ci_high": 0.0, "p_better": math.nan}  # fmt: skip
    table = pd.concat([pd.DataFrame([itself]), compare(roles, [kpi], reference, level)], ignore_index=True)
    table[VARIANT], table[POLICY], table["reference"] = table[POLICY], group[POLICY].iloc[0], reference
    return table


def _reference(replications: pd.DataFrame, params: Sequence[str], reference: str | float) -> tuple[str, object]:
    """The swept parameter the reference fixes and its value there."""
    variants = list(dict.fromkeys(replications[VARIANT]))
    if isinstance(reference, str) and reference in variants:
        if len(params) > 1:
            raise UsageError(
                f"{reference!r} fixes every swept parameter; name the one to refer to, e.g. {params[0]}=VALUE"
            )
        return params[0], replications.loc[replications[VARIANT] == reference, params[0]].iloc[0]
    if isinstance(reference, str) and "=" in reference:
        name, text = (s.strip() for s in reference.split("=", 1))
        matches = [p for p in params if p == name or p.endswith("." + name)]
        if len(matches) != 1:
            raise UsageError(
                f"{name!r} names {'no' if not matches else 'more than one'} swept parameter{_close(name, params)}"
            )
        return matches[0], _value_of(replications[matches[0]], text, matches[0])
    if len(params) > 1:
        raise UsageError(f"the sweep varies {', '.join(params)}; say which: PARAMETER=VALUE")
    return params[0], _value_of(
        replications[params[0]], str(reference) if isinstance(reference, str) else reference, params[0]
    )


def _value_of(column: pd.Series, wanted: str | float, parameter: str) -> object:
    """The value of ``column`` that ``wanted`` (a number or its text) names."""
    values = list(dict.fromkeys(column))
    for value in values:
        if _same(value, wanted):
            return value
    shown = ", ".join(map(str, values))
    raise UsageError(f"{parameter}={wanted} is not a point of the sweep; its values are {shown}")


def _same(value: object, wanted: object) -> bool:
    """Equal as numbers when both read as numbers (``30`` and ``30.0``), else as text; a point
    that sets a field to null (``--vary …backup=null,local``) is stored as a missing value."""
    if _null(value) or _null(wanted):
        return _null(value) and _null(wanted)
    try:
        return math.isclose(float(value), float(wanted), rel_tol=1e-12, abs_tol=1e-12)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value) == str(wanted)


def _null(value: object) -> bool:
    """A missing value (None, or NaN: a scenario holds no NaN), or YAML's null as written."""
    if isinstance(value, str):
        return value.strip() in ("null", "Null", "NULL", "~")
    return value is None or (isinstance(value, float) and math.isnan(value))


def _close(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
