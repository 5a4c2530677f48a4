"""Corpus jobs with a fake translator: chunking, dedup across chunks, checkpoints, resumption."""

import json

import pytest

from mt_toolkit.errors import InputError
from mt_toolkit.jobs import CorpusJob, ResumableOutput, run_corpus_job
from mt_toolkit.translate.base import Hop, Translation


class FakeTranslate:
    """Upper-cases sentences and remembers every sentence it was asked to translate."""

    def __init__(self, fail_after: int | None = None):
        self.seen: list[str] = []
        self.fail_after = fail_after

    def __call__(self, sentences):
        if self.fail_after is not None and len(self.seen) + len(sentences) > self.fail_after:
            raise RuntimeError("simulated crash")
        self.seen.extend(sentences)
        return [Translation(s, s.upper(), "id", "en", (Hop("id", "en", s, s.upper(), "fake", "r1", "fake", "float32", 1, -0.25),))
                for s in sentences]


def write_jsonl(path, n):
    path.write_text("".join(json.dumps({"id": i, "text": f"Kalimat {i}. Baca juga: berita."}) + "\n" for i in range(n)),
                    encoding="utf-8")


def job_for(tmp_path, n=23, chunk_size=5):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, n)
    return CorpusJob(input=str(src), output=str(tmp_path / "out.jsonl"), fmt="jsonl", src_lang="id",
                     tgt_lang="en", chunk_size=chunk_size)


def read_ids(path):
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_record_once_in_order_and_boilerplate_translated_once(tmp_path):
    job = job_for(tmp_path)
    translate = FakeTranslate()
    progress = []
    result = run_corpus_job(job, translate=translate, translator={"m": "fake"}, on_progress=lambda d, t: progress.append((d, t)))
    out = tmp_path / "out.jsonl"
    assert read_ids(out) == list(range(23)) and result.records == 23
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["text_en"] == "KALIMAT 0. BACA JUGA: BERITA."
    assert first["text_en_hops"][0]["source"] == "Kalimat 0. Baca juga: berita."
    assert translate.seen.count("Baca juga: berita.") == 1  # repeated in every record, every chunk
    assert [d for d, _ in progress] == [5, 10, 15, 20, 23] and progress[-1][1] == 23
    assert not (tmp_path / "out.jsonl.partial").exists() and not (tmp_path / "out.jsonl.checkpoint").exists()


def test_a_crashed_job_resumes_with_nothing_lost_or_repeated(tmp_path):
    job = job_for(tmp_path)
    with pytest.raises(RuntimeError, match="simulated crash"):
        run_corpus_job(job, translate=FakeTranslate(fail_after=12), translator={"m": "fake"})
    partial = tmp_path / "out.jsonl.partial"
    committed = partial.stat().st_size
    assert committed > 0 and not (tmp_path / "out.jsonl").exists()
    with open(partial, "ab") as handle:  # a chunk written but not yet checkpointed when the kill came
        handle.write(b'{"id": 999, "half a rec')
    with pytest.raises(InputError, match="--resume"):
        run_corpus_job(job, translate=FakeTranslate(), translator={"m": "fake"})
    result = run_corpus_job(job, translate=FakeTranslate(), translator={"m": "fake"}, resume=True)
    assert read_ids(tmp_path / "out.jsonl") == list(range(23))
    assert result.resumed_from > 0
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    run_corpus_job(job_for(fresh), translate=FakeTranslate(), translator={"m": "fake"})
    assert (tmp_path / "out.jsonl").read_bytes() == (fresh / "out.jsonl").read_bytes()


def test_resume_refuses_other_settings_or_a_changed_input(tmp_path):
    job = job_for(tmp_path)
    with pytest.raises(RuntimeError):
        run_corpus_job(job, translate=FakeTranslate(fail_after=6), translator={"m": "fake"})
    with pytest.raises(InputError, match="other settings.*translator"):
        run_corpus_job(job, translate=FakeTranslate(), translator={"m": "other"}, resume=True)
    with pytest.raises(InputError, match="translator.m: 'fake' -> 'other'"):
        run_corpus_job(job, translate=FakeTranslate(), translator={"m": "other"}, resume=True)
    write_jsonl(tmp_path / "in.jsonl", 30)
    with pytest.raises(InputError, match="input_sha256: the input's content changed; input_size: "):
        run_corpus_job(job, translate=FakeTranslate(), translator={"m": "fake"}, resume=True)


