"""Typed change flags and verdicts on pivot-language (English) sentence pairs."""

from __future__ import annotations

import pytest

from mt_toolkit.fidelity import FlagKind, Thresholds, Verdict, decide_verdict, detect_changes, word_diff


def kinds(original: str, article: str) -> list[FlagKind]:
    return [f.kind for f in detect_changes(original, article)]


@pytest.mark.parametrize(
    ("original", "article"),
    [
        ("The visit is on July 2-4.", "The visit is on 2-4 Juli."),
        ("Trade reached 3.5 million dollars.", "Trade reached 3,5 juta dollars."),
        ("Trade reached 3.5 million dollars.", "Trade reached 3,500,000 dollars."),
        ("Exports grew by 30 percent.", "Exports grew by 30%."),
        ("Two sides signed twelve deals.", "2 sides signed 12 deals."),
        ("The fund holds 1.2 billion yuan.", "The fund holds 1,2 miliar yuan."),
        ("Trade reached a million dollars.", "Trade reached 1 million dollars."),
        ("Two hundred people came.", "200 people came."),
        ("One of the ministers came.", "A minister came."),  # "one of" is no quantity
    ],
)
def test_equivalent_numbers_are_not_flagged(original, article):
    assert FlagKind.NUMBER not in kinds(original, article)


@pytest.mark.parametrize(
    ("original", "article", "detail"),
    [
        ("Trade reached 147.5 billion dollars.", "Trade reached 174.5 billion dollars.", "147.5 billion → 174.5 billion"),
        ("The visit is on July 2-4.", "The visit is on July 2-5.", "4 → 5"),
        ("The visit is on 4 July.", "The visit is on 4 June.", "date: July → June"),
        ("Exports grew by 30 percent last year.", "Exports grew last year.", "30 missing"),
    ],
)
def test_number_changes_are_flagged_with_both_values(original, article, detail):
    flags = [f for f in detect_changes(original, article) if f.kind is FlagKind.NUMBER]
    assert [f.detail for f in flags] == [detail]


def test_name_swap_is_one_flag_naming_both():
    flags = detect_changes(
        "He will meet Foreign Minister Sugandi in Jakarta.",
        "He will meet Foreign Minister Sugiarto in Jakarta.",
    )
    assert [(f.kind, f.original, f.article) for f in flags] == [(FlagKind.NAME, "Sugandi", "Sugiarto")]


def test_name_forms_sharing_a_stem_match():
    assert kinds("China and Indonesia signed.", "Chinese and Indonesian officials signed.") == []


def test_attribution_is_not_an_added_name_or_clause():
    assert kinds(
        "We must protect the region from any outside force.",
        "We must protect the region from any outside force, Foreign Minister Wang Lianfeng wrote.",
    ) == []


@pytest.mark.parametrize(
    ("original", "article", "expected"),
    [
        ("China is ready to give more scholarships.", "China is not ready to give more scholarships.", "'not' added"),
        ("The talks never stopped.", "The talks stopped.", "'never' dropped"),
        ("They can't agree.", "They can agree.", None),
    ],
)
def test_negation_flips(original, article, expected):
    flags = [f for f in detect_changes(original, article) if f.kind is FlagKind.NEGATION]
    if expected is None:
        assert flags and flags[0].original == "n't"
    else:
        assert [f.detail for f in flags] == [expected]


@pytest.mark.parametrize(
    ("original", "article", "detail"),
    [
        ("Both sides must respect the deal.", "Both sides may respect the deal.", "must → may"),
        ("Both sides need to respect the deal.", "Both sides should respect the deal.", "need to → should"),
        ("We will finish the road.", "We finish the road.", "'will' dropped"),
    ],
)
def test_modality_changes(original, article, detail):
    flags = [f for f in detect_changes(original, article) if f.kind is FlagKind.MODALITY]
    assert [f.detail for f in flags] == [detail]


def test_dropped_clause_is_an_omission_and_its_words_are_not_flagged_again():
    flags = detect_changes(
        "The two sides will sign 12 agreements, and they will build a new railway by 2030.",
        "The two sides will sign 12 agreements.",
    )
    assert [f.kind for f in flags] == [FlagKind.OMISSION]
    assert "railway by 2030" in flags[0].original


def test_added_clause_is_an_addition():
    flags = detect_changes(
        "The two sides will sign 12 agreements.",
        "The two sides will sign 12 agreements, which critics call a debt trap for small farmers.",
    )
    assert [f.kind for f in flags] == [FlagKind.ADDITION]


def test_moved_clause_is_neither_omission_nor_addition():
    assert kinds(
        "In Jakarta next week, the ministers will sign the agreement.",
        "The ministers will sign the agreement in Jakarta next week.",
    ) == []


def test_short_rewording_is_not_a_clause():
    assert kinds("Young people are the future of our friendship.", "Youth is the future of our friendship.") == []


def test_word_diff_rebuilds_both_texts():
    original = "At the invitation of Indonesia, I will pay a visit."
    article = "At Indonesia's invitation, I will make an official visit!"
    segments = word_diff(original, article)
    assert "".join(s.original for s in segments) == original
    assert "".join(s.article for s in segments) == article
    assert {s.tag for s in segments} >= {"equal", "replace"}


@pytest.mark.parametrize(
    ("chrf", "has_flags", "verdict"),
    [
        (None, False, Verdict.NOT_FOUND),
        (34.9, True, Verdict.NOT_FOUND),
        (35.0, False, Verdict.PARAPHRASED),
        (59.9, False, Verdict.PARAPHRASED),
        (60.0, False, Verdict.FAITHFUL),
        (95.0, True, Verdict.CHANGED),
    ],
)
def test_verdict_thresholds(chrf, has_flags, verdict):
    flags = detect_changes("We must act.", "We may act.") if has_flags else []
    assert decide_verdict(chrf, flags) is verdict


def test_thresholds_are_parameters():
    assert decide_verdict(50.0, [], thresholds=Thresholds(faithful_chrf=45.0)) is Verdict.FAITHFUL


def test_swapped_speaker_in_the_attribution_is_a_name_change():
    flags = detect_changes("Mr Costello said the plant is safe.", "Mr Zorvath said the plant is safe.")
    assert [(f.kind, f.original, f.article) for f in flags] == [(FlagKind.NAME, "Costello", "Zorvath")]


def test_short_month_forms_need_a_number_beside_them():
    assert kinds("Talks end on 5 Jan.", "Talks end on 5 Feb.") == [FlagKind.NUMBER]
    flags = detect_changes("Jan Gelfand spoke to reporters.", "Tom Gelfand spoke to reporters.")
    assert [(f.kind, f.original, f.article) for f in flags] == [(FlagKind.NAME, "Jan", "Tom")]


def test_moved_attribution_keeps_its_numbers():
    assert kinds(
        "A 17-year-old was arrested overnight in the area, police said.",
        "Police said a 17-year-old was arrested overnight in the area.",
    ) == []
