"""The JSON Schema of the scenario format, for editors' YAML plug-ins and ``simjit schema``."""

from __future__ import annotations

from typing import Any

from simjit.scenario.models import Scenario

__all__ = ["scenario_schema"]

SCHEMA_ID = "https://simjit.dev/schema/scenario.json"


def scenario_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a scenario file, every field described."""
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "simjit scenario"
    return schema
