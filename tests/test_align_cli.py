"""`mt-toolkit align` and `mt-toolkit locate` through CliRunner: success, formats, user errors."""

import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from mt_toolkit.cli import app

from align_fixtures import ENGLISH, GERMAN, noisy

runner = CliRunner()


@pytest.fixture()
def docs(tmp_path):
    src, tgt, mt = tmp_path / "de.txt", tmp_path / "en.txt", tmp_path / "de.mt.en.txt"
    src.write_text("\n".join(GERMAN) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(ENGLISH) + "\n", encoding="utf-8")
    mt.write_text("\n".join(noisy(s) for s in ENGLISH) + "\n", encoding="utf-8")
    return src, tgt, mt


def _align(docs, *extra):
    src, tgt, mt = docs
    return runner.invoke(app, ["align", str(src), str(tgt), "--src", "de", "--tgt", "en", "--src-mt", str(mt), *extra])


def test_align_writes_beads_to_stdout(docs):
    result = _align(docs)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(ENGLISH)
    assert lines[0].startswith("[0]:[0]:") and lines[-1].startswith(f"[{len(ENGLISH) - 1}]:[{len(ENGLISH) - 1}]:")


def test_align_with_both_translations_to_a_tmx_file(docs, tmp_path):
    src, tgt, _ = docs
    tgt_mt = tmp_path / "en.mt.de.txt"
    tgt_mt.write_text("\n".join(GERMAN) + "\n", encoding="utf-8")
    out = tmp_path / "out" / "aligned.tmx"
    result = _align(docs, "--tgt-mt", str(tgt_mt), "--format", "tmx", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    root = ET.parse(out).getroot()
    assert len(root.findall("body/tu")) == len(ENGLISH)
    assert not list(out.parent.glob(".*.tmp"))  # the temporary file was renamed away


@pytest.mark.parametrize("fmt", ["jsonl", "tsv"])
def test_align_text_formats_carry_both_sides(docs, fmt):
    result = _align(docs, "-f", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        first = json.loads(result.stdout.splitlines()[0])
        assert (first["src_text"], first["tgt_text"]) == (GERMAN[0], ENGLISH[0])
    else:
        assert result.stdout.splitlines()[1].split("\t")[3:] == [GERMAN[0], ENGLISH[0]]


def test_align_segments_running_text(tmp_path):
    src, tgt = tmp_path / "a.txt", tmp_path / "b.txt"
    src.write_text(" ".join(ENGLISH[:4]) + "\n", encoding="utf-8")
    tgt.write_text(" ".join(noisy(s) for s in ENGLISH[:4]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["align", str(src), str(tgt), "--src", "en", "--tgt", "en", "--segment"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[3].startswith("[3]:[3]")


def _assert_user_error(result, message):
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert result.stdout == ""


def test_empty_document_exits_2(docs, tmp_path):
    src, tgt, mt = docs
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    result = runner.invoke(app, ["align", str(empty), str(tgt), "--src", "de", "--tgt", "en", "--src-mt", str(mt)])
    _assert_user_error(result, "is empty")


def test_translation_with_other_line_count_exits_2(docs, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("one line\n", encoding="utf-8")
    src, tgt, _ = docs
    result = runner.invoke(app, ["align", str(src), str(tgt), "--src", "de", "--tgt", "en", "--src-mt", str(short)])
    _assert_user_error(result, f"SRC has {len(GERMAN)} lines but the SRC translation has 1")


def test_binary_file_exits_2(docs, tmp_path):
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\x00\x10JFIF\x00")
    src, _, mt = docs
    result = runner.invoke(app, ["align", str(src), str(binary), "--src", "de", "--tgt", "en", "--src-mt", str(mt)])
    _assert_user_error(result, "binary")


def test_unknown_language_exits_2(docs):
    src, tgt, mt = docs
    result = runner.invoke(app, ["align", str(src), str(tgt), "--src", "klingon", "--tgt", "en", "--src-mt", str(mt)])
    _assert_user_error(result, "unknown language 'klingon'")


def test_segment_with_translations_exits_2(docs):
    result = _align(docs, "--segment")
    _assert_user_error(result, "--segment cannot be combined")


def test_locate_finds_quote_sentences_and_says_no_match(tmp_path):
    quote, original, quote_mt = tmp_path / "q.txt", tmp_path / "o.txt", tmp_path / "q.mt.txt"
    quote.write_text("Kalimat satu.\nKalimat dua.\n", encoding="utf-8")
    quote_mt.write_text(noisy(ENGLISH[9]) + "\nThe central bank raised interest rates again.\n", encoding="utf-8")
    original.write_text("\n".join(ENGLISH) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["locate", str(quote), str(original), "--src", "id", "--tgt", "en",
                                 "--quote-mt", str(quote_mt), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["original_indices"], first["found"], first["original_text"]) == ([9], True, ENGLISH[9])
    assert (second["original_indices"], second["found"]) == ([], False)


def test_locate_returns_every_original_sentence_of_a_long_rendering_unless_limited(tmp_path):
    quote, original, quote_mt = tmp_path / "q.txt", tmp_path / "o.txt", tmp_path / "q.mt.txt"
    quote.write_text("Satz.\n", encoding="utf-8")
    quote_mt.write_text(noisy(" ".join(ENGLISH[4:7])) + "\n", encoding="utf-8")
    original.write_text("\n".join(ENGLISH) + "\n", encoding="utf-8")
    args = ["locate", str(quote), str(original), "--src", "de", "--tgt", "en", "--quote-mt", str(quote_mt), "-f", "jsonl"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["original_indices"] == [4, 5, 6]
    result = runner.invoke(app, [*args, "--max-merge", "2"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["original_indices"]) <= 2


def test_locate_tsv_and_errors(tmp_path):
    quote, original = tmp_path / "q.txt", tmp_path / "o.txt"
    quote.write_text(ENGLISH[3] + "\n", encoding="utf-8")
    original.write_text("\n".join(ENGLISH) + "\n", encoding="utf-8")
    out = tmp_path / "matches.tsv"
    result = runner.invoke(app, ["locate", str(quote), str(original), "--src", "en", "--tgt", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[1].split("\t")[:4] == ["0", "3", "1.0000", "yes"]
    bad = tmp_path / "bad.mt.txt"
    bad.write_text("a\nb\n", encoding="utf-8")
    result = runner.invoke(app, ["locate", str(quote), str(original), "--src", "id", "--tgt", "en", "--quote-mt", str(bad)])
    _assert_user_error(result, "QUOTE has 1 lines but the QUOTE translation has 2")


def test_locate_with_both_translations(tmp_path):
    quote, quote_mt = tmp_path / "q.de.txt", tmp_path / "q.en.txt"
    original, original_mt = tmp_path / "o.en.txt", tmp_path / "o.de.txt"
    quote.write_text("Satz.\n", encoding="utf-8")
    quote_mt.write_text(noisy(ENGLISH[5]) + "\n", encoding="utf-8")
    original.write_text("\n".join(ENGLISH) + "\n", encoding="utf-8")
    original_mt.write_text("\n".join(GERMAN) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["locate", str(quote), str(original), "--src", "de", "--tgt", "en",
                                 "--quote-mt", str(quote_mt), "--orig-mt", str(original_mt), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["original_indices"] == [5]


def test_align_translates_on_the_fly_with_a_model(tiny_models, tmp_path):
    # The tiny model's output is gibberish: this checks the wiring, not the alignment quality.
    src, tgt = tmp_path / "id.txt", tmp_path / "en.txt"
    src.write_text("Kami siap.\nDia pergi ke pasar.\nIni rumah sakit.\n", encoding="utf-8")
    tgt.write_text("We are ready.\nShe went to the market.\n", encoding="utf-8")
    result = runner.invoke(app, ["align", str(src), str(tgt), "--src", "id", "--tgt", "en",
                                 "--model", str(tiny_models["marian"]), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [i for r in records for i in r["src"]] == [0, 1, 2]
    assert [j for r in records for j in r["tgt"]] == [0, 1]


def test_locate_without_translation_or_shared_language_exits_2(tmp_path):
    quote, original = tmp_path / "q.txt", tmp_path / "o.txt"
    quote.write_text("Kami siap.\n", encoding="utf-8")
    original.write_text("We are ready.\n", encoding="utf-8")
    result = runner.invoke(app, ["locate", str(quote), str(original), "--src", "id", "--tgt", "en", "--no-translate"])
    _assert_user_error(result, "cannot compare id with en")


@pytest.mark.parametrize("command", ["align", "locate"])
def test_on_the_fly_translation_gets_the_engine_options(command, monkeypatch, tmp_path):
    """--device, --backend, --compute-type and the cache reach the translation engine."""
    from mt_toolkit.translate.base import Translation

    seen = {}

    def fake_translate(sentences, **options):
        seen.update(options, cache_path=options["cache"].path if options["cache"] is not None else None)
        return [Translation(s, s, options["src_lang"], options["tgt_lang"]) for s in sentences]

    monkeypatch.setattr("mt_toolkit.translate.engine.translate_sentences", fake_translate)
    src, tgt = tmp_path / "id.txt", tmp_path / "en.txt"
    src.write_text("Kami siap.\nDia pergi.\n", encoding="utf-8")
    tgt.write_text("Kami siap.\nDia pergi.\n", encoding="utf-8")
    cache = tmp_path / "c.sqlite3"
    args = [command, str(src), str(tgt), "-s", "id", "-t", "en", "-m", "M", "--device", "cpu", "--backend", "ct2",
            "--compute-type", "int8"]
    result = runner.invoke(app, [*args, "--cache-file", str(cache)])
    assert result.exit_code == 0, result.output
    assert (seen["model"], seen["device"], seen["backend"], seen["compute_type"]) == (["M"], "cpu", "ct2", "int8")
    assert seen["cache_path"] == cache
    result = runner.invoke(app, [*args, "--no-cache"])
    assert result.exit_code == 0, result.output
    assert seen["cache"] is None


def test_locate_tsv_header_names_the_jsonl_keys(tmp_path):
    quote, original = tmp_path / "q.txt", tmp_path / "o.txt"
    quote.write_text(ENGLISH[3] + "\n", encoding="utf-8")
    original.write_text("\n".join(ENGLISH) + "\n", encoding="utf-8")
    base = ["locate", str(quote), str(original), "-s", "en", "-t", "en"]
    tsv = runner.invoke(app, base).stdout.splitlines()
    record = json.loads(runner.invoke(app, [*base, "-f", "jsonl"]).stdout)
    assert tsv[0].split("\t") == list(record)
    assert tsv[1].split("\t")[:2] == ["0", "3"] and record["original_indices"] == [3]


def test_align_tsv_header_names_the_jsonl_keys(docs):
    tsv = _align(docs, "-f", "tsv").stdout.splitlines()
    record = json.loads(_align(docs, "-f", "jsonl").stdout.splitlines()[0])
    assert tsv[0].split("\t") == list(record)