def test_resume_is_keyed_on_content_not_modification_time(tmp_path):
    import os

    job = job_for(tmp_path)
    with pytest.raises(RuntimeError):
        run_corpus_job(job, translate=FakeTranslate(fail_after=6), translator={"m": "fake"})
    src = tmp_path / "in.jsonl"
    os.utime(src, ns=(src.stat().st_atime_ns, src.stat().st_mtime_ns + 5_000_000_000))  # touched, same bytes
    result = run_corpus_job(job, translate=FakeTranslate(), translator={"m": "fake"}, resume=True)
    assert result.resumed_from > 0 and read_ids(tmp_path / "out.jsonl") == list(range(23))
    same_size = src.read_text(encoding="utf-8").replace("Kalimat 3.", "Kalimat 4.")  # edited, same size
    src.write_text(same_size, encoding="utf-8")
    with pytest.raises(RuntimeError):
        run_corpus_job(job, translate=FakeTranslate(fail_after=6), translator={"m": "fake"})
    (tmp_path / "out.jsonl").unlink()
    src.write_text(same_size.replace("Kalimat 4.", "Kalimat 5."), encoding="utf-8")
    with pytest.raises(InputError, match="input's content changed"):
        run_corpus_job(job, translate=FakeTranslate(), translator={"m": "fake"}, resume=True)


def test_a_second_job_on_the_same_output_is_refused_while_the_first_runs(tmp_path):
    job = job_for(tmp_path)

    class SecondJobMidway(FakeTranslate):
        """While the first job translates its second chunk, a second job starts on the same output."""

        def __call__(self, sentences):
            if len(self.seen) and not hasattr(self, "refusal"):
                with pytest.raises(InputError, match=r"another job \(pid \d+\) is writing .*out.jsonl") as err:
                    run_corpus_job(job, translate=FakeTranslate(), translator={"m": "fake"}, resume=True)
                self.refusal = str(err.value)
            return super().__call__(sentences)

    translate = SecondJobMidway()
    run_corpus_job(job, translate=translate, translator={"m": "fake"})
    assert hasattr(translate, "refusal") and read_ids(tmp_path / "out.jsonl") == list(range(23))
    assert not (tmp_path / "out.jsonl.lock").exists()
    # the lock went with the job: the next run (and a crashed run's resume) may take it
    with pytest.raises(RuntimeError):
        run_corpus_job(job, translate=FakeTranslate(fail_after=6), translator={"m": "fake"})
    assert not (tmp_path / "out.jsonl.lock").exists()
    assert run_corpus_job(job, translate=FakeTranslate(), translator={"m": "fake"}, resume=True).records == 23


def test_the_lock_is_held_across_processes(tmp_path):
    import subprocess
    import sys

    from mt_toolkit.jobs.checkpoint import OutputLock

    out = tmp_path / "out.txt"
    lock = OutputLock(tmp_path / "out.txt.lock", output=out)
    code = ("import sys; from pathlib import Path; from mt_toolkit.jobs.checkpoint import OutputLock\n"
            "try:\n    OutputLock(Path(sys.argv[1]), output=Path(sys.argv[2]))\n"
            "except Exception as e:\n    print(e); sys.exit(3)\n")
    held = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out.txt.lock"), str(out)], capture_output=True, text=True, check=False)
    assert held.returncode == 3 and f"pid {__import__('os').getpid()}" in held.stdout
    lock.release()
    free = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out.txt.lock"), str(out)], capture_output=True, text=True, check=False)
    assert free.returncode == 0, free.stdout + free.stderr


def test_a_kill_after_the_final_rename_is_recognised_as_finished(tmp_path):
    job = job_for(tmp_path)
    run_corpus_job(job, translate=FakeTranslate(), translator={"m": "fake"})
    out = tmp_path / "out.jsonl"
    # recreate the state of a kill between renaming OUT.partial and deleting the checkpoint
    state = ResumableOutput(out, fingerprint=job.fingerprint({"m": "fake"}), resume=True)
    state._state = state._state.__class__(records=23, input_offset=0, output_offset=out.stat().st_size)
    state._write_checkpoint()
    translate = FakeTranslate()
    assert run_corpus_job(job, translate=translate, translator={"m": "fake"}, resume=True).records == 23
    assert translate.seen == [] and read_ids(out) == list(range(23))


def test_csv_keeps_columns_and_a_header_only_file_gives_a_header(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('id,title,text\n1,A,"Satu. Dua."\n2,B,\n', encoding="utf-8")
    job = CorpusJob(input=str(src), output=str(tmp_path / "out.csv"), fmt="csv", src_lang="id", tgt_lang="en")
    run_corpus_job(job, translate=FakeTranslate(), translator={})
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == 'id,title,text,text_en\n1,A,Satu. Dua.,SATU. DUA.\n2,B,,\n'
    src.write_text("id,text\n", encoding="utf-8")
    run_corpus_job(job, translate=FakeTranslate(), translator={})
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "id,text,text_en\n"
