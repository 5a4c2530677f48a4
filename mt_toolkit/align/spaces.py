"""Making two texts comparable: which translations and which vectors the similarity uses.

Two texts in different languages are compared in one language. In order of preference:

1. translations the user supplies: ``src_mt`` (SRC translated into TGT's language, line by
   line) compared with TGT, and ``tgt_mt`` (TGT into SRC's language) compared with SRC; when
   both are given the two cosines are averaged, which evens out each system's blind spots;
2. texts already in one language are compared directly;
3. otherwise the translation engine translates SRC into TGT's language on the fly (the
   registry's model, or ``model``);
4. when the two languages share a script (German and French, Russian and Kazakh), the texts
   themselves are compared as well, if ``same_script=True`` (the aligner's choice). Names,
   numbers, dates and cognates survive translation letter for letter, while MT systems
   often mangle exactly those (a wrong inflection of a place name, "4,45 matin" for "4.45
   Uhr"); on the held-out Text+Berg test set it raised strict F1 with Google's de→fr MT from
   0.843 to 0.859 (mean of three hash seeds; eval/results/align.md). It is one more space, averaged with equal weight. Quote location
   leaves it out: for a single sentence against a whole document its noise outweighs it;
5. multilingual sentence embeddings (``embeddings="sentence-transformers/LaBSE"``, the optional
   extra ``embeddings``) are added as one more space when asked for, or used alone when
   ``translate=False`` leaves nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from mt_toolkit.align.similarity import (
    NgramOptions,
    VectorSpace,
    cosine_matrix,
    embedding_space,
    ngram_space,
)
from mt_toolkit.errors import InputError
from mt_toolkit.languages import get_language
from mt_toolkit.textio import check_same_length

__all__ = ["comparable_spaces", "similarity_matrix", "machine_translate"]


def machine_translate(
    sentences: Sequence[str],
    *,
    src_lang: str,
    tgt_lang: str,
    model: str | Sequence[str] | None = None,
    device: str = "auto",
    backend: str = "auto",
    compute_type: str = "auto",
    cache: object | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Translate sentences with the toolkit's engine (registry default when ``model`` is None).

    ``device``, ``backend``, ``compute_type`` and ``cache`` are passed to `translate_sentences`.
    """
    from mt_toolkit.translate.engine import translate_sentences

    translations = translate_sentences(
        list(sentences), src_lang=src_lang, tgt_lang=tgt_lang, model=model, device=device,
        backend=backend, compute_type=compute_type, cache=cache, on_progress=on_progress,
    )
    return [t.text for t in translations]


def comparable_spaces(
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
    ngram_options: NgramOptions = NgramOptions(),
    same_script: bool = False,
    side_names: tuple[str, str] = ("SRC", "TGT"),
    translation_names: tuple[str, str] = ("--src-mt", "--tgt-mt"),
    device: str = "auto",
    backend: str = "auto",
    compute_type: str = "auto",
    cache: object | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[VectorSpace]:
    """The vector spaces in which ``src`` and ``tgt`` are compared (see the module docstring).

    Args:
        src, tgt: the two sides, one sentence per item.
        src_lang, tgt_lang: their languages (any spelling `mt_toolkit.languages` accepts).
        src_mt: ``src`` translated into ``tgt_lang``, one line per ``src`` sentence.
        tgt_mt: ``tgt`` translated into ``src_lang``, one line per ``tgt`` sentence.
        model: translation model for on-the-fly translation (None: the registry's choice).
        translate: allow on-the-fly translation when nothing else makes the sides comparable.
        embeddings: a sentence-transformers model name or folder to add an embedding space.
        ngram_options: character n-gram settings.
        same_script: also compare the texts themselves when their languages differ but share
            a script (added to a translation space, never used alone).
        side_names: how error messages name the two sides.
        translation_names: how error messages name the options that give ``src_mt`` and ``tgt_mt``
            (the command's own flags: locate has ``--quote-mt``/``--orig-mt``).
        device, backend, compute_type, cache: how on-the-fly translation runs (as for
            `mt_toolkit.translate.engine.translate_sentences`).
        on_progress: ``(done, total)`` of on-the-fly translation, then of embedding.

    Returns:
        One or more `VectorSpace`; the aligner averages their cosines.

    Raises:
        UnknownLanguageError: a language code nobody knows.
        InputError: a translation whose line count differs from its source, or no way to compare.
        BackendUnavailable: embeddings asked for without the extra installed.
    """
    src_language, tgt_language = get_language(src_lang), get_language(tgt_lang)
    src_code, tgt_code = src_language.code, tgt_language.code
    spaces: list[VectorSpace] = []
    if src_mt is not None:
        check_same_length(list(src), list(src_mt), name_a=side_names[0], name_b=f"the {side_names[0]} translation")
        spaces.append(ngram_space(src_mt, tgt, name="ngram:src-mt~tgt", options=ngram_options))
    if tgt_mt is not None:
        check_same_length(list(tgt), list(tgt_mt), name_a=side_names[1], name_b=f"the {side_names[1]} translation")
        spaces.append(ngram_space(src, tgt_mt, name="ngram:src~tgt-mt", options=ngram_options))
    if not spaces and src_code == tgt_code:
        spaces.append(ngram_space(src, tgt, name="ngram:src~tgt", options=ngram_options))
    if not spaces and translate:
        translated = machine_translate(
            src, src_lang=src_code, tgt_lang=tgt_code, model=model, device=device, backend=backend,
            compute_type=compute_type, cache=cache, on_progress=on_progress,
        )
        spaces.append(ngram_space(translated, tgt, name="ngram:src-engine~tgt", options=ngram_options))
    if same_script and spaces and src_code != tgt_code and src_language.script == tgt_language.script:
        spaces.append(ngram_space(src, tgt, name="ngram:src~tgt", options=ngram_options))
    if embeddings is not None:
        spaces.append(embedding_space(src, tgt, model=embeddings, on_progress=on_progress))
    if not spaces:
        raise InputError(
            f"cannot compare {src_code} with {tgt_code}: give {'/'.join(translation_names)} translations, "
            "allow on-the-fly translation (drop --no-translate), or add --embeddings"
        )
    return spaces


def similarity_matrix(
    left: Sequence[str],
    right: Sequence[str],
    *,
    left_lang: str,
    right_lang: str,
    left_mt: Sequence[str] | None = None,
    right_mt: Sequence[str] | None = None,
    model: str | Sequence[str] | None = None,
    translate: bool = True,
    embeddings: str | None = None,
) -> np.ndarray:
    """Cosine similarity of every ``left`` sentence with every ``right`` sentence.

    The same similarity the aligner and `locate_quote` use, for drawing or inspection: a
    ``len(left) × len(right)`` float array, 0 for unrelated sentences, near 1 for identical
    wording; values are comparable only within one matrix (idf is computed per pair of texts).
    Quadratic in memory: meant for passages against documents, not two whole books.

    Raises:
        The errors of `comparable_spaces`.
    """
    spaces = comparable_spaces(
        left, right, src_lang=left_lang, tgt_lang=right_lang, src_mt=left_mt, tgt_mt=right_mt,
        model=model, translate=translate, embeddings=embeddings,
    )
    return cosine_matrix(spaces)
