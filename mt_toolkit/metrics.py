"""Translation scores through sacrebleu: the only module of the toolkit that calls it.

Every figure leaves as a `Score` that carries its sacrebleu signature, because a BLEU number
without its tokenizer, smoothing and version cannot be compared with anything. The settings are
sacrebleu's command-line defaults, so a `Score` equals what ``sacrebleu`` prints for the same
files; only the language-dependent choices are made here:

- BLEU tokenizer: the one `mt_toolkit.languages` names for the target language (``zh`` for
  Chinese, ``13a`` otherwise), unless the caller overrides it; ``spbleu`` is BLEU with the
  FLORES-200 SentencePiece tokenizer, as in the NLLB evaluations.
- TER: for languages written without spaces between words (Chinese, Japanese, Thai) TER's
  ``asian_support`` is switched on, otherwise a whole sentence would count as one word. The
  signature says so (``asian:yes``).
- Sentence-level BLEU uses effective order, as ``sacrebleu --sentence-level`` does; without it
  any sentence with no matching 4-gram scores 0.

Paired significance (bootstrap resampling and approximate randomisation) runs sacrebleu's own
implementation, so p-values and confidence intervals match ``sacrebleu --paired-bs/--paired-ar``
for the same seed (sacrebleu's ``SACREBLEU_SEED``, 12345 unless set; the seed is in the signature).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from mt_toolkit.errors import BackendUnavailable, InputError, ModelNotFoundError
from mt_toolkit.languages import get_language

#: Metric names accepted everywhere (CLI ``--metrics``, library ``metrics=``).
METRIC_NAMES: tuple[str, ...] = ("bleu", "chrf", "chrf++", "ter", "spbleu")
DEFAULT_METRICS: tuple[str, ...] = ("bleu", "chrf", "ter")

#: sacrebleu's tokenizer for spBLEU as used by the NLLB team (FLORES-200 SentencePiece model).
SPBLEU_TOKENIZER = "flores200"

PAIRED_TESTS = ("bs", "ar")

# sacrebleu's own defaults (its PairedTest._DEFAULT_SAMPLES): 1000 resamples, 10000 AR trials.
DEFAULT_SAMPLES = {"bs": 1000, "ar": 10000}


@dataclass(frozen=True)
class Score:
    """One figure and how it was made.

    Attributes:
        metric: sacrebleu's name for it (``BLEU``, ``chrF2``, ``chrF2++``, ``TER``).
        value: the score (0-100; lower is better for TER only).
        signature: sacrebleu's full signature, e.g. ``nrefs:1|case:mixed|eff:no|tok:13a|...``.
        ci: half-width of the 95% bootstrap confidence interval, when one was asked for.
        mean: the bootstrap estimate of the true mean that goes with ``ci``.
        detail: sacrebleu's breakdown (BLEU's n-gram precisions and brevity penalty), or "".
    """

    metric: str
    value: float
    signature: str
    ci: float | None = None
    mean: float | None = None
    detail: str = ""

    @property
    def name(self) -> str:
        """The metric as `METRIC_NAMES` spells it (``chrf`` for ``chrF2``, ``spbleu`` for BLEU with
        the FLORES-200 tokenizer): what callers ask `find_score` for."""
        return _metric_name(self.metric, self.signature)

    @property
    def higher_is_better(self) -> bool:
        """False for TER (an edit rate), True for the others."""
        return self.metric != "TER"

    @property
    def full_signature(self) -> str:
        """``chrF2|nrefs:1|...|version:2.6.0``: the metric's name and its signature, as sacrebleu joins them."""
        return f"{self.metric}|{self.signature}"

    def format(self, *, width: int = 1) -> str:
        """``BLEU|nrefs:1|...|version:2.6.0 = 23.4`` — the line sacrebleu prints."""
        text = f"{self.full_signature} = {self.value:.{width}f}"
        if self.ci is not None and self.mean is not None:
            text += f" (μ = {self.mean:.{width}f} ± {self.ci:.{width}f})"
        if self.detail:
            text += f" {self.detail}"
        return text


@dataclass(frozen=True)
class PairedResult:
    """One system's score in a paired significance test against the baseline.

    Attributes:
        system: the system's name.
        score: its score; ``signature`` names the test, seed and number of samples, and
            ``mean``/``ci`` are the bootstrap mean and 95% CI (bootstrap test only).
        p_value: probability of a difference at least this large by chance; None for the
            baseline itself.
    """

    system: str
    score: Score
    p_value: float | None = None

    @property
    def is_baseline(self) -> bool:
        """True for the system the others were compared with."""
        return self.p_value is None

    def significant(self, alpha: float = 0.05) -> bool:
        """Whether the difference from the baseline is significant at level ``alpha``."""
        return self.p_value is not None and self.p_value < alpha


