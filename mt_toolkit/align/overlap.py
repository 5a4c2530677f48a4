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
(a passage against a window of a few dozen sentences). Profiles are `collections.Counter`s;
for many spans against one hypothesis, `HypothesisCounts` lays the hypothesis's n-grams out as
one vector, so that a span's clipped matches are a sum and a ``minimum`` of small arrays. It is written here rather than taken from sacrebleu because sacrebleu is
called only from `mt_toolkit.metrics` (scores users see, with signatures), and because a span's
profile is the sum of its sentences' profiles, which sacrebleu's sentence API cannot reuse.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

__all__ = ["HypothesisCounts", "Profile", "fscore", "merge_profiles", "profile", "totals"]

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
    out: list[Counter] = []
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
    counts = HypothesisCounts(hyp)
    return counts.fscore(counts.shared(ref), totals(ref))


def totals(p: Profile) -> np.ndarray:
    """Number of n-grams of each order."""
    return np.array([sum(c.values()) for c in p], dtype=np.int64)


class HypothesisCounts:
    """A hypothesis's n-gram counts laid out as one vector, order after order.

    A reference sentence is reduced to the vector of its counts of the *hypothesis's* n-grams
    (`shared`); the vector of a span of reference sentences is the sum of theirs, and the
    clipped matches are a ``minimum`` with the hypothesis's counts. So a long span is never
    merged into one profile, and each F-score is a few numpy operations.
    """

    def __init__(self, hyp: Profile) -> None:
        sizes = [len(c) for c in hyp]
        self._bounds = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        # Position of each n-gram in the vector, per order.
        self._index = [
            {g: int(start) + k for k, g in enumerate(c)} for c, start in zip(hyp, self._bounds[:-1])
        ]
        self.counts = np.array([n for c in hyp for n in c.values()], dtype=np.int64)
        self.totals = totals(hyp)

    def shared(self, ref: Profile) -> np.ndarray:
        """``ref``'s count of each of the hypothesis's n-grams (0 where it has none)."""
        out = np.zeros(self.counts.shape[0], dtype=np.int64)
        positions, values = [], []
        for r, index in zip(ref, self._index):
            if len(r) <= len(index):
                for g, c in r.items():
                    k = index.get(g)
                    if k is not None:
                        positions.append(k)
                        values.append(c)
            else:
                for g, k in index.items():
                    count = r.get(g)
                    if count is not None:
                        positions.append(k)
                        values.append(count)
        out[positions] = values
        return out

    def fscore(self, shared: np.ndarray, ref_totals: np.ndarray) -> float:
        """`fscore` against a reference span given the sum of its sentences' `shared` vectors
        and n-gram totals."""
        clipped = np.concatenate(([0], np.cumsum(np.minimum(self.counts, shared))))
        match = clipped[self._bounds[1:]] - clipped[self._bounds[:-1]]
        valid = (self.totals > 0) & (ref_totals > 0)
        if not valid.any():
            return 0.0
        p = float(np.mean(match[valid] / self.totals[valid]))
        r = float(np.mean(match[valid] / ref_totals[valid]))
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)
