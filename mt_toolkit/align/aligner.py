"""Sentence alignment of two documents: similarity spaces in, beads out.

`align_sentences` is the library call under ``mt-toolkit align``: it decides how the two sides
are compared (`comparable_spaces`), runs the banded bead DP (`mt_toolkit.align.dp`) and returns
`Bead` records that cover every sentence of both sides exactly once, in order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mt_toolkit.align.beads import Bead
from mt_toolkit.align.dp import CostOptions, SearchOptions, align_spaces
from mt_toolkit.align.similarity import NgramOptions, VectorSpace
from mt_toolkit.align.spaces import comparable_spaces
from mt_toolkit.errors import InputError

__all__ = ["AlignOptions", "align_sentences", "align_with_spaces"]


@dataclass(frozen=True)
class AlignOptions:
    """All aligner settings in one record, defaults as measured in eval/results/align.md."""

    cost: CostOptions = field(default_factory=CostOptions)
    search: SearchOptions = field(default_factory=SearchOptions)
    ngrams: NgramOptions = field(default_factory=NgramOptions)
    same_script: bool = True  # also compare the texts themselves (see `comparable_spaces`)


def align_with_spaces(
    spaces: Sequence[VectorSpace],
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    options: AlignOptions = AlignOptions(),
    on_progress: Callable[[int, int], None] | None = None,
) -> list[Bead]:
    """Align ``src`` with ``tgt`` using ready-made similarity spaces (see `align_sentences`)."""
    return align_spaces(
        spaces, [len(s) for s in src], [len(t) for t in tgt],
        cost=options.cost, search=options.search, on_progress=on_progress,
    )


def align_sentences(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    src_lang: str,
    tgt_lang: str,
    src_mt: Sequence[str] | None = None,
    tgt_mt: Sequence[str] | None = None,
    model: str | Sequence[str] | None = None,
    translate: bool = True,
    embeddings: str | None = None,
    options: AlignOptions = AlignOptions(),
    device: str = "auto",
    backend: str = "auto",
    compute_type: str = "auto",
    cache: object | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    on_prepare_progress: Callable[[int, int], None] | None = None,
) -> list[Bead]:
    """Align two documents sentence by sentence.

    Args:
        src, tgt: the documents, one sentence per item (neither may be empty).
        src_lang, tgt_lang: their languages.
        src_mt: ``src`` translated into ``tgt_lang`` line by line (e.g. by Google Translate).
        tgt_mt: ``tgt`` translated into ``src_lang`` line by line; used too when given.
        model: translation model for on-the-fly translation when no translation is supplied
            and the languages differ (None: the registry's choice).
        translate: allow that on-the-fly translation.
        embeddings: sentence-transformers model (e.g. ``sentence-transformers/LaBSE``) whose
            cosine is averaged in.
        options: cost, search and n-gram settings.
        device, backend, compute_type, cache: how on-the-fly translation runs (as for
            `mt_toolkit.translate.engine.translate_sentences`).
        on_progress: ``(done, total)`` rows of the dynamic programme.
        on_prepare_progress: ``(done, total)`` sentences of on-the-fly translation, then of
            embedding; the slow part when either is used (minutes, where the programme takes
            seconds), reported separately because its units differ.

    Returns:
        Beads in order; each source and each target sentence is in exactly one bead. A bead's
        ``score`` is its similarity above chance in [0, 1] (0 for 1-0 and 0-1 beads).

    Raises:
        InputError: an empty side, or a translation with the wrong number of lines.
        UnknownLanguageError: an unknown language code.
        BackendUnavailable, ModelNotFoundError, NoRouteError: from on-the-fly translation or
            embeddings.
    """
    if not src:
        raise InputError("SRC has no sentences")
    if not tgt:
        raise InputError("TGT has no sentences")
    spaces = comparable_spaces(
        src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, src_mt=src_mt, tgt_mt=tgt_mt,
        model=model, translate=translate, embeddings=embeddings, ngram_options=options.ngrams,
        same_script=options.same_script, device=device, backend=backend, compute_type=compute_type,
        cache=cache, on_progress=on_prepare_progress,
    )
    return align_with_spaces(spaces, src, tgt, options=options, on_progress=on_progress)
