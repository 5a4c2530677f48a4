"""Shared fixtures: tiny random-weight models built once per session, and a clean environment.

The models are built by `scripts/build_tiny_models.py` into a temporary folder and loaded through
the same code a downloaded model takes. No test touches the network.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_tiny_models", ROOT / "scripts" / "build_tiny_models.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_tiny_models"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, Path]:
    """{"marian": dir, "marian-b": dir, "m2m100": dir, "nllb": dir}: tiny models in Hugging Face layout."""
    return _load_builder().build_all(tmp_path_factory.mktemp("tiny-models"))


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch, tmp_path):
    """Each test gets an empty HF cache, offline hub and its own user config: nothing leaks in."""
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("MT_TOOLKIT_CONFIG", raising=False)  # a named but missing config is an error
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("MT_TOOLKIT_CACHE_DIR", str(tmp_path / "mt-toolkit-cache"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_CACHE", raising=False)
