"""The HTML report, from small real runs of the brake plant (a run and a sweep, written through ``--report``)
and opened in a real headless Chromium: it renders (a screenshot with colour, every figure drawn with a
size and its text laid out), logs no console error, fetches nothing but itself, prints without cutting
a figure, shows the CLI's very numbers, and prints the user's text literally.

The browser is Debian's chromium driven by its chromedriver through selenium (the ``dev`` extra); CI
installs both (.ci/run). Without them the browser's tests are skipped, or fail under CI=true
(tests/browser.py). Each capture (console, network) is first shown able to see a fault.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from browser import chromium_and_driver
from matplotlib.figure import Figure
from PIL import Image

from simjit.cli import main
from simjit.errors import UsageError
from simjit.experiment import open_results
from simjit.experiment.cells import SWEEP_KPIS
from simjit.plots import policy_styles
from simjit.report import REPORT_NAME, document, is_report, write_report
from simjit.report.svg import inline_svg
from simjit.report.template import page

ROOT = Path(__file__).resolve().parents[1]
BRAKE = str(ROOT / "scenarios" / "brake_plant.yaml")
TEXTBOOK = ROOT / "scenarios" / "textbook_shop.yaml"
SHORT = ["--set", "horizon=120", "--set", "suppliers.pads_asia.disruptions.0.start=40"]
"""120 days with the port closed from day 40: every kind of disruption of the brake plant, quickly."""
WIDTH, HEIGHT = 1366, 900
"""A laptop's screen."""
NAME = "Q3 [/draft] <b>plan</b>"
DESCRIPTION = 'Costs & "quotes" <script>document.title = "hacked"</script> </style> [red]not markup[/red]'


def simjit(*args: str) -> subprocess.Popen[str]:
    """The command started in a fresh interpreter, its tables laid out on one line per row (200 columns)."""
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.Popen([sys.executable, "-m", "simjit", *args, "--workers", "1", "-q"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")  # fmt: skip


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, subprocess.Popen[str]]]:
    """A run and a sweep, both written with --report, started side by side in the background."""
    run, sweep = tmp_path_factory.mktemp("run"), tmp_path_factory.mktemp("sweep")
    vary = ["--vary", "suppliers.pads_asia.disruptions.0.duration=0,20", "--policy", "jit", "--policy", "eoq"]
    return {
        "run": (run, simjit("run", BRAKE, *SHORT, "-n", "3", "-o", str(run), "--report")),
        "sweep": (sweep, simjit("sweep", BRAKE, *SHORT, *vary, "-n", "2", "-o", str(sweep), "--report")),
    }


def finished(started: tuple[Path, subprocess.Popen[str]]) -> tuple[Path, str]:
    """The directory of a command started in the background, and the tables it printed once it is done."""
    directory, process = started
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert f"wrote {directory / REPORT_NAME}" in stderr
    return directory, stdout


@pytest.fixture(scope="module")
def run(started: dict[str, Any], odd_names: tuple[Path, Any]) -> tuple[Path, str]:
    """The brake plant over 3 replications (played while ``odd_names`` runs here)."""
    return finished(started["run"])


@pytest.fixture(scope="module")
def sweep(started: dict[str, Any], odd_names: tuple[Path, Any]) -> tuple[Path, str]:
    """The brake plant at two lengths of the port closure, jit and eoq over 2 replications."""
    return finished(started["sweep"])


