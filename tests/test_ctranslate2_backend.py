"""The CTranslate2 backend: conversion into the cache, tokenisation, and the same output as transformers."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("ctranslate2")

from mt_toolkit.errors import InputError, ModelNotFoundError
from mt_toolkit.translate.backends.ctranslate2 import CTranslate2Translator
from mt_toolkit.translate.base import DecodingOptions, Translator
from mt_toolkit.translate.convert import convert_model, find_converted
from mt_toolkit.translate.engine import load_translator

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


@pytest.mark.parametrize("name", ["marian", "m2m100", "nllb"])
@pytest.mark.parametrize("max_length", [6, 20])
def test_greedy_float32_output_equals_the_transformers_backend(name, max_length, tiny_models):
    options = DecodingOptions(beam_size=1, max_length=max_length)
    hf = load_translator(str(tiny_models[name]), backend="hf", device="cpu", compute_type="float32")
    ct2 = load_translator(str(tiny_models[name]), backend="ct2", device="cpu", compute_type="float32")
    assert isinstance(ct2, Translator)
    assert (ct2.info.backend, ct2.info.compute_type, ct2.info.family) == ("ctranslate2", "float32", name)
    expected = hf.translate_batch(SENTENCES, src_lang="id", tgt_lang="en", options=options)
    got = ct2.translate_batch(SENTENCES, src_lang="id", tgt_lang="en", options=options)
    assert [h.text for h in got] == [h.text for h in expected]
    assert all(h.text for h in got)
    # both are mean log-probabilities per token; the two normalise the end token slightly differently
    assert [h.score for h in got] == pytest.approx([h.score for h in expected], abs=0.05)


def test_auto_backend_picks_ctranslate2_once_the_model_is_converted(tiny_models):
    model = str(tiny_models["marian-b"])
    assert load_translator(model, device="cpu").info.backend == "transformers"
    convert_model(model, quantization="int8")
    translator = load_translator(model, device="cpu")
    assert translator.info.backend == "ctranslate2" and translator.info.compute_type.startswith("int8")


def test_int8_is_the_cpu_default(tiny_models):
    ct2 = CTranslate2Translator(convert_model(str(tiny_models["marian"])), device="cpu")
    assert ct2.info.compute_type.startswith("int8")
    assert len(ct2.translate_batch(SENTENCES, src_lang="id", tgt_lang="en", options=DecodingOptions(max_length=8))) == 4


@pytest.mark.parametrize("content", ["{", "[1, 2]"])
def test_a_broken_config_json_is_one_clear_error_for_convert_and_load(tmp_path, content):
    from mt_toolkit.errors import InputError
    from mt_toolkit.translate.convert import convert_model
    from mt_toolkit.translate.engine import load_translator

    folder = tmp_path / "broken-model"
    folder.mkdir()
    (folder / "config.json").write_text(content)
    with pytest.raises(InputError, match="config.json"):
        convert_model(str(folder))
    with pytest.raises(InputError, match="config.json"):
        load_translator(str(folder), backend="hf", device="cpu")


LONGER = [f"Pemerintah akan {w} tahun {i} di Jakarta." + " kota" * (i % 5) for i, w in
          enumerate(["kerja", "tidak", "harus", "boleh"] * 4)]


@pytest.mark.parametrize("beam", [1, 3])
def test_pipelined_batches_come_back_in_order_as_one_by_one(beam, float32_models):
    options = DecodingOptions(beam_size=beam, max_length=7)
    batches = [LONGER[:5], [], LONGER[5:6], LONGER[6:13], LONGER[13:]]
    serial = CTranslate2Translator(float32_models["marian"], device="cpu", compute_type="float32",
                                   intra_threads=1, inter_threads=1)
    parallel = CTranslate2Translator(float32_models["marian"], device="cpu", compute_type="float32",
                                     intra_threads=1, inter_threads=2)
    expected = [serial.translate_batch(b, src_lang="id", tgt_lang="en", options=options) for b in batches]
    got = list(parallel.translate_batches(iter(batches), src_lang="id", tgt_lang="en", options=options))
    assert [[h.text for h in hyps] for hyps in got] == [[h.text for h in hyps] for hyps in expected]
    assert [[h.score for h in hyps] for hyps in got] == [pytest.approx([h.score for h in hyps]) for hyps in expected]
    # a lone batch is split among the workers and still comes back whole and in order
    whole = parallel.translate_batch(LONGER, src_lang="id", tgt_lang="en", options=options)
    assert [h.text for h in whole] == [h.text for h in serial.translate_batch(LONGER, src_lang="id", tgt_lang="en", options=options)]


def test_thread_options_reach_ctranslate2_and_keep_hops(tiny_models):
    from mt_toolkit.translate.engine import translate_sentences

    model = str(tiny_models["marian"])
    options = DecodingOptions(beam_size=2, max_length=6, batch_size=3)
    assert load_translator(model, backend="ct2", device="cpu", threads=2, inter_threads=2)._translator.num_translators == 2
    assert load_translator(model, backend="ct2", device="cpu", threads=1)._translator.num_translators == 1
    one = translate_sentences(LONGER, src_lang="id", tgt_lang="ru", model=[model, str(tiny_models["marian-b"])],
                              backend="ct2", device="cpu", options=options)
    two = translate_sentences(LONGER, src_lang="id", tgt_lang="ru", model=[model, str(tiny_models["marian-b"])],
                              backend="ct2", device="cpu", options=options, threads=2, inter_threads=2)
    assert [t.source for t in two] == LONGER
    assert [[(h.src_lang, h.tgt_lang, h.backend) for h in t.hops] for t in two] == [[("id", "en", "ctranslate2"), ("en", "ru", "ctranslate2")]] * len(LONGER)
    assert [[h.text for h in t.hops] for t in two] == [[h.text for h in t.hops] for t in one]
