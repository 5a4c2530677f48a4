"""trace takes a model per language (never one model silently for all) and translate's decoding options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mt_toolkit.cli import app
from mt_toolkit.cli.trace import ReportFormat, parse_models, report_targets
from mt_toolkit.errors import InputError, UnknownLanguageError
from mt_toolkit.trace import TraceInput, models_by_language, trace
from mt_toolkit.translate.base import DecodingOptions
from fakes import EchoTranslator

runner = CliRunner()


# --- the library ---------------------------------------------------------------------------


def test_one_model_for_one_language_is_accepted():
    assert models_by_language("M", ["ru", "rus"]) == {"ru": "M"}


def test_one_model_for_several_languages_is_refused():
    with pytest.raises(InputError, match=r"2 languages need translating \(ru, zh\).*--model ru=MODEL"):
        models_by_language("M", ["ru", "zh"])


def test_a_mapping_names_a_model_per_language_and_leaves_the_rest_to_the_registry():
    assert models_by_language({"rus": "R"}, ["ru", "zh"]) == {"ru": "R", "zh": None}
    assert models_by_language(None, ["ru"]) == {"ru": None}


def test_trace_uses_each_languages_own_loaded_translator():
    ru, zh = EchoTranslator("ru-model"), EchoTranslator("zh-model")
    article = TraceInput("article", "en", "We are ready. Talks ended.")
    originals = [
        TraceInput("Wire", "ru", "Мы готовы.", presegmented=True),
        TraceInput("Xinhua", "zh", "我们准备好了。", presegmented=True),
    ]
    result = trace(article, originals, model={"ru": ru, "zh": zh}, options=DecodingOptions(beam_size=2))
    assert ru.batches == [["Мы готовы."]] and zh.batches == [["我们准备好了。"]]
    origins = {o.label: o.origin for o in result.originals}
    assert origins == {"Wire": "ru-model", "Xinhua": "zh-model"}
    hop = result.originals[0].translations[0].hops[0]
    assert (hop.src_lang, hop.tgt_lang, hop.model, hop.beam_size) == ("ru", "en", "ru-model", 2)


def test_trace_refuses_one_model_for_two_languages_before_translating():
    echo = EchoTranslator()
    article = TraceInput("article", "id", "Kami siap.")
    with pytest.raises(InputError, match="one per language"):
        trace(article, [TraceInput("Wire", "ru", "Мы готовы.")], model=echo)
    assert echo.batches == []


# --- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("specs", "parsed"),
    [
        ([], None),
        (["DIR"], "DIR"),
        (["ru=R", "zh=Z"], {"ru": "R", "zh": "Z"}),
        (["ru-en=R"], {"ru": "R"}),  # the per-pair form, into the pivot
        (["zh-TW=T"], {"zh-Hant": "T"}),  # a regional code is a language, not a pair
        (["rus=R"], {"ru": "R"}),
    ],
)
def test_parse_models(specs, parsed):
    if isinstance(parsed, dict) and "zh-Hant" in parsed:
        from mt_toolkit.languages import normalize

        parsed = {normalize("zh-TW"): "T"}
    assert parse_models(specs, pivot="en") == parsed


@pytest.mark.parametrize(
    ("specs", "message"),
    [
        (["A", "B"], "at most one --model without a language"),
        (["A", "ru=R"], "write it as LANG=A"),
        (["ru=R", "rus=S"], "given twice"),
        (["=R"], "expects MODEL, LANG=MODEL"),
    ],
)
def test_parse_models_errors(specs, message):
    with pytest.raises(InputError, match=message):
        parse_models(specs, pivot="en")


def test_parse_models_unknown_language():
    with pytest.raises(UnknownLanguageError, match="--model 'klingon=K'"):
        parse_models(["klingon=K"], pivot="en")


@pytest.mark.parametrize(
    ("output", "fmt", "expected"),
    [
        ("t.html", None, {ReportFormat.html: "t.html"}),
        ("t.json", None, {ReportFormat.json: "t.json"}),
        ("t.md", None, {ReportFormat.markdown: "t.md"}),
        ("report", ReportFormat.json, {ReportFormat.json: "report"}),
        (None, ReportFormat.markdown, {ReportFormat.markdown: "-"}),
        (None, None, {}),
    ],
)
def test_report_targets(output, fmt, expected):
    got = report_targets(output=Path(output) if output else None, fmt=fmt, html=None, json_out=None, markdown=None)
    assert got == expected


def test_report_format_must_be_told():
    with pytest.raises(InputError, match="--format html|json|markdown"):
        report_targets(output=Path("tass.ru.txt:ru:TASS"), fmt=None, html=None, json_out=None, markdown=None)
    with pytest.raises(InputError, match="asked for twice"):
        report_targets(output=Path("a.json"), fmt=None, html=None, json_out="b.json", markdown=None)


def _texts(tmp_path: Path) -> list[str]:
    article = tmp_path / "a.id.txt"
    article.write_text("Kami siap bekerja sama.\n", encoding="utf-8")
    wire = tmp_path / "w.ru.txt"
    wire.write_text("Мы готовы сотрудничать.\n", encoding="utf-8")
    official = tmp_path / "o.en.txt"
    official.write_text("We are ready to cooperate.\n", encoding="utf-8")
    return [str(article), "-l", "id", "--original", f"{wire}:ru:Wire", "--original", f"{official}:en:Official"]


def test_cli_refuses_a_bare_model_for_two_languages(tmp_path):
    result = runner.invoke(app, ["trace", *_texts(tmp_path), "-m", "SOME/model"])
    assert result.exit_code == 2
    assert "give one per language, e.g. --model id=MODEL --model ru=MODEL" in result.stderr


def test_cli_model_per_language_and_decoding_options(tiny_models, tmp_path):
    m2m = str(tiny_models["m2m100"])
    out = tmp_path / "t.json"
    result = runner.invoke(app, ["trace", *_texts(tmp_path), "-m", f"id={m2m}", "-m", f"ru-en={m2m}",
                                 "--beam", "1", "--max-length", "6", "--batch-size", "1", "--device", "cpu",
                                 "--backend", "hf", "--compute-type", "float32", "--no-cache", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    hops = [data["article"]["translations"][0]["hops"][0]] + [
        o["translations"][0]["hops"][0] for o in data["originals"] if o["translations"]
    ]
    assert [(h["src_lang"], h["model"], h["beam_size"], h["compute_type"]) for h in hops] == [
        ("id", m2m, 1, "float32"), ("ru", m2m, 1, "float32"),
    ]
    assert f"wrote {out}" in result.stderr


def test_cli_format_without_output_writes_standard_output(tmp_path):
    article = tmp_path / "a.en.txt"
    article.write_text("We are ready.\n", encoding="utf-8")
    result = runner.invoke(app, ["trace", str(article), "-l", "en", "--original", f"{article}:en:same", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["likely_source"] == "same"


def test_cli_says_when_a_named_model_is_not_used(tmp_path):
    """Translations supplied for Russian, none needed for English: `-m ru=` and `-m kk=` would do nothing."""
    wire_en = tmp_path / "w.en.txt"
    wire_en.write_text("We are ready to cooperate.\n", encoding="utf-8")
    article_en = tmp_path / "a.en.txt"
    article_en.write_text("We are ready to cooperate.\n", encoding="utf-8")
    result = runner.invoke(app, ["trace", *_texts(tmp_path), "--translation", f"article={article_en}",
                                 "--translation", f"Wire={wire_en}", "-m", "ru=SOME/model", "-m", "kk=OTHER/model",
                                 "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "--model ru=SOME/model is not used: no ru text needs translating" in result.stderr
    assert "--model kk=OTHER/model is not used" in result.stderr
    assert json.loads(result.stdout)["likely_source"]
    bare = runner.invoke(app, ["trace", *_texts(tmp_path), "--translation", f"article={article_en}",
                               "--translation", f"Wire={wire_en}", "-m", "SOME/model", "-f", "json"])
    assert bare.exit_code == 0, bare.output
    assert "--model SOME/model is not used: every text is in en or has a --translation" in bare.stderr
