"""``simjit plan``: the numbers each policy runs with, worked by hand — Harris's Q* = √(2DK/h), Toyota's
N = ⌈D·(L + s)/c⌉, a fill-rate safety factor — through the command line, as JSON, and in the report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from simjit import load_scenario
from simjit.cli import main
from simjit.experiment.parameters import NOT_STATED, plan_records, plan_table
from simjit.policies.formulas import fill_rate_factor
from simjit.report import REPORT_NAME, write_report

ROOT = Path(__file__).resolve().parent.parent
EOQ = ROOT / "scenarios" / "textbook_eoq.yaml"
WIDE = {**os.environ, "COLUMNS": "200"}

SHOP = """
name: hand-worked plan
horizon: 300
warmup: 50
replications: 2
seed: 3
items:
  bolt: {unit_cost: 10.0}
  engine: {unit_cost: 100.0}
  pump: {unit_cost: 20.0}
costs:
  days_per_year: 250         # D = 4 a day = 1000 a year
  holding_rate: 0.25         # bolt: h = 2.50 a unit-year
  order_cost: 50             # K
suppliers:
  wholesale: {supplies: [bolt, pump], lead_time: 4}
  sea: {supplies: [engine], lead_time: 30}
sites:
  shop:
    stock:
      bolt: {source: wholesale}
      engine: {source: sea}
      pump: {source: wholesale}
demand:
  - {at: shop/bolt, per_day: 4, on_stockout: backorder}
  - {at: shop/engine, per_day: 40, on_stockout: backorder}
  - {at: shop/pump, per_day: {normal: {mean: 100, sd: 30}}, on_stockout: backorder}
policies:
  lean:
    default: {eoq: {}}
    overrides:
      shop/engine: {kanban: {containers: 30, container_size: 40, safety_time: 4}}
      shop/pump: {safety_stock: {fill_rate: 0.98, order_quantity: 500}}
  mine:
    default: {python: "mine:Mine"}
"""
"""By hand. bolt, eoq: Q* = √(2·1000·50/2.5) = √40000 = 200, r = D·L = 4·4 = 16, 1000/200 = 5 orders a
year, average stock Q/2 = 100 = 25 days. engine, kanban: the loop holds 30·40 + 4·40 = 1360 = 34 days
of demand; Toyota's N for L = 30 and s = 4 is ⌈40·34/40⌉ = 34; it reorders at 1360 − 40, so the safety
stock is 1320 − 40·30 = 120 = 3 days. pump, fill rate: σ_LTD = 30·√4 = 60, G(k) = 0.02·500/60 = 1/6, so
0.60 < k < 0.61 and r = 400 + 60·k."""

MINE = """
class Mine:
    review_period = None
    history = 0

    def decide(self, view):
        return None
