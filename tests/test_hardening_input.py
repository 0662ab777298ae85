"""Issue 30, "same input, same meaning", tracebacks where an ``error:`` line belongs, and reads that never end:
each test failed on the main branch before the fix. Through the command where a user meets the mistake
(``python -m simjit`` in a process of its own: exit 2, the located message, no traceback), or through the
Python API where that is where it is met.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from simjit import ScenarioError, SimjitError, UsageError, load_scenario, simulate
from simjit.scenario import yaml_nodes

TINY = """\
name: tiny
horizon: 60
replications: 2
seed: 1
items:
  lamp: {unit_cost: 10.0, price: 16.0}
costs: {holding_rate: 0.25, order_cost: 50, backorder_cost: 0.5}
suppliers:
  wholesaler: {supplies: [lamp], lead_time: 5}
sites:
  shop:
    stock:
      lamp: {source: wholesaler, initial: 300}
demand:
  - at: shop/lamp
    per_day: {poisson: 20}
    on_stockout: lost
policies:
  eoq:
    default: {eoq: {}}
  bs:
    default: {base_stock: {level: 116}}
"""
LEVEL = "policies.bs.default.base_stock.level"


def scenario(folder: Path, text: str = TINY, name: str = "tiny.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def simjit(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m simjit ARGS`` in a process of its own (its stdout and stderr as UTF-8 unless ``env`` says)."""
    environ = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "simjit", *map(str, args)],
        capture_output=True,
        env=environ,
        timeout=timeout,
        encoding=environ["PYTHONIOENCODING"],
        errors="replace",
    )


def refused(done: subprocess.CompletedProcess[str], message: str) -> None:
    """Exit 2, one ``error:`` naming ``message``, no traceback."""
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr
    assert message in done.stderr, done.stderr


