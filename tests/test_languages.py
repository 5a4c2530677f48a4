import pytest

from mt_toolkit.errors import UnknownLanguageError
from mt_toolkit.languages import get_language, known_codes, normalize


@pytest.mark.parametrize("spelling", ["id", "ind", "ind_Latn", "Indonesian", "INDONESIAN", " id "])
def test_every_indonesian_spelling_is_one_language(spelling):
    assert normalize(spelling) == "id"


@pytest.mark.parametrize(
    "spelling, code", [("zho_Hans", "zh"), ("zh-CN", "zh"), ("cmn", "zh"), ("rus", "ru"), ("kaz_Cyrl", "kk")]
)
def test_other_spellings(spelling, code):
    assert normalize(spelling) == code


def test_family_spellings():
    zh = get_language("zh")
    assert (zh.nllb, zh.opus_prefix, zh.m2m100, zh.sacrebleu_tokenizer) == ("zho_Hans", ">>zho<<", "zh", "zh")
    assert get_language("id").sacrebleu_tokenizer == "13a"
    assert not zh.spaces_between_words


def test_unknown_language_lists_known_codes():
    with pytest.raises(UnknownLanguageError, match="unknown language 'xx'; known: .*id.*zh"):
        normalize("xx")
    assert "id" in known_codes() and known_codes() == sorted(known_codes())
