"""`mt-toolkit translate` corpus jobs and `mt-toolkit models convert`, on the tiny models."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from mt_toolkit.cli import app

runner = CliRunner()
FAST = ["--beam", "1", "--max-length", "4", "-s", "id", "-t", "en"]
ROOT = Path(__file__).resolve().parents[1]


def test_jsonl_corpus_keeps_fields_and_adds_translation_with_hops(tiny_models, tmp_path):
    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps({"url": f"u{i}", "body": f"Presiden tiba {i}. Baca juga: ini."}) + "\n" for i in range(7)),
                   encoding="utf-8")
    out = tmp_path / "news.en.jsonl"
    result = runner.invoke(app, ["translate", str(src), "-m", str(tiny_models["marian"]), *FAST,
                                 "--field", "body", "--chunk-size", "3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "7 records" in result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["url"] for r in records] == [f"u{i}" for i in range(7)]
    assert all(r["body_en"] and r["body_en_hops"][0]["model"] == str(tiny_models["marian"]) for r in records)


def test_a_folder_of_csv_and_txt_mirrors_into_an_output_folder(tiny_models, tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.csv").write_text('id,text\n1,"Kami siap, pak."\n2,Dia pergi.\n', encoding="utf-8")
    (corpus / "sub" / "b.txt").write_text("Satu.\n\nDua.\n", encoding="utf-8")
    result = runner.invoke(app, ["translate", str(corpus), "-m", str(tiny_models["marian"]), *FAST, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    rows = (tmp_path / "out" / "a.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "id,text,text_en" and rows[1].startswith('1,"Kami siap, pak.",') and len(rows) == 3
    assert (tmp_path / "out" / "sub" / "b.txt").read_text(encoding="utf-8").split("\n")[1] == ""


def test_user_errors_are_one_line_and_exit_2(tiny_models, tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text('{"body": "x"}\n', encoding="utf-8")
    result = runner.invoke(app, ["translate", str(src), "-m", str(tiny_models["marian"]), *FAST, "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2 and "no field 'text'" in result.stderr and "--field" in result.stderr
    result = runner.invoke(app, ["translate", str(src), "-m", str(tiny_models["marian"]), *FAST, "--field", "body"])
    assert result.exit_code == 2 and "-o OUTPUT" in result.stderr


def test_models_convert_then_translate_uses_ctranslate2(tiny_models, tmp_path):
    result = runner.invoke(app, ["models", "convert", str(tiny_models["marian"]), "--quantization", "int8"])
    assert result.exit_code == 0, result.output
    folder = Path(result.stdout.strip())
    assert folder.is_relative_to(Path(os.environ["MT_TOOLKIT_CACHE_DIR"])) and (folder / "model.bin").is_file()
    src = tmp_path / "a.jsonl"
    src.write_text('{"text": "Kami siap."}\n', encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = runner.invoke(app, ["translate", str(src), "-m", str(tiny_models["marian"]), *FAST, "-o", str(out)])
    assert result.exit_code == 0, result.output
    hop = json.loads(out.read_text(encoding="utf-8"))["text_en_hops"][0]
    assert (hop["backend"], hop["compute_type"]) == ("ctranslate2", "int8_float32")
    bad = runner.invoke(app, ["models", "convert", str(tiny_models["marian"]), "--quantization", "int3"])
    assert bad.exit_code == 2 and "Invalid value" in bad.stderr  # refused in parsing, before any model loads


def _cli(args, env):
    return subprocess.Popen([sys.executable, "-c", "from mt_toolkit.cli import main; main()", *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_job_killed_with_sigkill_resumes_to_exactly_once_in_order(tiny_models, tmp_path):
    n = 600
    src = tmp_path / "big.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": f"Presiden {i} tiba di kota {i % 97}."}) + "\n" for i in range(n)),
                   encoding="utf-8")
    out = tmp_path / "big.en.jsonl"
    partial = tmp_path / "big.en.jsonl.partial"
    args = ["translate", str(src), "-m", str(tiny_models["marian"]), "--backend", "hf", "--beam", "1",
            "--max-length", "8", "-s", "id", "-t", "en", "--chunk-size", "20", "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills = 0
    for attempt in range(2):  # kill the first run, and the first resume, while the partial file grows
        proc = _cli([*args, "--resume"] if attempt else args, env)
        start = partial.stat().st_size if partial.exists() else 0
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            if partial.exists() and partial.stat().st_size > start + 2000:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                kills += 1
                break
            time.sleep(0.01)
        assert proc.poll() is not None, "job neither grew nor ended"
    assert kills == 2 and not out.exists(), "the job finished before it could be killed twice"
    proc = _cli([*args, "--resume"], env)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr.decode()
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == list(range(n))
    assert not partial.exists() and not (tmp_path / "big.en.jsonl.checkpoint").exists()


def test_corpus_jobs_fill_and_reuse_the_translation_cache(tiny_models, tmp_path):
    from mt_toolkit.translate.cache import TranslationCache

    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps({"text": t}) + "\n" for t in ["Kami siap. Baca juga: ini.", "Dia pergi. Baca juga: ini."]),
                   encoding="utf-8")
    cache = tmp_path / "cache.sqlite3"
    args = ["translate", str(src), "-m", str(tiny_models["marian"]), *FAST, "--cache-file", str(cache)]
    first = runner.invoke(app, [*args, "-o", str(tmp_path / "one.jsonl")])
    assert first.exit_code == 0, first.output
    with TranslationCache(cache) as store:
        assert store.count() == 3  # three distinct sentences
    import sqlite3

    with sqlite3.connect(cache) as db:  # mark the cached texts, to see them come back
        db.execute("UPDATE translations SET text = 'cached'")
    second = runner.invoke(app, [*args, "-o", str(tmp_path / "two.jsonl")])
    assert second.exit_code == 0, second.output
    assert [json.loads(line)["text_en"] for line in (tmp_path / "two.jsonl").read_text(encoding="utf-8").splitlines()] \
        == ["cached cached", "cached cached"]
    fresh = runner.invoke(app, [*args, "--no-cache", "-o", str(tmp_path / "three.jsonl")])
    assert fresh.exit_code == 0 and (tmp_path / "three.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
