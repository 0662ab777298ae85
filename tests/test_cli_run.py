"""`simjit run` through the command line, as a user runs it: files written, numbers reproducible."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from simjit.experiment import compare
from simjit.experiment.columns import EVENT_COLUMNS, ID_COLUMNS
from simjit.experiment.statistics import star_level

ROOT = Path(__file__).resolve().parent.parent
BRAKE = ROOT / "scenarios" / "brake_plant.yaml"
WIDE = {**os.environ, "COLUMNS": "200"}
"""Tables as wide as they need: no name wrapped across lines."""


def simjit(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simjit", *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=WIDE
    )


def test_run_writes_results_for_every_policy_and_replication(tmp_path: Path) -> None:
    done = simjit("run", str(BRAKE), "-n", "3", "-o", str(tmp_path), "--csv")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    table = pd.read_parquet(tmp_path / "replications.parquet")
    assert sorted(table["policy"].unique()) == ["eoq", "hybrid", "jit", "safety_stock"]
    assert len(table) == 12 and set(table["replication"]) == {0, 1, 2}
    assert {"total_cost", "fill_rate", "plant/pad.avg_on_hand", "dc/brake.fill_rate"} <= set(table.columns)
    assert pd.read_csv(tmp_path / "replications.csv").shape == table.shape
    assert pd.read_csv(tmp_path / "disruptions.csv").shape == pd.read_parquet(tmp_path / "disruptions.parquet").shape
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["baseline"] == "eoq"
    assert {row["policy"] for row in summary["versus_baseline"]} == {"jit", "safety_stock", "hybrid"}
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["tasks_done"] == 12 and manifest["seed"] == 2026 and len(manifest["scenario_hash"]) == 64
    assert manifest["status"] == "complete" and manifest["plan"]["policies"] == ["jit", "eoq", "safety_stock", "hybrid"]
    assert {"simjit", "numpy", "simpy", "pandas"} <= set(manifest["versions"])
    assert "total_cost" in done.stdout and "fill_rate" in done.stdout


def test_the_tables_show_each_policy_against_the_baseline(tmp_path: Path) -> None:
    shop = ROOT / "scenarios" / "textbook_shop.yaml"
    args = ["run", str(shop), "-n", "6", "-o", str(tmp_path), "--kpi", "total_cost", "--kpi", "fill_rate"]
    done = subprocess.run([sys.executable, "-m", "simjit", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "COLUMNS": "200"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "— cost: 6 replications" in done.stdout and "— service: 6 replications" in done.stdout
    summary = json.loads((tmp_path / "summary.json").read_text())
    fill = {r["policy"]: r["mean"] for r in summary["policies"] if r["kpi"] == "fill_rate"}
    versus = {r["policy"]: r for r in summary["versus_baseline"] if r["kpi"] == "fill_rate"}
    service = done.stdout[done.stdout.index("— service:") :]
    rows = {}
    for line in service.splitlines():
        named = [token for token in line.split() if token in fill]
        if named:
            rows[named[0]] = line
    assert set(rows) == set(fill) and "baseline" in rows["eoq"]
    for policy, row in versus.items():
        assert row["n"] == 6 and rows[policy].rstrip().endswith(f"{row['p_better']:.0%}"), rows[policy]
    best = max(fill, key=fill.__getitem__)  # ★ only if clearly better than every other policy, paired; else ≈
    shown = {p: m for p, line in rows.items() for m in ("★", "≈") if m in line.split()}
    table = pd.read_parquet(tmp_path / "replications.parquet")
    paired = compare(table, ["fill_rate"], best, star_level(0.95, len(fill))).set_index("policy")
    tied = {p for p in paired.index if not paired.loc[p, "ci_high"] < 0}  # not clearly below the best
    assert shown == ({p: "≈" for p in {best, *tied}} if tied else {best: "★"}), (shown, paired)
    half = {r["policy"]: (r["ci_high"] - r["ci_low"]) / 2 for r in summary["policies"] if r["kpi"] == "fill_rate"}
    for policy, line in rows.items():
        if half[policy] == 0:  # the same in every replication: the value alone, no ± 0
            assert "±" not in line.split("baseline")[0].split("[")[0], line
            continue
        shown, width = re.search(r"([\d.,]+) ± ([\d.,]+)", line).groups()  # type: ignore[union-attr]
        unit = 0.5 * 10 ** -len(shown.split(".")[-1]) + 1e-12  # half the last shown digit: both are rounded to it
        assert len(width.replace(".", "").lstrip("0")) == 2, line  # two significant digits
        assert abs(float(shown) - fill[policy]) <= unit and abs(float(width) - half[policy]) <= unit, line


def test_results_do_not_depend_on_worker_count(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert simjit("run", str(BRAKE), "-n", "2", "-o", str(one), "--workers", "1").returncode == 0
    assert simjit("run", str(BRAKE), "-n", "2", "-o", str(two), "--workers", "2").returncode == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet(one / "replications.parquet"), pd.read_parquet(two / "replications.parquet")
    )


def test_seed_changes_results(tmp_path: Path) -> None:
    assert simjit("run", str(BRAKE), "-n", "2", "--policy", "eoq", "-o", str(tmp_path / "a")).returncode == 0
    assert (
        simjit("run", str(BRAKE), "-n", "2", "--policy", "eoq", "--seed", "7", "-o", str(tmp_path / "b")).returncode
        == 0
    )
    a = pd.read_parquet(tmp_path / "a" / "replications.parquet")
    b = pd.read_parquet(tmp_path / "b" / "replications.parquet")
    assert not a["total_cost"].equals(b["total_cost"])


def test_unknown_policy_is_a_clear_error() -> None:
    done = simjit("run", str(BRAKE), "-n", "1", "--policy", "kanbn")
    assert done.returncode == 2
    assert "unknown policy set 'kanbn'" in done.stderr and "Traceback" not in done.stderr


def test_readme_first_command_runs(tmp_path: Path) -> None:
    """The README's first command (after its install step) works from a fresh directory."""
    lines = (ROOT / "README.md").read_text().splitlines()
    first = next(line for line in lines if line.startswith("pip install ") and "simjit run" in line)
    command = shlex.split(first.split("&&", 1)[1])
    assert command[:2] == ["simjit", "run"]
    scenario = ROOT / command[2]
    args = [str(scenario), *command[3:]]
    out_dir = args[args.index("-o") + 1]
    args[args.index("-o") + 1] = str(tmp_path / out_dir)
    done = simjit("run", *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / out_dir / "replications.parquet").is_file()
    assert "holding_cost" in done.stdout and "shortage_cost" in done.stdout  # the trade-off, in the tables
    report = tmp_path / out_dir / "report.html"
    assert report.is_file()
    after = done.stderr[done.stderr.index("next:") :]  # where to look next, the report first
    assert f"open {report}" in after and "simjit plot" in after and "docs/tutorial.md" in after


