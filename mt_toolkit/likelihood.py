"""Model evidence of descent: how likely a translation model finds the article given each candidate.

Wastl, Vamvas and Sennrich (2024), "Machine Translation Models are Zero-Shot Detectors of
Translation Direction", show that a translation model forced to decode a text from its true source
gives it a higher probability than from a text that was translated from it. Here the same forced
decoding scores the article's sentences given each candidate original's matching sentences: the
candidate the article was translated from should score highest. Both backends do it their own way:
CTranslate2 with ``Translator.score_batch``, transformers with the token log-probabilities of one
forward pass with the article as labels. The score is the mean log-probability per target token
(the unit the backends already report for translations), so the two agree on the same model.

The score is recorded with the attribution as evidence (`mt_toolkit.attribution.ModelScore`);
it does not move the decision until its weight has been measured with real models.
"""

from __future__ import annotations

from collections.abc import Sequence

from mt_toolkit.attribution import ModelScore

__all__ = ["score_candidates", "score_pairs"]


def score_pairs(translator: object, sources: Sequence[str], targets: Sequence[str], *, src_lang: str, tgt_lang: str) -> list[float]:
    """Mean log-probability per target token of each target given its source (forced decoding).

    Args:
        translator: a loaded `mt_toolkit.translate.engine.load_translator` model (either backend).
        sources: source sentences, in ``src_lang``.
        targets: the sentences to score, in ``tgt_lang``, one per source.
        src_lang: the sources' language.
        tgt_lang: the targets' language.

    Returns:
        One score per pair (0 is certainty; lower is less likely).
    """
    if not sources:
        return []
    if hasattr(translator, "_translator") and hasattr(translator, "_tokenizer"):  # CTranslate2
        return _score_ctranslate2(translator, sources, targets, src_lang=src_lang, tgt_lang=tgt_lang)
    return _score_transformers(translator, sources, targets, src_lang=src_lang, tgt_lang=tgt_lang)


def _score_ctranslate2(translator, sources, targets, *, src_lang, tgt_lang) -> list[float]:
    # The backend's tokenizer is internal to it; scoring needs the same pieces its translations use.
    tok = translator._tokenizer
    source = translator.tokenize(list(sources), src_lang=src_lang, tgt_lang=tgt_lang)
    prefix = tok.target_prefix(tgt_lang)
    encode = tok._tgt.encode if hasattr(tok, "_tgt") else None
    target = [prefix + (encode(t, out_type=str) if encode else tok.pieces(t)) for t in targets]
    results = translator._translator.score_batch(source, target, offset=len(prefix))
    return [float(sum(r.log_probs) / max(len(r.log_probs), 1)) for r in results]


def _score_transformers(translator, sources, targets, *, src_lang, tgt_lang) -> list[float]:
    torch = translator._torch
    inputs, forced = translator._prepare(list(sources), src_lang, tgt_lang)
    tokenizer = translator.tokenizer
    if translator.family == "marian":
        rows = tokenizer(text_target=list(targets), truncation=True, max_length=512).input_ids
        skip = 0
    else:  # the target starts with the forced language token, which is given, not decoded
        eos = tokenizer.eos_token_id
        rows = [[forced, *tokenizer.convert_tokens_to_ids(tokenizer.tokenize(t))[:510], eos] for t in targets]
        skip = 1
    width = max(len(r) for r in rows)
    labels = torch.tensor([r + [-100] * (width - len(r)) for r in rows])
    encoded = tokenizer(inputs, return_tensors="pt", padding=True, truncation=True, max_length=512)
    encoded = {k: v.to(translator.device) for k, v in encoded.items()}
    labels = labels.to(translator.device)
    with torch.inference_mode():
        logits = translator.model(**encoded, labels=labels).logits
    logp = torch.log_softmax(logits.float(), dim=-1)
    picked = logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    mask = labels != -100
    mask[:, :skip] = False
    return [float(picked[i][mask[i]].mean()) if mask[i].any() else 0.0 for i in range(labels.shape[0])]


def score_candidates(
    translator: object,
    article: Sequence[str],
    candidates: dict[str, tuple[str, Sequence[str | None]]],
    *,
    article_lang: str,
    model: str,
) -> tuple[ModelScore, ...]:
    """Score the article given each candidate original, over the sentences both hold.

    Args:
        translator: a loaded model that translates the candidates' languages into the article's.
        article: the article's sentences, in ``article_lang``.
        candidates: label → (language, that original's matching text per article sentence, None
            where it holds none).
        article_lang: the article's language.
        model: the model's name, recorded with the scores.

    Returns:
        One `ModelScore` per candidate with at least one matching sentence, best first.
    """
    backend = getattr(getattr(translator, "info", None), "backend", type(translator).__name__)
    scores = []
    for label, (lang, texts) in candidates.items():
        pairs = [(src, tgt) for src, tgt in zip(texts, article) if src]
        if not pairs:
            continue
        values = score_pairs(translator, [s for s, _ in pairs], [t for _, t in pairs], src_lang=lang, tgt_lang=article_lang)
        scores.append(ModelScore(label, model, str(backend), round(sum(values) / len(values), 4), len(values)))
    return tuple(sorted(scores, key=lambda s: (-s.mean_logprob, s.label)))
