"""The docs show what really happens: every scenario a page shows validates and plays, every ``simjit``
command of a page runs (shortened: few replications, a short horizon) with the exit code its output
implies, every error or check shown is what simjit prints, and every link lands on a file and heading.

The conventions a page follows are in tests/docs_examples.py (and, for writers, in docs/README.md).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from docs_examples import ROOT, Block, Command, blocks, commands, fragment_data, merged, pages

import simjit
from simjit.scenario import POLICY_KINDS, Scenario, load_scenario

DOCS = ROOT / "docs"
PAGES = pages(DOCS)
YAML_BLOCKS = [b for page in PAGES for b in blocks(page, "yaml")]
PAGE_COMMANDS = {page: commands(page) for page in PAGES}
SHORT_HORIZON = 240
"""Days played after the warm-up by a shortened command or a played example (the docs' disruptions fall in it)."""
COMPARED = ("validate", "abc")
"""Commands whose output a page may show in full: it must be what they print (they draw no random numbers)."""
ENV = {**os.environ, "COLUMNS": "100", "PYTHONPATH": str(ROOT)}


def _refused(command: Command) -> bool:
    return command.shown is not None and any(line.startswith("error:") for line in command.shown.splitlines())


INVALID_EXAMPLES = {
    (ROOT / arg).resolve()
    for page_commands in PAGE_COMMANDS.values()
    for command in page_commands
    if command.argv[1] == "validate" and _refused(command)
    for arg in command.argv[2:]
    if arg.endswith(".yaml")
}
"""Scenario files a page shows failing validation on purpose (the tutorial's mistakes)."""
EXAMPLES = sorted(
    {p.resolve() for p in (DOCS / "examples").glob("*.yaml")}
    | {(ROOT / b.target).resolve() for b in YAML_BLOCKS if b.mark == "excerpt of"}
)


def play(scenario: Scenario) -> None:
    """Validate again with a short horizon, then play replication 0 of every policy set."""
    short = scenario.model_copy(update={"horizon": min(scenario.horizon, scenario.warmup + SHORT_HORIZON)})
    for policy in scenario.policies:
        result = simjit.simulate(short, policy, replication=0, allow_plugins=True)
        assert result.summary["demand"] > 0, policy


def test_the_docs_have_examples_of_every_kind() -> None:
    marks = {b.mark for b in YAML_BLOCKS}
    assert {"excerpt of", "added to"} <= marks
    assert EXAMPLES and INVALID_EXAMPLES and sum(len(c) for c in PAGE_COMMANDS.values()) > 10


@pytest.mark.parametrize("example", EXAMPLES, ids=[str(p.relative_to(ROOT)) for p in EXAMPLES])
def test_a_scenario_file_of_the_docs_validates_and_plays(example: Path) -> None:
    if example in INVALID_EXAMPLES:
        with pytest.raises(simjit.ScenarioError):
            load_scenario(example)
        return
    play(load_scenario(example))


@pytest.mark.parametrize("block", YAML_BLOCKS, ids=[b.where for b in YAML_BLOCKS])
def test_a_yaml_block_of_the_docs_is_real(block: Block) -> None:
    if block.mark == "not a scenario":
        yaml.safe_load(block.text)
        return
    if block.mark == "excerpt of":
        text = (ROOT / block.target).read_text(encoding="utf-8")
        assert block.text.rstrip("\n") in text, f"{block.where}: not an excerpt of {block.target} as it is now"
        return
    if block.mark == "added to":
        base = yaml.safe_load((ROOT / block.target).read_text(encoding="utf-8"))
        data: Any = merged(base, fragment_data(block))
        play(load_scenario(data, base_dir=(ROOT / block.target).parent))
        return
    assert "name" in fragment_data(block), (
        f"{block.where}: a YAML fragment needs <!-- excerpt of PATH -->, <!-- added to PATH --> or "
        "<!-- not a scenario --> on the line before it"
    )
    play(load_scenario(block.text, base_dir=block.page.parent))


def shortened(argv: tuple[str, ...], folder: Path) -> list[str]:
    """The command with few replications and a short horizon, in this process's Python."""
    command, args = argv[1], list(argv[2:])
    if command in ("run", "sweep", "tune", "trace"):
        s = load_scenario(folder / args[0])
        args += ["--set", f"horizon={min(s.horizon, s.warmup + SHORT_HORIZON):g}"]
    if command in ("run", "sweep"):
        if "-n" in args:
            at = args.index("-n") + 1
            args[at] = str(2 + int(args[at]) // 10)  # keeps the order of sizes: a resume still extends
        elif "--resume" not in args:
            args += ["-n", "2"]
    if command == "tune":
        args += ["--first", "2", "--most", "4"]
    if command in ("run", "sweep", "tune") and "--workers" not in args and "--dask" not in args:
        args += ["--workers", "1"]
    return [sys.executable, "-m", "simjit", command, *args]


def _normal(text: str) -> list[str]:
    """The lines printed, in any order: warnings (stderr) and results (stdout) interleave as they flush."""
    return sorted(line.rstrip() for line in text.strip("\n").splitlines())


@pytest.mark.parametrize("page", [p for p in PAGES if PAGE_COMMANDS[p]], ids=lambda p: str(p.relative_to(ROOT)))
def test_the_commands_of_a_page_run_as_shown(page: Path, tmp_path: Path) -> None:
    if any("--dask" in command.argv for command in PAGE_COMMANDS[page]):
        pytest.importorskip("distributed", reason='the page runs --dask: pip install "simjit[dask]"')
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    (tmp_path / "docs").symlink_to(ROOT / "docs")
    for command in PAGE_COMMANDS[page]:
        argv = shortened(command.argv, tmp_path)
        done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=600, env=ENV)
        expected = 2 if _refused(command) else 0
        assert done.returncode == expected, f"{command.where}\nexit {done.returncode}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, command.where
        if command.shown and command.argv[1] in COMPARED:
            assert _normal(done.stdout + done.stderr) == _normal(command.shown), (
                f"{command.where}: the page shows another output than simjit prints:\n{done.stdout}{done.stderr}"
            )


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p, "python")], ids=lambda p: str(p.relative_to(ROOT)))
def test_the_python_of_a_page_runs(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, Any] = {}
    for block in blocks(page, "python"):
        exec(compile(block.text, block.where, "exec"), namespace)


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _anchors(page: Path) -> set[str]:
    headings = re.findall(r"^#{1,6} (.+?)\s*$", page.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", [*PAGES, ROOT / "README.md"], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_lands_on_a_file_and_heading(page: Path) -> None:
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.M | re.S)
    for link in LINK.findall(text):
        if re.match(r"[a-z]+:", link):
            continue
        target, _, anchor = link.partition("#")
        file = (page.parent / target).resolve() if target else page
        assert file.exists(), f"{page.relative_to(ROOT)}: the link {link} leads nowhere"
        if anchor and file.suffix == ".md":
            assert anchor in _anchors(file), f"{page.relative_to(ROOT)}: no heading #{anchor} in {target or page.name}"


def test_every_policy_kind_is_explained_in_the_policy_reference() -> None:
    text = (DOCS / "policies.md").read_text(encoding="utf-8")
    headed = set(re.findall(r"^## `(\w+)`", text, re.M))
    missing = [kind for kind in POLICY_KINDS if kind not in headed]
    assert not missing, f"docs/policies.md has no section '## `KIND`' for {missing}: say what it decides and why"
