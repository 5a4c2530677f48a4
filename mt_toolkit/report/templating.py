"""The Jinja2 environment the reports are rendered with: package templates, autoescaping on.

One environment serves the CLI's HTML file and the web workbench, so both show the same report.
Autoescaping is on for every template, so a label or a sentence holding markup is shown as text;
the few helpers below return plain data for the templates to lay out, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from mt_toolkit.errors import UnknownLanguageError
from mt_toolkit.fidelity import FlagKind
from mt_toolkit.languages import get_language

__all__ = ["quote_parts", "report_css", "report_environment"]


def _lang_name(code: str) -> str:
    try:
        return get_language(code).name
    except UnknownLanguageError:
        return code


def _metric(match, name: str) -> str:
    from mt_toolkit.metrics import find_score

    score = find_score(match.scores, name)
    return "–" if score is None else f"{score.value:.1f}"


def _heat(value: float, highest: float) -> str:
    """White (0) to deep blue (the map's highest value)."""
    t = max(0.0, min(1.0, value / max(highest, 1e-9)))
    r, g, b = (round(255 + (c - 255) * t) for c in (31, 78, 170))
    return f"rgb({r},{g},{b})"


def _matrix_max(matrix: Sequence[Sequence[float]]) -> float:
    return max((v for row in matrix for v in row), default=1.0)


def quote_parts(text: str, quotes: Sequence[str]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is a quotation) pieces, each quote marked at its first place."""
    parts: list[tuple[str, bool]] = [(text, False)]
    for quote in quotes:
        if not quote:
            continue
        for k, (piece, is_quote) in enumerate(parts):
            at = -1 if is_quote else piece.find(quote)
            if at >= 0:
                split = [(piece[:at], False), (quote, True), (piece[at + len(quote):], False)]
                parts[k:k + 1] = [p for p in split if p[0]]
                break
    return parts


def _by_label(matches) -> dict:
    return {m.label: m for m in matches}


@lru_cache(maxsize=1)
def report_environment():
    """The shared environment (built once): ``mt_toolkit/report/templates``, autoescaped."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mt_toolkit.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        lang_name=_lang_name, metric=_metric, heat=_heat, matrix_max=_matrix_max,
        quote_parts=quote_parts, by_label=_by_label, flag_kind=FlagKind,
        add_one=lambda i: i + 1,
    )
    return env


@lru_cache(maxsize=1)
def report_css():
    """The report's stylesheet (``templates/report.css``), marked safe to inline in ``<style>``."""
    from markupsafe import Markup

    text = resources.files("mt_toolkit.report").joinpath("templates", "report.css").read_text("utf-8")
    return Markup(text.replace("</", "<\\/"))
