"""Sentence segmentation that keeps the document's paragraphs.

We use `sentencex` (Wikimedia's segmenter): it is maintained, needs no model download, covers
Indonesian, English, Russian, Chinese and some 300 other languages through per-language abbreviation
lists with fallbacks, and keeps closing quotes (``。”``, ``.»``) with their sentence. Rule-based
segmenters of the pysbd/segtok generation are unmaintained and Latin-centric; model-based ones (SaT)
need weights from the hub, which a news desk offline cannot fetch.
"""

from __future__ import annotations

from dataclasses import dataclass

from mt_toolkit.languages import get_language


def split_sentences(text: str, lang: str) -> list[str]:
    """Split one paragraph of running text into sentences, whitespace trimmed, none empty."""
    from sentencex import segment  # imported late: only segmentation needs it

    code = get_language(lang).code
    return [s.strip() for s in segment(code, text) if s.strip()]


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
