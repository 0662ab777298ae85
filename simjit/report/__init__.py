"""The self-contained HTML report of a finished run: the CLI's tables, the figures, the manifest.

``write_report(results_dir)`` writes ``results_dir/report.html``; ``build_report(open_results(dir))``
returns the HTML. It reads result tables only (and replays a few replications for the figures of
traces), never the model.
"""

from simjit.report.document import (
    REPORT_NAME,
    Progress,
    build_report,
    draw_figures,
    figure_plates,
    is_report,
    write_report,
)

__all__ = ["REPORT_NAME", "Progress", "build_report", "draw_figures", "figure_plates", "is_report", "write_report"]
