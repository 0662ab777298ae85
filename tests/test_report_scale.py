"""A report stays readable and bounded however many policy sets or stock points the run has (issue 30: 300
policy sets made a 31 MB report; a 400-item network's report did not finish): beyond the limits it shows the
few that matter and names what it left out."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from simjit.cli import main
from simjit.report import REPORT_NAME
from simjit.report.focus import POLICIES_SHOWN, POLICY_LIMIT, STOCK_POINT_LIMIT, STOCK_POINTS_SHOWN

MANY = 40
"""Policy sets, or items, in the runs: past both limits."""
MAX_BYTES = 2_000_000
"""A report of a run past the limits stays under this size (1.5 MB for 40 policy sets, 1.6 MB for 300; before
the limits, 300 policy sets made 31 MB)."""


def shop(policies: int) -> dict[str, Any]:
    """One lamp sold from one shop, ``policies`` base-stock levels compared (level 10 the baseline); a day's
    customers at 00:00 (through the day, base stock orders every hour and its order cost ranks the levels)."""
    return {
        "name": "many policies", "horizon": 30, "replications": 2, "seed": 1,
        "items": {"lamp": {"unit_cost": 10.0, "price": 16.0}},
        "costs": {"holding_rate": 0.25, "order_cost": 50, "backorder_cost": 0.5},
        "suppliers": {"w": {"supplies": ["lamp"], "lead_time": 5}},
        "sites": {"shop": {"stock": {"lamp": {"source": "w", "initial": 100}}}},
        "demand": [{"at": "shop/lamp", "per_day": {"poisson": 20}, "timing": "start_of_day", "on_stockout": "backorder"}],
        "policies": {f"bs{level}": {"default": {"base_stock": {"level": level}}} for level in range(10, 10 + policies)},
    }  # fmt: skip


def network(items: int) -> dict[str, Any]:
    """``items`` items in one warehouse from one supplier, each with its own demand; two policy sets."""
    names = [f"i{k:02d}" for k in range(items)]
    return {
        "name": "many stock points", "horizon": 20, "replications": 2, "seed": 1,
        "items": {i: {"unit_cost": 10.0, "price": 16.0} for i in names},
        "costs": {"holding_rate": 0.25, "order_cost": 50, "backorder_cost": 0.5},
        "suppliers": {"w": {"supplies": names, "lead_time": 3}},
        "sites": {"dc": {"stock": {i: {"source": "w", "initial": 20 + k} for k, i in enumerate(names)}}},
        "demand": [{"at": f"dc/{i}", "per_day": {"poisson": 1 + k % 7}, "on_stockout": "backorder"}
                   for k, i in enumerate(names)],
        "policies": {"bs": {"default": {"base_stock": {"level": 30}}}, "eoq": {"default": {"eoq": {}}}},
    }  # fmt: skip


def report(tmp_path: Path, scenario: dict[str, Any]) -> str:
    """The report of ``scenario`` played over 2 replications, as text."""
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(path), "-n", "2", "-o", str(out), "--workers", "1", "-q", "--report"]) == 0
    return (out / REPORT_NAME).read_text(encoding="utf-8")


def notes(html: str) -> list[str]:
    return re.findall(r'<p class="skipped">(.*?)</p>', html, flags=re.S)


def test_limits_are_crossed_by_the_runs_here() -> None:
    assert MANY > POLICY_LIMIT and MANY > STOCK_POINT_LIMIT


def test_a_report_of_many_policy_sets_shows_the_best_and_names_the_rest(tmp_path: Path) -> None:
    html = report(tmp_path, shop(MANY))
    assert len(html.encode()) < MAX_BYTES
    [note] = [n for n in notes(html) if "policy sets" in n]
    shown = POLICIES_SHOWN + 1  # the best and the baseline, bs10 (the worst: its level is far too low)
    left = MANY - shown
    assert f"The run compared {MANY} policy sets; this report shows {shown}" in note
    assert f"Left out ({left}):" in note and "--policy" in note
    rows = re.findall(r'<tbody class="group">(.*?)</tbody>', html, flags=re.S)
    assert rows and all(row.count("<tr") == shown for row in rows)
    left_out = note.split("Left out")[1]
    assert "bs10" not in left_out and len(set(re.findall(r"bs\d+", left_out))) == left
    trajectories = re.findall(r'<h3 id="trajectory-\d+"', html)
    assert len(trajectories) == -(-shown // 2)
    assert "40 policy sets — bs10 (base_stock)" in html  # the overview still counts them all


def test_a_report_of_many_stock_points_draws_the_few_that_matter(tmp_path: Path) -> None:
    html = report(tmp_path, network(MANY))
    assert len(html.encode()) < MAX_BYTES
    [note] = [n for n in notes(html) if "stock points" in n]
    assert f"The network has {MANY} stock points; these figures show {STOCK_POINTS_SHOWN}" in note
    assert f"Left out: {MANY - STOCK_POINTS_SHOWN}" in note
    drawn = re.findall(r"dc/i\d\d", note)
    assert len(drawn) == STOCK_POINTS_SHOWN
    assert "and 10 more" in html  # the overview lists 30 items, then says how many more


@pytest.mark.parametrize("policies", [POLICY_LIMIT])
def test_a_report_within_the_limits_leaves_nothing_out(tmp_path: Path, policies: int) -> None:
    html = report(tmp_path, shop(policies))
    assert not [n for n in notes(html) if "Left out" in n]
