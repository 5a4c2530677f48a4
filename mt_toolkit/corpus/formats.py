"""Which corpus formats exist and how a file's name says which one it is."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from mt_toolkit.errors import InputError

# suffix -> format; the output of a job has the format of its input
FORMATS = {".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}


def detect_format(path: str | Path, *, fmt: str | None = None) -> str:
    """The corpus format of ``path``, from ``fmt`` when given, else from its suffix.

    Raises:
        InputError: an unknown format name or suffix.
    """
    if fmt is not None:
        if fmt not in set(FORMATS.values()):
            raise InputError(f"unknown corpus format {fmt!r}; choose one of txt, jsonl, csv, tsv")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f"{path}: cannot tell the corpus format from the suffix {suffix or '(none)'!r}; "
            f"name it .txt, .jsonl, .csv or .tsv, or pass --format"
        )
    return FORMATS[suffix]


def corpus_files(folder: str | Path) -> list[Path]:
    """Every corpus file under ``folder`` (recursively, sorted), skipping hidden and job files.

    Raises:
        InputError: the folder holds no file with a known suffix.
    """
    folder = Path(folder)
    files = sorted(
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in FORMATS
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    if not files:
        raise InputError(f"{folder} holds no .txt, .jsonl, .csv or .tsv files")
    return files


def table_dialect(fmt: str) -> dict[str, Any]:
    """csv module options for CSV, and for TSV as most tools write it: no quoting at all, since
    tabs and newlines never occur inside a TSV field."""
    return {"delimiter": "\t", "quoting": csv.QUOTE_NONE} if fmt == "tsv" else {"delimiter": ","}
