"""Every folder mt-toolkit picks comes from mt_toolkit.paths, which reads the environment per call."""

from pathlib import Path

from mt_toolkit import paths
from mt_toolkit.translate.cache import default_cache_path
from mt_toolkit.translate.convert import converted_path
from mt_toolkit.translate.registry import default_user_config


def _clear(monkeypatch, *names):
    for name in names:
        monkeypatch.delenv(name, raising=False)


def test_cache_dir_precedence(monkeypatch, tmp_path):
    _clear(monkeypatch, "MT_TOOLKIT_CACHE_DIR", "XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert paths.cache_dir() == tmp_path / "home" / ".cache" / "mt-toolkit"
    monkeypatch.setenv("XDG_CACHE_HOME", "")  # empty counts as unset, as the XDG spec says
    assert paths.cache_dir() == tmp_path / "home" / ".cache" / "mt-toolkit"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.cache_dir() == tmp_path / "xdg" / "mt-toolkit"
    monkeypatch.setenv("MT_TOOLKIT_CACHE_DIR", str(tmp_path / "mine"))
    assert paths.cache_dir() == tmp_path / "mine"


def test_config_file_precedence(monkeypatch, tmp_path):
    _clear(monkeypatch, "MT_TOOLKIT_CONFIG", "XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert paths.user_config_file() == tmp_path / "home" / ".config" / "mt-toolkit" / "config.toml"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert paths.user_config_file() == tmp_path / "xdg" / "mt-toolkit" / "config.toml"
    monkeypatch.setenv("MT_TOOLKIT_CONFIG", "~/my.toml")
    assert paths.user_config_file() == tmp_path / "home" / "my.toml"


def test_every_cache_user_agrees_with_paths(monkeypatch, tmp_path):
    # the translation cache and the CTranslate2 conversions both honour XDG_CACHE_HOME
    _clear(monkeypatch, "MT_TOOLKIT_CACHE_DIR", "MT_TOOLKIT_CONFIG", "XDG_CONFIG_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = tmp_path / "xdg" / "mt-toolkit"
    assert default_cache_path() == root / "translations.sqlite3"
    assert converted_path("org/model", "abc", "int8").parent == root / "ct2"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "conf"))
    assert default_user_config() == tmp_path / "conf" / "mt-toolkit" / "config.toml"


def test_importing_creates_nothing_and_copies_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("MT_TOOLKIT_CACHE_DIR", str(tmp_path / "late"))
    assert paths.cache_dir() == Path(tmp_path / "late")
    assert not (tmp_path / "late").exists()


def test_data_dir_precedence_and_the_history_uses_it(monkeypatch, tmp_path):
    from mt_toolkit.serve.history import HistoryStore

    _clear(monkeypatch, "MT_TOOLKIT_DATA_DIR", "XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert paths.data_dir() == tmp_path / "home" / ".local" / "share" / "mt-toolkit"
    monkeypatch.setenv("XDG_DATA_HOME", "~/xdg")  # expanded, as every other folder here is
    assert paths.data_dir() == tmp_path / "home" / "xdg" / "mt-toolkit"
    monkeypatch.setenv("MT_TOOLKIT_DATA_DIR", "~/mine")
    assert paths.data_dir() == tmp_path / "home" / "mine"
    assert HistoryStore().path == tmp_path / "home" / "mine" / "history.sqlite3"
