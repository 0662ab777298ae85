"""A matplotlib figure as an ``<svg>`` element to write inside an HTML page: no file, no font, no URL.

Text stays text (``svg.fonttype: none``), drawn in whatever sans-serif font the reader's browser
has, so the page needs no web font and its words can be searched and copied. The XML prolog, the
DOCTYPE (which names a DTD by URL), the metadata and the namespace declarations go: the HTML parser
puts ``<svg>`` in the SVG namespace by itself, and a page with no URL in it fetches nothing. Every
``id`` is prefixed with the figure's own, so two figures' clip paths and markers never collide, and
coordinates keep two decimals of a point, far below what a screen or a printer shows.
"""

from __future__ import annotations

import io
import re
from html import escape

import matplotlib
from matplotlib.figure import Figure

__all__ = ["inline_svg"]

_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_ID = re.compile(r'\bid="([^"]*)"')
_REFERENCE = re.compile(r'(href="#|url\(#)([^")]*)')
_GEOMETRY = re.compile(r'(\s(?:d|x|y)=")([^"]*)"')
_DIGITS = re.compile(r"(\.\d\d)\d+")


def inline_svg(figure: Figure, name: str, label: str) -> str:
    """``figure`` as an inline ``<svg>`` whose ids all start with ``name`` (one name per figure of a page),
    described by ``label`` for screen readers; its ids are the same on every call (a stable page)."""
    buffer = io.StringIO()
    # text as <text> elements (no glyph outlines, no font file); a raster image, if any, inside the SVG
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.image_inline": True, "svg.hashsalt": name}):
        figure.savefig(buffer, format="svg")
    text = _METADATA.sub("", _PROLOG.sub("", buffer.getvalue(), count=1), count=1)
    text = _NAMESPACES.sub("", text).replace("xlink:href=", "href=")
    text = _GEOMETRY.sub(_shorter, text)
    text = _ID.sub(lambda m: f'id="{name}-{m[1]}"', text)
    text = _REFERENCE.sub(lambda m: f"{m[1]}{name}-{m[2]}", text)
    return text.replace("<svg", f'<svg role="img" aria-label="{escape(label)}"', 1).strip()


def _shorter(match: re.Match[str]) -> str:
    """A path or position to 0.01 pt (matplotlib writes 0.000001 pt): a trace's saw-tooth is a third smaller."""
    value = _DIGITS.sub(r"\1", " ".join(match[2].split()))
    return f'{match[1]}{value}"'