"""


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    (tmp_path / "mine.py").write_text(MINE, encoding="utf-8")
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")
    return path


def values(records: list[dict[str, Any]], policy_set: str, point: str) -> dict[str, float]:
    """``symbol → value`` of one stock point under one policy set."""
    return {r["symbol"]: r["value"] for r in records if (r["policy_set"], r["stock_point"]) == (policy_set, point)}


def test_the_command_prints_the_eoq_of_the_textbook() -> None:
    """textbook_eoq.yaml: Q* = √(2·3600·50/4) = 300 and r = D·L = 50, 12 orders a year; the lots the
    other sets give are marked as given (no formula after them)."""
    done = subprocess.run(
        [sys.executable, "-m", "simjit", "plan", str(EOQ)], capture_output=True, text=True, timeout=120, env=WIDE
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(
        "Q = 300 units [√(2DK/h)]" in line and "150 units" in line and line.rstrip().endswith(" 12") for line in lines
    )
    assert any("r = 50 units [D·L]" in line for line in lines)
    assert any("Q = 150 units " in line and line.rstrip().endswith(" 24") for line in lines)
    assert "Q = 150 units [" not in done.stdout


def test_hand_worked_numbers_as_json(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(shop), "--policy", "lean", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    bolt = values(records, "lean", "shop/bolt")
    assert bolt["Q"] == pytest.approx(200, rel=1e-12)
    assert bolt["r"] == pytest.approx(16, rel=1e-12)
    assert bolt["orders"] == pytest.approx(5, rel=1e-12)
    assert (bolt["I"], bolt["I/D"], bolt["SS"]) == pytest.approx((100, 25, 0), abs=1e-9)
    engine = values(records, "lean", "shop/engine")
    assert (engine["N"], engine["c"], engine["s"], engine["N·c+s·D"]) == (30, 40, 4, 1360)
    assert engine["cover"] == pytest.approx(34, rel=1e-12)
    assert engine["N_Toyota"] == 34
    assert (engine["SS"], engine["SS/D"]) == pytest.approx((120, 3), rel=1e-12)
    assert engine["orders"] == pytest.approx(250, rel=1e-12)  # one container of 40 a day
    pump = values(records, "lean", "shop/pump")
    assert (pump["β"], pump["σ_LTD"]) == pytest.approx((0.98, 60), rel=1e-12)
    assert 0.60 < pump["k"] < 0.61
    assert pump["r"] == pytest.approx(400 + 60 * fill_rate_factor(0.98, 500, 60), rel=1e-12)
    assert pump["SS"] == pytest.approx(pump["r"] - 400, rel=1e-9)


def test_the_numbers_are_those_that_run(shop: Path) -> None:
    """In a replication every order of the bolt is the plan's Q, placed the day the position, falling 4 a
    day, is first at or below the plan's r; every order of the pump is a lot of the plan's Q placed at or
    below its r, lifting the position above it."""
    from simjit.model import EventKind, simulate

    s = load_scenario(shop)
    records = plan_records(plan_table(s, ["lean"]))
    orders: dict[str, list[tuple[float, float]]] = {"shop/bolt": [], "shop/pump": []}

    def watch(e: Any) -> None:
        if e.kind is EventKind.ORDER and e.where in orders:
            orders[e.where].append((e.quantity, e.on_hand + e.on_order - e.quantity - e.backorders))

    simulate(s, "lean", 0, on_event=watch)
    bolt, pump = values(records, "lean", "shop/bolt"), values(records, "lean", "shop/pump")
    assert len(orders["shop/bolt"]) >= 5 and len(orders["shop/pump"]) >= 50
    assert all(q == bolt["Q"] and bolt["r"] - 4 < before <= bolt["r"] for q, before in orders["shop/bolt"])
    assert all(q == pump["Q"] and before <= pump["r"] < before + q for q, before in orders["shop/pump"])


def test_a_policy_that_states_nothing_says_so(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(shop), "--policy", "mine", "--allow-plugins", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "policy_set,stock_point,kind,role,symbol,meaning,value,unit,source"
    assert lines[1:] == [f"mine,shop/{item},python,not stated,,{NOT_STATED},,," for item in ("bolt", "engine", "pump")]


def test_a_plug_in_runs_only_when_allowed(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(shop), "--policy", "mine"]) == 2
    assert "--allow-plugins" in capsys.readouterr().err


def test_an_unknown_policy_set_exits_2_naming_the_known_ones(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(shop), "--policy", "lena"]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: --policy lena: unknown policy set 'lena' (known policy sets: lean, mine)"
    )


def test_an_unknown_format_exits_2(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(shop), "--format", "xml"]) == 2
    assert "--format xml: expected one of table, csv, json" in capsys.readouterr().err


def test_set_changes_what_the_policy_computes(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """K = 200 instead of 50 doubles Q*: √(2·1000·200/2.5) = 400."""
    assert main(["plan", str(shop), "--policy", "lean", "--set", "costs.order_cost=200", "--format", "json"]) == 0
    assert values(json.loads(capsys.readouterr().out), "lean", "shop/bolt")["Q"] == pytest.approx(400, rel=1e-12)


def test_the_report_shows_the_plan(shop: Path, tmp_path: Path) -> None:
    """The report of a run of the shop holds the plan's table, cell for cell: Q* = 200 and Toyota's N."""
    directory = tmp_path / "run"
    done = subprocess.run(
        [sys.executable, "-m", "simjit", "run", str(shop), "--policy", "lean", "-o", str(directory), "--workers", "1", "-q"],
        capture_output=True, text=True, timeout=300, env=WIDE,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    html = write_report(directory).read_text(encoding="utf-8")
    section = html[html.index("What each policy runs with</h2>") :]
    assert "Q = 200 units [√(2DK/h)]" in section
    assert "reference: N_Toyota = 34 [⌈D·(L + s)/c⌉]" in section
    assert "policy set mine" not in section  # the run played lean only
    assert (directory / REPORT_NAME).exists()


def test_tuned_settings_apply_before_set(shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tune's tuned.yaml sets the engine loop to 33 containers: 33·40 + 4·40 = 1480 units, 37 days; a
    --set after it wins, as in run (35: 1560 units)."""
    tune = tmp_path / "tune"
    tune.mkdir()
    (tune / "tuned.yaml").write_text("policies.lean.overrides.shop/engine.kanban.containers: 33\n", encoding="utf-8")
    assert main(["plan", str(shop), "--policy", "lean", "--tuned", str(tune), "--format", "json"]) == 0
    engine = values(json.loads(capsys.readouterr().out), "lean", "shop/engine")
    assert (engine["N"], engine["N·c+s·D"], engine["cover"]) == (33, 1480, pytest.approx(37))
    overridden = ["--set", "policies.lean.overrides.shop/engine.kanban.containers=35"]
    assert main(["plan", str(shop), "--policy", "lean", "--tuned", str(tune), *overridden, "--format", "json"]) == 0
    assert values(json.loads(capsys.readouterr().out), "lean", "shop/engine")["N·c+s·D"] == 1560
