"""Language codes: the one place where `id`, `ind`, `ind_Latn` and `Indonesian` become one thing.

Inside the toolkit a language is always its canonical code: ISO 639-1 where one exists (`id`, `en`,
`zh`), else ISO 639-3. Each model family wants its own spelling (NLLB `ind_Latn`, OPUS-MT target
prefixes `>>ind<<`, FLORES file names `ind`), and sacrebleu wants a tokenizer per language; those
are looked up here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from mt_toolkit.errors import UnknownLanguageError


@dataclass(frozen=True)
class Language:
    """One language and its spellings in the conventions the toolkit meets."""

    code: str  # canonical: ISO 639-1 if it exists, else ISO 639-3
    name: str
    iso639_3: str
    nllb: str  # FLORES-200 / NLLB code, e.g. ind_Latn
    spaces_between_words: bool = True

    @property
    def opus_prefix(self) -> str:
        """Target token of multi-target OPUS-MT models (``>>ind<<``), which use ISO 639-3."""
        return f">>{self.iso639_3}<<"

    @property
    def script(self) -> str:
        """ISO 15924 script of the language's usual written form (``Latn``, ``Cyrl``, ``Hans`` …)."""
        return self.nllb.rsplit("_", 1)[-1]

    @property
    def m2m100(self) -> str:
        """M2M100 uses ISO 639-1 where it exists, like our canonical code."""
        return self.code

    @property
    def sacrebleu_tokenizer(self) -> str:
        """The BLEU tokenizer sacrebleu recommends: `zh`/`ja-mecab`/`ko-mecab` for CJK, 13a else."""
        return {"zh": "zh", "ja": "ja-mecab", "ko": "ko-mecab"}.get(self.code, "13a")


_TABLE: tuple[Language, ...] = (
    Language("en", "English", "eng", "eng_Latn"),
    Language("id", "Indonesian", "ind", "ind_Latn"),
    Language("ms", "Malay", "zsm", "zsm_Latn"),
    Language("jv", "Javanese", "jav", "jav_Latn"),
    Language("su", "Sundanese", "sun", "sun_Latn"),
    Language("ru", "Russian", "rus", "rus_Cyrl"),
    Language("uk", "Ukrainian", "ukr", "ukr_Cyrl"),
    Language("kk", "Kazakh", "kaz", "kaz_Cyrl"),
    Language("zh", "Chinese", "zho", "zho_Hans", spaces_between_words=False),
    Language("ja", "Japanese", "jpn", "jpn_Jpan", spaces_between_words=False),
    Language("ko", "Korean", "kor", "kor_Hang"),
    Language("vi", "Vietnamese", "vie", "vie_Latn"),
    Language("th", "Thai", "tha", "tha_Thai", spaces_between_words=False),
    Language("tl", "Tagalog", "tgl", "tgl_Latn"),
    Language("ar", "Arabic", "ara", "arb_Arab"),
    Language("fa", "Persian", "fas", "pes_Arab"),
    Language("tr", "Turkish", "tur", "tur_Latn"),
    Language("hi", "Hindi", "hin", "hin_Deva"),
    Language("de", "German", "deu", "deu_Latn"),
    Language("fr", "French", "fra", "fra_Latn"),
    Language("es", "Spanish", "spa", "spa_Latn"),
    Language("pt", "Portuguese", "por", "por_Latn"),
    Language("it", "Italian", "ita", "ita_Latn"),
    Language("nl", "Dutch", "nld", "nld_Latn"),
    Language("pl", "Polish", "pol", "pol_Latn"),
)

# Extra spellings seen in the wild: ISO 639-2/B codes, macrolanguage codes, script/region tags.
_EXTRA_ALIASES = {
    "zh-cn": "zh", "zh_cn": "zh", "zh-hans": "zh", "zh_hans": "zh", "cmn": "zh", "chi": "zh",
    "zho_hant": "zh", "zh-tw": "zh", "zh-hant": "zh", "in": "id", "msa": "ms", "may": "ms",
    "ger": "de", "fre": "fr", "per": "fa", "arb": "ar", "pes": "fa", "fil": "tl",
}


def _build_index() -> dict[str, Language]:
    index: dict[str, Language] = {}
    for lang in _TABLE:
        for alias in (lang.code, lang.iso639_3, lang.nllb, lang.name):
            index[alias.lower()] = lang
    by_code = {lang.code: lang for lang in _TABLE}
    for alias, code in _EXTRA_ALIASES.items():
        index[alias] = by_code[code]
    return index


_INDEX = _build_index()


def known_codes() -> list[str]:
    """Canonical codes of every language the toolkit knows, sorted."""
    return sorted(lang.code for lang in _TABLE)


def get_language(code_or_name: str) -> Language:
    """Look a language up by any accepted spelling.

    Args:
        code_or_name: ``id``, ``ind``, ``ind_Latn``, ``Indonesian`` (case-insensitive), ...

    Raises:
        UnknownLanguageError: naming the known codes.
    """
    key = code_or_name.strip().lower().replace(" ", "")
    lang = _INDEX.get(key) or _INDEX.get(key.replace("-", "_"))
    if lang is None:
        raise UnknownLanguageError(
            f"unknown language {code_or_name!r}; known: {', '.join(known_codes())}"
        )
    return lang


def normalize(code_or_name: str) -> str:
    """The canonical code for any accepted spelling (``ind_Latn`` → ``id``)."""
    return get_language(code_or_name).code
