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

__all__ = ["Profile", "profile", "merge_profiles", "fscore", "shared_counts", "span_fscore"]

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
    return span_fscore(hyp, [shared_counts(hyp, ref)], [_totals(ref)])


def shared_counts(hyp: Profile, ref: Profile) -> tuple[dict, ...]:
    """Per order, the counts in ``ref`` of the n-grams that ``hyp`` has too.

    All that `span_fscore` needs of a reference sentence: a span's clipped matches follow from
    its sentences' shared counts, so long spans are never merged into one profile.
    """
    out = []
    for h, r in zip(hyp, ref):
        small, large = (h, r) if len(h) <= len(r) else (r, h)
        out.append({g: r[g] for g in small if g in large})
    return tuple(out)


def _totals(p: Profile) -> tuple[int, ...]:
    return tuple(sum(c.values()) for c in p)


def span_fscore(
    hyp: Profile,
    shared: list[tuple[dict, ...]],
    totals: list[tuple[int, ...]],
    hyp_totals: tuple[int, ...] | None = None,
) -> float:
    """`fscore` of ``hyp`` against consecutive reference sentences taken together.

    Args:
        hyp: the hypothesis profile.
        shared: `shared_counts` of ``hyp`` with each reference sentence.
        totals: n-gram totals per order of each reference sentence.
        hyp_totals: ``hyp``'s n-gram totals per order, when the caller has them already.
    """
    if hyp_totals is None:
        hyp_totals = _totals(hyp)
    precisions, recalls = [], []
    for order, h in enumerate(hyp):
        h_total = hyp_totals[order]
        r_total = sum(t[order] for t in totals)
        if not h_total or not r_total:
            continue
        if len(shared) == 1:
            counts = shared[0][order]
        else:
            counts = {}
            for part in shared:
                for g, c in part[order].items():
                    counts[g] = counts.get(g, 0) + c
        match = sum(min(c, h[g]) for g, c in counts.items())
        precisions.append(match / h_total)
        recalls.append(match / r_total)
    if not precisions:
        return 0.0
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)
