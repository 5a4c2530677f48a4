"""Quoted spans and reported-speech cues: which sentences of an article claim to repeat someone.

A news article quotes in two ways: direct quotation between marks (“…”, «…», 「…」, „…“, "…",
'…') and reported speech introduced by a verb of saying (Indonesian *kata*, *ujar*, *menurut*;
Russian *заявил*, *отметил*; Chinese 表示, 指出). The trace pipeline marks each article sentence
as a direct quote, reported speech or plain narrative, so the report can put quotes first; every
sentence is still traced, because a paraphrase without quotation marks can change a statement
just as much.

The rules are deliberately simple and visible here: quote marks are paired left to right, an
ASCII or curly single quote only opens after a space or the start of the text (so ``don't`` and
``Jakarta's`` are not quotes), and an unclosed mark is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from mt_toolkit.languages import normalize

__all__ = [
    "QUOTE_MARKS", "SPEECH_CUES", "QuoteSpan", "SentenceKind", "classify_sentence", "find_quotes",
    "speech_cues",
]

# Opening mark -> closing marks it accepts. German/Indonesian-style low-9 quotes close with either
# “ (German) or ” (Polish, Romanian); guillemets also appear reversed (»…«) in German and Danish.
QUOTE_MARKS: dict[str, tuple[str, ...]] = {
    "“": ("”",),
    "„": ("“", "”"),
    "«": ("»",),
    "»": ("«",),
    "「": ("」",),
    "『": ("』",),
    "‘": ("’",),
    '"': ('"',),
    "'": ("'",),
}

# Marks that double as apostrophes or are used for both ends: only open at the start of the text
# or after whitespace/opening punctuation, only close before whitespace/punctuation/end.
_AMBIGUOUS = {"'", "‘", '"'}

# Verbs and phrases that introduce reported speech, per language. Inflected forms are listed
# (Russian past tense has gender/number endings) rather than stemmed, so a match is explainable.
SPEECH_CUES: dict[str, tuple[str, ...]] = {
    "id": (
        "kata", "katanya", "ujar", "ujarnya", "ucap", "ucapnya", "tutur", "tuturnya", "menurut",
        "mengatakan", "menyatakan", "menegaskan", "menambahkan", "menjelaskan", "menyebutkan",
        "mengungkapkan", "menekankan", "demikian", "dilaporkan", "sebut", "imbuhnya",
    ),
    "ms": ("kata", "katanya", "ujar", "menurut", "berkata", "menyatakan"),
    "en": (
        "said", "says", "say", "told", "tells", "stated", "states", "according to", "added",
        "stressed", "noted", "declared", "announced", "wrote", "writes", "emphasized",
        "emphasised", "remarked", "asserted", "quoted",
    ),
    "ru": (
        "заявил", "заявила", "заявили", "сказал", "сказала", "сказали", "отметил", "отметила",
        "отметили", "подчеркнул", "подчеркнула", "подчеркнули", "сообщил", "сообщила",
        "сообщили", "по словам", "пишет", "написал", "написала", "добавил", "добавила",
        "указал", "указала", "считает", "говорится",
    ),
    "zh": ("表示", "说", "指出", "强调", "称", "认为", "写道", "据", "宣布", "提到", "谈到"),
    "ja": ("述べた", "語った", "と言った", "によると", "強調した", "指摘した"),
    "de": ("sagte", "sagt", "erklärte", "betonte", "laut", "zufolge", "schrieb"),
    "fr": ("a déclaré", "a dit", "selon", "a affirmé", "a souligné", "a écrit"),
    "es": ("dijo", "afirmó", "según", "declaró", "señaló", "subrayó"),
}


class SentenceKind(str, Enum):
    """How an article sentence presents its content."""

    QUOTE = "quote"  # contains a direct quotation between quote marks
    REPORTED = "reported"  # reported speech: a verb of saying, no quote marks
    NARRATIVE = "narrative"  # the journalist's own words


@dataclass(frozen=True)
class QuoteSpan:
    """One direct quotation: the text between the marks and where it sits in the source string."""

    text: str
    start: int  # offset of the first character inside the marks
    end: int  # offset just past the last character inside the marks
    open_mark: str
    close_mark: str


def _can_open(text: str, i: int) -> bool:
    if text[i] not in _AMBIGUOUS:
        return True
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-:,") and not after.isspace()


def _can_close(text: str, j: int) -> bool:
    if text[j] not in _AMBIGUOUS:
        return True
    after = text[j + 1] if j + 1 < len(text) else " "
    return not after.isalnum()


def find_quotes(text: str) -> list[QuoteSpan]:
    """Find the direct quotations in ``text``, outermost first, left to right.

    Nested quotes (a ‘…’ inside a “…”) are part of the outer span and not reported separately.
    An opening mark without its closing mark is ignored rather than swallowing the rest of the text.

    Args:
        text: a sentence or a whole document.

    Returns:
        The spans in order of appearance; empty when there is no closed quotation.
    """
    spans: list[QuoteSpan] = []
    i = 0
    while i < len(text):
        mark = text[i]
        closers = QUOTE_MARKS.get(mark)
        if closers is None or not _can_open(text, i):
            i += 1
            continue
        close_at = -1
        for j in range(i + 1, len(text)):
            if text[j] in closers and _can_close(text, j) and j > i + 1:
                close_at = j
                break
        if close_at < 0:
            i += 1
            continue
        inner = text[i + 1 : close_at]
        lead = len(inner) - len(inner.lstrip())
        stripped = inner.strip()
        if stripped:
            spans.append(QuoteSpan(stripped, i + 1 + lead, i + 1 + lead + len(stripped), mark, text[close_at]))
        i = close_at + 1
    return spans


def _cue_pattern(lang: str) -> re.Pattern[str] | None:
    cues = SPEECH_CUES.get(lang)
    if not cues:
        return None
    alternatives = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
    if lang in ("zh", "ja"):  # no spaces between words: a cue is any occurrence
        return re.compile(f"(?:{alternatives})")
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def speech_cues(sentence: str, lang: str) -> list[str]:
    """The reported-speech cues (verbs of saying, "according to") that occur in ``sentence``.

    Args:
        sentence: one sentence.
        lang: its language, any spelling `mt_toolkit.languages` accepts; languages without a cue
            list yield no cues.

    Returns:
        The matched cue words, lower-cased, in order of appearance.
    """
    pattern = _cue_pattern(normalize(lang))
    if pattern is None:
        return []
    return [m.group(0).lower() for m in pattern.finditer(sentence)]


def classify_sentence(sentence: str, lang: str) -> SentenceKind:
    """Say whether ``sentence`` quotes directly, reports speech, or narrates.

    Args:
        sentence: one sentence.
        lang: its language.

    Returns:
        `SentenceKind.QUOTE` if it holds a closed quotation, `REPORTED` if it has a speech cue,
        else `NARRATIVE`.
    """
    if find_quotes(sentence):
        return SentenceKind.QUOTE
    if speech_cues(sentence, lang):
        return SentenceKind.REPORTED
    return SentenceKind.NARRATIVE