@dataclass(frozen=True)
class SignificanceTable:
    """The result of `paired_significance`: every system, every metric, against the baseline.

    Attributes:
        test: ``bs`` (paired bootstrap resampling) or ``ar`` (approximate randomisation).
        n_samples: bootstrap resamples or AR trials.
        baseline: the first system's name.
        metrics: sacrebleu metric names, in column order.
        results: {metric name: one `PairedResult` per system, baseline first}.
    """

    test: str
    n_samples: int
    baseline: str
    metrics: tuple[str, ...]
    results: dict[str, tuple[PairedResult, ...]]

    @property
    def systems(self) -> tuple[str, ...]:
        """System names, baseline first."""
        first = self.results[self.metrics[0]]
        return tuple(r.system for r in first)


def _metric_name(metric: str, signature: str) -> str:
    """sacrebleu's display name (``chrF2++``, ``BLEU``) back to our metric name."""
    lowered = metric.lower()
    if lowered.startswith("chrf"):  # chrF<beta>, with one "+" per word n-gram order
        return "chrf++" if lowered.endswith("++") else "chrf"
    if lowered == "bleu":
        return "spbleu" if f"tok:{SPBLEU_TOKENIZER}" in signature.split("|") else "bleu"
    return lowered


def find_score(scores: Sequence[Score], name: str) -> Score | None:
    """The score of metric ``name`` (``chrf``, ``BLEU``, ``chrF++``, ...; any case) among ``scores``.

    The one way to pick a metric out of a list of scores, so nobody matches sacrebleu's display
    names (``chrF2``) by prefix.

    Raises:
        InputError: ``name`` is not one of `METRIC_NAMES`.
    """
    (wanted,) = parse_metrics([name])
    return next((score for score in scores if score.name == wanted), None)


def parse_metrics(spec: str | Sequence[str]) -> tuple[str, ...]:
    """Turn ``"bleu,chrf"`` or ``["BLEU", "chrF++"]`` into canonical metric names, checked.

    Raises:
        InputError: an unknown metric name, listing the known ones.
    """
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    names: list[str] = []
    for item in items:
        name = item.strip().lower()
        if not name:
            continue
        if name not in METRIC_NAMES:
            raise InputError(f"unknown metric {item.strip()!r}; choose from {', '.join(METRIC_NAMES)}")
        if name not in names:
            names.append(name)
    if not names:
        raise InputError(f"no metric given; choose from {', '.join(METRIC_NAMES)}")
    return tuple(names)


def bleu_tokenizer(lang: str, tokenize: str | None = None) -> str:
    """The BLEU tokenizer for a target language: ``tokenize`` if given, else the language's own.

    Raises:
        UnknownLanguageError: ``lang`` is not a known language.
        InputError: ``tokenize`` is not a sacrebleu tokenizer.
    """
    if tokenize is None:
        return get_language(lang).sacrebleu_tokenizer
    from sacrebleu.metrics import BLEU

    if tokenize not in BLEU.TOKENIZERS:
        raise InputError(
            f"unknown BLEU tokenizer {tokenize!r}; sacrebleu has {', '.join(sorted(BLEU.TOKENIZERS))}"
        )
    return tokenize


def _make_metric(
    name: str,
    *,
    lang: str,
    tokenize: str | None,
    sentence_level: bool,
    references: Sequence[Sequence[str]] | None = None,
) -> Any:
    """A configured sacrebleu metric object (imported late: sacrebleu is not needed to import us)."""
    if name in ("bleu", "spbleu"):
        from sacrebleu.metrics import BLEU

        tok = SPBLEU_TOKENIZER if name == "spbleu" else bleu_tokenizer(lang, tokenize)
        try:
            return BLEU(tokenize=tok, effective_order=sentence_level, references=references)
        except (ImportError, ModuleNotFoundError) as err:
            raise BackendUnavailable(
                f"the BLEU tokenizer {tok!r} needs an extra package ({err}); install it with "
                f"pip install 'sacrebleu[ja,ko]', or pass another tokenizer (e.g. char or flores200)"
            ) from None
        except Exception as err:  # sacrebleu reports a failed download in several ways
            if tok.startswith(("flores", "spBLEU", "spm")):
                raise _spm_model_missing(tok, err) from None
            raise
        except SystemExit as err:  # sacrebleu exits on an SSL error while downloading
            raise _spm_model_missing(tok, err) from None
    if name in ("chrf", "chrf++"):
        from sacrebleu.metrics import CHRF

        return CHRF(word_order=2 if name == "chrf++" else 0, references=references)
    if name == "ter":
        from sacrebleu.metrics import TER

        asian = not get_language(lang).spaces_between_words
        return TER(asian_support=asian, references=references)
    raise InputError(f"unknown metric {name!r}; choose from {', '.join(METRIC_NAMES)}")