@pytest.fixture(scope="module")
def odd_names(tmp_path_factory: pytest.TempPathFactory, started: dict[str, Any]) -> tuple[Path, list[tuple[int, int]]]:
    """A run of the textbook shop named and described with HTML, brackets and quotes; its report written
    through the Python API, with the progress it reported (played while the run and the sweep start)."""
    directory = tmp_path_factory.mktemp("odd")
    text = TEXTBOOK.read_text(encoding="utf-8")
    text = re.sub(r"^name: .*$", f"name: {json.dumps(NAME)}", text, count=1, flags=re.M)
    text = re.sub(r"^description: >\n(  .*\n)+", f"description: {json.dumps(DESCRIPTION)}\n", text, flags=re.M)
    scenario = directory / "odd.yaml"
    scenario.write_text(text, encoding="utf-8")
    args = ["--set", "horizon=60", "-n", "2", "--policy", "eoq", "--policy", "s_S", "--workers", "1", "-q"]
    assert main(["run", str(scenario), *args, "-o", str(directory / "out")]) == 0
    steps: list[tuple[int, int]] = []
    write_report(directory / "out", progress=lambda done, total: steps.append((done, total)))
    return directory / "out", steps


# --- the browser ---------------------------------------------------------------------------------


@dataclass
class Page:
    """What Chromium made of one file."""

    url: str
    console: list[dict[str, Any]]
    requests: list[str]
    screenshot: Image.Image
    figures: list[dict[str, Any]]
    svgs: int
    scroll_width: int
    client_width: int
    print_breaks: list[str]
    pdf: bytes
    h1: str
    title: str
    scripts: int


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Headless Chromium at a laptop's size, keeping its console and network logs (skipped without it, but
    for CI: tests/browser.py)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = chromium_and_driver()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                 f"--window-size={WIDTH},{HEIGHT}", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")  # selenium never looks for a driver online: we name ours
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


def open_page(driver: Any, path: Path) -> Page:
    """Load ``path``, then read its logs, measure its figures, photograph it whole and print it."""
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "screen"})
    for log in ("browser", "performance"):
        driver.get_log(log)  # drop what an earlier page left
    url = path.resolve().as_uri()
    driver.get(url)
    console = driver.get_log("browser")
    events = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    requests = [e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"]
    figures = driver.execute_script("""
        return [...document.querySelectorAll('svg')].map(svg => {
            const box = svg.getBoundingClientRect();
            const texts = [...svg.querySelectorAll('text')];
            return {width: box.width, height: box.height, right: box.right, inFigure: svg.parentElement.tagName,
                    texts: texts.length, laidOut: texts.filter(t => t.getBBox().width > 0).length};
        });""")  # fmt: skip
    scroll_width, client_width = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False})  # fmt: skip
    shot = base64.b64decode(driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"])
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    breaks = driver.execute_script(
        "return [...document.querySelectorAll('figure')].map(f => getComputedStyle(f).breakInside)"
    )
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})["data"])
    h1, title, scripts = driver.execute_script(
        "return [document.querySelector('h1').textContent, document.title, document.scripts.length]"
    )
    return Page(url, console, requests, Image.open(io.BytesIO(shot)).convert("RGB"), figures, len(figures),
                scroll_width, client_width, breaks, pdf, h1, title, scripts)  # fmt: skip


@pytest.fixture(scope="module")
def pages(
    chromium: Any, run: tuple[Path, str], sweep: tuple[Path, str], odd_names: tuple[Path, Any]
) -> dict[str, Page]:
    return {kind: open_page(chromium, found[0] / REPORT_NAME) for kind, found in
            (("run", run), ("sweep", sweep), ("odd", odd_names))}  # fmt: skip


def expected_figures(directory: Path) -> int:
    """Costs, frontier, two distributions, the forest plot, a profile per disruption and the trajectory
    (two policies a figure) for a run; a response and a change figure per sweep KPI and parameter."""
    results = open_results(directory)
    if results.params:
        return 2 * len(SWEEP_KPIS) * len(results.params)
    disruptions = results.resilience["disruption"].nunique() if len(results.resilience) else 0
    return 5 + disruptions + math.ceil(len(results.policies) / 2)


