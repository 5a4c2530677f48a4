"""The clipped n-gram F-score used to judge candidate spans in quote location."""

from mt_toolkit.align.overlap import HypothesisCounts, fscore, merge_profiles, profile, totals

from align_fixtures import ENGLISH


def test_identical_texts_score_one_and_unrelated_texts_near_zero():
    assert fscore(profile(ENGLISH[0]), profile(ENGLISH[0])) == 1.0
    assert fscore(profile("abc"), profile("xyz")) == 0.0


def test_span_too_long_or_too_short_scores_below_the_right_one():
    right = fscore(profile(ENGLISH[4] + " " + ENGLISH[5]), merge_profiles([profile(ENGLISH[4]), profile(ENGLISH[5])]))
    short = fscore(profile(ENGLISH[4] + " " + ENGLISH[5]), profile(ENGLISH[4]))
    long = fscore(profile(ENGLISH[4] + " " + ENGLISH[5]), merge_profiles([profile(s) for s in ENGLISH[4:7]]))
    assert right > max(short, long)


def test_case_and_spacing_do_not_matter():
    assert fscore(profile("The  Summit"), profile("the summit")) == 1.0


def test_span_score_from_per_sentence_counts_equals_score_of_the_merged_span():
    hyp = profile(ENGLISH[4] + " " + ENGLISH[5])
    refs = [profile(s) for s in ENGLISH[3:6]]
    counts = HypothesisCounts(hyp)
    shared = sum(counts.shared(r) for r in refs)
    assert abs(counts.fscore(shared, sum(totals(r) for r in refs)) - fscore(hyp, merge_profiles(refs))) < 1e-12
