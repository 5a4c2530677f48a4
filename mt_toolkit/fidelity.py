"""Typed change detection: what kind of change happened between an original and its retelling.

Both texts are in the pivot language (English): the original's translation and the article's.
A chrF score says *how much* the wording moved; the flags here say *what kind* of change a reader
should check, because a dropped "not" or a 3 that became a 30 costs one character of chrF and
reverses the story. Each detector is a small, documented heuristic over word tokens, chosen to be
explainable in a report rather than clever:

- ``NUMBER``: the multiset of numeric values differs. Numbers are normalised first: ``3,5`` and
  ``3.5`` are the same, ``1,000`` is a thousand, ``3.5 million`` / ``3.5 juta`` is 3500000,
  runs of number words are read by `mt_toolkit.numbers` ("four" = 4, "one hundred and forty
  seven" = 147; "one" and "a" only before hundred, dozen or a multiplier, so "one of them" is no
  number), a spelled-out number after "the"/"our"/"both"... ("the two countries") may match a
  figure but is never flagged by itself, ``2-4 July`` and ``July 2-4`` both give
  {2, 4, month 7}, and ``percent``/``%`` do not change the value. Dates are numbers: day, month
  and year are values, so a dropped or changed month is a number flag marked ``date:``
  ("date: August missing"), never a name change.
- ``NAME``: a capitalised word (not a function word, month or weekday; at the start of a sentence
  only when another capitalised word follows or it is capitalised elsewhere too) of one
  text that occurs in no casing in the other (nor as a form sharing its stem: Indonesia/Indonesian). Consecutive capitalised words are reported together
  ("Budi Santoso"), and one missing plus one added name become one swap ("Wang → Li").
- ``NEGATION``: the count of negators (not, n't, no, never, neither, nor, without, none, nobody,
  nothing, nowhere, cannot) differs.
- ``MODALITY``: the multiset of modal verbs differs (must, should, may, might, can, could, will,
  would, shall, need to, have to, ought to); reported as "must → may".
- ``OMISSION`` / ``ADDITION``: a word-level diff (difflib's SequenceMatcher on lower-cased word
  tokens) leaves a run of at least ``min_clause_tokens`` original words with no counterpart
  (omission), or of article words (addition). An added run that holds a verb of saying ("said",
  "according to") is the article's attribution, not an addition, and its names are not flagged.

The verdict combines them with chrF (`Thresholds` documents the cut-offs).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum

from mt_toolkit.errors import InputError
from mt_toolkit.numbers import CARDINAL_WORDS, is_referential, words_to_number


__all__ = [
    "MODAL_CLASSES", "DiffSegment", "Flag", "FlagKind", "Thresholds", "Verdict", "content_words",
    "decide_verdict", "detect_changes", "has_attribution", "typed_readings", "word_diff",
]


class FlagKind(str, Enum):
    """The kinds of change a translator should look at."""

    NUMBER = "number"
    NAME = "name"
    NEGATION = "negation"
    MODALITY = "modality"
    OMISSION = "omission"
    ADDITION = "addition"


class Verdict(str, Enum):
    """How the article's sentence relates to the original it was matched with.

    The value is the machine name (JSON); `label` and `meaning` are what every report and the
    terminal show, kept here so they read the same everywhere.
    """

    FAITHFUL = "faithful"
    PARAPHRASED = "paraphrased"
    CHANGED = "changed"
    NOT_FOUND = "not_found"

    @property
    def label(self) -> str:
        """The verdict for people: ``not found`` rather than ``not_found``."""
        return self.value.replace("_", " ")

    @property
    def meaning(self) -> str:
        """One line saying what the verdict means (legends, tooltips)."""
        return _VERDICT_MEANINGS[self]


_VERDICT_MEANINGS = {
    Verdict.FAITHFUL: "same wording, no flagged change",
    Verdict.PARAPHRASED: "reworded, no flagged change",
    Verdict.CHANGED: "a number, name, negation, modal or clause changed",
    Verdict.NOT_FOUND: "no sentence of the original is close enough",
}


@dataclass(frozen=True)
class Thresholds:
    """The cut-offs behind a `Verdict`.

    Attributes:
        not_found_chrf: below this chrF (0-100) against the best original sentence(s), the article
            sentence is ``not_found``. Unrelated English sentences on the same topic score about
            10-30 chrF; translations of the same sentence by different translators score 45 and
            up, so 35 leaves room on both sides.
        faithful_chrf: at or above this chrF and with no flag, the sentence is ``faithful``; below
            it, without flags, ``paraphrased``. Any flag makes it ``changed``.
        min_clause_tokens: the shortest run of unmatched words that counts as an omitted or added
            clause (shorter runs are word choice, which chrF already measures).
    """

    not_found_chrf: float = 35.0
    faithful_chrf: float = 60.0
    min_clause_tokens: int = 5

    def __post_init__(self) -> None:
        """Refuse cut-offs that contradict each other: a sentence cannot be faithful yet not found."""
        for name in ("not_found_chrf", "faithful_chrf"):
            value = getattr(self, name)
            if not 0 <= value <= 100:
                raise InputError(f"{name} is a chrF between 0 and 100, got {value}")
        if self.faithful_chrf < self.not_found_chrf:
            raise InputError(
                f"faithful_chrf ({self.faithful_chrf:g}) is below not_found_chrf ({self.not_found_chrf:g}); "
                "a faithful sentence must score at least what a found one does (--faithful-chrf >= --not-found-chrf)"
            )
        if self.min_clause_tokens < 1:
            raise InputError(f"min_clause_tokens must be 1 or more, got {self.min_clause_tokens}")


@dataclass(frozen=True)
class Flag:
    """One typed change: its kind, a short explanation, and the words on each side."""

    kind: FlagKind
    detail: str
    original: str = ""  # the words of the original involved ("" when added)
    article: str = ""  # the words of the article involved ("" when dropped)


@dataclass(frozen=True)
class DiffSegment:
    """A piece of a word diff: ``equal``, ``delete`` (original only), ``insert`` or ``replace``.

    ``original`` and ``article`` are substrings of the two texts, whitespace and punctuation
    kept, so a renderer can rebuild both texts exactly by concatenating the segments.
    """

    tag: str
    original: str
    article: str


# --- tokens -----------------------------------------------------------------------------------

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:['’]\w+)*|%", re.UNICODE)


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return self.text.lower().replace("’", "'")


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


# --- numbers ----------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12,
}
# Multipliers in English and in the source languages a pivot translation often leaves untouched
# (Indonesian juta/miliar/ribu/triliun, Russian млн/млрд/тыс.).
_MULTIPLIERS = {
    "thousand": 1e3, "ribu": 1e3, "тыс": 1e3, "тысяч": 1e3,
    "million": 1e6, "millions": 1e6, "mln": 1e6, "juta": 1e6, "млн": 1e6, "миллионов": 1e6,
    "billion": 1e9, "billions": 1e9, "bln": 1e9, "miliar": 1e9, "milyar": 1e9, "млрд": 1e9,
    "trillion": 1e12, "triliun": 1e12, "трлн": 1e12,
}
_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan", "januari"), ("february", "feb", "februari"), ("march", "mar", "maret"),
            ("april", "apr"), ("may", "mei"), ("june", "jun", "juni"), ("july", "jul", "juli"),
            ("august", "aug", "agustus"), ("september", "sep", "sept"),
            ("october", "oct", "oktober"), ("november", "nov"), ("december", "dec", "desember"),
        ]
    )
    for name in names
}
_WEEKDAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu",
}


def _parse_number(raw: str) -> float:
    """``3,5`` → 3.5 (decimal comma), ``1,000`` / ``1.000.000`` → thousands separators."""
    if "," in raw and "." in raw:  # both: the last one is the decimal mark
        if raw.rfind(",") > raw.rfind("."):
            raw = raw.replace(".", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
    elif "," in raw:
        parts = raw.split(",")
        raw = raw.replace(",", "") if all(len(p) == 3 for p in parts[1:]) else raw.replace(",", ".")
    elif raw.count(".") > 1 or (raw.count(".") == 1 and len(raw.split(".")[1]) == 3 and len(raw.split(".")[0]) <= 3 and raw.split(".")[0] != "0"):
        # 1.000.000 or 1.500 (Indonesian/Russian thousands); "3.5" stays a decimal
        raw = raw.replace(".", "")
    return float(raw)


@dataclass(frozen=True)
class _Number:
    value: float | str  # float, or "month:7"
    text: str
    weak: bool = False  # may match a number, never flagged when unmatched


def _next_to_digit(tokens: list[_Token], i: int) -> bool:
    return any(0 <= k < len(tokens) and tokens[k].text[0].isdigit() for k in (i - 1, i + 1))


def _is_month(tokens: list[_Token], i: int) -> bool:
    tok = tokens[i]
    if tok.key not in _MONTHS or not tok.text[0].isupper():
        return False
    return len(tok.key) > 4 or tok.key in ("june", "july") or _next_to_digit(tokens, i)


_SCALES = {"hundred", "thousand", "million", "billion", "trillion"}


def _number_word_run(tokens: list[_Token], i: int) -> int:
    """The end (exclusive) of the run of number words starting at ``i`` ("and"/"point" inside)."""
    k = i
    while k < len(tokens):
        key = tokens[k].key
        if key in CARDINAL_WORDS:
            k += 1
        elif (key == "point" or (key == "and" and any(t.key in _SCALES for t in tokens[i:k]))) \
                and k > i and k + 1 < len(tokens) and tokens[k + 1].key in CARDINAL_WORDS:
            k += 1
        else:
            break
    return k


def _numbers(tokens: list[_Token], text: str) -> list[_Number]:
    found: list[_Number] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        key = tok.key
        value: float | None = None
        next_key = tokens[i + 1].key.rstrip(".") if i + 1 < len(tokens) else ""
        if tok.text[0].isdigit():
            value = _parse_number(tok.text)
        elif key in ("a", "an"):
            value = 1.0 if next_key in _MULTIPLIERS or next_key in ("hundred", "dozen") else None
        elif key == "one" and not (next_key in _MULTIPLIERS or next_key in ("hundred", "dozen")):
            # A bare "one" matches a "1" on the other side but is never flagged by itself:
            # "one of them", "no one" are not quantities a reader checks.
            found.append(_Number(1.0, tok.text, weak=True))
            i += 1
            continue
        elif key in CARDINAL_WORDS or key == "dozen":
            # A run of number words ("one hundred and forty seven", "three point five") is one
            # value, read by `mt_toolkit.numbers`; after "the"/"our" it names a known set.
            run_end = _number_word_run(tokens, i)
            words = [t.key for t in tokens[i:run_end]]
            value = 12.0 if words == ["dozen"] else words_to_number(words)
            while value is None and run_end - i > 1:  # "five six" is two numbers: take the first
                run_end -= 1
                value = words_to_number([t.key for t in tokens[i:run_end]])
            if value is not None:
                previous = tokens[i - 1].key if i > 0 else None
                weak = is_referential(previous) and run_end - i == 1
                last = tokens[run_end - 1]
                following = tokens[run_end].key.rstrip(".") if run_end < len(tokens) else ""
                if following in _MULTIPLIERS and following not in CARDINAL_WORDS:
                    value *= _MULTIPLIERS[following]
                    last = tokens[run_end]
                    run_end += 1
                found.append(_Number(round(value, 6), text[tok.start : last.end], weak=weak))
                i = run_end
                continue
        elif _is_month(tokens, i):
            # Months count when capitalised ("may" is a modal); short forms (Jan, Mar, May, Mei)
            # only beside a number ("5 Jan", "May 2024"), so "Jan Gelfand" stays a name. A
            # sentence-initial "May we ..." is rare in news quotes: a documented false positive.
            found.append(_Number(f"month:{_MONTHS[key]}", tok.text))
            i += 1
            continue
        if value is None:
            i += 1
            continue
        end = tok.end
        if next_key in ("hundred", "dozen") and not tok.text[0].isdigit():
            value *= _NUMBER_WORDS[next_key]  # "two hundred", "a dozen"
            end = tokens[i + 1].end
            i += 1
            next_key = tokens[i + 1].key.rstrip(".") if i + 1 < len(tokens) else ""
        if next_key in _MULTIPLIERS:
            value *= _MULTIPLIERS[next_key]
            end = tokens[i + 1].end
            i += 1
        found.append(_Number(round(value, 6), text[tok.start : end]))
        i += 1
    return found


def _number_flags(orig: list[_Number], art: list[_Number]) -> list[Flag]:
    missing = Counter(n.value for n in orig) - Counter(n.value for n in art)
    added = Counter(n.value for n in art) - Counter(n.value for n in orig)
    for numbers, unmatched in ((orig, missing), (art, added)):
        for value in list(unmatched):
            strong = sum(1 for n in numbers if n.value == value and not n.weak)
            unmatched[value] = min(unmatched[value], strong)
    missing, added = +missing, +added
    text_of = {n.value: n.text for n in orig + art if not n.weak}  # show numbers as written
    gone = list(missing.elements())
    new = list(added.elements())
    flags = []

    def date(value: float | str) -> str:  # a month is part of a date, never a name
        return "date: " if isinstance(value, str) else ""

    while gone and new:
        a, b = gone.pop(0), new.pop(0)
        flags.append(Flag(FlagKind.NUMBER, f"{date(a) or date(b)}{text_of[a]} → {text_of[b]}", text_of[a], text_of[b]))
    flags += [Flag(FlagKind.NUMBER, f"{date(a)}{text_of[a]} missing", text_of[a], "") for a in gone]
    flags += [Flag(FlagKind.NUMBER, f"{date(b)}{text_of[b]} added", "", text_of[b]) for b in new]
    return flags


# --- names ------------------------------------------------------------------------------------

# Capitalised only because they start a sentence or are pronouns/titles of address: never names.
_NOT_NAMES = {
    "i", "the", "a", "an", "he", "she", "it", "we", "they", "you", "this", "that", "these",
    "those", "there", "here", "in", "on", "at", "by", "for", "from", "to", "of", "with", "as",
    "and", "but", "or", "so", "if", "when", "while", "after", "before", "since", "because",
    "our", "my", "his", "her", "their", "its", "your", "both", "all", "each", "every", "some",
    "many", "most", "such", "no", "not", "never", "yes", "also", "however", "meanwhile", "then",
    "thus", "therefore", "moreover", "according", "during", "over", "under", "between", "what",
    "which", "who", "whom", "whose", "where", "why", "how", "let", "only", "even", "today",
    "yesterday", "tomorrow", "mr", "mrs", "ms", "dr",
}


def _starts_sentence(tokens: list[_Token], i: int, text: str) -> bool:
    before = text[: tokens[i].start].rstrip()
    return not before or before[-1] in ".!?:;\"“”«»„'‘’"


def _is_name(tokens: list[_Token], i: int, text: str) -> bool:
    tok = tokens[i]
    if not tok.text[0].isupper() or tok.key in _NOT_NAMES or tok.key in _WEEKDAYS:
        return False
    if _is_month(tokens, i):
        return False
    if _starts_sentence(tokens, i, text):
        # Capitalised by position ("Youth is ..."): a name only as part of a longer name
        # ("Foreign Minister Sugandi said") or if written capitalised elsewhere in the text.
        follows = i + 1 < len(tokens) and tokens[i + 1].text[0].isupper()
        elsewhere = any(t.text == tok.text for k, t in enumerate(tokens) if k != i and not _starts_sentence(tokens, k, text))
        return follows or elsewhere
    return True


def _name_runs(tokens: list[_Token], text: str, skip: set[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in range(len(tokens)):
        if i in skip or not _is_name(tokens, i, text):
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _word_present(word: str, others: set[str]) -> bool:
    """A name is present in the other text in any casing, or as a form sharing its stem.

    "Indonesia"/"Indonesian" and "China"/"Chinese" are the same entity for a reader: two words
    match when they share a prefix of at least 4 letters covering 60% of the shorter one.
    """
    if word in others:
        return True
    for other in others:
        n = 0
        for x, y in zip(word, other):
            if x != y:
                break
            n += 1
        if n >= 4 and n >= 0.6 * min(len(word), len(other)):
            return True
    return False


def _name_flags(
    o_tok: list[_Token], o_text: str, a_tok: list[_Token], a_text: str,
    skip_original: set[int], skip_article: set[int],
) -> list[Flag]:
    o_words = {t.key for t in o_tok}
    a_words = {t.key for t in a_tok}

    def unmatched(runs, tokens, other_words, text) -> list[tuple[int, str]]:
        """Stretches of consecutive names absent from the other text: (first token, words)."""
        out = []
        for run in runs:
            stretch: list[int] = []
            for k in run + [-1]:
                if k >= 0 and not _word_present(tokens[k].key, other_words):
                    stretch.append(k)
                elif stretch:  # "Minister Wang Lei" vs "Minister Li Ming" reports "Wang Lei"
                    out.append((stretch[0], text[tokens[stretch[0]].start : tokens[stretch[-1]].end]))
                    stretch = []
        return out

    gone = unmatched(_name_runs(o_tok, o_text, skip_original), o_tok, a_words, o_text)
    new = unmatched(_name_runs(a_tok, a_text, skip_article), a_tok, o_words, a_text)
    # A swap is a missing and an added name in the same changed stretch of the word diff; a lone
    # pair anywhere is a swap too. Other names are reported as missing or added on their own.
    pairs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in _opcodes(o_tok, a_tok):
        if tag != "replace":
            continue
        here_gone = [g for g in gone if i1 <= g[0] < i2]
        here_new = [n for n in new if j1 <= n[0] < j2]
        for g, n in zip(here_gone, here_new):
            pairs.append((g[1], n[1]))
            gone.remove(g)
            new.remove(n)
    if len(gone) == 1 and len(new) == 1:
        pairs.append((gone.pop()[1], new.pop()[1]))
    flags = [Flag(FlagKind.NAME, f"{a} → {b}", a, b) for a, b in pairs]
    flags += [Flag(FlagKind.NAME, f"{a} missing", a, "") for _, a in gone]
    flags += [Flag(FlagKind.NAME, f"{b} added", "", b) for _, b in new]
    return flags


# --- negation and modality --------------------------------------------------------------------

_NEGATORS = {"not", "no", "never", "neither", "nor", "without", "none", "nobody", "nothing",
             "nowhere", "cannot", "non"}


def _negations(tokens: list[_Token]) -> Counter[str]:
    found: Counter[str] = Counter()
    for tok in tokens:
        if tok.key in _NEGATORS:
            found[tok.key] += 1
        elif tok.key.endswith("n't"):
            found["n't"] += 1
    return found


_MODALS = {"must", "should", "may", "might", "can", "could", "will", "would", "shall"}
_CONTRACTED = {"can't": "can", "won't": "will", "shouldn't": "should", "couldn't": "could",
               "wouldn't": "would", "mustn't": "must", "mightn't": "might", "shan't": "shall",
               "cannot": "can"}
_TWO_WORD = {("need", "to"), ("needs", "to"), ("have", "to"), ("has", "to"), ("had", "to"),
             ("ought", "to")}


def _modals(tokens: list[_Token]) -> list[str]:
    found = []
    for i, tok in enumerate(tokens):
        key = tok.key
        if key in _MODALS and not (key == "may" and tok.text == "May" and i > 0):
            found.append(key)
        elif key in _CONTRACTED:
            found.append(_CONTRACTED[key])
        elif key.endswith("'ll"):
            found.append("will")
        elif i + 1 < len(tokens) and (key, tokens[i + 1].key) in _TWO_WORD:
            base = {"needs": "need", "has": "have", "had": "have"}.get(key, key)
            found.append(f"{base} to")
    return found


def _modality_flags(orig: list[str], art: list[str]) -> list[Flag]:
    gone = list((Counter(orig) - Counter(art)).elements())
    new = list((Counter(art) - Counter(orig)).elements())
    gone.sort(key=orig.index)
    new.sort(key=art.index)
    flags = []
    while gone and new:
        a, b = gone.pop(0), new.pop(0)
        flags.append(Flag(FlagKind.MODALITY, f"{a} → {b}", a, b))
    flags += [Flag(FlagKind.MODALITY, f"'{a}' dropped", a, "") for a in gone]
    flags += [Flag(FlagKind.MODALITY, f"'{b}' added", "", b) for b in new]
    return flags


# --- diff -------------------------------------------------------------------------------------

_SAYING = {"said", "says", "say", "told", "tells", "stated", "according", "added", "stressed",
           "noted", "declared", "announced", "wrote", "writes", "emphasized", "emphasised",
           "quoted", "reported", "explained", "asserted", "remarked", "saying"}


def _opcodes(o_tok: list[_Token], a_tok: list[_Token]):
    matcher = difflib.SequenceMatcher(None, [t.key for t in o_tok], [t.key for t in a_tok], autojunk=False)
    return matcher.get_opcodes()


def word_diff(original: str, article: str) -> list[DiffSegment]:
    """A word-level diff of two texts that keeps their spacing and punctuation.

    Words are compared case-insensitively; the characters between words travel with the word
    before them, so concatenating the ``original`` (or ``article``) fields of the segments gives
    back the text exactly.

    Args:
        original: the original's pivot-language text.
        article: the article's pivot-language text.

    Returns:
        Segments in order; adjacent segments never share a tag.
    """
    o_tok, a_tok = _tokens(original), _tokens(article)

    def cut(text: str, tokens: list[_Token], lo: int, hi: int) -> str:
        def pos(k: int) -> int:
            return 0 if k == 0 else (tokens[k].start if k < len(tokens) else len(text))

        return text[pos(lo) : pos(hi)]

    segments: list[DiffSegment] = []
    if not o_tok or not a_tok:
        return [DiffSegment("replace" if original and article else ("delete" if original else "insert"), original, article)]
    for tag, i1, i2, j1, j2 in _opcodes(o_tok, a_tok):
        seg = DiffSegment(tag, cut(original, o_tok, i1, i2), cut(article, a_tok, j1, j2))
        if segments and segments[-1].tag == seg.tag:
            prev = segments.pop()
            seg = DiffSegment(tag, prev.original + seg.original, prev.article + seg.article)
        segments.append(seg)
    return segments


# Function words carry no evidence that a clause moved rather than vanished.
_FUNCTION_WORDS = _NOT_NAMES | {"is", "are", "was", "were", "be", "been", "will", "would", "has",
                                "have", "had", "do", "does", "did", "than", "more", "very"}


def _moved(run: list[_Token], other_keys: set[str]) -> bool:
    content = [t.key for t in run if t.key not in _FUNCTION_WORDS]
    if not content:
        return False
    return sum(k in other_keys for k in content) * 2 > len(content)


def _clause_flags(
    o_tok: list[_Token], original: str, a_tok: list[_Token], article: str, min_tokens: int
) -> tuple[list[Flag], set[int], set[int]]:
    """OMISSION/ADDITION flags, and the token indices (original, article) they or an attribution
    ("Wang said", "the minister wrote") cover, which the other detectors then leave alone."""
    flags: list[Flag] = []
    covered_o: set[int] = set()
    covered_a: set[int] = set()
    o_keys, a_keys = {t.key for t in o_tok}, {t.key for t in a_tok}

    def is_attribution(tokens: list[_Token], lo: int, hi: int) -> bool:
        # A short changed run (at most 7 words: "Foreign Minister Wang Lianfeng wrote") holding or
        # within two words of a verb of saying ("according to him"). Longer runs are content,
        # even with a "said" inside ("but noted it was a short hop from ...").
        # A run holding a number, negator or modal carries content and is never attribution.
        near = {t.key for t in tokens[max(0, lo - 2) : hi + 2]}
        content = any(t.text[0].isdigit() or t.key in _NEGATORS or t.key in _MODALS
                      or t.key.endswith("n't") or t.key in _NUMBER_WORDS for t in tokens[lo:hi])
        return 0 < hi - lo <= 7 and not content and bool(near & _SAYING)

    def wordy(tokens: list[_Token], lo: int, hi: int) -> int:
        # "147" against "one hundred and forty seven" is one number, not five added words
        return sum(1 for t in tokens[lo:hi]
                   if not (t.text[0].isdigit() or t.key in CARDINAL_WORDS or t.key in ("and", "point")))

    for tag, i1, i2, j1, j2 in _opcodes(o_tok, a_tok):
        n_orig, n_art = i2 - i1, j2 - j1
        if tag == "equal":
            continue
        if tag == "replace":
            n_orig, n_art = wordy(o_tok, i1, i2), wordy(a_tok, j1, j2)
        # A name on both sides ("Costello said" → "Zorvath said") is a swapped speaker, which
        # the name flag must see; a name against a pronoun or nothing is attribution style.
        o_names = any(_is_name(o_tok, k, original) for k in range(i1, i2))
        a_names = any(_is_name(a_tok, k, article) for k in range(j1, j2))
        if is_attribution(a_tok, j1, j2) and not (o_names and a_names):
            covered_a.update(range(j1, j2))
            n_art = 0  # what stands in the article here is attribution, not content
        if is_attribution(o_tok, i1, i2) and not (o_names and a_names):
            covered_o.update(range(i1, i2))
            n_orig = 0
        # A replaced run counts as dropped (added) when the other side is under half its length:
        # otherwise it is rewording, which chrF and the other flags cover. A run whose words
        # mostly occur elsewhere in the other text was moved, not dropped.
        if n_orig >= min_tokens and n_art * 2 < n_orig and not _moved(o_tok[i1:i2], a_keys):
            words = original[o_tok[i1].start : o_tok[i2 - 1].end]
            flags.append(Flag(FlagKind.OMISSION, f"dropped: “{words}”", words, ""))
            covered_o.update(range(i1, i2))
        elif n_art >= min_tokens and n_orig * 2 < n_art and not _moved(a_tok[j1:j2], o_keys):
            words = article[a_tok[j1].start : a_tok[j2 - 1].end]
            flags.append(Flag(FlagKind.ADDITION, f"added: “{words}”", "", words))
            covered_a.update(range(j1, j2))
    return flags, covered_o, covered_a


# --- public API -------------------------------------------------------------------------------


def detect_changes(original: str, article: str, *, thresholds: Thresholds = Thresholds()) -> list[Flag]:
    """The typed changes between an original and the article's version, both in the pivot language.

    Args:
        original: the original sentence(s), translated into the pivot language (or already in it).
        article: the article's sentence, in the same pivot language.
        thresholds: ``min_clause_tokens`` sets the shortest omitted/added clause.

    Returns:
        Flags in a fixed order of kind (numbers, names, negation, modality, omission, addition).
    """
    o_all, a_all = _tokens(original), _tokens(article)
    clause, covered_o, covered_a = _clause_flags(o_all, original, a_all, article, thresholds.min_clause_tokens)
    # Numbers, negators and modals inside a dropped/added clause or an attribution are already
    # explained by that flag; counting them again would only repeat it.
    o_tok = [t for k, t in enumerate(o_all) if k not in covered_o]
    a_tok = [t for k, t in enumerate(a_all) if k not in covered_a]
    flags = _number_flags(_numbers(o_tok, original), _numbers(a_tok, article))
    flags += _name_flags(o_all, original, a_all, article, covered_o, covered_a)
    o_neg, a_neg = _negations(o_tok), _negations(a_tok)
    if sum(o_neg.values()) != sum(a_neg.values()):
        dropped = ", ".join(sorted((o_neg - a_neg).elements()))
        added = ", ".join(sorted((a_neg - o_neg).elements()))
        detail = " and ".join(p for p in (f"'{added}' added" if added else "", f"'{dropped}' dropped" if dropped else "") if p)
        flags.append(Flag(FlagKind.NEGATION, detail, dropped, added))
    flags += _modality_flags(_modals(o_tok), _modals(a_tok))
    flags += clause
    return flags


def decide_verdict(chrf: float | None, flags: list[Flag] | tuple[Flag, ...], *, thresholds: Thresholds = Thresholds()) -> Verdict:
    """Turn a chrF score and the flags into a verdict.

    Args:
        chrf: chrF (0-100) of the article's pivot text against the matched original's, or None
            when nothing was matched.
        flags: the typed changes found between them.
        thresholds: the cut-offs (see `Thresholds`).

    Returns:
        ``not_found`` below ``not_found_chrf`` (or without a match); ``changed`` with any flag;
        ``faithful`` at or above ``faithful_chrf``; ``paraphrased`` otherwise.
    """
    if chrf is None or chrf < thresholds.not_found_chrf:
        return Verdict.NOT_FOUND
    if flags:
        return Verdict.CHANGED
    if chrf >= thresholds.faithful_chrf:
        return Verdict.FAITHFUL
    return Verdict.PARAPHRASED


# --- readings for attribution -----------------------------------------------------------------

# Modal verbs by what they commit the speaker to: "must" and "have to" are one obligation, so a
# translator's choice between them is wording, not a change of meaning a descent could share.
MODAL_CLASSES = {
    "must": "obligation", "have to": "obligation", "need to": "obligation", "shall": "obligation",
    "should": "advice", "ought to": "advice",
    "can": "possibility", "could": "possibility", "may": "possibility", "might": "possibility",
    "will": "future", "would": "future",
}


def typed_readings(text: str) -> dict[str, str]:
    """The meaning-bearing readings of a pivot-language text, as comparable strings.

    These are what `mt_toolkit.attribution` compares across versions to find shared departures:
    the figures a reader checks (``number:147500000000.0``, ``number:month:8``; each value once
    per occurrence, ``#2`` for a repeat), the names (``name:sugan``: lower-cased, cut to five
    letters so Indonesia/Indonesian agree; not the speaker or agency beside a verb of saying, which
    is attribution), the count of negators (``negation:1``, ``negation:2``)
    and the modal commitments by class (``modal:obligation:1``). Weak numbers (a bare "one", "the
    two sides") are not readings.

    Args:
        text: one sentence (or a few fused ones) in the pivot language.

    Returns:
        {reading: how the text writes it} ("number:174500000000.0": "174.5 billion").
    """
    tokens = _tokens(text)
    out: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for number in _numbers(tokens, text):
        if number.weak and number.value == 1.0:  # "one of them", "no one": no figure at all
            continue
        # "the nine judges" is read, weak or not: a translation that drops the article must not
        # look like a version that added a figure
        key = f"number:{number.value}"
        seen[key] += 1
        out[key if seen[key] == 1 else f"{key}#{seen[key]}"] = number.text
    for run in _name_runs(tokens, text, set()):
        after = text[tokens[run[-1]].end : tokens[run[-1]].end + 1]
        if len(run) == 1 and _starts_sentence(tokens, run[0], text) and after == ",":
            continue  # "Nevertheless, ...", "Meanwhile, ...": a discourse adverb, not a name
        near = {t.key for t in tokens[max(0, run[0] - 2) : run[0]] + tokens[run[-1] + 1 : run[-1] + 3]}
        if near & _SAYING:  # the speaker or the relaying agency ("Novosti reported"): attribution
            continue
        for k in run:
            out.setdefault(f"name:{tokens[k].key[:5]}", tokens[k].text)
    negators = sum(_negations(tokens).values())
    for n in range(negators):
        out[f"negation:{n + 1}"] = f"{n + 1} negator{'s' if n else ''}"
    by_class: dict[str, list[str]] = {}
    for m in _modals(tokens):
        by_class.setdefault(MODAL_CLASSES.get(m, m), []).append(m)
    for cls, words in by_class.items():
        for n, word in enumerate(words):
            out[f"modal:{cls}:{n + 1}"] = f"'{word}' ({cls})"
    return out


def content_words(text: str) -> frozenset[str]:
    """Lower-cased content words of a text, cut to six letters (a crude stem), numbers left out."""
    return frozenset(
        t.key[:6] for t in _tokens(text)
        if not t.text[0].isdigit() and t.key not in _FUNCTION_WORDS and t.key not in CARDINAL_WORDS
        and len(t.key) > 2
    )


def has_attribution(text: str) -> bool:
    """True when a text attributes its words to someone ("..., he said", "according to")."""
    return any(t.key in _SAYING for t in _tokens(text))
