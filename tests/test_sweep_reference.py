"""The paired difference of every sweep point against a reference point, per policy, checked by
hand against the replications table: mean, Student-t interval, P(better)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from simjit.errors import UsageError
from simjit.experiment import Plan, execute, sweep_reference_table, sweep_variants

ROOT = Path(__file__).resolve().parents[1]
TEXTBOOK = ROOT / "scenarios" / "textbook_shop.yaml"
LEAD = "suppliers.wholesaler.lead_time"
ORDER_COST = "costs.order_cost"
SHORT = ["replications=5", "horizon=150", "warmup=10"]


def play(tmp: Path, vary: list[str]) -> pd.DataFrame:
    base, variants = sweep_variants(TEXTBOOK, vary, SHORT)
    return execute(Plan(tuple(variants), ("eoq", "s_S"), base.replications), tmp).results()


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return play(tmp_path_factory.mktemp("lead"), [f"{LEAD}=2,5,8"])


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return play(tmp_path_factory.mktemp("grid"), [f"{LEAD}=2,5", f"{ORDER_COST}=50,100"])


def by_hand(table: pd.DataFrame, policy: str, point: str, reference: str, kpi: str) -> tuple[float, ...]:
    """Mean of the paired differences, its 95% t interval and the share below 0 (lower is better)."""
    mine = table[table["policy"] == policy].set_index(["variant", "replication"])[kpi]
    d = (mine.loc[point] - mine.loc[reference]).to_numpy()
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / math.sqrt(len(d))
    return d.mean(), d.mean() - half, d.mean() + half, float((d < 0).mean())


def test_each_point_against_the_reference_by_hand(sweep: pd.DataFrame) -> None:
    table = sweep_reference_table(sweep, "total_cost", "lead_time=5")
    assert list(table.columns) == ["variant", LEAD, "policy", "kpi", "reference", "n", "diff", "ci_low", "ci_high",
                                   "p_better"]  # fmt: skip
    assert list(zip(table["variant"], table["policy"], strict=True)) == [
        (f"lead_time={v}", p) for v in (2, 5, 8) for p in ("eoq", "s_S")
    ]
    assert set(table["reference"]) == {"lead_time=5"} and (table["n"] == 5).all()
    checked = 0
    for row in table.itertuples(index=False):
        if row.variant == "lead_time=5":
            assert (row.diff, row.ci_low, row.ci_high) == (0.0, 0.0, 0.0) and math.isnan(row.p_better)
            continue
        assert (row.diff, row.ci_low, row.ci_high, row.p_better) == pytest.approx(
            by_hand(sweep, row.policy, row.variant, "lead_time=5", "total_cost"), rel=1e-9
        )
        checked += 1
    assert checked == 4


@pytest.mark.parametrize("reference", ["lead_time=5", f"{LEAD}=5", "5", 5, 5.0, " lead_time = 5.0"])
def test_the_reference_can_be_named_several_ways(sweep: pd.DataFrame, reference: str | float) -> None:
    expected = sweep_reference_table(sweep, "fill_rate", "lead_time=5")
    pd.testing.assert_frame_equal(sweep_reference_table(sweep, "fill_rate", reference), expected)


def test_with_two_parameters_the_other_keeps_its_value(grid: pd.DataFrame) -> None:
    table = sweep_reference_table(grid, "total_cost", "lead_time=2")
    assert len(table) == 4 * 2
    row = table[(table["variant"] == "lead_time=5, order_cost=100") & (table["policy"] == "s_S")].iloc[0]
    assert row["reference"] == "lead_time=2, order_cost=100" and row[ORDER_COST] == 100 and row[LEAD] == 5
    assert (row["diff"], row["ci_low"], row["ci_high"], row["p_better"]) == pytest.approx(
        by_hand(grid, "s_S", "lead_time=5, order_cost=100", "lead_time=2, order_cost=100", "total_cost")
    )


@pytest.mark.parametrize(
    ("reference", "kpi", "message"),
    [
        ("lead_time=4", "total_cost", rf"{LEAD}=4 is not a point of the sweep; its values are 2, 5, 8"),
        ("lead=5", "total_cost", r"'lead' names no swept parameter"),
        ("5", "total_cots", r"unknown KPI 'total_cots'; did you mean 'total_cost'\?"),
        ("5", LEAD, rf"unknown KPI '{LEAD}'"),
    ],
)
def test_bad_references_and_kpis(sweep: pd.DataFrame, reference: str, kpi: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        sweep_reference_table(sweep, kpi, reference)


def test_two_parameters_need_the_one_to_refer_to(grid: pd.DataFrame) -> None:
    with pytest.raises(UsageError, match=r"the sweep varies .*lead_time, .*order_cost; say which"):
        sweep_reference_table(grid, "total_cost", 2)
    with pytest.raises(UsageError, match=r"fixes every swept parameter; name the one to refer to"):
        sweep_reference_table(grid, "total_cost", "lead_time=2, order_cost=50")


def test_a_plain_run_has_no_reference_point(sweep: pd.DataFrame) -> None:
    plain = sweep.drop(columns=[LEAD])
    with pytest.raises(UsageError, match=r"not a sweep"):
        sweep_reference_table(plain, "total_cost", "5")
    assert np.isfinite(sweep_reference_table(sweep, "total_cost", 2)["diff"]).all()


def test_a_point_swept_as_null_can_be_the_reference(tmp_path: Path) -> None:
    """A value swept as YAML null (no capacity limit; no backup supplier) is missing in the table,
    and still names its point: `--vary …capacity=null,18 --reference capacity=null`."""
    capacity = "suppliers.wholesaler.capacity"
    table = play(tmp_path, [f"{capacity}=null,18"])
    assert table[capacity].isna().sum() == len(table) // 2
    for reference in ("capacity=null", "capacity=~", f"{capacity}=null"):
        versus = sweep_reference_table(table, "fill_rate", reference).set_index(["variant", "policy"])
        assert versus.loc[("capacity=null", "eoq"), "diff"] == 0.0
        expected = by_hand(table, "eoq", "capacity=18", "capacity=null", "fill_rate")
        assert versus.loc[("capacity=18", "eoq"), "diff"] == pytest.approx(expected[0])
        assert versus.loc[("capacity=18", "eoq"), "diff"] < 0, "18 a day against a demand of 20"


def test_a_point_that_sets_a_field_to_null_can_be_the_reference(tmp_path: Path) -> None:
    """``--vary …backup=null,spare --reference backup=null``: the null point is stored as a missing
    value, and named by its variant or by ``null``."""
    data = {
        "name": "dual", "horizon": 60, "replications": 3,
        "items": {"x": {"unit_cost": 1.0}},
        "suppliers": {"v": {"supplies": ["x"], "lead_time": 3, "disruptions": [{"start": 10, "duration": 20}]},
                      "spare": {"supplies": ["x"], "lead_time": 1, "price_premium": 0.5}},
        "sites": {"shop": {"stock": {"x": {"source": "v", "backup": "spare"}}}},
        "demand": [{"at": "shop/x", "per_day": {"poisson": 5}}],
        "policies": {"p": {"default": {"base_stock": {"level": 20}}}},
    }  # fmt: skip
    scenario = tmp_path / "dual.yaml"
    scenario.write_text(yaml.safe_dump(data), encoding="utf-8")
    base, variants = sweep_variants(scenario, ["sites.shop.stock.x.backup=null,spare"], [])
    played = execute(Plan(tuple(variants), ("p",), base.replications), tmp_path / "out").results()
    for reference in ("backup=null", "sites.shop.stock.x.backup=null", "null", "backup=~"):
        table = sweep_reference_table(played, "purchase_cost", reference).set_index("variant")
        assert table.loc["backup=null", "diff"] == 0.0 and table.loc["backup=spare", "diff"] > 0
    back = sweep_reference_table(played, "purchase_cost", "backup=spare").set_index("variant")
    assert back.loc["backup=null", "diff"] < 0
