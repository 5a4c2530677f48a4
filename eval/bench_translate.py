#!/usr/bin/env python3
"""Throughput and memory of batch translation: plain transformers, raw CTranslate2, mt-toolkit.

Three engines translate the same sentences with the same OPUS-MT-sized Marian model, beam 4, on
2 CPU threads, each in its own subprocess so that peak RSS is its own:

  (a) transformers ``generate``, float32, batches of 32 in input order;
  (b) CTranslate2 ``translate_batch``, int8, batches of 32 in input order;
  (c) mt-toolkit's path: CTranslate2 int8 through `translate_unique` with length-sorted
      token-budget batches and each distinct sentence translated once.

A random-weight model never emits </s>, so every engine stops by the same length rule: a
sentence of n source tokens (</s> included) gets ``1.5 n + 10`` target tokens, and a batch runs to
the longest allowance in it (as a real batch runs until its longest sentence ends). Throughput is
counted in those allowed tokens summed over all input sentences, duplicates included, divided by
the wall time of translation (model loading excluded); so an engine gains by wasting less, not
by generating more.

Usage:
    python scripts/build_tiny_models.py /tmp/opus --opus-size --spm-corpus ntrex128/ind.txt ntrex128/eng.txt
    python eval/bench_translate.py --model /tmp/opus/marian-opus-size \\
        --data /work/shared/data/ntrex128/ind.txt --sentences 1000 --repeats 2 \\
        --out eval/results/bench_translate.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THREADS = 2
BEAM = 4
BATCH = 32


def allowance(n_source_tokens: int, fixed_cap: int | None = None) -> int:
    """Target tokens a sentence may generate: the one length rule every engine follows."""
    return fixed_cap if fixed_cap else int(1.5 * n_source_tokens) + 10


def source_lengths(model_dir: Path, sentences: list[str]) -> list[int]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model_dir / "source.spm"))
    return [len(sp.encode(s)) + 1 for s in sentences]  # + </s>


def load_corpus(path: Path, n: int, repeat_fraction: float, seed: int = 0) -> list[str]:
    """The first ``n`` lines, or, with ``repeat_fraction``, (1-f)·n distinct lines plus f·n repeats
    of them at random places, like boilerplate repeated across news articles."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not repeat_fraction:
        return lines[:n]
    rng = random.Random(seed)
    distinct = lines[: n - int(n * repeat_fraction)]
    corpus = list(distinct)
    for _ in range(n - len(distinct)):
        corpus.insert(rng.randrange(len(corpus) + 1), rng.choice(distinct))
    return corpus


# ---------------------------------------------------------------------------- engines (workers)

def run_transformers(model_dir: Path, sentences: list[str], caps: list[int]) -> float:
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    torch.set_num_threads(THREADS)
    tok = MarianTokenizer.from_pretrained(model_dir)
    model = MarianMTModel.from_pretrained(model_dir).eval()
    start = time.perf_counter()
    with torch.inference_mode():
        for k in range(0, len(sentences), BATCH):
            batch = sentences[k : k + BATCH]
            enc = tok(batch, return_tensors="pt", padding=True)
            # +1: this model's generation config forces </s> as the last token
            model.generate(**enc, num_beams=BEAM, max_new_tokens=max(caps[k : k + BATCH]) + 1, max_length=None)
    return time.perf_counter() - start


def run_ctranslate2(ct2_dir: Path, sentences: list[str], caps: list[int]) -> float:
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(ct2_dir / "source.spm"))
    translator = ctranslate2.Translator(str(ct2_dir), device="cpu", compute_type="int8", intra_threads=THREADS)
    start = time.perf_counter()
    for k in range(0, len(sentences), BATCH):
        tokens = [sp.encode(s, out_type=str) + ["</s>"] for s in sentences[k : k + BATCH]]
        translator.translate_batch(tokens, beam_size=BEAM, max_decoding_length=max(caps[k : k + BATCH]))
    return time.perf_counter() - start


