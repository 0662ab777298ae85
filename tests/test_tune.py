"""``simjit tune`` against closed forms: the race finds the optimum theory names, on every backend.

One stock point under a base-stock policy, Poisson unit arrivals (rate λ) and exponential lead
times (mean L), backorders. Its outstanding orders are an M/M/∞ pipeline, so (Palm's theorem) the
lead-time demand X in steady state is Poisson(λL) whatever the lead-time distribution; on hand is
(S − X)⁺ and backorders (X − S)⁺. With holding cost h and backorder cost b per unit-day the cost
rate h·E(S − X)⁺ + b·E(X − S)⁺ is least at the smallest S with P(X ≤ S) ≥ b/(b + h) (the
newsvendor fractile); purchases are one per demand whatever S, so they cancel in paired
comparisons. An arrival is served from stock when it finds X ≤ S − 1 (PASTA): fill = P(X ≤ S − 1).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from simjit.cli import main
from simjit.errors import ScenarioError, UsageError
from simjit.experiment import ProcessBackend, SerialBackend
from simjit.experiment.racing import Constraint
from simjit.experiment.tune import TuneOutcome, TuneSpec, prepare_tune, run_tune
from simjit.experiment.tune_search import FINALISTS, SEARCH_THRESHOLD, Score, choose_mode, finalists
from simjit.experiment.tune_space import parse_param

RATE, LEAD = 1.0, 4.0
LEVEL = "policies.bs.default.base_stock.level"


def scenario_file(folder: Path, holding: float, backorder: float, horizon: float = 1050, level: int = 2) -> Path:
    """The base-stock system above, written as a scenario file (its level deliberately poor)."""
    text = f"""
name: base stock, Poisson demand, exponential lead times
horizon: {horizon}
warmup: 50
replications: 5
seed: 20250115
items:
  part: {{unit_cost: 1.0}}
costs: {{holding_cost: {holding}, order_cost: 0.0, backorder_cost: {backorder}}}
suppliers:
  vendor: {{supplies: [part], lead_time: {{exponential: {{mean: {LEAD}}}}}}}
sites:
  shop: {{stock: {{part: {{source: vendor}}}}}}
demand:
  - {{at: shop/part, arrivals: {{rate: {RATE}, size: 1}}, on_stockout: backorder}}
policies:
  bs: {{default: {{base_stock: {{level: {level}}}}}}}
