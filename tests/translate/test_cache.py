"""The translation cache: hits survive reopening, keys separate settings, env var read when called."""

from __future__ import annotations

import sqlite3

import pytest

from mt_toolkit.errors import ConfigError
from mt_toolkit.translate.base import DecodingOptions, Hypothesis, ModelInfo
from mt_toolkit.translate.cache import TranslationCache, cache_key, default_cache_path

INFO = ModelInfo("Helsinki-NLP/opus-mt-id-en", "abc123", "transformers", "cpu", "float32", "marian")


def test_put_then_get_survives_reopening(tmp_path):
    key = cache_key(INFO, DecodingOptions(), "id", "en")
    path = tmp_path / "c.sqlite3"
    with TranslationCache(path) as cache:
        cache.put_many(key, {"Halo dunia.": Hypothesis("Hello world.", -0.25)})
    with TranslationCache(path) as cache:
        got = cache.get_many(key, ["Halo dunia.", "Belum ada.", "Halo dunia."])
    assert got == {"Halo dunia.": Hypothesis("Hello world.", -0.25)}


def test_keys_differ_for_every_setting_that_changes_output():
    base = cache_key(INFO, DecodingOptions(), "id", "en")
    variants = [
        cache_key(ModelInfo("other", "abc123", "transformers", "cpu", "float32", "marian"), DecodingOptions(), "id", "en"),
        cache_key(ModelInfo(INFO.model, "def456", "transformers", "cpu", "float32", "marian"), DecodingOptions(), "id", "en"),
        cache_key(ModelInfo(INFO.model, "abc123", "ctranslate2", "cpu", "int8", "marian"), DecodingOptions(), "id", "en"),
        cache_key(INFO, DecodingOptions(beam_size=1), "id", "en"),
        cache_key(INFO, DecodingOptions(max_length=64), "id", "en"),
        cache_key(INFO, DecodingOptions(length_penalty=0.6), "id", "en"),
        cache_key(INFO, DecodingOptions(), "id", "ms"),
    ]
    assert len({base, *variants}) == len(variants) + 1
    # batch size and device change speed only: same key
    on_gpu = ModelInfo(INFO.model, "abc123", "transformers", "cuda", "float32", "marian")
    assert cache_key(on_gpu, DecodingOptions(batch_size=8), "id", "en") == base


def test_entries_of_other_keys_are_not_returned(tmp_path):
    a = cache_key(INFO, DecodingOptions(), "id", "en")
    b = cache_key(INFO, DecodingOptions(beam_size=1), "id", "en")
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        cache.put_many(a, {"x": Hypothesis("from a")})
        assert cache.get_many(b, ["x"]) == {}
        assert cache.count(a) == 1 and cache.count(b) == 0


def test_many_sources_in_one_query(tmp_path):
    key = "k"
    mapping = {f"s{i}": Hypothesis(f"t{i}", float(i)) for i in range(1234)}
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        cache.put_many(key, mapping)
        assert cache.get_many(key, list(mapping)) == mapping


def test_wal_mode_and_committed_per_call(tmp_path):
    path = tmp_path / "c.sqlite3"
    cache = TranslationCache(path)
    cache.put_many("k", {"a": Hypothesis("b")})
    # another connection sees the row without the first one closing: it was committed
    other = sqlite3.connect(path)
    assert other.execute("SELECT text FROM translations").fetchall() == [("b",)]
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()
    cache.close()


def test_default_path_follows_env_when_called(monkeypatch, tmp_path):
    monkeypatch.setenv("MT_TOOLKIT_CACHE_DIR", str(tmp_path / "here"))
    assert default_cache_path() == tmp_path / "here" / "translations.sqlite3"
    with TranslationCache() as cache:
        assert cache.path.exists()


def test_corrupt_database_is_a_user_error(tmp_path):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(ConfigError, match="not a usable SQLite database"):
        TranslationCache(path)


def test_timings_accumulate_per_key(tmp_path):
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        assert cache.timing("k") is None
        cache.add_timing("k", 10, 2.0)
        cache.add_timing("k", 5, 1.0)
        assert cache.timing("k") == (15, 3.0)
        assert cache.timing("other") is None


def test_local_model_folder_changes_change_the_key(tmp_path):
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"weights v1")
    info = ModelInfo(str(folder), None, "transformers", "cpu", "float32", "marian")
    before = cache_key(info, DecodingOptions(), "id", "en")
    assert cache_key(info, DecodingOptions(), "id", "en") == before
    (folder / "model.safetensors").write_bytes(b"weights v2, retrained")
    assert cache_key(info, DecodingOptions(), "id", "en") != before


def test_one_fingerprint_for_a_local_folder(tmp_path):
    # the cache key and the CTranslate2 conversion identify a local model by the same digest,
    # and it changes when a file in the folder is rewritten
    import os

    from mt_toolkit.translate.cache import cache_settings
    from mt_toolkit.translate.convert import resolve_model_folder
    from mt_toolkit.translate.loading import model_fingerprint

    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")
    (folder / "model.safetensors").write_bytes(b"weights")
    info = ModelInfo(str(folder), None, "transformers", "cpu", "float32", "marian")
    before = model_fingerprint(folder)
    assert before is not None and len(before) == 16
    assert cache_settings(info, DecodingOptions(), "id", "en")["files"] == before
    assert resolve_model_folder(str(folder))[1] == before
    (folder / "model.safetensors").write_bytes(b"retrained weights")
    os.utime(folder / "model.safetensors", ns=(1, 1))
    assert model_fingerprint(folder) != before
    assert model_fingerprint("Helsinki-NLP/opus-mt-id-en") is None



def _hammer(path: str, worker: int, start, n_batches: int) -> None:
    """One writer process: open the cache when all are ready, then write and read in a loop."""
    start.wait()
    with TranslationCache(path) as cache:
        for b in range(n_batches):
            batch = {f"w{worker}-b{b}-s{k}": Hypothesis(text=f"t{worker}.{b}.{k}", score=-0.5) for k in range(5)}
            cache.put_many("key", batch, description={"worker": worker})
            cache.add_timing("key", 5, 0.01)
            assert cache.get_many("key", batch) == batch


def test_four_writer_processes_lose_nothing_and_never_see_a_locked_database(tmp_path):
    """Four processes write at once while a fifth holds the write lock longer than SQLite's
    default 5 s wait (what a large batch on a busy machine does): all must wait, none may fail."""
    import multiprocessing
    import time

    ctx = multiprocessing.get_context("spawn")
    path = str(tmp_path / "cache.sqlite3")
    TranslationCache(path).close()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    blocker.execute("INSERT INTO translations (key, source, text, score) VALUES ('key', 'held', 'x', 0)")
    start = ctx.Barrier(5)
    workers = [ctx.Process(target=_hammer, args=(path, w, start, 40)) for w in range(4)]
    for p in workers:
        p.start()
    start.wait()
    time.sleep(6.5)
    blocker.execute("COMMIT")
    blocker.close()
    for p in workers:
        p.join(timeout=300)
    assert [p.exitcode for p in workers] == [0, 0, 0, 0]
    with TranslationCache(path) as cache:
        assert cache.count("key") == 4 * 40 * 5 + 1
        assert cache.timing("key")[0] == 4 * 40 * 5
