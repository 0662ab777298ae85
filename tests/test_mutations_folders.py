"""Random damage to a finished run's folder (a file cut short, overwritten, deleted, a column dropped or turned
to text) through `report` and `plot`: a report and figures, or exit 2 with an `error:` line naming the folder —
never a traceback (issue 30)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simjit.cli import main

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "textbook_shop.yaml"
FILES = ("replications.parquet", "disruptions.parquet", "summary.json", "scenario.json", "manifest.json")
DAMAGE = ("truncate", "garbage", "delete", "drop_column", "text_column")


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("run") / "out"
    args = ["run", str(SCENARIO), "-n", "2", "--workers", "1", "-q", "-o", str(folder), "--set", "horizon=90"]
    assert main(args) == 0
    return folder


def _damage(folder: Path, name: str, how: str, where: float) -> None:
    path = folder / name
    if how == "delete":
        path.unlink(missing_ok=True)
    elif how in ("drop_column", "text_column") and name.endswith(".parquet"):
        table = pd.read_parquet(path)
        columns = [c for c in table.columns if c not in ("variant", "policy", "replication")]
        if not columns:
            return
        column = columns[int(where * (len(columns) - 1))]
        if how == "drop_column":
            table = table.drop(columns=[column])
        else:
            table[column] = table[column].astype(str)
            table.loc[table.index[:1], column] = "abc"
        table.to_parquet(path)
    elif path.is_file():
        data = path.read_bytes()
        cut = int(where * len(data))
        path.write_bytes(data[:cut] if how == "truncate" else data[:cut] + b"\x00garbage{" + data[cut + 9 :])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(FILES), how=st.sampled_from(DAMAGE), where=st.floats(0, 1))
def test_report_and_plot_of_a_damaged_folder_end_in_a_report_or_an_error_line(
    finished: Path, tmp_path_factory: pytest.TempPathFactory, name: str, how: str, where: float,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    folder = tmp_path_factory.mktemp("damaged") / "out"
    shutil.copytree(finished, folder)
    _damage(folder, name, how, where)
    capsys.readouterr()
    for args in (["report", str(folder)], ["plot", str(folder), "--force"]):
        code = main(args)
        err = capsys.readouterr().err
        assert code in (0, 2), (args, name, how, err)
        assert "Traceback" not in err
        if code == 2:
            assert err.startswith("error: ") and str(folder) in err, err
