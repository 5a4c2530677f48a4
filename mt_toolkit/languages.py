"""Language codes: the one place where `id`, `ind`, `ind_Latn`, `in` and `Indonesian` become one thing.

Inside the toolkit a language is always its canonical code, a BCP 47 tag: ISO 639-1 where one
exists (`id`, `en`, `zh`), else ISO 639-3 (`ace`, `yue`), plus the script only where it differs
from the language's usual one (`zh-Hant`, `ks-Deva`, `ar-Latn`). The table holds every FLORES-200
language (`mt_toolkit/data/flores200.tsv`), so every language NLLB-200 serves is usable; its
canonical codes are what `langcodes` makes of the FLORES-200 codes (a test checks it).

Any spelling users meet is accepted: canonical codes, FLORES-200/NLLB codes (`zho_Hant`), ISO
639-2/3 codes (`ind`, `ger`), English names, and BCP 47 tags with a region or script
(`en-US`, `pt-BR`, `zh-TW`, `zh-Hant-HK`). A region is dropped unless it changes the script:
`zh-TW` and `zh-HK` are Traditional Chinese (`zh-Hant`), never silently Simplified, and a script
the table does not have (`sr-Latn`) is an error rather than a different script.

Each model family wants its own spelling (NLLB `ind_Latn`, OPUS-MT target prefixes `>>ind<<`,
M2M100 `id`), and sacrebleu wants a tokenizer per language; those are looked up here and
nowhere else.

The table is read on the first lookup, not at import; `langcodes` (a few hundred milliseconds to
import) is imported only for spellings the table does not list directly, such as `en-US`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from mt_toolkit.errors import UnknownLanguageError

__all__ = ["Language", "get_language", "known_codes", "languages", "normalize"]

# Scripts written without spaces between words (sentence joining, TER's asian_support).
_UNSPACED_SCRIPTS = frozenset({"Hans", "Hant", "Jpan", "Thai", "Laoo", "Khmr", "Mymr", "Tibt"})

# sacrebleu's recommended BLEU tokenizers (its README): zh for Chinese, MeCab for Japanese/Korean.
_BLEU_TOKENIZERS = {"zh": "zh", "yue": "zh", "ja": "ja-mecab", "ko": "ko-mecab"}

# ISO 639-3 codes kept as the toolkit has always used them (FLORES/NTREX file names, OPUS-MT
# prefixes): the macrolanguage code for Arabic and Persian. Every other language uses the code
# FLORES-200 itself names (zsm for Malay, swh for Swahili).
_ISO639_3 = {"arb_Arab": "ara", "pes_Arab": "fas"}

# M2M100 spells two languages its own way (its model card's language list).
_M2M100 = {"nb": "no", "nso": "ns"}

# Canonical codes that are not what langcodes derives, and why (tests/test_languages.py):
#   tgl_Latn: langcodes says `fil`; M2M100, OPUS-MT and our users say `tl` for Tagalog.
#   twi_Latn: langcodes folds Twi into Akan (`ak`), which FLORES-200 lists separately.
#   prs_Arab: langcodes says `fa-AF`, a region tag; Dari keeps its own code.
CODE_EXCEPTIONS = {"tgl_Latn": "tl", "twi_Latn": "tw", "prs_Arab": "prs"}

# Spellings no code column or name gives: ISO 639-2/B codes, deprecated and macrolanguage codes.
_EXTRA_ALIASES = {
    "zh-cn": "zh", "cmn": "zh", "chi": "zh", "cmn-hans": "zh", "cmn-hant": "zh-Hant",
    "in": "id", "msa": "ms", "may": "ms", "ger": "de", "fre": "fr", "per": "fa", "fas": "fa",
    "ara": "ar", "fil": "tl", "iw": "he", "ji": "yi", "no": "nb", "nor": "nb", "ps": "pbt",
    "pus": "pbt", "om": "gaz", "orm": "gaz", "qu": "quy", "ay": "ayr", "sqi": "sq", "alb": "sq",
    "cze": "cs", "dut": "nl", "gre": "el", "rum": "ro", "slo": "sk", "wel": "cy", "arm": "hy",
    "geo": "ka", "baq": "eu", "ice": "is", "mac": "mk", "mao": "mi", "bur": "my", "tib": "bo",
}


@dataclass(frozen=True)
class Language:
    """One language and its spellings in the conventions the toolkit meets."""

    code: str  # canonical BCP 47 tag: ISO 639-1 if it exists, else ISO 639-3; script if unusual
    name: str
    iso639_3: str
    nllb: str  # FLORES-200 / NLLB code, e.g. ind_Latn
    spaces_between_words: bool = True

    @property
    def base(self) -> str:
        """The code without its script (``zh`` for ``zh-Hant``)."""
        return self.code.split("-", 1)[0]

    @property
    def opus_prefix(self) -> str:
        """Target token of multi-target OPUS-MT models (``>>ind<<``), which use ISO 639-3."""
        return f">>{self.iso639_3}<<"

    @property
    def script(self) -> str:
        """ISO 15924 script of the language's written form here (``Latn``, ``Cyrl``, ``Hant`` …)."""
        return self.nllb.rsplit("_", 1)[-1]

    @property
    def m2m100(self) -> str:
        """M2M100's code: ISO 639-1 where it exists, like our canonical code, without a script."""
        return _M2M100.get(self.base, self.base)

    @property
    def sacrebleu_tokenizer(self) -> str:
        """The BLEU tokenizer sacrebleu recommends: `zh`/`ja-mecab`/`ko-mecab` for CJK, 13a else."""
        return _BLEU_TOKENIZERS.get(self.base, "13a")


