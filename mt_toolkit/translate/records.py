"""Plain-dict views of translation records: the one home of the hop schema in every output.

`translate --format jsonl`, corpus jobs (JSONL), the trace JSON and the evaluation JSON all write
hops through `hop_record`, so a script reading one output reads the others with the same keys.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from mt_toolkit.translate.base import Hop, Translation

__all__ = ["hop_record", "translation_record"]


def hop_record(hop: Hop | Any) -> dict[str, Any]:
    """One hop as written in JSON: every field of its record, under the field's own name.

    Takes a `Hop` (one sentence's step: languages, source, text, model, revision, backend,
    compute type, beam size, score) or another hop record built on the same names (the
    evaluation's per-system `HopRun`).
    """
    if not dataclasses.is_dataclass(hop) or isinstance(hop, type):
        raise TypeError(f"hop_record takes a hop record, not {type(hop).__name__}")
    return {f.name: getattr(hop, f.name) for f in dataclasses.fields(hop)}


def translation_record(translation: Translation) -> dict[str, Any]:
    """A sentence's translation with all its hops, as written in JSONL."""
    return {
        "source": translation.source,
        "translation": translation.text,
        "src_lang": translation.src_lang,
        "tgt_lang": translation.tgt_lang,
        "hops": [hop_record(hop) for hop in translation.hops],
    }
