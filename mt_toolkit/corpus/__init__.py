"""Corpus files: one record per line (txt), per object (JSONL) or per row (CSV/TSV).

Readers stream records with the byte offset where each one ends, so a job can commit its output
chunk by chunk and resume from the last committed offset; writers add the translation (and, in
JSONL, its hops) to each record and keep every other field as it was.

    from mt_toolkit.corpus import detect_format, read_records, render_record
"""

from mt_toolkit.corpus.formats import FORMATS, corpus_files, detect_format
from mt_toolkit.corpus.readers import Record, count_lines, read_records
from mt_toolkit.corpus.writers import header_line, render_record, translation_field

__all__ = [
    "FORMATS", "Record", "corpus_files", "count_lines", "detect_format", "header_line",
    "read_records", "render_record", "translation_field",
]
