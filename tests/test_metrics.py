"""sacrebleu wrappers: signatures, language-dependent tokenisation, clear errors for bad input."""

from __future__ import annotations

import random
import urllib.error

import pytest

from mt_toolkit import metrics
from mt_toolkit.errors import InputError, ModelNotFoundError, UnknownLanguageError

HYPS = ["The cat sat on the mat.", "A dog barked loudly today.", "We will meet on Monday."]
REFS = ["The cat sat on a mat.", "The dog barked loudly.", "We must meet on Monday."]


def test_corpus_scores_carry_sacrebleu_signatures_in_order_asked():
    scores = metrics.corpus_scores(HYPS, [REFS], metrics="ter,chrf++,bleu,chrf")
    assert [s.metric for s in scores] == ["TER", "chrF2++", "BLEU", "chrF2"]
    by_name = {s.metric: s for s in scores}
    assert by_name["BLEU"].signature.startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:")
    assert "nw:2" in by_name["chrF2++"].signature and "nw:0" in by_name["chrF2"].signature
    assert "asian:no" in by_name["TER"].signature
    assert by_name["TER"].higher_is_better is False
    assert "BP =" in by_name["BLEU"].detail


def test_identical_text_scores_perfectly():
    bleu, chrf, ter = metrics.corpus_scores(REFS, [REFS])
    assert (round(bleu.value, 6), round(chrf.value, 6), round(ter.value, 6)) == (100.0, 100.0, 0.0)


def test_chinese_uses_zh_tokenizer_and_asian_ter():
    hyp = ["我们将在星期一开会。", "政府表示经济增长。"]
    ref = ["我们必须在星期一开会。", "政府说经济增长了。"]
    bleu, ter = metrics.corpus_scores(hyp, [ref], metrics="bleu,ter", lang="zho_Hans")
    assert "tok:zh" in bleu.signature and "asian:yes" in ter.signature
    # without word segmentation every Chinese sentence is one 13a token and BLEU collapses to 0
    (plain,) = metrics.corpus_scores(hyp, [ref], metrics="bleu", lang="zh", tokenize="13a")
    assert "tok:13a" in plain.signature and plain.value < bleu.value


def test_sentence_scores_use_effective_order_for_bleu():
    bleu, chrf, ter = metrics.sentence_scores("The cat sat.", "The cat sat down.")
    assert "eff:yes" in bleu.signature
    assert bleu.value > 0  # no 4-gram match, yet not zero thanks to effective order
    # tercom keeps "sat." as one word: "sat."->"sat", insert "down." = 2 edits over 4 words
    assert 0 < chrf.value < 100 and ter.value == pytest.approx(50.0)


def test_segment_scores_equal_sentence_scores_line_by_line():
    rows = metrics.segment_scores(HYPS, [REFS], metrics=("bleu", "chrf"))
    for hyp, ref, row in zip(HYPS, REFS, rows):
        assert row == metrics.sentence_scores(hyp, ref, metrics=("bleu", "chrf"))


def test_multiple_references_are_counted_in_signature():
    (bleu,) = metrics.corpus_scores(HYPS, [REFS, HYPS], metrics="bleu")
    assert "nrefs:2" in bleu.signature and bleu.value == pytest.approx(100.0)


