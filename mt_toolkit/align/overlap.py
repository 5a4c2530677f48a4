"""Clipped n-gram overlap of two texts: a chrF++-like F-score for judging a few candidate spans.

The aligner's similarity (`mt_toolkit.align.similarity`) is a cosine of hashed tf-idf vectors,
chosen because it is a dot product: the vector of a merged span is the sum of its sentences'
vectors, and a whole document's similarities are one matrix product. Its weak point is the
*length* of a span: adding a sentence to a span changes the cosine only through the norms, so
it tells "the quote is this sentence" from "the quote is this sentence and the next" poorly.

A clipped-count F-score does better there, because it counts how much of each side the other
covers: precision (the quote's n-grams found in the span, each at most as often as it occurs
there) falls when the span is too short, recall (the span's n-grams found in the quote) falls
when it is too long. We use chrF++'s ingredients: character n-grams of orders 1–6 (whitespace
removed) and word n-grams of orders 1–2 (punctuation split off), lower-cased; precision and
recall are averaged over the orders and combined as F1 (β = 1: for locating, a span that is too
long is as wrong as one that is too short, where chrF's β = 2 forgives extra reference text).

Clipped counts do not decompose into dot products, so this is only for small candidate sets
(a passage against a window of a few dozen sentences); pure Python with `collections.Counter`
is fast enough there. It is written here rather than taken from sacrebleu because sacrebleu is
called only from `mt_toolkit.metrics` (scores users see, with signatures), and because a span's
profile is the sum of its sentences' profiles, which sacrebleu's sentence API cannot reuse.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

__all__ = ["Profile", "profile", "merge_profiles", "fscore"]

CHAR_ORDERS = 6
WORD_ORDERS = 2
_WORD_RE = re.compile(r"\w+|[^\w\s]")
_SPACE_RE = re.compile(r"\s+")

Profile = tuple[Counter, ...]
"""Counts of each n-gram order: character orders 1..6, then word orders 1..2."""


def profile(text: str) -> Profile:
    """The n-gram counts of one text (see the module docstring)."""
    lowered = text.lower()
    chars = _SPACE_RE.sub("", lowered)
    words = _WORD_RE.findall(lowered)
    out = []
    for n in range(1, CHAR_ORDERS + 1):
        out.append(Counter(chars[k : k + n] for k in range(len(chars) - n + 1)))
    for n in range(1, WORD_ORDERS + 1):
        out.append(Counter(tuple(words[k : k + n]) for k in range(len(words) - n + 1)))
    return tuple(out)


def merge_profiles(profiles: Sequence[Profile]) -> Profile:
    """The profile of consecutive texts together (n-grams across their boundary are ignored)."""
    if len(profiles) == 1:
        return profiles[0]
    out = []
    for order in range(len(profiles[0])):
        total: Counter = Counter()
        for p in profiles:
            total.update(p[order])
        out.append(total)
    return tuple(out)


def fscore(hyp: Profile, ref: Profile) -> float:
    """F1 of order-averaged precision and recall of ``hyp`` against ``ref``, in [0, 1].

    Orders that one side lacks entirely (a text shorter than six characters) are left out of
    the average, as chrF does.
    """
    precisions, recalls = [], []
    for h, r in zip(hyp, ref):
        h_total, r_total = sum(h.values()), sum(r.values())
        if not h_total or not r_total:
            continue
        small, large = (h, r) if len(h) <= len(r) else (r, h)
        match = sum(min(c, large[g]) for g, c in small.items() if g in large)
        precisions.append(match / h_total)
        recalls.append(match / r_total)
    if not precisions:
        return 0.0
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)
