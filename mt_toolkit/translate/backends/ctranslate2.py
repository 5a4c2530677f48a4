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
from pathlib import Path

from mt_toolkit.errors import BackendUnavailable, InputError, missing_extra
from mt_toolkit.languages import get_language
from mt_toolkit.translate.base import DecodingOptions, Hypothesis, ModelInfo
from mt_toolkit.translate.convert import ConvertedModel, read_converted

_SPECIAL = frozenset({"<s>", "</s>", "<pad>", "<unk>"})


def resolve_device(device: str) -> str:
    """``auto`` means the first CUDA GPU when CTranslate2 sees one, else the CPU."""
    if device != "auto":
        return device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


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
        intra_threads: threads per translation (0: CTranslate2's default).
        inter_threads: batches translated in parallel.

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
        self.info = ModelInfo(
            model=converted.model,
            revision=converted.revision,
            backend="ctranslate2",
            device=device,
            compute_type=self._translator.compute_type,
            family=converted.family,
        )

    def tokenize(self, sentences: list[str], *, src_lang: str) -> list[list[str]]:
        """The source tokens CTranslate2 receives, end-of-sentence included."""
        return [self._tokenizer.encode_source(text, src_lang=src_lang) for text in sentences]

    def count_tokens(self, sentences: list[str]) -> list[int]:
        """Source length in tokens of each sentence, for token-budget batching."""
        return [len(self._tokenizer.pieces(text)) + 1 for text in sentences]

    def translate_batch(
        self, sentences: list[str], *, src_lang: str, tgt_lang: str, options: DecodingOptions
    ) -> list[Hypothesis]:
        """Translate one batch; scores are mean log-probabilities per token (length-normalised)."""
        if not sentences:
            return []
        source = self.tokenize(sentences, src_lang=src_lang)
        prefix = self._tokenizer.target_prefix(tgt_lang)
        # `max_length` counts generated tokens, as in transformers' max_new_tokens. A Marian model
        # whose generation config forces </s> spends the last of them on </s>, which CTranslate2
        # does not generate: stop one token earlier so both backends give the same text.
        limit = options.max_length - (1 if self._converted.forced_eos else 0)
        results = self._translator.translate_batch(
            source,
            target_prefix=[prefix] * len(source) if prefix else None,
            beam_size=options.beam_size,
            length_penalty=options.length_penalty,
            max_decoding_length=max(1, limit),
            max_batch_size=options.batch_size,
            return_scores=True,
        )
        out = []
        for result in results:
            tokens = result.hypotheses[0][len(prefix):]
            score = result.scores[0] if result.scores else None
            out.append(Hypothesis(self._tokenizer.decode_target(tokens), score))
        return out


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
        self._vocab = vocab
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
            # a multi-target OPUS-MT input starts with ">>ind<<", which is one vocabulary token
            head, _, rest = text.partition(" ")
            if head.startswith(">>") and head.endswith("<<") and head in self._vocab:
                return [head, *self._in_vocab(self.pieces(rest)), "</s>"]
            return [*self._in_vocab(self.pieces(text)), "</s>"]
        return [self._language_token(src_lang), *self._in_vocab(self.pieces(text)), "</s>"]

    def target_prefix(self, tgt_lang: str) -> list[str]:
        if self.family == "marian":
            return []
        return [self._language_token(tgt_lang)]

    def decode_target(self, tokens: list[str]) -> str:
        kept = [tok for tok in tokens if tok not in _SPECIAL and tok not in self._language_tokens]
        return self._tgt.decode_pieces(kept)

    def _language_token(self, lang: str) -> str:
        language = get_language(lang)
        token = language.nllb if self.family == "nllb" else f"__{language.m2m100}__"
        if token not in self._vocab:
            raise InputError(f"this {self.family} model has no language token {token} for {language.name}")
        return token


class _HFTokenizer:
    """Any other family: the Hugging Face tokenizer saved with the model (imports transformers)."""

    def __init__(self, converted: ConvertedModel) -> None:
        try:
            from transformers import AutoTokenizer
        except ImportError:
            raise missing_extra("transformers", "ct2") from None
        self._tok = AutoTokenizer.from_pretrained(str(converted.path))

    def pieces(self, text: str) -> list[str]:
        return self._tok.tokenize(text)

    def encode_source(self, text: str, *, src_lang: str) -> list[str]:
        return self._tok.convert_ids_to_tokens(self._tok(text).input_ids)

    def target_prefix(self, tgt_lang: str) -> list[str]:
        return []

    def decode_target(self, tokens: list[str]) -> str:
        return self._tok.decode(self._tok.convert_tokens_to_ids(tokens), skip_special_tokens=True)


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
