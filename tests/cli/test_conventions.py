"""One CLI convention: every command spells a shared option the same way, and old spellings still work.

The walk goes through the Typer app's click commands (names, short flags, hidden state), not
through help text, except where the rendered help itself is the contract (no Python types, the
literal bead format).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from mt_toolkit.cli import app
from mt_toolkit.cli import _common

runner = CliRunner()

# concept -> (long name, short flag or None); wherever a command has the concept it is spelled so.
SHARED = {
    "src": ("--src", "-s"),
    "tgt": ("--tgt", "-t"),
    "lang": ("--lang", "-l"),
    "model": ("--model", "-m"),
    "output": ("--output", "-o"),
    "format": ("--format", "-f"),
    "device": ("--device", None),
    "backend": ("--backend", None),
    "compute_type": ("--compute-type", None),
    "cache": ("--cache", None),
    "cache_file": ("--cache-file", None),
    "beam": ("--beam", None),
    "max_length": ("--max-length", None),
    "batch_size": ("--batch-size", None),
    "revision": ("--revision", None),
}

# The commands that may translate on the fly, and what each must offer for it.
TRANSLATING = {"translate", "eval", "trace", "align", "locate"}
ENGINE_OPTIONS = {"--device", "--backend", "--compute-type", "--cache", "--cache-file"}
DECODING_OPTIONS = {"--beam", "--max-length", "--batch-size", "--revision"}


def commands() -> dict[str, object]:
    """Every leaf command by its path ("translate", "models convert"), as click sees it."""
    group = typer.main.get_command(app)
    found = {}

    def walk(command, prefix):
        for name, sub in getattr(command, "commands", {}).items():
            path = f"{prefix} {name}".strip()
            if getattr(sub, "commands", None):
                walk(sub, path)
            else:
                found[path] = sub

    walk(group, "")
    return found


def options(command) -> list:
    return [p for p in command.params if p.param_type_name == "option"]


def test_every_command_is_walked():
    assert {"translate", "align", "locate", "score", "eval", "trace", "models list", "models fetch",
            "models convert"} <= set(commands())


@pytest.mark.parametrize("concept", sorted(SHARED))
def test_a_shared_option_has_one_spelling_everywhere(concept):
    long, short = SHARED[concept]
    seen = 0
    for path, command in commands().items():
        for param in options(command):
            if param.name == concept or long in param.opts:
                seen += 1
                assert long in param.opts, f"{path}: {concept} is spelled {param.opts}"
                shorts = [o for o in param.opts if not o.startswith("--")]
                assert shorts == ([short] if short else []), f"{path}: {long} has short flags {shorts}"
    assert seen, f"no command has {long}"


def test_no_short_flag_has_two_meanings():
    meaning: dict[str, str] = {}
    for path, command in commands().items():
        for param in options(command):
            longs = [o for o in [*param.opts, *param.secondary_opts] if o.startswith("--")]
            for short in (o for o in param.opts if not o.startswith("--")):
                assert meaning.setdefault(short, longs[0]) == longs[0], (
                    f"{path}: {short} means {longs[0]}, elsewhere {meaning[short]}"
                )


@pytest.mark.parametrize("name", sorted(TRANSLATING))
def test_commands_that_translate_take_the_engine_options(name):
    names = {o for p in options(commands()[name]) for o in [*p.opts, *p.secondary_opts]}
    assert ENGINE_OPTIONS | {"--no-cache"} <= names
    if name in ("translate", "eval", "trace"):
        assert DECODING_OPTIONS - ({"--revision"} if name == "eval" else set()) <= names


def test_fixed_choices_are_enums_equal_to_the_library():
    from mt_toolkit.metrics import PAIRED_TESTS
    from mt_toolkit.testsets import LAYOUTS
    from mt_toolkit.translate.convert import QUANTIZATIONS
    from mt_toolkit.translate.engine import BACKENDS

    assert tuple(b.value for b in _common.Backend) == BACKENDS
    assert tuple(q.value for q in _common.Quantization) == QUANTIZATIONS
    assert tuple(layout.value for layout in _common.Layout) == tuple(LAYOUTS)
    assert tuple(p.value for p in _common.PairedTest) == PAIRED_TESTS


@pytest.mark.parametrize(
    "args",
    [
        ["translate", "-s", "id", "-t", "en", "--device", "tpu"],
        ["translate", "-s", "id", "-t", "en", "--backend", "onnx"],
        ["translate", "-s", "id", "-t", "en", "--compute-type", "int4"],
        ["translate", "-s", "id", "-t", "en", "--engine", "spark"],
        ["eval", "x", "-m", "m", "--paired", "zz"],
        ["eval", "x", "-m", "m", "--layout", "wmt"],
        ["score", "a", "b", "--paired", "zz"],
        ["models", "convert", "m", "--quantization", "int3"],
        ["trace", "a", "-l", "id", "--original", "o:en:O", "--format", "pdf"],
    ],
)
def test_a_wrong_choice_fails_in_parsing(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "Invalid value" in result.output
    assert_one_error_line(result)


def assert_one_error_line(result) -> None:
    """A usage error reads like every other user error: one line, no usage box, no traceback."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mt-toolkit: error: "), result.stderr
    assert "--help" in lines[0]  # it says where the usage is
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args, says",
    [
        (["translate", "-s", "id", "-t", "en", "--beam", "four"], "Invalid value for '--beam'"),
        (["translate", "-s", "id", "-t", "en", "--bogus"], "No such option: --bogus"),
        (["align"], "Missing argument 'SRC'"),
        (["transalte"], "No such command 'transalte'"),
        (["models", "frobnicate"], "No such command 'frobnicate'"),
        (["translate", "-s"], "requires an argument"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(args, says):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert says in result.stderr
    assert_one_error_line(result)


def test_the_bare_command_still_prints_its_help():
    result = runner.invoke(app, [])
    assert "translate" in result.output and "Usage" in result.output


PYTHON_TYPES = re.compile(r"<(?:list\[|str>|int>|float>|bool>|path>|int range|float range)")


@pytest.mark.parametrize("path", ["", "translate", "align", "locate", "score", "eval", "trace",
                                  "models", "models list", "models fetch", "models convert"])
def test_help_shows_metavars_not_python_types(path):
    result = runner.invoke(app, [*path.split(), "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert not PYTHON_TYPES.search(result.stdout), PYTHON_TYPES.search(result.stdout)
    assert "-h" in result.stdout


@pytest.mark.parametrize("path", ["translate", "align", "models convert"])
def test_dash_h_is_help(path):
    assert runner.invoke(app, [*path.split(), "-h"]).stdout == runner.invoke(app, [*path.split(), "--help"]).stdout


def test_help_prints_the_bead_format_literally():
    result = runner.invoke(app, ["align", "--help"], env={"COLUMNS": "250"})
    assert "[i, j]:[k]:score" in result.stdout


def test_version():
    from mt_toolkit import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"mt-toolkit {__version__}"


# --- old spellings: hidden aliases for one release ---------------------------------------------

# (command path, old spelling, today's)
ALIASES = [
    ("align", "--src-lang", "--src"),
    ("align", "--tgt-lang", "--tgt"),
    ("locate", "--quote-lang", "--src"),
    ("locate", "--orig-lang", "--tgt"),
    ("eval", "--out", "--output-dir"),
    ("score", "--json", "--format json"),
]


@pytest.mark.parametrize(("path", "old", "new"), ALIASES)
def test_old_spellings_are_hidden(path, old, new):
    command = commands()[path]
    assert old in command.aliases and command.aliases[old] == new
    assert all(old not in p.opts for p in options(command))
    result = runner.invoke(app, [*path.split(), "--help"], env={"COLUMNS": "250"})
    assert re.search(rf"{re.escape(old)}(?![\w-])", result.stdout) is None


@pytest.mark.parametrize(("path", "old", "new"), [a for a in ALIASES if " " not in a[2]])
def test_old_spellings_are_rewritten_like_the_new_ones(path, old, new):
    command = commands()[path]
    assert command.rewrite_aliases([old, "de", "x"]) == [new, "de", "x"]
    assert command.rewrite_aliases([f"{old}=de"]) == [f"{new}=de"]
    # anything after -- is an argument, never rewritten
    assert command.rewrite_aliases(["--", old]) == ["--", old]


def test_an_option_value_is_never_rewritten():
    command = commands()["align"]
    assert command.rewrite_aliases(["--model", "--src-lang", "--src-lang", "de"]) == ["--model", "--src-lang", "--src", "de"]


def _align_files(tmp_path: Path) -> list[str]:
    src, tgt = tmp_path / "de.txt", tmp_path / "en.txt"
    src.write_text("Guten Morgen.\nDas Haus ist rot.\n", encoding="utf-8")
    tgt.write_text("Good morning.\nThe house is red.\n", encoding="utf-8")
    mt = tmp_path / "de.mt.txt"
    mt.write_text("Good morning.\nThe house is red.\n", encoding="utf-8")
    return [str(src), str(tgt), "--src-mt", str(mt)]


def test_align_old_language_options_still_work(tmp_path):
    files = _align_files(tmp_path)
    old = runner.invoke(app, ["align", *files, "--src-lang", "de", "--tgt-lang", "en"])
    new = runner.invoke(app, ["align", *files, "-s", "de", "-t", "en"])
    assert old.exit_code == new.exit_code == 0, old.output
    assert old.stdout == new.stdout == "[0]:[0]:" + new.stdout.split(":", 2)[2]
    assert "--src-lang is deprecated" in old.stderr and "use --src" in old.stderr


def test_locate_old_language_options_still_work(tmp_path):
    quote, original = tmp_path / "q.txt", tmp_path / "o.txt"
    quote.write_text("The house is red.\n", encoding="utf-8")
    original.write_text("Good morning.\nThe house is red.\nGoodbye.\n", encoding="utf-8")
    old = runner.invoke(app, ["locate", str(quote), str(original), "--quote-lang=en", "--orig-lang", "en"])
    new = runner.invoke(app, ["locate", str(quote), str(original), "--src", "en", "--tgt", "en"])
    assert old.exit_code == new.exit_code == 0, old.output
    assert old.stdout == new.stdout
    assert "--quote-lang is deprecated" in old.stderr


def test_score_old_json_flag_still_works(tmp_path):
    hyp = tmp_path / "h.txt"
    hyp.write_text("the cat sat on the mat\n", encoding="utf-8")
    old = runner.invoke(app, ["score", str(hyp), str(hyp), "--metrics", "bleu", "--json"])
    new = runner.invoke(app, ["score", str(hyp), str(hyp), "--metrics", "bleu", "-f", "json"])
    assert old.exit_code == new.exit_code == 0, old.output
    assert old.stdout == new.stdout and old.stdout.lstrip().startswith("[")


def test_eval_old_out_option_still_parses():
    command = commands()["eval"]
    assert command.rewrite_aliases(["x", "--out", "dir"]) == ["x", "--output-dir", "dir"]


def test_old_cache_file_spelling_still_works(tmp_path):
    """``--cache FILE`` (now --cache-file) is recognised by the file's name or SQLite header."""
    command = commands()["translate"]
    assert command.rewrite_aliases(["--cache", "c.sqlite3", "in.txt"]) == ["--cache-file", "c.sqlite3", "in.txt"]
    assert command.rewrite_aliases(["--cache=c.bin"]) == ["--cache-file=c.bin"]
    sqlite = tmp_path / "cache"
    import sqlite3

    sqlite3.connect(sqlite).execute("CREATE TABLE t (x)").connection.commit()
    assert command.rewrite_aliases(["--cache", str(sqlite)]) == ["--cache-file", str(sqlite)]
    # the boolean --cache before an ordinary input file is left alone
    text = tmp_path / "in.txt"
    text.write_text("hello\n", encoding="utf-8")
    assert command.rewrite_aliases(["--cache", str(text)]) == ["--cache", str(text)]
    assert commands()["score"].rewrite_aliases(["--cache", "c.sqlite3"]) == ["--cache", "c.sqlite3"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "a", "b", "-m", "bleu"], "write --metrics NAMES"),
        (["eval", "x", "-m", "M", "-o", "out/"], "write --output-dir DIR"),
        (["trace", "a", "-l", "id", "--original", "o:en:O", "-t", "article=a.en"], "write --translation LABEL=FILE"),
    ],
)
def test_a_removed_short_flag_says_what_to_write(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
