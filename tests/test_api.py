"""The front door: `import mt_toolkit`, one function per job, loaded translators reused, README examples."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fakes import EchoTranslator

import mt_toolkit
from mt_toolkit import metrics
from mt_toolkit.errors import InputError, MtToolkitError, UnknownLanguageError
from mt_toolkit.trace import TraceInput
from mt_toolkit.translate import engine
from mt_toolkit.translate.base import DecodingOptions

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "trace"
FRONT_DOORS = ["translate", "align", "locate", "score", "trace"]


def test_exported_members():
    assert mt_toolkit.__all__ == [
        "Bead", "Hop", "MtToolkitError", "QuoteMatch", "Score", "TraceInput", "TraceResult",
        "Translation", "Translator", "__version__", "align", "load_translator", "locate", "score",
        "trace", "translate",
    ]
    for name in mt_toolkit.__all__:
        assert getattr(mt_toolkit, name) is not None, name
        assert name in dir(mt_toolkit)
    assert mt_toolkit.MtToolkitError is MtToolkitError
    assert mt_toolkit.load_translator is engine.load_translator
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        mt_toolkit.nope  # noqa: B018


def test_importing_and_naming_every_function_loads_no_model_library():
    code = (
        "import sys, mt_toolkit\n"
        "assert 'mt_toolkit.translate' not in sys.modules and 'numpy' not in sys.modules\n"
        "for name in mt_toolkit.__all__: getattr(mt_toolkit, name)\n"
        "heavy = [m for m in ('torch', 'transformers', 'ctranslate2', 'sentence_transformers', 'ray') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_front_doors_survive_importing_the_subpackages_of_the_same_name():
    """`mt_toolkit.translate` is also a package: importing its modules must not unbind the function."""
    import mt_toolkit.align.beads
    import mt_toolkit.translate.engine
    from mt_toolkit import align, trace, translate

    for door in (translate, align, trace, mt_toolkit.translate, mt_toolkit.align, mt_toolkit.trace):
        assert callable(door)
    assert "src" in inspect.signature(mt_toolkit.translate).parameters
    assert "originals" in inspect.signature(mt_toolkit.trace).parameters
    assert mt_toolkit.translate.engine.translate_sentences is engine.translate_sentences
    assert mt_toolkit.trace.TraceResult is mt_toolkit.TraceResult


@pytest.mark.parametrize("name", FRONT_DOORS)
def test_front_doors_are_documented_with_keyword_only_options(name):
    function = getattr(sys.modules["mt_toolkit._api"], name)
    doc = inspect.getdoc(function)
    for part in ("Args:", "Returns:", "Raises:"):
        assert part in doc, (name, part)
    params = list(inspect.signature(function).parameters.values())
    positional = [p.name for p in params if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    assert len(positional) == 2 or (name == "translate" and positional == ["texts"])
    for param in params:
        assert param.name in doc, (name, param.name)  # every argument is documented


def test_defaults_in_the_signatures_are_the_library_defaults():
    defaults = DecodingOptions()
    for name in ("translate", "trace"):
        params = inspect.signature(getattr(sys.modules["mt_toolkit._api"], name)).parameters
        assert (params["beam_size"].default, params["max_length"].default, params["batch_size"].default) == (
            defaults.beam_size, defaults.max_length, defaults.batch_size)
    params = inspect.signature(mt_toolkit.score).parameters
    assert params["metrics"].default == metrics.DEFAULT_METRICS


# --- translate --------------------------------------------------------------------------------


@pytest.fixture
def no_loading(monkeypatch):
    """Fails the test if the engine loads any model: a passed translator must be used as it is."""
    def refuse(model, **kwargs):
        raise AssertionError(f"the engine loaded {model}")

    monkeypatch.setattr(engine, "load_translator", refuse)


def test_translate_uses_the_translator_it_is_given(no_loading):
    echo = EchoTranslator()
    result = mt_toolkit.translate(["Kami siap.", "Kami siap.", "Terima kasih."], src="ind_Latn", tgt="English", model=echo, beam_size=2)
    assert [t.text for t in result] == ["en:Kami siap.", "en:Kami siap.", "en:Terima kasih."]
    assert echo.batches == [["Terima kasih.", "Kami siap."]] or sorted(echo.batches[0]) == ["Kami siap.", "Terima kasih."]
    hop = result[0].hops[0]
    assert (hop.src_lang, hop.tgt_lang, hop.model, hop.revision, hop.backend, hop.beam_size) == ("id", "en", "echo", "r1", "fake", 2)


def test_translate_through_a_pivot_with_one_translator_per_hop(no_loading):
    first, second = EchoTranslator("id-en"), EchoTranslator("en-ru")
    result = mt_toolkit.translate(["Kami siap."], src="id", tgt="ru", model=[first, second])
    assert [(h.model, h.src_lang, h.tgt_lang, h.text) for h in result[0].hops] == [
        ("id-en", "id", "en", "en:Kami siap."), ("en-ru", "en", "ru", "ru:en:Kami siap."),
    ]


def test_traditional_chinese_reaches_the_translator_as_traditional(no_loading):
    echo = EchoTranslator()
    result = mt_toolkit.translate(["Kami siap."], src="id", tgt="zh-TW", model=echo)
    assert result[0].tgt_lang == "zh-Hant" and result[0].text == "zh-Hant:Kami siap."


def test_translate_refuses_one_string_and_unknown_languages():
    with pytest.raises(InputError, match="list of sentences, not one string"):
        mt_toolkit.translate("Kami siap.", src="id", tgt="en", model=EchoTranslator())
    with pytest.raises(UnknownLanguageError, match="did you mean id"):
        mt_toolkit.translate(["Kami siap."], src="Indonesain", tgt="en", model=EchoTranslator())


def test_a_loaded_tiny_model_is_loaded_once_and_reused(tiny_models, monkeypatch):
    loads = []
    real = engine.load_translator

    def counting(model, **kwargs):
        loads.append(model)
        return real(model, **kwargs)

    monkeypatch.setattr(engine, "load_translator", counting)
    translator = mt_toolkit.load_translator(str(tiny_models["marian"]), device="cpu", backend="hf")
    for _ in range(2):
        result = mt_toolkit.translate(["Kami siap."], src="id", tgt="en", model=translator, max_length=8)
        assert result[0].hops[0].model == translator.info.model == str(tiny_models["marian"])
    assert loads == []  # the object was reused; the id form loads on every call:
    mt_toolkit.translate(["Kami siap."], src="id", tgt="en", model=str(tiny_models["marian"]), max_length=8, backend="hf")
    assert loads == [str(tiny_models["marian"])]


def test_tiny_nllb_is_told_traditional_chinese(tiny_models):
    translator = mt_toolkit.load_translator(str(tiny_models["nllb"]), device="cpu", backend="hf")
    result = mt_toolkit.translate(["Kami siap."], src="id", tgt="zh-TW", model=translator, max_length=8)
    assert result[0].hops[0].tgt_lang == "zh-Hant"
    # the token NLLB is forced to start with (private, but it is what decides the script)
    _, forced = translator._prepare(["Kami siap."], "id", "zh-TW")
    assert forced == translator.tokenizer.convert_tokens_to_ids("zho_Hant")
    assert forced != translator.tokenizer.convert_tokens_to_ids("zho_Hans")


# --- align and locate -------------------------------------------------------------------------


def test_align_translates_with_the_given_translator_or_uses_the_supplied_translation(no_loading):
    source, target = ["Kami siap.", "Terima kasih."], ["en:Kami siap.", "en:Terima kasih."]
    echo = EchoTranslator()
    beads = mt_toolkit.align(source, target, src="id", tgt="en", model=echo)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1,))]
    assert echo.batches  # the translator did the translating
    unused = EchoTranslator()
    beads = mt_toolkit.align(source, target, src="id", tgt="en", source_mt=target, model=unused)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1,))] and unused.batches == []
    with pytest.raises(InputError, match="not one string"):
        mt_toolkit.align("Kami siap.", target, src="id", tgt="en")


def test_locate_with_a_translator(no_loading):
    original = ["en:Halo.", "en:Kami siap bekerja sama.", "en:Terima kasih banyak."]
    echo = EchoTranslator()
    matches = mt_toolkit.locate(["Kami siap bekerja sama."], original, src="id", tgt="en", model=echo)
    assert isinstance(matches[0], mt_toolkit.QuoteMatch)
    assert (matches[0].quote_index, matches[0].original_indices) == (0, (1,))
    assert echo.batches == [["Kami siap bekerja sama."]]


# --- score ------------------------------------------------------------------------------------


def test_score_a_corpus_with_one_or_several_reference_streams():
    hyps, refs = ["The cat sat on the mat.", "It rains."], ["The cat sat on a mat.", "It is raining."]
    one = mt_toolkit.score(hyps, refs, lang="en")
    assert [s.metric for s in one] == ["BLEU", "chrF2", "TER"]
    assert one == metrics.corpus_scores(hyps, [refs], lang="en")
    assert all("version:" in s.signature for s in one)
    two = mt_toolkit.score(hyps, [refs, hyps], metrics="bleu")
    assert two[0].signature.startswith("nrefs:2") and two[0].value == pytest.approx(100.0)
    with_ci = mt_toolkit.score(hyps, refs, metrics=["chrf"], n_bootstrap=50)
    assert with_ci[0].ci is not None


def test_score_one_sentence():
    scores = mt_toolkit.score("The cat sat.", "The cat sat down.", metrics="bleu,chrf")
    assert scores == metrics.sentence_scores("The cat sat.", ["The cat sat down."], metrics=("bleu", "chrf"))
    assert "eff:yes" in scores[0].signature  # sentence BLEU uses effective order
    with pytest.raises(InputError, match="needs a corpus"):
        mt_toolkit.score("The cat sat.", "The cat sat.", n_bootstrap=100)
    with pytest.raises(InputError, match="not one string"):
        mt_toolkit.score(["The cat sat."], "The cat sat.")


# --- trace ------------------------------------------------------------------------------------


def _example(label: str, lang: str, name: str, translation: str | None = None) -> TraceInput:
    lines = tuple((EXAMPLES / translation).read_text("utf-8").splitlines()) if translation else None
    return TraceInput(label, lang, (EXAMPLES / name).read_text("utf-8"), translation=lines)


def test_trace_with_supplied_translations_needs_no_model(no_loading):
    article = _example("article", "id", "article.id.txt", "article.en.txt")
    originals = [
        _example("Statement-ZH", "zh", "statement.zh.txt", "statement.zh.en.txt"),
        _example("Official-EN", "en", "statement.en.txt"),
        _example("Vostok-RU", "ru", "wire.ru.txt", "wire.ru.en.txt"),
    ]
    result = mt_toolkit.trace(article, originals)
    assert isinstance(result, mt_toolkit.TraceResult)
    assert result.likely_source == "Vostok-RU"
    assert [o.origin for o in result.originals] == ["supplied", "pivot language", "supplied"]


def test_trace_passes_compute_type_and_revision_to_the_engine(monkeypatch):
    loads = []

    def load(model, **kwargs):
        loads.append((model, kwargs.get("revision"), kwargs.get("compute_type")))
        return EchoTranslator(model)

    monkeypatch.setattr(engine, "load_translator", load)
    article = TraceInput("article", "id", "Kami siap bekerja sama.")
    mt_toolkit.trace(article, [TraceInput("EN", "en", "We are ready.")], model="some/id-en", compute_type="int8",
                     revision="abc123")
    assert loads == [("some/id-en", "abc123", "int8")]


def test_trace_with_one_translator_or_one_per_language(no_loading):
    article = TraceInput("article", "id", "Kami siap bekerja sama. Terima kasih.")
    originals = [TraceInput("RU", "ru", "Kami siap bekerja sama."), TraceInput("EN", "en", "ru:Kami siap bekerja sama.")]
    with pytest.raises(InputError, match="one model was given"):  # never one model silently for every language
        mt_toolkit.trace(article, originals, model=EchoTranslator())
    result = mt_toolkit.trace(article, originals[1:], model=EchoTranslator())  # one language to translate
    assert (result.article.origin, result.originals[0].origin) == ("echo", "pivot language")

    id_model, ru_model = EchoTranslator("id-en"), EchoTranslator("ru-en")
    result = mt_toolkit.trace(article, originals, model={"ind_Latn": id_model, "ru": ru_model})
    assert (result.article.origin, result.originals[0].origin) == ("id-en", "ru-en")
    assert result.article.translations[0].hops[0].model == "id-en"  # the engine's records are kept
    assert result.article.pivot == ("en:Kami siap bekerja sama.", "en:Terima kasih.")
    assert id_model.batches and ru_model.batches
    assert result.sentences[0].best.label == "RU"  # its pivot text is the article's, word for word
    assert result.sentences[0].best.chrf == pytest.approx(100.0)


def test_trace_with_tiny_models_per_language(tiny_models, monkeypatch):
    loads = []
    real = engine.load_translator
    monkeypatch.setattr(engine, "load_translator", lambda model, **kw: loads.append(model) or real(model, **kw))
    translator = mt_toolkit.load_translator(str(tiny_models["marian"]), device="cpu", backend="hf")
    article = TraceInput("article", "id", "Kami siap bekerja sama.")
    originals = [TraceInput("RU", "ru", "Мы готовы к сотрудничеству."), TraceInput("EN", "en", "We are ready.")]
    result = mt_toolkit.trace(article, originals, model={"id": translator, "ru": translator}, max_length=8)
    assert result.article.origin == result.originals[0].origin == str(tiny_models["marian"])
    assert loads == []


# --- package docstrings and the README --------------------------------------------------------


def _advertised_imports() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "mt_toolkit").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        nodes = [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef)))]
        for node in nodes:
            for line in (ast.get_docstring(node) or "").splitlines():
                if re.match(r"\s*(from mt_toolkit\S* import |import mt_toolkit)", line):
                    found.append((str(path.relative_to(ROOT)), line.strip()))
    return found


def test_every_import_a_docstring_advertises_works():
    imports = _advertised_imports()
    assert any("mt_toolkit.translate.engine import" in line for _, line in imports)
    for where, line in imports:
        try:
            exec(line, {})  # noqa: S102 - running the docstring's own import line is the test
        except ImportError as err:  # pragma: no cover - the failure message is the point
            pytest.fail(f"{where} advertises {line!r}: {err}")


def _readme_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_the_readme_python_examples_run(tiny_models, monkeypatch, capsys):
    """Every ```python block of the README's Python API section, in order, in one namespace; the
    OPUS-MT id is swapped for the tiny model (same loading path, gibberish output)."""
    blocks = _readme_blocks()
    assert len(blocks) == 4
    monkeypatch.chdir(ROOT)
    real_model = '"Helsinki-NLP/opus-mt-id-en"'
    assert real_model in blocks[0]
    blocks[0] = blocks[0].replace(real_model, repr(str(tiny_models["marian"])))
    # a random-weight model never stops early: cap its output, or 2 sentences take minutes
    assert "model=translator)" in blocks[0]
    blocks[0] = blocks[0].replace("model=translator)", "model=translator, max_length=8)")
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - the README's own code
    out = capsys.readouterr().out
    assert len(namespace["translations"]) == 2
    assert namespace["translations"][0].hops[0].model == str(tiny_models["marian"])
    assert "BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:" in out
    assert [(b.src, b.tgt) for b in namespace["matches"] and mt_toolkit.align(
        namespace["source"], namespace["target"], src="id", tgt="en", source_mt=namespace["source_mt"])] == [
        ((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert namespace["matches"][0].original_indices == (1,)
    assert namespace["result"].likely_source == "Vostok-RU"
    assert "Vostok-RU\n" in out


def test_trace_front_door_takes_an_asserted_chain():
    ex = ROOT / "examples" / "trace"

    def given(label, lang, text_file, pivot_file=None):
        pivot = tuple(pivot_file.read_text("utf-8").splitlines()) if pivot_file else None
        return TraceInput(label, lang, text_file.read_text("utf-8"), translation=pivot)

    article = given("article", "id", ex / "article.id.txt", ex / "article.en.txt")
    originals = [given("Vostok-RU", "ru", ex / "wire.ru.txt", ex / "wire.ru.en.txt"),
                 given("Official-EN", "en", ex / "statement.en.txt")]
    inferred = mt_toolkit.trace(article, originals)
    asserted = mt_toolkit.trace(article, originals, chain=["Official-EN", "Vostok-RU", "article"])
    assert not inferred.attribution.stemma.asserted and asserted.attribution.stemma.asserted
    assert asserted.likely_source == "Vostok-RU"
