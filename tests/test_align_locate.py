"""Quote location on a small hand-made case, and the similarity matrix trace draws."""

import numpy as np
import pytest

from mt_toolkit.align import QuoteMatch, locate_quote, similarity_matrix
from mt_toolkit.align.locate import LocateOptions
from mt_toolkit.errors import InputError

from align_fixtures import ENGLISH, noisy


def test_quote_sentences_found_reordered_merged_and_missing():
    quote = ["q0", "q1", "q2", "q3"]
    quote_mt = [
        noisy(ENGLISH[7]),                                  # a single sentence
        noisy(ENGLISH[2]),                                  # earlier in the original: reordered
        noisy(ENGLISH[4] + " " + ENGLISH[5]),               # two original sentences fused
        "Parliament approved the new budget for hospitals on Tuesday.",  # not in the original
    ]
    matches = locate_quote(quote, ENGLISH, quote_lang="id", orig_lang="en", quote_mt=quote_mt)
    assert [m.quote_index for m in matches] == [0, 1, 2, 3]
    assert matches[0].original_indices == (7,) and matches[0].found
    assert matches[1].original_indices == (2,) and matches[1].found
    assert matches[2].original_indices == (4, 5) and matches[2].found
    assert matches[3] == QuoteMatch(3, (), matches[3].score, False)
    assert matches[3].score < LocateOptions().threshold <= min(m.score for m in matches[:3])


def test_partial_quote_of_a_long_sentence_is_found():
    quote = ["Keller measured the summit at 8848 metres"]
    matches = locate_quote(quote, ENGLISH, quote_lang="en", orig_lang="en")
    assert matches[0].original_indices == (2,) and matches[0].found


def test_max_merge_one_never_merges():
    quote_mt = [noisy(ENGLISH[4] + " " + ENGLISH[5])]
    [match] = locate_quote(["q"], ENGLISH, quote_lang="de", orig_lang="en", quote_mt=quote_mt, options=LocateOptions(max_merge=1))
    assert match.original_indices in ((4,), (5,))


def test_quote_mt_of_wrong_length_is_refused():
    with pytest.raises(InputError, match="line-parallel"):
        locate_quote(["a", "b"], ENGLISH, quote_lang="de", orig_lang="en", quote_mt=["only one"])


def test_similarity_matrix_peaks_on_the_diagonal():
    left = [noisy(s) for s in ENGLISH]
    matrix = similarity_matrix(left, ENGLISH, left_lang="en", right_lang="en")
    assert matrix.shape == (len(ENGLISH), len(ENGLISH))
    assert (matrix.argmax(axis=1) == np.arange(len(ENGLISH))).all()
    assert np.all(matrix <= 1.0 + 1e-9) and np.all(matrix >= -1.0 - 1e-9)


def test_quote_sentence_rendered_as_three_original_sentences_gets_all_three():
    quote_mt = [noisy(" ".join(ENGLISH[4:7]))]
    [match] = locate_quote(["q"], ENGLISH, quote_lang="de", orig_lang="en", quote_mt=quote_mt)
    assert match.found and match.original_indices == (4, 5, 6)


def test_two_quote_sentences_from_one_original_sentence_both_point_to_it():
    words = ENGLISH[2].split()
    quote_mt = [" ".join(words[:5]) + ".", " ".join(words[5:])]
    matches = locate_quote(["q0", "q1"], ENGLISH, quote_lang="de", orig_lang="en", quote_mt=quote_mt)
    assert [(m.original_indices, m.found) for m in matches] == [((2,), True), ((2,), True)]


def test_passage_that_skips_an_original_sentence():
    quote_mt = [noisy(ENGLISH[3]), noisy(ENGLISH[5]), noisy(ENGLISH[6])]
    matches = locate_quote(["a", "b", "c"], ENGLISH, quote_lang="de", orig_lang="en", quote_mt=quote_mt)
    assert [m.original_indices for m in matches] == [(3,), (5,), (6,)]


def test_passage_matching_nothing_is_no_match():
    quote_mt = [
        "Parliament approved the new budget for hospitals on Tuesday.",
        "The opposition called the vote a disgrace and left the chamber.",
    ]
    matches = locate_quote(["a", "b"], ENGLISH, quote_lang="de", orig_lang="en", quote_mt=quote_mt)
    assert [(m.original_indices, m.found) for m in matches] == [((), False), ((), False)]
    assert all(m.score < LocateOptions().threshold for m in matches)


def test_without_the_second_pass_the_three_sentences_are_still_found():
    quote_mt = [noisy(" ".join(ENGLISH[4:7]))]
    options = LocateOptions(overlap=False)
    [match] = locate_quote(["q"], ENGLISH, quote_lang="de", orig_lang="en", quote_mt=quote_mt, options=options)
    assert match.found and match.original_indices == (4, 5, 6)


def test_an_exact_quote_of_a_one_sentence_original_is_found():
    """The chance sample of a one-sentence original is the sentence itself: the margin must not be
    rounding noise over rounding noise (it was 'not found', score 0.0)."""
    sentence = ["Kami siap bekerja sama dengan Tiongkok."]
    (match,) = locate_quote(sentence, sentence, quote_lang="id", orig_lang="id", translate=False)
    assert match.found and match.original_indices == (0,) and match.score == pytest.approx(1.0)
