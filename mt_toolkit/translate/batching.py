"""Feeding a backend efficiently: each distinct sentence once, in batches of similar length.

Sorting by length keeps padding (wasted compute) low; news corpora repeat boilerplate lines,
so translating each distinct sentence once saves real time; a persistent cache makes a second
run (another model added to an evaluation, a resumed job) skip what is already done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from mt_toolkit.translate.base import DecodingOptions, Hypothesis, Translator
from mt_toolkit.translate.long_input import split_over_long

ProgressCallback = Callable[[int, int], None]


def length_sorted_batches(sentences: Sequence[str], batch_size: int) -> list[list[int]]:
    """Indices of ``sentences`` grouped into batches, longest first (fail early on memory)."""
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]), reverse=True)
    return [order[k : k + batch_size] for k in range(0, len(order), batch_size)]


def token_budget_batches(lengths: Sequence[int], max_batch_tokens: int) -> list[list[int]]:
    """Indices grouped so that each batch's padded size (count x longest) fits ``max_batch_tokens``.

    Longest first, as `length_sorted_batches`; a sentence longer than the budget gets a batch of
    its own rather than being dropped.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        longest_if_added = max(longest, lengths[i])
        if current and longest_if_added * (len(current) + 1) > max_batch_tokens:
            batches.append(current)
            current, longest_if_added = [], lengths[i]
        current.append(i)
        longest = longest_if_added
    if current:
        batches.append(current)
    return batches


def count_tokens(translator: Translator, sentences: Sequence[str]) -> list[int]:
    """Source tokens per sentence: the backend's own count when it offers one (``count_tokens``),
    else an estimate of one token per four characters, which is about what SentencePiece
    vocabularies of OPUS-MT size give for European and Indonesian text."""
    counter = getattr(translator, "count_tokens", None)
    if counter is not None:
        return list(counter(list(sentences)))
    return [len(s) // 4 + 2 for s in sentences]


def join_hypotheses(parts: Sequence[Hypothesis], tgt_lang: str) -> Hypothesis:
    """One hypothesis from the translations of a split sentence's pieces: texts joined with the
    target language's separator, score the mean (None if any piece has none)."""
    from mt_toolkit.text.segment import sentence_joiner

    text = sentence_joiner(tgt_lang).join(p.text for p in parts if p.text)
    scores = [p.score for p in parts if p.score is not None]
    score = sum(scores) / len(scores) if scores and len(scores) == len(parts) else None
    return Hypothesis(text, score)


def translate_batches(
    translator: Translator, batches: Iterable[list[str]], *, src_lang: str, tgt_lang: str, options: DecodingOptions
) -> Iterator[list[Hypothesis]]:
    """Each batch's hypotheses, in order: through the backend's own pipeline when it has one
    (``translate_batches``, which keeps its workers busy while the caller handles results), else
    one `translate_batch` call after another."""
    pipelined = getattr(translator, "translate_batches", None)
    if pipelined is not None:
        yield from pipelined(batches, src_lang=src_lang, tgt_lang=tgt_lang, options=options)
        return
    for batch in batches:
        yield translator.translate_batch(batch, src_lang=src_lang, tgt_lang=tgt_lang, options=options)


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
    sentences are translated once. A sentence over the model's source limit is split, its
    pieces translated and joined (`mt_toolkit.translate.long_input`). With a `TranslationCache`, cached sentences are reused and
    new ones stored batch by batch, so an interrupted run keeps what it finished.

    Args:
        translator: any backend implementing the Translator protocol.
        sentences: the sentences, in order.
        options: decoding settings; ``batch_size`` is the number of distinct sentences per batch,
            or, when ``max_batch_tokens`` is set, batches are cut by that token budget instead.
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
    too_long = split_over_long(translator, todo)
    if too_long:  # translate the pieces of over-long sentences as sentences, then join them
        pieces = list(dict.fromkeys(p for ps in too_long.values() for p in ps))
        by_piece = dict(zip(pieces, translate_unique(translator, pieces, src_lang=src_lang, tgt_lang=tgt_lang,
                                                     options=options, cache=cache)))
        for sentence, parts in too_long.items():
            unique[sentence] = join_hypotheses([by_piece[p] for p in parts], tgt_lang)
        todo = [s for s in todo if s not in too_long]
        done += len(too_long)
    if on_progress:
        on_progress(done, total)
    if options.max_batch_tokens:
        batches = token_budget_batches(count_tokens(translator, todo), options.max_batch_tokens)
    else:
        batches = length_sorted_batches(todo, options.batch_size)
    texts = [[todo[i] for i in batch_ids] for batch_ids in batches]
    for batch, hyps in zip(texts, translate_batches(translator, texts, src_lang=src_lang, tgt_lang=tgt_lang, options=options),
                           strict=True):
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
