from pathlib import Path

import simjit

SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))


def test_bundled_scenarios_load() -> None:
    assert SCENARIOS
    for path in SCENARIOS:
        s = simjit.load_scenario(path)
        assert s.stock_points()