def _spm_model_missing(tok: str, err: BaseException) -> ModelNotFoundError:
    from sacrebleu.tokenizers.tokenizer_spm import SPM_MODELS
    from sacrebleu.utils import SACREBLEU_DIR

    url = SPM_MODELS.get(tok, {}).get("url", "the sacrebleu SentencePiece model")
    return ModelNotFoundError(
        f"spBLEU ({tok}) needs sacrebleu's SentencePiece model, which could not be downloaded "
        f"({type(err).__name__}); on a machine with network fetch {url} into "
        f"{SACREBLEU_DIR}/models/ (or set SACREBLEU to a folder that has it) and retry"
    )


def _as_score(sb_score: Any, metric: Any, *, signature: str | None = None) -> Score:
    mean = ci = None
    if getattr(sb_score, "_mean", -1.0) > 0:
        mean, ci = float(sb_score._mean), float(sb_score._ci)
    return Score(
        metric=sb_score.name,
        value=float(sb_score.score),
        signature=signature if signature is not None else metric.get_signature().format(),
        ci=ci,
        mean=mean,
        detail=getattr(sb_score, "_verbose", "") or "",
    )


def _check_corpus(hyps: Sequence[str], refs_list: Sequence[Sequence[str]]) -> None:
    if isinstance(hyps, str):
        raise InputError("hypotheses must be a list of sentences, not one string")
    if len(hyps) == 0:
        raise InputError("no hypotheses to score")
    if len(refs_list) == 0:
        raise InputError("no reference given")
    for number, refs in enumerate(refs_list, 1):
        if isinstance(refs, str):
            raise InputError("each reference must be a list of sentences, not one string")
        if len(refs) != len(hyps):
            raise InputError(
                f"the hypotheses have {len(hyps)} lines but reference {number} has {len(refs)}; "
                f"they must be line-parallel"
            )


def corpus_scores(
    hyps: Sequence[str],
    refs_list: Sequence[Sequence[str]],
    *,
    metrics: str | Sequence[str] = DEFAULT_METRICS,
    lang: str = "en",
    tokenize: str | None = None,
    n_bootstrap: int = 1,
) -> list[Score]:
    """Corpus-level scores of one system, as ``sacrebleu -m ...`` prints them.

    Args:
        hyps: one hypothesis per line.
        refs_list: one or more reference streams, each line-parallel with ``hyps``.
        metrics: names from `METRIC_NAMES` (``"bleu,chrf"`` works too).
        lang: target language; picks the BLEU tokenizer and TER's Asian-script support.
        tokenize: override the BLEU tokenizer (``13a``, ``zh``, ``intl``, ``char``, ``flores200``...).
        n_bootstrap: above 1, adds a 95% confidence interval from that many bootstrap
            resamples (sacrebleu's ``--confidence``; 1000 is its default).

    Returns:
        One `Score` per metric, in the order asked.

    Raises:
        InputError: empty input, line counts that differ, an unknown metric or tokenizer.
        UnknownLanguageError: ``lang`` is not known.
        ModelNotFoundError: spBLEU's SentencePiece model is missing and cannot be downloaded.
    """
    names = parse_metrics(metrics)
    _check_corpus(hyps, refs_list)
    scores = []
    for name in names:
        metric = _make_metric(name, lang=lang, tokenize=tokenize, sentence_level=False)
        sb_score = metric.corpus_score(list(hyps), [list(r) for r in refs_list], n_bootstrap=n_bootstrap)
        scores.append(_as_score(sb_score, metric))
    return scores


def sentence_scores(
    hyp: str,
    refs: str | Sequence[str],
    *,
    metrics: str | Sequence[str] = DEFAULT_METRICS,
    lang: str = "en",
    tokenize: str | None = None,
) -> list[Score]:
    """Scores of one sentence against its reference(s), as ``sacrebleu --sentence-level`` gives.

    Args:
        hyp: the hypothesis sentence.
        refs: one reference sentence, or several.
        metrics, lang, tokenize: as in `corpus_scores`.

    Returns:
        One `Score` per metric, in the order asked (BLEU with effective order).

    Raises:
        InputError: no reference, an unknown metric or tokenizer.
    """
    names = parse_metrics(metrics)
    ref_list = [refs] if isinstance(refs, str) else list(refs)
    if not ref_list:
        raise InputError("no reference given")
    scores = []
    for name in names:
        metric = _make_metric(name, lang=lang, tokenize=tokenize, sentence_level=True)
        scores.append(_as_score(metric.sentence_score(hyp, ref_list), metric))
    return scores


