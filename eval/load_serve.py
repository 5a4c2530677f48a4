#!/usr/bin/env python3
"""Load test of `mt-toolkit serve`: concurrent LibreTranslate /translate and /api/trace requests.

Starts the real server (`mt-toolkit serve`, uvicorn, one process) with a tiny random-weight
Marian model (scripts/build_tiny_models.py) and a fresh translation cache and history, then:

1. 200 concurrent POST /translate, each a different Indonesian sentence;
2. 20 concurrent POST /api/trace, each a different article (needing translation) and original;
3. both at once (200 + 20).

Every response is checked: HTTP 200; /translate's text equal to the same sentence translated
by the library directly (`translate_sentences`, same model and options, no server, no cache),
so batching across requests mixed nothing up; /api/trace's document with the expected sentence
count, the article translated by the served model and the original found. None may be lost
(every request answered). Reported: latency p50/p95/max per phase, wall time, the translator's
request/model-call counts, and the server's peak resident memory (VmHWM).

Usage:
    python eval/load_serve.py [--out eval/results/serve_load.md] [--models-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LENGTH = 16  # random weights never stop early: every output is this long

WORDS = ("pemerintah presiden kerja sama negara rakyat ekonomi dunia baru kami akan tidak harus "
         "boleh dan dengan untuk dari tahun juta miliar persen kunjungan perdamaian keamanan "
         "pembangunan menteri luar negeri mengatakan bahwa Jakarta Beijing kota desa sekolah").split()


def sentence(i: int) -> str:
    """A distinct Indonesian-looking sentence per request (no cache hit between requests)."""
    words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(6 + i % 5)]
    return f"{' '.join(words).capitalize()} {i}."


def article(i: int) -> tuple[str, str]:
    """A three-sentence article and an English original whose second sentence it quotes."""
    art = f"{sentence(1000 + i)} Menteri mengatakan perdagangan mencapai {100 + i} miliar dolar. {sentence(2000 + i)}"
    orig = f"The minister said trade reached {100 + i} billion dollars. Other things were said as well."
    return art, orig


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def timed(client, method: str, path: str, **kwargs):
    start = time.perf_counter()
    try:
        response = await client.request(method, path, **kwargs)
    except Exception as err:  # counted as lost
        return None, time.perf_counter() - start, repr(err)
    return response, time.perf_counter() - start, None


async def burst_translate(client, ids: list[int], expected: dict[str, str]) -> dict:
    calls = [timed(client, "POST", "/translate", json={"q": sentence(i), "source": "id", "target": "en"}) for i in ids]
    results = await asyncio.gather(*calls)
    ok, lost, wrong, latencies = 0, 0, [], []
    for i, (response, seconds, _error) in zip(ids, results):
        latencies.append(seconds)
        if response is None:
            lost += 1
            continue
        text = response.json().get("translatedText") if response.status_code == 200 else None
        if text == expected[sentence(i)]:
            ok += 1
        else:
            wrong.append((i, response.status_code, response.text[:200]))
    return {"n": len(ids), "ok": ok, "lost": lost, "wrong": wrong, "latencies": latencies}


async def burst_trace(client, ids: list[int], model: str) -> dict:
    def body(i: int) -> dict:
        art, orig = article(i)
        return {"article": {"label": "article", "lang": "id", "text": art},
                "originals": [{"label": f"Official-{i}", "lang": "en", "text": orig}], "save": True}

    results = await asyncio.gather(*(timed(client, "POST", "/api/trace", json=body(i)) for i in ids))
    ok, lost, wrong, latencies = 0, 0, [], []
    for i, (response, seconds, _error) in zip(ids, results):
        latencies.append(seconds)
        if response is None:
            lost += 1
            continue
        data = response.json() if response.status_code == 200 else {}
        good = (
            response.status_code == 200
            and len(data.get("sentences", [])) == 3
            and data["article"]["translations"][0]["hops"][0]["model"] == model
            and data["originals"][0]["label"] == f"Official-{i}"
            and data.get("trace_id")
        )
        if good:
            ok += 1
        else:
            wrong.append((i, response.status_code, response.text[:200]))
    return {"n": len(ids), "ok": ok, "lost": lost, "wrong": wrong, "latencies": latencies}


def summary(name: str, result: dict, wall: float) -> str:
    lat = result["latencies"]
    return (f"| {name} | {result['n']} | {result['ok']} | {result['lost']} | {len(result['wrong'])} | "
            f"{percentile(lat, 0.5):.2f} | {percentile(lat, 0.95):.2f} | {max(lat):.2f} | {wall:.1f} |")


async def run(base_url: str, model: str, expected: dict[str, str]) -> tuple[list[str], dict]:
    import httpx

    limits = httpx.Limits(max_connections=300, max_keepalive_connections=300)
    rows, raw = [], {}
    async with httpx.AsyncClient(base_url=base_url, timeout=900, limits=limits) as client:
        # a baseline: one request alone, after a warm-up that loads the model
        await burst_translate(client, [400], expected)
        start = time.perf_counter()
        raw["single"] = await burst_translate(client, [401], expected)
        rows.append(summary("1 × POST /translate alone (baseline)", raw["single"], time.perf_counter() - start))
        start = time.perf_counter()
        raw["single_trace"] = await burst_trace(client, [99], model)
        rows.append(summary("1 × POST /api/trace alone (baseline)", raw["single_trace"], time.perf_counter() - start))

        start = time.perf_counter()
        raw["translate"] = await burst_translate(client, list(range(200)), expected)
        rows.append(summary("200 × POST /translate", raw["translate"], time.perf_counter() - start))

        start = time.perf_counter()
        raw["trace"] = await burst_trace(client, list(range(20)), model)
        rows.append(summary("20 × POST /api/trace", raw["trace"], time.perf_counter() - start))

        start = time.perf_counter()
        mixed_t, mixed_r = await asyncio.gather(
            burst_translate(client, list(range(200, 400)), expected), burst_trace(client, list(range(20, 40)), model))
        wall = time.perf_counter() - start
        rows.append(summary("both at once: /translate", mixed_t, wall))
        rows.append(summary("both at once: /api/trace", mixed_r, wall))
        raw["mixed_translate"], raw["mixed_trace"] = mixed_t, mixed_r
        raw["health"] = (await client.get("/api/health")).json()
    return rows, raw


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "eval" / "results" / "serve_load.md"))
    parser.add_argument("--models-dir", help="where tiny models are (built there if missing)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="serve-load-"))
    models_dir = Path(args.models_dir) if args.models_dir else work / "models"
    model = models_dir / "marian"
    if not (model / "config.json").exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_tiny_models.py"), str(models_dir)], check=True)

    # the reference: every sentence translated by the library directly, one call, no server
    from mt_toolkit.translate.base import DecodingOptions
    from mt_toolkit.translate.engine import translate_sentences

    texts = [sentence(i) for i in range(402)]
    reference = translate_sentences(texts, src_lang="id", tgt_lang="en", model=str(model), device="cpu",
                                    options=DecodingOptions(max_length=MAX_LENGTH))
    expected = {t: r.text for t, r in zip(texts, reference)}

    port = free_port()
    env = {**os.environ, "MT_TOOLKIT_CACHE_DIR": str(work / "cache"), "MT_TOOLKIT_DATA_DIR": str(work / "data"),
           "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "mt_toolkit.cli", "serve", "--port", str(port), "--model", str(model),
               "--device", "cpu", "--max-length", str(MAX_LENGTH), "--log-level", "warning"]
    log = open(work / "server.log", "w")  # a file, not a pipe nobody reads (a full pipe would stall it)
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        import httpx

        for _ in range(600):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        load_before = os.getloadavg()[0]
        rows, raw = asyncio.run(run(f"http://127.0.0.1:{port}", str(model), expected))
        load_after = os.getloadavg()[0]
        peak = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    health = raw["health"]["translator"]
    failures = {k: v["wrong"][:3] for k, v in raw.items() if isinstance(v, dict) and v.get("wrong")}
    lost = sum(v["lost"] for v in raw.values() if isinstance(v, dict) and "lost" in v)
    lines = [
        "# `mt-toolkit serve` under load",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"{os.cpu_count()} CPU cores, Python {platform.python_version()}, "
        f"one uvicorn process, CPU, tiny random-weight Marian model (scripts/build_tiny_models.py), "
        f"beam 4, every output {MAX_LENGTH} tokens, fresh translation cache.",
        "",
        "Command: `python eval/load_serve.py`",
        "",
        "A response is correct when it is HTTP 200 and: for /translate, its text equals the library's "
        "own translation of that sentence (`translate_sentences`, no server, no cache), so batching "
        "mixed no requests up; for /api/trace, three sentences, the article translated by the served "
        "model, and the request's own original. Latencies are seconds from sending to the full answer, "
        "all requests of a row sent at once.",
        "",
        "| requests | sent | correct | lost | wrong | p50 s | p95 s | max s | wall s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Peak resident memory of the server process (VmHWM): **{peak:.0f} MB**.",
        "",
        f"Machine load (1-minute load average) when the bursts began: {load_before:.1f}, when they ended: "
        f"{load_after:.1f}, on {os.cpu_count()} cores (above the core count, latencies include waiting for a CPU).",
        "",
        f"Translator: {health['requests']} queued requests served in {health['model_calls']} model calls "
        f"over {health['rounds']} batching rounds ({health['sentences']} sentences).",
        "",
    ]
    if failures or lost:
        lines += [f"Failures: {lost} lost; first wrong answers: `{json.dumps(failures)[:1500]}`", ""]
    text = "\n".join(lines)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0 if not failures and not lost else 1


if __name__ == "__main__":
    raise SystemExit(main())
