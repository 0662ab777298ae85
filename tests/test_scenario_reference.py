"""docs/scenario_reference.md is generated from the JSON Schema: every object and field the format
has is on it, every kind under its YAML key, and every link on it lands on a heading of the page."""

from __future__ import annotations

import re
from pathlib import Path

from simjit.scenario import DISTRIBUTION_KINDS, FORECAST_KINDS, POLICY_KINDS, scenario_schema
from simjit.scenario.reference import REGENERATE, schema_markdown

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "scenario_reference.md"


def test_the_reference_is_generated_from_the_schema() -> None:
    assert DOCS.is_file(), f"docs/scenario_reference.md is missing; generate it: {REGENERATE}"
    assert DOCS.read_text(encoding="utf-8") == schema_markdown(), (
        f"docs/scenario_reference.md differs from the scenario schema (simjit/scenario/); regenerate it: {REGENERATE}"
    )


def test_generating_it_twice_gives_the_same_page() -> None:
    assert schema_markdown() == schema_markdown()


def test_every_object_of_the_schema_has_its_place() -> None:
    page = schema_markdown()
    assert "## Other objects" not in page, "an object of the schema belongs to no group of simjit/scenario/reference.py"
    defs = scenario_schema()["$defs"]
    for name, spec in defs.items():
        fields = spec.get("properties", {})
        wrapper = len(fields) == 1 and "$ref" in str(next(iter(fields.values()))) and f"`{next(iter(fields))}" in page
        for field in [] if wrapper else fields:
            assert f"| `{field}` |" in page, f"{name}.{field} is not in the reference"


def test_every_kind_is_headed_by_its_yaml_key() -> None:
    headings = set(re.findall(r"^### `(\w+)`$", schema_markdown(), re.M))
    kinds = {*POLICY_KINDS, *FORECAST_KINDS, *DISTRIBUTION_KINDS} - {"oracle", "constant"}
    assert kinds <= headings, f"kinds without a section: {sorted(kinds - headings)}"


def test_required_fields_are_marked_and_defaults_shown() -> None:
    page = schema_markdown()
    assert "| `horizon` | number > 0 | *required* |" in page
    assert "| `holding_rate` | number ≥ 0 | `0.25` |" in page
    assert "| `on_time` | number in [0, 1] | `1` |" in page
    assert "| `containers` | whole number ≥ 1 | *required* |" in page
    assert "| `lead_time` | [distribution](#distributions) | `0` |" in page


def test_every_link_of_the_page_lands_on_a_heading() -> None:
    page = schema_markdown()
    anchors = set()
    for heading in re.findall(r"^#{2,3} (.+)$", page, re.M):
        anchors.add(re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-"))
    links = set(re.findall(r"\]\(#([^)]+)\)", page))
    assert links <= anchors, f"links to no heading: {sorted(links - anchors)}"
