"""Bead dynamic programming in linear time and memory: coarse to fine inside a narrow band.

The aligner looks for the monotone segmentation of both documents into *beads* (1-1, 1-0, 0-1,
1-2, 2-1, 2-2 and longer merges) of least total cost. Exact DP over all (i, j) cells is
quadratic: 20,000 × 20,000 sentences are 400 million cells. We follow the coarse-to-fine idea:

1. Group the sentences of each side into units of ``g`` consecutive sentences (``g`` a power of
   two, chosen so that the coarsest level has at most ``full_size`` units per side). A unit's
   vector is the sum of its sentences' vectors, so its similarity is that of the concatenated
   text. Align the units with exact DP over the whole (small) matrix.
2. Halve ``g``, project the path onto the finer grid and widen it by ``band`` units on each side;
   align again inside that band only. Repeat until ``g = 1``. Coarse levels use 1-1, 1-2,
   2-1, 2-2, 1-0 and 0-1 beads of units; the last level uses every shape up to
   ``max_sentences``.

Each level costs O((N + M) · band · shapes), and the levels shrink geometrically, so the total is
linear in the document length. We chose this over anchors + windows (align confident 1-1 pairs
first, then fill the gaps) because a band around a global path has no gap of unbounded size:
a long untranslated stretch simply widens a few rows of the band, while a gap between two
anchors would be aligned quadratically. The price is that a coarse mistake larger than the band
cannot be repaired; the band (10 units at each level) is far wider than a coarse unit is
displaced by merges or deletions in practice.

The band is ragged: row ``i`` of the DP (``i`` source units consumed) holds the target columns
``lo[i] <= j < hi[i]``, both non-decreasing in ``i``. All cells live in flat arrays, so bead costs
are computed for every cell at once with numpy, and the DP itself is one short vectorised step
per row (a running minimum handles the 0-1 moves inside a row).

Bead cost (all terms documented in `CostOptions`):

    cost(a-b bead) = (a + b)/2 · d + length · log(len ratio)² + merge · (a + b − 2)
    d = (1 − cos) / (1 − cos_chance)                       cost(1-0) = cost(0-1) = deletion

where ``cos`` is the cosine of the two spans' vectors (averaged over similarity spaces) and
``cos_chance`` the mean cosine of each span against random spans of the other side with the same
shape. ``d`` is the dissimilarity relative to chance: 1 for a random pair, 0 for an exact match,
so sentences that resemble everything (short, formulaic) and sentences that resemble nothing
(long, badly translated) are judged on the same scale. ``(a + b)/2`` counts the sentence pairs a
bead stands for. Beads of three or more sentences must also be above chance (by
``merge_min_margin``, 0 by default). The defaults were chosen on one development document across six
translation conditions (eval/results/align.md), preferring round values on a flat optimum.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from mt_toolkit.align.beads import Bead
from mt_toolkit.align.similarity import VectorSpace

__all__ = ["CostOptions", "SearchOptions", "align_spaces", "bead_shapes", "margin_over_chance"]

# 1 - cosine below this is float rounding (float32 vectors): the spans are identical.
IDENTICAL_GAP = 1e-5


def margin_over_chance(cos, chance):
    """Similarity above chance, ``(cos - chance) / (1 - chance)``: 1 for identical spans, 0 at chance.

    The aligner, quote location and passage alignment all read a cosine this way. An identical
    pair's cosine is 1 only up to the float sums' rounding, and in a document of a few sentences
    the random spans are the true partners, so the chance cosine is 1 up to rounding too: a gap
    below rounding is no gap, or the margin would be noise over noise (an identical pair scored
    0.95 or 1.0 depending on the CPU).
    """
    gap = np.asarray(1.0 - cos, dtype=np.float64)
    gap = np.where(gap < IDENTICAL_GAP, 0.0, gap)
    return 1.0 - gap / np.maximum(1.0 - np.asarray(chance, dtype=np.float64), 1e-6)


ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class CostOptions:
    """The few global parameters of the bead cost (see the module docstring).

    Attributes:
        deletion: cost of leaving one sentence unaligned (1-0 or 0-1), on the scale of ``d``
            where a random pair costs 1; a pair is kept when its ``d`` is below twice this.
        merge: extra cost per sentence beyond 1-1, so that two good 1-1 beads beat one 2-2 bead
            that covers the same sentences with the same similarity.
        length: weight of the squared log ratio of the spans' character lengths (after scaling
            by the documents' overall ratio), a Gale–Church-style prior.
        length_smoothing: characters added to both lengths so very short lines are not
            over-penalised.
        merge_min_margin: a bead of more than two sentences must be at least this far above
            chance (``1 - d``); an unrelated 1-1 pair can be right when the text around it
            aligns, but a merge at chance level only swallows sentences that should be deleted.
            0 (merely above chance): true pairs are only some 0.12–0.2 above chance with
            2010-era MT, so any positive margin is a tuned constant, and 0.05 blocked real
            merges under weak MT (Europarl-light dev 0.79 -> 0.85, held-out test +0.005 on
            three hash seeds; eval/results/align.md).
    """

    deletion: float = 0.7
    merge: float = 0.15
    length: float = 2.0
    length_smoothing: float = 40.0
    merge_min_margin: float = 0.0


@dataclass(frozen=True)
class SearchOptions:
    """How wide the search is.

    Attributes:
        max_sentences: largest bead, counted in sentences on both sides (7 allows 1-5, 3-4 …;
            real documents have them: one long sentence rendered as five short ones).
        max_side: most sentences of one side in a bead.
        band: extra units searched on each side of the projected coarse path.
        full_size: largest number of units per side aligned without a band (the coarsest level).
        chance_samples: random spans used to estimate ``cos_chance``.
        seed: for those samples.
        blas_threads: BLAS threads during alignment. The matrix products here are small
            (64 × 4096 × ~100), where a multi-threaded BLAS spends longer synchronising than
            computing, several times longer on a busy machine; None leaves BLAS as it is.
    """

    max_sentences: int = 7
    max_side: int = 5
    band: int = 10
    full_size: int = 256
    chance_samples: int = 32
    seed: int = 0
    blas_threads: int | None = 1


def bead_shapes(max_sentences: int, max_side: int) -> list[tuple[int, int]]:
    """All (a, b) with 1 <= a, b <= max_side and a + b <= max_sentences, then 1-0 and 0-1."""
    shapes = [
        (a, b)
        for total in range(2, max_sentences + 1)
        for a in range(1, max_side + 1)
        for b in [total - a]
        if 1 <= b <= max_side
    ]
    return shapes + [(1, 0), (0, 1)]


class _Level:
    """Everything about one level of the coarse-to-fine search (units of ``group`` sentences)."""

    def __init__(
        self,
        spaces: Sequence[VectorSpace],
        src_lengths: np.ndarray,
        tgt_lengths: np.ndarray,
        group: int,
        lo: np.ndarray,
        hi: np.ndarray,
        shapes: list[tuple[int, int]],
        cost: CostOptions,
        search: SearchOptions,
    ) -> None:
        self.spaces = spaces
        self.group = group
        self.n_src = -(-len(src_lengths) // group)
        self.n_tgt = -(-len(tgt_lengths) // group)
        self.lo, self.hi = lo, hi
        self.shapes = shapes
        self.cost_options = cost
        self.search = search
        self.k = max(max(a, b) for a, b in shapes)
        widths = hi - lo
        self.offsets = np.zeros(self.n_src + 2, dtype=np.int64)
        np.cumsum(widths, out=self.offsets[1 : self.n_src + 2])
        n_cells = int(self.offsets[-1])
        self.cell_row = np.repeat(np.arange(self.n_src + 1), widths)
        self.cell_col = (
            np.arange(n_cells) - self.offsets[self.cell_row] + lo[self.cell_row]
        )
        self.src_len = _group_sum(src_lengths, group)
        self.tgt_len = _group_sum(tgt_lengths, group)

    # -- similarity pieces ---------------------------------------------------------------
    def _band_dots(self, space: VectorSpace) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cumulative dot products of each source unit with the target units of its band."""
        k, n_src, n_tgt = self.k, self.n_src, self.n_tgt
        units = np.arange(n_src)
        glo = np.clip(self.lo[np.minimum(units + 1, n_src)] - k, 0, n_tgt)
        ghi = np.clip(self.hi[np.minimum(units + k, n_src)], 0, n_tgt)
        ghi = np.maximum(ghi, glo)
        goff = np.zeros(n_src + 1, dtype=np.int64)
        np.cumsum(ghi - glo + 1, out=goff[1:])
        cum = np.zeros(int(goff[-1]), dtype=np.float64)
        chunk = 64
        for start in range(0, n_src, chunk):
            stop = min(start + chunk, n_src)
            c0, c1 = int(glo[start:stop].min()), int(ghi[start:stop].max())
            left = space.left.block(start, stop, self.group)
            right = space.right.block(c0, c1, self.group)
            dots = (left @ right.T).astype(np.float64)  # (rows, c1 - c0)
            for row in range(stop - start):
                p = start + row
                seg = dots[row, glo[p] - c0 : ghi[p] - c0]
                cum[goff[p] + 1 : goff[p + 1]] = np.cumsum(seg)
        return cum, goff, glo

    def _span_norms(self, vectors, n_units: int) -> list[np.ndarray]:
        """norms[a][e] = squared norm of the span of ``a`` units ending before unit ``e``."""
        near = vectors.neighbour_dots(self.k, self.group)
        norms = [np.zeros(n_units + 1)]
        for a in range(1, self.k + 1):
            out = np.full(n_units + 1, np.nan)
            if a <= n_units:
                total = np.zeros(n_units - a + 1)
                for t1 in range(a):
                    total += near[t1 : n_units - a + 1 + t1, 0]
                    for t2 in range(t1 + 1, a):
                        total += 2 * near[t1 : n_units - a + 1 + t1, t2 - t1]
                out[a:] = total
            norms.append(out)
        return norms

    def _chance(self, dots_with_samples: np.ndarray, own_norms, other_norms, starts) -> dict:
        """Mean cosine of every own span (a units) with random other spans (b units)."""
        n_units = dots_with_samples.shape[0]
        k = self.k
        result = {}
        # cum_own[e, s, d] = sum over units < e of <u, other[start_s + d]>
        cum_own = np.zeros((n_units + 1,) + dots_with_samples.shape[1:])
        np.cumsum(dots_with_samples, axis=0, out=cum_own[1:])
        for a in range(1, k + 1):
            if a > n_units:
                continue
            span = cum_own[a:] - cum_own[:-a]  # (n_units - a + 1, samples, k)
            span_b = np.cumsum(span, axis=2)
            for b in range(1, k + 1):
                ok = starts + b <= len(other_norms[b]) - 1
                if not ok.any():
                    continue
                other = other_norms[b][starts[ok] + b]
                num = span_b[:, ok, b - 1]
                den = np.sqrt(np.maximum(own_norms[a][a:, None] * other[None, :], 1e-12))
                out = np.full(n_units + 1, np.nan)
                out[a:] = (num / den).mean(axis=1)
                result[(a, b)] = out
        return result

    def _space_cosines(self, space: VectorSpace) -> tuple[dict, dict]:
        """Per-shape arrays over cells: cosine and chance cosine in one space."""
        cum, goff, glo = self._band_dots(space)
        src_norms = self._span_norms(space.left, self.n_src)
        tgt_norms = self._span_norms(space.right, self.n_tgt)
        rng = np.random.default_rng(self.search.seed)
        k, samples = self.k, self.search.chance_samples
        tgt_starts = rng.integers(0, max(self.n_tgt - k + 1, 1), size=samples)
        src_starts = rng.integers(0, max(self.n_src - k + 1, 1), size=samples)
        src_vs = _sample_dots(space.left, space.right, tgt_starts, k, self.group, self.n_src)
        tgt_vs = _sample_dots(space.right, space.left, src_starts, k, self.group, self.n_tgt)
        chance_src = self._chance(src_vs, src_norms, tgt_norms, tgt_starts)
        chance_tgt = self._chance(tgt_vs, tgt_norms, src_norms, src_starts)
        rows, cols = self.cell_row, self.cell_col
        cosines, chances = {}, {}
        for a, b in self.shapes:
            if a == 0 or b == 0:
                continue
            ok = (rows >= a) & (cols >= b)
            r, c = rows[ok], cols[ok]
            dot = np.zeros(r.shape[0])
            for t in range(1, a + 1):
                p = r - t
                base = goff[p] - glo[p]
                dot += cum[base + c] - cum[base + c - b]
            norm = src_norms[a][r] * tgt_norms[b][c]
            cos = np.full(rows.shape[0], np.nan)
            cos[ok] = dot / np.sqrt(np.maximum(norm, 1e-12))
            chance = np.full(rows.shape[0], np.nan)
            cs = chance_src.get((a, b))
            ct = chance_tgt.get((b, a))
            if cs is not None and ct is not None:
                chance[ok] = 0.5 * (cs[r] + ct[c])
            elif cs is not None:
                chance[ok] = cs[r]
            elif ct is not None:
                chance[ok] = ct[c]
            else:
                chance[ok] = 0.0
            cosines[(a, b)] = cos
            chances[(a, b)] = chance
        return cosines, chances

    # -- costs and the DP ----------------------------------------------------------------
    def costs(self) -> tuple[np.ndarray, np.ndarray]:
        """(cost, confidence) arrays of shape (shapes, cells); inf where a shape cannot end."""
        n_cells = self.cell_row.shape[0]
        total_cos: dict = {}
        total_chance: dict = {}
        for space in self.spaces:
            cos, chance = self._space_cosines(space)
            for key in cos:
                total_cos[key] = total_cos.get(key, 0) + cos[key]
                total_chance[key] = total_chance.get(key, 0) + chance[key]
        n_spaces = len(self.spaces)
        opts = self.cost_options
        cost = np.full((len(self.shapes), n_cells), np.inf, dtype=np.float64)
        conf = np.zeros((len(self.shapes), n_cells), dtype=np.float32)
        rows, cols = self.cell_row, self.cell_col
        src_cum = np.concatenate(([0.0], np.cumsum(self.src_len)))
        tgt_cum = np.concatenate(([0.0], np.cumsum(self.tgt_len)))
        ratio = (tgt_cum[-1] + 1.0) / (src_cum[-1] + 1.0)
        for s, (a, b) in enumerate(self.shapes):
            if a == 0 or b == 0:
                ok = (rows >= a) & (cols >= b) & (cols <= self.n_tgt)
                cost[s, ok] = opts.deletion
                continue
            cos = total_cos[(a, b)] / n_spaces
            chance = total_chance[(a, b)] / n_spaces
            ok = np.isfinite(cos) & (cols <= self.n_tgt)
            c, r = cols[ok], rows[ok]
            d = 1.0 - margin_over_chance(cos[ok], chance[ok])
            src_len = src_cum[r] - src_cum[r - a]
            tgt_len = tgt_cum[c] - tgt_cum[c - b]
            log_ratio = np.log(
                (tgt_len + opts.length_smoothing) / (ratio * src_len + opts.length_smoothing)
            )
            cost[s, ok] = (
                (a + b) / 2.0 * d + opts.length * log_ratio**2 + opts.merge * (a + b - 2)
            )
            conf[s, ok] = np.clip(1.0 - d, 0.0, 1.0)
            if a + b > 2:
                weak = np.flatnonzero(ok)[1.0 - d < opts.merge_min_margin]
                cost[s, weak] = np.inf
        return cost, conf

    def run(self, on_row: Callable[[int], None] | None = None) -> list[tuple[int, int, int, float]]:
        """Least-cost path as (end row, end column, shape index, confidence) beads, in order."""
        cost, conf = self.costs()
        n_src, n_tgt = self.n_src, self.n_tgt
        offsets, lo, hi = self.offsets, self.lo, self.hi
        n_cells = int(offsets[-1])
        best = np.full(n_cells + 1, np.inf)  # last element: sentinel for invalid predecessors
        back = np.full(n_cells, -1, dtype=np.int16)
        shapes = self.shapes
        del_tgt = shapes.index((0, 1))
        vert = [(s, a, b) for s, (a, b) in enumerate(shapes) if a > 0]
        shape_idx = np.array([s for s, _, _ in vert])
        a_arr = np.array([a for _, a, _ in vert])
        b_arr = np.array([b for _, _, b in vert])
        deletion = self.cost_options.deletion
        # Row 0: only 0-1 moves from (0, 0).
        w0 = hi[0] - lo[0]
        best[:w0] = (np.arange(w0) + lo[0]) * deletion if lo[0] == 0 else np.inf
        back[1:w0] = del_tgt
        for i in range(1, n_src + 1):
            start, stop = offsets[i], offsets[i + 1]
            width = stop - start
            cols = lo[i] + np.arange(width)
            prev_rows = i - a_arr
            valid_rows = prev_rows >= 0
            prev_rows_c = np.where(valid_rows, prev_rows, 0)
            prev_cols = cols[None, :] - b_arr[:, None]
            prev_lo = lo[prev_rows_c][:, None]
            prev_hi = hi[prev_rows_c][:, None]
            inside = (prev_cols >= prev_lo) & (prev_cols < prev_hi) & valid_rows[:, None]
            flat = np.where(inside, offsets[prev_rows_c][:, None] + prev_cols - prev_lo, n_cells)
            cand = best[flat] + cost[shape_idx, start:stop]
            pick = np.argmin(cand, axis=0)
            x = cand[pick, np.arange(width)]
            # 0-1 moves inside the row: D[w] = min_k x[k] + deletion * (w - k).
            steps = np.arange(width) * deletion
            y = x - steps
            run_min = np.minimum.accumulate(y)
            src_pos = np.maximum.accumulate(np.where(y <= run_min, np.arange(width), 0))
            best[start:stop] = run_min + steps
            back[start:stop] = np.where(
                src_pos == np.arange(width), shape_idx[pick], del_tgt
            )
            if on_row is not None:
                on_row(i)
        # Backtrace from (n_src, n_tgt).
        path = []
        i, j = n_src, n_tgt
        if not (lo[i] <= j < hi[i]) or not np.isfinite(best[offsets[i] + j - lo[i]]):
            raise RuntimeError("alignment band does not reach the end; this is a bug")
        while i > 0 or j > 0:
            cell = offsets[i] + j - lo[i]
            s = int(back[cell])
            path.append((i, j, s, float(conf[s, cell])))
            a, b = shapes[s]
            i, j = i - a, j - b
        path.reverse()
        return path