def test_a_run_without_output_says_how_to_keep_it_and_quiet_says_nothing() -> None:
    args = ["run", str(BRAKE), "-n", "1", "--set", "horizon=60", "--policy", "jit"]
    said = simjit(*args).stderr
    assert f"simjit run {BRAKE} -o DIR --report" in said and f"simjit trace {BRAKE} --policy jit" in said
    assert "next:" not in simjit(*args, "--quiet").stderr


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_line = next(line for line in readme.splitlines() if line.startswith("pip install ") and "pytest" in line)
    pattern = re.search(r"grep -m1 -E '([^']+)' README.md", ci)
    assert pattern is not None and re.match(pattern.group(1), test_line)


def test_a_finished_run_is_replaced_only_with_force(tmp_path: Path) -> None:
    assert simjit("run", str(BRAKE), "-n", "2", "--policy", "eoq", "-o", str(tmp_path)).returncode == 0
    again = simjit("run", str(BRAKE), "-n", "3", "--policy", "eoq", "-o", str(tmp_path))
    assert again.returncode == 2 and "Traceback" not in again.stderr
    assert f"error: -o {tmp_path} holds a finished run (2 tasks, ended" in again.stderr
    assert "add --resume to extend it (with a larger -n), --force to replace it" in again.stderr
    assert len(pd.read_parquet(tmp_path / "replications.parquet")) == 2  # untouched
    forced = simjit("run", str(BRAKE), "-n", "3", "--policy", "eoq", "-o", str(tmp_path), "--force")
    assert forced.returncode == 0, forced.stderr
    assert len(pd.read_parquet(tmp_path / "replications.parquet")) == 3


