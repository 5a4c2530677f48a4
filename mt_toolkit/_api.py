"""The front door: one function per job, as `mt_toolkit.translate(...)`, `mt_toolkit.score(...)` …

Each function is a thin layer over the library call the CLI makes, with keyword-only options and
their defaults in the signature, and returns the records the CLI prints (`Translation` with its
hops, `Bead`, `QuoteMatch`, `Score`, `TraceResult`). Every function that takes a model takes an
already loaded `Translator` (`load_translator`) as well as an id or folder, so a script loads a
model once and reuses it.

Importing this module imports nothing heavy; each function imports its stage when called.

`mt_toolkit.translate`, `mt_toolkit.align` and `mt_toolkit.trace` are also the names of
subpackages (`mt_toolkit.translate.engine` …). Python binds a submodule to its parent's
attribute whenever it is imported, so a plain function of that name would be replaced by the
module at the first import of, say, `mt_toolkit.translate.engine`. Instead those three modules
are made callable (`front_door`): calling the module calls the function here, and
``import mt_toolkit.translate.engine`` keeps working.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from mt_toolkit.errors import InputError

if TYPE_CHECKING:
    from mt_toolkit.align.aligner import AlignOptions
    from mt_toolkit.align.beads import Bead
    from mt_toolkit.align.locate import LocateOptions, QuoteMatch
    from mt_toolkit.fidelity import Thresholds
    from mt_toolkit.metrics import Score
    from mt_toolkit.trace import TraceInput, TraceResult
    from mt_toolkit.translate.base import Translation, Translator
    from mt_toolkit.translate.cache import TranslationCache

    Model = str | Translator

__all__ = ["align", "locate", "score", "trace", "translate"]

ProgressCallback = Callable[[int, int], None]


def _sentences(value: Sequence[str], *, what: str) -> list[str]:
    """A list of sentences, refusing one bare string (which would be read letter by letter)."""
    if isinstance(value, str):
        raise InputError(f"{what} must be a list of sentences, not one string; wrap it in a list")
    return list(value)


def translate(
    texts: Sequence[str],
    *,
    src: str,
    tgt: str,
    model: Model | Sequence[Model] | None = None,
    revision: str | None = None,
    pivot: str | None = "en",
    force_pivot: bool = False,
    beam_size: int = 4,
    max_length: int = 256,
    batch_size: int = 32,
    device: str = "auto",
    backend: str = "auto",
    compute_type: str = "auto",
    cache: TranslationCache | None = None,
    on_progress: ProgressCallback | None = None,
) -> list[Translation]:
    """Translate sentences from ``src`` into ``tgt``, directly or through a pivot language.

    Args:
        texts: the sentences, one per item (identical ones are translated once).
        src: source language, any spelling `mt_toolkit.languages` accepts (``id``, ``zh-TW`` …).
        tgt: target language.
        model: None for the registry's choice; a Hugging Face id or local folder; a `Translator`
            already loaded with `load_translator` (used as it is, never reloaded); or two of
            these, one per hop through ``pivot``.
        revision: branch, tag or commit of a hub model given by id.
        pivot: the language to route through when no direct model exists (None: never pivot).
        force_pivot: route through ``pivot`` even when a direct model exists.
        beam_size: beam width (OPUS-MT's own evaluations use 4).
        max_length: most tokens generated per sentence.
        batch_size: sentences per batch.
        device: ``auto`` (cuda, then mps, then cpu), ``cpu``, ``cuda`` or ``mps``.
        backend: ``auto``, ``hf`` (transformers) or ``ct2`` (CTranslate2).
        compute_type: ``auto``, ``float32``, ``float16``, ``bfloat16`` (and ``int8*`` for ct2).
        cache: a `mt_toolkit.translate.cache.TranslationCache` to reuse and store translations.
        on_progress: called with ``(done, total)`` as batches finish.

    Returns:
        One `Translation` per sentence, in order, each with its hops (text, model, revision,
        backend, compute type, beam size and score of every step).

    Raises:
        InputError: ``texts`` is one string, or a bad device, backend or compute type.
        UnknownLanguageError: a language nobody knows.
        NoRouteError: no model serves the pair, directly or through ``pivot``.
        ModelNotFoundError: a model that is neither local nor downloadable now.
        BackendUnavailable: the extra a backend needs is not installed.
    """
    from mt_toolkit.translate.base import DecodingOptions
    from mt_toolkit.translate.engine import translate_sentences

    return translate_sentences(
        _sentences(texts, what="texts"), src_lang=src, tgt_lang=tgt, model=model, revision=revision,
        pivot=pivot, force_pivot=force_pivot,
        options=DecodingOptions(beam_size=beam_size, max_length=max_length, batch_size=batch_size),
        device=device, backend=backend, compute_type=compute_type, cache=cache, on_progress=on_progress,
    )


def align(
    source: Sequence[str],
    target: Sequence[str],
    *,
    src: str,
    tgt: str,
    source_mt: Sequence[str] | None = None,
    target_mt: Sequence[str] | None = None,
    model: Model | Sequence[Model] | None = None,
    translate: bool = True,
    embeddings: str | None = None,
    options: AlignOptions | None = None,
) -> list[Bead]:
    """Align two documents sentence by sentence (what ``mt-toolkit align`` writes).

    Args:
        source: the source document, one sentence per item.
        target: the target document, one sentence per item.
        src: the source language.
        tgt: the target language.
        source_mt: ``source`` translated into ``tgt``, line by line, if you have it.
        target_mt: ``target`` translated into ``src``, line by line; used too when given.
        model: the model (id, folder or loaded `Translator`) that translates ``source`` when no
            translation is supplied and the languages differ (None: the registry's choice).
        translate: allow that on-the-fly translation.
        embeddings: a sentence-transformers model whose cosine is averaged in (needs the
            ``embeddings`` extra).
        options: cost, search and n-gram settings (`mt_toolkit.align.AlignOptions`).

    Returns:
        `Bead` records in order, covering every sentence of both sides exactly once; sentence
        indices are 0-based.

    Raises:
        InputError: an empty side, one string instead of a list, or a translation with the
            wrong number of lines.
        UnknownLanguageError: a language nobody knows.
        NoRouteError, ModelNotFoundError, BackendUnavailable: from on-the-fly translation or
            embeddings.
    """
    from mt_toolkit.align.aligner import AlignOptions, align_sentences

    return align_sentences(
        _sentences(source, what="source"), _sentences(target, what="target"), src_lang=src, tgt_lang=tgt,
        src_mt=source_mt, tgt_mt=target_mt, model=model, translate=translate,  # type: ignore[arg-type]
        embeddings=embeddings, options=options or AlignOptions(),
    )


def locate(
    quote: Sequence[str],
    original: Sequence[str],
    *,
    src: str,
    tgt: str,
    quote_mt: Sequence[str] | None = None,
    original_mt: Sequence[str] | None = None,
    model: Model | Sequence[Model] | None = None,
    translate: bool = True,
    embeddings: str | None = None,
    options: LocateOptions | None = None,
) -> list[QuoteMatch]:
    """Find, for each sentence of a quote, the sentence(s) of a long original it comes from.

    Args:
        quote: the quoted passage, one sentence per item.
        original: the candidate original, one sentence per item (any length).
        src: the quote's language.
        tgt: the original's language.
        quote_mt: the quote translated into ``tgt``, line by line, if you have it.
        original_mt: the original translated into ``src``, line by line; used too when given.
        model: the model (id, folder or loaded `Translator`) that translates the quote when no
            translation is supplied and the languages differ (None: the registry's choice).
        translate: allow that on-the-fly translation.
        embeddings: a sentence-transformers model whose cosine is averaged in.
        options: threshold, longest merge, chance sampling (`mt_toolkit.align.LocateOptions`).

    Returns:
        One `QuoteMatch` per quote sentence, in order, with the 0-based original indices found.

    Raises:
        InputError: an empty quote or original, one string instead of a list, or a translation
            with the wrong number of lines.
        UnknownLanguageError, NoRouteError, ModelNotFoundError, BackendUnavailable: as `align`.
    """
    from mt_toolkit.align.locate import LocateOptions, locate_quote

    return locate_quote(
        _sentences(quote, what="quote"), _sentences(original, what="original"), quote_lang=src,
        orig_lang=tgt, quote_mt=quote_mt, original_mt=original_mt, model=model,  # type: ignore[arg-type]
        translate=translate, embeddings=embeddings, options=options or LocateOptions(),
    )


def score(
    hypotheses: str | Sequence[str],
    references: str | Sequence[str] | Sequence[Sequence[str]],
    *,
    lang: str = "en",
    metrics: str | Sequence[str] = ("bleu", "chrf", "ter"),
    tokenize: str | None = None,
    n_bootstrap: int = 1,
) -> list[Score]:
    """sacrebleu scores with their signatures: of a corpus, or of one sentence.

    A list of hypotheses is scored as a corpus (``sacrebleu REF -i HYP``); one hypothesis string
    is scored as a sentence (``sacrebleu --sentence-level``, BLEU with effective order).

    Args:
        hypotheses: the system's sentences (a corpus), or one sentence.
        references: for a corpus, one reference stream line-parallel with ``hypotheses`` or a
            list of such streams; for a sentence, its reference or a list of references.
        lang: the target language: picks the BLEU tokenizer (``zh`` for Chinese, ``13a`` else)
            and TER's Asian-script support.
        metrics: names from ``bleu, chrf, chrf++, ter, spbleu``, as a list or ``"bleu,chrf"``.
        tokenize: override the BLEU tokenizer (``13a``, ``zh``, ``intl``, ``char``, ``flores200``).
        n_bootstrap: for a corpus, above 1 adds a 95% confidence interval from that many
            bootstrap resamples (sacrebleu's ``--confidence`` uses 1000).

    Returns:
        One `Score` per metric, in the order asked; ``Score.format()`` prints sacrebleu's line.

    Raises:
        InputError: empty input, line counts that differ, an unknown metric or tokenizer, or a
            confidence interval asked for one sentence.
        UnknownLanguageError: ``lang`` is not known.
    """
    from mt_toolkit.metrics import corpus_scores, sentence_scores

    if isinstance(hypotheses, str):
        if n_bootstrap > 1:
            raise InputError("a confidence interval needs a corpus; pass a list of hypotheses")
        refs = [references] if isinstance(references, str) else list(references)
        if not all(isinstance(ref, str) for ref in refs):
            raise InputError("the references of one sentence must be strings")
        return sentence_scores(hypotheses, cast("list[str]", refs), metrics=metrics, lang=lang, tokenize=tokenize)
    if isinstance(references, str):
        raise InputError("the references of a corpus must be a list of sentences, not one string")
    items = list(references)
    if items and all(isinstance(ref, str) for ref in items):
        streams = [cast("list[str]", items)]  # one reference stream
    else:
        streams = [list(stream) for stream in items]
    return corpus_scores(
        list(hypotheses), streams, metrics=metrics, lang=lang, tokenize=tokenize, n_bootstrap=n_bootstrap,
    )


def trace(
    article: TraceInput,
    originals: Sequence[TraceInput],
    *,
    pivot: str = "en",
    model: Model | Mapping[str, Model] | None = None,
    beam_size: int = 4,
    max_length: int = 256,
    batch_size: int = 32,
    device: str = "auto",
    backend: str = "auto",
    compute_type: str = "auto",
    revision: str | None = None,
    cache: TranslationCache | None = None,
    thresholds: Thresholds | None = None,
    chain: Sequence[str] | None = None,
    on_progress: ProgressCallback | None = None,
) -> TraceResult:
    """Trace every sentence of an article back into candidate originals (``mt-toolkit trace``).

    Every text is brought into ``pivot``: supplied translations (`TraceInput.translation`) are
    used as given, texts in the pivot language as they are, and the rest are translated.

    Args:
        article: the derived text, a `TraceInput` (its label is normally ``article``).
        originals: candidate originals, in any order: which version was made from which is
            inferred from the changes they share (`TraceResult.attribution`).
        pivot: the language every comparison is made in.
        model: what translates the texts that need it: a mapping from language to an id, folder
            or loaded `Translator` (languages not in it use the registry's choice), or one of
            these when a single language needs translating (one model is never silently used
            for several languages). None: the registry's choice for each language.
        beam_size: beam width for those translations.
        max_length: most tokens generated per sentence.
        batch_size: sentences per batch.
        device: engine device (``auto``, ``cpu``, ``cuda``).
        backend: engine backend (``auto``, ``hf``, ``ct2``).
        compute_type: as for `translate` (``auto``, ``int8``, ``float16`` ...).
        revision: hub revision (branch, tag or commit) of the models named by id.
        cache: a `mt_toolkit.translate.cache.TranslationCache`, so tracing the same texts again
            translates nothing.
        thresholds: verdict cut-offs (`mt_toolkit.fidelity.Thresholds`; None: the defaults).
        chain: an order of derivation you know (labels, upstream first, the article last),
            asserted instead of inferred.
        on_progress: called with ``(done, total)`` while texts are translated, then traced.

    Returns:
        A `TraceResult`: per article sentence its matches in each original with scores, flags
        and verdicts, the chain of versions, the ranking of originals and similarity maps.

    Raises:
        InputError: no originals, repeated labels, or a supplied translation of the wrong length.
        UnknownLanguageError, NoRouteError, ModelNotFoundError, BackendUnavailable: from
            translation.
    """
    from mt_toolkit.fidelity import Thresholds
    from mt_toolkit.trace import trace as trace_texts
    from mt_toolkit.translate.base import DecodingOptions

    options = DecodingOptions(beam_size=beam_size, max_length=max_length, batch_size=batch_size)
    return trace_texts(
        article, originals, pivot=pivot, model=model, options=options, device=device, backend=backend,
        compute_type=compute_type, revision=revision, cache=cache, thresholds=thresholds or Thresholds(), chain=chain,
        on_progress=on_progress,
    )


# --- callable modules --------------------------------------------------------------------------

_FRONT_DOORS = {"mt_toolkit.translate": "translate", "mt_toolkit.align": "align", "mt_toolkit.trace": "trace"}


class _FrontDoorModule(types.ModuleType):
    """A module that, called, runs the front-door function of the same name (see the docstring)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return globals()[_FRONT_DOORS[self.__name__]](*args, **kwargs)

    @property
    def __signature__(self) -> Any:  # inspect.signature(mt_toolkit.translate) shows the function's
        import inspect

        return inspect.signature(globals()[_FRONT_DOORS[self.__name__]])


def front_door(module_name: str) -> None:
    """Make the module ``module_name`` callable as its front-door function; idempotent."""
    module = sys.modules[module_name]
    if not isinstance(module, _FrontDoorModule):
        module.__class__ = _FrontDoorModule
