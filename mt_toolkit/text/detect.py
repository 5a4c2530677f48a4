"""Which language a text is in, identified offline.

The identifier is py3langid (the `serve` extra), chosen over lingua because its model ships
inside the package as a few megabytes and loads in about a second, and it classifies a page in
milliseconds with no network; lingua is more accurate on one-line texts but its full model set
takes about a gigabyte of memory, which a laptop server shared by a newsroom cannot spare.
Articles and statements are paragraphs long, where py3langid is reliable. Its answer is mapped
onto the toolkit's own language codes (`mt_toolkit.languages`), skipping languages the toolkit
does not know, and a guess below `MIN_CONFIDENCE` is reported as unreliable so the caller can
ask the user instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mt_toolkit.errors import InputError, UnknownLanguageError, missing_extra
from mt_toolkit.languages import normalize

__all__ = ["MIN_CONFIDENCE", "LanguageGuess", "detect_language", "require_language"]

#: Below this probability (0-1) a guess is not trusted; short texts land there.
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class LanguageGuess:
    """The most likely language of a text, with the identifier's probability (0-1)."""

    lang: str | None  # canonical toolkit code, None when nothing the toolkit knows is likely
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()  # next candidates, best first

    @property
    def reliable(self) -> bool:
        """True when the guess can be used without asking the user."""
        return self.lang is not None and self.confidence >= MIN_CONFIDENCE


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier with normalised probabilities, loaded once per process."""
    try:
        from py3langid.langid import _load_identifier  # type: ignore[import-untyped]
    except ImportError:
        raise missing_extra("py3langid", "serve") from None
    return _load_identifier(norm_probs=True)


def detect_language(text: str) -> LanguageGuess:
    """The most likely language of ``text`` among those the toolkit knows.

    Args:
        text: any length; a paragraph or more gives a reliable answer.

    Returns:
        A `LanguageGuess`; its ``lang`` is None for an empty text or one in a language the toolkit
        has no code for.

    Raises:
        BackendUnavailable: py3langid is not installed.
    """
    if not text.strip():
        return LanguageGuess(None, 0.0)
    known: list[tuple[str, float]] = []
    for code, probability in _identifier().rank(text)[:10]:
        try:
            lang = normalize(code)
        except UnknownLanguageError:
            continue
        if all(lang != k for k, _ in known):
            known.append((lang, float(probability)))
    if not known:
        return LanguageGuess(None, 0.0)
    (lang, confidence), rest = known[0], tuple(known[1:4])
    return LanguageGuess(lang, confidence, rest)


def require_language(text: str, *, what: str, hint: str) -> str:
    """The language of ``text``, or an `InputError` telling the user to give it.

    Args:
        text: the text to identify.
        what: how the text is named in the message ("--original wire.txt").
        hint: how to give the language instead ("write it as FILE:LANG:LABEL").

    Raises:
        InputError: the language cannot be told reliably.
    """
    guess = detect_language(text)
    if not guess.reliable:
        found = f"best guess {guess.lang} at {guess.confidence:.0%}" if guess.lang else "no known language"
        raise InputError(f"cannot tell the language of {what} ({found}); {hint}")
    return guess.lang  # type: ignore[return-value]