KINDS = ["run", "sweep", "odd"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_page_logs_no_console_message(pages: dict[str, Page], kind: str) -> None:
    assert pages[kind].console == []


@pytest.mark.parametrize("kind", KINDS)
def test_the_page_fetches_nothing_but_itself(pages: dict[str, Page], kind: str) -> None:
    assert pages[kind].requests == [pages[kind].url]


@pytest.mark.parametrize("kind", KINDS)
def test_every_figure_is_drawn_within_a_laptop_screen(
    pages: dict[str, Page], kind: str, run: tuple[Path, str], sweep: tuple[Path, str], odd_names: tuple[Path, Any]
) -> None:
    page = pages[kind]
    directory = {"run": run, "sweep": sweep, "odd": odd_names}[kind][0]
    assert page.svgs == expected_figures(directory) > 0
    for figure in page.figures:
        assert figure["inFigure"] == "FIGURE" and figure["width"] > 100 and figure["height"] > 100, figure
        assert figure["texts"] > 5 and figure["laidOut"] == figure["texts"], "every label has a size: a font drew it"
        assert figure["right"] <= page.client_width, "no figure runs off the right of the window"
    assert page.scroll_width <= page.client_width, "the page never scrolls sideways at a laptop's width"


@pytest.mark.parametrize("kind", ["run", "sweep"])
def test_the_screenshot_shows_tables_and_coloured_figures(pages: dict[str, Page], kind: str) -> None:
    shot = pages[kind].screenshot
    pixels = np.asarray(shot, dtype=np.int32)
    assert shot.size[0] == WIDTH and shot.size[1] > 2 * HEIGHT, "the whole page, taller than a screen"
    assert (pixels < 245).any(axis=2).mean() > 0.03, "not a blank page"
    colours, counts = np.unique((pixels[..., 0] << 16) | (pixels[..., 1] << 8) | pixels[..., 2], return_counts=True)
    assert len(colours) > 200, "many colours: figures, not only text"
    rgb = np.stack([colours >> 16, (colours >> 8) & 255, colours & 255], axis=1)
    policies = ("jit", "eoq", "safety_stock", "hybrid") if kind == "run" else ("jit", "eoq")
    for policy, style in policy_styles(policies).items():
        target = np.array([int(style.color[i : i + 2], 16) for i in (1, 3, 5)])
        near = counts[np.abs(rgb - target).sum(axis=1) < 30].sum()
        assert near > 100, f"{policy}'s colour {style.color} is drawn"


@pytest.mark.parametrize("kind", ["run", "sweep"])
def test_printing_keeps_every_figure_on_one_page(pages: dict[str, Page], kind: str) -> None:
    page = pages[kind]
    assert page.print_breaks and set(page.print_breaks) == {"avoid"}
    assert page.pdf.startswith(b"%PDF") and len(page.pdf) > 50_000


def test_the_browser_checks_can_fail(chromium: Any, tmp_path: Path) -> None:
    """A page with a script error, a fetch (to a closed local port) and an empty figure is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head><title>x</title></head><body><h1>x</h1><figure><svg width="0" '
                   'height="0"></svg></figure><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")'
                   "</script></body></html>", encoding="utf-8")  # fmt: skip
    page = open_page(chromium, bad)
    assert any("boom" in entry["message"] for entry in page.console)
    assert "http://127.0.0.1:9/x.png" in page.requests
    assert page.figures[0]["width"] == 0


def outcome(environ: dict[str, str], found: dict[str, str]) -> tuple[str, str]:
    """What ``chromium_and_driver`` does with these variables and programs on PATH, caught: a skip escaping
    a test would show it skipped, not failed."""
    try:
        return "found", " ".join(chromium_and_driver(environ, found.get))
    except pytest.skip.Exception as skipped:
        return "skip", skipped.msg
    except pytest.fail.Exception as failed:
        return "fail", failed.msg


def test_a_missing_browser_is_skipped_but_fails_under_ci() -> None:
    install = "sudo apt-get install chromium chromium-driver (as root, without sudo)"
    reason = f"no chromium and chromedriver on PATH: the report's browser tests need them: {install}"
    for environ in ({}, {"CI": "false"}, {"CI": ""}):
        assert outcome(environ, {}) == ("skip", reason)
    for ci in ("true", "True"):
        assert outcome({"CI": ci}, {}) == ("fail", f"{reason}; CI=true, so a missing browser is an error, not a skip")
    only_chromium = {"chromium": "/usr/bin/chromium"}
    assert outcome({}, only_chromium)[1].startswith("no chromedriver on PATH")
    assert outcome({"CI": "true"}, only_chromium)[0] == "fail"
    both = {**only_chromium, "chromedriver": "/usr/bin/chromedriver"}
    assert outcome({"CI": "true"}, both) == outcome({}, both) == ("found", "/usr/bin/chromium /usr/bin/chromedriver")


# --- the numbers: those of the CLI ----------------------------------------------------------------


class _Tables(HTMLParser):
    """Every row of the page's result tables as its non-empty cells' text; the note under the comparison.
    The plan tables (what each policy runs with, ``simjit plan``'s) are not results: tests/test_plan.py
    checks them."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.in_body = False
        self.in_plan = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.in_plan = dict(attrs).get("class") == "plan"
        if self.in_plan:
            return
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self.in_body:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th") and self.cell is not None:
            text = "".join(self.cell).strip()
            if text:
                self.rows[-1].append(text)
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def report_rows(directory: Path) -> list[list[str]]:
    parser = _Tables()
    parser.feed((directory / REPORT_NAME).read_text(encoding="utf-8"))
    return parser.rows


def cli_rows(stdout: str) -> list[list[str]]:
    """The rows of the tables ``run`` or ``sweep`` printed, each split into its cells (two spaces or more
    part them; a cell holds single spaces only): the lines under a table's header rule."""
    rows, inside = [], False
    for line in stdout.splitlines():
        if set(line.strip()) == {"─"}:
            inside = True
        elif inside and line.strip():
            if not line.startswith(" "):
                inside = False  # a title or a note: the table is over
            else:
                rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


@pytest.mark.parametrize("kind", ["run", "sweep"])
def test_the_tables_show_the_numbers_the_cli_prints(kind: str, run: tuple[Path, str], sweep: tuple[Path, str]) -> None:
    directory, stdout = run if kind == "run" else sweep
    printed, shown = cli_rows(stdout), report_rows(directory)
    assert len(printed) >= 4 and any("±" in cell for row in printed for cell in row)
    assert shown == printed
    assert any(cell.endswith(("★", "≈")) for row in shown for cell in row), "the marks, as the CLI prints them"


def test_the_kpis_left_out_are_those_the_cli_leaves_out(run: tuple[Path, str]) -> None:
    directory, stdout = run
    printed = re.search(r"not shown: (.*)", stdout)
    html = (directory / REPORT_NAME).read_text(encoding="utf-8")
    assert printed is not None and f"not shown: {printed[1]}." in html


def test_the_comparison_shows_every_disruption_of_the_run(run: tuple[Path, str]) -> None:
    directory, _ = run
    html = (directory / REPORT_NAME).read_text(encoding="utf-8")
    for disruption in ("pads_asia.disruptions.0", "plant/assembly.breakdowns"):
        assert f"resilience to {disruption}" in html and f"fill rate around {disruption}" in html


# --- text, files and the command line ------------------------------------------------------------


def test_the_users_text_is_printed_literally(pages: dict[str, Page], odd_names: tuple[Path, Any]) -> None:
    page = pages["odd"]
    assert page.h1 == NAME and page.title == f"{NAME} — simjit report"
    assert page.scripts == 0, "the description's <script> is text, not a script"
    html = (odd_names[0] / REPORT_NAME).read_text(encoding="utf-8")
    assert "<b>plan</b>" not in html and "Q3 [/draft] &lt;b&gt;plan&lt;/b&gt;" in html
    assert "&lt;script&gt;document.title = &quot;hacked&quot;&lt;/script&gt; &lt;/style&gt; [red]" in html


@pytest.mark.parametrize("kind", KINDS)
def test_the_file_holds_no_url_and_no_script(kind: str, pages: dict[str, Page]) -> None:
    html = Path(pages[kind].url.removeprefix("file://")).read_text(encoding="utf-8")
    assert not re.search(r"https?:|//[\w.-]+\.\w", html), "no address of any kind"
    assert not re.search(r"<script|<link|<iframe|<img|\ssrc=|@import|<!DOCTYPE svg", html, re.I)
    assert set(re.findall(r"url\((.)", html)) <= {"#"}, "a style points only inside the page"
    assert is_report(Path(pages[kind].url.removeprefix("file://")))


def test_progress_is_reported_to_the_end(odd_names: tuple[Path, list[tuple[int, int]]]) -> None:
    steps = odd_names[1]
    total = steps[0][1]
    assert steps[0] == (0, total) and steps[-1] == (total, total) and total > 5
    assert [done for done, _ in steps] == list(range(total + 1))


def test_an_existing_file_that_is_not_a_report_is_kept(
    odd_names: tuple[Path, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = odd_names[0]
    notes = tmp_path / "notes.html"
    notes.write_text("<p>my notes</p>", encoding="utf-8")
    with pytest.raises(UsageError, match=r"notes\.html exists and is not a simjit report.*--force"):
        write_report(directory, notes)
    assert main(["report", str(directory), "-o", str(notes)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {notes} exists and is not a simjit report")
    assert notes.read_text(encoding="utf-8") == "<p>my notes</p>"
    assert main(["report", str(directory), "-o", str(notes), "--force"]) == 0
    assert is_report(notes) and not is_report(tmp_path / "missing.html")
    monkeypatch.setattr(document, "build_report", lambda results, **_: page("quick", "<p>again</p>"))
    assert main(["report", str(directory), "-o", str(notes)]) == 0, "a report is replaced without --force"
    assert "<p>again</p>" in notes.read_text(encoding="utf-8")


def test_report_and_run_report_say_what_is_wrong(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", BRAKE, "-n", "2", "--report"]) == 2
    assert capsys.readouterr().err == "error: --report needs -o DIR: the report is written to DIR/report.html, " \
        "beside the results\n"  # fmt: skip
    assert main(["report", str(tmp_path)]) == 2
    assert "holds no simjit run (no manifest.json)" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    (tmp_path / "d").mkdir()
    with pytest.raises(UsageError, match="is a directory"):
        write_report(tmp_path, tmp_path / "d")


def test_a_figure_becomes_svg_that_stands_alone_in_a_page() -> None:
    figure = Figure(figsize=(3, 2))
    ax = figure.subplots()
    ax.plot([0, 1], [1.234567, 0.5], marker="o")
    ax.fill_between([0, 1], [0, 0.3], hatch="//")
    ax.set_title("<b> & ü")
    svg = inline_svg(figure, "f1", 'a "figure"')
    assert svg.startswith('<svg role="img" aria-label="a &quot;figure&quot;"') and svg.endswith("</svg>")
    assert "xmlns" not in svg and "<metadata" not in svg and "xlink" not in svg
    ids = re.findall(r'\bid="([^"]*)"', svg)
    assert ids and all(i.startswith("f1-") for i in ids) and len(ids) == len(set(ids))
    assert set(re.findall(r'(?:href="#|url\(#)([^")]*)', svg)) <= set(ids), "every reference finds its target"
    assert "&lt;b&gt; &amp; ü</text>" in svg, "text stays text"
    assert not re.search(r'\sd="[^"]*\d\.\d{3}', svg), "coordinates to 0.01 pt"
    assert inline_svg(figure, "f1", 'a "figure"') == svg, "the same page every time"
