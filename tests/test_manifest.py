"""The run manifest (DIR/manifest.json) is typed: it round-trips, reads the files older simjits wrote,
and a file it cannot read is a SimjitError naming it, never a KeyError or a silent fresh start."""

from __future__ import annotations

import json
import re
import typing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from simjit import SimjitError, load_scenario
from simjit.experiment import Manifest, Outcome, Plan, Status, execute
from simjit.experiment.manifest import PlanRecord, VariantRecord

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "scenarios" / "textbook_shop.yaml"
POLICIES = ["eoq", "s_S"]


def a_manifest() -> Manifest:
    """A sweep with a precision target: every field filled."""
    variants = (
        VariantRecord(name="horizon=60", params={"horizon": 60, "costs.order_cost": 12.5}, scenario_hash="a" * 64),
        VariantRecord(name="horizon=90", params={"horizon": 90, "costs.order_cost": 12.5}, scenario_hash="b" * 64),
    )
    precision = {"targets": {"total_cost": 0.02}, "max_replications": 1000, "level": 0.95}
    plan = PlanRecord(
        order="index = …", policies=("eoq", "s_S"), replications=10, precision=precision, variants=variants
    )
    return Manifest(
        status="interrupted", scenario="Textbook shop", scenario_hash="c" * 64, seed=42,
        versions={"simjit": "0.1.0", "numpy": "2.0"}, plan=plan, replications_done=None, tasks_total=40,
        tasks_done=12, tasks_failed=1, command="simjit sweep shop.yaml --vary horizon=60,90",
        started=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
    )  # fmt: skip


def old_manifest(directory: Path, **values: object) -> str:
    """manifest.json as simjit wrote it before the manifest was typed (format 1, a plain dict dumped
    with indent 2, times from ``datetime.isoformat()``), for a run of the shop with POLICIES."""
    return """{
  "status": "%(status)s",
  "scenario": "Textbook shop — EOQ and friends",
  "scenario_hash": "%(scenario_hash)s",
  "seed": 42,
  "versions": %(versions)s,
  "plan": {
    "order": "index = (replication * variants + variant) * policies + policy",
    "policies": [
      "eoq",
      "s_S"
    ],
    "replications": %(replications)s,
    "precision": null,
    "variants": [
      {
        "name": "base",
        "params": {},
        "scenario_hash": "%(scenario_hash)s"
      }
    ]
  },
  "replications_done": %(replications)s,
  "tasks_total": %(tasks)s,
  "tasks_done": %(tasks)s,
  "tasks_failed": 0,
  "command": "simjit run scenarios/textbook_shop.yaml -n 2 -o %(directory)s",
  "started": "2026-01-05T09:30:00.123456+00:00",
  "format": 1,
  "updated": "2026-01-05T09:30:04.654321+00:00"
}""" % {"directory": directory, **values}  # noqa: UP031 (the braces of the JSON)


