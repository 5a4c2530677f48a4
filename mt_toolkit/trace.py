"""The quote-fidelity pipeline: translate → locate → score → flag → rank, over frozen records.

A translator gives an article (say Indonesian) and candidate originals (a Chinese statement, its
official English version, a Russian wire report). Every text is brought into one pivot language
(English by default): supplied translations are used as given, texts already in the pivot are used
as they are, and the rest go through the translation engine. Each article sentence is then located
in every original, scored (chrF, BLEU, TER with their sacrebleu signatures), flagged
(`mt_toolkit.fidelity`) and given a verdict. Across the originals, `mt_toolkit.attribution`
decides which one the article most likely came from, per sentence and overall, by evidence of
descent (shared departures, not surface similarity), and infers the derivation tree of the versions
(`mt_toolkit.stemma`; the order of the originals plays no part, ``chain=`` asserts one); each
sentence's chain follows that tree to say at which hop it changed.

The three stages other modules own are reached through one small private function each
(`_translate`, `_locate`, `_score`), so the pipeline depends on their public names only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from dataclasses import dataclass, field

from mt_toolkit._api import front_door
from mt_toolkit.attribution import Attribution, ModelScore, VersionText, attribute
from mt_toolkit.errors import InputError
from mt_toolkit.fidelity import (
    DiffSegment,
    Flag,
    FlagKind,
    Thresholds,
    Verdict,
    decide_verdict,
    detect_changes,
    word_diff,
)
from mt_toolkit.languages import normalize
from mt_toolkit.metrics import Score, find_score
from mt_toolkit.stemma import Stemma
from mt_toolkit.text.furniture import furniture_kind
from mt_toolkit.text.quotes import SentenceKind, classify_sentence, find_quotes
from mt_toolkit.text.segment import segment_document, sentence_joiner
from mt_toolkit.translate.base import DecodingOptions, Translator

# What `trace` takes as ``model``: one model (id, folder or loaded `Translator`) when a single
# language needs translating, or one per language ({"ru": "...", "zh": translator}).
ModelChoice = str | Translator

__all__ = [
    "ARTICLE_LABEL", "HopChanges", "HopStep", "Match", "OriginalRank", "PivotText", "SentenceTrace",
    "SimilarityMap", "TraceInput", "TraceResult", "models_by_language", "prepare_text", "trace",
]

ARTICLE_LABEL = "article"

#: ``translate(sentences, src_lang=..., tgt_lang=..., on_progress=...)`` returning the engine's
#: `Translation` records: how a caller that keeps its models loaded (the web server) supplies them.
TranslateFn = Callable[..., list]

# --- records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TraceInput:
    """One text as the user gives it.

    Attributes:
        label: a short name shown in reports ("article", "TASS", "Xinhua").
        lang: the text's language, any spelling `mt_toolkit.languages` accepts.
        text: the raw text (segmented by the toolkit) or, with ``presegmented``, one sentence a line.
        presegmented: take each non-empty line as one sentence instead of segmenting.
        translation: the text's pivot-language translation, one line per sentence, if supplied.
    """

    label: str
    lang: str
    text: str
    presegmented: bool = False
    translation: tuple[str, ...] | None = None


@dataclass(frozen=True)
class PivotText:
    """A text cut into sentences, with each sentence's pivot-language version.

    ``origin`` says where the pivot text came from: ``supplied``, ``pivot language`` (used as is)
    or the model id; ``translations`` keeps the engine's records (every hop) when a model was used.
    """

    label: str
    lang: str
    sentences: tuple[str, ...]
    pivot: tuple[str, ...]
    origin: str
    translations: tuple[object, ...] = ()


@dataclass(frozen=True)
class Match:
    """Where one article sentence was found in one original, and how it compares."""

    label: str  # the original's label
    indices: tuple[int, ...]  # its sentence(s), 0-based; empty when nothing was found
    text: str  # those sentences in the original language
    pivot: str  # and in the pivot language
    scores: tuple[Score, ...]
    flags: tuple[Flag, ...]
    verdict: Verdict
    diff: tuple[DiffSegment, ...]  # word diff, original → article, on the pivot texts

    @property
    def chrf(self) -> float:
        """The chrF score (0 when nothing was matched)."""
        return _chrf(self.scores)

    @property
    def found(self) -> bool:
        """True unless the verdict is ``not_found``."""
        return self.verdict is not Verdict.NOT_FOUND


@dataclass(frozen=True)
class HopStep:
    """One hop of a chain of versions (upstream → downstream), compared on the pivot texts."""

    source: str  # label
    target: str  # label
    chrf: float
    flags: tuple[Flag, ...]
    verdict: Verdict


@dataclass(frozen=True)
class SentenceTrace:
    """One article sentence: its matches in every original (best first) and its chain."""

    index: int
    text: str
    pivot: str
    kind: SentenceKind
    quotes: tuple[str, ...]
    matches: tuple[Match, ...]  # one per original, best (highest chrF) first
    chain: tuple[HopStep, ...]  # the inferred path: root → ... → this sentence's source → article
    changed_at: tuple[str, ...]  # "Xinhua → TASS" for every hop whose verdict is changed
    furniture: str | None = None  # "related link" for a line the site inserted (not traced)
    sources: tuple[str, ...] = ()  # its likely source(s) by evidence of descent, best first
    evidence: tuple[str, ...] = ()  # why (readings shared with the source and not the others)

    @property
    def best(self) -> Match | None:
        """The most likely source sentence, or None when no original holds it."""
        return self.matches[0] if self.matches and self.matches[0].found else None

    @property
    def verdict(self) -> Verdict:
        """The verdict against the most likely source."""
        return self.best.verdict if self.best else Verdict.NOT_FOUND


@dataclass(frozen=True)
class OriginalRank:
    """How likely an original is to be the article's source, over the whole article."""

    label: str
    lang: str
    best_for: int  # article sentences for which this original is the best match
    found: int  # article sentences found in it at all
    mean_chrf: float  # mean chrF of its matches over the found sentences


