"""Issue 14, the command-line half: closed pipes, contradictory options, what a pipe shows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mt_toolkit.cli import app
from mt_toolkit.errors import InputError

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def _run_with_stdout_closed(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run ``python -m mt_toolkit ARGS`` whose reader has gone before it writes (``... | head``)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: the first write fails with EPIPE
    try:
        return subprocess.run([sys.executable, "-m", "mt_toolkit", *args], stdout=write_end,
                              stderr=subprocess.PIPE, cwd=cwd, env=env, timeout=120)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("how", ["echo", "atomic_write", "rich"])
def test_a_closed_pipe_ends_quietly_with_status_141(tmp_path, how):
    lines = tmp_path / "lines.txt"
    lines.write_text("".join(f"word {i} and more words\n" for i in range(3000)))
    args = {"echo": ["score", str(lines), str(lines), "--sentence", "--metrics", "chrf"],
            "atomic_write": ["align", str(lines), str(lines), "-s", "en", "-t", "en"],
            "rich": ["models", "list"]}[how]
    done = _run_with_stdout_closed(args, tmp_path)
    assert done.returncode == 141, done.stderr.decode()
    assert done.stderr == b""


def test_models_list_in_a_pipe_is_plain_tsv_with_the_whole_licence(monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "60")
    result = runner.invoke(app, ["models", "list"])
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == ["pairs", "model", "revision", "licence", "from", "local"]
    assert all(len(row) == 6 for row in rows)
    nllb = next(row for row in rows if row[1] == "facebook/nllb-200-distilled-600M")
    assert nllb[3] == "CC-BY-NC-4.0 (non-commercial)"
    assert "…" not in result.stdout and "config.toml" not in result.output


def test_models_list_on_a_terminal_names_no_missing_config_and_cuts_nothing(monkeypatch, tmp_path):
    from mt_toolkit.cli import models

    monkeypatch.setattr(models, "_stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(app, ["models", "list"], color=False)
    assert result.exit_code == 0
    assert "…" not in result.stdout and "(non-commercial)" in result.stdout
    assert "user config: none (add models in" in result.stdout
    config = tmp_path / "mine.toml"
    config.write_text('[[model]]\nid = "Helsinki-NLP/opus-mt-ru-en"\npairs = ["ru-en"]\n')
    monkeypatch.setenv("MT_TOOLKIT_CONFIG", str(config))
    result = runner.invoke(app, ["models", "list"], color=False)
    assert f"user config: {config}" in result.stdout.replace("\n", "")


def test_score_width_below_zero_is_a_usage_error():
    result = runner.invoke(app, ["score", "-", "-", "--width", "-1"], input="a\n")
    assert result.exit_code == 2 and "--width" in result.stderr and "Traceback" not in result.output


def test_thresholds_that_contradict_each_other_are_refused():
    from mt_toolkit.fidelity import Thresholds

    with pytest.raises(InputError, match=r"faithful_chrf \(10\) is below not_found_chrf \(50\)"):
        Thresholds(not_found_chrf=50, faithful_chrf=10)
    with pytest.raises(InputError, match="between 0 and 100"):
        Thresholds(not_found_chrf=-1)
    with pytest.raises(InputError, match="min_clause_tokens"):
        Thresholds(min_clause_tokens=0)
    assert Thresholds(not_found_chrf=40, faithful_chrf=40).faithful_chrf == 40


def test_negative_paired_samples_are_refused_by_the_library():
    from mt_toolkit.metrics import paired_significance

    with pytest.raises(InputError, match="--paired-n"):
        paired_significance([("a", ["x"]), ("b", ["x"])], [["x"]], n_samples=-5)


def test_locate_without_a_way_to_compare_names_locate_s_own_options(tmp_path):
    quote, original = tmp_path / "q.txt", tmp_path / "o.txt"
    quote.write_text("Kami siap.\n")
    original.write_text("We are ready.\n")
    result = runner.invoke(app, ["locate", str(quote), str(original), "-s", "id", "-t", "en", "--no-translate"])
    assert result.exit_code == 2
    assert "--quote-mt/--orig-mt" in result.stderr and "--src-mt" not in result.stderr
    result = runner.invoke(app, ["align", str(quote), str(original), "-s", "id", "-t", "en", "--no-translate"])
    assert "--src-mt/--tgt-mt" in result.stderr


def test_a_folder_input_says_which_files_it_skips(tmp_path, monkeypatch):
    from mt_toolkit.corpus.formats import corpus_files
    from mt_toolkit.errors import MtToolkitWarning

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.jsonl").write_text('{"text": "Kami siap."}\n')
    (folder / "README.md").write_text("# notes\n")
    (folder / "notes.md").write_text("more\n")
    (folder / "done.jsonl.checkpoint").write_text("{}")  # a job's own file: not counted
    (folder / ".hidden.md").write_text("x")
    with pytest.warns(MtToolkitWarning, match=r"skipped 2 file\(s\) that are not .* \(\.md\)"):
        assert corpus_files(folder) == [folder / "a.jsonl"]


def test_the_cli_prints_the_skipped_files_warning_before_models_load(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.jsonl").write_text('{"text": "Kami siap."}\n')
    (folder / "README.md").write_text("# notes\n")
    result = runner.invoke(app, ["translate", str(folder), "-s", "id", "-t", "en", "-m", str(tmp_path / "none"),
                                 "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"mt-toolkit: warning: {folder}: skipped 1 file(s) that are not .txt, .jsonl, .csv or .tsv (.md), "
        f"e.g. {folder / 'README.md'}"
    )


def _our_lines(stderr: str) -> list[str]:
    """Our lines of stderr (in-process, transformers may add its weight-loading bar to it)."""
    return [line for line in stderr.splitlines() if line.startswith("mt-toolkit:")]


@pytest.fixture()
def corpus(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "Kami siap."}\n{"text": "Ini rumah."}\n')
    return src, tmp_path / "out.jsonl"


@pytest.mark.parametrize("checkpoint", ["", "{", '{"job": {}, "state": {"records": "x", "bogus": 1}}', "[1, 2]"])
def test_a_damaged_checkpoint_is_one_line(tiny_models, corpus, checkpoint):
    src, out = corpus
    Path(f"{out}.partial").write_text("")
    Path(f"{out}.checkpoint").write_text(checkpoint)
    result = runner.invoke(app, ["translate", str(src), "-s", "id", "-t", "en", "-m", str(tiny_models["marian"]),
                                 "-o", str(out), "--resume", "--no-cache", "--max-length", "4"])
    assert result.exit_code == 2, result.output
    assert _our_lines(result.stderr) == [next(line for line in _our_lines(result.stderr) if "is damaged" in line)]


def test_resume_refusing_a_changed_job_says_which_setting(tiny_models, corpus):
    src, out = corpus
    args = ["translate", str(src), "-s", "id", "-t", "en", "-m", str(tiny_models["marian"]), "-o", str(out),
            "--no-cache", "--max-length", "4"]
    # an interrupted job's leftovers: an empty partial file and a checkpoint made for Russian
    Path(f"{out}.partial").write_text("")
    saved = {"version": 1, "job": {"tgt_lang": "ru"}, "state": {"records": 0, "input_offset": 0, "output_offset": 0}}
    Path(f"{out}.checkpoint").write_text(json.dumps(saved))
    result = runner.invoke(app, [*args, "--resume"])
    assert result.exit_code == 2
    lines = _our_lines(result.stderr)
    assert len(lines) == 1 and "tgt_lang: 'ru' -> 'en'" in lines[0]


def test_a_corpus_job_into_a_folder_or_unwritable_place_is_one_line(corpus, tmp_path):
    src, _ = corpus
    (tmp_path / "blocked").write_text("x")
    for output, message in ((tmp_path, "it is a folder"), (tmp_path / "blocked" / "o.jsonl", "is a file, not a folder")):
        result = runner.invoke(app, ["translate", str(src), "-s", "id", "-t", "en", "-m", str(tmp_path / "none"),
                                     "-o", str(output)])
        assert result.exit_code == 2 and message in result.stderr, result.output
        assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("args", [
    ["translate", "-", "-", "-s", "id", "-t", "en"],
    ["align", "-", "-", "-s", "en", "-t", "en"],
    ["locate", "-", "-", "-s", "en", "-t", "en"],
    ["score", "-", "-"],
    ["score", "-", "--system", "a=-", "--system", "b=-"],
    ["trace", "-", "-l", "en", "--original", "-:en:E"],
], ids=["translate", "align", "locate", "score", "score-systems", "trace"])
def test_standard_input_named_twice_is_refused(args):
    result = runner.invoke(app, args, input="We are ready.\nHe left.\n")
    assert result.exit_code == 2
    assert result.stderr == "mt-toolkit: error: standard input ('-') can be read for one input only; give the others as files\n"


def test_score_names_standard_input_in_a_line_count_error(tmp_path):
    ref = tmp_path / "ref.txt"
    ref.write_text("a\nb\n")
    result = runner.invoke(app, ["score", "-", str(ref)], input="a\n")
    assert result.exit_code == 2 and result.stderr.startswith("mt-toolkit: error: standard input has 1 lines")


def test_a_corpus_output_folder_inside_the_input_folder_is_refused(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.jsonl").write_text('{"text": "Kami siap."}\n')
    for output in (folder / "out", folder):
        result = runner.invoke(app, ["translate", str(folder), "-s", "id", "-t", "en", "-m", str(tmp_path / "none"),
                                     "-o", str(output)])
        assert result.exit_code == 2 and "is inside the input folder" in result.stderr, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["a.jsonl"]


def test_an_unknown_corpus_suffix_does_not_suggest_an_option_translate_lacks(tmp_path):
    data = tmp_path / "in.dat"
    data.write_text("Kami siap.\n")
    result = runner.invoke(app, ["translate", str(data), "-s", "id", "-t", "en", "--resume", "-o", str(tmp_path / "o.dat")])
    assert result.exit_code == 2 and "--format" not in result.stderr and "name it .txt" in result.stderr
