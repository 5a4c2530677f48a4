"""What each model family needs to be told about languages.

* Marian (OPUS-MT): one pair per model; multi-target models expect a ``>>ind<<`` token first.
* M2M100: ``tokenizer.src_lang = "id"`` and the target forced as first token (``__en__``).
* NLLB: like M2M100 with FLORES-200 codes (``ind_Latn``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mt_toolkit.errors import MtToolkitError
from mt_toolkit.languages import get_language

_PREFIX = re.compile(r"^>>[\w-]+<<$")


def detect_family(config_model_type: str, tokenizer_class: str) -> str:
    """The family from the model's config and tokenizer class names."""
    if "nllb" in tokenizer_class.lower():
        return "nllb"
    if config_model_type == "marian":
        return "marian"
    if config_model_type in ("m2m_100", "m2m100"):
        return "m2m100"
    return config_model_type


def marian_target_tokens(vocab: Iterable[str]) -> list[str]:
    """The ``>>xxx<<`` target-language tokens of a multi-target OPUS-MT model (empty if single-target)."""
    return sorted(token for token in vocab if _PREFIX.match(token))


def marian_prefix(tgt_lang: str, available: list[str], *, override: str | None = None, model: str) -> str | None:
    """The target token to prepend for a multi-target Marian model, or None for a single-target one.

    Raises:
        MtToolkitError: the model is multi-target but has no token for ``tgt_lang``.
    """
    if not available:
        return None
    if override:
        return override
    lang = get_language(tgt_lang)
    script = lang.nllb.split("_")[1]
    candidates = [f">>{lang.iso639_3}<<", f">>{lang.nllb}<<", f">>{lang.code}<<"]
    if lang.base == "zh":  # zh and zh-Hant: OPUS-MT names Mandarin by script (cmn_Hans, cmn_Hant)
        candidates = [f">>cmn_{script}<<", f">>zho_{script}<<", ">>cmn<<", *candidates]
    for token in candidates:
        if token in available:
            return token
    raise MtToolkitError(
        f"model {model} has no target token for {lang.code}; it knows {', '.join(available[:20])}"
    )
