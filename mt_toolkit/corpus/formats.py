"""Which corpus formats exist and how a file's name says which one it is."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import Any

from mt_toolkit.errors import InputError, MtToolkitWarning

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
            f"name it .txt, .jsonl, .csv or .tsv"
        )
    return FORMATS[suffix]


def corpus_files(folder: str | Path) -> list[Path]:
    """Every corpus file under ``folder`` (recursively, sorted), skipping hidden and job files.

    Files with other suffixes (``.md``, ``.pdf`` ...) are left out with an `MtToolkitWarning`
    that counts them, so a folder translated "completely" says what it did not translate.

    Raises:
        InputError: the folder holds no file with a known suffix.
    """
    folder = Path(folder)
    visible = [
        p for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    files = sorted(p for p in visible if p.suffix.lower() in FORMATS)
    skipped = sorted(p for p in visible if p.suffix.lower() not in FORMATS and not _is_job_file(p))
    if not files:
        raise InputError(f"{folder} holds no .txt, .jsonl, .csv or .tsv files")
    if skipped:
        suffixes = sorted({p.suffix.lower() or "(no suffix)" for p in skipped})
        warnings.warn(
            f"{folder}: skipped {len(skipped)} file(s) that are not .txt, .jsonl, .csv or .tsv "
            f"({', '.join(suffixes[:5])}{' ...' if len(suffixes) > 5 else ''}), e.g. {skipped[0]}",
            MtToolkitWarning, stacklevel=2,
        )
    return files


def _is_job_file(path: Path) -> bool:
    """A corpus job's own bookkeeping (OUT.partial, OUT.checkpoint, OUT.lock), never an input."""
    return path.suffix in (".partial", ".checkpoint", ".lock") and path.with_suffix("").suffix.lower() in FORMATS


def table_dialect(fmt: str) -> dict[str, Any]:
    """csv module options for CSV, and for TSV as most tools write it: no quoting at all, since
    tabs and newlines never occur inside a TSV field."""
    return {"delimiter": "\t", "quoting": csv.QUOTE_NONE} if fmt == "tsv" else {"delimiter": ","}
