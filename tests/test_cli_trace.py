"""`mt-toolkit trace` through Typer's CliRunner: exit codes, messages, files written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mt_toolkit.cli import app
from mt_toolkit.cli.trace import parse_original

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "trace"
runner = CliRunner()


def example_args() -> list[str]:
    e = EXAMPLE
    return [
        "trace", str(e / "article.id.txt"), "--lang", "id",
        "--original", f"{e / 'statement.zh.txt'}:zh:Statement-ZH",
        "--original", f"{e / 'statement.en.txt'}:en:Official-EN",
        "--original", f"{e / 'wire.ru.txt'}:ru:Vostok-RU",
        "--translation", f"article={e / 'article.en.txt'}",
        "--translation", f"Statement-ZH={e / 'statement.zh.en.txt'}",
        "--translation", f"Vostok-RU={e / 'wire.ru.en.txt'}",
    ]


def test_summary_on_stdout_without_output_options():
    result = runner.invoke(app, example_args())
    assert result.exit_code == 0, result.output
    assert "Most likely source: Vostok-RU" in result.stdout
    assert "number: 147.5 billion → 174.5 billion" in result.stdout
    assert "name: Sugandi → Sugiarto" in result.stdout
    assert "not found" in result.stdout
    assert "chrF2|" in result.stdout
    # the evidence of descent, the inferred tree and each sentence's source
    assert "Evidence of descent" in result.stdout and "Derivation tree (inferred" in result.stdout
    assert "Vostok-RU → article" in result.stdout
    assert "source Vostok-RU" in result.stdout


def test_chain_asserts_the_order():
    result = runner.invoke(app, example_args() + ["--chain", "Statement-ZH,Official-EN,Vostok-RU"])
    assert result.exit_code == 0, result.output
    assert "Derivation tree (asserted)" in result.stdout
    assert "Statement-ZH → Official-EN" in result.stdout and "Official-EN → Vostok-RU" in result.stdout


def test_chain_with_an_unknown_label_is_one_clear_error():
    result = runner.invoke(app, example_args() + ["--chain", "Statement-ZH,TASS"])
    assert result.exit_code == 2
    assert "--chain must name each version once" in result.output and "Traceback" not in result.output


def test_reports_are_written(tmp_path):
    html, js, md = tmp_path / "t.html", tmp_path / "t.json", tmp_path / "out" / "t.md"
    result = runner.invoke(app, example_args() + ["--html", str(html), "--json", str(js), "--markdown", str(md)])
    assert result.exit_code == 0, result.output
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads(js.read_text(encoding="utf-8"))["likely_source"] == "Vostok-RU"
    assert md.read_text(encoding="utf-8").startswith("# Quote trace")
    assert "Most likely source" not in result.stdout  # no summary when reports are asked for
    assert f"wrote {html}" in result.stderr
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temp files


def test_json_to_stdout():
    result = runner.invoke(app, example_args() + ["--json", "-"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["sentences"][6]["verdict"] == "changed"


def test_line_count_mismatch_is_one_clear_error(tmp_path):
    short = tmp_path / "short.en.txt"
    short.write_text("\n".join((EXAMPLE / "wire.ru.en.txt").read_text(encoding="utf-8").splitlines()[:7]) + "\n", encoding="utf-8")
    args = [a if not a.startswith("Vostok-RU=") else f"Vostok-RU={short}" for a in example_args()]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "the translation of Vostok-RU has 7 lines but Vostok-RU segments into 9 sentences" in result.stderr
    assert "--sentences" in result.stderr
    assert "Traceback" not in result.output


def test_sentences_flag_reads_one_sentence_per_line(tmp_path):
    article = tmp_path / "a.en.txt"
    article.write_text("We must act now. Together.\nThe talks ended.\n", encoding="utf-8")
    result = runner.invoke(app, ["trace", str(article), "--lang", "en", "--original", f"{article}:en:same", "--sentences", "--json", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [s["text"] for s in data["sentences"]] == ["We must act now. Together.", "The talks ended."]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--translation", "TASS=x.txt"], "no input is labelled 'TASS'"),
        (["--translation", "nonsense"], "--translation expects LABEL=FILE"),
        (["--original", ":en"], "--original expects FILE:LANG:LABEL"),
        (["--original", "x.txt:klingon:K"], "unknown language 'klingon'"),
    ],
)
def test_bad_options_exit_2_with_one_line(extra, message):
    result = runner.invoke(app, example_args() + extra)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file_is_a_user_error(tmp_path):
    result = runner.invoke(app, ["trace", str(tmp_path / "nope.txt"), "--lang", "id", "--original", f"{tmp_path / 'x'}:en:X"])
    assert result.exit_code == 2 and "no such file" in result.stderr


@pytest.mark.parametrize(
    ("spec", "parsed"),
    [
        ("tass.ru.txt:ru:TASS", ("tass.ru.txt", "ru", "TASS")),
        ("C:/news/tass.txt:rus_Cyrl:TASS", ("C:/news/tass.txt", "ru", "TASS")),
        ("dir/xinhua.zh.txt:zh", ("dir/xinhua.zh.txt", "zh", "xinhua.zh.txt")),
    ],
)
def test_parse_original(spec, parsed):
    assert parse_original(spec) == parsed


def test_help_lists_the_contract():
    result = runner.invoke(app, ["trace", "--help"])
    assert result.exit_code == 0
    for option in ("--original", "--translation", "--pivot", "--html", "--json", "--markdown", "--sentences"):
        assert option in result.stdout


def test_model_translates_when_no_translation_is_supplied(tiny_models, tmp_path):
    article = tmp_path / "a.id.txt"
    article.write_text("Kami siap bekerja sama.\n", encoding="utf-8")
    original = tmp_path / "o.en.txt"
    original.write_text("We are ready to cooperate.\n", encoding="utf-8")
    out, cache = tmp_path / "t.json", tmp_path / "cache.sqlite3"
    args = ["trace", str(article), "--lang", "id", "--original", f"{original}:en:Official",
            "--model", str(tiny_models["m2m100"]), "--device", "cpu", "--cache-file", str(cache), "--json", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["article"]["origin"] == str(tiny_models["m2m100"])
    assert len(data["sentences"]) == 1 and data["sentences"][0]["matches"][0]["label"] == "Official"
    assert cache.exists()
    again = runner.invoke(app, args)  # served from the cache: same pivot text
    assert again.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["article"]["pivot"] == data["article"]["pivot"]


def test_article_from_standard_input(tmp_path):
    original = tmp_path / "o.en.txt"
    original.write_text("We must act now.\n", encoding="utf-8")
    result = runner.invoke(app, ["trace", "-", "--lang", "en", "--original", f"{original}:en:Official", "--json", "-"],
                           input="We may act now.\n")
    assert result.exit_code == 0, result.output
    [sentence] = json.loads(result.stdout)["sentences"]
    assert sentence["verdict"] == "changed"
    assert sentence["matches"][0]["flags"][0]["detail"] == "must → may"


def test_thresholds_from_the_command_line():
    result = runner.invoke(app, example_args() + ["--not-found-chrf", "10", "--json", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["thresholds"]["not_found_chrf"] == 10.0
    assert data["sentences"][8]["verdict"] != "not_found"  # the weather sentence now "matches"
