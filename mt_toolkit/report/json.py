"""The trace result as JSON for scripts: every record field, enums as their string values."""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from typing import Any

from mt_toolkit.trace import TraceResult
from mt_toolkit.translate.base import Translation
from mt_toolkit.translate.records import translation_record

__all__ = ["SCHEMA_VERSION", "render_json", "to_dict"]

#: Bumped when a field is renamed or removed (adding fields keeps the version).
#: 2: a text's ``translations`` are `translation_record`s (``translation``, not ``text``).
SCHEMA_VERSION = 2


def _plain(value: Any) -> Any:
    if isinstance(value, Translation):  # the engine's records, written as translate's JSONL writes them
        return translation_record(value)
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def to_dict(result: TraceResult) -> dict[str, Any]:
    """The result as plain JSON-ready data (dicts, lists, strings, numbers).

    Args:
        result: a finished trace.

    Returns:
        ``{"schema": 2, "likely_source": ..., "pivot": ..., "article": ..., "originals": [...],
        "sentences": [...], "ranking": [...], "maps": [...], "thresholds": {...},
        "signatures": [...]}``; each sentence has its ``verdict`` and ``best`` (the label of the
        most likely source, or null) and its ``matches``, best first, each with
        ``scores`` (metric, value, signature), ``flags`` (kind, detail, original, article),
        ``verdict`` and the word ``diff``, and its ``sources`` (by evidence of descent) with the
        ``evidence``; ``attribution`` holds the overall ``source``, ``confidence``, the
        ``candidates`` with the departures each shares with the article, the per-sentence
        sources with their ``path`` and ``changes``, and the derivation tree (``stemma``: root,
        edges parent → child with their evidence, ``asserted`` when given with --chain).
    """
    data: dict[str, Any] = {"schema": SCHEMA_VERSION, "likely_source": result.likely_source}
    data.update(_plain(result))
    for sentence, record in zip(result.sentences, data["sentences"]):
        # properties a script wants without re-deriving them from the matches
        record["verdict"] = sentence.verdict.value
        record["best"] = sentence.best.label if sentence.best else None
    return data


def render_json(result: TraceResult) -> str:
    """The result as indented JSON text (UTF-8, non-ASCII kept), ending with a newline."""
    return json.dumps(to_dict(result), ensure_ascii=False, indent=2) + "\n"
