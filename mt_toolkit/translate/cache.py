"""A translation cache in SQLite, so re-running an evaluation or a corpus job re-translates nothing.

A cached translation is only reusable when everything that shapes the output is the same: the
model and its revision, the backend and compute type, the decoding options and the language pair.
`cache_key` folds those into one string; the cache maps (key, source sentence) to a `Hypothesis`.

The database is in WAL mode and every `put_many` is its own transaction, so a run killed halfway
keeps every batch it finished, and a second process can read while the first writes. Several
processes may write at once (parallel evaluations, Ray actors on one machine): each write takes the
write lock up front (``BEGIN IMMEDIATE``), waits for it up to `BUSY_TIMEOUT_S`, and a transaction
that still finds the database busy is retried from the start, so none is lost.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from mt_toolkit.errors import ConfigError
from mt_toolkit.paths import CACHE_DIR_ENV, cache_dir
from mt_toolkit.translate.base import DecodingOptions, Hypothesis, ModelInfo
from mt_toolkit.translate.loading import model_fingerprint

CACHE_FILE_NAME = "translations.sqlite3"

# How long one statement waits for another process's write lock (SQLite's default is 5 s, less
# than one large batch takes on a busy machine), and how long a write keeps retrying in all.
BUSY_TIMEOUT_S = 60.0
RETRY_FOR_S = 600.0

# SQLite's default limit on host parameters is 999 in older builds; stay well under it.
_QUERY_CHUNK = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    description TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS translations (
    key TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    score REAL,
    PRIMARY KEY (key, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS timings (
    key TEXT PRIMARY KEY,
    sentences INTEGER NOT NULL,
    seconds REAL NOT NULL
);
"""


def default_cache_path() -> Path:
    """Where the cache lives unless told otherwise: ``translations.sqlite3`` in `mt_toolkit.paths.cache_dir`.

    The environment is read on each call, never at import, so tests and users can redirect it.
    """
    return cache_dir() / CACHE_FILE_NAME


def cache_settings(
    info: ModelInfo, options: DecodingOptions, src_lang: str, tgt_lang: str
) -> dict[str, object]:
    """The settings that decide a translation's text, as a plain dict (what `cache_key` hashes).

    The device and the batch size are left out on purpose: they change speed, not the result
    (up to floating-point noise), and a user who moves from a laptop to a GPU should keep the cache.
    A local model folder has no revision, so its `model_fingerprint` stands in for one:
    retraining or re-converting a model in place must not reuse its old translations.
    """
    settings: dict[str, object] = {
        "model": info.model,
        "revision": info.revision,
        "backend": info.backend,
        "compute_type": info.compute_type,
        "beam_size": options.beam_size,
        "max_length": options.max_length,
        "length_penalty": options.length_penalty,
        "src_lang": src_lang,
        "tgt_lang": tgt_lang,
    }
    fingerprint = model_fingerprint(info.model)
    if fingerprint is not None:
        settings["files"] = fingerprint
    return settings