def test_confidence_interval_from_bootstrap():
    (chrf,) = metrics.corpus_scores(HYPS * 5, [REFS * 5], metrics="chrf", n_bootstrap=200)
    assert chrf.ci is not None and chrf.ci > 0 and chrf.mean is not None
    assert "bs:200" in chrf.signature and "seed:12345" in chrf.signature


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: metrics.corpus_scores(HYPS, [REFS[:2]]), "3 lines but reference 1 has 2"),
        (lambda: metrics.corpus_scores([], [[]]), "no hypotheses"),
        (lambda: metrics.corpus_scores(HYPS, []), "no reference"),
        (lambda: metrics.corpus_scores(HYPS, [REFS], metrics="bleu,meteor"), "unknown metric 'meteor'"),
        (lambda: metrics.corpus_scores(HYPS, [REFS], tokenize="moses"), "unknown BLEU tokenizer 'moses'"),
        (lambda: metrics.sentence_scores("x", []), "no reference"),
        (lambda: metrics.paired_significance([("a", HYPS)], [REFS]), "at least two systems"),
        (lambda: metrics.paired_significance([("a", HYPS), ("b", HYPS)], [REFS], test="t"), "unknown paired test"),
        (lambda: metrics.paired_significance([("a", HYPS), ("a", REFS)], [REFS]), "unique"),
    ],
)
def test_bad_input_is_an_input_error(call, message):
    with pytest.raises(InputError, match=message):
        call()


def test_unknown_language_is_reported():
    with pytest.raises(UnknownLanguageError):
        metrics.corpus_scores(HYPS, [REFS], lang="xx-nonsense")


def test_spbleu_offline_gives_clear_error(monkeypatch, tmp_path):
    from sacrebleu.tokenizers import tokenizer_spm

    def offline(url, dest, *args, **kwargs):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(tokenizer_spm, "SACREBLEU_DIR", str(tmp_path))
    monkeypatch.setattr(tokenizer_spm, "download_file", offline)
    with pytest.raises(ModelNotFoundError, match="spBLEU .*SentencePiece model.*flores200sacrebleuspm"):
        metrics.corpus_scores(HYPS, [REFS], metrics="spbleu")


def _noisy(lines: list[str], seed: int) -> list[str]:
    """Drop one word from about half of the lines: systems of similar quality."""
    rng = random.Random(seed)
    out = []
    for line in lines:
        words = line.split()
        if rng.random() < 0.5:
            del words[rng.randrange(len(words))]
        out.append(" ".join(words))
    return out


def test_paired_table_has_baseline_first_and_p_values_for_others():
    rng = random.Random(1)
    vocab = "government president people economy world new will not must may and with year".split()
    refs = [" ".join(rng.choice(vocab) for _ in range(12)) + "." for _ in range(60)]
    table = metrics.paired_significance(
        [("base", _noisy(refs, 2)), ("same", _noisy(refs, 3)), ("perfect", refs)], [refs],
        metrics="bleu,chrf", test="ar", n_samples=200,
    )
    assert table.systems == ("base", "same", "perfect") and table.baseline == "base"
    assert table.metrics == ("BLEU", "chrF2") and table.n_samples == 200
    base, same, perfect = table.results["BLEU"]
    assert base.is_baseline and base.p_value is None
    assert same.p_value > 0.2 and not same.significant()
    assert perfect.significant() and perfect.score.value == pytest.approx(100.0)
    assert "ar:200" in base.score.signature


def test_find_score_by_metric_name_not_display_prefix():
    from mt_toolkit.metrics import find_score

    hyps, refs = ["The cat sat on the mat."], [["The cat sat on a mat."]]
    scores = metrics.corpus_scores(hyps, refs, metrics="bleu,chrf,chrf++,ter")
    assert [s.name for s in scores] == ["bleu", "chrf", "chrf++", "ter"]
    assert find_score(scores, "chrF").metric == "chrF2"
    assert find_score(scores, "CHRF++").metric == "chrF2++"
    assert find_score(scores, "ter").metric == "TER"
    assert find_score(scores, "ter").full_signature.startswith("TER|nrefs:1|")
    assert find_score(scores[:1], "chrf") is None
    with pytest.raises(InputError):
        find_score(scores, "meteor")
    spbleu = metrics.Score("BLEU", 30.0, "nrefs:1|case:mixed|eff:no|tok:flores200|smooth:exp|version:2.5.1")
    assert spbleu.name == "spbleu" and metrics.find_score([*scores, spbleu], "spbleu") is spbleu