"""
    path = folder / "bs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def newsvendor_level(holding: float, backorder: float) -> int:
    """The smallest S with P(Poisson(λL) ≤ S) ≥ b/(b + h)."""
    fractile = backorder / (backorder + holding)
    return next(s for s in range(100) if stats.poisson.cdf(s, RATE * LEAD) >= fractile)


def fill_level(target: float) -> int:
    """The smallest S with fill = P(Poisson(λL) ≤ S − 1) ≥ target."""
    return next(s for s in range(1, 100) if stats.poisson.cdf(s - 1, RATE * LEAD) >= target)


def tuned(file: Path, out: Path, spec: TuneSpec, backend: object = None) -> TuneOutcome:
    prepared = prepare_tune(file, spec)
    return run_tune(prepared, out, backend=backend or SerialBackend())  # type: ignore[arg-type]


def test_cost_optimum_is_the_newsvendor_fractile_of_poisson_lead_time_demand(tmp_path: Path) -> None:
    h, b = 3.0, 7.0
    expected = newsvendor_level(h, b)
    spec = TuneSpec("bs", (parse_param(f"{LEVEL}=0:12"),))
    outcome = tuned(scenario_file(tmp_path, h, b), tmp_path / "out", spec)
    found = outcome.best_params()[LEVEL]
    print(f"newsvendor S* = {expected}, tuner: {found} ({outcome.used} replications, stopped: {outcome.stopped})")
    assert expected == 5
    assert found == expected
    assert outcome.tied == []
    assert (tmp_path / "out" / "tuned.yaml").read_text().strip().endswith(f"{LEVEL}: {expected}")


def test_smallest_level_meeting_a_fill_rate_is_palms(tmp_path: Path) -> None:
    target = 0.85
    expected = fill_level(target)
    spec = TuneSpec("bs", (parse_param(f"{LEVEL}=2:11"),), constraints=(Constraint.parse(f"fill_rate>={target}"),))
    outcome = tuned(scenario_file(tmp_path, 1.0, 0.0), tmp_path / "out", spec)
    found = outcome.best_params()[LEVEL]
    print(f"Palm: S* = {expected} (fill {stats.poisson.cdf(expected - 1, RATE * LEAD):.4f}), tuner: {found} "
          f"({outcome.used} replications)")  # fmt: skip
    assert found == expected
    verdicts = {r.params[LEVEL]: r.judgements[f"fill_rate>={target}"].verdict for r in outcome.results}
    assert verdicts[expected] == "feasible"
    assert all(verdicts[s] == "infeasible" for s in range(2, expected))


def test_a_constraint_no_candidate_meets_is_reported_infeasible(tmp_path: Path) -> None:
    spec = TuneSpec("bs", (parse_param(f"{LEVEL}=0:4"),), constraints=(Constraint.parse("fill_rate>=0.99"),))
    outcome = tuned(scenario_file(tmp_path, 1.0, 0.0, horizon=550), tmp_path / "out", spec)
    assert outcome.best is None and outcome.best_params() == {}
    assert all("infeasible" in r.status for r in outcome.results)
    assert not (tmp_path / "out" / "tuned.yaml").exists()


def rq_cost(r: int, q: int, holding: float, backorder: float, order_cost: float, lead: float) -> float:
    """Exact cost rate of continuous-review (r, Q) with Poisson unit demand and a constant lead time:
    the inventory position is uniform on r+1 … r+Q and independent of the lead-time demand
    X ~ Poisson(λL), so the cost is the mean of G(y) = h·E(y − X)⁺ + b·E(X − y)⁺ over those y, plus
    K·λ/Q for ordering (Hadley & Whitin 1963; Zipkin 2000, §6.4)."""
    x = np.arange(200)
    p = stats.poisson.pmf(x, RATE * lead)

    def g(y: int) -> float:
        return float(np.sum(p * (holding * np.maximum(y - x, 0) + backorder * np.maximum(x - y, 0))))

    return float(np.mean([g(y) for y in range(r + 1, r + q + 1)])) + order_cost * RATE / q


RQ_COSTS = (1.0, 9.0, 10.0, 4)
"""h, b, K and the constant lead time of the (r, Q) case."""
R_PATH, Q_PATH = "policies.rq.default.r_Q.reorder_point", "policies.rq.default.r_Q.order_quantity"


def rq_file(folder: Path) -> Path:
    """The (r, Q) case as a scenario file: the base-stock system with order cost K and a constant lead time."""
    h, b, k, lead = RQ_COSTS
    text = scenario_file(folder, h, b).read_text()
    text = text.replace("order_cost: 0.0", f"order_cost: {k}").replace("{exponential: {mean: 4.0}}", str(lead))
    text = text.replace("base_stock: {level: 2}", "r_Q: {reorder_point: 2, order_quantity: 3}")
    (folder / "rq.yaml").write_text(text.replace("bs:", "rq:"), encoding="utf-8")
    return folder / "rq.yaml"


def test_rq_optimum_is_the_exact_one(tmp_path: Path) -> None:
    exact = {(r, q): rq_cost(r, q, *RQ_COSTS) for r in range(3, 9) for q in range(3, 10)}
    expected = min(exact, key=exact.__getitem__)
    r_path, q_path = R_PATH, Q_PATH
    spec = TuneSpec("rq", (parse_param(f"{r_path}=3:8"), parse_param(f"{q_path}=3:9")))
    outcome = tuned(rq_file(tmp_path), tmp_path / "out", spec)
    found = (outcome.best_params()[r_path], outcome.best_params()[q_path])
    print(f"(r, Q) exact optimum {expected} (cost {exact[expected]:.4f}/day), tuner: {found} "
          f"({outcome.used} replications over {len(exact)} candidates, tied {outcome.tied})")  # fmt: skip
    assert expected == (4, 6)
    assert found == expected


def _signature(outcome: TuneOutcome) -> list[tuple[str, int, float, str]]:
    return [(r.name, r.replications, r.mean, r.status) for r in outcome.results]


# --- large spaces: optuna searches, the race selects -----------------------------------------

LARGE = (f"{R_PATH}=0:30", f"{Q_PATH}=1:30")
"""31 × 30 = 930 candidates: past the threshold, so the tune searches before it races."""


@pytest.fixture(scope="module")
def searched(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TuneOutcome]:
    """The large (r, Q) space tuned serially with the default budget (one tune for the tests below)."""
    folder = tmp_path_factory.mktemp("search")
    file = rq_file(folder)
    return file, tuned(file, folder / "out", TuneSpec("rq", tuple(parse_param(p) for p in LARGE)))


def test_search_then_race_finds_the_exact_rq_optimum_in_930_candidates(searched: tuple[Path, TuneOutcome]) -> None:
    _, outcome = searched
    exact = {(r, q): rq_cost(r, q, *RQ_COSTS) for r in range(0, 31) for q in range(1, 31)}
    expected = min(exact, key=exact.__getitem__)
    found = outcome.search
    assert found is not None and outcome.space == 930 > SEARCH_THRESHOLD
    kept = {(r.params[R_PATH], r.params[Q_PATH]) for r in outcome.kept()}
    race_all = 930 * 10  # racing every candidate: its first round alone
    print(f"(r, Q) exact optimum {expected} ({exact[expected]:.4f}/day); search: {len(found.scores)} candidates "
          f"scored in {len(found.trials)} trials; best {outcome.best_params()}, kept {sorted(kept)}; "
          f"{outcome.used} replications in all (racing all 930: at least {race_all})")  # fmt: skip
    assert expected == (4, 6)
    assert expected in kept  # the best, or one the race cannot tell apart from it
    assert len(found.finalists) == FINALISTS
    assert outcome.used <= outcome.budget and outcome.used < race_all / 10
    # No replaying: every replication stored once, the finalists' search replications counted in the race.
    lines = (outcome.directory / "observations.jsonl").read_text().splitlines()
    assert len(lines) == len({(json.loads(x)["variant"], json.loads(x)["replication"]) for x in lines}) == outcome.used


def test_the_formulas_warm_start_is_the_first_trial(searched: tuple[Path, TuneOutcome]) -> None:
    file, outcome = searched
    prepared = prepare_tune(file, TuneSpec("rq", tuple(parse_param(p) for p in LARGE)))
    assert prepared.search is not None and prepared.search.warm == prepared.candidates[0].name
    assert prepared.candidates[0].params == {R_PATH: 4, Q_PATH: 4}  # r = λL = 4, Q = EOQ √(2·10·1/1) ≈ 4.5
    assert outcome.search is not None and outcome.search.trials[0] == prepared.search.warm


def test_search_is_reproducible_and_the_same_on_two_processes_and_dask(
    searched: tuple[Path, TuneOutcome], tmp_path: Path
) -> None:
    """A smaller search (20 trials, so Dask's round trips stay cheap), played twice serially, on two
    processes and on Dask: the same trials, finalists and result."""
    distributed = pytest.importorskip("distributed")
    from simjit.experiment import DaskBackend

    file, _ = searched
    spec = TuneSpec("rq", tuple(parse_param(p) for p in LARGE), budget=400)
    serial = tuned(file, tmp_path / "serial", spec)
    again = tuned(file, tmp_path / "again", spec)
    pooled = tuned(file, tmp_path / "pool", spec, ProcessBackend(2))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        on_dask = tuned(file, tmp_path / "dask", spec, DaskBackend(c.scheduler_address))
    assert serial.search is not None and len(serial.search.scores) == 20 and serial.used <= 400
    for other in (again, pooled, on_dask):
        assert other.search is not None
        assert other.search.trials == serial.search.trials and other.search.finalists == serial.search.finalists
        assert _signature(other) == _signature(serial) and other.used == serial.used


def test_search_folds_constraints_in_and_finds_palms_level(tmp_path: Path) -> None:
    target = 0.85
    spec = TuneSpec("bs", (parse_param(f"{LEVEL}=0:80"),), constraints=(Constraint.parse(f"fill_rate>={target}"),),
                    search="optuna", budget=500)  # fmt: skip
    outcome = tuned(scenario_file(tmp_path, 1.0, 0.0, horizon=550), tmp_path / "out", spec)
    assert outcome.search is not None and outcome.used <= 500
    assert outcome.best_params()[LEVEL] == fill_level(target)


def test_choose_mode_and_finalists() -> None:
    assert choose_mode("auto", SEARCH_THRESHOLD) == "grid" and choose_mode("auto", SEARCH_THRESHOLD + 1) == "optuna"
    assert choose_mode("grid", 10_000) == "grid" and choose_mode("optuna", 5) == "optuna"
    scores = {"a": Score(3.0, (0.1,)), "b": Score(5.0, (-1.0,)), "c": Score(1.0, (0.5,)), "d": Score(4.0, (0.0,))}
    assert finalists(scores, 3) == ["d", "b", "a"]


def test_same_result_serial_processes_and_dask(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from simjit.experiment import DaskBackend

    file = scenario_file(tmp_path, 3.0, 7.0, horizon=300)
    spec = TuneSpec("bs", (parse_param(f"{LEVEL}=3:7"),), first=4, most=40)
    serial = tuned(file, tmp_path / "serial", spec)
    pooled = tuned(file, tmp_path / "pool", spec, ProcessBackend(2))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        on_dask = tuned(file, tmp_path / "dask", spec, DaskBackend(c.scheduler_address))
    assert _signature(serial) == _signature(pooled) == _signature(on_dask)
    assert serial.best is not None


def test_resume_plays_nothing_twice(tmp_path: Path) -> None:
    file = scenario_file(tmp_path, 3.0, 7.0, horizon=300)
    spec = TuneSpec("bs", (parse_param(f"{LEVEL}=3:7"),), first=4, most=20)
    first = tuned(file, tmp_path / "out", spec)
    lines = (tmp_path / "out" / "observations.jsonl").read_text().splitlines()
    again = run_tune(prepare_tune(file, spec), tmp_path / "out", resume=True)
    assert _signature(again) == _signature(first)
    assert (tmp_path / "out" / "observations.jsonl").read_text().splitlines() == lines
    with pytest.raises(Exception, match="holds a tune already; add --resume"):
        run_tune(prepare_tune(file, spec), tmp_path / "out")


def test_racing_saves_replications_over_running_every_value_to_the_final_precision(tmp_path: Path) -> None:
    """20 values of one integer parameter: the race against all 20 played as long as the winner was."""
    spec = TuneSpec("bs", (parse_param(f"{LEVEL}=0:19"),), first=5, most=200, budget=4000)
    outcome = tuned(scenario_file(tmp_path, 3.0, 7.0, horizon=150), tmp_path / "out", spec)
    winner = next(r for r in outcome.results if r.name == outcome.best)
    exhaustive = 20 * winner.replications
    ratio = outcome.used / exhaustive
    print(f"racing: {outcome.used} replications; every value to {winner.replications}: {exhaustive}; "
          f"ratio {ratio:.2f}; best {outcome.best_params()}, tied {outcome.tied}")  # fmt: skip
    assert winner.replications > spec.first
    assert ratio < 0.5


# --- from Python --------------------------------------------------------------------------------


def test_tune_policy_is_the_commands_race_from_python(tmp_path: Path) -> None:
    """A notebook's tune: option texts as the command takes them, the table, the response figure."""
    from simjit.experiment import tune_policy
    from simjit.plots import tune_response

    file = scenario_file(tmp_path, 1.0, 0.0)
    outcome = tune_policy(file, "bs", f"{LEVEL}=2:11", subject_to="fill_rate>=0.85")
    assert outcome.best_params() == {LEVEL: fill_level(0.85)}
    assert (outcome.directory / "tuned.yaml").is_file(), "a temporary folder, kept for the observations"
    table = outcome.table()
    assert list(table[LEVEL]) == [r.params[LEVEL] for r in outcome.results]
    assert list(table.columns) == [LEVEL, "n", "mean", "ci_low", "ci_high", "diff", "diff_low", "diff_high",
                                   "fill_rate", "fill_rate>=0.85", "status"]  # fmt: skip
    assert table["status"].iloc[0] == "best" and table.loc[0, "diff"] == 0
    assert set(table["fill_rate>=0.85"]) <= {"feasible", "infeasible", "cannot tell"}
    line = next(ln for ln in tune_response(outcome).axes[0].lines if ln.get_label() == "bs")
    played = outcome.observations()
    common = played[played["replication"] < table["n"].min()]  # the replications every candidate played
    means = common.groupby(LEVEL)["total_cost"].mean()
    assert list(line.get_xdata()) == list(range(2, 12))
    np.testing.assert_allclose(line.get_ydata(), means.to_numpy())


# --- the command ----------------------------------------------------------------------------


def test_cli_tune_then_run_tuned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = scenario_file(tmp_path, 3.0, 7.0)
    out = tmp_path / "tune"
    code = main(["tune", str(file), "--policy", "bs", "--param", f"{LEVEL}=2:8", "-o", str(out), "--workers", "1"])
    text = capsys.readouterr().out
    assert code == 0
    assert f"best: {LEVEL}=5" in text
    assert (out / "response_level.png").stat().st_size > 0
    run_dir = tmp_path / "run"
    assert main(["run", str(file), "--tuned", str(out), "-n", "2", "-o", str(run_dir), "--workers", "1"]) == 0
    stored = json.loads((run_dir / "scenario.json").read_text())
    assert stored["policies"]["bs"]["default"]["base_stock"]["level"] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--param", "policies.bs.default.base_stock.level"], r"--param policies\.bs\.default\.base_stock\.level: expected"),
        (["--param", f"{LEVEL}=5:2"], r"--param .*needs LO < HI"),
        (["--param", "policies.bs.default.base_stock.levle=1:3"], r"--param policies\.bs\.default\.base_stock\.levle=1:3"),
        (["--param", f"{LEVEL}=-2:1"], rf"--param {LEVEL}=-2:1 \(value -2\)"),
        (["--param", f"{LEVEL}=1:3", "--subject-to", "fill_rate>0.9"], r"--subject-to fill_rate>0\.9: expected KPI>="),
        (["--param", f"{LEVEL}=1:3", "--subject-to", "fil_rate>=0.9"], r"unknown KPI 'fil_rate' \(did you mean 'fill_rate'"),
        (["--param", f"{LEVEL}=1:3", "--minimize", "totl_cost"], r"--minimize: unknown KPI 'totl_cost'"),
        (["--param", f"{LEVEL}=1:3", "--budget", "5"], r"--budget 5: the first round alone plays"),
        (["--param", f"{LEVEL}=0:99", "--budget", "100"], r"--budget 100: a search over 100 candidates needs at least"),
        (["--param", f"{LEVEL}=1:3", "--search", "tpe"], r"--search tpe: expected one of auto, grid, optuna"),
    ],
)  # fmt: skip
def test_cli_refuses_bad_options_with_located_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    file = scenario_file(tmp_path, 3.0, 7.0)
    assert main(["tune", str(file), "--policy", "bs", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:")
    assert any(__import__("re").search(message, line) for line in err.splitlines()), err


def test_parse_param_reads_ranges_and_lists() -> None:
    assert parse_param("a.b=4:8").values == (4, 5, 6, 7, 8)
    assert parse_param("a.b=4:8:2").integer
    real = parse_param("a.b=0.9:0.99:0.03")
    assert real.values == (0.9, 0.93, 0.96, 0.99) and not real.integer
    assert parse_param("a.b=1,3,9").values == (1, 3, 9)
    assert len(parse_param("a.b=0.5:0.9").values) == 21
    with pytest.raises(UsageError, match="one value leaves nothing to tune"):
        parse_param("a.b=3")
    assert isinstance(ScenarioError, type)


def test_first_guess_follows_the_policies_formulas(tmp_path: Path) -> None:
    prepared = prepare_tune(scenario_file(tmp_path, 3.0, 7.0), TuneSpec("bs", (parse_param(f"{LEVEL}=0:12"),)))
    assert prepared.guesses[LEVEL] == pytest.approx(RATE * LEAD)
    assert prepared.candidates[0].params[LEVEL] == 4
    assert math.isclose(prepared.race.alpha_objective, 0.05 / (len(prepared.race.schedule()) * 12))


def test_response_figures_of_two_loops_do_not_share_a_file() -> None:
    from simjit.cli.tune import figure_names

    assert figure_names([LEVEL]) == ["response_level.png"]
    two = ["policies.jit.overrides.plant/pad.kanban.containers", "policies.jit.overrides.dc/brake.kanban.containers"]
    assert figure_names(two) == [
        "response_jit.overrides.plant_pad.kanban.containers.png",
        "response_jit.overrides.dc_brake.kanban.containers.png",
    ]


def _tune_cli(*args: object) -> tuple[int, str, str]:
    """``python -m simjit tune …`` in a fresh process, as a user runs it."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "simjit", "tune", *map(str, args)], capture_output=True, text=True,
                          check=False)  # fmt: skip
    return done.returncode, done.stdout, done.stderr


def test_a_best_on_the_edge_of_the_range_is_warned_with_a_wider_range(tmp_path: Path) -> None:
    """h = b = 1: the optimum is the median of Poisson(4), S* = 4, far below the range 8:12 searched, whose
    lowest value must win; the warning goes to stderr, the summary, tuned.yaml and tune.json."""
    file = scenario_file(tmp_path, holding=1.0, backorder=1.0, horizon=400)
    out = tmp_path / "low"
    code, stdout, stderr = _tune_cli(file, "--policy", "bs", "--param", f"{LEVEL}=8:12", "--first", 5, "--workers", 1,
                                     "-o", out, "-q")  # fmt: skip
    assert code == 0, stderr
    note = (f"--param {LEVEL}=8:12: the best, level=8, is the lowest value searched: the optimum may lie below it, "
            f"where no candidate played; widen the range, e.g. --param {LEVEL}=4:8")  # fmt: skip
    assert f"warning: {note}" in stderr
    assert f"on the edge: {note}" in stdout
    assert f"# warning: {note}" in (out / "tuned.yaml").read_text(encoding="utf-8")
    assert json.loads((out / "tune.json").read_text(encoding="utf-8"))["notes"] == [note]
    code, _, stderr = _tune_cli(file, "--policy", "bs", "--param", f"{LEVEL}=8:12", "--first", 5, "--workers", 1,
                                "-o", out, "-q", "--resume")  # fmt: skip
    assert code == 0 and f"warning: {note}" in stderr  # the notes kept in tune.json do not make it another tune


def test_a_best_above_the_range_is_warned_and_one_at_a_hard_bound_is_not(tmp_path: Path) -> None:
    # b = 10, h = 1: S* = 7 (P(X ≤ 6) = 0.889 < 10/11 ≤ P(X ≤ 7) = 0.949), above 2, 3, 5.
    high = scenario_file(tmp_path, holding=1.0, backorder=10.0, horizon=400)
    code, stdout, stderr = _tune_cli(high, "--policy", "bs", "--param", f"{LEVEL}=2,3,5", "--first", 5,
                                     "--workers", 1, "-q")  # fmt: skip
    assert code == 0, stderr
    assert (f"warning: --param {LEVEL}=2,3,5: the best, level=5, is the highest value searched: the optimum may lie "
            f"above it, where no candidate played; widen the range, e.g. --param {LEVEL}=5:8:2") in stderr  # fmt: skip
    # h = 100, b = 1: S* = 0, the lowest level there is (base_stock.level >= 0): nothing lies below.
    (tmp_path / "zero").mkdir()
    low = scenario_file(tmp_path / "zero", holding=100.0, backorder=1.0, horizon=400)
    code, stdout, stderr = _tune_cli(low, "--policy", "bs", "--param", f"{LEVEL}=0:3", "--first", 5, "--workers", 1,
                                     "-q")  # fmt: skip
    assert code == 0, stderr
    assert "best: policies.bs.default.base_stock.level=0" in stdout
    assert "warning" not in stderr and "on the edge" not in stdout


def test_edge_notes_stop_at_the_bounds_the_format_declares() -> None:
    """containers ≥ 1 is reached: no note at 1, and a wider range stops there; service_level < 1 is never
    reached: a note, with a range going half way to it; a value inside the range: no note."""
    from simjit.experiment.tune_edges import edge_notes

    cards = parse_param("policies.jit.default.kanban.containers=1:6")
    assert edge_notes([cards], {cards.path: 1}) == []
    assert edge_notes([cards], {cards.path: 3}) == []
    three = parse_param("policies.jit.default.kanban.containers=3:8")
    assert edge_notes([three], {three.path: 3})[0].endswith(f"e.g. --param {three.path}=1:3")
    level = parse_param("policies.s.default.safety_stock.service_level=0.9:0.99:0.01")
    [note] = edge_notes([level], {level.path: 0.99})
    assert note.startswith(f"--param {level.option}: the best, service_level=0.99, is the highest value searched")
    assert note.endswith(f"e.g. --param {level.path}=0.99:0.995")
