"""Quote location: find where each sentence of a short passage comes from in a long original.

A journalist quotes one to five sentences, maybe partly, maybe reordered, maybe translated. The
original may say in four sentences what the quote says in one, or in one what it says in two.
Location runs in two stages, both on the aligner's similarity (`comparable_spaces`: the quote's
translation into the original's language, or the texts themselves when they share a language).

**1. Where.** Each quote sentence is scored against every original sentence and every run of
two (`_candidates`). A raw cosine means little on its own (short sentences score low,
formulaic ones high), so each candidate is judged by its *margin over chance*:

    margin = (cos − chance) / (1 − chance)

where ``chance`` is the mean cosine of the quote sentence with random originals of the same
span length: 0 is what an unrelated sentence scores, 1 an identical one. A merged run must beat
a single sentence by ``merge_gain``, a small length prior prefers spans about as long as the
quote sentence's translation, and consecutive quote sentences are chosen jointly (a Viterbi
over the quote): those that continue each other in the original earn ``context_bonus``, so
context settles near-ties while a reordered quote still gets its best matches.

**2. Exactly which sentences.** Quote sentences whose best candidate reaches ``threshold`` are
anchors; anchors that follow each other in the original (in order, at most ``window``
sentences apart) form a run, and the quote sentences between and around them join it. Each
run is aligned with the original from ``window`` sentences before its first anchor to
``window`` after its last by a semi-global bead DP (`mt_toolkit.align.passage`): beads of up to
``max_merge`` original and ``max_side`` quote sentences (1-5, 2-3, 2-1 …), original sentences
around the passage free, ``skip`` for each one left out inside it, ``unmatched`` for a quote
sentence aligned with nothing. A bead's margin uses a chance level per span shape estimated on
the *whole* original (a window around the right place is all on the quote's topic; a chance
level taken there is too high and too noisy, which is why re-aligning on the window alone did
not work). Each quote sentence of a bead is scored on its own against the bead's original
span, so an unrelated sentence cannot ride along with a well-matched neighbour.

A second pass re-aligns within two sentences of that path with the mean of the cosine margin
and the margin of a clipped n-gram F-score (`mt_toolkit.align.overlap`, chrF++'s ingredients,
chance again from random spans of the whole original). The cosine of summed vectors tells a
span that is one sentence too long or too short poorly; precision and recall of clipped counts
tell it well, but are noisier alone on weak MT: their mean did better than either on the
benchmark (eval/results/align.md).

A quote sentence is *found* when its margin reaches ``threshold`` (default 0.14), or half of it
when it continues a found neighbour's match. On the Text+Berg benchmark (eval/bench_align.py)
machine translations of the right sentence score well above it, while the best of hundreds of
unrelated sentences usually stays below it (other sentences on the same topic can pass it:
eval/results/align.md measures how often). A quote without any anchor keeps its first-stage
result (not found, unless a sentence passes the threshold there).

Settings are round values reasoned from what they mean rather than fitted to the one
development document (see `LocateOptions`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from mt_toolkit.align.dp import blas_threads, margin_over_chance
from mt_toolkit.align.beads import Bead
from mt_toolkit.align.passage import OverlapMargins, PassageCost, align_passage, chance_table
from mt_toolkit.align.similarity import VectorSpace
from mt_toolkit.align.spaces import comparable_spaces
from mt_toolkit.errors import InputError
from mt_toolkit.languages import get_language

__all__ = ["Candidate", "LocateOptions", "QuoteMatch", "locate_quote", "locate_in_spaces"]


@dataclass(frozen=True)
class QuoteMatch:
    """Where one quote sentence comes from.

    Attributes:
        quote_index: 0-based index of the sentence in the quote.
        original_indices: the matching original sentences (consecutive, ascending); empty when
            not found.
        score: margin over chance of its match, in [0, 1] (see the module docstring): of its
            bead in the passage alignment, or of its best first-stage candidate when it was
            aligned with nothing; reported even when the sentence is not found, so callers see
            how close it came.
        found: whether ``score`` reached the threshold.
    """

    quote_index: int
    original_indices: tuple[int, ...]
    score: float
    found: bool


@dataclass(frozen=True, order=True)
class Candidate:
    """A run of original sentences one quote sentence may come from (first stage).

    Candidates order by ``adjusted``, then ``margin`` and position, so the best sorts last.

    Attributes:
        adjusted: ``margin`` less the merge cost and the length prior: what the choice ranks by.
        margin: margin over chance of the quote sentence against the run (see the module docstring).
        start, stop: the run, as a half-open range of original sentence indices.
    """

    adjusted: float
    margin: float
    start: int
    stop: int

    @property
    def indices(self) -> tuple[int, ...]:
        """The original sentences of the run."""
        return tuple(range(self.start, self.stop))


@dataclass(frozen=True)
class LocateOptions:
    """Settings of `locate_quote`.

    Attributes:
        threshold: least margin over chance for a match (see the module docstring).
        max_merge: longest run of consecutive original sentences one quote sentence may match
            (5: the gold alignments of real translations have 1-5 beads; the first stage
            looks at runs of up to two, the passage alignment at up to this many).
        merge_gain: cost of each sentence of a bead beyond 1-1, on the margin scale; small,
            because the margin itself falls when a span takes in unrelated text.
        context_bonus: added when consecutive quote sentences continue each other in the
            original (next sentence, one skipped, or the same span).
        candidates: best spans per quote sentence considered by the joint choice.
        length: weight of the squared log ratio of the quote sentence's length (in the
            original's language) to the span's; small, because quotes may be partial.
        chance_samples: random original spans used to estimate the chance cosine.
        seed: for those samples.
        window: original sentences searched before the first and after the last anchor of a
            run, and the largest gap between two anchors of one run (8: a few sentences more
            than the longest bead, so a quote sentence next to an anchor can take its whole
            rendering; 4 gave the same result on the benchmark).
        max_sentences, max_side: bead shapes of the passage alignment, as in the aligner's
            `SearchOptions` (up to seven sentences in all, five on one side).
        unmatched: cost of leaving a quote sentence unaligned in the passage alignment; 1 is
            what a chance-level match costs (``1 − margin``), so any better-than-chance span is
            aligned and ``threshold`` alone decides whether it counts as found.
        skip: cost of each original sentence left out between two aligned quote sentences;
            low, because quotes leave sentences out, but above zero so that a passage prefers
            the original's sentences in one piece.
        min_margin: least margin of a bead of three or more sentences and of each quote
            sentence in a bead of several (the counterpart of the aligner's
            ``merge_min_margin``, which is 0 there: the aligner judges pooled spans, this
            judges each quote sentence alone, and 0.05 is the value it was measured with).
        overlap: run the second pass with the clipped n-gram F-score (needs the texts;
            `locate_in_spaces` without ``texts`` skips it).
        overlap_samples: random original spans for the F-score's chance level (fewer than
            for the cosine: each is a pure-Python F-score).
    """

    threshold: float = 0.14
    max_merge: int = 5
    merge_gain: float = 0.02
    context_bonus: float = 0.1
    candidates: int = 8
    length: float = 0.05
    chance_samples: int = 64
    seed: int = 0
    window: int = 8
    max_sentences: int = 7
    max_side: int = 5
    unmatched: float = 1.0
    skip: float = 0.1
    min_margin: float = 0.05
    overlap: bool = True
    overlap_samples: int = 32


def _span_cosines(space: VectorSpace, run: int, chunk: int = 2048) -> np.ndarray:
    """Cosine of each quote sentence with every run of ``run`` consecutive originals."""
    quote = space.left.block(0, space.left.n).astype(np.float64)
    q_norm = np.sqrt(np.maximum((quote * quote).sum(axis=1), 1e-12))
    n_orig = space.right.n
    n_spans = n_orig - run + 1
    dots = np.zeros((quote.shape[0], n_orig))
    for start in range(0, n_orig, chunk):
        block = space.right.block(start, min(start + chunk, n_orig)).astype(np.float64)
        dots[:, start : start + block.shape[0]] = quote @ block.T
    near = space.right.neighbour_dots(run)
    span_dots = sum(dots[:, t : t + n_spans] for t in range(run))
    span_norm = np.zeros(n_spans)
    for t1 in range(run):
        span_norm += near[t1 : t1 + n_spans, 0]
        for t2 in range(t1 + 1, run):
            span_norm += 2 * near[t1 : t1 + n_spans, t2 - t1]
    return span_dots / (q_norm[:, None] * np.sqrt(np.maximum(span_norm, 1e-12))[None, :])


def locate_in_spaces(
    spaces: Sequence[VectorSpace],
    *,
    options: LocateOptions = LocateOptions(),
    lengths: tuple[Sequence[int], Sequence[int]] | None = None,
    texts: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
) -> list[QuoteMatch]:
    """`locate_quote` on ready-made similarity spaces (quote on the left, original on the right).

    ``lengths``: characters of each quote sentence *in the original's language* (its translation)
    and of each original sentence, for the length prior; None leaves the prior out.
    ``texts``: (quote side, original side) pairs of the texts compared, in the order of the
    spaces they were made from, for the F-score pass; None skips that pass.
    """
    with blas_threads(1):
        return _locate(spaces, options, lengths, texts)


def _candidates(spaces: Sequence[VectorSpace], options: LocateOptions, lengths=None) -> list[list[Candidate]]:
    """Per quote sentence, its best ``options.candidates`` runs, best first."""
    n_quote, n_orig = spaces[0].left.n, spaces[0].right.n
    rng = np.random.default_rng(options.seed)
    found: list[list[Candidate]] = [[] for _ in range(n_quote)]
    for run in range(1, min(options.max_merge, 2, n_orig) + 1):
        first = _span_cosines(spaces[0], run)
        cos = sum((_span_cosines(space, run) for space in spaces[1:]), start=first) / len(spaces)
        n_spans = cos.shape[1]
        sample = rng.integers(0, n_spans, size=min(options.chance_samples, n_spans))
        chance = cos[:, sample].mean(axis=1)[:, None]
        margin = margin_over_chance(cos, chance)
        adjusted = margin - options.merge_gain * (run - 1)
        if lengths is not None and options.length > 0:
            quote_len = np.asarray(lengths[0], dtype=np.float64)
            orig_cum = np.concatenate(([0.0], np.cumsum(np.asarray(lengths[1], dtype=np.float64))))
            span_len = orig_cum[run:] - orig_cum[:-run]
            log_ratio = np.log((quote_len[:, None] + 20.0) / (span_len[None, :] + 20.0))
            adjusted = adjusted - options.length * log_ratio**2
        k = min(options.candidates, n_spans)
        top = np.argpartition(-adjusted, k - 1, axis=1)[:, :k]
        for q in range(n_quote):
            for start in top[q]:
                found[q].append(Candidate(float(adjusted[q, start]), float(margin[q, start]), int(start), int(start) + run))
    return [sorted(c, reverse=True)[: options.candidates] for c in found]


def _follows(prev: Candidate, cur: Candidate) -> bool:
    """Whether run ``cur`` continues ``prev`` in the original (next sentence, one gap, or same)."""
    return (cur.start, cur.stop) == (prev.start, prev.stop) or 0 <= cur.start - prev.stop <= 1


def _locate(spaces: Sequence[VectorSpace], options: LocateOptions, lengths=None, texts=None) -> list[QuoteMatch]:
    cands = _candidates(spaces, options, lengths)
    # Viterbi over the quote's sentences: each picks one candidate; consecutive quote sentences
    # that continue each other in the original earn ``context_bonus``. Reordered quotes simply
    # earn no bonus, so strong evidence still wins.
    score = [np.array([c.adjusted for c in cands[0]])]
    back = []
    for q in range(1, len(cands)):
        trans = np.array([[score[-1][p] + options.context_bonus * _follows(prev, cur)
                           for p, prev in enumerate(cands[q - 1])] for cur in cands[q]])
        back.append(trans.argmax(axis=1))
        score.append(trans.max(axis=1) + np.array([c.adjusted for c in cands[q]]))
    picks = [int(score[-1].argmax())]
    for q in range(len(cands) - 1, 0, -1):
        picks.append(int(back[q - 1][picks[-1]]))
    picks.reverse()
    chosen = [cands[q][p] for q, p in enumerate(picks)]
    if options.window > 0:
        refined = _refine(spaces, chosen, options, lengths, texts)
        if refined is not None:
            return refined
    matches = []
    for q, cand in enumerate(chosen):
        margin = cand.margin
        supported = any(
            0 <= r < len(chosen) and chosen[r].margin >= options.threshold
            and (_follows(chosen[r], cand) or _follows(cand, chosen[r]))
            for r in (q - 1, q + 1)
        )
        found = margin >= options.threshold or (supported and margin >= options.threshold / 2)
        indices = cand.indices if found else ()
        matches.append(QuoteMatch(q, indices, round(float(np.clip(margin, 0.0, 1.0)), 4), bool(found)))
    return matches


def _groups(chosen: list[Candidate], options: LocateOptions) -> list[tuple[int, int, int, int]]:
    """Runs of the quote whose confident matches follow each other in the original.

    Returns (quote start, quote stop, window start, window stop) per run; a quote sentence
    without a confident match joins the run before it (the first run when none is before).
    """
    anchors = [q for q, c in enumerate(chosen) if c.margin >= options.threshold]
    runs: list[list[int]] = []
    for q in anchors:
        if runs:
            prev = chosen[runs[-1][-1]]
            cur = chosen[q]
            if cur.start >= prev.start and cur.start - prev.stop <= options.window:
                runs[-1].append(q)
                continue
        runs.append([q])
    out = []
    for r, run in enumerate(runs):
        q_start = 0 if r == 0 else run[0]
        q_stop = runs[r + 1][0] if r + 1 < len(runs) else len(chosen)
        w_start = min(chosen[q].start for q in run) - options.window
        w_stop = max(chosen[q].stop for q in run) + options.window
        out.append((q_start, q_stop, w_start, w_stop))
    return out


def _refine(spaces, chosen: list[Candidate], options: LocateOptions, lengths, texts) -> list[QuoteMatch] | None:
    """Re-align each run of confident matches with a window of the original (`passage`)."""
    groups = _groups(chosen, options)
    if not groups:
        return None
    n_orig = spaces[0].right.n
    chance = chance_table(spaces, max_quote=options.max_side, max_orig=options.max_merge,
                          samples=options.chance_samples, seed=options.seed)
    cost = PassageCost(unmatched=options.unmatched, skip=options.skip, merge=options.merge_gain,
                       length=options.length, min_margin=options.min_margin)
    overlap = None
    if options.overlap and texts:
        overlap = OverlapMargins(texts, samples=options.overlap_samples, seed=options.seed)
    bead_of: dict[int, Bead] = {}  # quote sentence -> its passage bead (quote as src)
    for q_start, q_stop, w_start, w_stop in groups:
        window = (max(w_start, 0), min(w_stop, n_orig))
        for bead in align_passage(spaces, (q_start, q_stop), window, chance, lengths=lengths,
                                  cost=cost, max_sentences=options.max_sentences,
                                  max_side=options.max_side, max_orig=options.max_merge,
                                  overlap=overlap):
            for q in bead.src:
                bead_of[q] = bead

    def follows(x: Bead, y: Bead) -> bool:  # both aligned (non-empty tgt)
        return x is y or 0 <= y.tgt[0] - (x.tgt[-1] + 1) <= 1

    def margin_of(q: int) -> float:
        bead = bead_of[q]
        return bead.margins[q - bead.src[0]]

    def aligned(q: int) -> bool:
        return bool(bead_of[q].tgt)

    matches = []
    for q in range(len(chosen)):
        bead = bead_of[q]
        margin = margin_of(q) if aligned(q) else chosen[q].margin
        supported = aligned(q) and any(
            r in bead_of and aligned(r) and margin_of(r) >= options.threshold
            and (follows(bead_of[r], bead) or follows(bead, bead_of[r]))
            for r in (q - 1, q + 1)
        )
        found = aligned(q) and (margin >= options.threshold or (supported and margin >= options.threshold / 2))
        indices = bead.tgt if found else ()
        matches.append(QuoteMatch(q, indices, round(float(np.clip(margin, 0.0, 1.0)), 4), bool(found)))
    return matches


def locate_quote(
    quote_sentences: Sequence[str],
    original_sentences: Sequence[str],
    *,
    quote_lang: str,
    orig_lang: str,
    quote_mt: Sequence[str] | None = None,
    original_mt: Sequence[str] | None = None,
    model: str | Sequence[str] | None = None,
    translate: bool = True,
    embeddings: str | None = None,
    options: LocateOptions = LocateOptions(),
    device: str = "auto",
    backend: str = "auto",
    compute_type: str = "auto",
    cache: object | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[QuoteMatch]:
    """Find, for each quote sentence, the original sentence(s) it comes from.

    Args:
        quote_sentences: the quoted passage, one sentence per item (1–5 typically).
        original_sentences: the candidate original, one sentence per item (any length).
        quote_lang, orig_lang: their languages.
        quote_mt: the quote translated into ``orig_lang`` line by line; without it and with
            different languages, the translation engine translates the quote (``model``, or
            the registry's choice) unless ``translate`` is False.
        original_mt: the original translated into ``quote_lang`` line by line; used as well
            when given (the two cosines are averaged).
        model: translation model for that on-the-fly translation.
        translate: allow on-the-fly translation.
        embeddings: a sentence-transformers model whose cosine is averaged in.
        options: threshold, longest merge, chance sampling.
        device, backend, compute_type, cache: how on-the-fly translation runs (as for
            `mt_toolkit.translate.engine.translate_sentences`).
        on_progress: progress of on-the-fly translation.

    Returns:
        One `QuoteMatch` per quote sentence, in quote order.

    Raises:
        InputError: an empty quote or original, or a translation of the wrong length.
        UnknownLanguageError, and the errors of on-the-fly translation or embeddings.
    """
    if not quote_sentences:
        raise InputError("the quote has no sentences")
    if not original_sentences:
        raise InputError("the original has no sentences")
    spaces = comparable_spaces(
        quote_sentences, original_sentences, src_lang=quote_lang, tgt_lang=orig_lang,
        src_mt=quote_mt, tgt_mt=original_mt, model=model, translate=translate, embeddings=embeddings,
        side_names=("QUOTE", "ORIGINAL"), translation_names=("--quote-mt", "--orig-mt"), device=device, backend=backend, compute_type=compute_type,
        cache=cache, on_progress=on_progress,
    )
    same_language = get_language(quote_lang).code == get_language(orig_lang).code
    in_orig_language = quote_mt if quote_mt is not None else (quote_sentences if same_language else None)
    lengths = None
    if in_orig_language is not None:
        lengths = ([len(q) for q in in_orig_language], [len(o) for o in original_sentences])
    texts = [space.texts for space in spaces if space.texts is not None]
    return locate_in_spaces(spaces, options=options, lengths=lengths, texts=texts or None)
