"""The records that leave the translation stage and the interface every backend implements.

A `Translation` always carries its `Hop`s: for zh→en→id both hops' text, model, revision,
backend, compute type, beam size and score, so nobody has to guess how a sentence was made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class DecodingOptions:
    """How to decode; the defaults are those of OPUS-MT's own evaluations (beam 4)."""

    beam_size: int = 4
    max_length: int = 256  # generated tokens; random-weight models never stop early
    batch_size: int = 32  # sentences per batch
    # With a budget, batches are cut by padded source tokens (sentences x longest) instead of by
    # batch_size: long sentences go in small batches, short ones in large batches.
    max_batch_tokens: int | None = None
    length_penalty: float = 1.0


@dataclass(frozen=True)
class ModelInfo:
    """Which model made a translation, and how it was run."""

    model: str  # Hugging Face id or local folder, as the user named it
    revision: str | None  # commit hash when known, else the requested revision
    backend: str  # "transformers" | "ctranslate2" | "supplied" | ...
    device: str  # "cpu" | "cuda" | "mps"
    compute_type: str  # "float32" | "float16" | "bfloat16" | "int8" | ...
    family: str  # "marian" | "m2m100" | "nllb"


@dataclass(frozen=True)
class Hypothesis:
    """One backend output: text and its score (mean log-probability per token, when known)."""

    text: str
    score: float | None = None


@dataclass(frozen=True)
class Hop:
    """One translation step of a route (a direct translation has exactly one)."""

    src_lang: str
    tgt_lang: str
    source: str
    text: str
    model: str
    revision: str | None
    backend: str
    compute_type: str
    beam_size: int
    score: float | None = None


@dataclass(frozen=True)
class Translation:
    """A sentence and its translation, with every hop that produced it."""

    source: str
    text: str
    src_lang: str
    tgt_lang: str
    hops: tuple[Hop, ...] = field(default_factory=tuple)


@runtime_checkable
class Translator(Protocol):
    """What a backend must offer: translate a batch of sentences from one language into another."""

    info: ModelInfo

    def translate_batch(
        self, sentences: list[str], *, src_lang: str, tgt_lang: str, options: DecodingOptions
    ) -> list[Hypothesis]:
        """Translate ``sentences`` (one batch, any order) into ``tgt_lang``; same length out."""
        ...