@dataclass(frozen=True)
class SimilarityMap:
    """How similar every article sentence is to every sentence of one original, and the path kept.

    The similarity is the aligner's (character n-gram tf-idf cosine, scaled to 0-100), the one
    it locates sentences with; it is comparable within one map only.
    """

    label: str
    matrix: tuple[tuple[float, ...], ...]  # [article sentence][original sentence], 0-100
    path: tuple[tuple[int, int], ...]  # (article index, original index) of every match found
    measure: str = "character n-gram cosine × 100"


@dataclass(frozen=True)
class HopChanges:
    """The article sentences whose wording changed at one hop of the chain, and the flag kinds."""

    source: str
    target: str
    sentences: tuple[int, ...]  # 0-based article sentence indices
    kinds: tuple[tuple[str, int], ...]  # (flag kind, count), by kind name


@dataclass(frozen=True)
class TraceResult:
    """Everything a report shows; `dataclasses.asdict` gives its JSON."""

    pivot: str
    article: PivotText
    originals: tuple[PivotText, ...]
    sentences: tuple[SentenceTrace, ...]
    ranking: tuple[OriginalRank, ...]
    maps: tuple[SimilarityMap, ...]
    thresholds: Thresholds
    signatures: tuple[str, ...] = field(default_factory=tuple)
    attribution: Attribution | None = None  # source by evidence of descent, and the tree

    def changes_by_hop(self) -> tuple[HopChanges, ...]:
        """For every hop of the chains, how many article sentences changed there and how.

        Returns:
            One record per hop (upstream label, downstream label) that changed any sentence,
            most changes first.
        """
        found: dict[tuple[str, str], list[int]] = {}
        kinds: dict[tuple[str, str], dict[str, int]] = {}
        for sentence in self.sentences:
            for hop in sentence.chain:
                if hop.verdict is Verdict.CHANGED:
                    key = (hop.source, hop.target)
                    found.setdefault(key, []).append(sentence.index)
                    for flag in hop.flags:
                        kinds.setdefault(key, {})
                        kinds[key][flag.kind.value] = kinds[key].get(flag.kind.value, 0) + 1
        records = [
            HopChanges(src, tgt, tuple(indices), tuple(sorted(kinds.get((src, tgt), {}).items())))
            for (src, tgt), indices in found.items()
        ]
        return tuple(sorted(records, key=lambda r: -len(r.sentences)))

    @property
    def likely_source(self) -> str | None:
        """The label of the original the article most likely came from (None if none matched).

        Decided by evidence of descent (`mt_toolkit.attribution`): the parent of the article in
        the inferred derivation tree.
        """
        if self.attribution is not None and any(r.found for r in self.ranking):
            return self.attribution.source
        return self.ranking[0].label if self.ranking and self.ranking[0].found else None

    @property
    def stemma(self) -> Stemma | None:
        """The inferred (or asserted) derivation tree of the versions."""
        return self.attribution.stemma if self.attribution is not None else None


