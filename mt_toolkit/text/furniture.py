"""Page furniture: lines a news site puts into an article that are not part of its text.

Sites insert related-article links between paragraphs ("Baca juga: …", "Read also: …",
"Читайте также: …", "相关阅读：…"). Copied with the article, each would be traced as a sentence
that no original holds and reported as an unmatched quote, which sends a fact-checker looking
for a source that never existed. The trace marks these lines as furniture instead.

Recognition is by the lead-in phrase at the start of a sentence, followed by a colon or a dash,
in the languages the toolkit's news examples come from; a phrase inside a sentence ("he asked
readers to read also the report") is not furniture.
"""

from __future__ import annotations

import re

__all__ = ["FURNITURE_LEADS", "furniture_kind", "is_furniture"]

#: Lead-in phrases of related-link lines, lower case, by language (for readers of the source).
FURNITURE_LEADS: dict[str, tuple[str, ...]] = {
    "id": ("baca juga", "lihat juga", "simak juga", "baca pula", "berita terkait", "artikel terkait"),
    "ms": ("baca juga", "baca lagi", "berita berkaitan"),
    "en": ("read also", "also read", "read more", "see also", "related", "related article",
           "related story", "recommended"),
    "ru": ("читайте также", "смотрите также", "читайте еще", "читайте ещё", "по теме"),
    "zh": ("相关阅读", "延伸阅读", "相关新闻", "推荐阅读", "相关链接", "阅读更多"),
    "vi": ("xem thêm", "đọc thêm", "tin liên quan"),
    "fr": ("lire aussi", "à lire aussi", "voir aussi"),
    "de": ("lesen sie auch", "mehr zum thema", "siehe auch"),
    "es": ("lea también", "leer también", "te puede interesar"),
}

_LEADS = sorted({lead for leads in FURNITURE_LEADS.values() for lead in leads}, key=len, reverse=True)
_PATTERN = re.compile(
    r"^\s*[\[(【]?\s*(?:" + "|".join(re.escape(lead) for lead in _LEADS) + r")\s*[\])】]?\s*[:：\-–—|»>]",
    re.IGNORECASE,
)


def furniture_kind(sentence: str) -> str | None:
    """What kind of page furniture ``sentence`` is, or None for a sentence of the article.

    Returns:
        ``"related link"`` for a related-article line; None otherwise.
    """
    return "related link" if _PATTERN.match(sentence) else None


def is_furniture(sentence: str) -> bool:
    """True when ``sentence`` is a related-link line a site inserted, not article text."""
    return furniture_kind(sentence) is not None
