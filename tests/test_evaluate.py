"""evaluate(): systems translated through the cache, scored with signatures, compared with the first."""

from __future__ import annotations

import pytest

from fakes import EchoTranslator
from mt_toolkit.errors import InputError
from mt_toolkit.evaluate import SystemSpec, evaluate
from mt_toolkit.testsets import EvalData
from mt_toolkit.translate.base import DecodingOptions
from mt_toolkit.translate.cache import TranslationCache

DATA = EvalData(
    testset="mini", src_lang="id", tgt_lang="en",
    sources=tuple(f"kalimat nomor {i} ." for i in range(12)) + ("kalimat nomor 0 .",),
    references=tuple(f"en:kalimat nomor {i} ." for i in range(12)) + ("sentence zero .",),
    source_path=None, reference_path=None,  # type: ignore[arg-type]
)


class FakeLoader:
    """Stands in for load_translator: one EchoTranslator per model name, every load recorded."""

    def __init__(self):
        self.loaded: dict[str, EchoTranslator] = {}

    def __call__(self, model, **kwargs):
        self.loaded[model] = EchoTranslator(model)
        return self.loaded[model]

    def sentences_sent(self, model):
        return sum(len(batch) for batch in self.loaded[model].batches)


def test_scores_carry_signatures_and_significance_against_first(tmp_path):
    loader = FakeLoader()
    result = evaluate(DATA, ["a=model-a", "model-b"], metrics="bleu,chrf", load=loader,
                      options=DecodingOptions(batch_size=5), paired_samples=50)
    assert [s.name for s in result.systems] == ["a", "model-b"]
    first = result.systems[0]
    assert [s.metric for s in first.scores] == ["BLEU", "chrF2"]
    assert all("version:" in s.signature for s in first.scores)
    assert first.hypotheses[0] == "en:kalimat nomor 0 ."
    # the duplicate source sentence went to the model once
    assert loader.sentences_sent("model-a") == 12 and first.translated == 12
    assert first.sentences_per_second is not None and first.sentences_per_second > 0
    assert result.significance is not None and result.significance.baseline == "a"
    assert result.significance.systems == ("a", "model-b")


def test_cache_means_a_new_system_is_the_only_one_translated(tmp_path):
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        first_loader = FakeLoader()
        evaluate(DATA, ["model-a", "model-b"], load=first_loader, cache=cache, paired_samples=20)
        assert first_loader.sentences_sent("model-a") == 12
        second_loader = FakeLoader()
        again = evaluate(DATA, ["model-a", "model-b", "model-c"], load=second_loader, cache=cache, paired_samples=20)
    assert second_loader.sentences_sent("model-a") == 0 and second_loader.sentences_sent("model-b") == 0
    assert second_loader.sentences_sent("model-c") == 12
    assert [s.translated for s in again.systems] == [0, 0, 12]
    # speed of cached systems is the one measured when they were translated
    assert again.systems[0].speed_from_cache and again.systems[0].sentences_per_second is not None
    assert not again.systems[2].speed_from_cache


def test_pivot_system_records_both_hops():
    import dataclasses

    to_russian = dataclasses.replace(DATA, tgt_lang="ru")
    loader = FakeLoader()
    result = evaluate(to_russian, ["p=first+second"], load=loader, metrics="chrf")
    (system,) = result.systems
    assert [(h.src_lang, h.tgt_lang, h.model) for h in system.hops] == [("id", "en", "first"), ("en", "ru", "second")]
    assert system.hypotheses[0] == "ru:en:kalimat nomor 0 ."
    assert result.significance is None and result.notes == ("one system only: no significance test",)


def test_one_model_for_both_hops_is_loaded_once_and_timed_per_hop():
    # the evaluation runs routes through the engine's pool, which loads a model once per route
    import dataclasses

    to_russian = dataclasses.replace(DATA, tgt_lang="ru")
    loads = []

    class CountingLoader(FakeLoader):
        def __call__(self, model, **kwargs):
            loads.append(model)
            return super().__call__(model, **kwargs)

    result = evaluate(to_russian, ["p=multi+multi"], load=CountingLoader(), metrics="chrf")
    (system,) = result.systems
    assert loads == ["multi"]
    # 12 distinct sources, then 12 distinct English texts: each hop counts its own sentences
    assert [(h.src_lang, h.tgt_lang, h.translated) for h in system.hops] == [("id", "en", 12), ("en", "ru", 12)]
    assert system.hypotheses[0] == "ru:en:kalimat nomor 0 ."