# --- dependency seams -------------------------------------------------------------------------


def _translate(sentences: list[str], *, src_lang: str, tgt_lang: str, model: ModelChoice | None,
               options: DecodingOptions, device: str, backend: str, compute_type: str = "auto",
               revision: str | None = None, cache: object | None,
               on_progress: Callable[[int, int], None] | None) -> list:
    """Translate through the engine; its records (with every hop) come back unchanged.

    A loaded `Translator` is used as it is, as a one-hop route (no model is loaded again).
    """
    from mt_toolkit.translate import engine  # the engine imports torch late

    return engine.translate_sentences(
        sentences, src_lang=src_lang, tgt_lang=tgt_lang, model=model, revision=revision,
        options=options, device=device, backend=backend, compute_type=compute_type, cache=cache,
        on_progress=on_progress,
    )


def models_by_language(model: ModelChoice | Mapping[str, ModelChoice] | None, languages: Sequence[str]) -> dict[str, ModelChoice | None]:
    """Which model translates each of ``languages`` (those that need translating into the pivot).

    Args:
        model: None (the registry's route for every language), a mapping from language (any
            spelling) to model, languages left out taking the registry's route, or one model,
            accepted only when a single language needs translating: one model is never
            silently used for several languages.
        languages: the languages of the texts without a supplied translation, not the pivot.

    Raises:
        InputError: one model for several languages, or a mapping with an unknown language.
    """
    needed = list(dict.fromkeys(normalize(lang) for lang in languages))
    if model is None:
        return {lang: None for lang in needed}
    if isinstance(model, Mapping):
        given = {normalize(lang): m for lang, m in model.items()}
        return {lang: given.get(lang) for lang in needed}
    if len(needed) > 1:
        raise InputError(
            f"{len(needed)} languages need translating ({', '.join(needed)}) and one model was given; "
            f"give one per language, e.g. --model {needed[0]}=MODEL --model {needed[1]}=MODEL"
        )
    return {lang: model for lang in needed}


def _score(hypothesis: str, reference: str, *, lang: str) -> tuple[Score, ...]:
    """chrF, BLEU and TER of one pivot sentence against one reference, with signatures."""
    from mt_toolkit.metrics import sentence_scores

    return tuple(sentence_scores(hypothesis, [reference], metrics=("chrf", "bleu", "ter"), lang=lang))


def _chrf(scores: Sequence[Score]) -> float:
    chrf = find_score(scores, "chrf")
    return chrf.value if chrf is not None else 0.0


