"""A deterministic fake backend for pipeline tests: its output shows what it was asked to do."""

from __future__ import annotations

from mt_toolkit.translate.base import DecodingOptions, Hypothesis, ModelInfo


class EchoTranslator:
    """Translates ``s`` to ``"<tgt>:<s>"`` and records every batch it receives."""

    def __init__(self, name: str = "echo") -> None:
        self.info = ModelInfo(model=name, revision="r1", backend="fake", device="cpu", compute_type="float32", family="fake")
        self.batches: list[list[str]] = []

    def translate_batch(self, sentences, *, src_lang, tgt_lang, options: DecodingOptions):
        self.batches.append(list(sentences))
        return [Hypothesis(f"{tgt_lang}:{s}", -0.5) for s in sentences]
