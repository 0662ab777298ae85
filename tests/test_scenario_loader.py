"""Loading scenario files: the bundled examples, YAML safety, positions, and ``--set`` overrides."""

from __future__ import annotations

import math
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

import simjit
from simjit import Problem, Scenario, ScenarioError
from simjit.scenario import OnStockout, WaitUpTo, distribution_mean, distribution_sd, yaml_nodes

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))
EVERY_KIND = Path(__file__).parent / "scenarios" / "valid" / "every_kind.yaml"

SHOP = """\
name: Corner shop
horizon: 365
items:
  lamp: {unit_cost: 10}
suppliers:
  wholesaler:
    supplies: [lamp]
    lead_time: 5
sites:
  shop:
    stock:
      lamp: {source: wholesaler}
demand:
  - at: shop/lamp
    per_day: {poisson: 20}
policies:
  eoq: {default: {eoq: {}}}
"""


def value_at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def write(tmp_path: Path, text: str | bytes, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def error(path: Path, *sets: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        simjit.load_scenario(path, sets)
    return info.value


def only(path: Path, *sets: str) -> Problem:
    problems = error(path, *sets).problems
    assert len(problems) == 1, problems
    return problems[0]


# --- the bundled scenarios ---------------------------------------------------------------------------


def test_the_bundled_scenarios_include_the_teaching_examples() -> None:
    assert {"brake_plant", "textbook_shop", "coffee_shop"} <= {p.stem for p in BUNDLED}


@pytest.mark.parametrize("path", [*BUNDLED, EVERY_KIND], ids=lambda p: p.stem)
def test_bundled_scenarios_load_into_frozen_models(path: Path) -> None:
    s = simjit.load_scenario(path)
    assert isinstance(s, Scenario)
    assert s.stock_points() and s.policies
    assert s.baseline_policy in s.policies
    with pytest.raises(ValidationError):
        s.horizon = 1  # type: ignore[misc]
    assert simjit.load_scenario(str(path)) == s


def test_the_textbook_shop_is_the_textbook_setting() -> None:
    s = simjit.load_scenario(ROOT / "scenarios" / "textbook_shop.yaml")
    assert len(s.items) == len(s.suppliers) == len(s.stock_points()) == len(s.demand) == 1
    (supplier,) = s.suppliers.values()
    assert isinstance(supplier.lead_time, float)  # a constant lead time
    (d,) = s.demand
    assert type(d.per_day).__name__ == "Poisson"
    assert {"eoq", "r_Q", "s_S", "base_stock"} <= set(s.policies)
    # the r_Q set reorders at lead-time demand plus 1.645 σ of Poisson lead-time demand, with Q = EOQ
    lead_time_demand = distribution_mean(d.per_day) * supplier.lead_time
    rq = s.policies["r_Q"].default.r_Q  # type: ignore[union-attr]
    assert rq.reorder_point == pytest.approx(lead_time_demand + 1.645 * math.sqrt(lead_time_demand), abs=1)
    item = s.items["lamp"]
    eoq = math.sqrt(
        2 * distribution_mean(d.per_day) * 365 * s.costs.order_cost / (s.costs.holding_rate * item.unit_cost)
    )
    assert rq.order_quantity == pytest.approx(eoq, abs=1)


def test_the_coffee_shop_has_perishables_patience_and_weekly_seasons() -> None:
    s = simjit.load_scenario(ROOT / "scenarios" / "coffee_shop.yaml")
    assert all(item.shelf_life for item in s.items.values())
    rules = {d.at: d.on_stockout for d in s.demand}
    assert rules["cafe/beans"] == OnStockout.lost
    assert isinstance(rules["cafe/milk"], WaitUpTo)
    for d in s.demand:
        assert d.seasonality is not None and d.seasonality.weekly is not None
        assert sum(d.seasonality.weekly) / 7 == pytest.approx(1.0)
    kinds = {next(iter(type(p.default).model_fields)) for p in s.policies.values() if p.default is not None}
    assert {"kanban", "eoq", "safety_stock"} <= kinds


def test_merge_keys_merge_and_explicit_keys_win() -> None:
    s = simjit.load_scenario(EVERY_KIND)
    bolts, grease = s.suppliers["bolts_inc"], s.suppliers["grease_shop"]
    assert grease.on_time == bolts.on_time == 0.99 and grease.capacity == bolts.capacity
    assert grease.supplies == ["grease"] and grease.price == 4.5 and bolts.price == 0.09


# --- reading the file ----------------------------------------------------------------------------------


def test_a_missing_file(tmp_path: Path) -> None:
    p = only(tmp_path / "nope.yaml")
    assert (p.message, p.hint, p.line) == ("no such file", "check the path and the current directory", None)


def test_a_directory(tmp_path: Path) -> None:
    assert only(tmp_path).message == "this is a directory, not a scenario file"


@pytest.mark.parametrize("text", [b"", b"   \n\n", b"# only a comment\n", b"\xef\xbb\xbf"])
def test_an_empty_file(tmp_path: Path, text: bytes) -> None:
    assert only(write(tmp_path, text)).message.startswith("the file is empty; a scenario needs at least name")


def test_a_file_that_is_not_utf8_is_located(tmp_path: Path) -> None:
    p = only(write(tmp_path, SHOP.replace("Corner shop", "Café").encode("latin-1")))
    assert (p.line, p.column, p.message, p.hint) == (
        1,
        10,
        "the file is not UTF-8 text (byte 0xe9)",
        "save it as UTF-8",
    )


def test_a_utf8_byte_order_mark_is_fine(tmp_path: Path) -> None:
    assert simjit.load_scenario(write(tmp_path, b"\xef\xbb\xbf" + SHOP.encode())).name == "Corner shop"


def test_a_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, SHOP.encode() + b"#" * (10 * 1024 * 1024))
    assert "a scenario is at most 10,485,760" in only(path).message


@pytest.mark.parametrize(
    ("text", "found"),
    [("- name: x\n", "a list"), ("just words\n", "a text"), ("42\n", "a number"), ("true\n", "true/false")],
)
def test_the_top_level_must_be_a_mapping(tmp_path: Path, text: str, found: str) -> None:
    p = only(write(tmp_path, "# a comment first\n" + text))
    assert p.message == f"the top level must be a mapping of fields (name:, horizon:, …), got {found}"
    assert (p.line, p.column) == (2, 1)


def test_two_documents_are_refused(tmp_path: Path) -> None:
    p = only(write(tmp_path, SHOP + "---\nname: again\n"))
    assert p.line == SHOP.count("\n") + 1 and "one YAML document" in p.message


# --- YAML safety -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('!!python/object/apply:os.system ["touch {marker}"]', "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ('!!python/object/new:subprocess.Popen [["touch", "{marker}"]]', "!!python/object/new:subprocess.Popen"),
        ("!env HOME", "!env"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
    ],
)
def test_tags_are_refused_and_nothing_runs(tmp_path: Path, value: str, shown: str) -> None:
    marker = tmp_path / "ran"
    path = write(tmp_path, SHOP.replace("name: Corner shop", "name: " + value.replace("{marker}", str(marker))))
    p = only(path)
    assert (p.field, p.line, p.column) == ("name", 1, 7)
    assert p.message == f"the tag {shown} is not allowed"
    assert p.hint == "scenarios hold plain data only; remove the tag"
    assert not marker.exists()


