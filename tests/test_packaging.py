"""Packaging promises: a missing extra is one line naming it, core commands import no model stack,
the version has one source, and the test-set file ships with the package."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mt_toolkit
from mt_toolkit._version import __version__ as source_version
from mt_toolkit.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "trace"
runner = CliRunner()
FAST = ["--beam", "2", "--max-length", "5"]

# What the `hf`, `ct2`, `ray` and `embeddings` extras bring; a core command must not even try these.
HEAVY = ("torch", "transformers", "ctranslate2", "sentencepiece", "sentence_transformers", "ray", "huggingface_hub")


def _one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("module", ["transformers", "torch"])
def test_translate_without_the_hf_extra_names_it(tiny_models, tmp_path, monkeypatch, module):
    monkeypatch.setitem(sys.modules, module, None)  # `import module` now raises ImportError
    src = tmp_path / "in.txt"
    src.write_text("Kami siap.\n", encoding="utf-8")
    result = runner.invoke(app, ["translate", str(src), "--model", str(tiny_models["marian"]), "--backend", "hf",
                                 "--src", "id", "--tgt", "en", *FAST])
    line = _one_line_error(result)
    assert line.endswith(f"{module} is not installed; install it with: pip install 'mt-toolkit[hf]'"), line


def test_translate_by_hub_id_without_the_hf_extra_names_it(tmp_path, monkeypatch):
    """A hub id is looked up in the HF cache first, with huggingface_hub (brought by transformers)."""
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)
    src = tmp_path / "in.txt"
    src.write_text("Kami siap.\n", encoding="utf-8")
    result = runner.invoke(app, ["translate", str(src), "--model", "Helsinki-NLP/opus-mt-id-en", "--backend", "hf",
                                 "--src", "id", "--tgt", "en", *FAST])
    line = _one_line_error(result)
    assert line.endswith("huggingface_hub is not installed; install it with: pip install 'mt-toolkit[hf]'"), line


def test_translate_with_ct2_backend_without_the_ct2_extra_names_it(tiny_models, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ctranslate2", None)
    src = tmp_path / "in.txt"
    src.write_text("Kami siap.\n", encoding="utf-8")
    result = runner.invoke(app, ["translate", str(src), "--model", str(tiny_models["marian"]), "--backend", "ct2",
                                 "--src", "id", "--tgt", "en", *FAST])
    line = _one_line_error(result)
    assert line.endswith("ctranslate2 is not installed; install it with: pip install 'mt-toolkit[ct2]'"), line


# Runs the CLI in a fresh interpreter whose import system refuses the heavy packages and records
# every attempt, so an import that is tried and silently caught is caught here too.
_BLOCKER = """
import importlib.abc, sys
HEAVY = {heavy!r}
tried = []
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HEAVY:
            tried.append(name)
            raise ImportError(f"blocked by the test: {{name}}", name=name)
        return None
sys.meta_path.insert(0, Refuse())
sys.argv = ["mt-toolkit", *{argv!r}]
from mt_toolkit.cli import main
try:
    main()
except SystemExit as exit:
    code = exit.code or 0
else:
    code = 0
print("HEAVY-IMPORTS-TRIED:", sorted(set(tried)), file=sys.stderr)
sys.exit(code)
"""


def _run_blocked(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = _BLOCKER.format(heavy=HEAVY, argv=argv)
    return subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_score_imports_no_model_stack(tmp_path):
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("The cat sat on the mat.\nIt rained all day.\n", encoding="utf-8")
    ref.write_text("The cat sat on a mat.\nIt rained the whole day.\n", encoding="utf-8")
    done = _run_blocked(["score", str(hyp), str(ref), "--metrics", "bleu,chrf,ter"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "HEAVY-IMPORTS-TRIED: []" in done.stderr, done.stderr
    assert "chrF2" in done.stdout and "BLEU" in done.stdout


def test_readme_trace_with_supplied_translations_imports_no_model_stack(tmp_path):
    """The README's first command, as written there (paths relative to the repository root)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if "mt-toolkit trace examples/" in line)
    argv = command.split(".venv/bin/mt-toolkit ", 1)[1].split()
    argv[argv.index("--html") + 1] = str(tmp_path / "trace.html")
    done = _run_blocked(argv, ROOT)
    assert done.returncode == 0, done.stderr
    assert "HEAVY-IMPORTS-TRIED: []" in done.stderr, done.stderr
    assert "<html" in (tmp_path / "trace.html").read_text(encoding="utf-8").lower()


def test_version_has_one_source():
    assert mt_toolkit.__version__ == source_version == importlib.metadata.version("mt-toolkit")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "mt_toolkit._version.__version__"}


def test_cli_version_flag_agrees_with_the_installed_metadata():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert importlib.metadata.version("mt-toolkit") in result.stdout


def test_extras_name_each_other_instead_of_repeating_pins():
    """A requirement appears in one extra only; `all` and `dev` refer to the others by name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    assert extras["all"] == ["mt-toolkit[hf,ct2,ray,embeddings,serve]"]
    assert "mt-toolkit[all]" in extras["dev"]
    seen: dict[str, str] = {}
    for extra, requirements in [("core", project["dependencies"]), *extras.items()]:
        for requirement in requirements:
            if requirement.startswith("mt-toolkit["):
                continue
            name = requirement.split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip().lower()
            assert name not in seen, f"{name} is pinned in both {seen[name]} and {extra}"
            seen[name] = extra
    assert not {"torch", "transformers", "ctranslate2", "ray", "sentence-transformers"} & {
        name for name, extra in seen.items() if extra == "core"
    }


def test_license_file_matches_the_declared_licence():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "Apache-2.0" and project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert (ROOT / "mt_toolkit" / "py.typed").is_file()