def test_equal_scores_flagged_when_test_calls_them_significant():
    loader = FakeLoader()
    result = evaluate(DATA, ["x=model-a", "y=model-a"], load=loader, metrics="bleu", paired="ar", paired_samples=20)
    assert any("exactly the baseline's BLEU" in note for note in result.notes)


@pytest.mark.parametrize(
    "systems, message",
    [
        ([], "at least one model"),
        (["a=m1", "a=m2"], "unique"),
        (["a+b+c"], r"two joined by '\+'"),
        (["=m"], "expected MODEL"),
    ],
)
def test_bad_system_lists(systems, message):
    with pytest.raises(InputError, match=message):
        evaluate(DATA, systems, load=FakeLoader())


def test_system_spec_forms():
    assert SystemSpec.parse("Helsinki-NLP/opus-mt-id-en") == SystemSpec("Helsinki-NLP/opus-mt-id-en", ("Helsinki-NLP/opus-mt-id-en",))
    assert SystemSpec.parse("nllb=registry") == SystemSpec("nllb", ())
    assert SystemSpec.parse("piv=a+b").models == ("a", "b")


def test_interrupted_run_keeps_finished_batches(tmp_path):
    class InterruptedLoader(FakeLoader):
        """The model dies (Ctrl-C) on its second batch."""

        def __call__(self, model, **kwargs):
            translator = super().__call__(model, **kwargs)
            inner = translator.translate_batch

            def translate_batch(sentences, **kw):
                if len(translator.batches) == 1:
                    raise KeyboardInterrupt
                return inner(sentences, **kw)

            translator.translate_batch = translate_batch
            return translator

    options = DecodingOptions(batch_size=5)
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        with pytest.raises(KeyboardInterrupt):
            evaluate(DATA, ["model-a"], load=InterruptedLoader(), cache=cache, options=options)
    with TranslationCache(tmp_path / "c.sqlite3") as cache:  # a new process, as after a crash
        resumed_loader = FakeLoader()
        result = evaluate(DATA, ["model-a"], load=resumed_loader, cache=cache, options=options)
    # 12 distinct sentences: the first batch of 5 survived, only 7 were translated again
    assert resumed_loader.sentences_sent("model-a") == 7 and result.systems[0].translated == 7
    assert result.systems[0].hypotheses[0] == "en:kalimat nomor 0 ."


def test_progress_runs_to_the_total_across_systems():
    calls = []
    evaluate(DATA, ["a=m1", "b=m2+m3"], load=FakeLoader(), metrics="chrf", paired_samples=10,
             pivot="ms", on_progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (2000, 2000)
    assert all(total == 2000 for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_the_timed_backend_keeps_its_source_limit_and_pipeline():
    """Evaluation times the backend through a wrapper; that wrapper must not hide the backend's
    long-input splitting or its batch pipeline, or eval would translate differently from a run."""
    import dataclasses
    import warnings

    class LimitedPipelined(EchoTranslator):
        max_source_tokens = 12  # pieces of at most 8 words below

        def __init__(self, name):
            super().__init__(name)
            self.pipelined = 0

        def count_tokens(self, sentences):
            return [len(s.split()) for s in sentences]

        def translate_batches(self, batches, *, src_lang, tgt_lang, options):
            for batch in batches:
                self.pipelined += 1
                yield self.translate_batch(batch, src_lang=src_lang, tgt_lang=tgt_lang, options=options)

    class Loader(FakeLoader):
        def __call__(self, model, **kwargs):
            self.loaded[model] = LimitedPipelined(model)
            return self.loaded[model]

    long = " ".join(f"kata{i}" for i in range(20)) + " ."
    data = dataclasses.replace(DATA, sources=DATA.sources[:3] + (long,), references=DATA.references[:3] + ("x",))
    loader = Loader()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = evaluate(data, ["m"], load=loader, metrics="chrf")
    backend = loader.loaded["m"]
    assert backend.pipelined > 0
    assert max(len(s.split()) for batch in backend.batches for s in batch) <= 8
    assert result.systems[0].hops[0].translated == sum(len(b) for b in backend.batches)  # pipelined batches counted
