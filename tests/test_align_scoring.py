"""Strict and lax P/R/F1 by the published protocol, checked by hand."""

import pytest

from mt_toolkit.align.scoring import score_alignments

GOLD = [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3, 4))]


def test_perfect_alignment_scores_one():
    score = score_alignments([GOLD], [GOLD])
    assert (score.f1_strict, score.f1_lax) == (1.0, 1.0)


def test_hand_counted_case():
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((), (2,)), ((3,), (3,)), ((), (4,))]
    score = score_alignments([GOLD], [test])
    # Precision over all 6 predicted beads: strict hits [0]:[0] and []:[2]; lax also [1]:[1], [3]:[3].
    assert score.precision_strict == pytest.approx(2 / 6)
    assert score.precision_lax == pytest.approx(4 / 6)
    # Recall over the 3 linked gold beads against the 3 linked predicted beads: strict 1/3, lax 3/3.
    assert score.recall_strict == pytest.approx(1 / 3)
    assert score.recall_lax == pytest.approx(1.0)
    assert score.f1_strict == pytest.approx(2 * (2 / 6) * (1 / 3) / (2 / 6 + 1 / 3))


def test_counts_are_pooled_over_documents():
    doc_a = [((0,), (0,))]
    doc_b = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    wrong_b = [((0, 1), (0, 1)), ((2,), (2,))]
    score = score_alignments([doc_a, doc_b], [doc_a, wrong_b])
    assert score.precision_strict == pytest.approx(2 / 3)
    assert score.recall_strict == pytest.approx(2 / 4)
