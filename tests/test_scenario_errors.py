"""Every malformed scenario in tests/scenarios/invalid/ fails with exactly the messages pinned in it.

Each file opens with comments naming the mistake and what simjit must say about it:

    # A supplier's on-time rate above 1.
    # set: horizon=730                       (optional: --set assignments to apply)
    # expect: 11:14: suppliers.pads_asia.on_time: expected a number <= 1, got 1.2

One ``# expect:`` line per problem, in the order reported: ``LINE:COL: field: message (hint)``,
or ``field: message`` for a problem of the whole file, or ``--set path=value: field: message``
for one that an override caused. ``{dir}`` stands for the directory of the file. A file that
cannot hold comments (the empty one) keeps them in ``NAME.yaml.expect`` beside it.
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import simjit
from simjit import Problem, ScenarioError
from simjit.cli import main

INVALID = Path(__file__).parent / "scenarios" / "invalid"
FILES = sorted(INVALID.glob("*.yaml"))


@dataclass(frozen=True)
class Expected:
    """One pinned problem: where (or which --set), and the text after the position."""

    line: int | None
    column: int | None
    source: str | None
    text: str

    def rendered(self, file: Path) -> str:
        """The line the CLI prints for this problem."""
        if self.source is not None:
            return f"{self.source}: {self.text}"
        where = str(file) + (f":{self.line}" if self.line is not None else "")
        where += f":{self.column}" if self.column is not None else ""
        return f"{where}: {self.text}"


@dataclass(frozen=True)
class Case:
    path: Path
    sets: tuple[str, ...]
    expected: tuple[Expected, ...]


def _header(path: Path) -> list[str]:
    sidecar = path.with_name(path.name + ".expect")
    raw = sidecar.read_bytes() if sidecar.exists() else path.read_bytes()
    lines = []
    for line in raw.splitlines():
        text = line.decode("utf-8", errors="replace")
        if not text.startswith("#"):
            break
        lines.append(text)
    return lines


def read_case(path: Path) -> Case:
    """The --set assignments and expected problems pinned at the top of ``path``."""
    header = _header(path)
    sets = tuple(h.removeprefix("# set: ") for h in header if h.startswith("# set: "))
    expected = []
    for h in header:
        if not h.startswith("# expect: "):
            continue
        text = h.removeprefix("# expect: ").replace("{dir}", str(path.parent.resolve()))
        source = next((f"--set {s}" for s in sets if text.startswith(f"--set {s}: ")), None)
        if source is not None:
            expected.append(Expected(None, None, source, text[len(source) + 2 :]))
            continue
        m = re.match(r"^(\d+):(\d+): (.*)$", text)
        expected.append(Expected(int(m[1]), int(m[2]), None, m[3]) if m else Expected(None, None, None, text))
    return Case(path, sets, tuple(expected))


def actual_text(p: Problem) -> str:
    return (f"{p.field}: " if p.field else "") + p.message + (f" ({p.hint})" if p.hint else "")


@functools.cache
def error_of(case: Case) -> ScenarioError:
    """The error loading ``case`` raises (once per session: the alias bombs take a moment)."""
    with pytest.raises(ScenarioError) as info:
        simjit.load_scenario(case.path, case.sets)
    return info.value


def problems_of(case: Case) -> tuple[Problem, ...]:
    return error_of(case).problems


CASES = [read_case(p) for p in FILES]
IDS = [c.path.stem for c in CASES]


def test_the_corpus_is_large_and_every_file_pins_its_messages() -> None:
    assert len(CASES) >= 30
    unpinned = [c.path.name for c in CASES if not c.expected]
    assert not unpinned, f"files without '# expect:' lines: {unpinned}"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_each_file_reports_exactly_its_pinned_problems(case: Case) -> None:
    problems = problems_of(case)
    got = [(p.line, p.column, p.source, actual_text(p)) for p in problems]
    want = [(e.line, e.column, e.source, e.text) for e in case.expected]
    assert got == want
    for p, e in zip(problems, case.expected, strict=True):
        if p.field:
            assert e.text.startswith(f"{p.field}: "), "the pinned text must start with the dotted field"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_error_renders_one_compiler_style_line_per_problem(case: Case) -> None:
    error = error_of(case)
    assert isinstance(error, ValueError)
    assert error.file == str(case.path)
    assert str(error).splitlines() == [e.rendered(case.path) for e in case.expected]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_cli_prints_the_messages_and_exits_2(case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["validate", str(case.path)] + [a for s in case.sets for a in ("--set", s)]
    assert main(args) == 2
    out, err = capsys.readouterr()
    for e in case.expected:
        assert e.rendered(case.path) in err.splitlines() or f"error: {e.rendered(case.path)}" in err.splitlines()
    assert "Traceback" not in out + err
    assert not out.strip()


def test_the_command_reports_every_file_in_one_run_without_a_traceback() -> None:
    cases = [c for c in CASES if not c.sets and "bomb" not in c.path.stem]  # bombs: in-process, below
    names = [str(c.path.relative_to(INVALID)) for c in cases]
    run = subprocess.run(
        [sys.executable, "-m", "simjit", "validate", *names],
        cwd=INVALID,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr + run.stdout
    for c in cases:
        for e in c.expected:
            assert e.rendered(c.path.relative_to(INVALID)) in run.stderr


@pytest.mark.parametrize("name", ["alias_bomb", "merge_key_bomb"])
def test_alias_bombs_fail_fast_with_a_clear_message(name: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match=r"expands to more than 200,000 values \(an alias bomb\?"):
        simjit.load_scenario(INVALID / f"{name}.yaml")
    assert time.perf_counter() - start < 5.0


@pytest.mark.parametrize(("name", "at_least"), [("several_field_mistakes", 6), ("several_reference_mistakes", 6)])
def test_several_mistakes_are_reported_at_once_in_file_order(name: str, at_least: int) -> None:
    problems = problems_of(read_case(INVALID / f"{name}.yaml"))
    assert len(problems) >= at_least
    assert len({p.field for p in problems}) == len(problems)
    lines = [p.line or 0 for p in problems]
    assert lines == sorted(lines)


_INTERNALS = re.compile(r"Input should|pydantic|type=|\[key\]|tag:yaml\.org|Traceback|\{[a-z_]+!r\}")
_TRAILING_ZERO = re.compile(r"[<>=] -?\d+\.0\b")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_messages_speak_the_users_language(case: Case) -> None:
    for p in problems_of(case):
        text = actual_text(p)
        assert not _INTERNALS.search(text), text
        assert not _TRAILING_ZERO.search(text), f"write bounds as the user would: {text}"
        assert text == text.strip() and "\n" not in text


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        (
            "demand.0.seasonality.weekly=[1,1,1,1,1,1,1,1]",
            "demand[0].seasonality.weekly: expected exactly 7 entries, got 8",
        ),
        ("demand.0.seasonality.annual=[1,1,1]", "demand[0].seasonality.annual: expected exactly 12 entries, got 3"),
        ("suppliers.roaster.supplies=[]", "suppliers.roaster.supplies: expected at least 1 entry, got 0"),
    ],
)
def test_a_list_of_one_allowed_length_says_exactly(assignment: str, message: str) -> None:
    """Seven weekly multipliers, no more and no fewer: "exactly 7"; a list with only a minimum keeps "at least"."""
    with pytest.raises(ScenarioError) as info:
        simjit.load_scenario(
            INVALID / "weekly_six_days.yaml", ["demand.0.seasonality.weekly=[1,1,1,1,1,1,1]", assignment]
        )
    assert [actual_text(p) for p in info.value.problems] == [message]
