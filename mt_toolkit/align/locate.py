"""Quote location: find where each sentence of a short passage comes from in a long original.

A journalist quotes one to five sentences, maybe partly, maybe reordered, maybe translated. For
each quoted sentence we score every original sentence and every run of up to ``max_merge``
consecutive original sentences (a quote sentence often fuses two), using the aligner's
similarity (`comparable_spaces`: the quote's translation into the original's language, or the
texts themselves when they share a language).

A raw cosine means little on its own (short sentences score low, formulaic ones high), so each
candidate is judged by its *margin over chance*:

    margin = (cos − chance) / (1 − chance)

where ``chance`` is the mean cosine of the quote sentence with random originals of the same
span length. 0 is what an unrelated sentence scores, 1 an identical one. The best candidate is
kept; a merged run must beat the best single sentence by ``merge_gain`` (merging always adds
overlap by accident). A quote sentence is *found* when its best margin is at least
``threshold`` (default 0.12): on the Text+Berg benchmark (eval/bench_align.py) machine
translations of the right sentence score about 0.25 on average, while the best of hundreds of
unrelated sentences reaches 0.05–0.10.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from mt_toolkit.align.dp import blas_threads
from mt_toolkit.align.similarity import VectorSpace
from mt_toolkit.align.spaces import comparable_spaces
from mt_toolkit.errors import InputError

__all__ = ["LocateOptions", "QuoteMatch", "locate_quote", "locate_in_spaces"]


@dataclass(frozen=True)
class QuoteMatch:
    """Where one quote sentence comes from.

    Attributes:
        quote_index: 0-based index of the sentence in the quote.
        original_indices: the matching original sentences (consecutive, ascending); empty when
            not found.
        score: margin over chance of the best candidate, in [0, 1] (see the module docstring);
            reported even when the sentence is not found, so callers see how close it came.
        found: whether ``score`` reached the threshold.
    """

    quote_index: int
    original_indices: tuple[int, ...]
    score: float
    found: bool


@dataclass(frozen=True)
class LocateOptions:
    """Settings of `locate_quote`.

    Attributes:
        threshold: least margin over chance for a match (see the module docstring).
        max_merge: longest run of consecutive original sentences one quote sentence may match.
        merge_gain: how much a merged run must beat the best single sentence by.
        chance_samples: random original spans used to estimate the chance cosine.
        seed: for those samples.
    """

    threshold: float = 0.12
    max_merge: int = 2
    merge_gain: float = 0.02
    chance_samples: int = 64
    seed: int = 0


def _span_cosines(space: VectorSpace, run: int, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """(cos, chance): cosine of each quote sentence with every run of ``run`` originals."""
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
    cos = span_dots / (q_norm[:, None] * np.sqrt(np.maximum(span_norm, 1e-12))[None, :])
    return cos, span_norm


def locate_in_spaces(
    spaces: Sequence[VectorSpace], *, options: LocateOptions = LocateOptions()
) -> list[QuoteMatch]:
    """`locate_quote` on ready-made similarity spaces (quote on the left, original on the right)."""
    with blas_threads(1):
        return _locate(spaces, options)


def _locate(spaces: Sequence[VectorSpace], options: LocateOptions) -> list[QuoteMatch]:
    n_quote, n_orig = spaces[0].left.n, spaces[0].right.n
    rng = np.random.default_rng(options.seed)
    best_margin = np.full(n_quote, -np.inf)
    best_start = np.zeros(n_quote, dtype=np.int64)
    best_run = np.ones(n_quote, dtype=np.int64)
    for run in range(1, min(options.max_merge, n_orig) + 1):
        cos_sum = 0.0
        for space in spaces:
            cos, _ = _span_cosines(space, run)
            cos_sum = cos_sum + cos
        cos = cos_sum / len(spaces)
        n_spans = cos.shape[1]
        sample = rng.integers(0, n_spans, size=min(options.chance_samples, n_spans))
        chance = cos[:, sample].mean(axis=1)
        margin = (cos - chance[:, None]) / np.maximum(1.0 - chance[:, None], 1e-6)
        top = margin.argmax(axis=1)
        top_margin = margin[np.arange(n_quote), top]
        need = 0.0 if run == 1 else options.merge_gain
        better = top_margin > best_margin + need
        best_margin = np.where(better, top_margin, best_margin)
        best_start = np.where(better, top, best_start)
        best_run = np.where(better, run, best_run)
    matches = []
    for q in range(n_quote):
        score = float(np.clip(best_margin[q], 0.0, 1.0))
        found = bool(best_margin[q] >= options.threshold)
        indices = tuple(range(int(best_start[q]), int(best_start[q] + best_run[q]))) if found else ()
        matches.append(QuoteMatch(q, indices, round(score, 4), found))
    return matches


def locate_quote(
    quote_sentences: Sequence[str],
    original_sentences: Sequence[str],
    *,
    quote_lang: str,
    orig_lang: str,
    quote_mt: Sequence[str] | None = None,
    model: str | Sequence[str] | None = None,
    translate: bool = True,
    embeddings: str | None = None,
    options: LocateOptions = LocateOptions(),
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
        model: translation model for that on-the-fly translation.
        translate: allow on-the-fly translation.
        embeddings: a sentence-transformers model whose cosine is averaged in.
        options: threshold, longest merge, chance sampling.
        on_progress: progress of on-the-fly translation.

    Returns:
        One `QuoteMatch` per quote sentence, in quote order.

    Raises:
        InputError: an empty quote or original, or ``quote_mt`` of the wrong length.
        UnknownLanguageError, and the errors of on-the-fly translation or embeddings.
    """
    if not quote_sentences:
        raise InputError("the quote has no sentences")
    if not original_sentences:
        raise InputError("the original has no sentences")
    spaces = comparable_spaces(
        quote_sentences, original_sentences, src_lang=quote_lang, tgt_lang=orig_lang,
        src_mt=quote_mt, model=model, translate=translate, embeddings=embeddings,
        on_progress=on_progress,
    )
    return locate_in_spaces(spaces, options=options)
