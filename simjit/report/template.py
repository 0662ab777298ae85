"""The page around the report: one HTML document with its styles inline and nothing to fetch.

Readable at a laptop's width (a column of about 72 em; a table wider than the window scrolls on
its own), and printable to PDF: a figure, a table row or a heading is never cut across pages, and
a table's header repeats on every page it spans. The body is assembled by
:mod:`simjit.report.document`; this module only wraps it.
"""

from __future__ import annotations

from html import escape

__all__ = ["GENERATOR", "page"]

GENERATOR = "simjit report"
"""The ``<meta name="generator">`` of every report: how a file is recognised as one (and may be replaced)."""

STYLE = """
:root { --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --tint: #f6f8fa; --best: #116329; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 72em; margin: 0 auto; padding: 1.5em 2em 4em; }
h1 { font-size: 1.8em; margin: 0.2em 0 0.3em; line-height: 1.2; }
h2 { font-size: 1.35em; margin: 2.2em 0 0.6em; padding-bottom: 0.25em; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.08em; margin: 1.8em 0 0.5em; }
p { margin: 0.5em 0; max-width: 52em; }
code, .command { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
                 font-size: 0.92em; }
.lead { font-size: 1.08em; color: var(--ink); }
.note, .muted { color: var(--muted); font-size: 0.93em; }
.kicker { color: var(--muted); text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.8em; margin: 0; }
nav.contents { margin: 1.2em 0; padding: 0.6em 1em; background: var(--tint); border-radius: 6px; }
nav.contents ol { margin: 0.2em 0; padding-left: 1.4em; columns: 2; column-gap: 2.5em; }
nav.contents a { color: inherit; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3em 1.2em; margin: 0.8em 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; margin: 0.6em 0 1.2em; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 0.3em 0; }
th, td { padding: 0.28em 0.8em; text-align: left; vertical-align: top; }
thead th { border-bottom: 1.5px solid var(--ink); font-weight: 600; white-space: nowrap; }
tbody + tbody, tbody.group { border-top: 1px solid var(--rule); }
tbody th { font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.best { color: var(--best); font-weight: 700; }
td.tied { color: var(--best); }
.verdict { font-size: 1.05em; margin: 0.8em 0; padding: 0.5em 0.9em; border-left: 3px solid var(--best);
           background: var(--tint); max-width: 60em; }
tr.baseline td { background: var(--tint); }
figure { margin: 1em 0 2em; }
figure svg { display: block; max-width: 100%; height: auto; overflow: visible; }
figcaption { color: var(--muted); font-size: 0.93em; margin-top: 0.3em; max-width: 52em; }
.skipped { border-left: 3px solid #bf8700; padding: 0.3em 0.8em; background: #fff8c5; }
@media (max-width: 50em) { main { padding: 1em; } nav.contents ol { columns: 1; } }
@media print {
  @page { margin: 1.5cm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav.contents { background: none; padding: 0; }
  .table-wrap { overflow: visible; }
  h2, h3, caption { break-after: avoid; page-break-after: avoid; }
  figure, tr, dl.facts, .skipped { break-inside: avoid; page-break-inside: avoid; }
  figure svg { max-height: 23cm; width: auto; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"""


def page(title: str, body: str) -> str:
    """A complete HTML document: ``title`` (plain text, escaped here) over ``body`` (HTML, already escaped)."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
