"""Properties that must hold for any input, checked on random inputs with hypothesis.

Examples are few (CI runs the whole suite on 2 cores) and deadlines off (the first call of a
stage may import a library); what matters is the breadth of the inputs: blank lines, emoji,
right-to-left and CJK text, stray quotes, control characters, arbitrary bytes.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mt_toolkit.errors import MtToolkitError

FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that stress segmentation and alignment: Latin words and abbreviations, digits and
# decimals, every kind of quote, CJK and its punctuation, Arabic and Hebrew (right to left, with a
# direction mark), emoji (astral plane), blank lines and tabs.
PIECES = [
    "Kami", "siap", "Dr.", "U.S.", "3.5", "2", "the", "Он", "ушёл", "中文", "我们", "他说：", "。", "，", "！",
    "？", ".", "!", "?", ",", ";", ":", '"', "'", "“", "”", "«", "»", "「", "」", "(", ")", "…", " ", " ", " ",
    "\n", "\n\n", "\t", "שלום", "مرحبا", "\u200f", "😀", "👍🏽", "e\u0301", "\u00a0",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
sentences = st.lists(texts, min_size=1, max_size=8)
langs = st.sampled_from(["en", "id", "ru", "zh"])


def _no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


@FEW
@given(text=texts, lang=langs)
def test_segmenter_loses_no_character_and_rebuilds_the_document(text, lang):
    from mt_toolkit.text.segment import segment_document, split_sentences

    document = segment_document(text, lang)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    assert len(document.paragraphs) == len(lines)
    for line, paragraph in zip(lines, document.paragraphs):
        assert all(s and s == s.strip() for s in paragraph.sentences)
        assert _no_space("".join(paragraph.sentences)) == _no_space(line)
        assert list(paragraph.sentences) == split_sentences(line, lang) if line.strip() else paragraph.sentences == ()
    rebuilt = document.rebuild(document.sentences)
    assert [_no_space(r) for r in rebuilt] == [_no_space(line) for line in lines]


@FEW
@given(src=sentences, tgt=sentences)
def test_aligner_beads_cover_each_sentence_once_in_order(src, tgt):
    from mt_toolkit.align import align_sentences

    beads = align_sentences(src, tgt, src_lang="en", tgt_lang="en")
    assert [i for b in beads for i in b.src] == list(range(len(src)))
    assert [j for b in beads for j in b.tgt] == list(range(len(tgt)))
    assert all(b.src or b.tgt for b in beads)


@FEW
@given(quote=sentences, original=sentences, quote_lang=langs, orig_lang=langs)
def test_locate_never_raises(quote, original, quote_lang, orig_lang):
    from mt_toolkit.align import locate_quote

    try:
        matches = locate_quote(quote, original, quote_lang=quote_lang, orig_lang=orig_lang, translate=False)
    except MtToolkitError:
        return  # different languages without a translation: a clear error is the answer
    assert [m.quote_index for m in matches] == list(range(len(quote)))
    assert all(0 <= i < len(original) for m in matches for i in m.original_indices)


@settings(max_examples=60, deadline=None)
@given(data=st.one_of(st.binary(max_size=300), texts.map(lambda t: t.encode("utf-8"))),
       fmt=st.sampled_from(["txt", "jsonl", "csv", "tsv"]))
def test_readers_give_data_or_a_clean_error_for_any_bytes(tmp_path_factory, data, fmt):
    from mt_toolkit.corpus import read_records
    from mt_toolkit.textio import read_lines

    path = tmp_path_factory.mktemp("bytes") / f"in.{fmt}"
    path.write_bytes(data)
    try:
        records = list(read_records(path, fmt=fmt))
    except MtToolkitError as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert all(isinstance(r.text, str) for r in records)
    try:
        lines = read_lines(path)
    except MtToolkitError as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert all("\n" not in line for line in lines)


@FEW
@given(original=texts, article=texts)
def test_fidelity_flags_never_raise(original, article):
    from mt_toolkit.fidelity import decide_verdict, detect_changes, word_diff

    flags = detect_changes(original, article)
    decide_verdict(50.0, flags)
    decide_verdict(None, flags)
    word_diff(original, article)


line_sets = st.integers(min_value=1, max_value=6).flatmap(
    lambda n: st.tuples(st.lists(texts.map(lambda t: t.replace("\n", " ")), min_size=n, max_size=n),
                        st.lists(texts.map(lambda t: t.replace("\n", " ")), min_size=n, max_size=n))
)


@FEW
@given(pair=line_sets)
def test_score_equals_sacrebleu_on_random_inputs(pair):
    import sacrebleu

    from mt_toolkit.metrics import corpus_scores

    hyps, refs = pair
    ours = {s.metric: s.value for s in corpus_scores(hyps, [refs], metrics="bleu,chrf,ter")}
    theirs = {
        "BLEU": sacrebleu.BLEU().corpus_score(hyps, [refs]).score,
        "chrF2": sacrebleu.CHRF().corpus_score(hyps, [refs]).score,
        "TER": sacrebleu.TER().corpus_score(hyps, [refs]).score,
    }
    assert ours == pytest.approx(theirs)
