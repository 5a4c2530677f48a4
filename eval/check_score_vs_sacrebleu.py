#!/usr/bin/env python3
"""Check that `mt-toolkit score` prints the same figures as the `sacrebleu` command line.

Both command lines run as separate processes on the same files: a reference set from real data
and "system outputs" made from it by seeded random edits (dropped, swapped and replaced words, or
characters for Chinese). Compared: corpus BLEU, chrF, chrF++ and TER (score and signature, 4
decimals), every sentence-level score, and a paired bootstrap test of two systems.

Usage:
    python eval/check_score_vs_sacrebleu.py --en /work/shared/data/ntrex128/eng.txt \\
        --zh /work/shared/data/flores200/dev.zho.txt --out eval/results/score_vs_sacrebleu.md

Exit status 0 when every figure agrees, 1 otherwise. Nothing here is copied into the repository:
the perturbed files live in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

METRIC_ARGS = {
    "bleu": ["-m", "bleu"],
    "chrf": ["-m", "chrf"],
    "chrf++": ["-m", "chrf", "--chrf-word-order", "2"],
    "ter": ["-m", "ter"],
}


def perturb(lines: list[str], seed: int, *, chars: bool) -> list[str]:
    """Seeded edits, 0-4 per line, so that scores land well inside 0-100."""
    rng = random.Random(seed)
    vocab = sorted({u for line in lines for u in (line if chars else line.split())})
    out = []
    for line in lines:
        units = list(line) if chars else line.split()
        for _ in range(rng.randint(0, 4)):
            if not units:
                break
            i = rng.randrange(len(units))
            action = rng.random()
            if action < 0.35 and len(units) > 2:
                del units[i]
            elif action < 0.6:
                j = rng.randrange(len(units))
                units[i], units[j] = units[j], units[i]
            else:
                units[i] = rng.choice(vocab)
        out.append(("" if chars else " ").join(units) or line)
    return out


def run(cmd: list[str]) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return proc.stdout


def sacrebleu(*args: object) -> str:
    return run([sys.executable, "-m", "sacrebleu", *map(str, args), "-q", "--no-color"])


def toolkit(*args: object) -> str:
    return run([sys.executable, "-c", "from mt_toolkit.cli import main; main()", "score", *map(str, args)])


def cell(text: str) -> str:
    """Escape the pipes of a signature so it stays in one Markdown table cell."""
    return text.replace("|", "\\|")


def zh_flags(metric: str) -> list[str]:
    """sacrebleu's flags for what `--lang zh` selects in mt-toolkit."""
    return {"bleu": ["--tokenize", "zh"], "ter": ["--ter-asian-support"]}.get(metric, [])


def compare_corpus(hyp: Path, ref: Path, *, lang: str, rows: list[str]) -> bool:
    ok = True
    for metric, sb_args in METRIC_ARGS.items():
        sb_extra = zh_flags(metric) if lang == "zh" else []
        expected = json.loads(sacrebleu(ref, "-i", hyp, *sb_args, *sb_extra, "-w", 4, "-f", "json"))
        (got,) = json.loads(toolkit(hyp, ref, "--metrics", metric, "--lang", lang, "--format", "json"))
        same = round(got["value"], 4) == expected["score"] and got["signature"] == expected["signature"]
        ok &= same
        sb_cmd = f"sacrebleu REF -i HYP {' '.join(sb_args + sb_extra)} -w 4"
        rows.append(
            f"| {lang} | corpus | {got['metric']} | {got['value']:.4f} | {expected['score']:.4f} | "
            f"{'yes' if same else '**NO**'} | `{cell(got['signature'])}` | `{sb_cmd}` |"
        )
    return ok


def compare_sentences(hyp: Path, ref: Path, *, lang: str, rows: list[str]) -> bool:
    ok = True
    for metric, sb_args in METRIC_ARGS.items():
        sb_extra = zh_flags(metric) if lang == "zh" else []
        expected = [float(x) for x in sacrebleu(ref, "-i", hyp, *sb_args, *sb_extra, "--sentence-level", "-b", "-w", 4).split()]
        got = json.loads(toolkit(hyp, ref, "--metrics", metric, "--lang", lang, "--sentence", "--format", "json"))
        values = [round(next(iter(s["scores"].values())), 4) for s in got["sentences"]]
        mismatches = sum(a != b for a, b in zip(values, expected)) + abs(len(values) - len(expected))
        ok &= mismatches == 0
        (name,) = got["signatures"]
        rows.append(
            f"| {lang} | sentence ({len(values)} lines) | {name} | mean {sum(values) / len(values):.4f} | "
            f"mean {sum(expected) / len(expected):.4f} | {'yes' if mismatches == 0 else f'**NO** ({mismatches} lines differ)'} | "
            f"`{cell(got['signatures'][name])}` | `sacrebleu REF -i HYP {' '.join(sb_args + sb_extra)} --sentence-level -b -w 4` |"
        )
    return ok


