"""`--engine ray` on a local Ray instance: the same output as the local engine, resumable."""

import json

import pytest

pytest.importorskip("ray")
pytest.importorskip("ctranslate2")

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def local_ray():
    """Ray started by the job itself (as a user's first run starts it), shut down afterwards."""
    import ray

    yield
    ray.shutdown()


def test_ray_engine_matches_the_local_engine_and_resumes(tiny_models, tmp_path, local_ray, capfd, monkeypatch):
    from typer.testing import CliRunner

    from mt_toolkit.cli import app

    runner = CliRunner()
    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": f"Presiden {i} tiba. Baca juga: ini."}) + "\n" for i in range(30)),
                   encoding="utf-8")
    common = ["translate", str(src), "-m", str(tiny_models["marian"]), "-s", "id", "-t", "en", "--beam", "1",
              "--max-length", "5", "--backend", "ct2", "--device", "cpu", "--chunk-size", "4"]
    local = runner.invoke(app, [*common, "-o", str(tmp_path / "local.jsonl")])
    assert local.exit_code == 0, local.output
    monkeypatch.delenv("RAY_BACKEND_LOG_LEVEL", raising=False)
    monkeypatch.delenv("MT_TOOLKIT_RAY_VERBOSE", raising=False)
    capfd.readouterr()
    on_ray = runner.invoke(app, [*common, "--engine", "ray", "--ray-actors", "2", "-o", str(tmp_path / "ray.jsonl")])
    assert on_ray.exit_code == 0, str(on_ray.exception)[-3000:]
    # quiet by default: no INFO lines from ray.init or Ray Data, no C++ log lines, on any stream
    chatter = [line for line in (on_ray.stderr + capfd.readouterr().err).splitlines()
               if " INFO " in line or "core_worker" in line or "logging.cc" in line or "WARNING" in line]
    assert chatter == []
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()

    # a local run interrupted after 3 chunks is finished by Ray from its checkpoint
    lines = (tmp_path / "local.jsonl").read_bytes().splitlines(keepends=True)
    partial = tmp_path / "resumed.jsonl.partial"
    partial.write_bytes(b"".join(lines[:12]) + b'{"id": 12, "tr')  # plus a half-written, uncommitted chunk
    from mt_toolkit.jobs import CorpusJob, EngineSettings, ResumableOutput
    from mt_toolkit.translate.base import DecodingOptions

    job = CorpusJob(input=str(src), output=str(tmp_path / "resumed.jsonl"), fmt="jsonl", src_lang="id", tgt_lang="en", chunk_size=4)
    settings = EngineSettings(src_lang="id", tgt_lang="en", models=(str(tiny_models["marian"]),), pivot="en",
                              options=DecodingOptions(beam_size=1, max_length=5), device="cpu", backend="ct2")
    state = ResumableOutput(job.output, fingerprint=job.fingerprint(settings.describe()), resume=True)
    offset = src.read_bytes().splitlines(keepends=True)
    state._state = state._state.__class__(records=12, input_offset=sum(map(len, offset[:12])), output_offset=sum(map(len, lines[:12])))
    state._write_checkpoint()
    resumed = runner.invoke(app, [*common, "--engine", "ray", "--resume", "-o", str(tmp_path / "resumed.jsonl")])
    assert resumed.exit_code == 0, resumed.output
    assert "resumed after 12" in resumed.stderr
    assert (tmp_path / "resumed.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
