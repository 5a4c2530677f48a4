"""`mt-toolkit eval` end to end on tiny random-weight models and a FLORES-style folder."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from typer.testing import CliRunner

from mt_toolkit.cli import app

runner = CliRunner()

IND = [
    "Presiden mengatakan pada hari Senin bahwa pemerintah akan bekerja sama.",
    "Kami tidak harus pergi ke Jakarta tahun ini.",
    "Menteri luar negeri tiba di Beijing pada 2 Juli.",
    "Ekonomi dunia tumbuh 3 persen tahun lalu.",
    "Rumah sakit di kota itu baru dibuka.",
    "Rakyat boleh memilih presiden baru.",
    "Sekolah desa akan dibuka pada bulan Agustus.",
    "Keamanan dan perdamaian penting untuk pembangunan.",
    "Kunjungan kenegaraan itu berlangsung selama tiga hari.",
    "Pemerintah mengatakan 5 juta orang akan mendapat bantuan.",
]
ENG = [
    "The president said on Monday that the government will cooperate.",
    "We do not have to go to Jakarta this year.",
    "The foreign minister arrived in Beijing on 2 July.",
    "The world economy grew 3 percent last year.",
    "The hospital in that city has just opened.",
    "The people may elect a new president.",
    "The village school will open in August.",
    "Security and peace are important for development.",
    "The state visit lasted three days.",
    "The government said 5 million people will receive aid.",
]
FAST = ["--beam", "1", "--max-length", "8", "--device", "cpu", "--paired-n", "50"]


@pytest.fixture()
def flores(tmp_path):
    folder = tmp_path / "flores-mini"
    folder.mkdir()
    (folder / "dev.ind.txt").write_text("\n".join(IND) + "\n", encoding="utf-8")
    (folder / "dev.eng.txt").write_text("\n".join(ENG) + "\n", encoding="utf-8")
    return folder


def run_eval(flores, out, models, *extra):
    args = ["eval", str(flores), "--src", "id", "--tgt", "en", "--output-dir", str(out), *FAST, *extra]
    for name, path in models:
        args += ["-m", f"{name}={path}"]
    return runner.invoke(app, args)


def test_two_models_then_a_third_translates_only_with_the_third(tiny_models, flores, tmp_path):
    out = tmp_path / "out"
    first = run_eval(flores, out, [("a", tiny_models["marian"]), ("b", tiny_models["marian-b"])])
    assert first.exit_code == 0, first.stderr
    assert "a (baseline)" in first.stdout and "BLEU|nrefs:1|" in first.stdout
    # the three outputs: terminal table above, JSON and Markdown here (plus the translations)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    report = (out / "report.md").read_text(encoding="utf-8")
    assert [s["name"] for s in results["systems"]] == ["a", "b"]
    assert [s["translated_this_run"] for s in results["systems"]] == [10, 10]
    assert results["systems"][1]["significance"]["BLEU"]["p_value"] is not None
    assert all(s["scores"][0]["signature"].startswith("nrefs:1|case:mixed|eff:no|tok:13a") for s in results["systems"])
    assert results["systems"][0]["sentences_per_second"] > 0
    assert "| a (baseline) |" in report and "`nrefs:1|case:mixed|eff:no|tok:13a" in report
    assert len((out / "translations" / "a.en.txt").read_text(encoding="utf-8").splitlines()) == 10

    second = run_eval(flores, out, [("a", tiny_models["marian"]), ("b", tiny_models["marian-b"]), ("c", tiny_models["m2m100"])])
    assert second.exit_code == 0, second.stderr
    again = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [s["translated_this_run"] for s in again["systems"]] == [0, 0, 10]
    assert again["systems"][0]["speed_from_cache"] is True
    # same translations from the cache as from the model
    assert [s["scores"] for s in again["systems"][:2]] == [s["scores"] for s in results["systems"]]
    assert (out / "translations" / "c.en.txt").exists()
    # the cache holds each model's ten sentences exactly once
    cache_file = tmp_path / "mt-toolkit-cache" / "translations.sqlite3"
    with sqlite3.connect(cache_file) as db:
        counts = sorted(n for (n,) in db.execute("SELECT COUNT(*) FROM translations GROUP BY key"))
    assert counts == [10, 10, 10]


def test_no_cache_translates_again(tiny_models, flores, tmp_path):
    for _ in range(2):
        result = run_eval(flores, tmp_path / "o", [("a", tiny_models["marian"])], "--no-cache")
        assert result.exit_code == 0, result.stderr
        data = json.loads((tmp_path / "o" / "results.json").read_text(encoding="utf-8"))
        assert data["systems"][0]["translated_this_run"] == 10
    assert not (tmp_path / "mt-toolkit-cache" / "translations.sqlite3").exists()


@pytest.mark.parametrize(
    "change, extra, message",
    [
        (lambda f: None, ["--tgt", "ru"], r"no Russian \(ru\) file in .*dev\.rus\.txt"),
        (lambda f: (f / "dev.eng.txt").write_text("One line.\n"), [], "has 10 lines but"),
        (lambda f: (f / "dev.eng.txt").write_text(""), [], "is empty"),
        (lambda f: None, ["--metrics", "bleu,comet"], "unknown metric 'comet'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tiny_models, flores, tmp_path, change, extra, message):
    change(flores)
    args = ["eval", str(flores), "--src", "id", "--tgt", "en", "-m", str(tiny_models["marian"]),
            "--output-dir", str(tmp_path / "o"), *FAST, *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert re.search(message, result.stderr), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_unknown_testset_name(tmp_path):
    result = runner.invoke(app, ["eval", "flores-nope", "--src", "id", "--tgt", "en", "-m", "x", "--testsets", str(tmp_path / "none.toml")])
    assert result.exit_code == 2
    assert "unknown test set 'flores-nope'" in result.stderr


def test_shipped_testset_name_works_from_any_folder(tmp_path, monkeypatch):
    """`eval flores200-dev` finds the name in the packaged file, wherever it runs, and asks for the data."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MT_TOOLKIT_DATA", raising=False)
    result = runner.invoke(app, ["eval", "flores200-dev", "--src", "id", "--tgt", "en", "-m", "x"])
    assert result.exit_code == 2, result.output
    assert "uses an environment variable that is not set" in result.stderr
    assert "MT_TOOLKIT_DATA" in result.stderr