def compare_paired(hyp_a: Path, hyp_b: Path, ref: Path, rows: list[str]) -> bool:
    text = sacrebleu(ref, "-i", hyp_a, hyp_b, "-m", "bleu", "chrf", "--paired-bs", "-w", 4, "-f", "text")
    table = text.split("\n\n")[0]
    sb_p = [float(x) for x in re.findall(r"\(p = (\d+\.\d+)\)", table)]
    table = re.sub(r"\(p = \d+\.\d+\)", "", table)
    sb_cells = re.findall(r"(\d+\.\d+) \((\d+\.\d+) ± (\d+\.\d+)\)", table)
    got = json.loads(toolkit(ref, "--system", f"A={hyp_a}", "--system", f"B={hyp_b}", "--metrics", "bleu,chrf", "--paired", "bs", "--format", "json"))
    mine = []
    for system in got["systems"]:
        for metric in ("BLEU", "chrF2"):
            cell = system[metric]
            mine.append((system["system"], metric, cell["score"], cell["mean"], cell["ci"], cell["p_value"]))
    ok = True
    p_iter = iter(sb_p)
    for (system, metric, score, mean, ci, p), (s_score, s_mean, s_ci) in zip(mine, sb_cells):
        theirs_p = next(p_iter) if p is not None else None
        same = (
            f"{score:.4f}" == s_score and abs(mean - float(s_mean)) <= 1e-3 and abs(ci - float(s_ci)) <= 1e-3
            and (p is None or abs(p - theirs_p) <= 1e-3)
        )
        ok &= same
        ours_txt = f"{score:.4f} ({mean:.4f} ± {ci:.4f})" + (f" p={p:.4f}" if p is not None else "")
        theirs_txt = f"{s_score} ({s_mean} ± {s_ci})" + (f" p={theirs_p:.4f}" if theirs_p is not None else "")
        rows.append(f"| {system} | {metric} | {ours_txt} | {theirs_txt} | {'yes' if same else '**NO**'} |")
    ok &= len(mine) == len(sb_cells) == 4
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--en", type=Path, required=True, help="English reference file (e.g. NTREX-128 eng.txt)")
    parser.add_argument("--zh", type=Path, required=True, help="Chinese reference file (e.g. FLORES-200 dev.zho.txt)")
    parser.add_argument("--out", type=Path, required=True, help="Markdown report to write")
    args = parser.parse_args()

    import sacrebleu as sb

    started = time.time()
    corpus_rows: list[str] = []
    paired_rows: list[str] = []
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for lang, ref_path in (("en", args.en), ("zh", args.zh)):
            lines = ref_path.read_text(encoding="utf-8").splitlines()
            hyp = folder / f"hyp.{lang}"
            hyp.write_text("\n".join(perturb(lines, 1, chars=lang == "zh")) + "\n", encoding="utf-8")
            ok &= compare_corpus(hyp, ref_path, lang=lang, rows=corpus_rows)
            ok &= compare_sentences(hyp, ref_path, lang=lang, rows=corpus_rows)
        en_lines = args.en.read_text(encoding="utf-8").splitlines()
        hyp_a, hyp_b = folder / "A.en", folder / "B.en"
        hyp_a.write_text("\n".join(perturb(en_lines, 1, chars=False)) + "\n", encoding="utf-8")
        hyp_b.write_text("\n".join(perturb(en_lines, 2, chars=False)) + "\n", encoding="utf-8")
        ok &= compare_paired(hyp_a, hyp_b, args.en, paired_rows)

    report = [
        "# `mt-toolkit score` against the `sacrebleu` command line",
        "",
        f"sacrebleu {sb.__version__}; generated by `eval/check_score_vs_sacrebleu.py --en {args.en} "
        f"--zh {args.zh}` in {time.time() - started:.0f} s. Hypotheses are the references with seeded "
        "random edits (0-4 per line: drop, swap, replace a word; characters for Chinese), so the "
        "figures test agreement, not any translation system. Chinese runs use `--lang zh` here and "
        "`--tokenize zh` (BLEU) / `--ter-asian-support` (TER) in sacrebleu.",
        "",
        "| lang | level | metric | mt-toolkit | sacrebleu | equal | signature (mt-toolkit) | sacrebleu command |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *corpus_rows,
        "",
        "## Paired bootstrap resampling (1000 resamples, seed 12345), system B against baseline A",
        "",
        "`mt-toolkit score REF --system A=... --system B=... --metrics bleu,chrf --paired bs` against "
        "`sacrebleu REF -i A B -m bleu chrf --paired-bs -w 4 -f text` (sacrebleu 2.6's JSON writer fails "
        "on --paired-bs, float32 values, so its text table is parsed).",
        "",
        "| system | metric | mt-toolkit: score (mean ± 95% CI) p | sacrebleu | equal |",
        "| --- | --- | --- | --- | --- |",
        *paired_rows,
        "",
        f"**Result: {'all figures agree' if ok else 'MISMATCH'}.**",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(report), encoding="utf-8")
    print("\n".join(report))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
