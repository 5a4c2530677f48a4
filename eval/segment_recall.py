"""Sentence-boundary recall and over-splits of `split_sentences` on FLORES-200 dev paragraphs.

FLORES-200 gives one sentence per line, consecutive lines from the same source article
(``metadata_dev.tsv`` URL column). Joining each article's sentences into one paragraph (with a space,
or nothing for Chinese) and segmenting it again tells how many true boundaries the segmenter finds
(recall) and how many it adds inside a FLORES sentence (over-splits). An over-split is not always
wrong — a few FLORES lines hold two sentences — so the examples are printed for reading.

Boundaries are counted as offsets in the text with all whitespace removed, so the joiner and the
segmenter's trimming do not matter.

    python eval/segment_recall.py [--data /work/shared/data/flores200] [--out eval/results/segmentation.md]
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from pathlib import Path

from mt_toolkit.text.segment import split_sentences

LANGS = {"eng": ("en", " "), "ind": ("id", " "), "rus": ("ru", " "), "zho": ("zh", "")}
_WS = re.compile(r"\s+")


def articles(data: Path) -> list[list[int]]:
    """Line numbers of each article, in order (consecutive lines sharing a URL)."""
    with open(data / "metadata_dev.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))[1:]
    groups: list[list[int]] = []
    last = None
    for i, row in enumerate(rows):
        if row[0] != last:
            groups.append([])
            last = row[0]
        groups[-1].append(i)
    return groups


def _ends(sentences: list[str]) -> list[int]:
    """Offsets (whitespace removed) where each sentence but the last ends."""
    out, pos = [], 0
    for s in sentences[:-1]:
        pos += len(_WS.sub("", s))
        out.append(pos)
    return out


_END = re.compile("[.!?\u3002\uff01\uff1f\u2026][\"'\u201d\u2019\u00bb\u300d\u300f)\uff09\\s]*$")


_INITIALS = re.compile(r"^(\w\.)+$|^\w{1,2}\.$")


def _suspect(left: str, right: str) -> bool:
    """An extra cut that looks wrong: after initials or a 1-2 letter word with a full stop
    (U.S., т.е., St.), or before a lowercase word or a digit-led number continuing a decimal."""
    last = left.split()[-1].rstrip("\"'\u201d\u2019\u00bb)") if left.split() else ""
    first = right.lstrip("\"'\u201c\u00ab(")[:1]
    return bool(_INITIALS.match(last)) or first.islower() or (last[-2:-1].isdigit() and first.isdigit())


def measure(lines: list[str], groups: list[list[int]], lang: str, joiner: str):
    """Gold boundaries, found, over-splits, and the marked ones (sentence ends with . ! ? 。 etc.)."""
    gold_n = found = over = marked_n = marked_found = 0
    missed, extra, suspects = [], [], []
    for group in groups:
        sents = [lines[i] for i in group]
        gold = set(_ends(sents))
        predicted = split_sentences(joiner.join(sents), lang)
        pred = set(_ends(predicted))
        for b, left, right in zip(_ends(predicted), predicted, predicted[1:]):
            if b not in gold and _suspect(left, right):
                suspects.append(left[-30:] + " | " + right[:30])
        gold_n += len(gold)
        found += len(gold & pred)
        marked = {b for b, s in zip(_ends(sents), sents) if _END.search(s)}
        marked_n += len(marked)
        marked_found += len(marked & pred)
        over += len(pred - gold)
        flat = _WS.sub("", joiner.join(sents))
        for b in sorted(gold - pred):
            missed.append(flat[max(0, b - 25) : b] + " | " + flat[b : b + 25])
        for b in sorted(pred - gold):
            extra.append(flat[max(0, b - 25) : b] + " | " + flat[b : b + 25])
    return gold_n, found, over, missed, extra, marked_n, marked_found, suspects


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data/flores200"))
    ap.add_argument("--out", type=Path, default=Path("eval/results/segmentation.md"))
    ap.add_argument("--examples", type=int, default=8)
    args = ap.parse_args()
    groups = articles(args.data)
    rows, details = [], []
    for name, (lang, joiner) in LANGS.items():
        lines = (args.data / f"dev.{name}.txt").read_text(encoding="utf-8").splitlines()
        t0 = time.perf_counter()
        gold_n, found, over, missed, extra, marked_n, marked_found, suspects = measure(lines, groups, lang, joiner)
        secs = time.perf_counter() - t0
        rows.append(
            f"| {name} | {gold_n} | {found} | {found / gold_n:.4f} | {marked_n} | {marked_found / marked_n:.4f} "
            f"| {gold_n - found} | {over} | {len(suspects)} | {secs:.1f} |"
        )
        details.append(f"\n### {name}: missed boundaries ({len(missed)})\n")
        details += [f"- `{m}`" for m in missed[: args.examples]]
        details.append(f"\n### {name}: suspect over-splits ({len(suspects)}, all listed)\n")
        details += [f"- `{e}`" for e in suspects]
        details.append(f"\n### {name}: extra cuts inside a FLORES line ({len(extra)}; most are a second sentence)\n")
        details += [f"- `{e}`" for e in extra[: args.examples]]
    table = [
        "| lang | gold boundaries | found | recall | marked boundaries | recall (marked) | missed | extra cuts | suspect over-splits | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows,
    ]
    print("\n".join(table))
    text = [
        "# Sentence segmentation on FLORES-200 dev paragraphs",
        "",
        f"Command: `python eval/segment_recall.py --data {args.data}` ({len(groups)} articles, 997 sentences",
        "per language; each article's sentences joined into one paragraph, a space between them, none in Chinese).",
        "Boundaries compared as offsets with whitespace removed. `| ` marks the boundary in the examples.",
        "",
        *table,
        *details,
        "",
    ]
    # Hand-written reading notes (a "## Notes" section up to the first "###") survive a rerun.
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    if "## Notes" in old:
        notes = old[old.index("## Notes") :]
        notes = notes[: notes.index("\n### ")] if "\n### " in notes else notes
        text[text.index(table[-1]) + 1 : text.index(table[-1]) + 1] = ["", notes.rstrip()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(text), encoding="utf-8")


if __name__ == "__main__":
    main()