def run_mt_toolkit(ct2_dir: Path, sentences: list[str], caps: list[int], max_batch_tokens: int) -> float:
    from dataclasses import replace

    from mt_toolkit.translate.backends.ctranslate2 import CTranslate2Translator
    from mt_toolkit.translate.base import DecodingOptions
    from mt_toolkit.translate.batching import translate_unique

    inner = CTranslate2Translator(ct2_dir, device="cpu", compute_type="int8", intra_threads=THREADS)
    cap_of = dict(zip(sentences, caps))

    class Capped:
        """The length rule as a batch sees it: the longest allowance in the batch."""

        info = inner.info
        count_tokens = staticmethod(inner.count_tokens)

        def translate_batch(self, batch, *, src_lang, tgt_lang, options):
            # +1: the backend leaves the last token to the </s> this model's config forces
            limit = max(cap_of[s] for s in batch) + 1
            return inner.translate_batch(batch, src_lang=src_lang, tgt_lang=tgt_lang, options=replace(options, max_length=limit))

    options = DecodingOptions(beam_size=BEAM, max_batch_tokens=max_batch_tokens)
    start = time.perf_counter()
    translate_unique(Capped(), sentences, src_lang="id", tgt_lang="en", options=options)
    return time.perf_counter() - start


def worker(args: argparse.Namespace) -> None:
    sentences = json.loads(Path(args.corpus_file).read_text(encoding="utf-8"))
    caps = [allowance(n, args.cap) for n in source_lengths(Path(args.model), sentences)]
    if args.worker == "a":
        seconds = run_transformers(Path(args.model), sentences, caps)
    elif args.worker == "b":
        seconds = run_ctranslate2(Path(args.ct2), sentences, caps)
    else:
        seconds = run_mt_toolkit(Path(args.ct2), sentences, caps, args.max_batch_tokens)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"seconds": seconds, "tokens": sum(caps), "sentences": len(sentences), "peak_rss_mib": peak_kib / 1024}))


# ---------------------------------------------------------------------------- driver

ENGINES = {
    "a": "(a) transformers generate, fp32, batch 32, input order",
    "b": "(b) CTranslate2 translate_batch, int8, batch 32, input order",
    "c": "(c) mt-toolkit: CTranslate2 int8, length-sorted token budget, dedup",
}


