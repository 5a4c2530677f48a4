"""The language table: accepted spellings, FLORES-200/NLLB round-trips, scripts kept apart."""

from pathlib import Path

import pytest

from mt_toolkit import languages
from mt_toolkit.errors import UnknownLanguageError
from mt_toolkit.languages import CODE_EXCEPTIONS, get_language, known_codes, normalize

TABLE = Path(languages.__file__).parent / "data" / "flores200.tsv"
ROWS = [line.split("\t") for line in TABLE.read_text("utf-8").splitlines() if line and not line.startswith("#")]

# The table as it was before it grew to FLORES-200: these must keep every field they had.
OLD_TABLE = [
    ("en", "English", "eng", "eng_Latn", True), ("id", "Indonesian", "ind", "ind_Latn", True),
    ("ms", "Malay", "zsm", "zsm_Latn", True), ("jv", "Javanese", "jav", "jav_Latn", True),
    ("su", "Sundanese", "sun", "sun_Latn", True), ("ru", "Russian", "rus", "rus_Cyrl", True),
    ("uk", "Ukrainian", "ukr", "ukr_Cyrl", True), ("kk", "Kazakh", "kaz", "kaz_Cyrl", True),
    ("zh", "Chinese", "zho", "zho_Hans", False), ("ja", "Japanese", "jpn", "jpn_Jpan", False),
    ("ko", "Korean", "kor", "kor_Hang", True), ("vi", "Vietnamese", "vie", "vie_Latn", True),
    ("th", "Thai", "tha", "tha_Thai", False), ("tl", "Tagalog", "tgl", "tgl_Latn", True),
    ("ar", "Arabic", "ara", "arb_Arab", True), ("fa", "Persian", "fas", "pes_Arab", True),
    ("tr", "Turkish", "tur", "tur_Latn", True), ("hi", "Hindi", "hin", "hin_Deva", True),
    ("de", "German", "deu", "deu_Latn", True), ("fr", "French", "fra", "fra_Latn", True),
    ("es", "Spanish", "spa", "spa_Latn", True), ("pt", "Portuguese", "por", "por_Latn", True),
    ("it", "Italian", "ita", "ita_Latn", True), ("nl", "Dutch", "nld", "nld_Latn", True),
    ("pl", "Polish", "pol", "pol_Latn", True),
]


@pytest.mark.parametrize("code, name, iso3, nllb, spaces", OLD_TABLE)
def test_the_old_table_is_unchanged(code, name, iso3, nllb, spaces):
    lang = get_language(code)
    assert (lang.code, lang.name, lang.iso639_3, lang.nllb, lang.spaces_between_words) == (code, name, iso3, nllb, spaces)


@pytest.mark.parametrize(
    "spelling, code",
    [
        # every spelling of Indonesian
        ("id", "id"), ("ind", "id"), ("ind_Latn", "id"), ("Indonesian", "id"), ("INDONESIAN", "id"),
        (" id ", "id"), ("in", "id"), ("id-ID", "id"), ("ind-Latn", "id"),
        # region dropped unless it changes the script
        ("en-US", "en"), ("en_GB", "en"), ("pt-BR", "pt"), ("pt-PT", "pt"), ("es-419", "es"), ("de-CH", "de"),
        ("ko-KR", "ko"), ("ru-RU", "ru"),
        # Simplified and Traditional Chinese stay apart
        ("zh", "zh"), ("zho_Hans", "zh"), ("zh-CN", "zh"), ("zh-SG", "zh"), ("zh-Hans", "zh"), ("cmn", "zh"),
        ("Chinese", "zh"), ("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh-Hant", "zh-Hant"),
        ("zh_Hant", "zh-Hant"), ("zho_Hant", "zh-Hant"), ("zh-Hant-TW", "zh-Hant"), ("Traditional Chinese", "zh-Hant"),
        ("yue", "yue"), ("yue_Hant", "yue"), ("Cantonese", "yue"),
        # macrolanguage, ISO 639-2/B and deprecated codes
        ("arb", "ar"), ("ara", "ar"), ("Arabic", "ar"), ("pes", "fa"), ("per", "fa"), ("zsm", "ms"), ("may", "ms"),
        ("ger", "de"), ("fil", "tl"), ("tgl_Latn", "tl"), ("iw", "he"), ("no", "nb"), ("ps", "pbt"),
        ("kaz_Cyrl", "kk"), ("rus", "ru"),
        # languages the old table did not have, and script variants
        ("ace_Arab", "ace-Arab"), ("ace", "ace"), ("kas_Deva", "ks-Deva"), ("Kashmiri", "ks"), ("arb_Latn", "ar-Latn"),
        ("taq_Tfng", "taq-Tfng"), ("Swahili", "sw"), ("swh_Latn", "sw"), ("npi_Deva", "ne"), ("twi_Latn", "tw"),
        ("aka_Latn", "ak"), ("prs_Arab", "prs"), ("Dari", "prs"),
    ],
)
def test_accepted_spellings(spelling, code):
    assert normalize(spelling) == code