@contextlib.contextmanager
def blas_threads(limit: int | None) -> Iterator[None]:
    """Limit BLAS threads inside the block (threadpoolctl), restoring them afterwards."""
    if limit is None:
        yield
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # only slower without it
        yield
        return
    with threadpool_limits(limits=limit, user_api="blas"):
        yield


def _group_sum(values: np.ndarray, group: int) -> np.ndarray:
    units = -(-len(values) // group)
    padded = np.zeros(units * group)
    padded[: len(values)] = values
    return padded.reshape(units, group).sum(axis=1)


def _sample_dots(own, other, starts, k, group, n_own) -> np.ndarray:
    """<own unit u, other unit start_s + d> for every u, sample s and d < k: (n_own, s, k)."""
    n_other = -(-other.n // group)
    idx = (starts[:, None] + np.arange(k)[None, :]).ravel()
    idx = np.minimum(idx, max(n_other - 1, 0))
    other_vecs = np.concatenate([other.block(int(u), int(u) + 1, group) for u in idx], axis=0)
    out = np.zeros((n_own, len(starts) * k))
    chunk = 1024
    for start in range(0, n_own, chunk):
        vecs = own.block(start, min(start + chunk, n_own), group)
        out[start : start + vecs.shape[0]] = vecs @ other_vecs.T
    valid = (starts[:, None] + np.arange(k)[None, :]).ravel() < n_other
    out[:, ~valid] = 0.0
    return out.reshape(n_own, len(starts), k)


def _full_band(n_src: int, n_tgt: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n_src + 1, dtype=np.int64), np.full(n_src + 1, n_tgt + 1, dtype=np.int64)


def _project(path, shapes, n_src: int, n_tgt: int, band: int) -> tuple[np.ndarray, np.ndarray]:
    """Band at the next finer level around a coarse path (each unit becomes two)."""
    lo = np.full(n_src + 1, np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full(n_src + 1, -1, dtype=np.int64)
    for i1, j1, s, _ in path:
        a, b = shapes[s]
        i0, j0 = i1 - a, j1 - b
        r0, r1 = min(2 * i0, n_src), min(2 * i1, n_src)
        c0, c1 = min(2 * j0, n_tgt), min(2 * j1, n_tgt)
        lo[r0 : r1 + 1] = np.minimum(lo[r0 : r1 + 1], c0)
        hi[r0 : r1 + 1] = np.maximum(hi[r0 : r1 + 1], c1 + 1)
    lo = np.clip(lo - band, 0, n_tgt)
    hi = np.clip(hi + band, 1, n_tgt + 1)
    lo[0] = 0
    hi[-1] = n_tgt + 1
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return lo, hi


def align_spaces(
    spaces: Sequence[VectorSpace],
    src_lengths: Sequence[int],
    tgt_lengths: Sequence[int],
    *,
    cost: CostOptions = CostOptions(),
    search: SearchOptions = SearchOptions(),
    on_progress: ProgressCallback | None = None,
) -> list[Bead]:
    """Align two sides given their vectors in one or more similarity spaces.

    Args:
        spaces: each pairs the source and target vectors in one comparable space; the cosine
            used is the mean over spaces.
        src_lengths, tgt_lengths: characters per sentence (for the length prior).
        cost: the bead cost parameters.
        search: bead shapes, band width, coarsest size.
        on_progress: called with (rows done, rows in total) over all levels.

    Returns:
        Beads covering every sentence of both sides exactly once, in order, each with its
        confidence (rounded to 4 places; 0 for insertions and deletions).
    """
    with blas_threads(search.blas_threads):
        return _align_levels(spaces, src_lengths, tgt_lengths, cost, search, on_progress)


def _align_levels(spaces, src_lengths, tgt_lengths, cost, search, on_progress) -> list[Bead]:
    n_src, n_tgt = len(src_lengths), len(tgt_lengths)
    if n_src == 0 and n_tgt == 0:
        return []
    src_len = np.asarray(src_lengths, dtype=np.float64)
    tgt_len = np.asarray(tgt_lengths, dtype=np.float64)
    group = 1
    while -(-max(n_src, n_tgt) // group) > search.full_size:
        group *= 2
    fine_shapes = bead_shapes(search.max_sentences, search.max_side)
    coarse_shapes = [(1, 1), (1, 2), (2, 1), (2, 2), (1, 0), (0, 1)]
    groups = []
    g = group
    while g >= 1:
        groups.append(g)
        g //= 2
    total_rows = sum(-(-n_src // g) for g in groups)
    done = 0
    path = None
    prev_shapes = None
    for g in groups:
        units_src, units_tgt = -(-n_src // g), -(-n_tgt // g)
        if path is None:
            lo, hi = _full_band(units_src, units_tgt)
        else:
            lo, hi = _project(path, prev_shapes, units_src, units_tgt, search.band)
        shapes = fine_shapes if g == 1 else coarse_shapes
        level = _Level(spaces, src_len, tgt_len, g, lo, hi, shapes, cost, search)

        def on_row(row: int, base: int = done) -> None:
            if on_progress is not None and (row % 256 == 0 or row == level.n_src):
                on_progress(base + row, total_rows)

        path = level.run(on_row if on_progress is not None else None)
        done += units_src
        prev_shapes = shapes
    if path is None:
        raise RuntimeError("no alignment level ran")  # cannot happen: `groups` always holds 1
    beads = []
    for i, j, s, score in path:
        a, b = fine_shapes[s]
        beads.append(Bead.from_ranges(i - a, i, j - b, j, round(score, 4) if a and b else 0.0))
    return beads
