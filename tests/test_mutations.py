"""Random mutations of a valid scenario (numbers, signs, lists, names) through `validate` and `run`:
exit 0 with finite, in-range KPIs, or exit 2 with a located message — never a traceback, never a
negative wait or time."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simjit.cli import main

SHOP = Path(__file__).resolve().parent.parent / "scenarios" / "brake_plant.yaml"
BASE: dict[str, Any] = yaml.safe_load(SHOP.read_text(encoding="utf-8"))
NON_NEGATIVE = ("avg_customer_wait", "time_to_survive", "time_to_recover", "avg_on_hand", "avg_backorders",
                "lost_sales", "total_cost", "orders_placed", "days_short", "days_empty")  # fmt: skip
SHARES = ("fill_rate", "cycle_service_level")


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value of the document (mappings, list items and scalars)."""
    out = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _leaves(value, (*path, i))
    return out


PATHS = [p for p in _leaves(BASE) if p[0] not in ("name", "description")]

values = st.one_of(
    st.integers(-1000, 10_000),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.sampled_from([0, 0.0, -1, 1e12, 1e13, -0.5, 1.5, 1e-300]),
    st.sampled_from(["", "x", "pads_asia", "dc", "plant/brake", "nope/nope", "[draft]", "1e9"]),
    st.lists(st.integers(-5, 50), max_size=3),
    st.just({}),
    st.just(None),
)


scales = st.tuples(st.just("scale"), st.sampled_from([0, -1, -0.01, 0.001, 0.5, 2, 10, 1e4, 1e9]))
"""Numbers made larger, smaller, zero or negative: the mutations that most often still validate and run."""
replaces = st.tuples(st.just("replace"), values)


def _set(doc: Any, path: tuple[Any, ...], change: tuple[str, Any]) -> None:
    for part in path[:-1]:
        doc = doc[part]
    how, value = change
    old = doc[path[-1]]
    if how == "scale":
        if isinstance(old, bool) or not isinstance(old, int | float):
            return
        value = old * value
    doc[path[-1]] = value


def _check_run(directory: Path) -> None:
    table = pd.read_parquet(directory / "replications.parquet")
    for column in table.columns:
        if column in ("variant", "policy", "replication"):
            continue
        values = table[column].astype(float)
        assert not values.isin([math.inf, -math.inf]).any(), column
        kpi = column.rsplit(".", 1)[-1]
        if kpi in NON_NEGATIVE:
            assert (values.dropna() >= -1e-9).all(), column
        if kpi in SHARES:
            assert values.dropna().between(-1e-9, 1 + 1e-9).all(), column


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    mutations=st.lists(st.tuples(st.sampled_from(PATHS), st.one_of(scales, scales, replaces)), min_size=1, max_size=3)
)
def test_a_mutated_scenario_runs_or_is_refused_with_a_located_message(
    tmp_path_factory: pytest.TempPathFactory, mutations: list[tuple[tuple[Any, ...], tuple[str, Any]]],
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    folder = tmp_path_factory.mktemp("mutant")
    doc = yaml.safe_load(SHOP.read_text(encoding="utf-8"))
    for path, change in mutations:
        try:
            _set(doc, path, change)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the parent: nothing to change
    scenario = folder / "mutant.yaml"
    scenario.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    short = ["--set", "horizon=40", "--set", "warmup=5"]
    code = main(["validate", str(scenario), "--quiet"])
    said = capsys.readouterr()
    assert code in (0, 2), said.err
    if code == 2:
        assert said.err.startswith("error:") and "mutant.yaml" in said.err, said.err
        return
    code = main(["run", str(scenario), "-n", "1", "--workers", "1", "-o", str(folder / "out"), "--quiet", *short])
    said = capsys.readouterr()
    assert code in (0, 1, 2), said.err
    if code == 2:
        assert said.err.startswith("error:"), said.err
        assert "mutant.yaml" in said.err or "--set" in said.err, said.err
    elif code == 1:  # a task failed: named with its policy and replication, never a crash of the run
        assert "tasks failed" in said.err and "policy" in said.err, said.err
    else:
        _check_run(folder / "out")
