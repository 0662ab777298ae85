"""The report of a finished run: one self-contained HTML file to share, read on a laptop or print.

It opens with what the scenario asks and holds, then the CLI's tables (the same cells), what each
policy runs with (``simjit plan``'s table), the figures, the resilience to each disruption, one replication up close, the KPIs' definitions and
the run's manifest; a sweep shows its tables and response figures instead of the comparison.
Figures are inline SVG and styles inline: the file fetches nothing and can be mailed as it is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path

from matplotlib.figure import Figure

from simjit.errors import SimjitError, UsageError
from simjit.experiment.cells import HEADLINE, marks_caption, sweep_kpis
from simjit.experiment.files import temporary_beside
from simjit.experiment.parameters import PLAN_CAPTION, plan_table
from simjit.experiment.results import Results, open_results
from simjit.report import tables
from simjit.report.figures import Plate, Traces, resilience_plate, run_plates, sweep_plates, trajectory_plates
from simjit.report.focus import Focus, focus
from simjit.report.overview import run_record, scenario_overview
from simjit.report.svg import inline_svg
from simjit.report.template import GENERATOR, page

__all__ = ["REPORT_NAME", "Progress", "build_report", "draw_figures", "figure_plates", "is_report", "write_report"]

REPORT_NAME = "report.html"
"""The report's file name in a results directory, by default."""
Progress = Callable[[int, int], None]
"""Called with (steps done, steps in all) as traces are played and figures drawn, like the runner's."""
SNIFF = 2048
"""Bytes read from the start of a file to tell whether it is a report (its generator tag is in its head)."""
Section = tuple[str, list["str | Plate"]]
"""A section's title and its parts in order: HTML (escaped) and figures to draw."""


def write_report(
    results_dir: Path | str, output_path: Path | str | None = None, *, force: bool = False,
    progress: Progress | None = None, allow_plugins: bool = False,
) -> Path:  # fmt: skip
    """Write the report of the finished run in ``results_dir`` to ``output_path`` (default
    ``results_dir/report.html``) and return its path. An existing file that is not a report is
    kept unless ``force``: a UsageError says so before any work is done."""
    output = Path(output_path) if output_path is not None else Path(results_dir) / REPORT_NAME
    if output.is_dir():
        raise UsageError(f"{output} is a directory; give the report a file name, e.g. {output / REPORT_NAME}")
    if output.exists() and not force and not is_report(output):
        raise UsageError(
            f"{output} exists and is not a simjit report; choose another name, or add --force to replace it"
        )
    text = build_report(open_results(results_dir), progress=progress, allow_plugins=allow_plugins)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = temporary_beside(output)  # a reader never sees half a report, nor a crash leaves one
        try:
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    except OSError as exc:
        raise SimjitError(f"{output}: cannot write the report there ({exc.strerror or exc})") from None
    return output


def is_report(path: Path) -> bool:
    """Whether ``path`` is a file this module wrote (its head carries the report's generator tag)."""
    try:
        with path.open("rb") as file:
            head = file.read(SNIFF).decode("utf-8", errors="replace")
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}">' in head


def build_report(results: Results, *, progress: Progress | None = None, allow_plugins: bool = False) -> str:
    """The report of ``results`` as one HTML document. ``allow_plugins`` lets the traces replay a run whose
    policies are a user's Python classes (as ``simjit run --allow-plugins`` did)."""
    name = str(results.scenario_doc.get("name") or results.manifest.scenario)
    shown = focus(results)
    overview = scenario_overview(results)
    results = shown.results
    sections = _sections(shown)
    plates = [p for _, parts in sections for p in parts if isinstance(p, Plate)]
    sections.insert(1, _plan_section(results, allow_plugins))
    traces, trouble, done, total = _traced(results, plates, progress, allow_plugins)
    body = [overview, _contents([title for title, _ in sections])]
    for n, (title, parts) in enumerate(sections, 1):
        body.append(f'<section id="s{n}"><h2>{n}. {escape(title)}</h2>')
        for part in parts:
            if isinstance(part, Plate):
                body.append(_figure(part, traces, trouble if part.replications else ""))
                done += 1
                if progress is not None:
                    progress(done, total)
            else:
                body.append(part)
        body.append("</section>")
    return page(f"{name} — simjit report", "\n".join(body))


