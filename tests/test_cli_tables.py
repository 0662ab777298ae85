"""The result tables fit the terminal: at 80 columns (and in a pipe, which rich takes as 80) every line
fits, nothing is cut short, and a table too wide for one line per row stacks each interval under its
value; with room, a row stays on one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from simjit.cli.tables import KPI_WIDTH, break_name

ROOT = Path(__file__).resolve().parents[1]
BRAKE = str(ROOT / "scenarios" / "brake_plant.yaml")


def at_width(columns: int, *args: str) -> str:
    env = {**os.environ, "COLUMNS": str(columns)}
    done = subprocess.run([sys.executable, "-m", "simjit", *args, "--workers", "1"], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def run80() -> str:
    """The brake plant: the widest numbers (costs in millions) of the bundled scenarios."""
    return at_width(80, "run", BRAKE, "-n", "3")


@pytest.fixture(scope="module")
def sweep80() -> str:
    return at_width(80, "sweep", BRAKE, "--vary", "suppliers.pads_asia.disruptions.0.duration=0,30", "-n", "2")


@pytest.mark.parametrize("output", ["run80", "sweep80"])
def test_no_line_is_wider_than_80_columns(output: str, request: pytest.FixtureRequest) -> None:
    text: str = request.getfixturevalue(output)
    wide = [line for line in text.splitlines() if cell_len(line) > 80]
    assert not wide, "\n".join(wide)
    assert "…" not in text, "nothing is cut short"


def test_at_80_columns_intervals_go_under_their_values(run80: str) -> None:
    lines = run80.splitlines()
    at = next(i for i, line in enumerate(lines) if line.split()[:2] == ["total_cost", "jit"])
    first, second = lines[at].split(), lines[at + 1].split()
    assert "±" not in first and "[" not in first, "the value alone on the row's first line"
    assert second[0] == "±" and second[2].startswith("["), "its interval, then the Δ's interval, below"
    assert any(line.split()[:1] == ["cycle_service_"] for line in lines), "a long KPI name breaks after _"


def test_with_room_a_row_stays_on_one_line() -> None:
    wide = at_width(200, "run", BRAKE, "-n", "3", "--kpi", "holding_cost", "--kpi", "cycle_service_level")
    rows = [
        line.split() for line in wide.splitlines() if line.split()[:1] in (["holding_cost"], ["cycle_service_level"])
    ]
    assert len(rows) == 2 and all("±" in row and row[-1].endswith("%") for row in rows), wide


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("fill_rate", ["fill_rate"]),
        ("cycle_service_level", ["cycle_service_", "level"]),
        ("avg_on_hand_value", ["avg_on_hand_", "value"]),
        ("dc/brake.time_to_recover", ["dc/brake.time_", "to_recover"]),
        ("a_very_long_kpi_name_without_breaks_here", ["a_very_long_", "kpi_name_", "without_", "breaks_here"]),
    ],
)
def test_kpi_names_break_after_a_separator(name: str, lines: list[str]) -> None:
    assert break_name(name).split("\n") == lines
    assert all(len(line) <= KPI_WIDTH for line in lines)
