"""How well the trace's thresholds and change flags hold on real English news sentences.

Two measurements on any one-sentence-per-line English file (FLORES-200 dev, NTREX-128):

1. ``not_found`` threshold: chrF between *neighbouring* sentences (same article, same topic,
   different content) is what an article sentence scores against the closest original sentence
   when the original does not hold it. The share at or above the threshold is the rate at which
   an absent sentence would be reported as found.
2. Flags: each sentence is edited in one controlled way (a number changed, a negation inserted,
   a modal swapped, a capitalised name replaced, a trailing clause dropped) and `detect_changes`
   must report that kind; the share that it does is the recall, and any *other* kind reported is
   counted as noise. A meaning-preserving control (the leading clause moved to the end) should
   raise no flag at all.

The edits are synthetic, so recall here is an upper bound for real translations; the control and
the neighbour scores say how noisy the flags and the threshold are on real wording.

    python eval/trace_flags.py /work/shared/data/flores200/dev.eng.txt --out eval/results/trace_flags.md
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mt_toolkit.fidelity import FlagKind, Thresholds, detect_changes  # noqa: E402
from mt_toolkit.metrics import segment_scores  # noqa: E402
from mt_toolkit.textio import read_lines, write_text  # noqa: E402

_NUMBER = re.compile(r"\b\d+\b")
_MODAL = re.compile(r"\b(will|must|can|should|may)\b")
_BE = re.compile(r"\b(is|are|was|were)\b")
_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{3,}\b")
_MODAL_SWAP = {"will": "may", "must": "might", "can": "must", "should": "will", "may": "must"}


def edit_number(s: str) -> str | None:
    m = _NUMBER.search(s)
    return None if not m else s[: m.start()] + str(int(m.group()) + 7) + s[m.end() :]


def edit_negation(s: str) -> str | None:
    if re.search(r"\b(not|no|never|n't)\b", s):
        return None
    m = _BE.search(s)
    return None if not m else s[: m.end()] + " not" + s[m.end() :]


def edit_modality(s: str) -> str | None:
    m = _MODAL.search(s)
    return None if not m else s[: m.start()] + _MODAL_SWAP[m.group()] + s[m.end() :]


_MONTHS = {"January", "February", "March", "April", "June", "July", "August", "September",
           "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
           "Friday", "Saturday", "Sunday"}


def edit_name(s: str) -> str | None:
    """Replace the first capitalised word after a lower-case word (not a month or weekday)."""
    m = next((m for m in _NAME.finditer(s) if m.group() not in _MONTHS), None)
    return None if not m else s[: m.start()] + "Zorvath" + s[m.end() :]


def edit_clause(s: str) -> str | None:
    """Drop the text after the last comma when it is at least 6 words long."""
    head, sep, tail = s.rpartition(", ")
    if not sep or len(tail.split()) < 6 or len(head.split()) < 4:
        return None
    return head + "."


def control_move(s: str) -> str | None:
    """Move a leading clause ("On Monday, ...") to the end: same meaning, new order."""
    head, sep, tail = s.partition(", ")
    if not sep or not 2 <= len(head.split()) <= 6 or len(tail.split()) < 5:
        return None
    return tail[0].upper() + tail[1:].rstrip(".") + " " + head[0].lower() + head[1:] + "."


EDITS = {
    FlagKind.NUMBER: edit_number,
    FlagKind.NEGATION: edit_negation,
    FlagKind.MODALITY: edit_modality,
    FlagKind.NAME: edit_name,
    FlagKind.OMISSION: edit_clause,
}


def run(sentences: list[str], thresholds: Thresholds) -> str:
    hyps, refs = sentences[1:], sentences[:-1]
    neighbour = [row[0].value for row in segment_scores(hyps, [refs], metrics=("chrf",), lang="en")]
    signature = segment_scores(hyps[:1], [refs[:1]], metrics=("chrf",), lang="en")[0][0]
    q = statistics.quantiles(neighbour, n=100)
    above = sum(v >= thresholds.not_found_chrf for v in neighbour) / len(neighbour)

    lines = [
        "# Trace thresholds and change flags on real English sentences",
        "",
        f"Data: `{ARGS.data}` ({len(sentences)} sentences). Thresholds: {thresholds}.",
        f"chrF: `{signature.metric}|{signature.signature}`.",
        "",
        "## chrF of neighbouring (different) sentences",
        "",
        "| median | p90 | p99 | max | share ≥ not_found threshold |",
        "|---:|---:|---:|---:|---:|",
        f"| {statistics.median(neighbour):.1f} | {q[89]:.1f} | {q[98]:.1f} | {max(neighbour):.1f} | {above:.1%} |",
        "",
        "## Flags on controlled edits",
        "",
        "| edit | sentences | recall (kind flagged) | noise (other kinds flagged) | mean chrF after edit |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, edit in EDITS.items():
        pairs = [(s, e) for s in sentences if (e := edit(s))]
        hit = noise = 0
        chrf = [row[0].value for row in segment_scores([e for _, e in pairs], [[s for s, _ in pairs]], metrics=("chrf",), lang="en")] if pairs else []
        for original, edited in pairs:
            kinds = {f.kind for f in detect_changes(original, edited, thresholds=thresholds)}
            hit += kind in kinds
            noise += bool(kinds - {kind})
        n = max(len(pairs), 1)
        lines.append(f"| {kind.value} | {len(pairs)} | {hit / n:.1%} | {noise / n:.1%} | {statistics.fmean(chrf) if chrf else 0:.1f} |")
    pairs = [(s, e) for s in sentences if (e := control_move(s))]
    flagged: Counter[str] = Counter()
    any_flag = 0
    for original, edited in pairs:
        kinds = {f.kind.value for f in detect_changes(original, edited, thresholds=thresholds)}
        flagged.update(kinds)
        any_flag += bool(kinds)
    lines += [
        "",
        "## Control: leading clause moved to the end (no change in meaning)",
        "",
        f"{len(pairs)} sentences; {any_flag / max(len(pairs), 1):.1%} got any flag"
        + (f" ({', '.join(f'{k}: {v}' for k, v in flagged.most_common())})." if flagged else "."),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", help="English sentences, one per line")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N sentences")
    parser.add_argument("--out", default="-", help="Markdown results file ('-' for stdout)")
    ARGS = parser.parse_args()
    sentences = [s for s in read_lines(ARGS.data) if s.strip()]
    if ARGS.limit:
        sentences = sentences[: ARGS.limit]
    write_text(ARGS.out, run(sentences, Thresholds()))


ARGS: argparse.Namespace

if __name__ == "__main__":
    main()