def figure_plates(results: Results) -> list[Plate]:
    """Every figure of the report of ``results``, in the report's order (what ``simjit plot`` draws)."""
    return [p for _, parts in _sections(focus(results)) for p in parts if isinstance(p, Plate)]


def draw_figures(
    results: Results, *, progress: Progress | None = None, allow_plugins: bool = False
) -> Iterator[tuple[Plate, Figure | None, str]]:
    """Each figure of the report drawn: (plate, figure, ""), or (plate, None, why it could not be)."""
    shown = focus(results)
    results = shown.results
    plates = [p for _, parts in _sections(shown) for p in parts if isinstance(p, Plate)]
    traces, trouble, done, total = _traced(results, plates, progress, allow_plugins)
    for plate in plates:
        why = trouble if plate.replications else ""
        figure = None
        if why:
            why = f"replaying the run failed: {why}"
        else:
            try:
                figure = plate.draw(traces)
            except SimjitError as exc:
                why = str(exc)
        done += 1
        if progress is not None:
            progress(done, total)
        yield plate, figure, why


def _sections(shown: Focus) -> list[Section]:
    return _sweep_sections(shown) if shown.results.params else _run_sections(shown)


def _traced(
    results: Results, plates: list[Plate], progress: Progress | None, allow_plugins: bool
) -> tuple[Traces, str, int, int]:
    """Replay the replications the plates need (reporting progress over traces and figures alike): the
    traces, what went wrong replaying ('' if nothing), the steps done and the steps in all."""
    traced = sorted({r for p in plates for r in p.replications})
    total, done = len(traced) + len(plates), 0
    if progress is not None:
        progress(0, total)
    traces, trouble = Traces(results, allow_plugins), ""
    for replication in traced:
        if not trouble:
            trouble = _play(traces, replication)
        done += 1
        if progress is not None:
            progress(done, total)
    return traces, trouble, done, total


def _run_sections(shown: Focus) -> list[Section]:
    """Comparison tables, their figures, resilience per disruption, one replication, definitions, the run."""
    results, left_out = shown.results, _note(shown.policy_note())
    tables_shown, hidden = tables.kpi_tables(results, HEADLINE)
    kpis = [k for k in HEADLINE if k not in hidden and k in set(results.summary["kpi"])]
    intro = (
        f"<p>Each policy's mean over {results.manifest.plan.replications} replications with its 95% confidence "
        f"interval; Δ is the difference to the baseline, {escape(results.baseline)}, replication by replication "
        "(every policy met the same random futures), with its own interval; P(better) is the share of replications "
        f"in which the policy beat the baseline. {escape(marks_caption(shown.compared))}{_money(results)}</p>"
    )
    note = f'<p class="note">Zero or without a value in every replication, not shown: {escape(", ".join(hidden))}.</p>'
    sections: list[Section] = [("Policies compared", [*left_out, intro, *tables_shown, *([note] if hidden else [])])]
    sections.append(("Figures of the comparison", list(run_plates(results, kpis))))
    disruptions = tables.disruptions(results)
    if disruptions:
        parts: list[str | Plate] = []
        for n, disruption in enumerate(disruptions):
            parts += [f"<h3>{escape(disruption)}</h3>", tables.resilience_table(results, disruption)]
            parts.append(resilience_plate(results, disruption, n))
        sections.append(("Resilience to each disruption", parts))
    points = _note(shown.points_note())
    sections.append(("One replication up close", [*points, *trajectory_plates(results, shown.stock_points)]))
    return [*sections, *_closing(results, kpis)]


