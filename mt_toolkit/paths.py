"""Where mt-toolkit keeps its files on the user's machine: one home for every folder it chooses.

- cache (translations, CTranslate2 conversions): ``$MT_TOOLKIT_CACHE_DIR``, else
  ``$XDG_CACHE_HOME/mt-toolkit``, else ``~/.cache/mt-toolkit``.
- user config (the model registry's additions): ``$MT_TOOLKIT_CONFIG`` (a file), else
  ``$XDG_CONFIG_HOME/mt-toolkit/config.toml``, else ``~/.config/mt-toolkit/config.toml``.
- data (the workbench's trace history): ``$MT_TOOLKIT_DATA_DIR``, else
  ``$XDG_DATA_HOME/mt-toolkit``, else ``~/.local/share/mt-toolkit``.

The environment is read on every call, never copied at import, so a test or a user who sets a
variable after importing mt_toolkit is obeyed; nothing here creates a folder.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CACHE_DIR_ENV", "CONFIG_ENV", "DATA_DIR_ENV", "cache_dir", "data_dir", "user_config_file"]

CACHE_DIR_ENV = "MT_TOOLKIT_CACHE_DIR"
CONFIG_ENV = "MT_TOOLKIT_CONFIG"
DATA_DIR_ENV = "MT_TOOLKIT_DATA_DIR"
_APP = "mt-toolkit"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def _xdg(name: str, fallback: str) -> Path:
    """An XDG base folder: the variable when set (the spec ignores an empty one), else ``~/fallback``."""
    return _env_path(name) or Path.home() / fallback


def cache_dir() -> Path:
    """The folder for caches: ``$MT_TOOLKIT_CACHE_DIR``, ``$XDG_CACHE_HOME/mt-toolkit`` or ``~/.cache/mt-toolkit``."""
    return _env_path(CACHE_DIR_ENV) or _xdg("XDG_CACHE_HOME", ".cache") / _APP


def user_config_file() -> Path:
    """The user's config file: ``$MT_TOOLKIT_CONFIG``, else ``config.toml`` in the XDG config folder."""
    return _env_path(CONFIG_ENV) or _xdg("XDG_CONFIG_HOME", ".config") / _APP / "config.toml"


def data_dir() -> Path:
    """The folder for kept data: ``$MT_TOOLKIT_DATA_DIR``, ``$XDG_DATA_HOME/mt-toolkit`` or ``~/.local/share/mt-toolkit``."""
    return _env_path(DATA_DIR_ENV) or _xdg("XDG_DATA_HOME", ".local/share") / _APP
