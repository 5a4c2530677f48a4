"""`mt-toolkit translate` (filled in by the translation engine)."""

from __future__ import annotations


def translate_command() -> None:
    """Translate text files or standard input."""
