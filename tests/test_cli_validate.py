"""``simjit validate``: a summary and exit 0 for good files, located errors and exit 2 for bad ones."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import simjit
from simjit import ScenarioError
from simjit.cli import main

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))
INVALID = Path(__file__).parent / "scenarios" / "invalid"


VALID_NAMES = [str(p.relative_to(ROOT)) for p in BUNDLED]
COMMANDS = {
    # started together, once: each process spends most of its time importing
    "python -m simjit validate": ([sys.executable, "-m", "simjit", "validate", *VALID_NAMES], ROOT),
    "simjit validate": (["simjit", "validate", "unknown_supplier_as_source.yaml"], INVALID),
}


@pytest.fixture(scope="module")
def commands() -> dict[str, tuple[int, str, str]]:
    """Exit code, stdout and stderr of each command in COMMANDS that can run here."""
    started = {
        name: subprocess.Popen(
            args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
        )
        for name, (args, cwd) in COMMANDS.items()
        if shutil.which(args[0])
    }
    done = {}
    for name, proc in started.items():
        out, err = proc.communicate(timeout=60)
        done[name] = (proc.returncode, out, err)
    return done


def test_python_m_simjit_validates_the_bundled_scenarios(commands: dict[str, tuple[int, str, str]]) -> None:
    code, out, err = commands["python -m simjit validate"]
    assert code == 0, err
    assert "Traceback" not in err
    assert [line.split(":")[0] for line in out.splitlines()] == [f"ok {n}" for n in VALID_NAMES]


@pytest.mark.skipif(shutil.which("simjit") is None, reason="the simjit script is not installed")
def test_the_installed_script_exits_2_without_a_traceback(commands: dict[str, tuple[int, str, str]]) -> None:
    code, out, err = commands["simjit validate"]
    assert code == 2
    assert "unknown_supplier_as_source.yaml:12:21: sites.plant.stock.pad.source: unknown source 'pads_aisa'" in err
    assert "Traceback" not in err and out == ""


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_the_summary_names_what_the_scenario_holds(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    s = simjit.load_scenario(path)
    assert out.startswith(f"ok {path}: {s.name!r}: {len(s.items)} items, {len(s.suppliers)} suppliers")
    for site, item in s.stock_points():
        assert f"{site}/{item}" in out
    assert f"policies: {', '.join(s.policies)} (baseline {s.baseline_policy})" in out
    assert f"{s.horizon:g} days × {s.replications} replications, seed {s.seed}" in out
    expected = TRUE_WARNINGS.get(path.stem, [])
    assert [line.split(": ", 2)[-1][: len(e)] for line, e in zip(err.splitlines(), expected, strict=False)] == expected
    assert len(err.splitlines()) == len(expected), err


TRUE_WARNINGS = {
    "brake_plant": ["policies.eoq.default: eoq at plant/caliper sizes its reorder point (514) for a steady"],
    "coffee_shop": [
        "policies.eoq.default: eoq at cafe/beans orders 98.7 at a time (its EOQ), which roaster takes 3.29 days",
        "policies.safety_stock.default: safety_stock at cafe/beans orders 98.7 at a time (its EOQ), which roaster",
    ],
}
"""The warnings a bundled scenario gives, each checked true: the brake plant's EOQ baseline is the naive plan it
improves on, and its calipers, drawn 1,733 at a time, run short in 67% of cycles (0.35 estimated); the coffee
shop's EOQ lots of beans take the roaster, at 30 kg a day, three days to make beyond its 2-day lead time."""


def test_overrides_show_in_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "scenarios" / "textbook_shop.yaml"
    assert main(["validate", str(path), "--set", "horizon=730", "--set", "replications=7"]) == 0
    assert "730 days × 7 replications" in capsys.readouterr().out


def test_an_invalid_file_exits_2_with_its_message(capsys: pytest.CaptureFixture[str]) -> None:
    path = INVALID / "probability_above_one.yaml"
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert err == f"error: {path}:11:14: suppliers.pads_asia.on_time: expected a number <= 1, got 1.2\n"
    assert out == ""


def test_several_problems_are_listed_under_one_heading(capsys: pytest.CaptureFixture[str]) -> None:
    path = INVALID / "several_reference_mistakes.yaml"
    assert main(["validate", str(path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "error: 6 problems:"
    assert len(lines) == 7 and all(line.startswith(f"{path}:") for line in lines[1:])


def test_good_and_bad_files_are_each_reported(capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = ROOT / "scenarios" / "coffee_shop.yaml", INVALID / "negative_cost.yaml"
    missing = INVALID / "no_such_file.yaml"
    assert main(["validate", str(bad), str(good), str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out.startswith(f"ok {good}: ")
    assert f"{bad}:9:15: costs.order_cost: expected a number >= 0, got -50" in err
    assert f"{missing}: no such file (check the path and the current directory)" in err
    assert "Traceback" not in err


def test_a_bad_override_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "scenarios" / "textbook_shop.yaml"
    assert main(["validate", str(path), "--set", "suppliers.wholesaler.on_time=2"]) == 2
    err = capsys.readouterr().err
    assert "--set suppliers.wholesaler.on_time=2: suppliers.wholesaler.on_time: expected a number <= 1, got 2" in err


def test_debug_lets_the_error_through_with_its_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ScenarioError):
        main(["--debug", "validate", str(INVALID / "negative_cost.yaml")])


def test_debug_is_off_again_on_the_next_command(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--debug", "validate", str(ROOT / "scenarios" / "textbook_shop.yaml")])
    assert main(["validate", str(INVALID / "negative_cost.yaml")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"simjit {simjit.__version__}"


def test_help_lists_validate_and_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "validate" in out and "schema" in out
