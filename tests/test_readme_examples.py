"""The README's Python examples run as written (from the repository's root, as a reader would)."""

from __future__ import annotations

import pytest
from docs_examples import ROOT, Block, blocks

BLOCKS = blocks(ROOT / "README.md", "python")


def test_the_readme_has_python_examples() -> None:
    assert BLOCKS


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_a_readme_example_runs(block: Block, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    exec(compile(block.text, "README.md", "exec"), {})
