"""Renderers for a `mt_toolkit.trace.TraceResult`: one self-contained HTML file, Markdown, JSON.

Each renderer is a pure function from the result to a string; writing it (atomically) is the
caller's business, so a script can also embed the text elsewhere.

    from mt_toolkit.report import render_html, render_json, render_markdown
"""

from mt_toolkit.report.html import render_html
from mt_toolkit.report.json import render_json
from mt_toolkit.report.markdown import render_markdown

__all__ = ["render_html", "render_json", "render_markdown"]
