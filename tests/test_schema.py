"""The JSON Schema that ``simjit schema`` prints: valid, described, and in step with the loader."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import simjit
from simjit.cli import main
from simjit.scenario import DISTRIBUTION_KINDS, FORECAST_KINDS, POLICY_KINDS

ROOT = Path(__file__).resolve().parents[1]
INVALID = Path(__file__).parent / "scenarios" / "invalid"
EVERY_KIND = Path(__file__).parent / "scenarios" / "valid" / "every_kind.yaml"
VALID = [*sorted((ROOT / "scenarios").glob("*.yaml")), EVERY_KIND]

SCHEMA_LEVEL = {
    # mistakes of shape, type, range, name or kind: an editor with the schema underlines them as you type
    "backup_rule_mistakes",
    "defect_rate_one",
    "demand_at_without_item",
    "demand_signal_misspelt",
    "distribution_without_parameters",
    "gamma_without_sd",
    "kanban_missing_and_misspelt",
    "lognormal_without_sd",
    "mean_sd_without_kind",
    "missing_required_field",
    "misspelt_top_level_key",
    "negative_binomial_without_sd",
    "negative_cost",
    "negative_times_and_quantities",
    "infinite_horizon",  # above the largest number a scenario holds
    "normal_without_sd",
    "on_stockout_unknown",
    "oracle_with_parameters",
    "policy_as_plain_word",
    "probability_above_one",
    "quoted_number",
    "service_level_as_percent",
    "several_field_mistakes",
    "text_for_number",
    "top_level_list",
    "unknown_distribution_kind",
    "unknown_forecast",
    "unknown_key_near_miss",
    "unknown_policy_kind",
    "weekly_six_days",
}
BEYOND_SCHEMA = {
    # relations between fields, names that must exist elsewhere, files: only the loader sees these
    "backup_is_source",
    "backup_unknown_supplier",
    "baseline_not_a_policy",
    "bom_item_not_stocked",
    "demand_at_unknown_stock_point",
    "demand_signal_without_customers",
    "demand_signal_without_forecast",
    "disruption_without_start_or_mtbf",
    "event_line_without_site",
    "expedite_from_a_site",
    "yield_zero",
    "negative_binomial_underdispersed",
    "order_up_to_two_targets",
    "per_day_and_arrivals",
    "s_not_below_S",
    "several_reference_mistakes",
    "source_cycle",
    "supplier_does_not_supply_item",
    "trace_file_missing",
    "trace_not_a_number",
    "triangular_out_of_order",
    "uniform_lo_above_hi",
    "unknown_event_target",
    "unknown_supplier_as_source",
    "warmup_not_below_horizon",
    "fraction_above_one",
    "names_not_unique",
    "trace_outside_the_folder",
    "horizon_beyond_memory",
    "duplicate_key",  # yaml.safe_load silently keeps the last value
    # valid files made invalid by --set
    "set_no_such_entry",
    "set_not_an_assignment",
    "set_probability_above_one",
    "set_unknown_field",
    "set_unknown_source",
}
NOT_PLAIN_DATA = {
    # the YAML itself is the mistake; there is no document to hold against a schema
    "alias_bomb",
    "merge_key_bomb",
    "cyclic_alias",
    "empty",
    "only_comments",
    "not_utf8",
    "python_object_tag",
    "second_document",
    "tab_indentation",
    "yaml_syntax_error",
}


@pytest.fixture(scope="module")
def printed() -> dict[str, Any]:
    """The schema as the command prints it, from a separate process."""
    run = subprocess.run(
        [sys.executable, "-m", "simjit", "schema"], capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def validator(printed: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(printed)


def test_the_printed_schema_is_a_valid_draft_2020_12_schema(printed: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(printed)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert printed["title"] == "simjit scenario"
    assert printed == json.loads(json.dumps(simjit.scenario_schema()))


def test_schema_writes_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "scenario.schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(json.dumps(simjit.scenario_schema()))
    assert f"wrote {target}" in capsys.readouterr().err


def _walk(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = [("", schema)]
    found += [(f"$defs.{name}", d) for name, d in schema.get("$defs", {}).items()]
    return found


def test_every_field_and_part_is_described(printed: dict[str, Any]) -> None:
    undescribed = []
    for where, part in _walk(printed):
        if "properties" in part and "description" not in part and where:
            undescribed.append(where)
        for name, prop in part.get("properties", {}).items():
            if not prop.get("description"):
                undescribed.append(f"{where}.{name}")
    assert not undescribed


@pytest.mark.parametrize("kind", ["normal", "lognormal", "gamma", "negative_binomial", "weibull"])
def test_a_spread_is_required_where_the_loader_requires_it(printed: dict[str, Any], kind: str) -> None:
    spec = printed["$defs"][kind.title().replace("_", "")]["properties"][kind]
    params = printed["$defs"][spec["$ref"].removeprefix("#/$defs/")]
    assert set(params["required"]) == {"mean", "sd"}
    assert "default" not in params["properties"]["sd"]


def test_unknown_fields_are_refused_everywhere(printed: dict[str, Any]) -> None:
    open_objects = [
        w for w, part in _walk(printed) if "properties" in part and part.get("additionalProperties") is not False
    ]
    assert not open_objects


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_the_schema_accepts_every_valid_scenario(path: Path, validator: jsonschema.Draft202012Validator) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(data)]
    assert not errors
    simjit.load_scenario(path)  # and so does the loader


def _keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return {str(k) for k in node} | {k for v in node.values() for k in _keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in _keys(v)}
    return {node} if isinstance(node, str) else set()


def test_the_every_kind_scenario_writes_every_kind() -> None:
    used = _keys(yaml.safe_load(EVERY_KIND.read_text(encoding="utf-8")))
    kinds = {*DISTRIBUTION_KINDS, *POLICY_KINDS, *FORECAST_KINDS} - {"constant"}
    assert kinds - used == set()


def test_the_invalid_files_are_sorted_into_exactly_one_group() -> None:
    stems = {p.stem for p in INVALID.glob("*.yaml")}
    groups = [SCHEMA_LEVEL, BEYOND_SCHEMA, NOT_PLAIN_DATA]
    assert set().union(*groups) == stems
    assert sum(len(g) for g in groups) == len(stems)


@pytest.mark.parametrize("name", sorted(SCHEMA_LEVEL))
def test_the_schema_rejects_schema_level_mistakes(name: str, validator: jsonschema.Draft202012Validator) -> None:
    data = yaml.safe_load((INVALID / f"{name}.yaml").read_text(encoding="utf-8"))
    assert not validator.is_valid(data)


@pytest.mark.parametrize("name", sorted(BEYOND_SCHEMA))
def test_the_schema_accepts_what_only_the_loader_can_catch(
    name: str, validator: jsonschema.Draft202012Validator
) -> None:
    # if the schema learns to catch one of these, move it to SCHEMA_LEVEL
    data = yaml.safe_load((INVALID / f"{name}.yaml").read_text(encoding="utf-8"))
    assert validator.is_valid(data)