@dataclass(frozen=True)
class _Table:
    languages: tuple[Language, ...]
    index: dict[str, Language]  # lower-cased spelling -> language


def _key(text: str) -> str:
    return text.strip().lower().replace(" ", "").replace("_", "-")


@cache
def _table() -> _Table:
    """Read the FLORES-200 table and index every spelling (once per process, on first use)."""
    # imported on first lookup: importlib.resources costs ~0.1 s that `--help` need not pay
    from importlib import resources

    text = resources.files("mt_toolkit").joinpath("data/flores200.tsv").read_text("utf-8")
    table: list[Language] = []
    names: list[tuple[str, Language]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        nllb, code, name, *aliases = line.split("\t")
        script = nllb.split("_")[1]
        lang = Language(
            code=code, name=name, iso639_3=_ISO639_3.get(nllb, nllb.split("_")[0]), nllb=nllb,
            spaces_between_words=script not in _UNSPACED_SCRIPTS,
        )
        table.append(lang)
        names += [(name, lang)] + [(alias, lang) for alias in aliases]
    index: dict[str, Language] = {}
    for lang in table:  # codes first, so a name can never shadow a code
        index.setdefault(_key(lang.code), lang)
        index.setdefault(_key(lang.nllb), lang)
    for lang in table:  # the bare FLORES subtag (`kas`) names the language's usual script only
        if "-" not in lang.code:
            index.setdefault(_key(lang.iso639_3), lang)
            index.setdefault(_key(lang.nllb.split("_")[0]), lang)
    for alias, target in _EXTRA_ALIASES.items():
        index.setdefault(_key(alias), index[_key(target)])
    for name, lang in names:
        index.setdefault(_key(name), lang)
    return _Table(tuple(table), index)


def languages() -> tuple[Language, ...]:
    """Every language in the table, in FLORES-200 code order."""
    return _table().languages


def known_codes() -> list[str]:
    """Canonical codes of every language the toolkit knows, sorted."""
    return sorted(lang.code for lang in _table().languages)


def _from_bcp47(text: str, index: dict[str, Language]) -> Language | None:
    """A tag the table does not list as such (``en-US``, ``zh-TW``, ``pt-Latn-BR``), via langcodes.

    The region only matters through the script it implies (langcodes' likely subtags from CLDR):
    ``zh-TW`` is written in Hant, so it is ``zh-Hant``; ``pt-BR`` is Latin like ``pt``.
    """
    try:
        import langcodes
    except ImportError:  # pragma: no cover - a core dependency
        return None
    try:
        tag = langcodes.Language.get(text.strip().replace("_", "-"), normalize=True)
    except (ValueError, LookupError):
        return None
    if not tag.language:
        return None
    base = index.get(_key(tag.language))
    if base is None:
        base = index.get(_key(langcodes.standardize_tag(tag.language, macro=True)))
    if base is None:
        return None
    script = tag.script
    if script is None and tag.territory:
        script = langcodes.Language.get(f"{tag.language}-{tag.territory}").maximize().script
    if script is None or script == base.script or (base.base == "ko" and script == "Kore"):
        return base
    return index.get(_key(f"{base.base}-{script}"))  # None: the table lacks that script


def get_language(code_or_name: str) -> Language:
    """Look a language up by any accepted spelling.

    Args:
        code_or_name: ``id``, ``ind``, ``ind_Latn``, ``Indonesian``, ``in``, ``id-ID``
            (case-insensitive), ``zh-TW`` (Traditional), ``pt-BR``, ...

    Returns:
        The `Language`, with its canonical code and its spelling for each model family.

    Raises:
        UnknownLanguageError: not a language of the table, with the closest known spellings.
    """
    table = _table()
    key = _key(code_or_name)
    lang = table.index.get(key)
    if lang is None and key:
        lang = _from_bcp47(code_or_name, table.index)
    if lang is None:
        raise UnknownLanguageError(_unknown_message(code_or_name, table))
    return lang


def _unknown_message(code_or_name: str, table: _Table) -> str:
    """The error text: the script variants the table has, else the closest spellings."""
    import difflib

    key = _key(code_or_name)
    base = table.index.get(key.split("-", 1)[0])
    if base is not None and "-" in key:
        variants = [lang for lang in table.languages if lang.base == base.base]
        hint = f"{base.name} is known as " + ", ".join(f"{v.code} ({v.script})" for v in variants) + "; "
    else:
        close = difflib.get_close_matches(key, list(table.index), n=6, cutoff=0.75)
        codes = list(dict.fromkeys(table.index[k].code for k in close))[:3]
        hint = " or ".join(f"{c} ({table.index[_key(c)].name})" for c in codes)
        hint = f"did you mean {hint}? " if hint else ""
    return (
        f"unknown language {code_or_name!r}; {hint}known: the {len(table.languages)} FLORES-200 "
        "languages, by code (id, zh-Hant, ind_Latn) or English name (mt_toolkit.languages.known_codes())"
    )


def normalize(code_or_name: str) -> str:
    """The canonical code for any accepted spelling (``ind_Latn`` → ``id``, ``zh-TW`` → ``zh-Hant``)."""
    return get_language(code_or_name).code


def split_pair(pair: str) -> tuple[str, str]:
    """The canonical codes of a language pair written ``SRC-TGT`` (``id-en``, ``zh-Hant-en``, ``en-zh-TW``).

    Codes hold dashes themselves, so every dash is tried. Where more than one split gives two
    languages (``en-zh-TW`` also reads as ``en-zh`` + ``TW``, Twi), the reading whose sides are
    known spellings or well-formed BCP 47 tags wins; a tie is refused rather than guessed.

    Raises:
        UnknownLanguageError: no split gives two languages, or two readings are equally good.
    """
    readings: dict[tuple[str, str], int] = {}
    for i, char in enumerate(pair):
        if char == "-" and 0 < i < len(pair) - 1:
            sides = pair[:i], pair[i + 1 :]
            try:
                codes = normalize(sides[0]), normalize(sides[1])
            except UnknownLanguageError:
                continue
            readings[codes] = max(readings.get(codes, 0), sum(_well_formed(side) for side in sides))
    if readings:
        best = max(readings.values())
        winners = [codes for codes, score in readings.items() if score == best]
        if len(winners) == 1:
            return winners[0]
        said = " or ".join(f"{s}-{t}" for s, t in winners)
        raise UnknownLanguageError(f"the pair {pair!r} can be read as {said}; write it with canonical codes (e.g. zh-Hant-en)")
    src, _, tgt = pair.partition("-")
    if src and tgt and pair.count("-") == 1:  # say which side is unknown, with suggestions
        normalize(src)
        normalize(tgt)
    raise UnknownLanguageError(f"{pair!r} is not a language pair like 'id-en' or 'zh-Hant-en'")


def _well_formed(code: str) -> bool:
    """A spelling of the table, or a valid BCP 47 tag (``zh-TW``; not ``en-zh``)."""
    if _key(code) in _table().index:
        return True
    import langcodes

    return bool(langcodes.tag_is_valid(code.replace("_", "-")))
