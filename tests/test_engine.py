"""The transformers backend on tiny random-weight models, loaded as downloaded models are."""

import pytest

from mt_toolkit.errors import InputError, ModelNotFoundError
from mt_toolkit.translate.base import DecodingOptions
from mt_toolkit.translate.engine import load_translator, translate_document, translate_sentences

FAST = DecodingOptions(beam_size=2, max_length=6, batch_size=3)


@pytest.mark.parametrize("name, family", [("marian", "marian"), ("m2m100", "m2m100"), ("nllb", "nllb")])
def test_tiny_models_load_and_translate(tiny_models, name, family):
    translator = load_translator(str(tiny_models[name]), device="cpu")
    assert (translator.info.family, translator.info.backend, translator.info.compute_type) == (family, "transformers", "float32")
    hyps = translator.translate_batch(["Kami siap.", "Presiden tiba di Jakarta pada 2 Juli."],
                                      src_lang="id", tgt_lang="en", options=FAST)
    assert len(hyps) == 2
    assert all(isinstance(h.text, str) and h.score is not None and h.score < 0 for h in hyps)
    assert not any(t in hyps[0].text for t in ("__en__", "</s>", "<pad>"))


def test_greedy_decoding_also_scores(tiny_models):
    hyps = load_translator(str(tiny_models["marian"])).translate_batch(
        ["Kami siap."], src_lang="id", tgt_lang="en", options=DecodingOptions(beam_size=1, max_length=5))
    assert hyps[0].score is not None and hyps[0].score < 0


def test_batching_does_not_change_translations(tiny_models):
    sentences = [f"Pemerintah akan {w} tahun {i}." for i, w in enumerate(["kerja", "tidak", "harus", "boleh"] * 3)]
    one = translate_sentences(sentences, src_lang="id", tgt_lang="en", model=str(tiny_models["marian"]),
                              options=DecodingOptions(beam_size=1, max_length=6, batch_size=1))
    many = translate_sentences(sentences, src_lang="id", tgt_lang="en", model=str(tiny_models["marian"]),
                               options=DecodingOptions(beam_size=1, max_length=6, batch_size=5))
    assert len(one) == len(many) == len(sentences)
    assert [t.source for t in many] == sentences
    assert [t.text for t in one] == [t.text for t in many]


def test_pivot_records_both_hops(tiny_models):
    first, second = str(tiny_models["marian"]), str(tiny_models["marian-b"])
    [translation] = translate_sentences(["Kami siap."], src_lang="zh", tgt_lang="id", model=[first, second], options=FAST)
    a, b = translation.hops
    assert (a.src_lang, a.tgt_lang, a.model, a.source) == ("zh", "en", first, "Kami siap.")
    assert (b.src_lang, b.tgt_lang, b.model, b.source) == ("en", "id", second, a.text)
    assert translation.text == b.text
    assert (a.backend, a.beam_size, a.compute_type) == ("transformers", 2, "float32")


def test_m2m100_is_told_source_and_target_language(tiny_models):
    translator = load_translator(str(tiny_models["m2m100"]))
    _, forced = translator._prepare(["x"], "ind_Latn", "zh")
    assert translator.tokenizer.src_lang == "id"
    assert forced == translator.tokenizer.get_lang_id("zh")


def test_nllb_gets_flores_codes_and_forced_bos(tiny_models):
    translator = load_translator(str(tiny_models["nllb"]))
    _, forced = translator._prepare(["x"], "id", "en")
    assert translator.tokenizer.src_lang == "ind_Latn"
    assert forced == translator.tokenizer.convert_tokens_to_ids("eng_Latn")
    hyp = translator.translate_batch(["Kami siap."], src_lang="id", tgt_lang="en", options=FAST)[0]
    assert "eng_Latn" not in hyp.text


def test_document_keeps_paragraphs_and_empty_lines(tiny_models):
    text = "Kami siap. Dia pergi.\n\nIni rumah sakit.\n"
    doc = translate_document(text, src_lang="id", tgt_lang="en", model=str(tiny_models["marian"]), options=FAST)
    assert len(doc.lines) == 3 and doc.lines[1] == ""
    assert [len(s) for s in doc.sentences] == [2, 0, 1]


