#!/usr/bin/env python3
"""Throughput and memory of batch translation: plain transformers, raw CTranslate2, mt-toolkit.

For each model given (OPUS-MT-sized random-weight Marians: an 8k and a 60k vocabulary), three
engines translate the same sentences with beam 4, each as a whole process of its own (imports,
model loading and translation; peak RSS is that process's):

  (a) plain transformers: ``MarianMTModel.generate`` in float32, batches of 32 in input order,
      torch's default threads, under ``torch.inference_mode``;
  (b) raw CTranslate2 with its documented defaults: ``Translator(path, device="cpu",
      compute_type="int8")`` (one batch at a time, default threads), ``translate_batch`` on
      batches of 32 in input order;
  (c) mt-toolkit: the command ``mt-toolkit translate --backend ct2 --sentences FILE -o OUT``
      with its defaults (thread layout, length-sorted batches, pipelined decoding, writing).

A random-weight model does not stop by itself, so every engine generates the same number of
tokens per sentence (``--cap``; each reports how many it generated) and throughput is those
tokens over all sentences per second of translation (model loading excluded; (c) includes
reading, tokenising and writing). Whole-process seconds are reported beside it.

A fourth row, (d), runs mt-toolkit's corpus job (``mt-toolkit translate corpus.jsonl --field
text``) over a ~10 MB JSONL corpus of distinct records to its end, or kills it after
``--job-seconds`` (jobs are resumable): its steady tokens/s is read from the committed
checkpoints, and its RSS is sampled every second to show whether memory stays flat. The whole
10 MB takes about 55 minutes on 2 cores with the 8k model (``--job-seconds 5400``).

Usage:
    python scripts/build_tiny_models.py /tmp/v8k --opus-size --spm-corpus ntrex128/ind.txt ntrex128/eng.txt
    python scripts/build_tiny_models.py /tmp/v60k --opus-size --vocab-size 60000 --spm-corpus ...
    python eval/bench_translate.py --models /tmp/v8k/marian-opus-size /tmp/v60k/marian-opus-size \\
        --data /work/shared/data/ntrex128/ind.txt --out eval/results/bench_translate.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEAM = 4
BATCH = 32

ENGINES = {
    "a": "(a) plain transformers generate, fp32, batch 32, input order",
    "b": "(b) raw CTranslate2 int8, documented defaults, batch 32, input order",
    "c": "(c) `mt-toolkit translate --backend ct2` (defaults)",
    "d": "(d) mt-toolkit corpus job, ~10 MB JSONL",
    # optional rows, to see where the gains come from
    "e": "(e) as (c) with `--inter-threads 1` (one batch at a time on every thread)",
    "f": "(f) `mt-toolkit translate --backend hf` (transformers, defaults)",
}
EXTRA_CLI_ARGS = {"c": ["--backend", "ct2"], "e": ["--backend", "ct2", "--inter-threads", "1"], "f": ["--backend", "hf"]}


# ---------------------------------------------------------------------------- engines (workers)

def run_transformers(model_dir: Path, sentences: list[str], cap: int) -> dict:
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    t0 = time.perf_counter()
    tok = MarianTokenizer.from_pretrained(model_dir)
    model = MarianMTModel.from_pretrained(model_dir).eval()
    load = time.perf_counter() - t0
    generated = 0
    start = time.perf_counter()
    with torch.inference_mode():
        for k in range(0, len(sentences), BATCH):
            enc = tok(sentences[k : k + BATCH], return_tensors="pt", padding=True)
            # +1: this model's generation config forces </s> as the last token
            out = model.generate(**enc, num_beams=BEAM, max_new_tokens=cap + 1, max_length=None)
            tok.batch_decode(out, skip_special_tokens=True)
            # generated tokens: everything but the start token, pads and </s>
            generated += int(((out != model.config.pad_token_id) & (out != model.config.eos_token_id)).sum())
    return {"seconds": time.perf_counter() - start, "load_seconds": load, "generated": generated}


def run_ctranslate2(ct2_dir: Path, sentences: list[str], cap: int) -> dict:
    import ctranslate2
    import sentencepiece as spm

    t0 = time.perf_counter()
    sp = spm.SentencePieceProcessor(model_file=str(ct2_dir / "source.spm"))
    tgt = spm.SentencePieceProcessor(model_file=str(ct2_dir / "target.spm"))
    translator = ctranslate2.Translator(str(ct2_dir), device="cpu", compute_type="int8")
    load = time.perf_counter() - t0
    generated = 0
    start = time.perf_counter()
    for k in range(0, len(sentences), BATCH):
        tokens = [sp.encode(s, out_type=str) + ["</s>"] for s in sentences[k : k + BATCH]]
        results = translator.translate_batch(tokens, beam_size=BEAM, max_decoding_length=cap)
        for r in results:
            tgt.decode_pieces(r.hypotheses[0])
            generated += len(r.hypotheses[0])
    return {"seconds": time.perf_counter() - start, "load_seconds": load, "generated": generated}


def run_cli(cli_args: list[str]) -> dict:
    """The mt-toolkit command in this process. Its translation time runs from the first model
    load (after start-up and option parsing; the input is read just before) to the end, less the
    loading, as (a) and (b) are timed from after loading."""
    import mt_toolkit.translate.engine as engine

    loads: list[tuple[float, float]] = []
    load_translator = engine.load_translator

    def timed_load(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return load_translator(*args, **kwargs)
        finally:
            loads.append((t0, time.perf_counter() - t0))

    engine.load_translator = timed_load
    from mt_toolkit.cli import app

    app(cli_args, standalone_mode=False)
    loading = sum(seconds for _, seconds in loads)
    return {"seconds": time.perf_counter() - loads[0][0] - loading, "load_seconds": loading, "generated": None}


def worker(args: argparse.Namespace) -> None:
    if args.worker == "d":  # killed by the driver: reports nothing
        run_cli(json.loads(args.cli_args))
        return
    sentences = json.loads(Path(args.corpus_file).read_text(encoding="utf-8"))
    if args.worker == "a":
        result = run_transformers(Path(args.model), sentences, args.cap)
    elif args.worker == "b":
        result = run_ctranslate2(Path(args.ct2), sentences, args.cap)
    else:
        result = run_cli(json.loads(args.cli_args))
    # VmHWM, not ru_maxrss: Linux carries the parent's peak across fork and exec into ru_maxrss
    result["peak_rss_mib"] = proc_status_mib(os.getpid(), "VmHWM")
    print(json.dumps(result))


# ---------------------------------------------------------------------------- driver

def proc_status_mib(pid: int, field: str = "VmRSS") -> float | None:
    """A memory field of /proc/PID/status (VmRSS: now, VmHWM: peak) in MiB; None once it has exited."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def spawn(engine: str, args: argparse.Namespace, *, model: Path, ct2: Path, corpus_file: Path | None = None,
          cli_args: list[str] | None = None, env: dict) -> subprocess.Popen:
    cmd = [sys.executable, __file__, "--worker", engine, "--model", str(model), "--ct2", str(ct2), "--cap", str(args.cap)]
    if corpus_file:
        cmd += ["--corpus-file", str(corpus_file)]
    if cli_args:
        cmd += ["--cli-args", json.dumps(cli_args)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def measure(engine: str, args, *, model: Path, ct2: Path, corpus_file: Path, cli_args, env, n: int) -> dict:
    start = time.perf_counter()
    proc = spawn(engine, args, model=model, ct2=ct2, corpus_file=corpus_file, cli_args=cli_args, env=env)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"engine {engine} failed:\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    tokens = n * args.cap
    result.update(wall_seconds=wall, tokens=tokens, tok_per_s=tokens / result["seconds"], wall_tok_per_s=tokens / wall)
    return result


def make_job_corpus(lines: list[str], path: Path, megabytes: float) -> int:
    """Distinct records (each pass over the data is numbered) until the file reaches ``megabytes``."""
    n = 0
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < megabytes * 1e6:
            text = lines[n % len(lines)]
            if n >= len(lines):
                text = f"({n // len(lines)}) {text}"
            out.write(json.dumps({"id": n, "source": "ntrex128", "text": text}, ensure_ascii=False) + "\n")
            n += 1
    return n


def measure_job(args, *, model: Path, ct2: Path, corpus: Path, out: Path, env) -> dict:
    """Run the corpus job for ``--job-seconds``, sampling RSS and committed records every second."""
    for leftover in (out, out.with_name(out.name + ".partial"), out.with_name(out.name + ".checkpoint")):
        leftover.unlink(missing_ok=True)
    cli_args = ["translate", str(corpus), "-o", str(out), "--field", "text", "--sentences", "--no-cache",
                "-s", "id", "-t", "en", "-m", str(model), "--backend", "ct2", "--beam", str(BEAM),
                "--max-length", str(args.cap + 1), "--chunk-size", str(args.job_chunk_size)]
    checkpoint = out.with_name(out.name + ".checkpoint")
    start = time.perf_counter()
    proc = spawn("d", args, model=model, ct2=ct2, cli_args=cli_args, env=env)
    samples = []  # (seconds, rss MiB, records committed)
    while proc.poll() is None and time.perf_counter() - start < args.job_seconds:
        time.sleep(1.0)
        records = 0
        try:
            records = json.loads(checkpoint.read_text())["state"]["records"]
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            pass
        rss = proc_status_mib(proc.pid)
        if rss is not None:
            samples.append((time.perf_counter() - start, rss, records))
    finished = proc.poll() == 0
    elapsed = time.perf_counter() - start
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.communicate()
    commits = []  # first sample at which each new record count appeared
    for t, _, records in samples:
        if records and (not commits or records > commits[-1][1]):
            commits.append((t, records))
    rate = None
    if len(commits) >= 2:
        (t0, r0), (t1, r1) = commits[0], commits[-1]
        rate = (r1 - r0) * args.cap / (t1 - t0)
    return {"samples": samples, "commits": commits, "tok_per_s": rate, "finished_seconds": elapsed if finished else None,
            "peak_rss_mib": max((s[1] for s in samples), default=0.0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=Path, nargs="+", help="Marian model folders (Hugging Face layout)")
    parser.add_argument("--data", type=Path, help="one sentence per line, e.g. ntrex128/ind.txt")
    parser.add_argument("--sentences", type=int, default=256)
    parser.add_argument("--cap", type=int, default=48, help="target tokens generated per sentence by every engine")
    parser.add_argument("--engines", default="abcd")
    parser.add_argument("--job-mb", type=float, default=10.0, help="size of the JSONL corpus for (d)")
    parser.add_argument("--job-seconds", type=float, default=180.0, help="how long (d) runs before it is killed")
    parser.add_argument("--job-chunk-size", type=int, default=500, help="(d)'s --chunk-size: records per committed chunk")
    parser.add_argument("--work", type=Path, default=Path("/tmp/mt-toolkit-bench"), help="scratch folder (conversions, corpora)")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "results" / "bench_translate.md")
    parser.add_argument("--worker", choices=list(ENGINES), help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--ct2", help=argparse.SUPPRESS)
    parser.add_argument("--corpus-file", help=argparse.SUPPRESS)
    parser.add_argument("--cli-args", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    args.work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MT_TOOLKIT_CACHE_DIR": str(args.work / "cache"),
           "HF_HUB_OFFLINE": "1"}
    os.environ.update(MT_TOOLKIT_CACHE_DIR=env["MT_TOOLKIT_CACHE_DIR"])
    sys.path.insert(0, str(ROOT))
    from mt_toolkit.translate.convert import convert_model

    lines = [line.strip() for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences = lines[: args.sentences]
    corpus_json, corpus_txt = args.work / "corpus.json", args.work / "corpus.txt"
    corpus_json.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
    corpus_txt.write_text("\n".join(sentences) + "\n", encoding="utf-8")
    job_corpus = args.work / "job.jsonl"
    job_records = make_job_corpus(lines, job_corpus, args.job_mb) if "d" in args.engines else 0
    load_before = os.getloadavg()
    results: dict[tuple[str, str], dict] = {}
    for model in args.models:
        vocab = json.loads((model / "config.json").read_text())["vocab_size"]
        name = f"{round(vocab / 1000)}k vocabulary"
        ct2 = convert_model(str(model), quantization="int8").path
        for engine in args.engines:
            if engine == "d":
                r = measure_job(args, model=model, ct2=ct2, corpus=job_corpus, out=args.work / "job.out.jsonl", env=env)
                rate = f"{r['tok_per_s']:7.1f} tok/s" if r["tok_per_s"] else "no two commits"
                print(f"{name} d: {rate}  peak RSS {r['peak_rss_mib']:6.0f} MiB", flush=True)
            else:
                cli_args = ["translate", str(corpus_txt), "-o", str(args.work / "out.txt"), "--sentences",
                            "-s", "id", "-t", "en", "-m", str(model), "--beam", str(BEAM),
                            "--max-length", str(args.cap + 1), *EXTRA_CLI_ARGS.get(engine, [])]
                r = measure(engine, args, model=model, ct2=ct2, corpus_file=corpus_json, cli_args=cli_args,
                            env=env, n=len(sentences))
                print(f"{name} {engine}: {r['tok_per_s']:7.1f} tok/s  {r['seconds']:6.1f} s  whole {r['wall_seconds']:6.1f} s  "
                      f"peak RSS {r['peak_rss_mib']:6.0f} MiB", flush=True)
            results[(name, engine)] = r
    load_after = os.getloadavg()
    write_report(args, results, len(sentences), job_records, load_before, load_after)


def cpu_description() -> str:
    """The CPU and the vector extensions int8 decoding depends on: the same engines ran at very
    different ratios on an AVX-512 VNNI host and on one without it."""
    name, flags = platform.processor() or "unknown CPU", set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                name = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
                break
    except OSError:
        pass
    wanted = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8")
    forced = [f"{var}={os.environ[var]}" for var in ("CT2_FORCE_CPU_ISA", "MKL_ENABLE_INSTRUCTIONS") if var in os.environ]
    return f"{name} ({' '.join(f for f in wanted if f in flags) or 'no AVX2'})" + (f", forced {' '.join(forced)}" if forced else "")


def write_report(args, results, n, job_records, load_before, load_after) -> None:
    rows, ratios, jobs = [], [], []
    for (name, engine), r in results.items():
        if engine == "d":
            rate = f"{r['tok_per_s']:.0f}" if r["tok_per_s"] else "n/a"
            rows.append(f"| {name} | {ENGINES[engine]} | {rate} | | | | {r['peak_rss_mib']:.0f} | |")
            series = ", ".join(f"{t:.0f} s: {rss:.0f} MiB/{rec} rec" for t, rss, rec in r["samples"][:: max(1, len(r["samples"]) // 12)])
            jobs.append(f"- {name}, (d) RSS over time (seconds since start: RSS / records committed): {series}")
            if r.get("finished_seconds"):
                jobs.append(f"- {name}: (d) translated the whole corpus ({job_records} records) in {r['finished_seconds']:.0f} s, "
                            f"{job_records * args.cap / r['finished_seconds']:.0f} tokens/s overall (start-up and loading included)")
            c = results.get((name, "c"))
            if c and r["tok_per_s"]:
                jobs.append(f"- {name}: (d) steady rate is {r['tok_per_s'] / c['tok_per_s']:.2f}x the 256-sentence (c) rate")
            continue
        per_sentence = f"{r['generated'] / n:.1f}" if r.get("generated") is not None else f"{args.cap} (same model)"
        rows.append(f"| {name} | {ENGINES[engine]} | {r['tok_per_s']:.0f} | {r['seconds']:.1f} | {r['wall_tok_per_s']:.0f} | "
                    f"{r['wall_seconds']:.1f} | {r['peak_rss_mib']:.0f} | {per_sentence} |")
    for name in dict.fromkeys(name for name, _ in results):
        for mine, other in (("c", "a"), ("c", "b"), ("c", "e"), ("f", "a")):
            c, o = results.get((name, mine)), results.get((name, other))
            if c and o:
                ratios.append(f"- {name}: ({mine}) / ({other}) = {c['tok_per_s'] / o['tok_per_s']:.2f}x tokens/s "
                              f"({c['wall_tok_per_s'] / o['wall_tok_per_s']:.2f}x whole process), "
                              f"peak RSS {c['peak_rss_mib']:.0f} vs {o['peak_rss_mib']:.0f} MiB")
    cmd = " ".join(["python", "eval/bench_translate.py", *sys.argv[1:]])
    job_text = (f"(d) ran over a {args.job_mb:.0f} MB JSONL corpus of {job_records} distinct records (`--chunk-size "
                f"{args.job_chunk_size}`) for {args.job_seconds:.0f} s, or to its end if sooner; a run cut short is killed "
                "(jobs resume); its rate is between the first and last committed chunk, its RSS the highest sampled."
                if jobs else "")
    text = f"""# Batch translation throughput

Command: `{cmd}`

Machine: {platform.machine()}, {os.cpu_count()} CPUs, {cpu_description()}; load average (1, 5, 15 min) before the run
{", ".join(f"{x:.2f}" for x in load_before)}, after it {", ".join(f"{x:.2f}" for x in load_after)}; Python {platform.python_version()}.
Models: OPUS-MT-sized Marian with random weights (6+6 layers, d_model 512, FFN 2048), SentencePiece trained
on NTREX Indonesian and English (about 32 pieces per Indonesian sentence); the 60k model pads that vocabulary
with filler pieces to OPUS-MT's width (`scripts/build_tiny_models.py --vocab-size 60000`).
Data: the first {n} sentences of `{args.data.parent.name}/{args.data.name}`; beam {BEAM}; every engine generates
{args.cap} tokens per sentence (a random model does not stop; the last column shows what (a) and (b) generated).
tokens/s = {n} x {args.cap} tokens / seconds of translation (model loading excluded); "whole" counts the
whole process (start-up, imports, loading). Peak RSS is each engine's own process.
{job_text}

| vocabulary | engine | tokens/s | seconds | tokens/s whole | seconds whole | peak RSS MiB | tokens per sentence |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
{chr(10).join(rows)}

{chr(10).join(ratios)}
{chr(10).join(jobs)}
"""
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
