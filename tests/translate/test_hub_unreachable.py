"""An uncached hub model while the hub cannot be reached: one line, at once, no retry chatter."""

from __future__ import annotations

import logging
import socket
import time

import pytest

from mt_toolkit.errors import ModelNotFoundError


@pytest.fixture()
def closed_hub(monkeypatch):
    """HF_ENDPOINT on a localhost port nothing listens on, and the hub allowed (no offline flag)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    for proxy in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    return port


@pytest.mark.parametrize("backend", ["hf", "ct2", "auto"])
def test_uncached_model_fails_fast_with_one_line(closed_hub, caplog, capfd, backend):
    from mt_toolkit.translate.engine import load_translator

    if backend == "ct2":
        pytest.importorskip("ctranslate2")
    caplog.set_level(logging.DEBUG)
    started = time.monotonic()
    with pytest.raises(ModelNotFoundError) as err:
        load_translator("someone/opus-mt-xx-yy", backend=backend, device="cpu")
    elapsed = time.monotonic() - started
    message = str(err.value)
    assert f"the hub at http://127.0.0.1:{closed_hub} cannot be reached" in message
    assert "mt-toolkit models fetch someone/opus-mt-xx-yy" in message and "\n" not in message
    assert elapsed < 15  # a hang guard, not a speed claim: the hub client's retries take ~50 s
    assert "Retrying" not in caplog.text and "Retrying" not in capfd.readouterr().err


def test_fetch_fails_fast_too(closed_hub):
    from mt_toolkit.translate.hub import fetch_model

    with pytest.raises(ModelNotFoundError, match="cannot fetch someone/m: the hub at .* cannot be reached"):
        fetch_model("someone/m")


def test_offline_flag_still_skips_the_hub_without_probing(monkeypatch, closed_hub):
    from mt_toolkit.translate import loading

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(loading, "hub_unreachable", lambda *a, **k: pytest.fail("probed while offline"))
    source = loading.resolve_model("someone/m")
    assert source.local_files_only