def _locate(article: Sequence[str], original: Sequence[str], *, lang: str) -> tuple[list[list[float]], list[tuple[int, ...]]]:
    """For each article sentence, the original sentence(s) it most likely comes from.

    Both texts are already in the pivot language, so the aligner compares them directly (no
    translation). Its `locate_quote` judges each candidate by its margin over chance and may
    match a run of up to five original sentences that a translator fused; where it finds nothing
    (typically in an original of one or two sentences, where chance cannot be estimated), the
    original sentence with the highest similarity is taken as the closest candidate, and a single
    sentence is widened to a neighbour when that raises chrF (`_maybe_merge`). Whether a
    candidate counts as found is decided afterwards on chrF (`Thresholds.not_found_chrf`), so the
    verdict rests on the same score the report shows.

    Returns:
        The aligner's similarity matrix (character n-gram cosine × 100, article sentences down,
        original sentences across) and one tuple of original indices per article sentence.
    """
    from mt_toolkit.align import locate_quote, similarity_matrix

    matrix = similarity_matrix(article, original, left_lang=lang, right_lang=lang, translate=False)
    matches = locate_quote(article, original, quote_lang=lang, orig_lang=lang, translate=False)
    located = []
    for i, match in enumerate(matches):
        if match.found and match.original_indices:
            where = tuple(match.original_indices)
        else:
            where = (int(matrix[i].argmax()),)
        if len(where) == 1:
            where = _maybe_merge(article[i], original, where[0], lang=lang)
        located.append(where)
    return [[max(0.0, float(v)) * 100.0 for v in row] for row in matrix], located


def _maybe_merge(sentence: str, original: Sequence[str], j: int, *, lang: str) -> tuple[int, ...]:
    """Widen a single-sentence match to a neighbour when the pair raises chrF by 2+ points.

    The aligner merges on its own, but in a short original it cannot tell a merge from chance;
    the chrF the report shows is the judge of whether the fused pair is the better source.
    """
    from mt_toolkit.metrics import segment_scores

    pairs = [p for p in ((j - 1, j), (j, j + 1)) if p[0] >= 0 and p[1] < len(original)]
    if not pairs:
        return (j,)
    candidates = [original[j]] + [sentence_joiner(lang).join(original[k] for k in p) for p in pairs]
    rows = segment_scores([sentence] * len(candidates), [candidates], metrics=("chrf",), lang=lang)
    single, *merged = (row[0].value for row in rows)
    best = max(range(len(pairs)), key=lambda k: merged[k])
    return pairs[best] if merged[best] > single + 2.0 else (j,)


# --- stages -----------------------------------------------------------------------------------


def prepare_text(
    source: TraceInput,
    *,
    pivot: str = "en",
    model: ModelChoice | None = None,
    options: DecodingOptions = DecodingOptions(),
    device: str = "auto",
    backend: str = "auto",
    compute_type: str = "auto",
    revision: str | None = None,
    cache: object | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    translate: TranslateFn | None = None,
) -> PivotText:
    """Segment a text and bring every sentence into the pivot language.

    Args:
        source: the text as given.
        pivot: the language all comparisons are made in.
        model: translation model (id, folder or loaded `Translator`) for a text without a
            supplied translation (None: the registry's default route).
        options: decoding options for the engine.
        device, backend, compute_type, revision: passed to the engine.
        cache: a `mt_toolkit.translate.cache.TranslationCache` to reuse translations from.
        on_progress: called with (done, total) while translating.
        translate: translates instead of the engine (model, options, device, backend and cache
            are then the caller's business); a server passes its shared, batched translator.

    Returns:
        The sentences and their pivot versions, with where those came from.

    Raises:
        InputError: a supplied translation whose line count differs from the sentence count, or
            a text with no sentences.
    """
    lang, pivot = normalize(source.lang), normalize(pivot)
    document = segment_document(source.text, lang, segment=not source.presegmented)
    sentences = document.sentences
    if not sentences:
        raise InputError(f"{source.label} has no sentences")
    if source.translation is not None:
        lines = [line.strip() for line in source.translation if line.strip()]
        if len(lines) != len(sentences):
            raise InputError(
                f"the translation of {source.label} has {len(lines)} lines but {source.label} "
                f"segments into {len(sentences)} sentences; give one line per sentence, or pass "
                f"the texts one sentence per line with --sentences"
            )
        return PivotText(source.label, lang, tuple(sentences), tuple(lines), "supplied")
    if lang == pivot:
        return PivotText(source.label, lang, tuple(sentences), tuple(sentences), "pivot language")
    if translate is not None:
        translations = translate(sentences, src_lang=lang, tgt_lang=pivot, on_progress=on_progress)
    else:
        translations = _translate(
            sentences, src_lang=lang, tgt_lang=pivot, model=model, options=options, device=device,
            backend=backend, compute_type=compute_type, revision=revision, cache=cache, on_progress=on_progress,
        )
    named = model.info.model if isinstance(model, Translator) else model
    origin = _model_name(translations) or (named or "registry default")
    return PivotText(
        source.label, lang, tuple(sentences), tuple(t.text for t in translations), origin,
        tuple(translations),
    )


