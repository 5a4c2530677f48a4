"""Every trace the workbench ran, kept in SQLite in the user's data folder.

A record holds the inputs as given (texts, labels, languages) and the result as it was shown:
the report fragment, the standalone HTML file, the JSON and the Markdown, rendered once when
the trace finished. Reopening a trace shows exactly what was seen then, and downloads are the
same bytes every time, even after the toolkit's report changes.

Connections are opened per call (SQLite's own locking, WAL mode), so the request threads and
the trace workers never share one.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mt_toolkit.paths import data_dir

__all__ = ["HistoryRecord", "HistoryStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS traces (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    title TEXT NOT NULL,
    likely_source TEXT,
    sentences INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    inputs TEXT NOT NULL,
    body_html TEXT NOT NULL,
    html TEXT NOT NULL,
    json TEXT NOT NULL,
    markdown TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS traces_created ON traces (created);
"""


@dataclass(frozen=True)
class HistoryRecord:
    """One stored trace; the rendered outputs are loaded only when asked for."""

    id: str
    created: float
    title: str
    likely_source: str | None
    sentences: int
    changed: int
    inputs: dict


class HistoryStore:
    """The traces database (``history.sqlite3`` in the data folder, created on first use)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / "history.sqlite3"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one call: committed on success, rolled back on error, always closed."""
        conn = sqlite3.connect(self.path, timeout=30)
        conn.row_factory = sqlite3.Row
        try:
            with conn:
                yield conn
        finally:
            conn.close()

    def add(self, *, title: str, likely_source: str | None, sentences: int, changed: int, inputs: dict,
            body_html: str, html: str, json_text: str, markdown: str) -> str:
        """Store a finished trace; returns its id."""
        trace_id = uuid.uuid4().hex[:16]
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO traces VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (trace_id, time.time(), title, likely_source, sentences, changed,
                 json.dumps(inputs, ensure_ascii=False), body_html, html, json_text, markdown),
            )
        return trace_id

    def list(self, *, limit: int = 200) -> list[HistoryRecord]:
        """The latest traces, newest first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, created, title, likely_source, sentences, changed, inputs FROM traces "
                "ORDER BY created DESC LIMIT ?", (limit,)
            ).fetchall()
        return [self._record(r) for r in rows]

    def get(self, trace_id: str) -> HistoryRecord | None:
        """One trace's record, or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, created, title, likely_source, sentences, changed, inputs FROM traces WHERE id = ?",
                (trace_id,),
            ).fetchone()
        return self._record(row) if row else None

    def output(self, trace_id: str, kind: str) -> str | None:
        """A stored rendering: ``body_html``, ``html``, ``json`` or ``markdown``."""
        if kind not in ("body_html", "html", "json", "markdown"):
            raise ValueError(kind)
        with self._connect() as conn:
            row = conn.execute(f"SELECT {kind} FROM traces WHERE id = ?", (trace_id,)).fetchone()
        return row[0] if row else None

    def delete(self, trace_id: str) -> bool:
        """Remove a trace; False when there was none."""
        with self._connect() as conn:
            return conn.execute("DELETE FROM traces WHERE id = ?", (trace_id,)).rowcount > 0

    @staticmethod
    def _record(row: sqlite3.Row) -> HistoryRecord:
        return HistoryRecord(row["id"], row["created"], row["title"], row["likely_source"],
                             row["sentences"], row["changed"], json.loads(row["inputs"]))
