"""The translation engine: load models, follow a route hop by hop, keep every hop.

    translations = translate_sentences(["Kami siap."], src_lang="id", tgt_lang="ru")
    translations[0].hops  # id→en and en→ru, each with its text, model, revision, settings, score
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mt_toolkit.errors import InputError
from mt_toolkit.text.segment import Document, segment_document, sentence_joiner
from mt_toolkit.translate.base import DecodingOptions, Hop, Hypothesis, Translation, Translator
from mt_toolkit.translate.batching import translate_unique
from mt_toolkit.translate.loading import resolve_model
from mt_toolkit.translate.registry import Registry
from mt_toolkit.translate.routing import Route, Step, plan_route

ProgressCallback = Callable[[int, int], None]

BACKENDS = ("auto", "hf", "ct2")


def load_translator(
    model: str,
    *,
    revision: str | None = None,
    device: str = "auto",
    backend: str = "auto",
    compute_type: str = "auto",
    target_prefixes: dict[str, str] | None = None,
    threads: int | None = None,
    inter_threads: int | None = None,
    sentences: int | None = None,
    batch_size: int = 32,
) -> Translator:
    """Load a model as a `Translator`.

    Args:
        model: a Hugging Face id or a local folder in Hugging Face layout.
        revision: branch, tag or commit to pin (hub models).
        device: ``auto`` (cuda, then mps, then cpu), ``cpu``, ``cuda`` or ``mps``.
        backend: ``hf`` (transformers), ``ct2`` (CTranslate2; converts the model into the cache
            on first use) or ``auto`` (CTranslate2 when a converted model exists, else transformers).
        compute_type: ``auto``, ``float32``, ``float16``, ``bfloat16`` (and ``int8*`` for ct2).
        target_prefixes: target tokens for multi-target OPUS-MT models, by canonical language.
        threads / inter_threads: CPU threads in all and batches decoded at once; by default
            chosen from the cores and the job size (``sentences`` in batches of ``batch_size``,
            None for a corpus) by `mt_toolkit.translate.threads.thread_layout`.

    Raises:
        ModelNotFoundError: the model is neither local nor downloadable now.
        InputError: bad device/backend/compute type or a folder that is not a model.
    """
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}; use {', '.join(BACKENDS)}")
    source = resolve_model(model, revision=revision)
    if backend == "auto":
        from mt_toolkit.translate.backends.ctranslate2 import has_conversion

        backend = "ct2" if device in ("auto", "cpu", "cuda") and has_conversion(model, revision=revision) else "hf"
    if backend == "ct2":
        from mt_toolkit.translate.backends.ctranslate2 import load_ctranslate2

        return load_ctranslate2(model, revision=revision, device=device, compute_type=compute_type,
                                target_prefixes=target_prefixes, threads=threads, inter_threads=inter_threads,
                                sentences=sentences, batch_size=batch_size)
    from mt_toolkit.translate.backends.transformers import TransformersTranslator

    return TransformersTranslator(source, device=device, compute_type=compute_type, target_prefixes=target_prefixes,
                                  threads=threads, inter_threads=inter_threads, sentences=sentences,
                                  batch_size=batch_size)


ModelArg = str | Translator
"""A model as callers name it: an id or folder, or a `Translator` they already loaded."""


class TranslatorPool:
    """Loads each (model, revision) once per run, so a route reusing a model does not reload it.

    ``load`` replaces `load_translator` (same arguments): tests pass fakes, and the evaluation
    wraps each backend to time it. ``preloaded`` translators (by their ``info.model``) are used
    as they are, never reloaded: a library user loads a model once and passes it to every call.
    """

    def __init__(
        self,
        *,
        device: str = "auto",
        backend: str = "auto",
        compute_type: str = "auto",
        load: Callable[..., Translator] | None = None,
        preloaded: Sequence[Translator] = (),
        threads: int | None = None,
        inter_threads: int | None = None,
    ) -> None:
        self.device, self.backend, self.compute_type = device, backend, compute_type
        self.threads, self.inter_threads = threads, inter_threads
        self._load = load if load is not None else load_translator
        self._loaded: dict[tuple[str, str | None], Translator] = {}
        self._preloaded = {translator.info.model: translator for translator in preloaded}

    def get(self, step: Step, *, sentences: int | None = None, batch_size: int = 32) -> Translator:
        """The step's translator, loaded on first use with a thread layout for a job of
        ``sentences`` (None: a corpus) that later jobs of the same pool share."""
        if step.model in self._preloaded:
            return self._preloaded[step.model]
        key = (step.model, step.revision)
        if key not in self._loaded:
            prefixes = {step.tgt_lang: step.target_prefix} if step.target_prefix else None
            self._loaded[key] = self._load(
                step.model, revision=step.revision, device=self.device, backend=self.backend,
                compute_type=self.compute_type, target_prefixes=prefixes, threads=self.threads,
                inter_threads=self.inter_threads, sentences=sentences, batch_size=batch_size,
            )
        return self._loaded[key]


def translate_route(
    sentences: Sequence[str],
    route: Route,
    *,
    pool: TranslatorPool,
    options: DecodingOptions = DecodingOptions(),
    cache=None,
    on_progress: ProgressCallback | None = None,
) -> list[Translation]:
    """Translate ``sentences`` along ``route``, recording each hop's text, model and score."""
    n_steps = len(route.steps)
    current = list(sentences)
    hops_per_sentence: list[list[Hop]] = [[] for _ in sentences]
    for k, step in enumerate(route.steps):
        translator = pool.get(step, sentences=len(current), batch_size=options.batch_size)
        step_progress = None
        if on_progress is not None:
            def step_progress(done: int, total: int, k: int = k) -> None:
                # each hop is an equal share of the whole job
                on_progress(k * 1000 + (1000 * done // max(total, 1)), n_steps * 1000)
        hyps: list[Hypothesis] = translate_unique(
            translator, current, src_lang=step.src_lang, tgt_lang=step.tgt_lang,
            options=options, cache=cache, on_progress=step_progress,
        )
        info = translator.info
        for i, (src_text, hyp) in enumerate(zip(current, hyps)):
            hops_per_sentence[i].append(Hop(
                src_lang=step.src_lang, tgt_lang=step.tgt_lang, source=src_text, text=hyp.text,
                model=info.model, revision=info.revision, backend=info.backend,
                compute_type=info.compute_type, beam_size=options.beam_size, score=hyp.score,
            ))
        current = [h.text for h in hyps]
    src, tgt = route.steps[0].src_lang, route.steps[-1].tgt_lang
    return [
        Translation(source=s, text=t, src_lang=src, tgt_lang=tgt, hops=tuple(h))
        for s, t, h in zip(sentences, current, hops_per_sentence)
    ]


def _route_and_pool(
    src_lang: str, tgt_lang: str, *, model, revision, pivot, force_pivot, registry, device, backend, compute_type,
    threads=None, inter_threads=None,
) -> tuple[Route, TranslatorPool]:
    """The route the options ask for, and a pool that will load its models (or use the given ones)."""
    models = [model] if isinstance(model, (str, Translator)) else list(model or [])
    loaded = [m for m in models if not isinstance(m, str)]
    route = plan_route(
        src_lang, tgt_lang, models=[m if isinstance(m, str) else m.info.model for m in models],
        revision=revision, pivot=pivot, force_pivot=force_pivot, registry=registry,
    )
    return route, TranslatorPool(device=device, backend=backend, compute_type=compute_type, preloaded=loaded,
                                 threads=threads, inter_threads=inter_threads)


def translate_sentences(
    sentences: Sequence[str],
    *,
    src_lang: str,
    tgt_lang: str,
    model: ModelArg | Sequence[ModelArg] | None = None,
    revision: str | None = None,
    pivot: str | None = "en",
    force_pivot: bool = False,
    options: DecodingOptions = DecodingOptions(),
    device: str = "auto",
    backend: str = "auto",
    compute_type: str = "auto",
    cache=None,
    registry: Registry | None = None,
    on_progress: ProgressCallback | None = None,
    threads: int | None = None,
    inter_threads: int | None = None,
) -> list[Translation]:
    """Translate sentences from ``src_lang`` into ``tgt_lang``, directly or through ``pivot``.

    Args:
        model: None for the registry's choice, or one/two model ids or folders (see `plan_route`),
            or `Translator` objects already loaded (`load_translator`), used without reloading.
        pivot: language to route through when no direct model exists; ``force_pivot`` always does.
        cache: a `TranslationCache` to reuse and store translations.
        threads / inter_threads: as for `load_translator`.

    Returns:
        One `Translation` per input sentence, in order, each with its hops.
    """
    route, pool = _route_and_pool(
        src_lang, tgt_lang, model=model, revision=revision, pivot=pivot, force_pivot=force_pivot,
        registry=registry, device=device, backend=backend, compute_type=compute_type,
        threads=threads, inter_threads=inter_threads,
    )
    return translate_route(sentences, route, pool=pool, options=options, cache=cache, on_progress=on_progress)


@dataclass(frozen=True)
class DocumentTranslation:
    """A translated document: its lines (paragraphs) and, per line, the sentence translations."""

    lines: tuple[str, ...]
    source_lines: tuple[str, ...]
    sentences: tuple[tuple[Translation, ...], ...]  # per line


def translate_document_on_route(
    text: str,
    route: Route,
    *,
    pool: TranslatorPool,
    options: DecodingOptions = DecodingOptions(),
    segment: bool = True,
    cache=None,
    on_progress: ProgressCallback | None = None,
) -> DocumentTranslation:
    """Translate a whole document along ``route``, keeping its paragraphs (lines) and blank lines.

    Sentences of the whole document are translated together (length-sorted batches across
    paragraphs), then put back into their lines.
    """
    src_lang, tgt_lang = route.steps[0].src_lang, route.steps[-1].tgt_lang
    document: Document = segment_document(text, src_lang, segment=segment)
    translations = translate_route(
        document.sentences, route, pool=pool, options=options, cache=cache, on_progress=on_progress
    )
    lines = document.rebuild([t.text for t in translations], joiner=sentence_joiner(tgt_lang))
    per_line, pos = [], 0
    for paragraph in document.paragraphs:
        n = len(paragraph.sentences)
        per_line.append(tuple(translations[pos : pos + n]))
        pos += n
    source_lines = text.split("\n")[: len(lines)]
    return DocumentTranslation(tuple(lines), tuple(source_lines), tuple(per_line))


def translate_document(
    text: str,
    *,
    src_lang: str,
    tgt_lang: str,
    segment: bool = True,
    model: ModelArg | Sequence[ModelArg] | None = None,
    revision: str | None = None,
    pivot: str | None = "en",
    force_pivot: bool = False,
    options: DecodingOptions = DecodingOptions(),
    device: str = "auto",
    backend: str = "auto",
    compute_type: str = "auto",
    cache=None,
    registry: Registry | None = None,
    on_progress: ProgressCallback | None = None,
    threads: int | None = None,
    inter_threads: int | None = None,
) -> DocumentTranslation:
    """Translate a document (one paragraph per line); options as for `translate_sentences`."""
    route, pool = _route_and_pool(
        src_lang, tgt_lang, model=model, revision=revision, pivot=pivot, force_pivot=force_pivot,
        registry=registry, device=device, backend=backend, compute_type=compute_type,
        threads=threads, inter_threads=inter_threads,
    )
    return translate_document_on_route(
        text, route, pool=pool, options=options, segment=segment, cache=cache, on_progress=on_progress
    )
