"""Sentence segmentation that keeps the document's paragraphs.

We use `sentencex` (Wikimedia's segmenter): it is maintained, needs no model download, covers
Indonesian, English, Russian, Chinese and some 300 other languages through per-language abbreviation
lists with fallbacks, and keeps closing quotes (``。”``, ``.»``) with their sentence. Rule-based
segmenters of the pysbd/segtok generation are unmaintained and Latin-centric; model-based ones (SaT)
need weights from the hub, which a news desk offline cannot fetch.

A few rules on top of it find what it misses in news text (measured in
eval/results/segmentation.md): it never cuts inside a quotation, so quote marks are hidden from it
and put back; it cuts after ``。`` only before a CJK character, so full-width sentence ends are cut
whatever follows. The cuts always fall between characters, so no character is ever lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mt_toolkit.languages import get_language

# Quote marks hidden from sentencex: it never splits inside a quotation, so one unbalanced or
# multi-sentence quote (common in news, and in a paragraph cut out of a longer text) swallows
# every boundary after it. Each is replaced by a space of the same length, so offsets still match.
_QUOTES = '"\u201c\u201d\u201e\u00ab\u00bb\u300c\u300d\u300e\u300f'
_HIDE_QUOTES = str.maketrans({q: " " for q in _QUOTES})
# What may follow a sentence's last punctuation and still belong to it.
_CLOSERS = "\u201d\u2019\u00bb\u300d\u300f\uff09)]}\u3011\u300b"
# Full-width sentence ends; after them a sentence ends whatever follows (a digit, a Latin word, an
# opening quote), since Chinese and Japanese put no space between sentences. sentencex only splits
# there before a CJK character.
_LOOSE_QUOTE = re.compile(r'[ \t]+"(?=\s|$)')
_CJK_END = re.compile("[\u3002\uff01\uff1f]+")


def split_sentences(text: str, lang: str) -> list[str]:
    """Split one paragraph of running text into sentences, whitespace trimmed, none empty.

    Every non-space character of ``text`` lands in exactly one sentence, in order: the cuts are
    between characters, never dropping any.
    """
    from sentencex import segment  # imported late: only segmentation needs it

    code = get_language(lang).code
    cuts = set()
    pos = 0
    hidden = text.translate(_HIDE_QUOTES)
    for piece in segment(code, hidden):
        pos += len(piece)
        if pos < len(text):
            cut = _after_closers(text, len(hidden[:pos].rstrip()))
            if not text[cut:].lstrip()[:1].islower() and not _abbreviation_before(hidden, pos, code):
                cuts.add(cut)  # never before a lowercase word: "Why?" he asked. / т.е. давно
    for m in _CJK_END.finditer(text):
        cuts.add(_after_closers(text, m.end()))
    sentences, start = [], 0
    for cut in sorted(cuts) + [len(text)]:
        if cut > start:
            sentences.append(text[start:cut].strip())
            start = cut
    return [s for s in sentences if s]


# Abbreviations sentencex's lists lack, per language code; a cut right after one is dropped.
# Indonesian titles and time/list markers ("Pak. Budi", "pk. 10.30", "dll."), lower-cased.
_EXTRA_ABBREVIATIONS = {
    "id": frozenset("pak bu bpk ibu sdr sdri pk jl jln no hlm kab kec kel tgl ir drs dra prof h hj".split()),
}
_WORD_BEFORE_DOT = re.compile(r"(\w+)\.\s*$")


def _abbreviation_before(hidden: str, pos: int, code: str) -> bool:
    """Whether the piece ending at ``pos`` ends with a known abbreviation and its full stop."""
    extra = _EXTRA_ABBREVIATIONS.get(code)
    m = _WORD_BEFORE_DOT.search(hidden, max(0, pos - 20), pos) if extra else None
    return m is not None and extra is not None and m.group(1).lower() in extra


def _after_closers(text: str, end: int) -> int:
    """Move a cut at ``end`` past the closing quotes and brackets that end the same sentence."""
    while end < len(text):
        ch = text[end]
        if ch in _CLOSERS or (ch in "\"'" and _straight_quote_closes(text, end)):
            end += 1
        else:
            break
    # A straight quote standing alone between spaces (``done. " Next``) is typed loosely; it
    # closes the sentence when a quotation is open, i.e. an odd number of quotes come before it.
    m = _LOOSE_QUOTE.match(text, end)
    if m and _quote_open(text, m.end() - 1):
        end = m.end()
    return end


def _straight_quote_closes(text: str, i: int) -> bool:
    """Whether the straight quote at ``i``, right after a sentence's end, closes that sentence.

    Followed by a space, the end or more punctuation it closes (``." "`` is a close, a space, an
    open). Squeezed between the full stop and a word (``."Then``, ``。"被``) it is ambiguous, so
    count: it closes when a quotation is open before it.
    """
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if nxt.isspace() or not nxt.isalnum():
        return True
    return _quote_open(text, i)


def _quote_open(text: str, i: int) -> bool:
    """Whether a quotation is open at ``i``: an odd number of straight quotes, or more curly
    openers than closers, before it (typists mix ``“`` with ``"``)."""
    return text.count('"', 0, i) % 2 == 1 or text.count("\u201c", 0, i) > text.count("\u201d", 0, i)


@dataclass(frozen=True)
class Paragraph:
    """One input line: its sentences (empty for a blank line)."""

    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """A text as paragraphs of sentences, so a translation can be put back in the same shape."""

    paragraphs: tuple[Paragraph, ...]

    @property
    def sentences(self) -> list[str]:
        """All sentences, in order, flattened across paragraphs."""
        return [s for p in self.paragraphs for s in p.sentences]

    def rebuild(self, translated: list[str], *, joiner: str = " ") -> list[str]:
        """Lines of the translated document: paragraph ``k`` gets its sentences' translations.

        Args:
            translated: one translation per sentence of ``self.sentences``, in order.
            joiner: what separates sentences in a line (empty for Chinese or Japanese output).
        """
        if len(translated) != len(self.sentences):
            raise ValueError(f"expected {len(self.sentences)} translations, got {len(translated)}")
        lines, pos = [], 0
        for paragraph in self.paragraphs:
            n = len(paragraph.sentences)
            lines.append(joiner.join(t.strip() for t in translated[pos : pos + n]))
            pos += n
        return lines


def segment_document(text: str, lang: str, *, segment: bool = True) -> Document:
    """Cut a text into paragraphs (its lines) and sentences.

    Args:
        text: the whole document; each line is a paragraph, blank lines are kept as empty ones.
        lang: the text's language (any accepted spelling).
        segment: if False, each non-empty line is taken as one sentence (pre-segmented input).
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    paragraphs = []
    for line in lines:
        if not line.strip():
            paragraphs.append(Paragraph(()))
        elif segment:
            paragraphs.append(Paragraph(tuple(split_sentences(line, lang))))
        else:
            paragraphs.append(Paragraph((line.strip(),)))
    return Document(tuple(paragraphs))


def sentence_joiner(lang: str | None) -> str:
    """How sentences are glued back into a paragraph in ``lang``: nothing for zh/ja/th.

    The one place that decides it, for translated documents, bead texts, located quotes and
    merged matches alike; an unknown language (None) gets a space.
    """
    if lang is None:
        return " "
    return " " if get_language(lang).spaces_between_words else ""
