"""Streaming corpus readers that know where each record ends.

A million-line corpus is never held in memory: records are read one at a time from a binary
handle, decoded line by line with the same checks as `mt_toolkit.textio` (UTF-8, no binary data),
and each carries ``end_offset``, the input byte offset just after it. A resumed job seeks straight
to the offset its checkpoint recorded instead of parsing the records it already wrote.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from mt_toolkit.corpus.formats import table_dialect
from mt_toolkit.errors import InputError
from mt_toolkit.textio import decode_text

DEFAULT_FIELD = "text"


@dataclass(frozen=True)
class Record:
    """One input record: the text to translate and everything else it carries."""

    index: int  # 0-based record number in its file
    text: str
    fields: dict[str, Any] | None  # the JSON object or CSV row; None for txt lines
    end_offset: int  # input byte offset just after this record


class _Lines:
    """Decoded lines of a binary handle, remembering the byte offset after the last one read."""

    def __init__(self, handle: IO[bytes], *, name: str, offset: int, line_no: int) -> None:
        self._handle = handle
        self._name = name
        self.offset = offset
        self.line_no = line_no

    def __iter__(self) -> Iterator[str]:
        for raw in self._handle:
            self.offset += len(raw)
            self.line_no += 1
            text = decode_text(raw, name=f"{self._name} line {self.line_no}") if raw else ""
            yield text


def count_lines(path: str | Path) -> int:
    """Lines in a file (a last line without newline counts), read in blocks: a cheap progress total."""
    n, last = 0, b"\n"
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            n += block.count(b"\n")
            last = block[-1:]
    return n + (last != b"\n")


def read_records(
    path: str | Path,
    *,
    fmt: str,
    field: str | None = None,
    start_offset: int = 0,
    start_index: int = 0,
    limit: int | None = None,
) -> Iterator[Record]:
    """Stream the records of a corpus file.

    Args:
        path: the file.
        fmt: "txt" (each line a record), "jsonl" (each non-blank line an object), "csv" or "tsv"
            (a header row, then one record per row; CSV fields may span lines).
        field: the JSON key or CSV column to translate (default ``text``); ignored for txt.
        start_offset: byte offset to start at (a record boundary a previous read reported).
        start_index: the record number of the record at ``start_offset``.
        limit: stop after this many records.

    Raises:
        InputError: a missing or empty file, bad UTF-8, malformed JSON, a missing field or column.
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InputError(f"{name}: no such file" if not path.exists() else f"{name} is not a regular file")
    if start_offset == 0 and path.stat().st_size == 0:
        raise InputError(f"{name} is empty")
    field = field or DEFAULT_FIELD
    with open(path, "rb") as handle:
        if fmt in ("csv", "tsv"):
            yield from _read_table(handle, name=name, fmt=fmt, field=field, start_offset=start_offset,
                                   start_index=start_index, limit=limit)
            return
        handle.seek(start_offset)
        lines = _Lines(handle, name=name, offset=start_offset, line_no=0)
        index = start_index
        for line in lines:
            if limit is not None and index - start_index >= limit:
                return
            text = line[:-1] if line.endswith("\n") else line
            if fmt == "txt":
                yield Record(index, text, None, lines.offset)
            elif fmt == "jsonl":
                if not text.strip():
                    continue  # blank lines are not records
                fields = _parse_json(text, name=name, index=index)
                yield Record(index, _field_text(fields, field, name=name, index=index), fields, lines.offset)
            else:
                raise InputError(f"unknown corpus format {fmt!r}")
            index += 1


def _parse_json(text: str, *, name: str, index: int) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{name} record {index + 1} is not valid JSON ({err.msg})") from None
    if not isinstance(value, dict):
        raise InputError(f"{name} record {index + 1} is a JSON {type(value).__name__}, expected an object")
    return value


def _field_text(fields: dict[str, Any], field: str, *, name: str, index: int) -> str:
    if field not in fields:
        raise InputError(
            f"{name} record {index + 1} has no field {field!r} (it has: {', '.join(map(str, fields)) or 'none'}); "
            f"choose the field to translate with --field"
        )
    value = fields[field]
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{name} record {index + 1}: field {field!r} is a {type(value).__name__}, expected text")
    return value


def read_header(path: str | Path, *, fmt: str) -> tuple[list[str], int]:
    """The column names of a CSV/TSV file and the byte offset where its first row starts."""
    with open(path, "rb") as handle:
        lines = _Lines(handle, name=str(path), offset=0, line_no=0)
        reader = csv.reader(lines, **table_dialect(fmt))
        header = next(reader, None)
        if not header:
            raise InputError(f"{path} is empty; a {fmt.upper()} corpus needs a header row")
        return header, lines.offset


def _read_table(handle: IO[bytes], *, name: str, fmt: str, field: str, start_offset: int, start_index: int,
                limit: int | None) -> Iterator[Record]:
    header, body_offset = read_header(name, fmt=fmt)
    if field not in header:
        raise InputError(f"{name} has no column {field!r} (columns: {', '.join(header)}); choose one with --field")
    handle.seek(max(start_offset, body_offset))
    lines = _Lines(handle, name=name, offset=max(start_offset, body_offset), line_no=0)
    # csv.reader pulls exactly the lines of one row before yielding it, so `lines.offset` is the
    # end of the row just read.
    reader = csv.reader(lines, **table_dialect(fmt))
    index = start_index
    try:
        for row in reader:
            if limit is not None and index - start_index >= limit:
                return
            if not row:
                continue
            if len(row) != len(header):
                raise InputError(f"{name} row {index + 1} has {len(row)} fields but the header has {len(header)}")
            fields = dict(zip(header, row))
            yield Record(index, fields[field], fields, lines.offset)
            index += 1
    except csv.Error as err:
        raise InputError(f"{name} row {index + 1}: {err}") from None
