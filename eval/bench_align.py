"""Benchmarks for `mt_toolkit.align`: accuracy on Text+Berg, quote location, speed.

Usage (from the repository root, with the package importable):

    python eval/bench_align.py accuracy /work/shared/data/textberg-dev
    python eval/bench_align.py accuracy TEXTBERG_TEST   # a folder of document folders, pooled
    python eval/bench_align.py quotes   /work/shared/data/textberg-dev
    python eval/bench_align.py quotes   TEXTBERG_TEST     # a folder of document folders, pooled
    python eval/bench_align.py speed    /work/shared/data/textberg-dev --sizes 10000 20000
    python eval/bench_align.py all      /work/shared/data/textberg-dev -o eval/results/align.md

Accuracy follows the scoring protocol of the data set's README (strict and lax P/R/F1 over beads,
`mt_toolkit.align.scoring`). Quote location takes passages of 1–3 consecutive German sentences
with their machine translation and locates them in the whole French text; a quote sentence counts
as found exactly when the predicted French sentences equal the French side of its gold bead.
Speed builds synthetic documents from the data set (sentences repeated and shuffled; the "MT"
is a noisy copy of the target with merges, drops and insertions), times the whole `mt-toolkit
align` command in a fresh process and reports its peak memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import ast
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mt_toolkit.align import align_sentences, locate_quote, read_beads, score_alignments  # noqa: E402
from mt_toolkit.align.aligner import AlignOptions  # noqa: E402
from mt_toolkit.align.locate import LocateOptions  # noqa: E402


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def _gold(path: Path):
    beads = []
    for line in _lines(path):
        src, tgt = line.split(":")[:2]
        beads.append((tuple(ast.literal_eval(src)), tuple(ast.literal_eval(tgt))))
    return beads


def _documents(data: Path) -> list[Path]:
    """One Text+Berg document folder, or a folder of them (the 7-article test set)."""
    if (data / "de.txt").exists():
        return [data]
    docs = sorted(p for p in data.iterdir() if (p / "de.txt").exists())
    if not docs:
        raise SystemExit(f"{data}: no de.txt, and no sub-folder with one")
    return docs


def accuracy(data: Path, *, options: AlignOptions = AlignOptions(), embeddings: str | None = None) -> list[str]:
    """Strict and lax P/R/F1, counts pooled over the documents, for each MT condition present.

    ``embeddings``: a sentence-transformers model (e.g. LaBSE, as Bertalign uses) added to every
    condition, plus a row with the embeddings alone.
    """
    docs = _documents(data)
    texts = [(_lines(d / "de.txt"), _lines(d / "fr.txt"), _gold(d / "gold.txt")) for d in docs]
    rows = ["| translations used | strict P | strict R | strict F1 | lax P | lax R | lax F1 | seconds |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    plan = [("embeddings only", None, False, False)] if embeddings else []
    for system in ("google", "europarlfull", "europarllight"):
        have_src = all((d / f"de.mt-{system}.fr.txt").exists() for d in docs)
        have_tgt = all((d / f"fr.mt-{system}.de.txt").exists() for d in docs)
        conditions = []
        if have_src:
            conditions.append((f"de→fr {system}", True, False))
        if have_tgt:
            conditions.append((f"fr→de {system}", False, True))
        if have_src and have_tgt:
            conditions.append((f"both {system}", True, True))
        plan += [(label + (" + embeddings" if embeddings else ""), system, use_src, use_tgt)
                 for label, use_src, use_tgt in conditions]
    for label, system, use_src, use_tgt in plan:
        golds, preds, seconds = [], [], 0.0
        for d, (de, fr, gold) in zip(docs, texts):
            kwargs = {}
            if use_src:
                kwargs["src_mt"] = _lines(d / f"de.mt-{system}.fr.txt")
            if use_tgt:
                kwargs["tgt_mt"] = _lines(d / f"fr.mt-{system}.de.txt")
            start = time.perf_counter()
            beads = align_sentences(de, fr, src_lang="de", tgt_lang="fr", translate=False,
                                    embeddings=embeddings, options=options, **kwargs)
            seconds += time.perf_counter() - start
            golds.append(gold)
            preds.append([(b.src, b.tgt) for b in beads])
        s = score_alignments(golds, preds)
        rows.append(f"| {label} | {s.precision_strict:.3f} | {s.recall_strict:.3f} | **{s.f1_strict:.3f}** | "
                    f"{s.precision_lax:.3f} | {s.recall_lax:.3f} | {s.f1_lax:.3f} | {seconds:.2f} |")
        print(rows[-1], flush=True)
    return rows


def quotes(data: Path, *, seed: int = 0, options: LocateOptions = LocateOptions(), systems=("google", "europarlfull", "europarllight")) -> list[str]:
    """Quote location, counts pooled over the documents, for each MT condition they all have."""
    docs = _documents(data)
    rows = ["| translations | quote sentences | found exactly | found (any overlap) | unrelated passages wrongly found |",
            "| --- | --- | --- | --- | --- |"]
    rng = random.Random(seed)
    for system, both in [(system, both) for system in systems for both in (False, True)]:
        if not all((d / f"de.mt-{system}.fr.txt").exists() for d in docs):
            continue
        if both and not all((d / f"fr.mt-{system}.de.txt").exists() for d in docs):
            continue
        total = exact = overlap = 0
        negatives = false_found = 0
        for doc in docs:
            de, fr, gold = _lines(doc / "de.txt"), _lines(doc / "fr.txt"), _gold(doc / "gold.txt")
            french_of = {}
            for src, tgt in gold:
                for i in src:
                    french_of[i] = tgt
            mt = _lines(doc / f"de.mt-{system}.fr.txt")
            original_mt = _lines(doc / f"fr.mt-{system}.de.txt") if both else None
            i, length = 0, 1
            while i < len(de):
                passage = list(range(i, min(i + length, len(de))))
                matches = locate_quote([de[k] for k in passage], fr, quote_lang="de", orig_lang="fr",
                                       quote_mt=[mt[k] for k in passage], original_mt=original_mt, options=options)
                for k, m in zip(passage, matches):
                    expected = french_of.get(k, ())
                    if not expected:
                        continue
                    total += 1
                    exact += m.found and m.original_indices == expected
                    overlap += m.found and bool(set(m.original_indices) & set(expected))
                # The same passage against the French text with its gold sentences removed.
                removed = {j for k in passage for j in french_of.get(k, ())}
                if removed and rng.random() < 0.5:
                    keep = [j for j in range(len(fr)) if j not in removed]
                    pruned_mt = [original_mt[j] for j in keep] if original_mt else None
                    for m in locate_quote([de[k] for k in passage], [fr[j] for j in keep], quote_lang="de",
                                          orig_lang="fr", quote_mt=[mt[k] for k in passage],
                                          original_mt=pruned_mt, options=options):
                        negatives += 1
                        false_found += m.found
                i += length
                length = length % 3 + 1
        rows.append(f"| {'both directions' if both else 'de→fr'} {system} | {total} | **{exact / total:.3f}** | {overlap / total:.3f} | "
                    f"{false_found}/{negatives} ({false_found / max(negatives, 1):.3f}) |")
        print(rows[-1], flush=True)
    return rows


def _noisy(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    out = [w for w in words if rng.random() > 0.15]
    if len(out) > 3 and rng.random() < 0.5:
        k = rng.randrange(len(out) - 1)
        out[k], out[k + 1] = out[k + 1], out[k]
    return " ".join(out) or sentence


def make_synthetic(data: Path, n: int, folder: Path, *, seed: int = 0) -> tuple[Path, Path, Path]:
    """SRC, TGT and SRC's "MT" with about ``n`` sentences each, from the data set's French side."""
    rng = random.Random(seed)
    pool = _lines(data / "fr.txt") + _lines(data / "de.mt-google.fr.txt")
    tgt = [rng.choice(pool) + f" {rng.randrange(10**6)}" for _ in range(n)]
    src_mt, gold = [], []
    k = 0
    while k < len(tgt):
        r = rng.random()
        if r < 0.04 and k + 1 < len(tgt):  # 1-2: one source sentence says what two target ones say
            gold.append(([len(src_mt)], [k, k + 1]))
            src_mt.append(_noisy(tgt[k] + " " + tgt[k + 1], rng))
            k += 2
        elif r < 0.06:  # target sentence with no source
            gold.append(([], [k]))
            k += 1
        elif r < 0.08:  # source sentence with no target
            gold.append(([len(src_mt)], []))
            src_mt.append(_noisy(rng.choice(pool), rng))
        else:
            gold.append(([len(src_mt)], [k]))
            src_mt.append(_noisy(tgt[k], rng))
            k += 1
    (folder / f"gold.{n}.txt").write_text("".join(f"{s}:{t}\n" for s, t in gold), encoding="utf-8")
    paths = folder / f"src.{n}.txt", folder / f"tgt.{n}.txt", folder / f"src.{n}.mt.txt"
    src = [f"Satz {i}: " + s[: max(5, len(s) // 2)] for i, s in enumerate(src_mt)]
    for path, lines in zip(paths, (src, tgt, src_mt)):
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def speed_one(src: Path, tgt: Path, mt: Path) -> None:
    """Run in a fresh process: the whole CLI command, then its wall time and peak memory."""
    from typer.testing import CliRunner

    from mt_toolkit.cli import app

    out = Path(tempfile.mkdtemp()) / "beads.txt"
    start = time.perf_counter()
    result = CliRunner().invoke(app, ["align", str(src), str(tgt), "--src", "de", "--tgt", "fr",
                                      "--src-mt", str(mt), "-o", str(out)])
    seconds = time.perf_counter() - start
    if result.exit_code != 0:
        raise SystemExit(result.output)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    gold = _gold(src.parent / src.name.replace("src.", "gold.", 1))
    predicted = [(b.src, b.tgt) for b in read_beads(out)]
    f1 = score_alignments([gold], [predicted]).f1_strict
    print(f"{seconds:.2f} {peak_mb:.0f} {len(predicted)} {f1:.3f}")


def speed(data: Path, sizes: list[int], repeats: int) -> list[str]:
    rows = ["| sentences (src × tgt) | best wall time, s (of runs) | peak memory, MB | beads | strict F1 vs the synthetic truth |",
            "| --- | --- | --- | --- | --- |"]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            src, tgt, mt = make_synthetic(data, n, Path(tmp))
            n_src = len(_lines(src))
            times, peaks = [], []
            for _ in range(repeats):
                proc = subprocess.run([sys.executable, __file__, "speed-one", str(src), str(tgt), str(mt)],
                                      capture_output=True, text=True, check=True)
                seconds, peak, beads, f1 = proc.stdout.split()
                times.append(float(seconds))
                peaks.append(float(peak))
            rows.append(f"| {n_src} × {n} | **{min(times):.1f}** ({', '.join(f'{t:.1f}' for t in times)}) | "
                        f"{max(peaks):.0f} | {beads} | {f1} |")
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=["accuracy", "quotes", "speed", "all", "speed-one"])
    parser.add_argument("data", type=Path, nargs="+", help="Text+Berg folder (speed-one: SRC TGT MT)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 20000])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("-o", "--output", type=Path, help="write the Markdown tables here")
    parser.add_argument("--embeddings", help="accuracy: also compare with this sentence-transformers model (folder or hub id)")
    args = parser.parse_args()
    if args.task == "speed-one":
        speed_one(*args.data)
        return
    data = args.data[0]
    sections = []
    if args.task in ("accuracy", "all"):
        sections += [f"## Sentence alignment, {data.name} ({len(_documents(data))} document(s))", ""] + accuracy(data, embeddings=args.embeddings) + [""]
    if args.task in ("quotes", "all"):
        sections += ["## Quote location (1–3 German sentences + MT, in the whole French text)", ""] + quotes(data) + [""]
    if args.task in ("speed", "all"):
        sections += ["## Speed (synthetic, given translations; whole CLI command)", ""] + speed(data, args.sizes, args.repeats) + [""]
    if args.output:
        args.output.write_text("\n".join(sections) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
