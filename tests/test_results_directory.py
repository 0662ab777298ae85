"""The results directory: never overwritten by surprise, never a traceback for a bad -o, and a
part cut short by a crash is found on resume and played again."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simjit.errors import SimjitError
from simjit.experiment import Plan, SerialBackend, execute
from simjit.scenario import load_scenario

BRAKE = Path(__file__).resolve().parent.parent / "scenarios" / "brake_plant.yaml"


@pytest.fixture(scope="module")
def plan() -> Plan:
    scenario = load_scenario(BRAKE, ["replications=4", "horizon=120"])
    return Plan.single(scenario, ["jit", "eoq"], 4)


def test_a_bad_output_path_is_a_clear_error(plan: Plan, tmp_path: Path) -> None:
    regular = tmp_path / "notes.txt"
    regular.write_text("mine", encoding="utf-8")
    with pytest.raises(SimjitError, match=r"notes\.txt: this is a file, not a directory"):
        execute(plan, regular)
    assert regular.read_text(encoding="utf-8") == "mine"
    if Path("/proc/self").is_dir():
        with pytest.raises(SimjitError, match=r"-o /proc/simjit-results: cannot write results there"):
            execute(plan, Path("/proc/simjit-results"))


def test_a_folder_of_other_files_is_refused_unless_forced(plan: Plan, tmp_path: Path) -> None:
    (tmp_path / "summary.json").write_text('{"mine": true}', encoding="utf-8")
    (tmp_path / "thesis.docx").write_text("draft", encoding="utf-8")
    with pytest.raises(SimjitError, match=r"is not empty and holds no simjit run \(summary\.json, thesis\.docx\)"):
        execute(plan, tmp_path)
    assert (tmp_path / "summary.json").read_text(encoding="utf-8") == '{"mine": true}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json", "thesis.docx"]  # nothing created
    outcome = execute(plan, tmp_path, force=True)
    assert outcome.status == "complete" and (tmp_path / "thesis.docx").read_text(encoding="utf-8") == "draft"


def test_a_finished_run_is_replaced_only_when_asked(plan: Plan, tmp_path: Path) -> None:
    first = execute(plan, tmp_path).results()
    with pytest.raises(SimjitError, match=r"holds a finished run \(8 tasks, ended .* UTC\); add --resume to extend"):
        execute(plan, tmp_path)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "replications.parquet"), first)
    again = execute(plan, tmp_path, force=True)
    pd.testing.assert_frame_equal(again.results(), first, check_exact=True)


def test_a_part_cut_in_half_is_played_again_on_resume(plan: Plan, tmp_path: Path) -> None:
    whole = execute(plan, tmp_path / "whole").results()

    def stop_after_4(done: int, total: int) -> None:
        if done >= 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        execute(plan, tmp_path / "cut", backend=SerialBackend(), batch_size=2, progress=stop_after_4)
    parts = sorted((tmp_path / "cut" / "parts").glob("part-*.parquet"))
    assert len(parts) == 2
    torn = parts[1]
    torn.write_bytes(torn.read_bytes()[: torn.stat().st_size // 2])  # the machine crashed mid-write
    outcome = execute(plan, tmp_path / "cut", backend=SerialBackend(), batch_size=2, resume=True)
    assert outcome.repaired == [torn.name]
    assert outcome.status == "complete"
    pd.testing.assert_frame_equal(outcome.results(), whole, check_exact=True)