def test_traditional_chinese_keeps_its_script_for_every_model_family():
    hant = get_language("zh-TW")
    assert (hant.nllb, hant.script, hant.m2m100, hant.sacrebleu_tokenizer) == ("zho_Hant", "Hant", "zh", "zh")
    assert not hant.spaces_between_words
    assert get_language("zh").nllb == "zho_Hans"


@pytest.mark.parametrize("nllb", [row[0] for row in ROWS])
def test_every_flores200_code_round_trips(nllb):
    lang = get_language(nllb)
    assert lang.nllb == nllb
    assert get_language(lang.code) is lang
    assert get_language(lang.name) is lang
    assert normalize(nllb.replace("_", "-").lower()) == lang.code


def test_the_table_is_flores200():
    codes = [row[0] for row in ROWS]
    assert len(codes) == len(set(codes)) == 204
    assert len(known_codes()) == 204 and known_codes() == sorted(known_codes())
    assert {"ace_Arab", "zho_Hant", "yue_Hant", "taq_Tfng", "min_Arab", "arb_Latn", "zul_Latn"} <= set(codes)


def test_every_nllb200_language_token_is_in_the_table():
    nllb = pytest.importorskip("transformers.models.nllb.tokenization_nllb")
    assert set(nllb.FAIRSEQ_LANGUAGE_CODES) <= {row[0] for row in ROWS}


def test_canonical_codes_are_what_langcodes_derives():
    """The code column is langcodes' standard tag (macrolanguages folded), plus the script where
    the language has several in FLORES-200 and this is not the usual one; exceptions are listed."""
    langcodes = pytest.importorskip("langcodes")
    scripts: dict[str, int] = {}
    for row in ROWS:
        subtag = row[0].split("_")[0]
        scripts[subtag] = scripts.get(subtag, 0) + 1
    for nllb, code, *_ in ROWS:
        subtag, script = nllb.split("_")
        expected = langcodes.standardize_tag(subtag, macro=True)
        if scripts[subtag] > 1 and langcodes.Language.get(expected).maximize().script != script:
            expected = f"{expected}-{script}"
        assert code == CODE_EXCEPTIONS.get(nllb, expected), nllb


def test_family_spellings():
    zh = get_language("zh")
    assert (zh.nllb, zh.opus_prefix, zh.m2m100, zh.sacrebleu_tokenizer) == ("zho_Hans", ">>zho<<", "zh", "zh")
    assert get_language("id").sacrebleu_tokenizer == "13a"
    assert get_language("ja").sacrebleu_tokenizer == "ja-mecab"
    assert (get_language("nb").m2m100, get_language("nso").m2m100) == ("no", "ns")
    assert not zh.spaces_between_words and not get_language("km").spaces_between_words
    assert get_language("ko").spaces_between_words


@pytest.mark.parametrize(
    "spelling, message",
    [
        ("xx", r"unknown language 'xx'; known: the 204 FLORES-200 languages"),
        ("Indonesain", r"did you mean id \(Indonesian\)\?"),
        ("Russain", r"did you mean ru \(Russian\)\?"),
        ("zh-Latn", r"Chinese is known as zh \(Hans\), zh-Hant \(Hant\)"),
        ("sr-Latn", r"Serbian is known as sr \(Cyrl\)"),
        ("", r"unknown language ''"),
    ],
)
def test_unknown_languages_raise_with_a_suggestion(spelling, message):
    with pytest.raises(UnknownLanguageError, match=message):
        normalize(spelling)


def test_import_reads_nothing_and_needs_no_langcodes():
    import subprocess
    import sys

    code = (
        "import sys, mt_toolkit.languages as L; assert 'langcodes' not in sys.modules; "
        "assert L._table.cache_info().currsize == 0; L.normalize('zh-Hant'); L.normalize('ind_Latn'); "
        "assert 'langcodes' not in sys.modules; L.normalize('zh-TW'); assert 'langcodes' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(languages.__file__).parents[1])


@pytest.mark.parametrize(
    "pair, expected",
    [
        ("id-en", ("id", "en")),
        ("zh-Hant-en", ("zh-Hant", "en")),
        ("en-zh-TW", ("en", "zh-Hant")),
        ("pt-BR-en", ("pt", "en")),
        ("ind_Latn-eng_Latn", ("id", "en")),
    ],
)
def test_language_pairs_split_where_both_sides_are_languages(pair, expected):
    from mt_toolkit.languages import split_pair

    assert split_pair(pair) == expected


@pytest.mark.parametrize(
    "pair, message",
    [("id-xx", r"unknown language 'xx'"), ("iden", "not a language pair"), ("zh-Hant", "unknown language 'Hant'")],
)
def test_a_pair_that_is_not_two_languages_says_so(pair, message):
    from mt_toolkit.languages import split_pair

    with pytest.raises(UnknownLanguageError, match=message):
        split_pair(pair)
