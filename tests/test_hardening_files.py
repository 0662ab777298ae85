"""Issue 30, files and hangs: nothing written through a file or symlink someone planted, a trace that
takes a seed and a time limit, and whose output paths fail with an error line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simjit.cli import main

SHOP = """
name: shop
horizon: 60
replications: 2
seed: 3
items:
  widget: {unit_cost: 2.0}
suppliers:
  maker: {supplies: [widget], lead_time: 2}
sites:
  shop: {stock: {widget: {source: maker}}}
demand:
  - {at: shop/widget, per_day: {poisson: 5}}
policies:
  bs: {default: {base_stock: {level: 20}}}
  sleepy: {default: {python: {class: "sleepy:Sleepy", params: {}}}}
baseline: bs
"""

SLEEPY = """\
import time


class Sleepy:
    review_period = None
    history = 0

    def decide(self, view):
        if view.time >= 10:
            time.sleep(3600)
        return None
"""


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    (tmp_path / "sleepy.py").write_text(SLEEPY, encoding="utf-8")
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")
    return path


def simjit(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_symlink_planted_at_a_temporary_name_is_not_written_through(
    shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The names a result file used to be written under first (NAME.tmp) may be symlinks to files outside the
    folder: a run replaces the results, never the files the links point at."""
    out = tmp_path / "out"
    assert simjit(capsys, "run", shop, "--policy", "bs", "-n", "2", "--workers", "1", "-o", out)[0] == 0
    victims = {}
    for name in ("summary.json", "manifest.json", "scenario.json", "replications.parquet"):
        victim = tmp_path / f"precious-{name}"
        victim.write_text("mine", encoding="utf-8")
        (out / f"{name}.tmp").symlink_to(victim)
        victims[name] = victim
    code, _, err = simjit(capsys, "run", shop, "--policy", "bs", "-n", "2", "--workers", "1", "-o", out, "--force")
    assert code == 0, err
    assert all(v.read_text(encoding="utf-8") == "mine" for v in victims.values())
    assert pd.read_parquet(out / "replications.parquet").shape[0] == 2


