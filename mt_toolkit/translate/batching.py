"""Feeding a backend efficiently: each distinct sentence once, in batches of similar length.

Sorting by length keeps padding (wasted compute) low; news corpora repeat boilerplate lines,
so translating each distinct sentence once saves real time; a persistent cache makes a second
run (another model added to an evaluation, a resumed job) skip what is already done.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mt_toolkit.translate.base import DecodingOptions, Hypothesis, Translator

ProgressCallback = Callable[[int, int], None]


def length_sorted_batches(sentences: Sequence[str], batch_size: int) -> list[list[int]]:
    """Indices of ``sentences`` grouped into batches, longest first (fail early on memory)."""
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]), reverse=True)
    return [order[k : k + batch_size] for k in range(0, len(order), batch_size)]


def translate_unique(
    translator: Translator,
    sentences: Sequence[str],
    *,
    src_lang: str,
    tgt_lang: str,
    options: DecodingOptions = DecodingOptions(),
    cache=None,
    on_progress: ProgressCallback | None = None,
) -> list[Hypothesis]:
    """Translate ``sentences``, returning one hypothesis per input in input order.

    Empty or blank sentences translate to empty text without reaching the model. Identical
    sentences are translated once. With a `TranslationCache`, cached sentences are reused and
    new ones stored batch by batch, so an interrupted run keeps what it finished.

    Args:
        translator: any backend implementing the Translator protocol.
        sentences: the sentences, in order.
        options: decoding settings; ``batch_size`` is the number of distinct sentences per batch.
        cache: a `mt_toolkit.translate.cache.TranslationCache`, or None.
        on_progress: called with (sentences done, total) after each batch.
    """
    unique: dict[str, Hypothesis | None] = {s: None for s in sentences if s.strip()}
    unique_texts = list(unique)
    total = len(unique_texts)
    key = None
    if cache is not None and unique_texts:
        from mt_toolkit.translate.cache import cache_key

        key = cache_key(translator.info, options, src_lang, tgt_lang)
        unique.update(cache.get_many(key, unique_texts))
    todo = [s for s in unique_texts if unique[s] is None]
    done = total - len(todo)
    if on_progress:
        on_progress(done, total)
    for batch_ids in length_sorted_batches(todo, options.batch_size):
        batch = [todo[i] for i in batch_ids]
        hyps = translator.translate_batch(batch, src_lang=src_lang, tgt_lang=tgt_lang, options=options)
        if len(hyps) != len(batch):
            raise RuntimeError(f"backend returned {len(hyps)} translations for {len(batch)} sentences")
        fresh = dict(zip(batch, hyps))
        unique.update(fresh)
        if key is not None:
            cache.put_many(key, fresh)
        done += len(batch)
        if on_progress:
            on_progress(done, total)
    return [unique[s] if s.strip() else Hypothesis("", None) for s in sentences]  # type: ignore[misc]
