"""The translation side of a job, as plain settings that can be shipped to Ray workers.

A job needs a function from distinct sentences to `Translation`s. Built in the driver it would
hold loaded models, which cannot be pickled to a cluster; `EngineSettings` is the recipe instead,
and each worker calls `build()` once to load its own models.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field

from mt_toolkit.jobs.chunks import SegmentTranslator
from mt_toolkit.translate.base import DecodingOptions


@dataclass(frozen=True)
class EngineSettings:
    """How to translate: route, models, backend and decoding options.

    Args:
        src_lang / tgt_lang: canonical language codes.
        models: model ids or folders in hop order; empty for the registry's choice.
        revision: revision for user-given models.
        pivot / force_pivot: as for `translate_sentences`.
        options: decoding options (``max_batch_tokens`` for token-budget batches).
        device / backend / compute_type: as for `load_translator`.
        cache_path: a SQLite translation cache to reuse and fill, or None.
        threads / inter_threads: CPU threads and batches decoded at once (default: chosen from
            the cores for a long job; see `mt_toolkit.translate.threads`). Speed only: not in
            `describe`, so a job may resume with other values.
    """

    src_lang: str
    tgt_lang: str
    models: tuple[str, ...] = ()
    revision: str | None = None
    pivot: str | None = "en"
    force_pivot: bool = False
    options: DecodingOptions = field(default_factory=DecodingOptions)
    device: str = "auto"
    backend: str = "auto"
    compute_type: str = "auto"
    cache_path: str | None = None
    threads: int | None = None
    inter_threads: int | None = None

    def plan(self):
        """The route these settings translate along (raises `NoRouteError` early, in the driver)."""
        from mt_toolkit.translate.routing import plan_route

        return plan_route(self.src_lang, self.tgt_lang, models=list(self.models), revision=self.revision,
                          pivot=self.pivot, force_pivot=self.force_pivot)

    def describe(self) -> dict:
        """What shapes the output (for a job's checkpoint): route, backend, decoding; not speed knobs."""
        route = self.plan()
        return {
            "route": [[s.src_lang, s.tgt_lang, s.model, s.revision, s.target_prefix] for s in route.steps],
            "backend": self.backend, "compute_type": self.compute_type,
            "beam_size": self.options.beam_size, "max_length": self.options.max_length,
            "length_penalty": self.options.length_penalty,
        }

    def build(self) -> SegmentTranslator:
        """Load the route's models (once) and return the function a job calls per chunk."""
        from mt_toolkit.translate.engine import TranslatorPool, translate_route

        route = self.plan()
        pool = TranslatorPool(device=self.device, backend=self.backend, compute_type=self.compute_type,
                              threads=self.threads, inter_threads=self.inter_threads)
        for step in route.steps:
            pool.get(step)  # load now: a missing model fails before the first chunk, not inside it
        # A SQLite connection belongs to the thread that opened it, and Ray Data calls an actor
        # from another thread than the one that built it: open the cache per calling thread.
        per_thread = threading.local()

        def translate(sentences: list[str]):
            cache = None
            if self.cache_path is not None:
                cache = getattr(per_thread, "cache", None)
                if cache is None:
                    from mt_toolkit.translate.cache import TranslationCache

                    cache = per_thread.cache = TranslationCache(self.cache_path)
            return translate_route(sentences, route, pool=pool, options=self.options, cache=cache)

        return translate

    def to_dict(self) -> dict:
        return asdict(self)
