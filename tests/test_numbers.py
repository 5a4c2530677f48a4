"""Numbers written as words (`mt_toolkit.numbers`) and what the number flag makes of them."""

from __future__ import annotations

import pytest

from mt_toolkit.fidelity import FlagKind, detect_changes, typed_readings
from mt_toolkit.numbers import is_referential, words_to_number


@pytest.mark.parametrize(
    "words, value",
    [
        ("four", 4), ("forty seven", 47), ("one hundred and forty seven", 147), ("twelve hundred", 1200),
        ("three point five", 3.5), ("three point five million", 3_500_000), ("seven million", 7_000_000),
    ],
)
def test_number_words_are_read_as_values(words, value):
    assert words_to_number(words.split()) == pytest.approx(value)


def test_words_that_are_no_number_give_none():
    assert words_to_number(["point"]) is None
    assert words_to_number([]) is None


@pytest.mark.parametrize(
    "original, article",
    [
        ("The city opened 4 new lines.", "The city opened four new lines."),
        ("It has 21 members.", "It has twenty-one members."),
        ("He met 147 people.", "He met one hundred and forty-seven people."),
        ("Sales reached 3.5 million.", "Sales reached three point five million."),
        ("Trade between the two countries grew.", "Trade between our countries grew."),
        ("The two sides agreed.", "Both sides agreed."),
    ],
)
def test_spelled_out_and_referential_numbers_raise_no_flag(original, article):
    assert [f for f in detect_changes(original, article) if f.kind is FlagKind.NUMBER] == []


@pytest.mark.parametrize(
    "original, article, detail",
    [
        ("The city opened 4 new lines.", "The city opened five new lines.", "4 → five"),
        ("They sold five of six.", "They sold five of seven.", "six → seven"),
        ("The two sides will sign 12 deals.", "The two sides will sign 14 deals.", "12 → 14"),
    ],
)
def test_a_changed_figure_is_still_flagged(original, article, detail):
    assert [f.detail for f in detect_changes(original, article) if f.kind is FlagKind.NUMBER] == [detail]


def test_a_dropped_month_is_a_date_change_not_a_name_change():
    flags = detect_changes("The visit is on 14 August 2026.", "The visit is on 14 2026.")
    assert [(f.kind, f.detail) for f in flags] == [(FlagKind.NUMBER, "date: August missing")]


def test_referential_determiners():
    assert is_referential("the") and is_referential("our") and not is_referential("of")
    assert not is_referential(None)


def test_readings_normalise_numbers_and_skip_attribution_names():
    readings = typed_readings("According to Novosti, trade between the two countries reached four billion dollars in May 2026.")
    assert "number:4000000000.0" in readings and "number:month:5" in readings
    assert not any(key.startswith("name:novos") for key in readings)