def test_an_output_path_that_is_a_file_or_foreign_folder_is_refused(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    done = simjit("run", str(BRAKE), "-n", "1", "--policy", "eoq", "-o", str(notes))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "this is a file, not a directory" in done.stderr and notes.read_text(encoding="utf-8") == "mine"
    done = simjit("run", str(BRAKE), "-n", "1", "--policy", "eoq", "-o", str(tmp_path))
    assert done.returncode == 2 and "is not empty and holds no simjit run (notes.txt)" in done.stderr


def test_user_text_is_printed_literally(tmp_path: Path) -> None:
    text = BRAKE.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("name:"))  # after the header comment
    scenario = tmp_path / "plan.yaml"
    scenario.write_text(text.replace(name, 'name: "Q3 [/draft] plan [draft] :x:"'), encoding="utf-8")
    for args in (("validate", str(scenario)), ("run", str(scenario), "-n", "1", "--policy", "eoq")):
        done = simjit(*args)
        assert done.returncode == 0, done.stderr
        assert "Q3 [/draft] plan [draft] :x:" in done.stdout


def test_warnings_are_printed_unless_quiet(tmp_path: Path) -> None:
    late = ["--set", "events=[{name: late, hits: [pads_asia], start: 5000, duration: 5}]"]
    done = simjit("validate", str(BRAKE), *late)
    assert done.returncode == 0
    assert "warning: --set events=" not in done.stderr  # located in the file or named by the option
    assert "events[0].start: this disruption starts on day 5000, after the horizon" in done.stderr
    assert "warning" not in simjit("validate", str(BRAKE), *late, "--quiet").stderr
    run = simjit("run", str(BRAKE), "-n", "1", "--policy", "eoq", *late)
    assert run.returncode == 0 and "after the horizon" in run.stderr


def test_timeout_and_force_are_checked_as_options() -> None:
    done = simjit("run", str(BRAKE), "-n", "1", "--timeout", "0")
    assert done.returncode == 2 and "--timeout: expected a number of seconds > 0, got 0" in done.stderr
    done = simjit("run", str(BRAKE), "-n", "1", "--force", "--resume", "-o", "somewhere")
    assert done.returncode == 2 and "--force and --resume contradict each other" in done.stderr


def test_resume_needs_an_output_directory() -> None:
    done = simjit("run", str(BRAKE), "-n", "1", "--resume")
    assert done.returncode == 2 and "--resume needs -o DIR" in done.stderr


