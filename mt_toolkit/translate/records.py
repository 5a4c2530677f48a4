"""Plain-dict views of translation records for JSONL output (one obvious place for the schema)."""

from __future__ import annotations

from dataclasses import asdict

from mt_toolkit.translate.base import Translation


def translation_record(translation: Translation) -> dict:
    """A sentence's translation with all its hops, as written in JSONL."""
    return {
        "source": translation.source,
        "translation": translation.text,
        "src_lang": translation.src_lang,
        "tgt_lang": translation.tgt_lang,
        "hops": [asdict(hop) for hop in translation.hops],
    }
