"""Aligning a located passage with a small window of the original: the bead DP at quote scale.

`mt_toolkit.align.locate` first finds *where* a quote comes from by scoring short spans of the
whole original (one or two sentences per quote sentence). Those candidates are good at finding
the region and poor at its edges: a quote sentence rendered as four original sentences, or two
quote sentences rendered as one, is not among them. So once the region is known, the passage
is aligned with a window of the original around it by a bead DP like the sentence aligner's
(`mt_toolkit.align.dp`), with three differences that come from aligning a quote, not a document:

* it is *semi-global*: original sentences before the first and after the last quote sentence
  cost nothing (a quote is a small piece of a long text); one left out *inside* the passage
  costs ``skip`` (small: quotes leave sentences out);
* it counts quote sentences, not sentence pairs. A bead costs, for each of its quote sentences,
  ``1 − margin`` of that sentence *alone* against the bead's original span, plus ``merge`` per
  sentence beyond 1-1, plus a small length prior; a quote sentence left unaligned costs
  ``unmatched``. The aligner's ``(a + b)/2 · d`` of the merged spans rewards merging here: with
  the original's sentences free at the edges, three weak 1-1 beads lost to one 3-1 or 3-3 bead
  whose pooled text scored a little higher, and an unrelated quote sentence rode along with a
  well-matched neighbour;
* the chance level of a margin, ``margin = (s − chance) / (1 − chance)``, comes from random
  spans of the same length drawn from the *whole* original, not from the window: a window
  around the right place is all on the quote's topic, and a chance level estimated there is
  both too high and too noisy (an earlier attempt at re-aligning on the window alone failed
  for that reason).

The similarity ``s`` is first the cosine of the similarity spaces (`_CosineMargins`); a second
pass within ``band`` sentences of that path uses the mean of the cosine margin and the margin
of a clipped n-gram F-score (`OverlapMargins`, `mt_toolkit.align.overlap`), which tells a span
one sentence too long or too short better than a cosine does.

Everything here is small (a handful of quote sentences against a few dozen original
sentences), so the DP is a plain loop over cells with numpy only for the cosines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mt_toolkit.align.beads import Bead
from mt_toolkit.align.dp import IDENTICAL_GAP, bead_shapes
from mt_toolkit.align.overlap import HypothesisCounts, merge_profiles, profile, totals
from mt_toolkit.align.similarity import VectorSpace

__all__ = ["PassageCost", "ChanceTable", "OverlapMargins", "chance_table", "align_passage"]


@dataclass(frozen=True)
class PassageCost:
    """The bead cost of a passage alignment (see the module docstring).

    The defaults here are the library's; `mt_toolkit.align.locate` passes its own
    `LocateOptions` values (``skip`` 0.1 there), which are the measured ones.

    Attributes:
        unmatched: cost of a quote sentence aligned with nothing (1 = a chance-level match).
        skip: cost of each original sentence left out inside the passage.
        merge: cost per sentence of a bead beyond 1-1.
        length: weight of the squared log ratio of the spans' character lengths.
        length_smoothing: characters added to both lengths.
        min_margin: least margin (``1 − d``) of a bead of three or more sentences, and of each
            quote sentence of a bead with several quote sentences against its original span.
    """

    unmatched: float = 1.0
    skip: float = 0.35
    merge: float = 0.02
    length: float = 0.05
    length_smoothing: float = 20.0
    min_margin: float = 0.05


class ChanceTable:
    """Chance cosines of every quote span (up to ``max_quote`` sentences) per original span length.

    ``value(start, stop, b)`` is the mean cosine, averaged over the similarity spaces, of quote
    sentences ``start..stop-1`` (summed vectors) with random runs of ``b`` original sentences.
    """

    def __init__(self, table: dict[tuple[int, int, int], float]) -> None:
        self._table = table

    def value(self, start: int, stop: int, b: int) -> float:
        return self._table[(start, stop, b)]


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.sqrt(np.maximum((rows * rows).sum(axis=-1, keepdims=True), 1e-12))
    return rows / norms


def _quote_spans(space: VectorSpace, max_quote: int) -> tuple[list[tuple[int, int]], np.ndarray]:
    quote = space.left.block(0, space.left.n).astype(np.float64)
    n = quote.shape[0]
    cum = np.vstack([np.zeros((1, quote.shape[1])), np.cumsum(quote, axis=0)])
    keys = [(s, s + a) for a in range(1, min(max_quote, n) + 1) for s in range(n - a + 1)]
    vectors = np.array([cum[e] - cum[s] for s, e in keys])
    return keys, vectors


def _margin(cos: float, chance: float) -> float:
    """`margin_over_chance` for one cell: called per cell of the passage DP, so plain floats."""
    gap = 1.0 - cos
    return 1.0 - (0.0 if gap < IDENTICAL_GAP else gap) / max(1.0 - chance, 1e-6)


def chance_table(
    spaces: Sequence[VectorSpace],
    *,
    max_quote: int,
    max_orig: int,
    samples: int,
    seed: int,
) -> ChanceTable:
    """Estimate `ChanceTable` from ``samples`` random starts in the whole original."""
    n_orig = spaces[0].right.n
    rng = np.random.default_rng(seed)
    lengths = range(1, min(max_orig, n_orig) + 1)
    starts = {b: rng.integers(0, n_orig - b + 1, size=samples) for b in lengths}
    table: dict[tuple[int, int, int], float] = {}
    totals: dict[int, np.ndarray] = {}
    for space in spaces:
        keys, vectors = _quote_spans(space, max_quote)
        norms = np.sqrt(np.maximum((vectors * vectors).sum(axis=1), 1e-12))
        # Dot products of every quote span with every original sentence, then summed per span:
        # the original is read once, in blocks, whatever the number of samples.
        dots = np.zeros((vectors.shape[0], n_orig))
        for first in range(0, n_orig, 2048):
            block = space.right.block(first, min(first + 2048, n_orig)).astype(np.float64)
            dots[:, first : first + block.shape[0]] = vectors @ block.T
        near = space.right.neighbour_dots(max(lengths))
        for b in lengths:
            cols = starts[b][:, None] + np.arange(b)[None, :]  # (samples, b)
            span_dots = dots[:, cols].sum(axis=2)  # (spans, samples)
            span_sq = near[cols, 0].sum(axis=1)
            for t1 in range(b):
                for t2 in range(t1 + 1, b):
                    span_sq = span_sq + 2 * near[cols[:, t1], t2 - t1]
            cos = span_dots / (norms[:, None] * np.sqrt(np.maximum(span_sq, 1e-12))[None, :])
            totals[b] = totals.get(b, 0.0) + cos.mean(axis=1)
    for b in lengths:
        for key, value in zip(keys, totals[b] / len(spaces)):
            table[(key[0], key[1], b)] = float(value)
    return ChanceTable(table)


class _CosineMargins:
    """Margins over chance of spans of the window, from the similarity spaces' cosines."""

    def __init__(self, spaces, quote_range, window, chance: ChanceTable, shapes) -> None:
        (q0, q1), (w0, w1) = quote_range, window
        self.q0, self.chance = q0, chance
        n, width = q1 - q0, w1 - w0
        self.cos: dict[tuple[int, int], np.ndarray] = {}
        for space in spaces:
            quote = space.left.block(q0, q1).astype(np.float64)
            orig = space.right.block(w0, w1).astype(np.float64)
            qcum = np.vstack([np.zeros((1, quote.shape[1])), np.cumsum(quote, axis=0)])
            ocum = np.vstack([np.zeros((1, orig.shape[1])), np.cumsum(orig, axis=0)])
            for a, b in shapes:
                if a > n or b > width:
                    continue
                value = _unit(qcum[a:] - qcum[:-a]) @ _unit(ocum[b:] - ocum[:-b]).T
                self.cos[(a, b)] = self.cos.get((a, b), 0.0) + value / len(spaces)

    def __call__(self, a: int, b: int, i: int, j: int) -> float:
        """Margin of quote sentences ``i-a..i-1`` against window sentences ``j-b..j-1``."""
        return _margin(self.cos[(a, b)][i - a, j - b], self.chance.value(self.q0 + i - a, self.q0 + i, b))