def test_plain_tags_are_allowed(tmp_path: Path) -> None:
    s = simjit.load_scenario(write(tmp_path, SHOP.replace("horizon: 365", "horizon: !!float 365")))
    assert s.horizon == 365.0


@pytest.mark.parametrize("path", [*BUNDLED, EVERY_KIND], ids=lambda p: p.stem)
def test_libyaml_and_pure_python_read_the_same_data_at_the_same_places(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml composes where PyYAML has it; the pure-Python parser is the fallback: both give one reading."""
    text = path.read_text(encoding="utf-8")
    fast = yaml_nodes.parse_yaml(text, str(path))
    monkeypatch.setattr(yaml_nodes, "_FAST_COMPOSER", yaml.SafeLoader)
    pure = yaml_nodes.parse_yaml(text, str(path))
    assert (fast.data, fast.keys, fast.values.keys()) == (pure.data, pure.keys, pure.values.keys())
    moved = [where for where, at in fast.values.items() if pure.values[where] != at]
    assert all(value_at(fast.data, where) is None for where in moved)  # `key:` left empty: libyaml's column is +1


@pytest.mark.parametrize("composer", ["libyaml", "pure"])
def test_an_exponent_is_a_number_unless_quoted(composer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if composer == "pure":
        monkeypatch.setattr(yaml_nodes, "_FAST_COMPOSER", yaml.SafeLoader)
    assert yaml_nodes.parse_yaml("a: 1e9\nb: '1e9'\nc: 2.5E-3\n", "f").data == {"a": 1e9, "b": "1e9", "c": 0.0025}


def test_a_date_is_text_not_a_timestamp(tmp_path: Path) -> None:
    p = only(write(tmp_path, SHOP.replace("horizon: 365", "horizon: 2026-12-31")))
    assert p.message == "expected a number, got '2026-12-31'"


def test_duplicate_keys_are_all_reported_with_both_lines(tmp_path: Path) -> None:
    text = SHOP.replace("    lead_time: 5\n", "    lead_time: 5\n    lead_time: 7\n") + "policies:\n  jit: {}\n"
    problems = error(write(tmp_path, text)).problems
    assert [(p.field, p.line, p.column, p.message) for p in problems] == [
        ("suppliers.wholesaler.lead_time", 9, 5, "duplicate key 'lead_time' (first given on line 8)"),
        ("policies", 19, 1, "duplicate key 'policies' (first given on line 17)"),
    ]
    assert all(p.hint == "keep one of them" for p in problems)


def test_merge_keys_do_not_count_as_duplicates(tmp_path: Path) -> None:
    text = SHOP.replace(
        "  wholesaler:\n    supplies: [lamp]\n    lead_time: 5\n",
        "  wholesaler: &w\n    supplies: [lamp]\n    lead_time: 5\n  backup:\n    <<: *w\n    lead_time: 9\n",
    )
    s = simjit.load_scenario(write(tmp_path, text))
    assert s.suppliers["backup"].lead_time == 9 and s.suppliers["backup"].supplies == ["lamp"]


def test_an_error_in_merged_values_points_at_the_anchor(tmp_path: Path) -> None:
    text = SHOP.replace(
        "  wholesaler:\n    supplies: [lamp]\n    lead_time: 5\n",
        "  wholesaler: &w\n    supplies: [lamp]\n    on_time: 1.5\n  backup:\n    <<: *w\n",
    )
    problems = error(write(tmp_path, text)).problems
    assert [(p.field, p.line, p.column) for p in problems] == [
        ("suppliers.wholesaler.on_time", 8, 14),
        ("suppliers.backup.on_time", 8, 14),
    ]


def test_a_merge_key_takes_mappings(tmp_path: Path) -> None:
    p = only(write(tmp_path, SHOP.replace("  lamp: {unit_cost: 10}", "  lamp: {<<: 3, unit_cost: 10}")))
    assert (p.field, p.message) == ("items.lamp", "a merge key (<<) takes a mapping or a list of mappings")


BILLION_LAUGHS = "".join(
    f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join([f'*{chr(96 + i)}'] * 10) if i else '1, 2, 3, 4, 5, 6, 7, 8, 9, 10'}]\n"
    for i in range(9)
)


def test_an_alias_bomb_fails_fast_and_clearly(tmp_path: Path) -> None:
    path = write(tmp_path, BILLION_LAUGHS)
    start = time.perf_counter()
    p = only(path)
    assert time.perf_counter() - start < 5.0
    assert p.message == "the document expands to more than 200,000 values"
    assert p.hint is not None and p.hint.startswith("an alias bomb?")


def test_aliases_within_reason_are_fine(tmp_path: Path) -> None:
    text = SHOP.replace(
        "    per_day: {poisson: 20}\n",
        "    per_day: {poisson: 20}\n"
        "    seasonality: {weekly: &week [1, 1, 1, 1, 1.2, 0.6, 0.2]}\n"
        "  - {at: shop/lamp, per_day: 3, seasonality: {weekly: *week}}\n",
    )
    s = simjit.load_scenario(write(tmp_path, text))
    assert s.demand[0].seasonality == s.demand[1].seasonality
    assert s.demand[1].seasonality.weekly[4] == 1.2  # type: ignore[union-attr,index]


def test_a_cyclic_alias_is_refused_where_it_is_used(tmp_path: Path) -> None:
    p = only(write(tmp_path, "name: x\nitems: &i\n  lamp: {unit_cost: 1, again: *i}\n"))
    assert (p.field, p.line, p.column) == ("items.lamp.again", 3, 24)
    assert p.message == "an alias refers to a value that contains it (a cycle)"


# --- positions ----------------------------------------------------------------------------------------


def test_positions_point_at_the_value_or_at_the_unknown_key(tmp_path: Path) -> None:
    text = SHOP.replace("    lead_time: 5\n", "    lead_time: -5\n    lead_tme: 5\n").replace(
        "{poisson: 20}", "{poisson: twenty}"
    )
    problems = error(write(tmp_path, text)).problems
    assert [(p.field, p.line, p.column) for p in problems] == [
        ("suppliers.wholesaler.lead_time", 8, 16),  # the value -5
        ("suppliers.wholesaler.lead_tme", 9, 5),  # the key
        ("demand[0].per_day.poisson", 16, 24),  # inside a flow mapping in a list
    ]


def test_a_missing_field_points_at_the_mapping_that_lacks_it(tmp_path: Path) -> None:
    p = only(write(tmp_path, SHOP.replace("      lamp: {source: wholesaler}", "      lamp: {initial: 3}")))
    assert (p.field, p.line, p.column, p.message) == (
        "sites.shop.stock.lamp.source",
        12,
        13,
        "this required field is missing",
    )


@pytest.mark.parametrize(("kind", "column"), [("normal", 25), ("lognormal", 28), ("gamma", 24)])
def test_a_spread_left_out_is_a_located_mistake_not_a_constant(tmp_path: Path, kind: str, column: int) -> None:
    path = write(tmp_path, SHOP.replace("lead_time: 5", f"lead_time: {{{kind}: {{mean: 5}}}}"))
    expected = (
        f"{path}:8:{column}: suppliers.wholesaler.lead_time.{kind}.sd: this required field is missing"
        " (the spread; give sd: 0 for a constant)"
    )
    with pytest.raises(ScenarioError, match=f"^{re.escape(expected)}$"):
        simjit.load_scenario(path)


@pytest.mark.parametrize("kind", ["normal", "lognormal", "gamma"])
def test_sd_0_still_says_a_constant(tmp_path: Path, kind: str) -> None:
    path = write(tmp_path, SHOP.replace("lead_time: 5", f"lead_time: {{{kind}: {{mean: 5, sd: 0}}}}"))
    lead_time = simjit.load_scenario(path).suppliers["wholesaler"].lead_time
    assert (distribution_mean(lead_time), distribution_sd(lead_time)) == (5, 0)


# --- --set overrides -------------------------------------------------------------------------------------


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return write(tmp_path, SHOP)


def test_overrides_are_applied(shop: Path) -> None:
    s = simjit.load_scenario(
        shop,
        [
            "horizon=730",
            "demand[0].per_day={poisson: 7}",
            "demand.0.on_stockout=lost",
            "suppliers.wholesaler.on_time=0.9",
            "costs.order_cost=80",  # costs is not in the file: the mapping is created
            "policies.jit={default: {kanban: {containers: 2, container_size: 40}}}",
        ],
    )
    assert s.horizon == 730
    assert distribution_mean(s.demand[0].per_day) == 7  # type: ignore[arg-type]
    assert s.demand[0].on_stockout == OnStockout.lost
    assert s.suppliers["wholesaler"].on_time == 0.9
    assert s.costs.order_cost == 80
    assert list(s.policies) == ["eoq", "jit"]


def test_overrides_leave_the_file_alone(shop: Path) -> None:
    simjit.load_scenario(shop, ["horizon=730"])
    assert simjit.load_scenario(shop).horizon == 365


def test_overridden_values_are_validated_and_named_by_the_override(shop: Path) -> None:
    p = only(shop, "suppliers.wholesaler.on_time=1.5")
    assert p.source == "--set suppliers.wholesaler.on_time=1.5"
    assert (p.field, p.line, p.column) == ("suppliers.wholesaler.on_time", None, None)
    assert p.message == "expected a number <= 1, got 1.5"
    assert p.format(str(shop)).startswith("--set suppliers.wholesaler.on_time=1.5: suppliers.wholesaler.on_time: ")


def test_overrides_are_cross_checked_too(shop: Path) -> None:
    p = only(shop, "baseline=jit")
    assert (p.source, p.field, p.message) == ("--set baseline=jit", "baseline", "unknown policy set 'jit'")
    assert p.hint == "known policy sets: eoq"


def test_problems_from_the_file_and_from_overrides_come_together(tmp_path: Path) -> None:
    path = write(tmp_path, SHOP.replace("lead_time: 5", "lead_time: -5"))
    problems = error(path, "horizon=-1").problems
    assert [(p.source, p.line, p.field) for p in problems] == [
        (None, 8, "suppliers.wholesaler.lead_time"),
        ("--set horizon=-1", None, "horizon"),
    ]


@pytest.mark.parametrize(
    ("assignment", "field", "message"),
    [
        ("horizon", "", "expected dotted.path=value"),
        ("demand[3].at=shop/lamp", "demand[3]", "there is no such entry to change"),
        ("name.first=x", "name.first", "there is no such entry to change"),
        ("a..b=1", "a..b", "cannot read this path: empty part in 'a..b'"),
        ("horizon=[1", "horizon", "cannot read the value '[1' as YAML: expected ',' or ']', but got '<stream end>'"),
    ],
)
def test_malformed_overrides(shop: Path, assignment: str, field: str, message: str) -> None:
    p = only(shop, assignment)
    assert (p.source, p.field, p.message) == (f"--set {assignment}", field, message)
    assert error(shop, assignment).file == str(shop)


def test_an_override_cannot_smuggle_in_a_python_object(shop: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    p = only(shop, f'name=!!python/object/apply:os.system ["touch {marker}"]')
    assert p.message == "the tag !!python/object/apply:os.system is not allowed"  # as in a file
    assert not marker.exists()


def test_a_misspelt_name_in_an_override_is_blamed_on_the_override() -> None:
    from simjit import ScenarioError, load_scenario

    brake = Path(__file__).resolve().parent.parent / "scenarios" / "brake_plant.yaml"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(brake, ["suppliers.pads_asiax.lead_time=5"])
    assert all(p.source == "--set suppliers.pads_asiax.lead_time=5" for p in caught.value.problems)


def test_load_scenario_takes_a_path_yaml_text_or_a_mapping(tmp_path: Path) -> None:
    """The public entry point: a file, the same YAML as text, or the mapping safe_load gives — one scenario."""
    text = (
        "name: tiny\nhorizon: 10\nitems: {x: {unit_cost: 1}}\nsuppliers: {v: {supplies: [x], lead_time: 1}}\n"
        "sites: {s: {stock: {x: {source: v}}}}\ndemand: [{at: s/x, per_day: 1}]\n"
        "policies: {p: {default: {base_stock: {level: 3}}}}\n"
    )
    file = tmp_path / "tiny.yaml"
    file.write_text(text, encoding="utf-8")
    from_file, from_text, from_dict = (
        simjit.load_scenario(file),
        simjit.load_scenario(text),
        simjit.load_scenario(yaml.safe_load(text)),
    )
    assert from_file == from_text == from_dict
    assert simjit.load_scenario(yaml.safe_load(text), ["horizon=20"]).horizon == 20
    with pytest.raises(ScenarioError, match=r"^<text>:2:10: horizon: expected a number > 0, got -1"):
        simjit.load_scenario(text.replace("horizon: 10", "horizon: -1"))
    with pytest.raises(ScenarioError, match=r"^<dict>: horizon: expected a number > 0, got -1"):
        simjit.load_scenario({**yaml.safe_load(text), "horizon": -1})
