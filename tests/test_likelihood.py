"""Model evidence (`mt_toolkit.likelihood`): forced-decoding scores with the tiny random models.

The models are random, so the scores mean nothing; what is tested is the mechanics: one finite
log-probability per pair on both backends, the same score from both on a float32 model, one score
per candidate recorded with the attribution, and no crash in `trace`.
"""

from __future__ import annotations

import math

import pytest

from mt_toolkit.likelihood import score_candidates, score_pairs
from mt_toolkit.trace import TraceInput, trace
from mt_toolkit.translate.engine import load_translator

SOURCES = ["pemerintah presiden kerja sama negara.", "Jakarta 2024 kota desa sekolah."]
TARGETS = ["the government and the president work together.", "Jakarta 2024 city village school."]


@pytest.mark.parametrize("name", ["marian", "m2m100", "nllb"])
def test_transformers_gives_one_finite_score_per_pair(name, tiny_models):
    translator = load_translator(str(tiny_models[name]), backend="hf", device="cpu")
    scores = score_pairs(translator, SOURCES, TARGETS, src_lang="id", tgt_lang="en")
    assert len(scores) == 2 and all(math.isfinite(s) and s < 0 for s in scores)
    # a different target gets a different score: the target is really decoded
    other = score_pairs(translator, SOURCES[:1], TARGETS[1:], src_lang="id", tgt_lang="en")
    assert other[0] != scores[0]


@pytest.mark.parametrize("name", ["marian", "m2m100"])
def test_ctranslate2_scores_like_transformers(name, tiny_models):
    pytest.importorskip("ctranslate2")
    hf = load_translator(str(tiny_models[name]), backend="hf", device="cpu", compute_type="float32")
    ct2 = load_translator(str(tiny_models[name]), backend="ct2", device="cpu", compute_type="float32")
    got = score_pairs(ct2, SOURCES, TARGETS, src_lang="id", tgt_lang="en")
    assert len(got) == 2 and all(math.isfinite(s) for s in got)
    # CTranslate2 leaves the padding token out of the softmax (transformers' generate masks it
    # too, its forward pass does not): a few thousandths of a nat per token
    assert got == pytest.approx(score_pairs(hf, SOURCES, TARGETS, src_lang="id", tgt_lang="en"), abs=1e-2)


def test_score_candidates_records_one_score_per_candidate_with_a_match(tiny_models):
    translator = load_translator(str(tiny_models["m2m100"]), backend="hf", device="cpu")
    scores = score_candidates(
        translator, ["pemerintah presiden.", "kota desa."],
        {"A": ("en", ["the president.", None]), "B": ("en", ["the city.", "the village."]), "C": ("en", [None, None])},
        article_lang="id", model="tiny-m2m100",
    )
    assert {s.label for s in scores} == {"A", "B"}
    assert {s.label: s.sentences for s in scores} == {"A": 1, "B": 2}
    assert all(s.model == "tiny-m2m100" and math.isfinite(s.mean_logprob) for s in scores)
    assert scores[0].mean_logprob >= scores[1].mean_logprob


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_trace_records_model_evidence(backend, tiny_models):
    if backend == "ct2":
        pytest.importorskip("ctranslate2")
    original = TraceInput("Official", "en", "The government will build a school.\nThe city is big.", presegmented=True)
    wire = TraceInput("Wire", "en", "The government will build two schools.\nThe city is big.", presegmented=True)
    article = TraceInput("article", "id", "pemerintah sekolah.\nkota desa.", presegmented=True,
                         translation=("The government will build two schools.", "The city is big."))
    result = trace(article, [original, wire], evidence_model=str(tiny_models["m2m100"]), backend=backend, device="cpu")
    scores = result.attribution.model_scores
    assert {s.label for s in scores} == {"Official", "Wire"}
    assert all(math.isfinite(s.mean_logprob) and s.sentences == 2 for s in scores)
    assert result.likely_source == "Wire"  # the decision stays with the evidence of descent
