"""Every command × every kind of bad input: exit 2, one ``mt-toolkit: error:`` line, nothing lost.

Issue 14: a new user's mistakes (empty, binary or Latin-1 files, mismatched line counts, an unknown
language, a missing model folder, an output that cannot be written or that names an input,
options that contradict each other) must never give a traceback or touch an existing output.
Each case runs without loading a model: the checks come before any model loads.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mt_toolkit.cli import app

runner = CliRunner()
KEEP = "an earlier output that must survive\n"


@pytest.fixture()
def files(tmp_path) -> dict[str, str]:
    """Inputs good and bad, an existing output, a file standing where a folder is expected."""
    def write(name: str, data: bytes) -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return str(path)

    paths = {
        "id": write("doc.id.txt", "Kami siap. Dia pergi.\nIni rumah.\n".encode()),
        "en": write("doc.en.txt", b"We are ready. He left.\nThis is a house.\n"),
        "three": write("three.en.txt", b"One.\nTwo.\nThree.\n"),
        "empty": write("empty.txt", b""),
        "binary": write("binary.txt", b"\x00\x01\x02binary\x00"),
        "latin1": write("latin1.txt", "Caf\u00e9 cr\u00e8me.\nD\u00e9j\u00e0 vu.\n".encode("latin-1")),
        "out": write("out.txt", KEEP.encode()),
        "out_json": write("out.json", KEEP.encode()),
        "blocked": write("blocked", b"a file, not a folder\n"),
        "badconfig": write("badmodel/config.json", b"{"),
    }
    for name, src, ref in (("fl_good", "doc.id.txt", "doc.en.txt"), ("fl_empty", "empty.txt", "doc.en.txt"),
                           ("fl_binary", "binary.txt", "doc.en.txt"), ("fl_latin1", "latin1.txt", "doc.en.txt"),
                           ("fl_mismatch", "doc.id.txt", "three.en.txt")):
        write(f"{name}/dev.ind.txt", (tmp_path / src).read_bytes())
        write(f"{name}/dev.eng.txt", (tmp_path / ref).read_bytes())
        paths[name] = str(tmp_path / name)
    paths["missing_model"] = str(tmp_path / "no-such-model")
    paths["unwritable"] = str(tmp_path / "blocked" / "out.txt")
    paths["unwritable_json"] = str(tmp_path / "blocked" / "out.json")
    paths["unwritable_dir"] = str(tmp_path / "blocked" / "results")
    paths["unwritable_cache"] = str(tmp_path / "blocked")
    return paths


T = ["-s", "id", "-t", "en"]
EVAL = ["eval", "{fl_good}", "-s", "id", "-t", "en", "-m", "{missing_model}"]

# (command, case) -> arguments; {name} is replaced by the fixture's path of that name.
CASES: dict[tuple[str, str], list[str]] = {
    ("translate", "empty"): ["translate", "{empty}", *T, "-o", "{out}"],
    ("translate", "binary"): ["translate", "{binary}", *T, "-o", "{out}"],
    ("translate", "latin1"): ["translate", "{latin1}", *T, "-o", "{out}"],
    ("translate", "unknown-language"): ["translate", "{id}", "-s", "xx", "-t", "en", "-o", "{out}"],
    ("translate", "missing-model"): ["translate", "{id}", *T, "-m", "{missing_model}", "-o", "{out}"],
    ("translate", "broken-model-config"): ["translate", "{id}", *T, "-m", "{fl_good}/../badmodel", "-o", "{out}"],
    ("translate", "unwritable-output"): ["translate", "{id}", *T, "-m", "{missing_model}", "-o", "{unwritable}"],
    ("translate", "output-is-folder"): ["translate", "{id}", "{en}", *T, "-o", "{out}"],
    ("translate", "output-is-input"): ["translate", "{out}", *T, "-m", "{missing_model}", "-o", "{out}"],
    ("translate", "contradictory"): ["translate", "{id}", "-s", "id", "-t", "en", "--pivot", "en", "-o", "{out}"],
    ("translate", "corpus-unwritable"): ["translate", "{fl_good}", *T, "-m", "{missing_model}", "-o", "{unwritable_dir}"],
    ("translate", "empty-output-name"): ["translate", "{id}", *T, "-m", "{missing_model}", "-o", ""],
    ("align", "empty"): ["align", "{empty}", "{en}", "-s", "en", "-t", "en", "-o", "{out}"],
    ("align", "binary"): ["align", "{binary}", "{en}", "-s", "en", "-t", "en", "-o", "{out}"],
    ("align", "latin1"): ["align", "{id}", "{en}", *T, "--src-mt", "{latin1}", "-o", "{out}"],
    ("align", "mismatched-lines"): ["align", "{id}", "{en}", *T, "--src-mt", "{three}", "-o", "{out}"],
    ("align", "unknown-language"): ["align", "{id}", "{en}", "-s", "id", "-t", "xx", "-o", "{out}"],
    ("align", "missing-model"): ["align", "{id}", "{en}", *T, "-m", "{missing_model}", "-o", "{out}"],
    ("align", "unwritable-output"): ["align", "{id}", "{en}", *T, "--src-mt", "{en}", "-o", "{unwritable}"],
    ("align", "output-is-input"): ["align", "{out}", "{en}", "-s", "en", "-t", "en", "-o", "{out}"],
    ("align", "contradictory"): ["align", "{id}", "{en}", *T, "--segment", "--src-mt", "{en}", "-o", "{out}"],
    ("align", "no-way-to-compare"): ["align", "{id}", "{en}", *T, "--no-translate", "-o", "{out}"],
    ("locate", "empty"): ["locate", "{empty}", "{en}", "-s", "en", "-t", "en", "-o", "{out}"],
    ("locate", "binary"): ["locate", "{id}", "{binary}", "-s", "en", "-t", "en", "-o", "{out}"],
    ("locate", "latin1"): ["locate", "{latin1}", "{en}", "-s", "en", "-t", "en", "-o", "{out}"],
    ("locate", "mismatched-lines"): ["locate", "{id}", "{en}", *T, "--quote-mt", "{three}", "-o", "{out}"],
    ("locate", "unknown-language"): ["locate", "{id}", "{en}", "-s", "xx", "-t", "en", "-o", "{out}"],
    ("locate", "missing-model"): ["locate", "{id}", "{en}", *T, "-m", "{missing_model}", "-o", "{out}"],
    ("locate", "unwritable-output"): ["locate", "{id}", "{en}", "-s", "en", "-t", "en", "-o", "{unwritable}"],
    ("locate", "output-is-input"): ["locate", "{id}", "{out}", "-s", "en", "-t", "en", "-o", "{out}"],
    ("locate", "contradictory"): ["locate", "{id}", "{en}", *T, "--segment", "--orig-mt", "{id}", "-o", "{out}"],
    ("locate", "no-way-to-compare"): ["locate", "{id}", "{en}", *T, "--no-translate", "-o", "{out}"],
    ("score", "empty"): ["score", "{en}", "{empty}"],
    ("score", "binary"): ["score", "{binary}", "{en}"],
    ("score", "latin1"): ["score", "{en}", "{latin1}"],
    ("score", "mismatched-lines"): ["score", "{en}", "{three}"],
    ("score", "unknown-language"): ["score", "{en}", "{en}", "-l", "xx"],
    ("score", "contradictory"): ["score", "{en}", "{en}", "--sentence", "--confidence"],
    ("score", "negative-samples"): ["score", "{en}", "--system", "a={en}", "--system", "b={en}", "--paired-n", "-5"],
    ("eval", "empty"): ["eval", "{fl_empty}", "-s", "id", "-t", "en", "-m", "{missing_model}", "--output-dir", "{tmp}/e"],
    ("eval", "binary"): ["eval", "{fl_binary}", "-s", "id", "-t", "en", "-m", "{missing_model}", "--output-dir", "{tmp}/e"],
    ("eval", "latin1"): ["eval", "{fl_latin1}", "-s", "id", "-t", "en", "-m", "{missing_model}", "--output-dir", "{tmp}/e"],
    ("eval", "mismatched-lines"): ["eval", "{fl_mismatch}", "-s", "id", "-t", "en", "-m", "{missing_model}", "--output-dir", "{tmp}/e"],
    ("eval", "unknown-language"): ["eval", "{fl_good}", "-s", "xx", "-t", "en", "-m", "{missing_model}", "--output-dir", "{tmp}/e"],
    ("eval", "missing-model"): [*EVAL, "--output-dir", "{tmp}/e"],
    ("eval", "unwritable-output"): [*EVAL, "--output-dir", "{unwritable_dir}"],
    ("eval", "output-is-a-file"): [*EVAL, "--output-dir", "{out}"],
    ("eval", "contradictory"): [*EVAL, "--output-dir", "{tmp}/e", "--paired-n", "-5"],
    ("eval", "no-such-split"): [*EVAL, "--output-dir", "{tmp}/e", "--split", "nope"],
    ("trace", "empty"): ["trace", "{empty}", "-l", "en", "--original", "{en}:en:E", "-o", "{out_json}"],
    ("trace", "binary"): ["trace", "{en}", "-l", "en", "--original", "{binary}:en:E", "-o", "{out_json}"],
    ("trace", "latin1"): ["trace", "{latin1}", "-l", "en", "--original", "{en}:en:E", "-o", "{out_json}"],
    ("trace", "mismatched-lines"): ["trace", "{id}", "-l", "id", "--original", "{en}:en:E", "--translation", "article={en}", "-o", "{out_json}"],
    ("trace", "unknown-language"): ["trace", "{id}", "-l", "xx", "--original", "{en}:en:E", "-o", "{out_json}"],
    ("trace", "missing-model"): ["trace", "{id}", "-l", "id", "--original", "{en}:en:E", "-m", "{missing_model}", "-o", "{out_json}"],
    ("trace", "unwritable-json"): ["trace", "{en}", "-l", "en", "--original", "{en}:en:E", "--json", "{unwritable_json}"],
    ("trace", "unwritable-html"): ["trace", "{en}", "-l", "en", "--original", "{en}:en:E", "--html", "{unwritable}"],
    ("trace", "unwritable-output"): ["trace", "{en}", "-l", "en", "--original", "{en}:en:E", "-o", "{unwritable_json}"],
    ("trace", "output-is-input"): ["trace", "{out_json}", "-l", "en", "--original", "{en}:en:E", "-o", "{out_json}", "-f", "json"],
    ("trace", "two-reports-to-stdout"): ["trace", "{en}", "-l", "en", "--original", "{en}:en:E", "--json", "-", "--markdown", "-"],
    ("trace", "contradictory-thresholds"): ["trace", "{en}", "-l", "en", "--original", "{en}:en:E", "--faithful-chrf", "10", "--not-found-chrf", "50", "-o", "{out_json}"],
    ("models convert", "missing-model"): ["models", "convert", "{missing_model}"],
    ("models convert", "broken-model-config"): ["models", "convert", "{fl_good}/../badmodel"],
    ("models convert", "a-file-not-a-folder"): ["models", "convert", "{out}"],
    ("models fetch", "offline"): ["models", "fetch", "Helsinki-NLP/opus-mt-id-en"],
}


# Where a case would also fail later for another reason (the model folder is missing on purpose,
# so nothing slow runs), the message shows the check under test came first.
EXPECT = {
    ("translate", "unwritable-output"): "is a file, not a folder",
    ("translate", "output-is-input"): "is also an input",
    ("translate", "corpus-unwritable"): "is a file, not a folder",
    ("translate", "empty-output-name"): "Invalid value for '--output' / '-o': an empty name",
    ("eval", "no-such-split"): "no id file of split 'nope'",
    ("eval", "unwritable-output"): "is a file, not a folder",
    ("eval", "output-is-a-file"): "it is a file, not a folder",
    ("eval", "contradictory"): "--paired-n",
}


@pytest.mark.parametrize(("command", "case"), list(CASES), ids=[f"{c}-{k}" for c, k in CASES])
def test_bad_input_is_one_line_and_exit_2(files, tmp_path, command, case):
    args = [a.format(tmp=tmp_path, **files) for a in CASES[command, case]]
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (args, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mt-toolkit: error: "), result.stderr
    assert "Traceback" not in result.output
    assert EXPECT.get((command, case), "") in lines[0]
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    changed = [p for p in before if after.get(p) != before[p]]
    assert not changed, f"{case} changed {changed}"
    assert not any(p.name.endswith((".tmp", ".partial", ".lock")) for p in after), sorted(after)


@pytest.mark.parametrize("where", ["file-as-folder", "proc"])
def test_models_convert_into_an_unwritable_cache_is_one_line(tiny_models, files, monkeypatch, where):
    pytest.importorskip("ctranslate2")
    if where == "proc" and not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    monkeypatch.setenv("MT_TOOLKIT_CACHE_DIR", files["unwritable_cache"] if where == "file-as-folder" else "/proc/mt-toolkit-test")
    result = runner.invoke(app, ["models", "convert", str(tiny_models["marian"])])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "cannot write" in result.stderr and "MT_TOOLKIT_CACHE_DIR" in result.stderr


def test_an_unwritable_translation_cache_is_one_line(files, monkeypatch):
    monkeypatch.setenv("MT_TOOLKIT_CACHE_DIR", files["unwritable_cache"])
    result = runner.invoke(app, ["align", files["id"], files["en"], *T, "-m", files["fl_good"] + "/../badmodel"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "translation cache" in result.stderr and "--no-cache" in result.stderr


def test_proc_output_is_refused_before_any_work(files):
    if not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    for args in (["translate", files["id"], *T, "-m", files["missing_model"], "-o", "/proc/mt-toolkit/x.txt"],
                 ["align", files["en"], files["en"], "-s", "en", "-t", "en", "-o", "/proc/x"],
                 ["trace", files["en"], "-l", "en", "--original", f"{files['en']}:en:E", "--html", "/proc/x.html"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and result.stderr.startswith("mt-toolkit: error: cannot write /proc/"), result.output


def test_output_naming_an_input_through_a_symlink_or_dot_path_is_refused(files, tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(files["en"])
    dotted = os.path.join(os.path.dirname(files["en"]), ".", os.path.basename(files["en"]))
    for output in (str(link), dotted):
        result = runner.invoke(app, ["align", files["en"], files["id"], "-s", "en", "-t", "en", "-o", output])
        assert result.exit_code == 2 and "is also an input" in result.stderr, result.output
    assert Path(files["en"]).read_text() == "We are ready. He left.\nThis is a house.\n"


def test_two_translate_inputs_with_one_name_are_refused(files, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "folder").mkdir()
    for side in "ab":
        (tmp_path / side / "x.txt").write_text("Kami siap.\n")
    result = runner.invoke(app, ["translate", str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt"), *T,
                                 "-m", files["missing_model"], "-o", str(tmp_path / "folder")])
    assert result.exit_code == 2 and "would both be written" in result.stderr, result.output