def measure(engine: str, corpus_file: Path, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--worker", engine, "--corpus-file", str(corpus_file), "--model", str(args.model),
           "--ct2", str(args.ct2), "--max-batch-tokens", str(args.max_batch_tokens)]
    if args.cap:
        cmd += ["--cap", str(args.cap)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": str(THREADS)}
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["tok_per_s"] = result["tokens"] / result["seconds"]
    return result


def _mean_source_pieces(model_dir: Path, data: Path, n: int) -> float:
    """Average SentencePiece pieces per sentence: a vocabulary trained on too little text makes
    every input several times longer, which changes what the benchmark measures."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model_dir / "source.spm"))
    lines = [line for line in data.read_text(encoding="utf-8").splitlines() if line.strip()][:n]
    return sum(len(sp.encode(line)) for line in lines) / max(len(lines), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True, help="Marian model folder (Hugging Face layout)")
    parser.add_argument("--data", type=Path, help="one sentence per line, e.g. ntrex128/ind.txt")
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=2, help="repetitions; the best is reported")
    parser.add_argument("--engines", default="abc")
    parser.add_argument("--repeated-engines", default="bc", help="engines run on the full corpus and its 20%%-repeats variant")
    parser.add_argument("--a-sentences", type=int, default=200, help="corpus size for the comparison including (a)")
    parser.add_argument("--max-batch-tokens", type=int, default=2048)
    parser.add_argument("--cap", type=int, help="a fixed number of target tokens per sentence instead of 1.5 n + 10")
    parser.add_argument("--ct2", type=Path, help="CTranslate2 int8 folder (default: convert --model into the cache)")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "results" / "bench_translate.md")
    parser.add_argument("--worker", choices=list(ENGINES), help=argparse.SUPPRESS)
    parser.add_argument("--corpus-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    if args.ct2 is None:
        sys.path.insert(0, str(ROOT))
        from mt_toolkit.translate.convert import convert_model

        args.ct2 = convert_model(str(args.model), quantization="int8").path
    work = args.out.parent / ".bench"
    work.mkdir(parents=True, exist_ok=True)
    n = args.sentences
    # (a) is an order of magnitude slower than the others on these long news sentences, so it runs
    # on the first --a-sentences of the corpus, and (b) and (c) run there too for a like-for-like ratio.
    corpora = {
        f"first {args.a_sentences}, distinct": (load_corpus(args.data, args.a_sentences, 0.0), args.engines),
        f"{n}, distinct": (load_corpus(args.data, n, 0.0), args.repeated_engines),
        f"{n}, 20% repeated": (load_corpus(args.data, n, 0.2), args.repeated_engines),
    }
    results: dict[tuple[str, str], list[dict]] = {}
    for rep in range(args.repeats):
        for k, (name, (sentences, engines)) in enumerate(corpora.items()):
            corpus_file = work / f"corpus{k}.json"
            corpus_file.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
            for engine in engines:
                r = measure(engine, corpus_file, args)
                results.setdefault((name, engine), []).append(r)
                print(f"rep {rep + 1} {name:20} {engine}: {r['tok_per_s']:7.1f} tok/s  {r['seconds']:6.1f} s  "
                      f"peak RSS {r['peak_rss_mib']:6.0f} MiB", flush=True)
    write_report(args, corpora, results)


def write_report(args, corpora, results) -> None:
    best = {key: max(runs, key=lambda r: r["tok_per_s"]) for key, runs in results.items()}
    rows = []
    for (name, engine), r in best.items():
        runs = ", ".join(f"{x['tok_per_s']:.0f}" for x in results[(name, engine)])
        rows.append(f"| {name} | {ENGINES[engine]} | {r['tok_per_s']:.0f} | {runs} | {r['seconds']:.1f} | {r['peak_rss_mib']:.0f} |")
    ratios = []
    names = list(corpora)
    for name in names:
        c = best.get((name, "c"))
        for other in ("a", "b"):
            o = best.get((name, other))
            if c and o:
                ratios.append(f"- {name}: (c) / ({other}) = {c['tok_per_s'] / o['tok_per_s']:.2f}x tokens/s, "
                              f"peak RSS {c['peak_rss_mib']:.0f} vs {o['peak_rss_mib']:.0f} MiB")
    c_rep, c_dis = best.get((names[2], "c")), best.get((names[1], "c"))
    if c_rep and c_dis:
        ratios.append(f"- 20% repeated lines: (c) delivers {c_rep['tok_per_s'] / c_dis['tok_per_s']:.2f}x the tokens/s "
                      f"it reaches on distinct lines (each repeat is translated once)")
    cmd = " ".join(["python", "eval/bench_translate.py", *sys.argv[1:]])
    text = f"""# Batch translation throughput

Command: `{cmd}`

Machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end of the run
(figures vary run to run; the best of {args.repeats} is shown, every run listed); Python {platform.python_version()}.
Model: OPUS-MT-sized Marian with random weights (6+6 layers, d_model 512, FFN 2048, {json.loads((args.model / "config.json").read_text())["vocab_size"]}-token vocabulary;
the data averages {_mean_source_pieces(args.model, args.data, args.sentences):.0f} source pieces per sentence with it),
beam {BEAM}, {THREADS} threads per engine. Data: `{args.data.parent.name}/{args.data.name}`, first lines as named
per row; the 20%-repeated corpus is {int(args.sentences * 0.8)} distinct lines plus {args.sentences - int(args.sentences * 0.8)} repeats of them at random places.
Length rule for every engine: {f"{args.cap} target tokens per sentence" if args.cap else "1.5 x source tokens + 10 target tokens per sentence, a batch runs to its longest allowance"};
tokens/s counts those tokens over all input sentences (duplicates included).
(c) uses `--max-batch-tokens {args.max_batch_tokens}`. Peak RSS is each engine's own process
(imports, model and translation; model loading time is not in tokens/s).

| corpus | engine | tokens/s (best) | all runs | seconds (best) | peak RSS MiB |
| --- | --- | ---: | --- | ---: | ---: |
{chr(10).join(rows)}

{chr(10).join(ratios)}
"""
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