def test_a_manifest_saved_loads_equal(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    saved = a_manifest().save(path)
    assert saved.updated is not None and saved.format == 1
    assert Manifest.load(path) == saved
    assert saved.model_copy(update={"updated": None}) == a_manifest()


def test_the_json_keeps_the_keys_older_simjits_read(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    a_manifest().save(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert list(doc) == ["status", "scenario", "scenario_hash", "seed", "versions", "plan", "replications_done",
                         "tasks_total", "tasks_done", "tasks_failed", "command", "started", "format", "updated"]  # fmt: skip
    assert list(doc["plan"]) == ["order", "policies", "replications", "precision", "variants"]
    assert doc["plan"]["variants"][0] == {"name": "horizon=60", "params": {"horizon": 60, "costs.order_cost": 12.5},
                                          "scenario_hash": "a" * 64}  # fmt: skip
    assert datetime.fromisoformat(doc["started"]) == datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def test_a_manifest_written_before_it_was_typed_loads(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    text = old_manifest(tmp_path, status="complete", scenario_hash="d" * 64, versions='{"simjit": "0.1.0"}',
                        replications=2, tasks=4)  # fmt: skip
    path.write_text(text, encoding="utf-8")
    manifest = Manifest.load(path)
    assert manifest is not None
    assert manifest.status == "complete" and manifest.tasks_done == manifest.tasks_total == 4
    assert manifest.plan.policies == ("eoq", "s_S") and manifest.plan.variants[0].name == "base"
    assert manifest.started == datetime(2026, 1, 5, 9, 30, 0, 123456, tzinfo=UTC)


def test_a_run_directory_of_an_older_simjit_still_resumes(tmp_path: Path) -> None:
    """A finished run whose manifest.json is the old hand-written one takes more replications."""
    two = load_scenario(SHOP, ["replications=2"])
    first = execute(Plan.single(two, POLICIES, 2), tmp_path)
    assert first.status == "complete"
    written = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    old = old_manifest(tmp_path, status="complete", scenario_hash=written["scenario_hash"],
                       versions=json.dumps(written["versions"]), replications=2, tasks=4)  # fmt: skip
    (tmp_path / "manifest.json").write_text(old, encoding="utf-8")

    three = load_scenario(SHOP, ["replications=3"])
    reports: list[int] = []
    outcome = execute(Plan.single(three, POLICIES, 3), tmp_path, resume=True,
                      progress=lambda done, total: reports.append(done))  # fmt: skip
    assert outcome.status == "complete" and outcome.tasks_done == 6
    assert reports[0] == 4, "the old run's tasks are kept, not played again"
    resumed = Manifest.load(tmp_path / "manifest.json")
    assert resumed is not None and resumed.plan.replications == 3 and resumed.replications_done == 3
    assert resumed.started == datetime(2026, 1, 5, 9, 30, 0, 123456, tzinfo=UTC), "a resume keeps the start"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"status": "complete", "plan": ', "cannot read the manifest: not JSON"),
        ("[1, 2]", r"not a simjit manifest \(expected a JSON object, got list\)"),
        (
            '{"status": "complete"}',
            "not a manifest simjit can read: scenario: Field required; scenario_hash: Field required; seed: Field required; and 3 more",
        ),
        ('{"format": 2}', r"unknown manifest format 2 \(this simjit reads format 1\)"),
        ('{"format": "1"}', r"unknown manifest format '1'"),
        ("\udcff", "cannot read the manifest"),
    ],
)
def test_an_unreadable_manifest_is_an_error_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(SimjitError, match=f"^{re.escape(str(path))}: {message}"):
        Manifest.load(path)


def test_a_corrupt_manifest_stops_a_resume_and_names_the_file(tmp_path: Path) -> None:
    scenario = load_scenario(SHOP, ["replications=2"])
    plan = Plan.single(scenario, POLICIES, 2)
    execute(plan, tmp_path)
    (tmp_path / "manifest.json").write_text('{"status": "running", ', encoding="utf-8")
    with pytest.raises(SimjitError, match=re.escape(f"{tmp_path / 'manifest.json'}: cannot read the manifest")):
        execute(plan, tmp_path, resume=True)


def test_an_unknown_status_is_refused_and_unknown_keys_are_ignored(tmp_path: Path) -> None:
    doc = {**json.loads(a_manifest().model_dump_json()), "status": "paused"}
    with pytest.raises(SimjitError, match=r"status: Input should be 'running', 'interrupted', 'incomplete' or"):
        Manifest.parse(doc, "manifest.json")
    later = {**doc, "status": "complete", "written_by": "a later simjit"}
    assert Manifest.parse(later, "manifest.json") == a_manifest().model_copy(update={"status": "complete"})


def test_no_manifest_is_none_and_a_manifest_is_frozen(tmp_path: Path) -> None:
    assert Manifest.load(tmp_path / "manifest.json") is None
    with pytest.raises(ValidationError):
        a_manifest().tasks_done = 3  # type: ignore[misc]


def test_the_statuses_are_the_ones_a_run_ends_with() -> None:
    assert typing.get_args(Status) == ("running", "interrupted", "incomplete", "complete")
    assert typing.get_type_hints(Outcome)["status"] == Status
