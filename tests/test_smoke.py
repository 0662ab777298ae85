"""Every bundled scenario validates and runs: a short run through the command line, as a user starts."""

from pathlib import Path

import pytest

import simjit
from simjit.cli import main

SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))


def test_bundled_scenarios_load() -> None:
    assert SCENARIOS
    for path in SCENARIOS:
        s = simjit.load_scenario(path)
        assert s.stock_points()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_bundled_scenario_runs_on_a_short_horizon(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    horizon = simjit.load_scenario(path).warmup + 30
    assert main(["run", str(path), "-n", "2", "--workers", "1", "--set", f"horizon={horizon:g}", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "total_cost" in out and "replications, 95% CI" in out