def test_trace_takes_a_seed(shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--seed replays the replication on other random numbers, as run's --seed does; the same seed, the same trace."""
    files = {}
    for name, extra in (("own", []), ("seed9", ["--seed", "9"]), ("seed9b", ["--seed", "9"])):
        path = tmp_path / f"{name}.csv"
        assert simjit(capsys, "trace", shop, "--policy", "bs", "-o", path, *extra)[0] == 0
        files[name] = pd.read_csv(tmp_path / f"{name}.daily.csv")
    assert not files["own"]["demand"].equals(files["seed9"]["demand"])
    assert files["seed9"].equals(files["seed9b"])


def test_trace_stops_a_replication_blocked_in_a_sleep(shop: Path) -> None:
    """A plug-in that sleeps for an hour: --timeout 2 ends the trace with an error line in seconds."""
    done = subprocess.run(
        [sys.executable, "-m", "simjit", "trace", str(shop), "--policy", "sleepy", "--allow-plugins", "--timeout", "2"],
        capture_output=True, text=True, timeout=60, check=False, cwd=shop.parent,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "still running after 2 s (--timeout)" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("timeout", ["0", "-1"])
def test_trace_refuses_a_timeout_of_nothing(shop: Path, timeout: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = simjit(capsys, "trace", shop, "--policy", "bs", "--timeout", timeout)
    assert code == 2 and "--timeout: expected a number of seconds > 0" in err


def test_trace_output_paths(shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A name that is another trace's daily file is refused (it would collide with its own); a new folder is
    made; a path under a file is an error line, not a traceback."""
    code, _, err = simjit(capsys, "trace", shop, "--policy", "bs", "-o", tmp_path / "t.daily.csv")
    assert code == 2 and "is the name of a trace's daily file" in err
    assert not (tmp_path / "t.daily.csv").exists()
    code, _, err = simjit(capsys, "trace", shop, "--policy", "bs", "-o", tmp_path / "new" / "dir" / "t.parquet")
    assert code == 0, err
    assert (tmp_path / "new" / "dir" / "t.daily.parquet").is_file()
    code, _, err = simjit(capsys, "trace", shop, "--policy", "bs", "-o", shop / "t.csv")
    assert code == 2 and f"{shop} is a file, not a folder" in err


def test_run_force_report_keeps_a_report_html_of_the_users(
    shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--force replaces the run in -o DIR, and the README promises other files are kept: a report.html that
    simjit did not write is refused before anything is played; simjit's own report is replaced."""
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "report.html"
    mine.write_text("<html>my notes</html>", encoding="utf-8")
    run = ["run", shop, "--policy", "bs", "-n", "2", "--workers", "1", "-o", out, "--force", "--report"]
    code, _, err = simjit(capsys, *run)
    assert code == 2 and "exists and is not a simjit report, and is kept even with --force" in err
    assert mine.read_text(encoding="utf-8") == "<html>my notes</html>"
    assert not (out / "manifest.json").exists()  # refused before playing
    mine.unlink()
    assert simjit(capsys, *run)[0] == 0
    first = mine.read_text(encoding="utf-8")
    assert simjit(capsys, *run)[0] == 0  # its own report is replaced
    assert "my notes" not in first and mine.stat().st_size > 0


def test_schema_replaces_only_its_own_file_and_never_writes_through_a_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.json"
    notes.write_text('{"mine": true}', encoding="utf-8")
    code, _, err = simjit(capsys, "schema", "-o", notes)
    assert code == 2 and "exists and is not a scenario schema simjit wrote" in err
    assert notes.read_text(encoding="utf-8") == '{"mine": true}'
    link = tmp_path / "schema.json"
    link.symlink_to(notes)
    assert simjit(capsys, "schema", "-o", link, "--force")[0] == 0
    assert notes.read_text(encoding="utf-8") == '{"mine": true}'  # the link was replaced, not its target
    assert not link.is_symlink() and '"$id"' in link.read_text(encoding="utf-8")
    assert simjit(capsys, "schema", "-o", link)[0] == 0  # its own file: replaced without --force


def test_plot_force_replaces_a_symlink_not_its_target(
    shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert simjit(capsys, "run", shop, "--policy", "bs", "-n", "2", "--workers", "1", "-o", out)[0] == 0
    assert simjit(capsys, "plot", out)[0] == 0
    figures = sorted((out / "figures").glob("*.png"))
    assert figures
    precious = tmp_path / "precious.png"
    precious.write_bytes(b"mine")
    figures[0].unlink()
    figures[0].symlink_to(precious)
    assert simjit(capsys, "plot", out, "--force")[0] == 0
    assert precious.read_bytes() == b"mine"
    assert not figures[0].is_symlink() and figures[0].stat().st_size > 1000


def test_a_replay_finds_plug_ins_and_trace_files_where_the_run_did_never_in_the_results_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report replays replications: it must look for the plug-in (and a ``trace:`` file) where the run found
    them, the scenario's folder — not beside the saved scenario.json, where a replay of a run that reads a file
    said "not drawn" and a .py dropped into the results folder was what --allow-plugins imported."""
    source = tmp_path / "src"
    source.mkdir()
    root = Path(__file__).resolve().parents[1] / "scenarios" / "plugins"
    for name in ("plugin_shop.yaml", "capped_base_stock.py"):
        (source / name).write_text((root / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = (source / "plugin_shop.yaml").read_text(encoding="utf-8")
    (source / "demand.csv").write_text(
        "units\n" + "\n".join(str(5 + k % 7) for k in range(40)) + "\n", encoding="utf-8"
    )
    text = text.replace("per_day: {poisson: 12}", "per_day: {trace: demand.csv}")
    (source / "plugin_shop.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    run = ["run", source / "plugin_shop.yaml", "-n", "2", "--workers", "1", "-o", out, "--allow-plugins"]
    assert simjit(capsys, *run, "--set", "horizon=60", "--set", "warmup=0")[0] == 0
    marker = tmp_path / "imported-from-results"
    (out / "capped_base_stock.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    code, _, err = simjit(capsys, "report", out, "--allow-plugins")
    assert code == 0, err
    html = (out / "report.html").read_text(encoding="utf-8")
    assert not marker.exists()
    assert "Not drawn: replaying the run failed" not in html


def test_report_never_writes_through_a_planted_temporary_and_says_why_it_cannot_write(
    shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert simjit(capsys, "run", shop, "--policy", "bs", "-n", "2", "--workers", "1", "-o", out)[0] == 0
    victim = tmp_path / "precious.html"
    victim.write_text("mine", encoding="utf-8")
    (out / "report.html.tmp").symlink_to(victim)
    assert simjit(capsys, "report", out)[0] == 0
    assert victim.read_text(encoding="utf-8") == "mine"
    code, _, err = simjit(capsys, "report", out, "-o", shop / "report.html")  # under a file
    assert code == 2 and "cannot write the report there" in err and "Traceback" not in err


TUNE = ["--policy", "bs", "--param", "policies.bs.default.base_stock.level=15,25", "--budget", "20", "--first", "4"]


def test_tune_resume_refuses_a_folder_that_holds_no_tune_and_a_torn_tune_json_yields_to_force(
    shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--resume into a run's folder wrote a tune among its files; a torn tune.json raised a traceback, even with
    --force (the tune folder's lock and atomic writes are the house issue's: #24)."""
    run = tmp_path / "run"
    assert simjit(capsys, "run", shop, "--policy", "bs", "-n", "2", "--workers", "1", "-o", run)[0] == 0
    code, _, err = simjit(capsys, "tune", shop, *TUNE, "-o", run, "--resume", "--workers", "1")
    assert code == 2 and "holds no tune to resume" in err
    assert not (run / "tune.json").exists()
    tune = tmp_path / "tune"
    assert simjit(capsys, "tune", shop, *TUNE, "-o", tune, "--workers", "1")[0] == 0
    (tune / "tune.json").write_text('{"policy": "b', encoding="utf-8")
    code, _, err = simjit(capsys, "tune", shop, *TUNE, "-o", tune, "--resume", "--workers", "1")
    assert code == 2 and "tune.json cannot be read" in err and "Traceback" not in err
    assert simjit(capsys, "tune", shop, *TUNE, "-o", tune, "--force", "--workers", "1")[0] == 0


@pytest.mark.parametrize("command", ["plot", "tune"])
def test_an_output_folder_under_a_file_is_an_error_line(
    shop: Path, tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "run"
    assert simjit(capsys, "run", shop, "--policy", "bs", "-n", "2", "--workers", "1", "-o", run)[0] == 0
    args = ["plot", run, "-o", shop / "figs"] if command == "plot" else ["tune", shop, *TUNE, "-o", shop / "t"]
    code, _, err = simjit(capsys, *args)
    assert code == 2 and err.startswith("error: ") and "Traceback" not in err, err
