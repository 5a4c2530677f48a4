"""Writing translated records: the input record, untouched, plus its translation.

- txt: the translation, one line per input line.
- JSONL: the input object plus ``<field>_<tgt>`` (the translation) and ``<field>_<tgt>_hops``
  (each hop of the route: languages, text, model, revision, backend, compute type, beam, score).
- CSV/TSV: the input columns plus a ``<field>_<tgt>`` column.
"""

from __future__ import annotations

import csv
import io
import json

from mt_toolkit.corpus.formats import table_dialect
from mt_toolkit.corpus.readers import DEFAULT_FIELD, Record
from mt_toolkit.translate.base import Hop
from mt_toolkit.translate.records import hop_record


def translation_field(field: str | None, tgt_lang: str) -> str:
    """The name of the new field or column: ``text_en`` for field ``text`` into English."""
    return f"{field or DEFAULT_FIELD}_{tgt_lang}"


def _table_line(values: list[str], fmt: str) -> str:
    buffer = io.StringIO()
    if fmt == "tsv":
        values = [v.replace("\t", " ").replace("\n", " ") for v in values]
    options = table_dialect(fmt) | ({"escapechar": "\\"} if fmt == "tsv" else {})
    csv.writer(buffer, lineterminator="\n", **options).writerow(values)
    return buffer.getvalue()


def header_line(columns: list[str], *, fmt: str, field: str | None, tgt_lang: str) -> str:
    """The header row of a CSV/TSV output: the input columns plus the translation column."""
    return _table_line([*columns, translation_field(field, tgt_lang)], fmt)


def render_record(record: Record, text: str, hops: tuple[Hop, ...], *, fmt: str, field: str | None, tgt_lang: str) -> str:
    """One output record, newline included."""
    name = translation_field(field, tgt_lang)
    if fmt == "txt":
        return text.replace("\n", " ") + "\n"
    if fmt == "jsonl":
        out = dict(record.fields or {})
        out[name] = text
        out[f"{name}_hops"] = [hop_record(hop) for hop in hops]
        return json.dumps(out, ensure_ascii=False) + "\n"
    return _table_line([*(record.fields or {}).values(), text], fmt)
