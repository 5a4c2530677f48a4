"""Sentences longer than a model can read: split them, translate the pieces, join the translations.

A model reads at most its number of source positions (512 tokens for OPUS-MT, M2M100 and NLLB).
Past it, transformers would silently truncate (a short translation of a long line, no warning)
and CTranslate2 stops with "No position encodings". A 40,000-word line with no full stop (a
table flattened to text, a transcript) is real input, so it is cut where a sentence would most
naturally break — after clause punctuation (``; : ! ?``), then after commas, then at spaces, and
for text with no spaces (Chinese, Japanese) at a character count — into pieces within the limit.
The pieces are translated like any sentence (batched, cached) and their translations joined with
the target language's separator. Each split is counted in one `MtToolkitWarning`, so the user
knows which output lines are stitched.

This works on any backend that says its limit (a ``max_source_tokens`` attribute) and counts its
tokens (``count_tokens``); without them nothing is split.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence

from mt_toolkit.errors import MtToolkitWarning

# Tokens kept free below the limit for what the backend adds: end-of-sentence, a language
# token (M2M100, NLLB) or an OPUS-MT ">>xx<<" target token.
RESERVED_TOKENS = 4

# Break points, most natural first: after clause punctuation, after commas, at whitespace.
_LEVELS = (
    re.compile(r"(?<=[;:!?\u2026\uff1b\uff1a\uff01\uff1f\u3002])\s*"),
    re.compile(r"(?<=[,\uff0c\u3001\u060c])\s*"),
    re.compile(r"(?<=\s)"),
)

Counter = Callable[[list[str]], list[int]]


def source_limit(translator) -> int | None:
    """Source tokens a piece may have on ``translator`` (None when it does not say)."""
    limit = getattr(translator, "max_source_tokens", None)
    if not isinstance(limit, int) or limit <= RESERVED_TOKENS or getattr(translator, "count_tokens", None) is None:
        return None
    return limit - RESERVED_TOKENS


def split_over_long(translator, sentences: Sequence[str]) -> dict[str, list[str]]:
    """{sentence: its pieces} for each of ``sentences`` over ``translator``'s source limit.

    Warns (`MtToolkitWarning`) with how many sentences were split, when any were.
    """
    limit = source_limit(translator)
    if limit is None:
        return {}
    # A token covers at least one UTF-8 byte, so only sentences with more bytes than the limit
    # can be over it: the backend's tokenizer runs on those alone.
    candidates = [s for s in dict.fromkeys(sentences) if len(s.encode("utf-8")) > limit]
    if not candidates:
        return {}
    count: Counter = translator.count_tokens
    over = [s for s, n in zip(candidates, count(candidates)) if n > limit]
    split = {s: split_text(s, limit, count) for s in over}
    if split:
        pieces = sum(len(p) for p in split.values())
        warnings.warn(
            f"{len(split)} sentence{'s' if len(split) > 1 else ''} longer than the model's "
            f"{limit + RESERVED_TOKENS}-token limit {'were' if len(split) > 1 else 'was'} split into "
            f"{pieces} pieces, translated separately and joined",
            MtToolkitWarning, stacklevel=3,
        )
    return split


def split_text(text: str, limit: int, count: Counter, level: int = 0) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` tokens, at the most natural break available.

    Every non-space character of ``text`` is in exactly one piece, in order.
    """
    if count([text])[0] <= limit:
        return [text.strip()] if text.strip() else []
    while level < len(_LEVELS):
        units = _cut(text, _LEVELS[level])
        if len(units) > 1:
            break
        level += 1
    else:
        half = len(text) // 2  # no break point at all: halve by characters
        return split_text(text[:half], limit, count, level) + split_text(text[half:], limit, count, level)
    sizes = count(units)
    pieces: list[str] = []
    current, current_size = "", 0
    for unit, size in zip(units, sizes):
        if current and current_size + size > limit:
            pieces.append(current)
            current, current_size = "", 0
        current += unit
        current_size += size
    if current:
        pieces.append(current)
    out: list[str] = []
    for piece in pieces:  # counts of units do not add up exactly; check each piece
        if count([piece])[0] <= limit:
            if piece.strip():
                out.append(piece.strip())
        else:
            out.extend(split_text(piece, limit, count, level + 1 if len(_cut(piece, _LEVELS[level])) == 1 else level))
    return out


def _cut(text: str, pattern: re.Pattern) -> list[str]:
    """``text`` cut after each match of ``pattern`` (the break stays with the left part)."""
    ends = sorted({m.end() for m in pattern.finditer(text) if 0 < m.end() < len(text)})
    bounds = [0, *ends, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
