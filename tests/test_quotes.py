"""Quote spans and reported-speech cues: what the trace marks as a quotation."""

from __future__ import annotations

import pytest

from mt_toolkit.text.quotes import SentenceKind, classify_sentence, find_quotes, speech_cues


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Kerja sama harus diperkuat,” kata menteri.", ["Kerja sama harus diperkuat,"]),
        ("«Мы должны действовать», — заявил он.", ["Мы должны действовать"]),
        ("他说：「合作很重要。」", ["合作很重要。"]),
        ("„Wir müssen handeln“, sagte er.", ["Wir müssen handeln"]),
        ('"Kita harus bersatu," tulis Wang.', ["Kita harus bersatu,"]),
        ("He called it 'a new era' in Jakarta.", ["a new era"]),
        ("“One,” he said, “and two.”", ["One,", "and two."]),
    ],
)
def test_find_quotes_reads_each_quotation_style(text, expected):
    assert [q.text for q in find_quotes(text)] == expected


def test_quote_span_offsets_point_into_the_text():
    text = "Dia berkata “halo dunia” kemarin."
    (span,) = find_quotes(text)
    assert text[span.start : span.end] == "halo dunia"
    assert (span.open_mark, span.close_mark) == ("“", "”")


@pytest.mark.parametrize(
    "text",
    [
        "Jakarta's minister didn't come.",  # apostrophes are not quotes
        "He said “this never closes.",  # unclosed: ignored, not swallowing the rest
        "The 5' cable.",
    ],
)
def test_no_quotation_where_there_is_none(text):
    assert find_quotes(text) == []


@pytest.mark.parametrize(
    ("sentence", "lang", "kind"),
    [
        ('"Kita harus bersatu," kata Wang.', "id", SentenceKind.QUOTE),
        ("Menurut Wang, perdagangan naik.", "id", SentenceKind.REPORTED),
        ("Он заявил, что визит состоится.", "ru", SentenceKind.REPORTED),
        ("王部长表示，合作很重要。", "zh", SentenceKind.REPORTED),
        ("The minister said trade grew.", "en", SentenceKind.REPORTED),
        ("Cuaca di Jakarta cerah.", "id", SentenceKind.NARRATIVE),
    ],
)
def test_classify_sentence(sentence, lang, kind):
    assert classify_sentence(sentence, lang) is kind


def test_speech_cues_match_whole_words_only():
    assert speech_cues("Menurut dia, katanya begitu.", "ind") == ["menurut", "katanya"]
    assert speech_cues("The sayings of the day.", "en") == []
