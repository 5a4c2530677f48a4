"""The CTranslate2 backend: conversion into the cache, tokenisation, and the same output as transformers."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("ctranslate2")

from mt_toolkit.errors import InputError, ModelNotFoundError
from mt_toolkit.translate.backends.ctranslate2 import CTranslate2Translator
from mt_toolkit.translate.base import DecodingOptions, Translator
from mt_toolkit.translate.convert import convert_model, find_converted

SENTENCES = [
    "pemerintah presiden kerja sama negara.",
    "Jakarta 2024 kota desa sekolah rumah sakit ekonomi dunia baru!",
    "ini",
    "Ünïcödé ½ 北京 — «quoted»",
]


@pytest.fixture
def float32_models(tiny_models):
    return {name: convert_model(str(tiny_models[name]), quantization="float32") for name in ("marian", "m2m100")}


def test_conversion_is_cached_under_the_cache_dir(tiny_models):
    first = convert_model(str(tiny_models["marian"]), quantization="int8")
    root = os.environ["MT_TOOLKIT_CACHE_DIR"]
    assert str(first.path).startswith(os.path.join(root, "ct2", "marian-"))
    assert first.path.name.endswith("-int8")
    assert (first.path / "model.bin").is_file() and (first.path / "source.spm").is_file()
    assert first.family == "marian" and first.forced_eos
    # no temporary folders left behind, and a second call reuses the conversion
    assert [p.name for p in first.path.parent.iterdir()] == [first.path.name]
    mtime = (first.path / "model.bin").stat().st_mtime_ns
    assert convert_model(str(tiny_models["marian"]), quantization="int8").path == first.path
    assert (first.path / "model.bin").stat().st_mtime_ns == mtime
    assert find_converted(str(tiny_models["marian"])).path == first.path
    assert find_converted(str(tiny_models["marian-b"])) is None


def test_convert_rejects_unknown_models_and_quantizations(tmp_path, tiny_models):
    with pytest.raises(ModelNotFoundError, match="no config.json"):
        convert_model(str(tmp_path))
    with pytest.raises(ModelNotFoundError, match="mt-toolkit models fetch"):
        convert_model("Helsinki-NLP/opus-mt-xx-yy")
    with pytest.raises(InputError, match="choose one of"):
        convert_model(str(tiny_models["marian"]), quantization="int4")


@pytest.mark.parametrize("name", ["marian", "m2m100"])
def test_source_tokens_match_the_hugging_face_tokenizer(name, tiny_models, float32_models):
    from transformers import AutoTokenizer

    hf = AutoTokenizer.from_pretrained(tiny_models[name])
    if name == "m2m100":
        hf.src_lang = "id"
    ct2 = CTranslate2Translator(float32_models[name], device="cpu", compute_type="float32")
    expected = [hf.convert_ids_to_tokens(hf(text).input_ids) for text in SENTENCES]
    assert ct2.tokenize(SENTENCES, src_lang="id") == expected


@pytest.mark.parametrize("name", ["marian", "m2m100"])
def test_greedy_float32_output_equals_transformers_generate(name, tiny_models, float32_models):
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    ct2 = CTranslate2Translator(float32_models[name], device="cpu", compute_type="float32")
    assert isinstance(ct2, Translator)
    assert (ct2.info.backend, ct2.info.compute_type, ct2.info.family) == ("ctranslate2", "float32", name)
    hyps = ct2.translate_batch(SENTENCES, src_lang="id", tgt_lang="en", options=DecodingOptions(beam_size=1, max_length=20))

    tok = AutoTokenizer.from_pretrained(tiny_models[name])
    model = AutoModelForSeq2SeqLM.from_pretrained(tiny_models[name]).eval()
    extra = {}
    if name == "m2m100":
        tok.src_lang = "id"
        extra["forced_bos_token_id"] = tok.get_lang_id("en")
    with torch.no_grad():
        out = model.generate(**tok(SENTENCES, return_tensors="pt", padding=True), num_beams=1,
                             do_sample=False, max_new_tokens=20, **extra)
    language_tokens = set(getattr(tok, "lang_code_to_token", {}).values())
    expected = [
        tok.convert_tokens_to_string([t for t in tok.convert_ids_to_tokens(ids)
                                      if t not in tok.all_special_tokens and t not in language_tokens])
        for ids in out
    ]
    assert [h.text for h in hyps] == expected
    assert all(h.text and h.score is not None and h.score < 0 for h in hyps)


def test_int8_is_the_cpu_default(tiny_models):
    ct2 = CTranslate2Translator(convert_model(str(tiny_models["marian"])), device="cpu")
    assert ct2.info.compute_type.startswith("int8")
    assert len(ct2.translate_batch(SENTENCES, src_lang="id", tgt_lang="en", options=DecodingOptions(max_length=8))) == 4