def _model_name(translations: Sequence[object]) -> str | None:
    for t in translations:
        hops = getattr(t, "hops", ())
        if hops:
            return " → ".join(h.model for h in hops)
    return None


def _compare(original: str, article: str, *, pivot: str, thresholds: Thresholds) -> tuple[tuple[Score, ...], tuple[Flag, ...], Verdict]:
    scores = _score(article, original, lang=pivot)
    chrf = _chrf(scores)
    flags = tuple(detect_changes(original, article, thresholds=thresholds))
    return scores, flags, decide_verdict(chrf, flags, thresholds=thresholds)


def _match(original: PivotText, indices: tuple[int, ...], article_pivot: str, *, pivot: str, thresholds: Thresholds) -> Match:
    if not indices:
        return Match(original.label, (), "", "", (), (), Verdict.NOT_FOUND, ())
    text = sentence_joiner(original.lang).join(original.sentences[k] for k in indices)
    pivot_text = sentence_joiner(pivot).join(original.pivot[k] for k in indices)
    scores, flags, verdict = _compare(pivot_text, article_pivot, pivot=pivot, thresholds=thresholds)
    if verdict is Verdict.NOT_FOUND:  # too far to be the same sentence: do not claim changes
        flags = ()
    return Match(original.label, indices, text, pivot_text, scores, flags, verdict,
                 tuple(word_diff(pivot_text, article_pivot)))


_KIND_OF = {"number": FlagKind.NUMBER, "date": FlagKind.NUMBER, "name": FlagKind.NAME,
            "negation": FlagKind.NEGATION, "modal": FlagKind.MODALITY, "presence": FlagKind.ADDITION}


def _chain(path: Sequence[str], texts: dict[str, str], changes: Sequence, *, pivot: str,
           thresholds: Thresholds) -> tuple[tuple[HopStep, ...], tuple[str, ...]]:
    """The hops of one sentence's inferred path, each with the changes that reached the article.

    A hop's flags are the typed changes attribution found there (figures, dates, names,
    negation, modality: `mt_toolkit.attribution.Departure`), shown with the flag wording of
    `detect_changes`, plus a dropped or added clause that the article still shows (its flag is
    found between the hop's upstream version and the article, and not between the downstream
    version and the article). A sentence first held by a version was added on the hop into it.
    """
    article_text = texts.get(ARTICLE_LABEL, "")
    steps = []
    for src, tgt in zip(path, path[1:]):
        here = [d for d in changes if d.source == src and d.target == tgt]
        if src not in texts or tgt not in texts:
            if here:  # the passage was added on this hop
                flags: tuple[Flag, ...] = (Flag(FlagKind.ADDITION, f"passage added at {tgt}", "", texts.get(tgt, "")),)
                steps.append(HopStep(src, tgt, 0.0, flags, Verdict.CHANGED))
            continue
        scores, flags, _ = _compare(texts[src], texts[tgt], pivot=pivot, thresholds=thresholds)
        kinds = {_KIND_OF[d.kind] for d in here if d.kind in _KIND_OF}
        kept = [f for f in flags if f.kind in kinds]
        clause_here = any(f.kind in (FlagKind.OMISSION, FlagKind.ADDITION) for f in flags)
        # found by the readings, not by the flag wording; figures only by the number flag, which
        # knows that "our two countries" reports no figure
        for kind in kinds - {f.kind for f in kept} - {FlagKind.NUMBER}:
            if not clause_here:  # a name or modal inside a dropped clause is that clause's
                kept += [Flag(kind, d.detail) for d in here if _KIND_OF.get(d.kind) is kind]
        if tgt != ARTICLE_LABEL and article_text:
            to_article = {f.kind for f in detect_changes(texts[src], article_text, thresholds=thresholds)}
            from_target = {f.kind for f in detect_changes(texts[tgt], article_text, thresholds=thresholds)}
            clause = {FlagKind.OMISSION, FlagKind.ADDITION} & to_article - from_target
        else:
            clause = {FlagKind.OMISSION, FlagKind.ADDITION}
        kept += [f for f in flags if f.kind in clause]
        chrf = _chrf(scores)
        verdict = Verdict.CHANGED if kept else decide_verdict(chrf, (), thresholds=thresholds)
        steps.append(HopStep(src, tgt, chrf, tuple(kept), verdict))
    changed = tuple(f"{s.source} → {s.target}" for s in steps if s.verdict is Verdict.CHANGED)
    return tuple(steps), changed


