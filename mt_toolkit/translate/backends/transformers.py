"""The transformers backend: MarianMT (OPUS-MT), M2M100 and NLLB through `generate`.

It loads models with `from_pretrained` exactly as users load downloaded models, so the tiny
random-weight test models exercise the same path as real ones.

Speed on CPU (profiled with cProfile on an OPUS-MT-sized Marian, beam 4): most of the time is
transformers' own and left to it: float32 matrix products (about half), reordering the whole
key/value cache, cross-attention included, by beam at every step (``index_select``), growing the
cache by concatenation, and layer norms on one-token rows. What is ours is done here: inference
mode, SDPA attention, right padding and length-sorted batches (`mt_toolkit.translate.batching`),
the key/value cache, several batches decoded side by side on one thread each (as for CTranslate2,
see `mt_toolkit.translate.threads`), and beam scores kept without ``output_scores``, which copies
the log-probabilities of the whole vocabulary at every step (with a 60k vocabulary, batch 32 and
beam 4: 30 MB a step, 1.5 GB for 48 tokens).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from mt_toolkit.errors import InputError, MtToolkitError, missing_extra
from mt_toolkit.translate.base import DecodingOptions, Hypothesis, ModelInfo
from mt_toolkit.translate.families import detect_family, marian_prefix, marian_target_tokens
from mt_toolkit.translate.loading import ModelSource, not_found
from mt_toolkit.translate.registry import FAMILIES

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
        threads: int | None = None,
        inter_threads: int | None = None,
        sentences: int | None = None,
        batch_size: int = 32,
    ) -> None:
        """Load ``source``; threads as for `mt_toolkit.translate.engine.load_translator`.

        Torch's thread count is per process: while this translator decodes several batches at
        once, or was given ``threads``, it sets ``torch.set_num_threads`` to its threads per batch
        and restores the caller's count afterwards.
        """
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
        from mt_toolkit.translate.threads import available_cores, thread_layout

        self.layout = thread_layout(available_cores(), sentences=sentences, batch_size=batch_size, threads=threads,
                                    inter_threads=inter_threads, device=self.device)
        self._torch_threads = self.layout.intra if self.device == "cpu" and (threads or self.layout.inter > 1) else None
        self.family = detect_family(self.model.config.model_type, type(self.tokenizer).__name__)
        if self.family not in FAMILIES:
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
        encoded, forced = self._encode(sentences, src_lang, tgt_lang)
        with self._threads():
            generated = self._generate(encoded, forced, options)
        return self._decode(generated, options)

    def translate_batches(
        self, batches: Iterable[list[str]], *, src_lang: str, tgt_lang: str, options: DecodingOptions
    ) -> Iterator[list[Hypothesis]]:
        """Translate a stream of batches, yielding each batch's hypotheses in input order.

        With ``layout.inter`` > 1, that many batches are generated at once in worker threads
        (torch releases the GIL in its kernels); tokenising and decoding stay in this thread,
        since tokenizers are not safe to share between threads.
        """
        if self.layout.inter <= 1:
            for batch in batches:
                yield self.translate_batch(batch, src_lang=src_lang, tgt_lang=tgt_lang, options=options)
            return
        from concurrent.futures import ThreadPoolExecutor

        with self._threads(), ThreadPoolExecutor(self.layout.inter, thread_name_prefix="mt-toolkit-generate") as pool:
            pending: deque = deque()
            for batch in batches:
                if batch:
                    encoded, forced = self._encode(batch, src_lang, tgt_lang)
                    pending.append(pool.submit(self._generate, encoded, forced, options))
                else:
                    pending.append(None)
                while len(pending) > 2 * self.layout.inter:
                    done = pending.popleft()
                    yield self._decode(done.result(), options) if done is not None else []
            while pending:
                done = pending.popleft()
                yield self._decode(done.result(), options) if done is not None else []

    @contextmanager
    def _threads(self) -> Iterator[None]:
        """Torch's threads set to this translator's threads per batch for a while, then restored."""
        torch, wanted = self._torch, self._torch_threads
        previous = torch.get_num_threads()
        if wanted is None or wanted == previous:
            yield
            return
        torch.set_num_threads(wanted)  # threads started from now on (the workers) take this count
        try:
            yield
        finally:
            torch.set_num_threads(previous)

    def _encode(self, sentences: list[str], src_lang: str, tgt_lang: str) -> tuple[dict, int | None]:
        inputs, forced = self._prepare(sentences, src_lang, tgt_lang)
        encoded = self.tokenizer(inputs, return_tensors="pt", padding=True, truncation=True, max_length=512)
        return {k: v.to(self.device) for k, v in encoded.items()}, forced

    def _generate(self, encoded: dict, forced: int | None, options: DecodingOptions):
        """Run `generate`; returns the output and, for beam search, the recorder of beam scores."""
        beam = options.beam_size > 1
        recorder = _BeamScoreRecorder(options.beam_size) if beam else None
        gen_kwargs = dict(
            num_beams=options.beam_size, max_new_tokens=options.max_length, max_length=None,
            length_penalty=options.length_penalty, return_dict_in_generate=True,
            # greedy: per-step scores of batch x vocabulary are affordable; beam search: see recorder
            output_scores=not beam, early_stopping=True if beam else False,
        )
        if recorder is not None:
            from transformers import LogitsProcessorList

            gen_kwargs["logits_processor"] = LogitsProcessorList([recorder])
        if forced is not None:
            gen_kwargs["forced_bos_token_id"] = forced
        with self._torch.inference_mode():
            return self.model.generate(**encoded, **gen_kwargs), recorder

    def _decode(self, generated, options: DecodingOptions) -> list[Hypothesis]:
        out, recorder = generated
        scores = recorder.scores(out) if recorder is not None else self._scores(out, options)
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


class _BeamScoreRecorder:
    """A logits processor that keeps, per step and beam, only the few log-probabilities beam
    search can pick from, so the chosen hypotheses' scores can be read back afterwards without
    ``output_scores`` (which copies the whole vocabulary's log-probabilities at every step).

    Beam search keeps the best ``2 x beams`` continuations over all beams; within one beam the
    running score is the same for every token, so a token it keeps is among that beam's
    ``2 x beams`` most probable. Run last among the processors, it sees the final log-probs.
    """

    def __init__(self, num_beams: int) -> None:
        self.k = 2 * num_beams
        self.steps: list[tuple] = []  # per step: (top values, top token ids), each (batch*beams, k)

    def __call__(self, input_ids, scores):
        import torch

        values, ids = torch.topk(scores, min(self.k, scores.shape[-1]), dim=-1)
        self.steps.append((values, ids))
        return scores

    def scores(self, out) -> list[float | None]:
        """Mean log-probability per generated token of each returned sequence."""
        beam_indices = getattr(out, "beam_indices", None)
        if beam_indices is None:
            return [None] * len(out.sequences)
        generated = out.sequences[:, out.sequences.shape[1] - beam_indices.shape[1]:].tolist()
        result: list[float | None] = []
        for row, tokens in zip(beam_indices.tolist(), generated):
            total, n = 0.0, 0
            for step, (beam, token) in enumerate(zip(row, tokens)):
                if beam < 0 or step >= len(self.steps):
                    break
                values, ids = self.steps[step]
                hits = (ids[beam] == token).nonzero()
                if not len(hits):  # cannot happen for a token beam search kept
                    return [None] * len(out.sequences)
                total += float(values[beam, int(hits[0])])
                n += 1
            result.append(total / n if n else None)
        return result
