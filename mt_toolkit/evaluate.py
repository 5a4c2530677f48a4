"""Model evaluation: translate a test set with one or more systems, score them, compare them.

A system is a model (Hugging Face id or local folder), two models joined by ``+`` for a pivot
route (``A+B`` goes through ``pivot``), or ``registry`` for the registry's own choice. Every
system's output is scored with sacrebleu (`mt_toolkit.metrics`) and the others are compared with
the first by a paired significance test.

With a `TranslationCache`, a sentence translated once by a model under the same settings is
never translated again: adding a model to an evaluation translates only with that model. The
speed of a system (sentences per second, model loading excluded) is measured on the sentences it
translates; when all come from the cache, the speed recorded when they were made is reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from mt_toolkit.errors import InputError
from mt_toolkit.metrics import DEFAULT_METRICS, Score, SignificanceTable, check_paired_options, corpus_scores, paired_significance, parse_metrics
from mt_toolkit.testsets import EvalData
from mt_toolkit.translate.base import DecodingOptions, Hypothesis, ModelInfo, Translator
from mt_toolkit.translate.batching import translate_batches

ProgressCallback = Callable[[int, int], None]

REGISTRY_SYSTEM = "registry"

# progress units per system: systems (and hops within one) are equal shares of the bar
_SHARE = 1000


@dataclass(frozen=True)
class SystemSpec:
    """A system to evaluate: a display name and the models of its route (empty: the registry's)."""

    name: str
    models: tuple[str, ...] = ()

    @classmethod
    def parse(cls, spec: str) -> SystemSpec:
        """``MODEL``, ``A+B`` (pivot), ``registry``, each optionally as ``NAME=...``.

        Raises:
            InputError: an empty name or model, or more than two models.
        """
        name, sep, rest = spec.partition("=")
        # a model id never contains '=', a Windows path might contain ':' but not '='
        if not sep:
            name, rest = spec, spec
        name, rest = name.strip(), rest.strip()
        if not name or not rest:
            raise InputError(f"system {spec!r}: expected MODEL, A+B or NAME=MODEL")
        if rest == REGISTRY_SYSTEM:
            return cls(name=name, models=())
        models = tuple(m.strip() for m in rest.split("+"))
        if any(not m for m in models) or len(models) > 2:
            raise InputError(f"system {spec!r}: give one model, or two joined by '+' for a pivot route")
        return cls(name=name, models=models)


@dataclass(frozen=True)
class HopRun:
    """How one hop of a system ran: model, revision, backend, device, compute type, languages."""

    src_lang: str
    tgt_lang: str
    model: str
    revision: str | None
    backend: str
    device: str
    compute_type: str
    translated: int  # sentences sent to the model in this run (cache misses)
    seconds: float  # time in translate_batch for them


@dataclass(frozen=True)
class SystemResult:
    """One system's translations, scores and speed."""

    name: str
    hops: tuple[HopRun, ...]
    scores: tuple[Score, ...]
    hypotheses: tuple[str, ...]
    translated: int  # sentences translated in this run, summed over hops
    sentences_per_second: float | None  # None: never timed (no cache record, nothing translated)
    speed_from_cache: bool = False  # True when the speed was measured in an earlier run


@dataclass(frozen=True)
class Evaluation:
    """The whole evaluation: test set, settings, every system, significance against the first."""

    testset: str
    src_lang: str
    tgt_lang: str
    n_sentences: int
    options: DecodingOptions
    metrics: tuple[str, ...]
    systems: tuple[SystemResult, ...]
    significance: SignificanceTable | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


class _TimedTranslator:
    """Wraps a backend to count the sentences it is really asked to translate, and time them.

    Counts are kept per language pair, so a model serving both hops of a pivot route (loaded
    once by the engine's pool) still reports each hop's own figures.
    """

    def __init__(self, inner: Translator) -> None:
        self.inner = inner
        self.info: ModelInfo = inner.info
        self._sentences: dict[tuple[str, str], int] = {}
        self._seconds: dict[tuple[str, str], float] = {}

    def __getattr__(self, name: str):
        # The backend's optional parts (max_source_tokens, count_tokens, layout) stay visible, so
        # an evaluated model splits long input and budgets batches exactly as in a real run.
        if name == "inner":  # not set yet (copying, unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)

    def translate_batch(self, sentences: list[str], *, src_lang: str, tgt_lang: str, options: DecodingOptions) -> list[Hypothesis]:
        started = time.perf_counter()
        hyps = self.inner.translate_batch(sentences, src_lang=src_lang, tgt_lang=tgt_lang, options=options)
        self._add((src_lang, tgt_lang), len(sentences), time.perf_counter() - started)
        return hyps

    def translate_batches(self, batches: Iterable[list[str]], *, src_lang: str, tgt_lang: str,
                          options: DecodingOptions) -> Iterator[list[Hypothesis]]:
        """The backend's own pipeline, timed while we wait on it (not while the caller works)."""
        results = translate_batches(self.inner, batches, src_lang=src_lang, tgt_lang=tgt_lang, options=options)
        while True:
            started = time.perf_counter()
            hyps = next(results, None)
            if hyps is None:
                return
            self._add((src_lang, tgt_lang), len(hyps), time.perf_counter() - started)
            yield hyps

    def _add(self, pair: tuple[str, str], sentences: int, seconds: float) -> None:
        self._seconds[pair] = self._seconds.get(pair, 0.0) + seconds
        self._sentences[pair] = self._sentences.get(pair, 0) + sentences

    def work(self, src_lang: str, tgt_lang: str) -> tuple[int, float]:
        """(sentences, seconds) sent to the backend from ``src_lang`` into ``tgt_lang`` so far."""
        pair = (src_lang, tgt_lang)
        return self._sentences.get(pair, 0), self._seconds.get(pair, 0.0)


def evaluate(
    data: EvalData,
    systems: Sequence[str | SystemSpec],
    *,
    metrics: str | Sequence[str] = DEFAULT_METRICS,
    options: DecodingOptions = DecodingOptions(),
    device: str = "auto",
    backend: str = "auto",
    compute_type: str = "auto",
    pivot: str = "en",
    cache=None,
    paired: str = "bs",
    paired_samples: int = 0,
    tokenize: str | None = None,
    load: Callable[..., Translator] | None = None,
    on_progress: ProgressCallback | None = None,
) -> Evaluation:
    """Translate ``data`` with each system, score every output, test significance against the first.

    Args:
        data: the test set's pair, from `mt_toolkit.testsets.read_testdata`.
        systems: specs as `SystemSpec.parse` reads them (``MODEL``, ``A+B``, ``registry``,
            ``NAME=...``), or `SystemSpec` objects. The first is the baseline.
        metrics: metric names (see `mt_toolkit.metrics.METRIC_NAMES`).
        options: decoding settings, the same for every system.
        device, backend, compute_type: how to run the models (see `load_translator`).
        pivot: the language of ``A+B`` routes and of registry routes without a direct model.
        cache: a `TranslationCache`; None translates everything afresh.
        paired: ``bs`` or ``ar`` for the significance test (needs two or more systems).
        paired_samples: resamples or trials; 0 = sacrebleu's default.
        tokenize: override the BLEU tokenizer chosen for the target language.
        load: a replacement for `load_translator` (tests pass a fake backend).
        on_progress: called with (done, total) as translation advances; each system, and each
            hop of a pivot system, is an equal share of the total.

    Returns:
        An `Evaluation`, systems in the order given.

    Raises:
        InputError: no system, duplicate names, a bad system spec, metric or paired-test option.
        ModelNotFoundError, NoRouteError: a model cannot be loaded, or no route exists.
    """
    names = parse_metrics(metrics)
    check_paired_options(paired, paired_samples)  # before hours of translation, not after
    specs = [s if isinstance(s, SystemSpec) else SystemSpec.parse(s) for s in systems]
    if not specs:
        raise InputError("give at least one model to evaluate")
    seen = [s.name for s in specs]
    if len(set(seen)) != len(seen):
        raise InputError(f"system names must be unique: {', '.join(seen)} (name them with NAME=MODEL)")

    from mt_toolkit.translate.engine import TranslatorPool, load_translator, translate_route
    from mt_toolkit.translate.routing import plan_route

    loader: Callable[..., Translator] = load if load is not None else load_translator

    def timed_load(model: str, **kwargs: object) -> _TimedTranslator:
        return _TimedTranslator(loader(model, **kwargs))

    refs = [list(data.references)]
    results: list[SystemResult] = []
    for index, spec in enumerate(specs):
        route = plan_route(
            data.src_lang, data.tgt_lang, models=spec.models, pivot=pivot,
            force_pivot=len(spec.models) == 2,
        )
        pool = TranslatorPool(device=device, backend=backend, compute_type=compute_type, load=timed_load)
        system_progress = None
        if on_progress is not None:

            def system_progress(done: int, total: int, index: int = index) -> None:
                on_progress(index * _SHARE + _SHARE * done // max(total, 1), len(specs) * _SHARE)
        translations = translate_route(
            data.sources, route, pool=pool, options=options, cache=cache, on_progress=system_progress,
        )
        current = [t.text for t in translations]
        hops: list[HopRun] = []
        seconds_per_sentence = 0.0
        timed = True
        from_cache = False
        for step in route.steps:
            translator = pool.get(step)
            assert isinstance(translator, _TimedTranslator)  # the pool loads through timed_load
            sentences, seconds = translator.work(step.src_lang, step.tgt_lang)
            info = translator.info
            hops.append(HopRun(
                src_lang=step.src_lang, tgt_lang=step.tgt_lang, model=info.model, revision=info.revision,
                backend=info.backend, device=info.device, compute_type=info.compute_type,
                translated=sentences, seconds=seconds,
            ))
            timing = _hop_timing(translator.info, sentences, seconds, options, step.src_lang, step.tgt_lang, cache)
            if timing is None:
                timed = False
            else:
                seconds_per_sentence += timing[1] / timing[0]
                from_cache |= sentences == 0
        translated = sum(h.translated for h in hops)
        speed = 1.0 / seconds_per_sentence if timed and seconds_per_sentence > 0 else None
        scores = corpus_scores(current, refs, metrics=names, lang=data.tgt_lang, tokenize=tokenize)
        results.append(SystemResult(
            name=spec.name, hops=tuple(hops), scores=tuple(scores), hypotheses=tuple(current),
            translated=translated, sentences_per_second=speed, speed_from_cache=from_cache and speed is not None,
        ))

    significance = None
    notes: list[str] = []
    if len(results) > 1:
        significance = paired_significance(
            [(r.name, list(r.hypotheses)) for r in results], refs, metrics=names, lang=data.tgt_lang,
            tokenize=tokenize, test=paired, n_samples=paired_samples,
        )
        for metric, row in significance.results.items():
            for result in row[1:]:
                if result.significant() and result.score.value == row[0].score.value:
                    # sacrebleu counts only strictly larger resampled differences, so an exactly
                    # equal score gets p = 1/(n+1): a reader must not take it for a real difference
                    notes.append(
                        f"{result.system} has exactly the baseline's {metric}; its p-value "
                        f"{result.p_value:.3f} is an artefact of the test (no difference to test)"
                    )
    else:
        notes.append("one system only: no significance test")
    return Evaluation(
        testset=data.testset, src_lang=data.src_lang, tgt_lang=data.tgt_lang, n_sentences=len(data.sources),
        options=options, metrics=names, systems=tuple(results), significance=significance, notes=tuple(notes),
    )


def _hop_timing(
    info: ModelInfo, sentences: int, seconds: float, options: DecodingOptions, src: str, tgt: str, cache
) -> tuple[int, float] | None:
    """(sentences, seconds) for a hop: recorded in the cache (this run added), else this run's."""
    if cache is None:
        return (sentences, seconds) if sentences else None
    from mt_toolkit.translate.cache import cache_key

    key = cache_key(info, options, src, tgt)
    if sentences:
        cache.add_timing(key, sentences, seconds)
    return cache.timing(key)