def _rank(originals: Sequence[PivotText], sentences: Sequence[SentenceTrace], attribution: Attribution | None = None) -> tuple[OriginalRank, ...]:
    """The originals, the likely source first: by attribution support, then sentences, chrF."""
    share = {c.label: c.share for c in attribution.candidates} if attribution else {}
    first = attribution.source if attribution else None
    ranks = []
    for original in originals:
        found = [m for s in sentences for m in s.matches if m.label == original.label and m.found]
        best_for = sum(1 for s in sentences if s.best is not None and s.best.label == original.label)
        mean = sum(m.chrf for m in found) / len(found) if found else 0.0
        ranks.append(OriginalRank(original.label, original.lang, best_for, len(found), round(mean, 2)))
    return tuple(sorted(ranks, key=lambda r: (r.label != first, -share.get(r.label, 0.0), -r.best_for, -r.mean_chrf, r.label)))


def trace(
    article: TraceInput,
    originals: Sequence[TraceInput],
    *,
    pivot: str = "en",
    thresholds: Thresholds = Thresholds(),
    model: ModelChoice | Mapping[str, ModelChoice] | None = None,
    options: DecodingOptions = DecodingOptions(),
    device: str = "auto",
    backend: str = "auto",
    compute_type: str = "auto",
    revision: str | None = None,
    cache: object | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    translate: TranslateFn | None = None,
    chain: Sequence[str] | None = None,
    model_scores: Sequence[ModelScore] = (),
    evidence_model: str | None = None,
) -> TraceResult:
    """Trace every sentence of ``article`` back into each of ``originals``.

    Args:
        article: the derived text (its label is normally ``article``).
        originals: candidate originals, in any order.
        pivot: the language every comparison is made in (English by default).
        thresholds: verdict cut-offs (`mt_toolkit.fidelity.Thresholds`).
        model: translation models for texts without a supplied translation: a mapping from
            language to model id, folder or loaded `Translator` (languages left out take the
            registry's route), or one model when only one language needs translating (see
            `models_by_language`); None: the registry's route for every language.
        options: decoding options for the engine.
        device: engine device ("auto", "cpu", "cuda", "mps").
        backend: engine backend ("auto", "hf", "ct2").
        compute_type: engine precision ("auto", "float32", "int8", ...).
        revision: model revision to pin, for the models given by id.
        cache: a `mt_toolkit.translate.cache.TranslationCache`, so a second trace of the same
            texts translates nothing.
        on_progress: called with (done, total) while texts are translated, then as article
            sentences are traced.
        translate: see `prepare_text` (a server's shared translator instead of the engine).
        chain: an order of derivation the user knows (labels, upstream first; the article is
            last). Without it the derivation tree is inferred from the texts, and the order of
            ``originals`` changes nothing.
        model_scores: model likelihoods of the article given each original
            (`mt_toolkit.likelihood.score_candidates`), recorded with the evidence.
        evidence_model: a translation model (into the article's language) to compute those
            likelihoods with, from each original's matching sentences (forced decoding,
            Wastl, Vamvas and Sennrich 2024); loaded with ``device`` and ``backend``.

    Returns:
        The per-sentence matches, flags, verdicts and chains, the ranking of originals and the
        similarity maps. Related-link lines a site inserted ("Baca juga: …") are marked as
        ``furniture`` and matched with nothing, so they never count as unmatched quotes.

    Raises:
        InputError: no originals, duplicate labels, a supplied translation of the wrong length,
            one model for several languages, or a ``chain`` naming an unknown label.
    """
    if not originals:
        raise InputError("give at least one candidate original (--original FILE:LANG:LABEL)")
    labels = [article.label] + [o.label for o in originals]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise InputError(f"labels must be unique; repeated: {', '.join(duplicates)}")
    if chain:
        unknown = [c for c in chain if c not in labels]
        if unknown or len(set(chain)) != len(chain):
            raise InputError(f"--chain must name each version once, from {', '.join(sorted(labels))}; got {', '.join(chain)}")
    pivot = normalize(pivot)
    texts = [article, *originals]
    to_translate = [t.lang for t in texts if t.translation is None and normalize(t.lang) != pivot]
    # a caller's translate function (the server's shared queue) serves every language itself
    chosen = models_by_language(model, to_translate) if translate is None else {}
    settings: dict[str, Any] = dict(pivot=pivot, options=options, device=device, backend=backend,
                                    compute_type=compute_type, revision=revision, cache=cache,
                                    on_progress=on_progress, translate=translate)
    art = prepare_text(article, model=chosen.get(normalize(article.lang)), **settings)
    origs = [prepare_text(o, model=chosen.get(normalize(o.lang)), **settings) for o in originals]

    located: dict[str, list[tuple[int, ...]]] = {}
    maps = []
    for original in origs:
        matrix, where = _locate(art.pivot, original.pivot, lang=pivot)
        located[original.label] = where
        maps.append((original.label, matrix))

    matched = []
    for i, (text, article_pivot) in enumerate(zip(art.sentences, art.pivot)):
        furniture = furniture_kind(text)
        in_order = [
            _match(o, () if furniture else located[o.label][i], article_pivot, pivot=pivot,
                   thresholds=thresholds)
            for o in origs
        ]
        matched.append(in_order)
        if on_progress is not None:
            on_progress(i + 1, len(art.sentences))

    if evidence_model is not None:
        model_scores = tuple(model_scores) + _model_scores(evidence_model, art, origs, matched, device=device, backend=backend)
    links = [(ARTICLE_LABEL, i, m.label, m.indices) for i, row in enumerate(matched) for m in row if m.found]
    links += _original_links(origs, pivot=pivot, thresholds=thresholds)
    attribution = attribute(
        _version(art, ARTICLE_LABEL), [_version(o, o.label) for o in origs], links,
        chain=chain, model_scores=tuple(model_scores), similarity=_mean_chrf(origs, matched),
    )

    traced = []
    for i, (text, article_pivot) in enumerate(zip(art.sentences, art.pivot)):
        in_order = matched[i]
        source = attribution.sentences[i]
        first = source.sources[0] if source.sources else None
        ranked = tuple(sorted(in_order, key=lambda m: (not m.found, m.label != first, -m.chrf, m.label)))
        pivots = {m.label: m.pivot for m in in_order if m.found}
        pivots[ARTICLE_LABEL] = article_pivot
        chain_steps, changed_at = _chain(source.path, pivots, source.changes, pivot=pivot, thresholds=thresholds) \
            if source.path else ((), ())
        furniture = furniture_kind(text)
        if furniture:  # a line the site inserted: reported as such, never attributed
            chain_steps, changed_at = (), ()
        traced.append(SentenceTrace(
            i, text, article_pivot, classify_sentence(text, art.lang),
            tuple(q.text for q in find_quotes(text)), ranked, chain_steps, changed_at,
            furniture=furniture, sources=() if furniture else source.sources,
            evidence=() if furniture else source.evidence,
        ))

    sim_maps = []
    for label, matrix in maps:
        path = tuple(
            (s.index, k)
            for s in traced
            for m in s.matches
            if m.label == label and m.found
            for k in m.indices
        )
        sim_maps.append(SimilarityMap(label, tuple(tuple(round(v, 1) for v in row) for row in matrix), path))

    signatures = tuple(dict.fromkeys(
        s.full_signature for t in traced for m in t.matches for s in m.scores
    ))
    return TraceResult(pivot, art, tuple(origs), tuple(traced), _rank(origs, traced, attribution),
                       tuple(sim_maps), thresholds, signatures, attribution)



