"""ABC classification: the article's rule and its sample, its use by by_class policy sets, the items
table `simjit abc` reads, and what it prints."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from simjit.cli import main
from simjit.errors import ScenarioError
from simjit.model.network import assign_policies
from simjit.policies.formulas import abc_classes
from simjit.scenario import load_scenario
from simjit.scenario.items_table import read_items_table

ROOT = Path(__file__).resolve().parent.parent
HEADER = "name,unit_cost,annual_demand\n"
ARTICLE = HEADER + "Item1,50,1000\nItem2,5,5000\nItem3,200,100\nItem4,1,20000\n"
"""The four-item sample of the ABC article (seeds/003): annual values 50,000, 25,000, 20,000, 20,000."""


def test_the_articles_sample_is_a_a_b_c() -> None:
    values = {"Item1": 50.0 * 1000, "Item2": 5.0 * 5000, "Item3": 200.0 * 100, "Item4": 1.0 * 20000}
    # cumulative shares including each item: 43.5%, 65.2%, 82.6%, 100%
    assert abc_classes(values) == {"Item1": "A", "Item2": "A", "Item3": "B", "Item4": "C"}
    # the older convention (the class where an item's cumulative share starts: 0%, 43.5%, 65.2%, 82.6%)
    assert abc_classes(values, rule="start") == {"Item1": "A", "Item2": "A", "Item3": "A", "Item4": "B"}


def test_pareto_classes_by_cumulative_value() -> None:
    values = {"a": 500.0, "b": 300.0, "c": 100.0, "d": 60.0, "e": 40.0}
    # cumulative share including each: a 50%, b 80%, c 90%, d 96%, e 100%; a share on the cut-off is within it
    assert abc_classes(values) == {"a": "A", "b": "A", "c": "B", "d": "C", "e": "C"}
    assert abc_classes(values, 0.5, 0.9) == {"a": "A", "b": "B", "c": "B", "d": "C", "e": "C"}
    # value ranked before: a 0%, b 50%, c 80%, d 90%, e 96%
    assert abc_classes(values, rule="start") == {"a": "A", "b": "A", "c": "B", "d": "B", "e": "C"}


def test_a_share_on_the_cut_off_up_to_rounding_is_within_it() -> None:
    tenths = {f"i{k}": 0.1 for k in range(10)}  # eight tenths add up to 0.7999999999999999
    classes = abc_classes(tenths)
    assert [classes[f"i{k}"] for k in range(10)] == ["A"] * 8 + ["B"] + ["C"]


def test_no_class_is_skipped_by_one_items_share() -> None:
    # 90% of the value in one item: by the bare rule B, then C, C; practitioners class it A, and the next B
    assert abc_classes({"x": 90.0, "y": 6.0, "z": 4.0}) == {"x": "A", "y": "B", "z": "C"}
    assert abc_classes({"x": 70.0, "y": 27.0, "z": 3.0}) == {"x": "A", "y": "B", "z": "C"}  # y spans 70-97%
    assert abc_classes({"x": 99.0, "y": 1.0}, 0.1, 0.2) == {"x": "A", "y": "B"}
    # ... unless the cut-offs ask for no A class (A = 0) or no B class (B = A), or the item has no value
    assert abc_classes({"x": 90.0, "y": 10.0}, 0.0, 0.95) == {"x": "B", "y": "C"}
    assert abc_classes({"x": 90.0, "y": 10.0}, 0.8, 0.8) == {"x": "A", "y": "C"}
    assert abc_classes({"x": 100.0, "y": 0.0}) == {"x": "A", "y": "C"}
    assert abc_classes({"x": 0.0, "y": 0.0}) == {"x": "C", "y": "C"}  # nothing of value to rank


def test_ties_are_ranked_by_name_whatever_the_order_given() -> None:
    assert abc_classes({"r": 1.0, "q": 1.0, "p": 1.0}, 0.5, 0.8) == {"p": "A", "q": "B", "r": "C"}
    four = {"s": 1.0, "r": 1.0, "q": 1.0, "p": 1.0}  # 25%, 50%, 75%, 100%
    assert abc_classes(four, 0.5, 0.8) == {"p": "A", "q": "A", "r": "B", "s": "C"}


def test_hybrid_policy_set_follows_the_classes() -> None:
    s = load_scenario(ROOT / "scenarios" / "brake_plant.yaml")
    specs = assign_policies(s, s.policies["hybrid"])
    kinds = {point: type(spec).__name__ for point, spec in specs.items()}
    # the brake stock points are A (kanban); caliper (B) and pad (C) have overrides
    assert kinds == {
        ("plant", "pad"): "SS",
        ("plant", "caliper"): "Kanban",
        ("plant", "brake"): "Kanban",
        ("dc", "brake"): "Kanban",
    }


def test_a_policy_set_may_keep_the_older_convention() -> None:
    path = ROOT / "scenarios" / "bicycle_shop.yaml"
    # the derailleur's cumulative share is 81.4% (73.7% before it): B by the article's rule, A by the older one
    kinds = {
        rule: type(assign_policies(s, s.policies["abc"])[("shop", "derailleur")]).__name__
        for rule in ("include", "start")
        for s in [load_scenario(path, [f"policies.abc.abc.rule={rule}"])]
    }
    assert kinds == {"include": "SafetyStock", "start": "Kanban"}


def _classes(stdout: str) -> dict[str, str]:
    """Name → class from the table `simjit abc` prints."""
    rows = [[c.strip() for c in line.strip("│").split("│")] for line in stdout.splitlines() if line.startswith("│")]
    return {row[0]: row[-1] for row in rows}


def _abc(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str, str]:
    table = tmp_path / "items.csv"
    table.write_text(text, encoding="utf-8")
    code = main(["abc", str(table), *options])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_classes_the_articles_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _abc(tmp_path, ARTICLE, capsys)
    assert code == 0, err
    assert _classes(out) == {"Item1": "A", "Item2": "A", "Item3": "B", "Item4": "C"}
    assert "A while the cumulative share is at most 80%, B at most 95%" in out
    code, out, _ = _abc(tmp_path, ARTICLE, capsys, "--rule", "start")
    assert _classes(out) == {"Item1": "A", "Item2": "A", "Item3": "A", "Item4": "B"}
    assert main(["abc", str(tmp_path / "items.csv"), "--rule", "before"]) == 2
    assert capsys.readouterr().err == "error: --rule before: expected one of include, start\n"


def test_cli_classes_an_items_table(tmp_path: Path) -> None:
    table = tmp_path / "items.csv"
    table.write_text(HEADER + "brakes,60,45000\ncalipers,22,90000\npads,4,180000\nbolts,0.1,500000\n")
    done = subprocess.run(
        [sys.executable, "-m", "simjit", "abc", str(table)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    # cumulative shares 49.5%, 85.9%, 99.1%, 100%
    assert _classes(done.stdout) == {"brakes": "A", "calipers": "B", "pads": "C", "bolts": "C"}


def test_cli_rejects_a_table_without_the_columns(tmp_path: Path) -> None:
    table = tmp_path / "items.csv"
    table.write_text("name,cost\nx,1\n")
    done = subprocess.run(
        [sys.executable, "-m", "simjit", "abc", str(table)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "items.csv:1: missing columns unit_cost, annual_demand" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_table_separated_by_semicolons_is_named_so(tmp_path: Path) -> None:
    (tmp_path / "items.csv").write_text("name;unit_cost;annual_demand\nnuts;0,2;100\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"found name;unit_cost;annual_demand \(.*separated by ';', not commas\)"):
        read_items_table(tmp_path / "items.csv")


def test_a_name_given_twice_is_an_error_at_its_second_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _abc(tmp_path, HEADER + "bolts,0.1,500\nnuts,0.2,100\nbolts,0.1,700\n", capsys)
    assert code == 2 and out == ""
    where = tmp_path / "items.csv"
    assert err == f"error: {where}:4: bolts: the item is named twice: also on line 2 (give each item one row)\n"
    with pytest.raises(ScenarioError, match=r"items.csv:4: bolts: the item is named twice: also on line 2"):
        read_items_table(where)


@pytest.mark.parametrize("cell", ["inf", "-inf", "nan", "1e400"])
def test_a_value_that_is_not_finite_is_an_error(cell: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _abc(tmp_path, HEADER + f"nuts,0.2,100\nbolts,{cell},500\n", capsys)
    assert code == 2 and out == "" and "nan%" not in err
    where = tmp_path / "items.csv"
    assert err == f"error: {where}:3: bolts.unit_cost: expected a finite number, got '{cell}'\n"


def test_values_whose_product_is_too_large_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "items.csv").write_text(HEADER + "nuts,1e200,1e200\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"items.csv:2: nuts: the annual value 1e\+200 × 1e\+200 is past"):
        read_items_table(tmp_path / "items.csv")


def test_lines_are_counted_through_blank_lines_and_quoted_line_breaks(tmp_path: Path) -> None:
    text = "\n" + HEADER + "\nnuts,0.2,100\n\n\n" + '"washer\nM8 (old code)",x,1\n' + "bolts,-1,500\n,1,1\n"
    (tmp_path / "items.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        read_items_table(tmp_path / "items.csv")
    where = tmp_path / "items.csv"
    assert str(caught.value).splitlines() == [
        f"{where}:7: name: expected a name on one line, got 'washer\\nM8 (old code)' (a quote left open?)",
        f"{where}:9: bolts.unit_cost: expected a number >= 0, got '-1'",
        f"{where}:10: name: expected the item's name, got nothing",
    ]


def test_every_problem_is_listed_in_the_cli_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _abc(tmp_path, HEADER + "nuts,0.2,\nbolts,1,000,5\nnuts,1,1\n", capsys)
    where = tmp_path / "items.csv"
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "error: 3 problems:",
        f"{where}:2: nuts.annual_demand: expected a number, got nothing",
        f"{where}:3: bolts: expected 3 cells as in the header, got 4 "
        "(a comma in a number, as in 1,000? write 1000, or put the cell in quotes)",
        f"{where}:4: nuts: the item is named twice: also on line 2 (give each item one row)",
    ]


def test_the_table_may_order_and_case_its_columns_freely(tmp_path: Path) -> None:
    text = "\ufeffAnnual_Demand, Name ,unit_cost,notes\n1000, Item1 ,50,\n5000,Item2,5,cheap,\n"
    (tmp_path / "items.csv").write_text(text, encoding="utf-8")
    assert read_items_table(tmp_path / "items.csv") == {"Item1": 50_000.0, "Item2": 25_000.0}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", ": the table is empty (its first line names the columns: name, unit_cost, annual_demand)"),
        ("\n\n", ": the table is empty (its first line names the columns: name, unit_cost, annual_demand)"),
        (HEADER, ":1: no items below the header (one row per item)"),
        ("name,unit_cost,Name,annual_demand\n", ":1: the column name is named twice (keep one of them)"),
    ],
)
def test_a_table_without_items_says_so(text: str, message: str, tmp_path: Path) -> None:
    (tmp_path / "items.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match="^" + re.escape(f"{tmp_path / 'items.csv'}{message}") + "$"):
        read_items_table(tmp_path / "items.csv")


def test_markup_in_names_prints_as_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _abc(tmp_path, HEADER + "[bold]bolt[/bold],1,10\n[/red],2,10\n[link=x]nut,3,1\n", capsys)
    assert code == 0, err
    assert _classes(out) == {"[/red]": "A", "[bold]bolt[/bold]": "B", "[link=x]nut": "C"}