def segment_scores(
    hyps: Sequence[str],
    refs_list: Sequence[Sequence[str]],
    *,
    metrics: str | Sequence[str] = DEFAULT_METRICS,
    lang: str = "en",
    tokenize: str | None = None,
) -> list[list[Score]]:
    """Sentence-level scores for every line of a corpus (one metric object per metric, reused).

    Args:
        hyps, refs_list, metrics, lang, tokenize: as in `corpus_scores`.

    Returns:
        For each line, one `Score` per metric in the order asked.

    Raises:
        InputError: as in `corpus_scores`.
    """
    names = parse_metrics(metrics)
    _check_corpus(hyps, refs_list)
    rows: list[list[Score]] = [[] for _ in hyps]
    for name in names:
        metric = _make_metric(name, lang=lang, tokenize=tokenize, sentence_level=True)
        signature: str | None = None
        for row, (hyp, *refs) in zip(rows, zip(hyps, *refs_list)):
            sb_score = metric.sentence_score(hyp, refs)
            if signature is None:
                signature = metric.get_signature().format()
            row.append(_as_score(sb_score, metric, signature=signature))
    return rows


def check_paired_options(test: str, n_samples: int) -> None:
    """Refuse a paired test sacrebleu does not have, or a negative number of samples.

    Raises:
        InputError: ``test`` is not ``bs``/``ar``, or ``n_samples`` is below 0 (0 = sacrebleu's default).
    """
    if test not in PAIRED_TESTS:
        raise InputError(f"unknown paired test {test!r}; choose bs (bootstrap) or ar (randomisation)")
    if n_samples < 0:
        raise InputError(f"paired-test samples (--paired-n) must be 0 (sacrebleu's default) or more, got {n_samples}")


def paired_significance(
    systems: Sequence[tuple[str, Sequence[str]]],
    refs_list: Sequence[Sequence[str]],
    *,
    metrics: str | Sequence[str] = DEFAULT_METRICS,
    lang: str = "en",
    tokenize: str | None = None,
    test: str = "bs",
    n_samples: int = 0,
) -> SignificanceTable:
    """Compare systems with the first one (the baseline) by a paired significance test.

    Runs sacrebleu's own paired bootstrap resampling (``bs``, Koehn 2004) or approximate
    randomisation (``ar``, Riezler & Maxwell 2005) on the same settings as `corpus_scores`, so
    figures equal ``sacrebleu REF -i BASE SYS... --paired-bs`` (or ``--paired-ar``).

    Args:
        systems: (name, hypotheses) pairs; the first is the baseline. At least two.
        refs_list, metrics, lang, tokenize: as in `corpus_scores`.
        test: ``bs`` or ``ar``.
        n_samples: resamples (bs) or trials (ar); 0 means sacrebleu's default (1000 / 10000).

    Returns:
        A `SignificanceTable` with every system's score, p-value and (bs) confidence interval.

    Raises:
        InputError: fewer than two systems, duplicate names, line counts that differ, an
            unknown metric or test.
    """
    names = parse_metrics(metrics)
    check_paired_options(test, n_samples)
    if len(systems) < 2:
        raise InputError("a paired test needs at least two systems (a baseline and one more)")
    system_names = [name for name, _ in systems]
    if len(set(system_names)) != len(system_names):
        raise InputError(f"system names must be unique, got {', '.join(system_names)}")
    for _, hyps in systems:
        _check_corpus(hyps, refs_list)
    refs = [list(r) for r in refs_list]

    from sacrebleu.significance import PairedTest, Result

    sb_metrics = {}
    for name in names:
        metric = _make_metric(name, lang=lang, tokenize=tokenize, sentence_level=False, references=refs)
        sb_metrics[name] = metric
    paired = PairedTest(
        [(name, list(hyps)) for name, hyps in systems],
        sb_metrics,
        references=None,
        test_type=test,
        n_samples=n_samples,
    )
    signatures, columns = paired()
    results: dict[str, tuple[PairedResult, ...]] = {}
    for metric_name, signature in signatures.items():
        sig = signature.format()
        row = []
        for system, res in zip(columns["System"], columns[metric_name]):
            # sacrebleu types every column as str | Result: names in System, results in the metrics
            system, res = str(system), cast(Result, res)
            score = Score(
                metric=metric_name,
                value=float(res.score),
                signature=sig,
                ci=None if res.ci is None else float(res.ci),
                mean=None if res.mean is None else float(res.mean),
            )
            row.append(PairedResult(system=system, score=score, p_value=res.p_value))
        results[metric_name] = tuple(row)
    return SignificanceTable(
        test=test,
        n_samples=paired.n_samples,
        baseline=system_names[0],
        metrics=tuple(signatures),
        results=results,
    )


__all__ = [
    "DEFAULT_METRICS",
    "METRIC_NAMES",
    "PairedResult",
    "Score",
    "SignificanceTable",
    "bleu_tokenizer",
    "corpus_scores",
    "find_score",
    "paired_significance",
    "parse_metrics",
    "segment_scores",
    "sentence_scores",
]