# --- same input, same meaning -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a:\n  b:\t1\n", "f:2:5:", "this is not valid YAML: a tab outside quotes"),
        ("a: [1,\t2]\n", "f:1:7:", "this is not valid YAML: a tab outside quotes"),
        ("a: x\ty\n", "f:1:5:", "this is not valid YAML: a tab outside quotes"),
        ("a:\n\tb: 1\n", "f:2:1:", "(indent with spaces, not tabs)"),
    ],
    ids=["after a colon", "in a flow list", "in plain text", "in the indentation"],
)
@pytest.mark.parametrize("composer", ["libyaml", "pure"])
def test_a_tab_gets_one_verdict_from_either_parser(
    composer: str, text: str, where: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml took ``key:<tab>1`` that the pure-Python parser refuses: a scenario valid on one machine
    (PyYAML built with libyaml) was invalid on another."""
    if composer == "pure":
        monkeypatch.setattr(yaml_nodes, "_FAST_COMPOSER", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    with pytest.raises(ScenarioError) as caught:
        yaml_nodes.parse_yaml(text, "f")
    assert str(caught.value).startswith(where) and message in str(caught.value)


@pytest.mark.parametrize("composer", ["libyaml", "pure"])
def test_a_tab_inside_quotes_is_text_to_either_parser(composer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if composer == "pure":
        monkeypatch.setattr(yaml_nodes, "_FAST_COMPOSER", yaml.SafeLoader)
    assert yaml_nodes.parse_yaml("a: 'x\ty'\nb: \"x\\ty\"\n", "f").data == {"a": "x\ty", "b": "x\ty"}


def test_a_tab_after_a_colon_is_refused_by_validate(tmp_path: Path) -> None:
    path = scenario(tmp_path, TINY.replace("horizon: 60", "horizon:\t60"))
    refused(simjit("validate", path), f"{path}:2:9: this is not valid YAML: a tab outside quotes (replace it with")


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("horizon: 60", "horizon: 060", "2:10: horizon", "060 has a leading zero, so YAML 1.1 reads it as the octal "
         "number 48, not 60 (write 60 or '060')"),
        ("horizon: 60", "horizon: 090", "2:10: horizon", "090 has a leading zero, so YAML 1.1 reads it as text, not "
         "90 (write 90 or '090')"),
        ("horizon: 60", "horizon: 1:30", "2:10: horizon", "YAML 1.1 reads 1:30 as a number in base 60 (90), YAML 1.2 "
         "as text (write 90, or quote it: '1:30')"),
        ("  lamp: {unit_cost", "  on: {unit_cost", "6:3: items.on", "the key on reads as true in YAML, not as the "
         "name 'on' (quote it: 'on')"),
        ("name: tiny", "name: no", "1:7: name", "YAML 1.1 reads no as false, YAML 1.2 as the text 'no' (write false "
         "or 'no')"),
    ],
    ids=["octal", "leading zero", "base 60", "a key read as true", "a value read as false"],
)  # fmt: skip
def test_what_yaml_1_1_reads_otherwise_is_refused_located(
    tmp_path: Path, old: str, new: str, where: str, message: str
) -> None:
    path = scenario(tmp_path, TINY.replace(old, new))
    refused(simjit("validate", path), f"{path}:{where}: {message}")


def test_words_that_start_like_a_boolean_keep_working(tmp_path: Path) -> None:
    """``on_stockout: lost``, ``name: 'no'``, ``horizon: 60``, a quoted '010': read as they always were."""
    s = load_scenario(TINY.replace("name: tiny", "name: 'no'").replace("bs:", "'on':"))
    assert (s.name, list(s.policies), s.demand[0].on_stockout.value) == ("no", ["eoq", "on"], "lost")


def test_a_set_value_reads_as_the_same_text_in_a_file(tmp_path: Path) -> None:
    """``--set 'demand[0].per_day={poisson: 1e1}'`` was refused (1e1 as text) where the file reads 10."""
    path = scenario(tmp_path)
    from_set = load_scenario(path, ["demand[0].per_day={poisson: 1e1}"])
    from_file = load_scenario(TINY.replace("{poisson: 20}", "{poisson: 1e1}"))
    assert from_set.demand[0] == from_file.demand[0]
    done = simjit("validate", path, "--set", "demand[0].per_day={poisson: 1e1}")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        (
            "items.lamp={unit_cost: 1, unit_cost: 2}",
            "items.lamp.unit_cost: duplicate key 'unit_cost' (keep one of them)",
        ),
        ("horizon=060", "horizon: 060 has a leading zero, so YAML 1.1 reads it as the octal number 48, not 60"),
        ("horizon=!!int 1.5", "horizon: the tag !!int does not fit the value '1.5' (remove the tag)"),
    ],
    ids=["duplicate key", "leading zero", "a tag that does not fit"],
)
def test_a_set_value_is_refused_where_the_file_would_be(tmp_path: Path, assignment: str, message: str) -> None:
    refused(simjit("validate", scenario(tmp_path), "--set", assignment), f"error: --set {assignment}: {message}")


# --- tracebacks where an error line belongs ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sweep", "--vary", "horizon=1:1e400"], "--vary horizon=1:1e400: expected a finite number, got 1e400"),
        (["sweep", "--vary", "horizon=1e400:1e401"], "--vary horizon=1e400:1e401: expected a finite number"),
        (["tune", "--policy", "bs", "--param", f"{LEVEL}=1:1e400"],
         f"--param {LEVEL}=1:1e400: expected a finite number, got 1e400 (in the range 1:1e400)"),
        (["tune", "--policy", "bs", "--param", f"{LEVEL}=1:2:1e400"], "expected a finite number, got 1e400"),
        (["tune", "--policy", "bs", "--param", f"{LEVEL}=11,1e1,10.0"],
         f"--param {LEVEL}=11,1e1,10.0: the values 1e1 and 10.0 are the same number"),
        (["sweep", "--vary", "demand[0].per_day.poisson=1e1,10.0"], "the values 1e1 and 10.0 are the same value"),
        (["run", "--dask", ""], "argument --dask: expected 'local' or a scheduler's address with its port "
         "(tcp://host:8786), got ''"),
        (["tune", "--policy", "bs", "--param", f"{LEVEL}=1,2", "--dask", "scheduler"], "got 'scheduler'"),
    ],
    ids=["vary to 1e400", "vary from 1e400", "param to 1e400", "param step 1e400", "param names repeated",
         "vary values repeated", "dask empty", "dask without a port"],
)  # fmt: skip
def test_options_out_of_range_are_error_lines(tmp_path: Path, args: list[str], message: str) -> None:
    command, *rest = args
    refused(simjit(command, scenario(tmp_path), "-o" if command == "tune" else "--seed",
                   tmp_path / "out" if command == "tune" else "1", *rest), message)  # fmt: skip


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!int 1.5", "the tag !!int does not fit the value '1.5' (remove the tag)"),
        ("!!float abc", "the tag !!float does not fit the value 'abc' (remove the tag)"),
        ("!!bool maybe", "the tag !!bool does not fit the value 'maybe' (remove the tag)"),
        ("!!int 0x", "the tag !!int does not fit the value '0x' (remove the tag)"),
        ("!!null 60", "the tag !!null does not fit the value '60' (remove the tag)"),
        ("!!map [60]", "the tag !!map does not fit a list (remove the tag)"),
        ("!!str [60]", "the tag !!str does not fit a list (remove the tag)"),
        ("!unknown 60", "the tag !unknown is not allowed (scenarios hold plain data only; remove the tag)"),
    ],
)
def test_a_tag_that_cannot_read_its_value_is_located(tmp_path: Path, value: str, message: str) -> None:
    path = scenario(tmp_path, TINY.replace("horizon: 60", f"horizon: {value}"))
    refused(simjit("validate", path), f"{path}:2:10: horizon: {message}")


def test_a_tagged_key_is_located(tmp_path: Path) -> None:
    path = scenario(tmp_path, TINY.replace("  lamp: {unit_cost", "  !!int lamp: {unit_cost"))
    refused(simjit("validate", path), f"{path}:6:3: items: the tag !!int does not fit the value 'lamp'")


def test_a_year_shorter_than_a_day_is_refused(tmp_path: Path) -> None:
    """``days_per_year: 1e-300`` validated, then ``run`` ended in an OverflowError: a day's holding cost of
    1e299 per unit. A year holds at least one day of the model."""
    path = scenario(tmp_path, TINY.replace("costs: {", "costs: {days_per_year: 1e-300, "))
    refused(simjit("validate", path), f"{path}:7:24: costs.days_per_year: expected a number >= 1, got 1e-300")


def test_columns_0_still_prints_the_tables_and_the_help(tmp_path: Path) -> None:
    """At ``COLUMNS=0`` rich drew every table at width 0: a run printed nothing and exited 0."""
    done = simjit("run", scenario(tmp_path), "-n", "2", "--workers", "1", "-q", env={"COLUMNS": "0"})
    assert done.returncode == 0, done.stderr
    assert "total_cost" in done.stdout and max(map(len, done.stdout.splitlines())) <= 80
    shown = simjit("run", "--help", env={"COLUMNS": "0"})
    assert shown.returncode == 0 and "usage: simjit run" in shown.stdout


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_a_legacy_console_gets_its_characters_replaced_not_a_traceback(tmp_path: Path, encoding: str) -> None:
    """A name the console's encoding cannot hold ended a finished run in a UnicodeEncodeError."""
    path = scenario(tmp_path, TINY.replace("name: tiny", "name: Zürich → 東京 ★ ±"))
    env = {"PYTHONIOENCODING": encoding}
    checked = simjit("validate", path, env=env)
    assert checked.returncode == 0 and "Traceback" not in checked.stderr, checked.stderr
    assert checked.stdout.startswith("ok ") and "?" in checked.stdout
    played = simjit("run", path, "-n", "2", "--workers", "1", env=env)
    assert played.returncode == 0 and "Traceback" not in played.stderr, played.stderr
    assert "total_cost" in played.stdout
    for command in ("run", "tune", "sweep", "abc", "trace"):
        shown = simjit(command, "--help", env=env)
        assert shown.returncode == 0 and "Traceback" not in shown.stderr, (command, shown.stderr)


@pytest.mark.parametrize("replication", ["0", -1, 1.5, True, None])
def test_simulate_refuses_a_replication_that_is_not_a_whole_number(tmp_path: Path, replication: object) -> None:
    """``"0"`` played replication 0 without a word; -1 and 1.5 raised numpy's errors."""
    s = load_scenario(scenario(tmp_path))
    with pytest.raises(UsageError, match=rf"^replication: expected a non-negative whole number, got {replication!r}"):
        simulate(s, "bs", replication)  # type: ignore[arg-type]


def test_simulate_names_an_unknown_policy_set_and_the_known_ones(tmp_path: Path) -> None:
    s = load_scenario(scenario(tmp_path))
    with pytest.raises(KeyError) as caught:
        simulate(s, "nope", 0)
    assert isinstance(caught.value, SimjitError)
    assert str(caught.value) == "unknown policy set 'nope' (known policy sets: eoq, bs)"


def test_load_scenario_takes_one_override_as_one_text(tmp_path: Path) -> None:
    """``load_scenario(path, "horizon=5")`` iterated the text: '--set h: expected dotted.path=value'."""
    path = scenario(tmp_path)
    assert load_scenario(path, "horizon=30").horizon == 30
    assert load_scenario(path, None).horizon == 60
    with pytest.raises(ScenarioError, match=r"^--set 5: expected a text dotted.path=value, got 5"):
        load_scenario(path, [5])  # type: ignore[list-item]


# --- reads that never end -----------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_validate_refuses_a_device_before_reading_it() -> None:
    """``validate /dev/zero`` read gigabytes before the size check."""
    refused(simjit("validate", "/dev/zero", timeout=30), "error: /dev/zero: this is a character device, not a "
            "regular file (a scenario is read from a file: save it to one first)")  # fmt: skip


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_validate_refuses_a_fifo_without_waiting_for_a_writer(tmp_path: Path) -> None:
    """``validate`` of a FIFO waited for ever for someone to write to it."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    refused(simjit("validate", fifo, timeout=30), f"error: {fifo}: this is a FIFO (named pipe), not a regular file")


def test_a_file_over_the_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    from simjit.scenario.loader import MAX_BYTES

    path = tmp_path / "big.yaml"
    with path.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: nothing written, nothing read
    refused(simjit("validate", path), f"{path}: the file is {MAX_BYTES + 1:,} bytes; a scenario is at most")