def cache_key(info: ModelInfo, options: DecodingOptions, src_lang: str, tgt_lang: str) -> str:
    """A stable key for everything that shapes a translation except the source sentence.

    Args:
        info: the model and how it runs (model, revision, backend, compute type).
        options: decoding options (beam size, maximum length, length penalty).
        src_lang: canonical source language code.
        tgt_lang: canonical target language code.

    Returns:
        A hex digest; equal settings always give the same key, in any process.
    """
    settings = cache_settings(info, options, src_lang, tgt_lang)
    canonical = json.dumps(settings, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class TranslationCache:
    """Translations already made, keyed by `cache_key` and source sentence.

    Use it as a context manager, or call `close` when done.

    Args:
        path: the SQLite file; None means `default_cache_path()`. Its folder is created.

    Raises:
        ConfigError: the file exists but is not a usable SQLite database.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:  # a read-only home, /proc, a file where the folder should be
            from mt_toolkit.textio import cannot_write

            raise ConfigError(f"translation cache: {cannot_write(self.path, err)}; use --no-cache or point {CACHE_DIR_ENV} elsewhere") from None
        try:
            # Autocommit mode: transactions are opened explicitly in `_write`.
            self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            _retry_busy(lambda: self._conn.execute("PRAGMA journal_mode=WAL"))
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._write(lambda conn: [conn.execute(stmt) for stmt in _SCHEMA.split(";") if stmt.strip()])
        except sqlite3.DatabaseError as err:
            raise ConfigError(
                f"translation cache {self.path} is not a usable SQLite database ({err}); "
                f"delete it or point {CACHE_DIR_ENV} elsewhere"
            ) from None

    def get_many(self, key: str, sources: Iterable[str]) -> dict[str, Hypothesis]:
        """The cached hypotheses for those of ``sources`` that were translated with ``key`` before.

        Args:
            key: from `cache_key`.
            sources: source sentences (duplicates are fine).

        Returns:
            {source: Hypothesis} for the hits only; misses are simply absent.
        """
        unique = list(dict.fromkeys(sources))
        found: dict[str, Hypothesis] = {}
        for start in range(0, len(unique), _QUERY_CHUNK):
            chunk = unique[start : start + _QUERY_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT source, text, score FROM translations WHERE key = ? AND source IN ({marks})",
                [key, *chunk],
            )
            for source, text, score in rows:
                found[source] = Hypothesis(text=text, score=score)
        return found

    def put_many(
        self,
        key: str,
        mapping: Mapping[str, Hypothesis],
        *,
        description: Mapping[str, object] | None = None,
    ) -> None:
        """Store translations made with ``key`` and commit at once (one transaction per call).

        Args:
            key: from `cache_key`.
            mapping: {source: Hypothesis}; an existing entry for the same source is replaced.
            description: optional `cache_settings` dict kept beside the key, so a person reading
                the database can tell which model and options a key stands for.
        """
        rows = [(key, source, hyp.text, hyp.score) for source, hyp in mapping.items()]

        def write(conn: sqlite3.Connection) -> None:
            if description is not None:
                conn.execute(
                    "INSERT OR REPLACE INTO settings (key, description) VALUES (?, ?)",
                    (key, json.dumps(dict(description), sort_keys=True, ensure_ascii=False)),
                )
            conn.executemany(
                "INSERT OR REPLACE INTO translations (key, source, text, score) VALUES (?, ?, ?, ?)", rows
            )

        self._write(write)

    def add_timing(self, key: str, sentences: int, seconds: float) -> None:
        """Add to the time spent translating ``sentences`` sentences with ``key``'s settings.

        An evaluation whose translations all come from the cache still reports the speed
        measured when they were made.
        """
        self._write(lambda conn: conn.execute(
            "INSERT INTO timings (key, sentences, seconds) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET sentences = sentences + excluded.sentences, "
            "seconds = seconds + excluded.seconds",
            (key, int(sentences), float(seconds)),
        ))

    def _write(self, work: Callable[[sqlite3.Connection], object]) -> None:
        """Run ``work`` in one write transaction, taking the lock first and retrying while busy."""

        def attempt() -> None:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                work(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

        _retry_busy(attempt)

    def timing(self, key: str) -> tuple[int, float] | None:
        """(sentences, seconds) translated so far with ``key``'s settings, or None if never timed."""
        row = self._conn.execute("SELECT sentences, seconds FROM timings WHERE key = ?", (key,)).fetchone()
        return None if row is None or row[0] == 0 else (int(row[0]), float(row[1]))

    def count(self, key: str | None = None) -> int:
        """How many translations are stored (for ``key`` only, when given)."""
        if key is None:
            row = self._conn.execute("SELECT COUNT(*) FROM translations").fetchone()
        else:
            row = self._conn.execute(
                "SELECT COUNT(*) FROM translations WHERE key = ?", (key,)
            ).fetchone()
        return int(row[0])

    def close(self) -> None:
        """Close the database connection (pending work is already committed)."""
        self._conn.close()

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _retry_busy(action: Callable[[], object]) -> object:
    """Run ``action``, retrying with jittered back-off while SQLite says the database is busy."""
    deadline = time.monotonic() + RETRY_FOR_S
    delay = 0.05
    while True:
        try:
            return action()
        except sqlite3.OperationalError as err:
            busy = "locked" in str(err) or "busy" in str(err)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 2.0)
