"""Alignment quality: strict and lax precision, recall and F1 over beads.

The protocol is the one sentence-alignment papers report (Vecalign, Bertalign), so our figures
are comparable with theirs:

* beads empty on both sides are ignored;
* precision is measured over all predicted beads (insertions and deletions included),
  recall over the gold beads, with 1-0 and 0-1 beads removed from *both* sides first;
* strict: a bead counts only if it equals a gold bead exactly;
  lax: a bead that is not exact still counts if one of its source sentences is linked in the
  gold to one of its target sentences;
* counts are pooled over documents before dividing; F1 is the harmonic mean, 0 when P + R = 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["AlignmentScore", "score_alignments"]

BeadPair = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class AlignmentScore:
    """Strict and lax precision, recall and F1, with the bead counts they come from."""

    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float
    predicted: int
    gold: int


def _counts(gold: Iterable[BeadPair], test: Iterable[BeadPair]) -> tuple[int, int, int, int]:
    """(strict hits, strict misses, lax hits, lax misses) of ``test`` beads against ``gold``."""
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    test_set = {(tuple(s), tuple(t)) for s, t in test if s or t}
    linked: defaultdict[int, set[int]] = defaultdict(set)
    for src, tgt in gold_set:
        for i in src:
            linked[i].update(tgt)
    strict_hit = strict_miss = lax_hit = lax_miss = 0
    for src, tgt in test_set:
        if (src, tgt) in gold_set:
            strict_hit += 1
            lax_hit += 1
            continue
        strict_miss += 1
        gold_targets = set().union(*(linked[i] for i in src)) if src else set()
        if gold_targets & set(tgt):
            lax_hit += 1
        else:
            lax_miss += 1
    return strict_hit, strict_miss, lax_hit, lax_miss


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_alignments(
    gold: Sequence[Sequence[BeadPair]], predicted: Sequence[Sequence[BeadPair]]
) -> AlignmentScore:
    """Score predicted alignments of several documents against gold, counts pooled.

    Args:
        gold: per document, the gold beads as (source indices, target indices).
        predicted: per document, the predicted beads, same form.

    Returns:
        An `AlignmentScore`.

    Raises:
        ValueError: the two lists cover different numbers of documents.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} predicted")
    p_counts = [0, 0, 0, 0]
    r_counts = [0, 0, 0, 0]
    n_pred = n_gold = 0
    for gold_doc, test_doc in zip(gold, predicted):
        gold_doc, test_doc = list(gold_doc), list(test_doc)
        n_pred += len(test_doc)
        n_gold += len(gold_doc)
        for k, v in enumerate(_counts(gold_doc, test_doc)):
            p_counts[k] += v
        # Recall is precision with the roles swapped, insertions and deletions left out.
        gold_linked = [(s, t) for s, t in gold_doc if s and t]
        test_linked = [(s, t) for s, t in test_doc if s and t]
        for k, v in enumerate(_counts(test_linked, gold_linked)):
            r_counts[k] += v
    ps = _ratio(p_counts[0], p_counts[0] + p_counts[1])
    pl = _ratio(p_counts[2], p_counts[2] + p_counts[3])
    rs = _ratio(r_counts[0], r_counts[0] + r_counts[1])
    rl = _ratio(r_counts[2], r_counts[2] + r_counts[3])
    return AlignmentScore(ps, rs, _f1(ps, rs), pl, rl, _f1(pl, rl), n_pred, n_gold)
