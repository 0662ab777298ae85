"""ABC classification: the formula, its use by by_class policy sets, and `simjit abc`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from simjit.model.network import assign_policies
from simjit.policies.formulas import abc_classes
from simjit.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def test_pareto_classes_by_cumulative_value() -> None:
    values = {"a": 500.0, "b": 300.0, "c": 100.0, "d": 60.0, "e": 40.0}
    # value ranked before: a 0%, b 50%, c 80%, d 90%, e 96%
    assert abc_classes(values) == {"a": "A", "b": "A", "c": "B", "d": "B", "e": "C"}
    assert abc_classes(values, 0.5, 0.9) == {"a": "A", "b": "B", "c": "B", "d": "C", "e": "C"}


def test_the_top_item_is_always_class_a_and_ties_are_stable() -> None:
    assert abc_classes({"x": 99.0, "y": 1.0}, 0.1, 0.2) == {"x": "A", "y": "C"}
    assert abc_classes({"p": 1.0, "q": 1.0, "r": 1.0}, 0.5, 0.8) == {"p": "A", "q": "A", "r": "B"}
    assert abc_classes({"p": 1.0, "q": 1.0, "r": 1.0}, 0.3, 0.6) == {"p": "A", "q": "B", "r": "C"}


def test_hybrid_policy_set_follows_the_classes() -> None:
    s = load_scenario(ROOT / "scenarios" / "brake_plant.yaml")
    specs = assign_policies(s, s.policies["hybrid"])
    kinds = {point: type(spec).__name__ for point, spec in specs.items()}
    # brake and caliper stock points are A (kanban); the override wins for plant/pad
    assert kinds == {
        ("plant", "pad"): "SS",
        ("plant", "caliper"): "Kanban",
        ("plant", "brake"): "Kanban",
        ("dc", "brake"): "Kanban",
    }


def test_cli_classes_an_items_table(tmp_path: Path) -> None:
    table = tmp_path / "items.csv"
    table.write_text(
        "name,unit_cost,annual_demand\nbrakes,60,45000\ncalipers,22,90000\npads,4,180000\nbolts,0.1,500000\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "simjit", "abc", str(table)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    rows = {line.split()[1]: line.split()[-2] for line in done.stdout.splitlines() if line.startswith("│")}
    assert rows == {"brakes": "A", "calipers": "A", "pads": "B", "bolts": "C"}


def test_cli_rejects_a_table_without_the_columns(tmp_path: Path) -> None:
    table = tmp_path / "items.csv"
    table.write_text("name,cost\nx,1\n")
    done = subprocess.run(
        [sys.executable, "-m", "simjit", "abc", str(table)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "items.csv:1: missing columns unit_cost, annual_demand" in done.stderr
    assert "Traceback" not in done.stderr
