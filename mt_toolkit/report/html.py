"""The trace result as one self-contained HTML page a translator reads from disk.

Everything is inline (CSS, SVG), nothing is fetched and no script runs, so the file opens the
same offline, in a mail attachment or in a newsroom archive years later. The page reads top to
bottom: a summary (which original the article most likely came from, how many sentences changed
and how), then every article sentence side by side with each original's matching sentence (in
the original language and in the pivot language, changed words highlighted, flags as badges),
then the similarity maps that show where each sentence was found.

The markup lives in Jinja2 templates (``mt_toolkit/report/templates/``, autoescaped, CSS in
``report.css``), shared with the web workbench (`mt_toolkit.serve`), so the file the CLI writes
and the page the browser shows are one report. This module only prepares what the templates
need (`report_context`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from mt_toolkit.fidelity import FlagKind, Verdict
from mt_toolkit.report.templating import report_css, report_environment
from mt_toolkit.trace import SimilarityMap, TraceResult

__all__ = ["FLAG_TEXT", "VERDICT_HELP", "VERDICT_TEXT", "render_html", "report_context", "similarity_svg"]

# The verdicts' words and meanings live on `Verdict` itself; these views keep the templates' names.
VERDICT_TEXT = {verdict: verdict.label for verdict in Verdict}
VERDICT_HELP = {verdict: verdict.meaning for verdict in Verdict}

FLAG_TEXT = {
    FlagKind.NUMBER: "number",
    FlagKind.NAME: "name",
    FlagKind.NEGATION: "negation",
    FlagKind.MODALITY: "modality",
    FlagKind.OMISSION: "omission",
    FlagKind.ADDITION: "addition",
}

KIND_TEXT = {"quote": "direct quote", "reported": "reported speech", "narrative": "narrative"}

_BAR_COLOURS = {Verdict.FAITHFUL: "#1e7b45", Verdict.PARAPHRASED: "#1f5fa8",
                Verdict.CHANGED: "#b3261e", Verdict.NOT_FOUND: "#9ca3af"}


@dataclass(frozen=True)
class _BarPart:
    verdict: Verdict
    count: int
    x: float
    width: float
    colour: str


def _verdict_bar(counts: list[tuple[Verdict, int]], total: int) -> list[_BarPart]:
    x, parts = 0.0, []
    for verdict, count in counts:
        if count:
            width = 300 * count / max(total, 1)
            parts.append(_BarPart(verdict, count, x, width, _BAR_COLOURS[verdict]))
            x += width
    return parts


def report_context(result: TraceResult, *, title: str | None = None) -> dict[str, Any]:
    """What the report templates need, beyond the result itself (counts, the likely source, labels).

    Args:
        result: a finished trace.
        title: the page title (default: "Quote trace: <article label>").

    Returns:
        The template variables of ``_trace_body.html.j2``.
    """
    traced = [s for s in result.sentences if not s.furniture]
    counts = [(v, sum(1 for s in traced if s.verdict is v)) for v in Verdict]
    likely = result.ranking[0] if result.likely_source else None
    return {
        "result": result,
        "title": title or f"Quote trace: {result.article.label}",
        "n": len(result.sentences),
        "counts": counts,
        "furniture": len(result.sentences) - len(traced),
        "verdict_bar": _verdict_bar(counts, len(result.sentences)),
        "likely": likely,
        "attribution": result.attribution,
        "stemma_svg": _stemma_svg(result),
        "hops": result.changes_by_hop(),
        "originals_by_label": {o.label: o for o in result.originals},
        "VERDICTS": list(Verdict),
        "VERDICT_TEXT": VERDICT_TEXT,
        "VERDICT_HELP": VERDICT_HELP,
        "FLAG_TEXT": FLAG_TEXT,
        "KIND_TEXT": KIND_TEXT,
    }


def _stemma_svg(result: TraceResult) -> Markup | None:
    """The inferred (or asserted) derivation tree as inline SVG; its text is escaped there."""
    if result.attribution is None:
        return None
    from mt_toolkit.report.chain_svg import stemma_svg

    att = result.attribution
    langs = {o.label: o.lang for o in result.originals} | {result.article.label: result.article.lang}
    return Markup(stemma_svg(att.stemma, languages=langs, source=att.source, article=result.article.label))


def render_html(result: TraceResult, *, title: str | None = None) -> str:
    """The result as a complete, self-contained HTML document.

    Args:
        result: a finished trace.
        title: the page title (default: "Quote trace: <article label>").

    Returns:
        HTML text with inline CSS and SVG, no script and no external resource.
    """
    template = report_environment().get_template("trace.html.j2")
    return template.render(report_context(result, title=title), css=report_css()) + "\n"


def similarity_svg(smap: SimilarityMap, *, article_label: str = "article") -> str:
    """An inline SVG heat map of sentence similarity (article sentences down, original sentences
    across) with the matches found outlined: a diagonal path means the article follows the
    original's order, a gap in it a passage the article left out.

    Args:
        smap: the matrix and the chosen path for one original.
        article_label: the name shown on the vertical axis.

    Returns:
        An ``<svg>`` element as text.
    """
    template = report_environment().get_template("similarity.svg.j2")
    return template.render(smap=smap, article_label=article_label).strip()
