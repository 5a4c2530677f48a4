"""The bead DP on hand-made cases, and the coverage invariant on random inputs."""

import random

import pytest

from mt_toolkit.align import Bead, align_sentences
from mt_toolkit.align.dp import SearchOptions
from mt_toolkit.align.aligner import AlignOptions

from align_fixtures import ENGLISH, GERMAN, noisy


def _align(src_mt, tgt, src=None, **kw):
    if src is None:
        src = GERMAN if len(src_mt) == len(GERMAN) else [f"s{i}" for i in range(len(src_mt))]
    return align_sentences(src, tgt, src_lang="de", tgt_lang="en", src_mt=src_mt, **kw)


def _pairs(beads):
    return [(b.src, b.tgt) for b in beads]


def test_one_to_one_with_noisy_translation():
    beads = _align([noisy(s) for s in ENGLISH], ENGLISH)
    assert _pairs(beads) == [((i,), (i,)) for i in range(len(ENGLISH))]
    assert all(0.0 < b.score <= 1.0 for b in beads)


def test_source_sentence_split_in_two_gives_a_1_2_bead():
    # Source sentence 3 says what target sentences 3 and 4 say.
    src_mt = [noisy(s) for s in ENGLISH[:3]] + [noisy(ENGLISH[3] + " " + ENGLISH[4])] + [noisy(s) for s in ENGLISH[5:]]
    src = GERMAN[:3] + [GERMAN[3] + " " + GERMAN[4]] + GERMAN[5:]
    beads = _align(src_mt, ENGLISH, src)
    assert ((3,), (3, 4)) in _pairs(beads)
    assert ((4,), (5,)) in _pairs(beads)


def test_two_source_sentences_merged_in_the_target_give_a_2_1_bead():
    tgt = ENGLISH[:6] + [ENGLISH[6] + " " + ENGLISH[7]] + ENGLISH[8:]
    beads = _align([noisy(s) for s in ENGLISH], tgt)
    assert ((6, 7), (6,)) in _pairs(beads)


def test_inserted_caption_and_dropped_sentence_are_0_1_and_1_0():
    caption = "Photo: Foundation for Alpine Research, Bern, plate XIV."
    tgt = ENGLISH[:4] + [caption] + ENGLISH[4:9] + ENGLISH[10:]  # caption added, sentence 9 dropped
    beads = _align([noisy(s) for s in ENGLISH], tgt)
    pairs = _pairs(beads)
    assert ((), (4,)) in pairs
    assert ((9,), ()) in pairs
    assert ((4,), (5,)) in pairs and ((10,), (10,)) in pairs
    assert all(b.score == 0.0 for b in beads if not b.src or not b.tgt)


def test_names_and_numbers_shared_by_the_texts_place_a_deletion_when_the_mt_is_useless():
    # The MT says nothing (every line the same), so only the German and English texts
    # themselves (Kathmandu, 8848, Keller, Zürich …) can tell which sentence has no translation.
    useless_mt = ["No translation available."] * len(GERMAN)
    tgt = ENGLISH[:2] + ENGLISH[3:]  # the sentence about 8848 m is missing
    pairs = _pairs(_align(useless_mt, tgt))
    assert ((2,), ()) in pairs
    assert ((3,), (2,)) in pairs and ((1,), (1,)) in pairs
    without = _pairs(_align(useless_mt, tgt, options=AlignOptions(same_script=False)))
    assert ((2,), ()) not in without


def test_same_language_needs_no_translation():
    beads = align_sentences(ENGLISH, [noisy(s) for s in ENGLISH], src_lang="en", tgt_lang="eng", translate=False)
    assert _pairs(beads) == [((i,), (i,)) for i in range(len(ENGLISH))]


def _check_cover(beads, n_src, n_tgt):
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    assert src == list(range(n_src))
    assert tgt == list(range(n_tgt))
    assert all(b.src or b.tgt for b in beads)
    assert all(isinstance(b, Bead) and 0.0 <= b.score <= 1.0 for b in beads)


WORDS = ("alp glacier summit ridge porter snow camp rope ice valley storm tent yak "
         "radio oxygen map photo river bridge village tea rice lentil doctor").split()


def _random_text(rng, n):
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12))) for _ in range(n)]


@pytest.mark.parametrize("seed", range(12))
def test_every_sentence_in_exactly_one_bead_in_order(seed):
    rng = random.Random(seed)
    n_src, n_tgt = rng.randint(1, 60), rng.randint(1, 60)
    src_mt = _random_text(rng, n_src)
    # The target is sometimes related (shuffled edits of the source), sometimes unrelated.
    if seed % 2:
        tgt = [s for s in src_mt if rng.random() > 0.2][:n_tgt] or ["x"]
        tgt += _random_text(rng, rng.randint(0, 5))
    else:
        tgt = _random_text(rng, n_tgt)
    beads = _align(src_mt, tgt)
    _check_cover(beads, len(src_mt), len(tgt))


@pytest.mark.parametrize("seed", range(4))
def test_cover_holds_through_the_coarse_to_fine_levels(seed):
    # A tiny full_size forces several banded levels even on short inputs.
    rng = random.Random(100 + seed)
    src_mt = _random_text(rng, rng.randint(30, 90))
    tgt = [s for s in src_mt if rng.random() > 0.1] + _random_text(rng, rng.randint(0, 8))
    rng.shuffle(tgt[: len(tgt) // 4])
    options = AlignOptions(search=SearchOptions(full_size=8, band=3))
    beads = _align(src_mt, tgt, options=options)
    _check_cover(beads, len(src_mt), len(tgt))


def test_coarse_to_fine_finds_the_same_alignment_as_one_full_level():
    rng = random.Random(7)
    src_mt = [f"{s} {i} {rng.choice(WORDS)}" for i, s in enumerate(_random_text(rng, 120))]
    tgt = [noisy(s) for s in src_mt]
    del tgt[40:43]
    full = _align(src_mt, tgt, options=AlignOptions(search=SearchOptions(full_size=1000)))
    banded = _align(src_mt, tgt, options=AlignOptions(search=SearchOptions(full_size=16)))
    assert _pairs(banded) == _pairs(full)


def test_texts_are_compared_directly_only_when_their_scripts_match():
    from mt_toolkit.align import comparable_spaces

    def names(src_lang, tgt_lang, **kw):
        spaces = comparable_spaces(GERMAN[:2], ENGLISH[:2], src_lang=src_lang, tgt_lang=tgt_lang,
                                   src_mt=ENGLISH[:2], translate=False, **kw)
        return [space.name for space in spaces]

    assert names("de", "en", same_script=True) == ["ngram:src-mt~tgt", "ngram:src~tgt"]
    assert names("zh", "en", same_script=True) == ["ngram:src-mt~tgt"]
    assert names("de", "en") == ["ngram:src-mt~tgt"]  # quote location's choice


@pytest.mark.parametrize("n", [1, 2, 3])
def test_identical_tiny_documents_align_with_full_confidence(n):
    """In a document of a few sentences the chance sample is the true partner itself; the
    confidence of an identical pair must still be 1, not rounding noise over rounding noise."""
    sentences = ["Kami siap.", "Terima kasih.", "Dia pergi ke pasar kemarin."][:n]
    beads = align_sentences(sentences, sentences, src_lang="id", tgt_lang="id", translate=False)
    assert [(b.src, b.tgt) for b in beads] == [((i,), (i,)) for i in range(n)]
    assert all(b.score == pytest.approx(1.0) for b in beads), beads