def test_missing_hub_model_offline_is_one_clear_error():
    with pytest.raises(ModelNotFoundError, match="Helsinki-NLP/opus-mt-id-en is not in the local cache.*models fetch"):
        load_translator("Helsinki-NLP/opus-mt-id-en")


def test_folder_that_is_not_a_model(tmp_path):
    with pytest.raises(InputError, match="not a model folder"):
        load_translator(str(tmp_path))
    with pytest.raises(InputError, match="does not exist"):
        load_translator(str(tmp_path / "nothing"))


def test_float16_on_cpu_is_refused(tiny_models):
    with pytest.raises(InputError, match="needs a GPU"):
        load_translator(str(tiny_models["marian"]), device="cpu", compute_type="float16")


def test_batches_side_by_side_keep_order_scores_and_hops(tiny_models):
    import torch

    sentences = [f"Pemerintah akan {w} tahun {i}." + " kota" * (i % 4) for i, w in enumerate(["kerja", "tidak", "harus"] * 4)]
    options = DecodingOptions(beam_size=3, max_length=6, batch_size=2)
    model = str(tiny_models["marian"])
    threads = torch.get_num_threads()
    serial = load_translator(model, device="cpu", backend="hf", threads=1, inter_threads=1)
    parallel = load_translator(model, device="cpu", backend="hf", threads=2, inter_threads=2)
    assert (serial.layout.inter, parallel.layout.inter, parallel.layout.intra) == (1, 2, 1)
    batches = [sentences[k : k + 2] for k in range(0, len(sentences), 2)] + [[]]
    expected = [serial.translate_batch(b, src_lang="id", tgt_lang="en", options=options) for b in batches]
    assert list(parallel.translate_batches(iter(batches), src_lang="id", tgt_lang="en", options=options)) == expected
    assert all(h.score is not None and h.score < 0 for hyps in expected for h in hyps)
    assert torch.get_num_threads() == threads  # the caller's torch threads are left as they were
    # and through the engine: one translation per input, in order, each with its hop
    got = translate_sentences(sentences, src_lang="id", tgt_lang="en", model=model, backend="hf", device="cpu",
                              options=options, threads=2, inter_threads=2)
    assert [t.source for t in got] == sentences
    assert [t.hops[0].source for t in got] == sentences and all(len(t.hops) == 1 for t in got)
    assert [t.text for t in got] == [h.text for hyps in expected for h in hyps]


def test_the_transformers_backend_sizes_its_threads_by_the_job(tiny_models):
    """A one-sentence job decodes one batch on every thread, as with CTranslate2 (not the corpus layout)."""
    from mt_toolkit.translate.threads import ThreadLayout, available_cores, thread_layout

    cores = available_cores()
    one = thread_layout(cores, sentences=1, batch_size=32)
    hf = load_translator(str(tiny_models["marian"]), device="cpu", backend="hf", sentences=1, batch_size=32)
    assert hf.layout == one and one == ThreadLayout(inter=1, intra=cores)


def test_beam_scores_equal_transformers_own(tiny_models):
    import torch

    translator = load_translator(str(tiny_models["marian"]), device="cpu", backend="hf")
    sentences = ["Kami siap.", "Presiden tiba di Jakarta pada 2 Juli.", "ini"]
    options = DecodingOptions(beam_size=4, max_length=9)
    encoded, _ = translator._encode(sentences, "id", "en")
    with torch.inference_mode():
        reference = translator.model.generate(**encoded, num_beams=4, max_new_tokens=9, max_length=None,
                                              return_dict_in_generate=True, output_scores=True, early_stopping=True)
    got = translator.translate_batch(sentences, src_lang="id", tgt_lang="en", options=options)
    assert [h.score for h in got] == pytest.approx([float(s) for s in reference.sequences_scores], abs=1e-4)
