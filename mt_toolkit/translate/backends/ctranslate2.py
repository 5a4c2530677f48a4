"""The CTranslate2 backend: converted models, int8 on CPU, float16/bfloat16 on GPU.

Tokenisation uses the model's own SentencePiece files (copied beside the converted weights by
`mt_toolkit.translate.convert`), so a CTranslate2 run needs neither torch nor transformers: it
starts in a second and uses a fraction of the memory. The token sequences follow what the
Hugging Face tokenizers produce for the same models, so both backends see the same input:

- Marian (OPUS-MT): ``source.spm`` pieces + ``</s>``; a leading ``>>xxx<<`` target token of
  multi-target models stays one token. Output decoded with ``target.spm``.
- M2M100: ``__id__`` + pieces + ``</s>``; the target language is forced as prefix ``__en__``.
- NLLB: ``ind_Latn`` + pieces + ``</s>``; target prefix ``eng_Latn``.

Other model families fall back to the Hugging Face tokenizer saved with the model.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from mt_toolkit.errors import BackendUnavailable, InputError, missing_extra
from mt_toolkit.languages import get_language
from mt_toolkit.translate.base import DecodingOptions, Hypothesis, ModelInfo
from mt_toolkit.translate.convert import (
    QUANTIZATIONS, ConvertedModel, convert_model, find_converted, max_source_positions, read_converted,
)
from mt_toolkit.translate.families import marian_prefix, marian_target_tokens

_SPECIAL = frozenset({"<s>", "</s>", "<pad>", "<unk>"})


def resolve_device(device: str) -> str:
    """``auto`` means the first CUDA GPU when CTranslate2 sees one, else the CPU.

    Raises:
        InputError: a device CTranslate2 does not run on (mps) or that is not there.
    """
    import ctranslate2

    if device == "auto":
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if device.startswith("cuda"):
        if ctranslate2.get_cuda_device_count() == 0:
            raise InputError("--device cuda was asked for but CTranslate2 sees no CUDA GPU")
        return "cuda"
    if device != "cpu":
        raise InputError(f"the ctranslate2 backend runs on cpu or cuda, not {device!r}; use --backend hf for {device}")
    return device


def quantizations_for(compute_type: str, device: str) -> tuple[str, ...]:
    """Stored weight types that serve ``compute_type``, best first (float32 serves anything)."""
    if compute_type == "auto":
        preferred = ("int8",) if device == "cpu" else ("int8_float16", "float16", "bfloat16", "int8")
        return (*preferred, *(q for q in QUANTIZATIONS if q not in preferred))
    return (compute_type, "float32") if compute_type != "float32" else ("float32",)


def default_quantization(compute_type: str, device: str) -> str:
    """What to convert to when no conversion exists: int8 on CPU, float16 on GPU, or as asked."""
    if compute_type == "auto":
        return "int8" if device == "cpu" else "float16"
    return "int8" if compute_type == "int8_float32" else compute_type


def has_conversion(model: str, *, revision: str | None = None) -> bool:
    """Whether ctranslate2 is installed and ``model`` is converted (or is a CTranslate2 folder)."""
    import importlib.util

    return importlib.util.find_spec("ctranslate2") is not None and find_converted(model, revision=revision) is not None


def load_ctranslate2(
    model: str,
    *,
    revision: str | None = None,
    device: str = "auto",
    compute_type: str = "auto",
    target_prefixes: dict[str, str] | None = None,
    convert: bool = True,
    threads: int | None = None,
    inter_threads: int | None = None,
    sentences: int | None = None,
    batch_size: int = 32,
) -> "CTranslate2Translator":
    """Load ``model`` with CTranslate2, converting it into the cache first if need be.

    Args:
        model: Hugging Face id, local Hugging Face folder, or a CTranslate2 folder.
        revision: hub revision to pin.
        device / compute_type: as for `CTranslate2Translator`.
        target_prefixes: target tokens for multi-target OPUS-MT models, by canonical language.
        convert: convert when no conversion is cached (else `ModelNotFoundError`).
        threads / inter_threads: CPU threads in all and batches translated at once; by default
            `thread_layout` chooses them from the cores and the job size (``sentences`` in
            batches of ``batch_size``; None for a corpus).

    Raises:
        ModelNotFoundError: the model is not available (or not converted and ``convert`` is False).
        BackendUnavailable: ctranslate2 is not installed.
    """
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        raise missing_extra("ctranslate2", "ct2") from None
    from mt_toolkit.errors import ModelNotFoundError
    from mt_toolkit.translate.threads import available_cores, thread_layout

    dev = resolve_device(device)
    layout = thread_layout(available_cores(), sentences=sentences, batch_size=batch_size, threads=threads,
                           inter_threads=inter_threads, device=dev)
    converted = find_converted(model, revision=revision, quantizations=quantizations_for(compute_type, dev))
    if converted is None:
        if not convert:
            raise ModelNotFoundError(f"{model} has no CTranslate2 conversion; run `mt-toolkit models convert {model}`")
        converted = convert_model(model, revision=revision, quantization=default_quantization(compute_type, dev))
    return CTranslate2Translator(converted, device=dev, compute_type=compute_type,
                                 target_prefixes=target_prefixes, intra_threads=layout.intra,
                                 inter_threads=layout.inter)


def resolve_compute_type(compute_type: str, *, device: str, stored: str) -> str:
    """``auto``: int8 on CPU; on GPU the stored half type, int8_float16 for int8 weights, else float16."""
    if compute_type != "auto":
        return compute_type
    if device == "cpu":
        return "int8"
    if stored in ("float16", "bfloat16", "int8_float16", "int8_bfloat16"):
        return stored
    return "int8_float16" if stored == "int8" else "float16"


class CTranslate2Translator:
    """A `Translator` over a CTranslate2 model folder.

    Args:
        model_dir: the converted folder (see `convert_model`).
        device: "cpu", "cuda" or "auto".
        compute_type: "auto" (int8 on CPU, half precision on GPU) or any CTranslate2 compute type.
        target_prefixes: target tokens for multi-target OPUS-MT models, by canonical language.
        intra_threads: threads per batch (0: CTranslate2's default).
        inter_threads: batches translated in parallel; `translate_batches` keeps them all busy.

    Raises:
        BackendUnavailable: ctranslate2 (or sentencepiece) is not installed, or the device or
            compute type is not supported here.
    """

    def __init__(
        self,
        model_dir: str | Path | ConvertedModel,
        *,
        device: str = "auto",
        compute_type: str = "auto",
        target_prefixes: dict[str, str] | None = None,
        intra_threads: int = 0,
        inter_threads: int = 1,
    ) -> None:
        try:
            import ctranslate2
        except ImportError:
            raise missing_extra("ctranslate2", "ct2") from None
        converted = model_dir if isinstance(model_dir, ConvertedModel) else read_converted(Path(model_dir))
        self._converted = converted
        device = resolve_device(device)
        compute = resolve_compute_type(compute_type, device=device, stored=converted.quantization)
        try:
            self._translator = ctranslate2.Translator(
                str(converted.path), device=device, compute_type=compute,
                intra_threads=intra_threads, inter_threads=inter_threads,
            )
        except ValueError as err:  # unsupported compute type on this device
            raise BackendUnavailable(f"CTranslate2 cannot run {converted.model} on {device} as {compute}: {err}") from None
        self._tokenizer = _load_tokenizer(converted)
        # Longer sentences are split before they get here (translate/long_input.py).
        self.max_source_tokens = max_source_positions(converted.path)
        self._inter_threads = max(1, inter_threads)
        self._target_prefixes = target_prefixes or {}
        self._marian_targets = marian_target_tokens(self._tokenizer.vocabulary) if converted.family == "marian" else []
        self.info = ModelInfo(
            model=converted.model,
            revision=converted.revision,
            backend="ctranslate2",
            device=device,
            compute_type=self._translator.compute_type,
            family=converted.family,
        )

    def tokenize(self, sentences: list[str], *, src_lang: str, tgt_lang: str | None = None) -> list[list[str]]:
        """The source tokens CTranslate2 receives, end-of-sentence included."""
        if self._marian_targets and tgt_lang is not None:
            lang = get_language(tgt_lang).code
            prefix = marian_prefix(lang, self._marian_targets, override=self._target_prefixes.get(lang), model=self.info.model)
            sentences = [f"{prefix} {text}" for text in sentences]
        return [self._tokenizer.encode_source(text, src_lang=src_lang) for text in sentences]

    def count_tokens(self, sentences: list[str]) -> list[int]:
        """Source length in tokens of each sentence, for token-budget batching."""
        return [len(self._tokenizer.pieces(text)) + 1 for text in sentences]

    def translate_batch(
        self, sentences: list[str], *, src_lang: str, tgt_lang: str, options: DecodingOptions
    ) -> list[Hypothesis]:
        """Translate one batch; scores are mean log-probabilities per token (length-normalised).

        With several workers (``inter_threads``) the batch is split among them.
        """
        if not sentences:
            return []
        pending = self._submit(sentences, src_lang=src_lang, tgt_lang=tgt_lang, options=options,
                               split=self._inter_threads > 1)
        return self._collect(pending, options)

    def translate_batches(
        self, batches: Iterable[list[str]], *, src_lang: str, tgt_lang: str, options: DecodingOptions
    ) -> Iterator[list[Hypothesis]]:
        """Translate a stream of batches, yielding each batch's hypotheses in input order.

        The batches are submitted asynchronously and up to two per worker are kept in flight, so
        every worker has its next batch queued while Python tokenises the following one and
        decodes finished ones: tokenising, decoding and whatever the caller does with each
        result overlap with translation instead of leaving the cores idle in between.
        """
        pending: deque = deque()
        for batch in batches:
            pending.append(self._submit(batch, src_lang=src_lang, tgt_lang=tgt_lang, options=options, split=False))
            while len(pending) > 2 * self._inter_threads:
                yield self._collect(pending.popleft(), options)
        while pending:
            yield self._collect(pending.popleft(), options)

    def _submit(self, sentences: list[str], *, src_lang: str, tgt_lang: str, options: DecodingOptions,
                split: bool) -> tuple[list, int, int]:
        """Queue one batch in CTranslate2; returns its pending results, prefix length and limit."""
        if not sentences:
            return [], 0, 0
        source = self.tokenize(sentences, src_lang=src_lang, tgt_lang=tgt_lang)
        prefix = self._tokenizer.target_prefix(tgt_lang)
        # `max_length` counts generated tokens, as in transformers' max_new_tokens. A Marian model
        # whose generation config forces </s> spends the last of them on </s>, which CTranslate2
        # does not generate: stop one token earlier so both backends give the same text.
        limit = max(1, options.max_length - (1 if self._converted.forced_eos else 0))
        results = self._translator.translate_batch(
            source,
            target_prefix=[prefix] * len(source) if prefix else None,
            beam_size=options.beam_size,
            length_penalty=options.length_penalty,
            max_decoding_length=limit,
            return_scores=True,
            # split: one sub-batch per worker, so a lone batch still uses every worker
            max_batch_size=-(-len(source) // self._inter_threads) if split else 0,
            asynchronous=True,
        )
        return results, len(prefix), limit

    def _collect(self, pending: tuple[list, int, int], options: DecodingOptions) -> list[Hypothesis]:
        """Wait for one submitted batch and turn its results into hypotheses."""
        results, prefix, limit = pending
        out = []
        for async_result in results:
            result = async_result.result()
            hypothesis = result.hypotheses[0]
            score = _mean_log_prob(result.scores[0], length=len(hypothesis), prefix=prefix,
                                   ended=len(hypothesis) < limit, length_penalty=options.length_penalty) if result.scores else None
            out.append(Hypothesis(self._tokenizer.decode_target(hypothesis[prefix:]), score))
        return out


def _mean_log_prob(score: float, *, length: int, prefix: int, ended: bool, length_penalty: float) -> float:
    """CTranslate2's score is the log-probability summed over prefix, tokens and </s>, divided by
    that length ** length_penalty. We report the mean over generated tokens (</s> included, the
    forced prefix not), as the transformers backend does, so scores compare across backends."""
    total_length = length + (1 if ended else 0)
    generated = max(total_length - prefix, 1)
    return score * total_length**length_penalty / generated


class _PieceTokenizer:
    """SentencePiece in, SentencePiece out, with each family's language tokens."""

    def __init__(self, converted: ConvertedModel) -> None:
        try:
            import sentencepiece as spm
        except ImportError:
            raise missing_extra("sentencepiece", "ct2") from None
        path = converted.path
        self.family = converted.family
        if self.family == "marian":
            self._src = spm.SentencePieceProcessor(model_file=str(path / "source.spm"))
            self._tgt = spm.SentencePieceProcessor(model_file=str(path / "target.spm"))
        else:
            self._src = self._tgt = spm.SentencePieceProcessor(model_file=str(path / "sentencepiece.bpe.model"))
        vocab = _read_vocabulary(path)
        self._vocab = self.vocabulary = vocab
        self._language_tokens = frozenset(
            tok for tok in vocab
            if (tok.startswith("__") and tok.endswith("__") and len(tok) <= 9)  # M2M100 __id__
            or (len(tok) == 8 and tok[3] == "_" and tok[:3].islower() and tok[4].isupper())  # NLLB ind_Latn
            or (tok.startswith(">>") and tok.endswith("<<"))  # OPUS-MT >>ind<<
        ) if self.family != "marian" else frozenset()

    def pieces(self, text: str) -> list[str]:
        return self._src.encode(text, out_type=str)

    def _in_vocab(self, pieces: list[str]) -> list[str]:
        # SentencePiece returns unknown characters as their own surface; the model knows them as <unk>
        vocab = self._vocab
        return [piece if piece in vocab else "<unk>" for piece in pieces] if vocab else pieces

    def encode_source(self, text: str, *, src_lang: str) -> list[str]:
        if self.family == "marian":
            # a multi-target OPUS-MT input starts with ">>ind<<", which stays one token
            if text.startswith(">>") and (end := text.find("<<")) != -1:
                return [text[: end + 2], *self._in_vocab(self.pieces(text[end + 2 :])), "</s>"]
            return [*self._in_vocab(self.pieces(text)), "</s>"]
        return [self._language_token(src_lang), *self._in_vocab(self.pieces(text)), "</s>"]

    def target_prefix(self, tgt_lang: str) -> list[str]:
        if self.family == "marian":
            return []
        return [self._language_token(tgt_lang)]

    def decode_target(self, tokens: list[str]) -> str:
        kept = [tok for tok in tokens if tok not in _SPECIAL and tok not in self._language_tokens]
        return self._tgt.decode_pieces(kept).strip()

    def _language_token(self, lang: str) -> str:
        language = get_language(lang)
        token = language.nllb if self.family == "nllb" else f"__{language.m2m100}__"
        if token not in self._vocab:
            raise InputError(f"this {self.family} model has no language token {token} for {language.name}")
        return token


class _HFTokenizer:
    """Models without SentencePiece files beside them (NLLB saved with only tokenizer.json, other
    families): the Hugging Face tokenizer saved with the model. Imports transformers."""

    def __init__(self, converted: ConvertedModel) -> None:
        try:
            from transformers import AutoTokenizer
        except ImportError:
            raise missing_extra("transformers", "ct2") from None
        self.family = converted.family
        self._tok = AutoTokenizer.from_pretrained(str(converted.path))
        self.vocabulary = set(self._tok.get_vocab())
        self._strip = set(self._tok.all_special_tokens) | set(getattr(self._tok, "extra_special_tokens", None) or [])

    def pieces(self, text: str) -> list[str]:
        return self._tok.tokenize(text)

    def encode_source(self, text: str, *, src_lang: str) -> list[str]:
        if self.family in ("nllb", "m2m100"):
            self._tok.src_lang = self._language_token(src_lang, bare=True)
        return self._tok.convert_ids_to_tokens(self._tok(text).input_ids)

    def target_prefix(self, tgt_lang: str) -> list[str]:
        return [self._language_token(tgt_lang)] if self.family in ("nllb", "m2m100") else []

    def decode_target(self, tokens: list[str]) -> str:
        kept = [tok for tok in tokens if tok not in self._strip]
        return self._tok.convert_tokens_to_string(kept).strip()

    def _language_token(self, lang: str, *, bare: bool = False) -> str:
        language = get_language(lang)
        if self.family == "nllb":
            token = language.nllb
        else:
            token = language.m2m100 if bare else f"__{language.m2m100}__"
        if (token if self.family == "nllb" or not bare else f"__{token}__") not in self.vocabulary:
            raise InputError(f"this {self.family} model has no language token for {language.name}")
        return token


def _load_tokenizer(converted: ConvertedModel):
    path = converted.path
    if converted.family == "marian" and (path / "source.spm").is_file():
        return _PieceTokenizer(converted)
    if converted.family in ("m2m100", "nllb") and (path / "sentencepiece.bpe.model").is_file():
        return _PieceTokenizer(converted)
    return _HFTokenizer(converted)


def _read_vocabulary(path: Path) -> set[str]:
    for name in ("shared_vocabulary.json", "source_vocabulary.json"):
        if (path / name).is_file():
            return set(json.loads((path / name).read_text(encoding="utf-8")))
    for name in ("shared_vocabulary.txt", "source_vocabulary.txt"):
        if (path / name).is_file():
            return set((path / name).read_text(encoding="utf-8").split("\n"))
    return set()
