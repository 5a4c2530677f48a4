"""One translator for the whole server: models loaded once, requests batched through a queue.

Every request that needs translation (a `/translate` call, a trace's texts, an alignment) puts
its sentences on one queue and waits. A single worker thread takes what has arrived within a few
milliseconds, groups it by route (languages and model), and translates each group in one call
of the engine (`translate_route`), which sorts by length, translates each distinct sentence once
and batches; then it hands every request its own sentences back. So 200 clients asking at once
cost a handful of model calls, not 200, and the models are loaded once, by that thread, and
kept (`TranslatorPool`).

The worker is also the only user of the SQLite translation cache: its connection lives in that
thread, so concurrent requests never share a connection, and other processes (the CLI) using
the same file meet SQLite's WAL locking, which the cache is set up for.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from mt_toolkit.errors import InputError
from mt_toolkit.languages import normalize
from mt_toolkit.translate.base import DecodingOptions

__all__ = ["TranslationService"]

ProgressCallback = Callable[[int, int], None]


@dataclass
class _Request:
    sentences: list[str]
    src_lang: str
    tgt_lang: str
    model: str | None
    on_progress: ProgressCallback | None
    future: Future = field(default_factory=Future)

    @property
    def group(self) -> tuple[str, str, str | None]:
        return self.src_lang, self.tgt_lang, self.model


class TranslationService:
    """The server's shared, batched translator (see the module docstring).

    Args:
        models: model ids or folders allowed in requests besides the registry's; the first is
            the default for every pair when given (as the CLI's ``--model``).
        device, backend, compute_type: how models are loaded (`mt_toolkit.translate.engine`).
        options: decoding options for every request.
        cache_path: the SQLite translation cache (None: the default file; ``False``: no cache).
        pivot: the language routes go through when no direct model exists.
        batch_wait: seconds the worker waits for more requests after the first of a round.
        max_sentences: most sentences the worker takes in one round (a larger request is taken
            alone). A round's requests are all answered when it ends, so a burst is cut into
            rounds of a few batches: the first callers are answered while later ones still wait.
    """

    def __init__(
        self,
        *,
        models: Sequence[str] = (),
        device: str = "auto",
        backend: str = "auto",
        compute_type: str = "auto",
        options: DecodingOptions = DecodingOptions(),
        cache_path: str | None | bool = None,
        pivot: str = "en",
        batch_wait: float = 0.01,
        max_sentences: int = 64,
    ) -> None:
        self.models = tuple(models)
        self.device, self.backend, self.compute_type = device, backend, compute_type
        self.options, self.cache_path, self.pivot = options, cache_path, pivot
        self.batch_wait, self.max_sentences = batch_wait, max_sentences
        self._queue: queue.Queue[_Request | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._registry = None
        self.cache_error: str | None = None
        self.stats = {"requests": 0, "rounds": 0, "model_calls": 0, "failed_calls": 0, "cancelled": 0,
                      "sentences": 0}

    # --- public ----------------------------------------------------------------------------

    @property
    def registry(self):
        """The model registry, read once (packaged table plus the user's config)."""
        if self._registry is None:
            from mt_toolkit.translate.registry import Registry

            self._registry = Registry.load()
        return self._registry

    def allowed_models(self) -> tuple[str, ...]:
        """Model ids a request may name: the server's own, then the registry's."""
        registry = self.registry
        ids = [*self.models, *(m.id for m in registry.models)]
        if registry.fallback:
            ids.append(registry.fallback.id)
        return tuple(dict.fromkeys(ids))

    def check_model(self, model: str | None) -> str | None:
        """``model`` if a request may use it, else an `InputError`.

        Only models the server was started with or the registry names are accepted: a model is
        loaded from a folder, and a request must never make the server read a path of its choosing.
        """
        if model is None or model == "":
            return None
        if model not in self.allowed_models():
            raise InputError(f"model {model!r} is not offered by this server; GET /api/models lists those it is")
        return model

    def route_for(self, src_lang: str, tgt_lang: str, model: str | None = None):
        """The route a request would take (raises `NoRouteError` when there is none)."""
        from mt_toolkit.translate.routing import plan_route

        model = model or (self.models[0] if self.models else None)
        return plan_route(src_lang, tgt_lang, models=[model] if model else [], pivot=self.pivot,
                          registry=self.registry)

    def submit(self, sentences: Sequence[str], *, src_lang: str, tgt_lang: str, model: str | None = None,
               on_progress: ProgressCallback | None = None) -> Future:
        """Queue sentences for translation; the future gives one `Translation` per sentence."""
        src, tgt = normalize(src_lang), normalize(tgt_lang)
        request = _Request(list(sentences), src, tgt, self.check_model(model), on_progress)
        if not request.sentences:
            request.future.set_result([])
            return request.future
        self.route_for(src, tgt, request.model)  # fail now, in the caller, when no model serves the pair
        self._ensure_worker()
        self._queue.put(request)
        return request.future

    def translate(self, sentences: Sequence[str], *, src_lang: str, tgt_lang: str, model: str | None = None,
                  on_progress: ProgressCallback | None = None) -> list:
        """Translate and wait (from a worker thread, never the event loop)."""
        return self.submit(sentences, src_lang=src_lang, tgt_lang=tgt_lang, model=model,
                           on_progress=on_progress).result()

    def translate_fn(self, model: str | None = None) -> Callable[..., list]:
        """A `trace`-compatible ``translate`` function that goes through this service."""

        def translate(sentences, *, src_lang, tgt_lang, on_progress=None):
            return self.translate(sentences, src_lang=src_lang, tgt_lang=tgt_lang, model=model,
                                  on_progress=on_progress)

        return translate

    def close(self) -> None:
        """Stop the worker after the queued requests (models and cache are released with it)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=60)

    # --- worker ----------------------------------------------------------------------------

    def _ensure_worker(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="mt-toolkit-translator", daemon=True)
                self._thread.start()

    def _open_cache(self):
        if self.cache_path is False:
            return None
        from mt_toolkit.translate.cache import TranslationCache

        return TranslationCache(None if self.cache_path in (None, True) else self.cache_path)

    def _run(self) -> None:
        from mt_toolkit.translate.engine import TranslatorPool

        pool = TranslatorPool(device=self.device, backend=self.backend, compute_type=self.compute_type)
        cache = None
        try:
            cache = self._open_cache()
        except Exception as err:  # an unusable cache file: translate without it; /api/health says why
            self.cache_error = str(err)
        try:
            while True:
                first = self._queue.get()
                if first is None:
                    return
                batch = [first]
                size = len(first.sentences)
                deadline = time.monotonic() + self.batch_wait
                stop = False
                while size < self.max_sentences:
                    try:
                        nxt = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                    except queue.Empty:
                        break
                    if nxt is None:
                        stop = True
                        break
                    batch.append(nxt)
                    size += len(nxt.sentences)
                self._serve(batch, pool, cache)
                if stop:
                    return
        finally:
            if cache is not None:
                cache.close()

    def _serve(self, batch: list[_Request], pool, cache) -> None:
        from mt_toolkit.translate.engine import translate_route

        self.stats["rounds"] += 1
        self.stats["requests"] += len(batch)
        groups: dict[tuple[str, str, str | None], list[_Request]] = {}
        for request in batch:
            groups.setdefault(request.group, []).append(request)
        for (src, tgt, model), requests in groups.items():
            live = [r for r in requests if r.future.set_running_or_notify_cancel()]
            self.stats["cancelled"] += len(requests) - len(live)  # callers that gave up waiting
            if not live:
                continue
            sentences = [s for r in live for s in r.sentences]
            total = len(sentences)

            def on_progress(done: int, of: int, live=live) -> None:
                for r in live:
                    if r.on_progress is not None:
                        r.on_progress(done, of)

            try:
                route = self.route_for(src, tgt, model)
                translations = translate_route(sentences, route, pool=pool, options=self.options,
                                               cache=cache, on_progress=on_progress)
            except BaseException as err:  # every waiting request learns what went wrong
                self.stats["failed_calls"] += 1
                for r in live:
                    r.future.set_exception(err)
                continue
            self.stats["model_calls"] += 1
            self.stats["sentences"] += total
            start = 0
            for r in live:
                r.future.set_result(translations[start:start + len(r.sentences)])
                start += len(r.sentences)
