"""The main text of a saved web page, without menus, comments and footers.

Translators save the article and the originals from a browser; the toolkit takes the page as
it is and keeps the article body, one paragraph a line, through trafilatura (the `serve` extra),
a maintained extractor that does well on news pages in the evaluations its authors publish.
Extraction favours precision: on short pages its recall mode keeps the site's menu, whose items
would be traced as sentences no original holds. Related-link lines inside the body ("Baca juga:
…") survive extraction; the trace marks them as page furniture (`mt_toolkit.text.furniture`).
"""

from __future__ import annotations

import re

from mt_toolkit.errors import InputError, missing_extra

__all__ = ["extract_main_text", "looks_like_html", "text_of"]

_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str, name: str = "") -> bool:
    """True for a file named ``*.html``/``*.htm`` or a text that starts as an HTML document."""
    return name.lower().endswith((".html", ".htm", ".xhtml")) or bool(_HTML_START.match(text[:2000]))


def extract_main_text(html: str, *, source: str = "the page") -> str:
    """The main text of an HTML page, one paragraph a line.

    Args:
        html: the page's markup.
        source: how the page is named in an error message.

    Raises:
        InputError: no main text could be found (an empty page, a page that is all navigation).
        BackendUnavailable: trafilatura is not installed.
    """
    try:
        import trafilatura
    except ImportError:
        raise missing_extra("trafilatura", "serve") from None
    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, include_images=False,
        include_links=False, deduplicate=False, favor_precision=True,
    )
    if not text or not text.strip():
        raise InputError(f"found no article text in {source}; save the page again or paste its text")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def text_of(raw: str, *, name: str = "", source: str | None = None) -> str:
    """The text to trace from an input: HTML pages extracted, anything else as it is."""
    if looks_like_html(raw, name):
        return extract_main_text(raw, source=source or name or "the page")
    return raw