def test_dask_local_through_the_command_line(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    done = simjit(
        "run", str(BRAKE), "-n", "2", "--policy", "jit", "-o", str(tmp_path), "--dask", "local", "--workers", "2"
    )
    assert done.returncode == 0, done.stderr
    assert len(pd.read_parquet(tmp_path / "replications.parquet")) == 2


@pytest.mark.parametrize("name", ["validate", "schema", "run", "sweep"])
def test_help_of_each_command(name: str) -> None:
    done = simjit(name, "--help")
    assert done.returncode == 0 and done.stdout.startswith(f"usage: simjit {name} ") and "[OPTIONS]" in done.stdout


# --- disruption events -------------------------------------------------------------------------

JIT_EOQ = ["--policy", "jit", "--policy", "eoq", "--workers", "1"]


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The brake plant, JIT against EOQ over 3 replications."""
    directory = tmp_path_factory.mktemp("three")
    return directory, simjit("run", str(BRAKE), "-n", "3", *JIT_EOQ, "-o", str(directory))


def test_run_writes_one_row_per_disruption_event_with_the_same_events_under_every_policy(
    three: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    directory, done = three
    assert done.returncode == 0, done.stderr
    events = pd.read_parquet(directory / "disruptions.parquet")
    assert list(events.columns) == [*ID_COLUMNS, *EVENT_COLUMNS]
    assert events["survived"].dtype == bool and events["recovered"].dtype == bool
    assert not events.duplicated(["policy", "replication", "event"]).any(), "one row per event"
    assert set(events["policy"]) == {"jit", "eoq"} and set(events["replication"]) == {0, 1, 2}
    for replication, group in events.groupby("replication"):
        seen = {
            policy: set(zip(g["event"], g["start"], g["end"], strict=True)) for policy, g in group.groupby("policy")
        }
        assert seen["jit"] == seen["eoq"], f"replication {replication}: common random numbers, common events"
    closure = events[events["disruption"] == "pads_asia.disruptions.0"]
    assert len(closure) == 6, "the scheduled closure: once per policy and replication"
    assert (closure["event"] == "pads_asia.disruptions.0").all() and (closure["start"] == 150).all()
    assert (events["end"] >= events["start"]).all() and (events["time_to_survive"] >= 0).all()
    table = pd.read_parquet(directory / "replications.parquet").set_index(["policy", "replication"])
    means = events.groupby(["policy", "replication"])[["time_to_survive", "units_short"]].mean()
    pd.testing.assert_frame_equal(table.loc[means.index, means.columns], means, check_names=False)
    summary = json.loads((directory / "summary.json").read_text())
    hit = {(r["policy"], r["kpi"]): r for r in summary["resilience"] if r["disruption"] == "pads_asia.disruptions.0"}
    assert {r["replications"] for r in hit.values()} == {3} and hit[("jit", "time_to_survive")]["n_paired"] == 3
    assert f"wrote {directory / 'disruptions.parquet'}" in done.stderr


def test_run_prints_the_kpi_groups_in_catalogue_order_then_the_resilience_table(
    three: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    _, done = three
    titles = [
        "— cost:",
        "— service:",
        "— resilience:",
        "— stock and orders:",
        "— resilience to pads_asia.disruptions.0:",
    ]
    at = [done.stdout.find(title) for title in titles]
    assert -1 not in at and at == sorted(at), at
    block = done.stdout[at[-1] :].split("resilience to")[1]
    rows = [line.split() for line in block.splitlines() if line.split()[:1] in (["jit"], ["eoq"])]
    assert [row[:3] for row in rows] == [["jit", "3", "(3)"], ["eoq", "3", "(3)"]], block
    backup = next(line for line in done.stdout.splitlines() if line.split()[:2] == ["backup_units", "jit"])
    assert not {"★", "≈"} & set(backup.split()) and backup.rstrip().endswith("–"), (
        "units to the backup supplier are neither good nor bad"
    )


def test_no_star_on_a_network_sum_of_unlike_items(tmp_path: Path) -> None:
    kpis = ["--kpi", "avg_on_hand", "--kpi", "plant/pad.avg_on_hand", "--kpi", "avg_on_hand_value"]
    done = simjit("run", str(BRAKE), "-n", "2", *JIT_EOQ, *kpis, "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()

    def rows(kpi: str) -> list[str]:
        at = next(i for i, line in enumerate(lines) if line.split()[:1] == [kpi])
        return lines[at : at + 2]  # jit, then eoq (the baseline)

    def marked(kpi: str) -> bool:
        return any({"★", "≈"} & set(line.split()) for line in rows(kpi))

    assert not marked("avg_on_hand"), "pads, calipers and brakes do not add up"
    assert rows("avg_on_hand")[0].rstrip().endswith("–"), "nor is one policy better on their sum"
    assert marked("plant/pad.avg_on_hand"), "one stock point holds one item"
    assert marked("avg_on_hand_value"), "money adds up"
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert {r["rank"] for r in summary["policies"] if r["kpi"] == "avg_on_hand"} == {None}
    assert {r["rank"] for r in summary["policies"] if r["kpi"] == "avg_on_hand_value"} == {1, 2}


@pytest.fixture(scope="module")
def eight(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted run of 8 replications: what a resumed one must equal."""
    directory = tmp_path_factory.mktemp("eight")
    done = simjit("run", str(BRAKE), "-n", "8", *JIT_EOQ, "-o", str(directory))
    assert done.returncode == 0, done.stderr
    return directory


def _same_results(a: Path, b: Path) -> None:
    for name in ("replications.parquet", "disruptions.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(a / name), pd.read_parquet(b / name), check_exact=True)


def test_resume_after_a_killed_run_gives_the_same_disruptions(tmp_path: Path, eight: Path) -> None:
    args = [sys.executable, "-m", "simjit", "run", str(BRAKE), "-n", "8", *JIT_EOQ, "--batch-size", "1"]
    run = subprocess.Popen([*args, "-o", str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("parts/part-*.parquet"))) < 3 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.01)
    run.send_signal(signal.SIGKILL)
    run.communicate()
    stored = len(list(tmp_path.glob("parts/part-*.parquet")))
    assert 3 <= stored < 16, f"{stored} parts: the run was to be killed half-way"
    assert len(list(tmp_path.glob("parts/disruptions-*.parquet"))) >= stored, "every stored task has its events"
    resumed = simjit("run", str(BRAKE), "-n", "8", *JIT_EOQ, "-o", str(tmp_path), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    _same_results(tmp_path, eight)
    assert not (tmp_path / "parts").exists()


def test_resume_with_more_replications_gives_the_same_disruptions(tmp_path: Path, eight: Path) -> None:
    first = simjit("run", str(BRAKE), "-n", "3", *JIT_EOQ, "-o", str(tmp_path))
    assert first.returncode == 0, first.stderr
    more = simjit("run", str(BRAKE), "-n", "8", *JIT_EOQ, "-o", str(tmp_path), "--resume")
    assert more.returncode == 0, more.stderr
    _same_results(tmp_path, eight)


def test_a_sweep_point_without_disruptions_shows_a_dash_for_resilience() -> None:
    """Closure lengths 0 and 15: at 0 there is no port-closure event (other disruptions are turned
    off), so time to recover has nothing to average — a dash, not a crash or a made-up number."""
    calm = ["--set", "events=[]", "--set", "suppliers.pads_asia.disruptions.1.mtbf=100000",
            "--set", "sites.plant.lines.assembly.breakdowns=null"]  # fmt: skip
    done = simjit("sweep", str(BRAKE), "--vary", "suppliers.pads_asia.disruptions.0.duration=0,15", "-n", "2",
                  *JIT_EOQ, *calm, "--kpi", "time_to_recover", "--kpi", "units_short")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    zero = [line.split() for line in done.stdout.splitlines() if line.split()[:1] == ["duration=0"]]
    assert zero == [["duration=0", "–", "–"]] * 2, done.stdout


@pytest.mark.parametrize("kpi, close", [("fill_rat", "fill_rate"), ("shop/lamp.fill_rat", "shop/lamp.fill_rate")])
def test_an_unknown_kpi_is_refused_before_anything_runs(tmp_path: Path, kpi: str, close: str) -> None:
    done = simjit("run", str(ROOT / "scenarios" / "textbook_shop.yaml"), "-n", "2", "--kpi", kpi, "-o", str(tmp_path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"error: --kpi {kpi}: unknown KPI {kpi!r} (did you mean {close!r}?)" in done.stderr
    assert not (tmp_path / "manifest.json").exists()


def test_kpis_the_scenario_cannot_produce_are_left_out_and_named(tmp_path: Path) -> None:
    """The textbook shop backorders every shortage and has no disruption: lost sales are 0 and the
    resilience KPIs have no value in every replication, so the headline tables leave those rows
    out and say so; asked for with --kpi, a row is shown."""
    shop = str(ROOT / "scenarios" / "textbook_shop.yaml")
    done = simjit("run", shop, "-n", "3", "--workers", "1", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    kpis = {line.split()[0] for line in done.stdout.splitlines() if len(line.split()) > 2}
    prefix = "zero or without a value in every replication, not shown: "
    notes = [line for line in done.stdout.splitlines() if line.startswith(prefix)]
    assert len(notes) == 1, done.stdout
    hidden = notes[0].removeprefix(prefix).split(", ")
    assert {"lost_sales", "time_to_survive", "time_to_recover"} <= set(hidden), "no disruption: no resilience"
    assert not set(hidden) & kpis, done.stdout
    table = pd.read_parquet(tmp_path / "replications.parquet")
    assert all(((table[k] == 0) | table[k].isna()).all() for k in hidden), "only KPIs 0 or NaN everywhere go"
    assert {"total_cost", "fill_rate", "avg_backorders"} <= kpis

    asked = simjit("run", shop, "-n", "3", "--workers", "1", "--kpi", "lost_sales", "--kpi", "total_cost")
    assert asked.returncode == 0, asked.stderr
    rows = [line.split() for line in asked.stdout.splitlines() if line.split()[:1] == ["lost_sales"]]
    assert len(rows) == 1 and rows[0][2] == "0", asked.stdout
    assert "not shown" not in asked.stdout


def test_resume_n_is_the_total_and_the_csv_follows_the_parquet(tmp_path: Path) -> None:
    """-n with --resume counts replications in all: the same -n adds nothing and says so; a larger
    one adds the difference, and a CSV written earlier is rewritten even without --csv."""
    shop = str(ROOT / "scenarios" / "textbook_shop.yaml")
    first = simjit("run", shop, "-n", "2", "--workers", "1", "--csv", "-o", str(tmp_path))
    assert first.returncode == 0, first.stderr
    again = simjit("run", shop, "-n", "2", "--workers", "1", "--resume", "-o", str(tmp_path))
    assert again.returncode == 0 and "complete with 2 replications: nothing to add" in again.stderr, again.stderr
    changed = simjit("run", shop, "-n", "2", "--workers", "1", "--resume", "-o", str(tmp_path), "--seed", "7")
    assert changed.returncode == 2 and "nothing to add" not in changed.stderr, "a refused resume says only why"
    more = simjit("run", shop, "-n", "3", "--workers", "1", "--resume", "-o", str(tmp_path))
    assert more.returncode == 0 and "nothing to add" not in more.stderr, more.stderr
    table = pd.read_parquet(tmp_path / "replications.parquet")
    assert sorted(set(table["replication"])) == [0, 1, 2]
    assert pd.read_csv(tmp_path / "replications.csv").shape == table.shape
