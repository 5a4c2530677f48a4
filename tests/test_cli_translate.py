import json

from typer.testing import CliRunner

from mt_toolkit.cli import app

runner = CliRunner()
FAST = ["--beam", "2", "--max-length", "5"]


def test_one_line_out_per_line_in(tiny_models, tmp_path):
    src = tmp_path / "in.id.txt"
    src.write_text("Kami siap. Dia pergi.\n\nIni rumah sakit.\nBaca juga: ini.\n", encoding="utf-8")
    result = runner.invoke(app, ["translate", str(src), "--model", str(tiny_models["marian"]), "--src", "id", "--tgt", "en", *FAST])
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("\n")[:-1]
    assert len(lines) == 4 and lines[1] == ""


def test_jsonl_with_pivot_shows_two_hops_per_sentence(tiny_models, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("Kami siap.\nDia pergi. Ini rumah.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["translate", str(src), "-m", str(tiny_models["marian"]), "--src", "ind_Latn",
                                 "--tgt", "ru", "--pivot", "en", "--format", "jsonl", "-o", str(out), *FAST])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in records] == [0, 1]
    assert [len(r["sentences"]) for r in records] == [1, 2]
    for record in records:
        for sentence in record["sentences"]:
            assert [(h["src_lang"], h["tgt_lang"]) for h in sentence["hops"]] == [("id", "en"), ("en", "ru")]
            assert sentence["hops"][1]["source"] == sentence["hops"][0]["text"]
            assert {"model", "revision", "backend", "compute_type", "beam_size", "score"} <= set(sentence["hops"][0])


def test_stdin_to_stdout(tiny_models):
    result = runner.invoke(app, ["translate", "-m", str(tiny_models["marian"]), "-s", "id", "-t", "en", *FAST], input="Kami siap.\n")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1


def test_missing_model_offline_exits_2_with_one_line(tmp_path):
    result = runner.invoke(app, ["translate", "--model", "Helsinki-NLP/opus-mt-id-en", "--src", "id", "--tgt", "en"], input="Kami siap.\n")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "models fetch Helsinki-NLP/opus-mt-id-en" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_language_exits_2(tmp_path):
    result = runner.invoke(app, ["translate", "--src", "xx", "--tgt", "en"], input="a\n")
    assert result.exit_code == 2 and "unknown language 'xx'" in result.stderr


def test_empty_and_binary_input_exit_2(tmp_path):
    empty, binary = tmp_path / "e.txt", tmp_path / "b.bin"
    empty.write_text("")
    binary.write_bytes(b"\x00\x01\x02")
    for path, message in ((empty, "is empty"), (binary, "binary")):
        result = runner.invoke(app, ["translate", str(path), "--src", "id", "--tgt", "en"])
        assert result.exit_code == 2 and message in result.stderr


def test_failed_run_leaves_no_output_file(tmp_path):
    src, out = tmp_path / "in.txt", tmp_path / "out.txt"
    src.write_text("Kami siap.\n")
    result = runner.invoke(app, ["translate", str(src), "-m", "Helsinki-NLP/opus-mt-id-en", "-s", "id", "-t", "en", "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()


def test_models_list_shows_registry_and_presence():
    result = runner.invoke(app, ["models", "list"])
    assert result.exit_code == 0
    assert "Helsinki-NLP/opus-mt-id-en" in result.stdout and "nllb-200-distilled-600M" in result.stdout


def test_models_fetch_offline_exits_2():
    result = runner.invoke(app, ["models", "fetch", "Helsinki-NLP/opus-mt-id-en"])
    assert result.exit_code == 2 and "HF_HUB_OFFLINE" in result.stderr


def test_help_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, mt_toolkit.cli; print(any(m in sys.modules for m in ('torch', 'transformers', 'ctranslate2')))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_help_does_not_load_the_trace_pipeline():
    # the attribution's numpy and the pipeline are imported when a trace runs, not for --help
    import subprocess
    import sys

    code = "import sys, mt_toolkit.cli; print(sorted(m for m in ('numpy', 'mt_toolkit.trace') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_whitespace_only_input_keeps_its_blank_lines(tiny_models):
    result = runner.invoke(app, ["translate", "-m", str(tiny_models["marian"]), "-s", "id", "-t", "en", *FAST], input="  \n\n \n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "\n\n\n"


def test_thread_options_reach_the_translator(tiny_models, tmp_path, monkeypatch):
    import mt_toolkit.translate.engine as engine

    loaded = []
    load = engine.load_translator

    def spy(*args, **kwargs):
        loaded.append((kwargs, load(*args, **kwargs)))
        return loaded[-1][1]

    monkeypatch.setattr(engine, "load_translator", spy)
    src = tmp_path / "in.txt"
    src.write_text("Kami siap.\nDia pergi.\n", encoding="utf-8")
    result = runner.invoke(app, ["translate", str(src), "-m", str(tiny_models["marian"]), "-s", "id", "-t", "en",
                                 "--backend", "ct2", "--threads", "2", "--inter-threads", "2", *FAST])
    assert result.exit_code == 0, result.output
    kwargs, translator = loaded[-1]
    assert (kwargs["threads"], kwargs["inter_threads"]) == (2, 2)
    assert translator._translator.num_translators == 2
    assert len(result.stdout.splitlines()) == 2
    result = runner.invoke(app, ["translate", str(src), "-m", str(tiny_models["marian"]), "-s", "id", "-t", "en",
                                 "--threads", "0", *FAST])
    assert result.exit_code == 2
