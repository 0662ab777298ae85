"""``simjit plot RESULTS_DIR``: the report's figures as files, one each, not blank."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from simjit.cli import main
from simjit.experiment import open_results
from simjit.report import draw_figures, figure_plates

BRAKE = Path(__file__).resolve().parent.parent / "scenarios" / "brake_plant.yaml"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    args = ["run", str(BRAKE), "-n", "3", "--set", "horizon=120", "--set", "suppliers.pads_asia.disruptions.0.start=40",
            "--policy", "jit", "--policy", "eoq", "--workers", "1", "-o", str(out), "--quiet"]  # fmt: skip
    assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def in_euros(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("euros") / "out"
    args = ["run", str(BRAKE), "-n", "2", "--set", "horizon=80", "--set", "currency=EUR", "--policy", "jit",
            "--policy", "eoq", "--workers", "1", "-o", str(out), "--quiet"]  # fmt: skip
    assert main(args) == 0
    return out


def test_money_is_in_the_scenarios_currency_on_every_axis(in_euros: Path) -> None:
    """A scenario that names its currency has it on every money axis of every figure, never "money"
    (a scenario that names none keeps "money": tests/test_plots.py)."""
    drawn = draw_figures(open_results(in_euros))
    labels = {plate.key: [t for ax in f.axes for t in (ax.get_xlabel(), ax.get_ylabel()) if t]
              for plate, f, _ in drawn if f is not None}  # fmt: skip
    assert (
        "mean per replication (EUR)" in labels["costs"] and "mean profit (EUR)" in labels["frontier"]
    )  # the headline of a priced scenario
    assert "profit (EUR)" in labels["spread-profit"], "the brake plant sells at a price: profit leads"
    assert any("(EUR)" in label for label in labels["differences"])
    assert not [label for shown in labels.values() for label in shown if "money" in label]


def test_every_figure_of_the_report_is_written_and_drawn(run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plot", str(run)]) == 0
    plates = figure_plates(open_results(run))
    files = sorted((run / "figures").glob("*.png"))
    assert sorted(p.name for p in files) == sorted(f"{p.key}.png" for p in plates)
    assert {"costs.png", "frontier.png", "differences.png", "trajectory-0.png"} <= {p.name for p in files}
    assert any(p.name.startswith("profile-") for p in files)  # the closure's resilience profile
    for path in files:
        pixels = imread(path)[..., :3]
        assert pixels.shape[0] > 200 and pixels.shape[1] > 300, path.name
        assert (pixels < 0.9).any(axis=-1).mean() > 0.01, f"{path.name} is nearly blank"
        assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20, f"{path.name} has hardly any colour"
    assert capsys.readouterr().err.count("wrote ") == len(plates)


def test_figures_are_not_replaced_without_force_and_other_formats(
    run: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = run.parent / "slides"
    assert main(["plot", str(run), "-o", str(folder), "--format", "svg"]) == 0
    costs = folder / "costs.svg"
    assert costs.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    capsys.readouterr()
    assert main(["plot", str(run), "-o", str(folder), "--format", "svg"]) == 2
    assert "figures exist already" in capsys.readouterr().err
    assert main(["plot", str(run), "-o", str(folder), "--format", "svg", "--force"]) == 0
    assert main(["plot", str(run), "--format", "gif"]) == 2
    assert "error: --format gif: expected one of png, svg, pdf" in capsys.readouterr().err
    assert main(["plot", str(run.parent)]) == 2  # not a run