def _version(text: PivotText, label: str) -> VersionText:
    return VersionText(label, text.pivot, translated=text.origin != "pivot language")


def _original_links(origs: Sequence[PivotText], *, pivot: str, thresholds: Thresholds) -> list[tuple[str, int, str, tuple[int, ...]]]:
    """Sentences of one original that render a sentence of another (for grouping passages).

    Each sentence is paired with its most similar sentence of the other original, both ways, and
    the pair is kept at chrF ≥ the not-found threshold. The aligner's full quote location is not
    needed here: the article's own matches already carry fused sentences, and this only groups
    what the originals share. Pairs are taken in label order, so the result does not depend on
    the order of the originals.
    """
    from mt_toolkit.align import similarity_matrix
    from mt_toolkit.metrics import segment_scores

    pairs: list[tuple[str, int, str, int]] = []
    ordered = sorted(origs, key=lambda o: o.label)
    for k, x in enumerate(ordered):
        for y in ordered[k + 1:]:
            matrix = similarity_matrix(list(x.pivot), list(y.pivot), left_lang=pivot, right_lang=pivot, translate=False)
            found = {(i, int(matrix[i].argmax())) for i in range(len(x.pivot))}
            found |= {(int(matrix[:, j].argmax()), j) for j in range(len(y.pivot))}
            pairs += [(x.label, i, y.label, j) for i, j in sorted(found)]
    if not pairs:
        return []
    text = {o.label: o.pivot for o in origs}
    rows = segment_scores([text[a][i] for a, i, _, _ in pairs], [[text[b][j] for _, _, b, j in pairs]],
                          metrics=("chrf",), lang=pivot)
    return [(a, i, b, (j,)) for (a, i, b, j), row in zip(pairs, rows) if row[0].value >= thresholds.not_found_chrf]


def _model_scores(model: str, art: PivotText, origs: Sequence[PivotText], matched: list[list[Match]], *,
                  device: str, backend: str) -> tuple[ModelScore, ...]:
    """Likelihood of the article's sentences given each original's matches, by one model."""
    from mt_toolkit.likelihood import score_candidates
    from mt_toolkit.translate.engine import load_translator

    translator = load_translator(model, device=device, backend=backend)
    candidates: dict[str, tuple[str, Sequence[str | None]]] = {
        o.label: (o.lang, [next((m.text for m in row if m.label == o.label and m.found), None) for row in matched])
        for o in origs
    }
    return score_candidates(translator, list(art.sentences), candidates, article_lang=art.lang, model=model)


def _mean_chrf(origs: Sequence[PivotText], matched: list[list[Match]]) -> dict[str, float]:
    out = {}
    for o in origs:
        found = [m.chrf for row in matched for m in row if m.label == o.label and m.found]
        out[o.label] = round(sum(found) / len(found), 3) if found else 0.0
    return out


front_door(__name__)  # `mt_toolkit.trace(...)` is `mt_toolkit._api.trace(...)`