class OverlapMargins:
    """Margins over chance of the clipped n-gram F-score (`mt_toolkit.align.overlap`).

    ``texts`` pairs, like the similarity spaces, the quote and the original in one language
    (the quote's translation with the original, the quote with the original's translation);
    F-scores are averaged over the pairs. Chance is the mean F-score of the quote span with
    ``samples`` random runs of as many sentences from the whole original. Everything is
    computed when first needed and kept, so one instance serves one whole quote.
    """

    def __init__(self, texts, *, samples: int, seed: int) -> None:
        self._texts = [(list(left), list(right)) for left, right in texts]
        n_orig = len(self._texts[0][1])
        self._n_orig = n_orig
        self._starts = np.random.default_rng(seed).integers(0, n_orig, size=samples)
        self._profiles: dict = {}
        self._quote_spans: dict = {}
        self._shared: dict = {}
        self._chance: dict = {}

    def _profile(self, pair: int, side: int, k: int):
        key = (pair, side, k)
        if key not in self._profiles:
            self._profiles[key] = profile(self._texts[pair][side][k])
        return self._profiles[key]

    def _quote_span(self, pair: int, qs: int, qe: int) -> HypothesisCounts:
        key = (pair, qs, qe)
        if key not in self._quote_spans:
            merged = merge_profiles([self._profile(pair, 0, k) for k in range(qs, qe)])
            self._quote_spans[key] = HypothesisCounts(merged)
        return self._quote_spans[key]

    def _shared_with(self, pair: int, qs: int, qe: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        key = (pair, qs, qe, k)
        if key not in self._shared:
            ref = self._profile(pair, 1, k)
            self._shared[key] = (self._quote_span(pair, qs, qe).shared(ref), totals(ref))
        return self._shared[key]

    def _f(self, qs: int, qe: int, os_: int, oe: int) -> float:
        total = 0.0
        for pair in range(len(self._texts)):
            parts = [self._shared_with(pair, qs, qe, k) for k in range(os_, oe)]
            shared = sum((p[0] for p in parts[1:]), start=parts[0][0])
            ref_totals = sum((p[1] for p in parts[1:]), start=parts[0][1])
            total += self._quote_span(pair, qs, qe).fscore(shared, ref_totals)
        return total / len(self._texts)

    def chance(self, qs: int, qe: int, b: int) -> float:
        key = (qs, qe, b)
        if key not in self._chance:
            starts = np.minimum(self._starts, max(self._n_orig - b, 0))
            self._chance[key] = float(np.mean([self._f(qs, qe, int(s), int(s) + b) for s in starts]))
        return self._chance[key]

    def margin(self, qs: int, qe: int, os_: int, oe: int) -> float:
        """Margin of quote sentences ``qs..qe-1`` against original sentences ``os_..oe-1``."""
        return _margin(self._f(qs, qe, os_, oe), self.chance(qs, qe, oe - os_))


def align_passage(
    spaces: Sequence[VectorSpace],
    quote_range: tuple[int, int],
    window: tuple[int, int],
    chance: ChanceTable,
    *,
    lengths: tuple[Sequence[int], Sequence[int]] | None,
    cost: PassageCost,
    max_sentences: int,
    max_side: int,
    max_orig: int,
    overlap: OverlapMargins | None = None,
    band: int = 2,
) -> list[Bead]:
    """Semi-global bead DP of quote sentences ``quote_range`` against original ``window``.

    Args:
        spaces: the similarity spaces (quote left, original right); cosines are averaged.
        quote_range, window: half-open index ranges of quote and original sentences.
        chance: chance cosines from the whole original (`chance_table`).
        lengths: characters of each quote sentence in the original's language and of each
            original sentence, for the length prior; None leaves it out.
        cost: the bead cost.
        max_sentences, max_side: bead shapes allowed (as in the aligner's `SearchOptions`).
        max_orig: most original sentences in one bead.
        overlap: when given, a second pass re-aligns with margins of the clipped n-gram
            F-score instead of the cosine, within ``band`` sentences of the first pass's path.

    Returns:
        Beads covering every quote sentence of the range once, in order (quote sentences as
        ``src``, original sentences as ``tgt``, each quote sentence's margin in ``margins``; a
        quote sentence aligned with nothing is a bead with an empty ``tgt``); original sentences
        outside the beads are not listed.
    """
    q0, q1 = quote_range
    w0, w1 = window
    n, width = q1 - q0, w1 - w0
    shapes = [(a, b) for a, b in bead_shapes(max_sentences, max_side) if a and 0 < b <= max_orig]
    shapes = [(a, b) for a, b in shapes if a <= n and b <= width]
    cosine = _CosineMargins(spaces, quote_range, window, chance, shapes)
    beads, path = _dp(n, width, shapes, cosine, lengths, quote_range, window, cost, None)
    if overlap is not None:

        def fine(a: int, b: int, i: int, j: int) -> float:
            return 0.5 * (overlap.margin(q0 + i - a, q0 + i, w0 + j - b, w0 + j) + cosine(a, b, i, j))

        allowed = [(max(int(p) - band, 0), min(int(p) + band, width)) for p in path]
        allowed[0] = (0, width)
        beads, _ = _dp(n, width, shapes, fine, lengths, quote_range, window, cost, allowed)
    return beads


def _dp(n, width, shapes, margin_of, lengths, quote_range, window, cost, allowed) -> tuple[list[Bead], np.ndarray]:
    """The DP itself; ``allowed[i]`` (inclusive column range per row) restricts it to a band.

    Returns the beads and the path: for each row ``i`` (quote sentences consumed, 1..n), the
    window column where the bead holding quote sentence ``i - 1`` ends, also for a sentence
    aligned with nothing (row 0 is 0); the second pass searches around it.
    """
    (q0, q1), (w0, w1) = quote_range, window
    if lengths is not None:
        qlen = np.concatenate(([0.0], np.cumsum(np.asarray(lengths[0][q0:q1], dtype=np.float64))))
        olen = np.concatenate(([0.0], np.cumsum(np.asarray(lengths[1][w0:w1], dtype=np.float64))))
    inf = float("inf")
    best = np.full((n + 1, width + 1), inf)
    back: dict[tuple[int, int], tuple[int, int, tuple[float, ...]]] = {}
    best[0, :] = 0.0  # leading original sentences are free
    for i in range(1, n + 1):
        lo, hi = allowed[i] if allowed is not None else (0, width)
        for j in range(lo, hi + 1):
            value = best[i - 1, j] + cost.unmatched  # quote sentence unaligned
            step: tuple[int, int, tuple[float, ...]] = (1, 0, (0.0,))
            for a, b in shapes:
                if a > i or b > j:
                    continue
                prev = best[i - a, j - b]
                if prev == inf:
                    continue
                merged = margin_of(a, b, i, j)
                if a + b > 2 and merged < cost.min_margin:
                    continue
                # Each quote sentence is judged on its own against the original span, so a
                # sentence cannot ride along with a well-matched neighbour.
                if a == 1:
                    margins: tuple[float, ...] = (merged,)
                else:
                    margins = tuple(margin_of(1, b, k + 1, j) for k in range(i - a, i))
                    if min(margins) < cost.min_margin:
                        continue
                total = prev + sum(1.0 - m for m in margins) + cost.merge * (a + b - 2)
                if lengths is not None:
                    ql, ol = qlen[i] - qlen[i - a], olen[j] - olen[j - b]
                    ratio = np.log((ol + cost.length_smoothing) / (ql + cost.length_smoothing))
                    total += cost.length * ratio**2
                if total < value:
                    value, step = total, (a, b, margins)
            # An original sentence skipped inside the passage (not after its last sentence).
            if j > 0 and i < n and best[i, j - 1] + cost.skip < value:
                value, step = best[i, j - 1] + cost.skip, (0, 1, ())
            best[i, j] = value
            back[(i, j)] = step
    i, j = n, int(np.argmin(best[n]))  # trailing original sentences are free
    beads = []
    path = np.zeros(n + 1, dtype=np.int64)
    while i > 0:
        a, b, margins = back[(i, j)]
        if a:
            beads.append(Bead.from_ranges(q0 + i - a, q0 + i, w0 + j - b, w0 + j,
                                          margins=tuple(float(m) for m in margins)))
            path[i - a + 1 : i + 1] = j
        i, j = i - a, j - b
    beads.reverse()
    return beads, path
