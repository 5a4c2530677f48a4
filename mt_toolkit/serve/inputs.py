"""From what a user gives (pasted text, a saved page, a URL, a language or 'auto') to `TraceInput`.

The web form and the JSON API both end here, so a page uploaded in the browser and one posted to
`/api/trace` are read the same way, and the same way as the CLI reads a file: HTML reduced to its
main text (`mt_toolkit.text.extract`), the language identified when not given
(`mt_toolkit.text.detect`). Nothing here reads a local path: texts arrive in the request, and a
URL is fetched only over public http(s) (`mt_toolkit.serve.fetch`).
"""

from __future__ import annotations

from dataclasses import dataclass

from mt_toolkit.errors import InputError
from mt_toolkit.languages import normalize
from mt_toolkit.serve.fetch import FetchLimits, fetch_url
from mt_toolkit.text.detect import require_language
from mt_toolkit.text.extract import extract_main_text, looks_like_html
from mt_toolkit.trace import TraceInput

__all__ = ["GivenText", "resolve_text"]


@dataclass(frozen=True)
class GivenText:
    """One text as the form or the API gave it (exactly one of text, html, url)."""

    label: str
    text: str | None = None
    html: str | None = None
    url: str | None = None
    lang: str | None = None  # None or "auto": identify
    translation: tuple[str, ...] | None = None
    presegmented: bool = False
    name: str = ""  # an uploaded file's name, for messages and the .html test


def resolve_text(given: GivenText, *, allow_fetch: bool, fetch_limits: FetchLimits = FetchLimits()) -> TraceInput:
    """The `TraceInput` for one given text: fetched, extracted and its language known.

    Raises:
        InputError: nothing given, a refused URL, a page without text, or a language that cannot
            be told (the message says to choose it).
    """
    label = given.label.strip()
    if not label:
        raise InputError("every text needs a label")
    if given.url:
        if not allow_fetch:
            raise InputError("this server does not fetch URLs (start it with --fetch-urls); paste the text or upload the page")
        page = fetch_url(given.url.strip(), limits=fetch_limits)
        text = extract_main_text(page.text, source=given.url)
    elif given.html:
        text = extract_main_text(given.html, source=given.name or label)
    elif given.text and given.text.strip():
        text = given.text
        if looks_like_html(text, given.name):
            text = extract_main_text(text, source=given.name or label)
    else:
        raise InputError(f"{label}: no text given; paste it, upload a file or give a URL")
    lang = (given.lang or "").strip()
    if lang and lang != "auto":
        lang = normalize(lang)
    else:
        lang = require_language(text, what=label, hint="choose its language in the form (or send 'lang')")
    translation = given.translation
    if translation is not None:
        translation = tuple(line for line in translation if line.strip()) or None
    return TraceInput(label, lang, text, presegmented=given.presegmented, translation=translation)
