"""One error format for every command: ``error: <message>`` on stderr, exit 2 for bad input or usage —
ours and the option parser's alike (a missing argument, an unknown option); no traceback, no box."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simjit.cli import main
from simjit.errors import SimjitError

ROOT = Path(__file__).resolve().parents[1]
SHOP = str(ROOT / "scenarios" / "textbook_shop.yaml")
INVALID = Path(__file__).parent / "scenarios" / "invalid"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", SHOP, "-n", "0"], "-n: expected at least 1 replication, got 0"),
        (["sweep", SHOP, "--vary", "horizon=100,200", "--seed", "-1"], "--seed: expected a number >= 0, got -1"),
        (["run", SHOP, "--workers", "0"], "--workers: expected at least 1 process, got 0"),
        (["run", SHOP, "--batch-size", "0"], "--batch-size: expected at least 1 task, got 0"),
        (["run", SHOP, "--resume"], "--resume needs -o DIR: the directory of the run to complete"),
        (["run", SHOP, "--policy", "eqo"], "--policy eqo: unknown policy set 'eqo' (known policy sets: eoq, r_Q, "),
        (["abc", SHOP, "--a", "0.9", "--b", "0.5"], "--a/--b: expected 0 < a <= b <= 1, got a = 0.9, b = 0.5"),
        (["validate", str(INVALID / "negative_cost.yaml")], f"{INVALID / 'negative_cost.yaml'}:9:15: costs."),
    ],
)
def test_bad_input_and_options_print_one_error_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert err.startswith(f"error: {message}") and err.count("\n") == 1, err
    assert out == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run"], "error: the following arguments are required: SCENARIO (see 'simjit run --help')"),
        (["run", SHOP, "--bogus"], "error: no such option: --bogus (see 'simjit run --help')"),
        (["run", SHOP, "extra"], "error: unexpected argument: extra (see 'simjit run --help')"),
        (["bogus"], "error: argument COMMAND: invalid choice: 'bogus' (choose from 'validate', 'schema', "),
        (
            ["run", SHOP, "-n", "x"],
            "error: argument -n/--replications: invalid int value: 'x' (see 'simjit run --help')",
        ),
        (["tune", SHOP, "--policy", "eoq"], "error: the following arguments are required: --param (see 'simjit tune"),
    ],
)
def test_the_option_parsers_errors_take_the_same_format(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err
    assert "usage:" not in err and "Error" not in err and "╭" not in err


def test_several_problems_are_counted_then_listed_one_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = INVALID / "several_field_mistakes.yaml"
    assert main(["validate", str(path)]) == 2
    first, *problems = capsys.readouterr().err.splitlines()
    assert first == f"error: {len(problems)} problems:" and len(problems) > 1
    assert all(line.startswith(f"{path}:") for line in problems)


def test_no_arguments_still_shows_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert "usage: simjit" in err and "validate" in err and "error:" not in err and out == ""


@pytest.mark.parametrize(
    "command", ["validate", "schema", "run", "sweep", "abc", "trace", "plot", "report", "tune", "plan"]
)
def test_every_option_names_what_it_takes_not_a_python_type(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    options = capsys.readouterr().out.split("options:", 1)[1]
    assert not re.search(r"<(int|float|str|path|list\[\w+\])>", options), options


def test_help_of_a_command_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--help"]) == 0
    assert "--replications" in capsys.readouterr().out


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_traceback_before_or_after_the_command(where: str) -> None:
    args = ["validate", "nope.yaml"]
    with pytest.raises(SimjitError, match="no such file"):
        main(["--debug", *args] if where == "before" else [*args, "--debug"])
