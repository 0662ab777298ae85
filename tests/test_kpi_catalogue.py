"""The KPI catalogue is the one place KPIs are declared: the docs are generated from it, the ledger
computes exactly its names, and every entry says its unit, table group and better direction."""

from __future__ import annotations

from pathlib import Path

import pytest

from simjit.experiment.columns import LOWER_IS_BETTER, better, sums_unlike_units
from simjit.model import run_replication
from simjit.model.catalogue import CATALOGUE, GROUPS, KPIS, kpi, kpi_markdown
from simjit.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "kpis.md"
BRAKE = ROOT / "scenarios" / "brake_plant.yaml"
REGENERATE = (
    """python -c "from simjit.model.catalogue import kpi_markdown; print(kpi_markdown(), end='')" > docs/kpis.md"""
)


def test_docs_are_generated_from_the_catalogue() -> None:
    assert DOCS.is_file(), f"docs/kpis.md is missing; generate it: {REGENERATE}"
    assert DOCS.read_text(encoding="utf-8") == kpi_markdown(), (
        f"docs/kpis.md differs from the KPI catalogue (simjit/model/catalogue.py); regenerate it: {REGENERATE}"
    )


@pytest.fixture(scope="module")
def brake_kpis() -> dict[str, float]:
    return run_replication(load_scenario(BRAKE), "jit", 0)


def test_the_ledger_reports_exactly_the_catalogue(brake_kpis: dict[str, float]) -> None:
    network = [name for name in brake_kpis if "/" not in name]
    assert sorted(set(KPIS) - set(network)) == [], "catalogue KPIs the ledger does not report"
    assert sorted(set(network) - set(KPIS)) == [], "network KPIs the catalogue does not declare"
    assert len(network) == len(set(network))


def test_every_stock_point_column_is_a_catalogue_kpi(brake_kpis: dict[str, float]) -> None:
    points = [name for name in brake_kpis if "/" in name]
    assert points, "the ledger reports no per-stock-point columns"
    assert {name.rsplit(".", 1)[1] for name in points} <= set(KPIS)


def test_entries_take_their_values_from_the_allowed_sets() -> None:
    allowed_units = {"money", "units", "days", "ratio", "variance ratio", "orders", "per year"}
    allowed_networks = {
        "sum", "sum of customer-facing", "pooled", "worst", "any customer-facing", "network ratio", "events",
        "supplier orders",
    }  # fmt: skip
    assert len(KPIS) == len(set(KPIS)), "a KPI is declared twice"
    for entry in CATALOGUE:
        assert entry.unit in allowed_units, entry
        assert entry.group in GROUPS, entry
        assert entry.better in ("lower", "higher", None), entry
        assert entry.network in allowed_networks, entry
        assert entry.definition.strip() and entry.name.isidentifier(), entry
    assert set(GROUPS) == {"profit", "cost", "cash", "service", "resilience", "stock and orders"}
    assert all(any(e.group == g for e in CATALOGUE) for g in GROUPS), "a group without KPIs"


def test_the_results_tables_read_the_better_direction_from_the_catalogue() -> None:
    assert {"time_to_survive", "time_to_recover", "units_short", "backup_units", "expedited_units"} <= set(KPIS)
    assert kpi("time_to_survive").better == "higher" and kpi("time_to_survive").group == "resilience"
    assert {e.name for e in CATALOGUE if e.better == "lower"} == LOWER_IS_BETTER
    for entry in CATALOGUE:
        assert better(entry.name) == better(f"dc/brake.{entry.name}") == entry.better
    assert better("not_a_kpi") is None


def test_no_policy_is_better_on_a_sum_of_unlike_units() -> None:
    brake = load_scenario(BRAKE)
    assert sums_unlike_units("avg_on_hand", brake), "pads, calipers and brakes"
    assert not sums_unlike_units("avg_on_hand_value", brake), "money adds up"
    assert not sums_unlike_units("avg_backorders", brake), "only dc/brake has customers"
    assert not sums_unlike_units("plant/pad.avg_on_hand", brake), "one stock point, one item"
    shop = load_scenario(ROOT / "scenarios" / "textbook_shop.yaml")
    assert not sums_unlike_units("avg_on_hand", shop), "one item"
