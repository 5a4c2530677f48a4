"""The transformers backend: MarianMT (OPUS-MT), M2M100 and NLLB through `generate`.

It loads models with `from_pretrained` exactly as users load downloaded models, so the tiny
random-weight test models exercise the same path as real ones.
"""

from __future__ import annotations

from mt_toolkit.errors import InputError, MtToolkitError, missing_extra
from mt_toolkit.translate.base import DecodingOptions, Hypothesis, ModelInfo
from mt_toolkit.translate.families import detect_family, marian_prefix, marian_target_tokens
from mt_toolkit.translate.loading import ModelSource, not_found

_DTYPES = {"float32": "float32", "float16": "float16", "bfloat16": "bfloat16"}


def pick_device(device: str = "auto") -> str:
    """``auto`` → cuda if present, else mps, else cpu; an explicit device must exist."""
    import torch

    if device == "auto":
        if torch.cuda.is_available():
            return "cuda"
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return "mps"
        return "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise InputError("--device cuda was asked for but no CUDA GPU is visible to torch")
    if device == "mps" and not torch.backends.mps.is_available():
        raise InputError("--device mps was asked for but MPS is not available")
    if device not in ("cpu", "mps") and not device.startswith("cuda"):
        raise InputError(f"unknown device {device!r}; use auto, cpu, cuda or mps")
    return device


def pick_dtype(compute_type: str, device: str) -> str:
    """float32 on CPU; on GPU bf16 where supported, else fp16 (``auto``)."""
    import torch

    if compute_type == "auto":
        if device.startswith("cuda"):
            return "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
        return "float32"
    if compute_type not in _DTYPES:
        raise InputError(
            f"compute type {compute_type!r} is not for the transformers backend; use "
            f"float32, float16 or bfloat16 (int8 is the ctranslate2 backend's)"
        )
    if compute_type != "float32" and device == "cpu":
        raise InputError(f"{compute_type} needs a GPU; on CPU use float32 or the ctranslate2 backend with int8")
    return compute_type


class TransformersTranslator:
    """A seq2seq translation model run with transformers' `generate`."""

    def __init__(
        self,
        source: ModelSource,
        *,
        device: str = "auto",
        compute_type: str = "auto",
        target_prefixes: dict[str, str] | None = None,
    ) -> None:
        try:
            import torch
            from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        except ImportError as err:  # the `hf` extra is not installed
            raise missing_extra(err.name or "transformers", "hf") from None

        self._torch = torch
        self.device = pick_device(device)
        dtype = pick_dtype(compute_type, self.device)
        kwargs = dict(revision=source.revision, local_files_only=source.local_files_only)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(source.location, **kwargs)
            self.model = AutoModelForSeq2SeqLM.from_pretrained(
                source.location, dtype=getattr(torch, dtype), **kwargs
            )
        except OSError as err:
            if source.is_local_folder:
                raise InputError(f"{source.name} could not be loaded as a translation model: {err}") from None
            raise not_found(source.name, revision=source.revision, cause=err) from None
        except ValueError as err:
            raise InputError(f"{source.name} is not a supported translation model: {str(err).splitlines()[0]}") from None
        self.model.to(self.device).eval()
        self.family = detect_family(self.model.config.model_type, type(self.tokenizer).__name__)
        if self.family not in ("marian", "m2m100", "nllb"):
            raise InputError(f"{source.name} is a {self.family} model; supported: Marian, M2M100, NLLB")
        revision = getattr(self.model.config, "_commit_hash", None) or source.revision
        self.info = ModelInfo(
            model=source.name, revision=revision, backend="transformers", device=self.device,
            compute_type=dtype, family=self.family,
        )
        self._target_prefixes = target_prefixes or {}
        self._marian_targets = marian_target_tokens(self.tokenizer.get_vocab()) if self.family == "marian" else []
        # The most source tokens one sentence may have: the model's positions, and the truncation
        # length below; longer sentences are split before they get here (translate/long_input.py).
        limits = [getattr(self.model.config, "max_position_embeddings", None), self.tokenizer.model_max_length, 512]
        self.max_source_tokens = min(n for n in limits if isinstance(n, int) and 0 < n < 1_000_000)
        # Language tokens are not always flagged special after save/load; strip them ourselves.
        self._strip_ids = set(self.tokenizer.all_special_ids)
        self._strip_ids.update(getattr(self.tokenizer, "lang_token_to_id", {}).values())

    def count_tokens(self, sentences: list[str]) -> list[int]:
        """Source tokens per sentence, special tokens included (as `translate_batch` encodes them)."""
        return [len(ids) for ids in self.tokenizer(sentences, add_special_tokens=True)["input_ids"]]

    def translate_batch(
        self, sentences: list[str], *, src_lang: str, tgt_lang: str, options: DecodingOptions
    ) -> list[Hypothesis]:
        """Translate one batch; scores are mean log-probabilities per generated token."""
        if not sentences:
            return []
        torch = self._torch
        inputs, forced = self._prepare(sentences, src_lang, tgt_lang)
        encoded = self.tokenizer(inputs, return_tensors="pt", padding=True, truncation=True, max_length=512)
        encoded = {k: v.to(self.device) for k, v in encoded.items()}
        gen_kwargs = dict(
            num_beams=options.beam_size, max_new_tokens=options.max_length, max_length=None,
            length_penalty=options.length_penalty, return_dict_in_generate=True, output_scores=True,
            early_stopping=True if options.beam_size > 1 else False,
        )
        if forced is not None:
            gen_kwargs["forced_bos_token_id"] = forced
        with torch.inference_mode():
            out = self.model.generate(**encoded, **gen_kwargs)
        scores = self._scores(out, options)
        texts = []
        for row in out.sequences.tolist():
            ids = [i for i in row if i not in self._strip_ids]
            texts.append(self.tokenizer.decode(ids, skip_special_tokens=True).strip())
        return [Hypothesis(text, score) for text, score in zip(texts, scores)]

    def _prepare(self, sentences: list[str], src_lang: str, tgt_lang: str) -> tuple[list[str], int | None]:
        from mt_toolkit.languages import get_language

        src, tgt = get_language(src_lang), get_language(tgt_lang)
        if self.family == "marian":
            prefix = marian_prefix(
                tgt.code, self._marian_targets, override=self._target_prefixes.get(tgt.code), model=self.info.model
            )
            return ([f"{prefix} {s}" for s in sentences] if prefix else list(sentences)), None
        if self.family == "m2m100":
            src_code, tgt_code = src.m2m100, tgt.m2m100
        else:
            src_code, tgt_code = src.nllb, tgt.nllb
        try:
            self.tokenizer.src_lang = src_code
            forced = (
                self.tokenizer.get_lang_id(tgt_code) if self.family == "m2m100"
                else self.tokenizer.convert_tokens_to_ids(tgt_code)
            )
        except (KeyError, ValueError):
            forced = None
        if forced is None or forced == self.tokenizer.unk_token_id:
            raise MtToolkitError(f"model {self.info.model} does not know language {src_code} or {tgt_code}")
        return list(sentences), forced

    def _scores(self, out, options: DecodingOptions) -> list[float | None]:
        if getattr(out, "sequences_scores", None) is not None:
            return [float(s) for s in out.sequences_scores]
        transition = self.model.compute_transition_scores(out.sequences, out.scores, normalize_logits=True)
        result = []
        for row in transition:
            finite = row[self._torch.isfinite(row)]
            finite = finite[finite != 0] if finite.numel() else finite
            result.append(float(finite.mean()) if finite.numel() else None)
        return result