def _sweep_sections(shown: Focus) -> list[Section]:
    """The sweep's tables (a KPI each, a row per point), its response figures, definitions, the run."""
    results = shown.results
    marks = marks_caption(shown.compared)
    at_a_point = f" At each point: {marks}" if marks else ""
    intro = (
        f"<p>Each policy's mean at every point of the sweep over {results.manifest.plan.replications} replications, "
        "with its 95% confidence interval. Every point plays the same random numbers, so a change from point to "
        f"point is the parameter's doing.{escape(at_a_point)}{_money(results)}</p>"
    )
    kpis = list(sweep_kpis(results.scenario))
    tables_shown = [tables.sweep_table(results, kpi) for kpi in kpis]
    return [
        ("Sweep results", [*_note(shown.policy_note()), intro, *tables_shown]),
        ("Figures of the sweep", list(sweep_plates(results))),
        *_closing(results, kpis),
    ]


def _plan_section(results: Results, allow_plugins: bool) -> Section:
    """What each policy runs with at the start (``simjit plan``'s table), built from the run's scenario as
    the run built its policies; why not, where the scenario no longer validates or a plug-in may not run."""
    title = "What each policy runs with"
    if results.scenario is None:
        return title, ['<p class="skipped">Not shown: the run\'s scenario no longer validates (a file it reads '
                       "moved?); simjit plan on the scenario file shows the table.</p>"]  # fmt: skip
    try:
        rows = plan_table(results.scenario, results.policies, allow_plugins)
    except SimjitError as exc:
        return title, [f'<p class="skipped">Not shown: {escape(str(exc))}</p>']
    swept = (
        " Sweep points change some of them; these are the scenario's own, before any point." if results.params else ""
    )
    intro = (
        "<p>The numbers each policy runs with at the start, as a planner would enter them in an ERP, and the demand "
        f"and lead time they assume (what <code>simjit plan</code> prints).{escape(swept)}</p>"
    )
    caption = PLAN_CAPTION.format(days=f"{results.scenario.costs.days_per_year:g}")
    return title, [intro, *tables.plan_tables(rows), f'<p class="note">{escape(caption)}</p>']


def _money(results: Results) -> str:
    """Where amounts are in the scenario's currency, a sentence saying so ('' where it names none)."""
    named = tables.currency(results)
    return f" Amounts are in {escape(named)}." if named else ""


def _closing(results: Results, kpis: list[str]) -> list[Section]:
    """The definitions of the KPIs shown, and how the run was made (its manifest)."""
    definitions = tables.definitions(kpis, tables.currency(results))
    return [("What the KPIs mean", [definitions]), ("The run", [run_record(results)])]


def _note(text: str) -> list[str | Plate]:
    """A paragraph saying what the report leaves out, if anything."""
    return [f'<p class="skipped">{escape(text)}</p>'] if text else []


def _contents(titles: list[str]) -> str:
    items = "".join(f'<li><a href="#s{n}">{escape(t)}</a></li>' for n, t in enumerate(titles, 1))
    return f'<nav class="contents" aria-label="Contents"><ol>{items}</ol></nav>'


def _play(traces: Traces, replication: int) -> str:
    """Trace one replication; what went wrong (the figures that need traces then say it), else ''."""
    try:
        traces.play(replication)
    except (SimjitError, LookupError) as exc:
        return str(exc)
    return ""


def _figure(plate: Plate, traces: Traces, trouble: str) -> str:
    """A figure under its heading, or why it could not be drawn (the report is written all the same)."""
    heading = f'<h3 id="{plate.key}">{escape(plate.heading)}</h3>'
    if trouble:
        return f'{heading}<p class="skipped">Not drawn: replaying the run failed: {escape(trouble)}</p>'
    try:
        figure = plate.draw(traces)
    except SimjitError as exc:
        return f'{heading}<p class="skipped">Not drawn: {escape(str(exc))}</p>'
    svg = inline_svg(figure, f"f-{plate.key}", plate.heading)
    return f"{heading}<figure>{svg}<figcaption>{escape(plate.caption)}</figcaption></figure>"
