"""Inputs built to exhaust the reader: refused fast, with a located message, never a traceback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest


def validate(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simjit", "validate", str(path), *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\nhorizon: [" + ",".join(["1"] * 1_500_000) + "]\n",
         "holds about 1,500,001 values (commas and lines); a scenario holds at most 200,000"),
        ("name: x\nhorizon: " + "[" * 10_000 + "]" * 10_000 + "\n", "the document is nested too deeply to read"),
        ("name: x\nitems:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 4000)),
         "the document is nested too deeply to read"),
    ],
    ids=["a long list", "deep flow nesting", "deep block nesting"],
)  # fmt: skip
def test_huge_or_deep_documents_are_refused_fast(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    done = validate(path)
    assert time.monotonic() - started < 10
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert message in done.stderr


def test_a_set_exponent_is_a_number_and_the_memory_budget_holds(tmp_path: Path) -> None:
    shop = Path(__file__).resolve().parent.parent / "scenarios" / "textbook_shop.yaml"
    done = validate(shop, "--set", "horizon=1e9")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "horizon: a horizon of 1e+09 days with 1 stock points" in done.stderr
    assert "the limit is 2 GiB" in done.stderr
    assert validate(shop, "--set", "horizon=1.5e3").returncode == 0


def test_an_exponent_without_a_dot_is_a_number_in_a_file() -> None:
    from simjit import load_scenario

    text = (Path(__file__).resolve().parent.parent / "scenarios" / "textbook_shop.yaml").read_text(encoding="utf-8")
    lines = [("horizon: 2e3" if line.startswith("horizon:") else line) for line in text.splitlines()]
    assert load_scenario("\n".join(lines) + "\n").horizon == 2000.0
