"""Numbers written as words, read as values, in the pivot language (English).

The change flags compare the *values* a reader would check, so "four new lines" and "4 new lines"
must be the same figure and "one hundred and forty-seven" must be 147. The arithmetic of number
words is delegated to a maintained parser, `text2num` (``text_to_num.text2num``; pinned in
``constraints.txt``), rather than a hand-written table: it reads compounds ("forty seven",
"twelve hundred", "one thousand two hundred") and works offline. This module only decides which
words form a number and what is *not* a figure:

- A spelled-out number after a definite determiner or possessive ("the two countries", "our two
  peoples", "all three parties") refers back to a set the reader already knows; it is not a
  figure that was reported. Such a number is *referential*: it may match a number on the other
  side but is never flagged when unmatched, so "the two countries" against "our countries" or
  "both countries" raises nothing. A digit ("the 12 agreements") is always a figure.
- A bare "one" is handled by `mt_toolkit.fidelity` (it is weak: "one of them").
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["CARDINAL_WORDS", "REFERENTIAL_DETERMINERS", "is_referential", "words_to_number"]

#: English cardinal words `text2num` reads (``and`` and ``point`` are joiners, handled here).
CARDINAL_WORDS = frozenset({
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "billion", "trillion",
})

#: Words after which a spelled-out number names a known set rather than reports a figure.
REFERENTIAL_DETERMINERS = frozenset({
    "the", "these", "those", "our", "their", "its", "his", "her", "your", "my", "all", "both",
    "whose",
})

_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_DIGITS = {w: i for i, w in enumerate(("zero", "one", "two", "three", "four", "five", "six",
                                          "seven", "eight", "nine"))}


def _integer(words: Sequence[str]) -> float | None:
    from text_to_num import text2num  # small compiled parser; imported when first needed

    words = [w for w in words if w != "and"]
    if not words:
        return None
    try:
        return float(text2num(" ".join(words), "en"))
    except ValueError:
        return None


def words_to_number(words: Sequence[str]) -> float | None:
    """The value of a run of English number words, or None when they do not form one number.

    Args:
        words: lower-cased tokens, e.g. ``["one", "hundred", "and", "forty", "seven"]`` or
            ``["three", "point", "five"]``.

    Returns:
        The value (147.0, 3.5), or None ("hundred and and", an empty run).
    """
    words = list(words)
    if "point" in words:  # "three point five": digits after the point, one word each
        k = words.index("point")
        whole = _integer(words[:k]) if k else 0.0
        decimals = words[k + 1:]
        scale = 1.0
        while decimals and decimals[-1] in _SCALES:  # "three point five million"
            scale *= _SCALES[decimals.pop()]
        if whole is None or not decimals or any(w not in _DIGITS for w in decimals):
            return None
        return (whole + float("0." + "".join(str(_DIGITS[w]) for w in decimals))) * scale
    return _integer(words)


def is_referential(previous_word: str | None) -> bool:
    """True when a spelled-out number after ``previous_word`` names a known set ("the two sides").

    Args:
        previous_word: the lower-cased word before the number (None at the start of a text).
    """
    return previous_word is not None and previous_word in REFERENTIAL_DETERMINERS
