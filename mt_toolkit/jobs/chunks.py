"""What one chunk of a job does, wherever it runs: segment, translate distinct sentences, render."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mt_toolkit.corpus import Record, render_record
from mt_toolkit.text.segment import Document, segment_document, sentence_joiner
from mt_toolkit.translate.base import Hop, Translation

# Translates a list of distinct sentences (any order, no duplicates) into Translations, same order.
SegmentTranslator = Callable[[list[str]], list[Translation]]

# Sentences remembered across chunks: news corpora repeat boilerplate ("Baca juga: ...") in every
# article, so the most recently seen 100k sentences are translated once per job. Bounded, so a
# corpus of millions of distinct sentences does not grow memory without end.
MEMO_SIZE = 100_000


@dataclass(frozen=True)
class CorpusJob:
    """One corpus file to translate into one output file.

    Args:
        input: the corpus file (txt, JSONL, CSV or TSV).
        output: where the translated corpus goes (same format).
        fmt: the format ("txt" | "jsonl" | "csv" | "tsv").
        src_lang / tgt_lang: canonical language codes.
        field: JSON key or CSV column to translate (default ``text``); every other field is kept.
        segment: split each record into sentences before translating (articles); False when
            each record already is one sentence.
        chunk_size: records per committed chunk: memory and the work lost to a kill are bounded by it.
    """

    input: str
    output: str
    fmt: str
    src_lang: str
    tgt_lang: str
    field: str | None = None
    segment: bool = True
    chunk_size: int = 1000

    def fingerprint(self, translator: dict) -> dict:
        """What the output depends on: a resume with anything different is refused.

        The input is identified by its content (a SHA-256), not its modification time: copying,
        touching or restoring the same file must not block a resume, editing it must.
        """
        return {
            "input": str(Path(self.input).resolve()), "input_size": Path(self.input).stat().st_size,
            "input_sha256": file_sha256(self.input), "format": self.fmt, "field": self.field,
            "src_lang": self.src_lang, "tgt_lang": self.tgt_lang, "segment": self.segment,
            "translator": translator,
        }


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, read in 1 MiB blocks (a corpus may be larger than memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class JobResult:
    """What a finished job did."""

    output: Path
    records: int  # records in the output
    resumed_from: int  # records already committed by an interrupted run (0 for a fresh one)


class SentenceMemo:
    """The last ``size`` sentences' translations, least recently used dropped first."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self._items: OrderedDict[str, Translation] = OrderedDict()
        self._size = size

    def get(self, sentence: str) -> Translation | None:
        found = self._items.get(sentence)
        if found is not None:
            self._items.move_to_end(sentence)
        return found

    def put(self, sentence: str, translation: Translation) -> None:
        self._items[sentence] = translation
        self._items.move_to_end(sentence)
        while len(self._items) > self._size:
            self._items.popitem(last=False)


def translate_records(
    records: list[Record], *, job: CorpusJob, translate: SegmentTranslator, memo: SentenceMemo | None = None
) -> str:
    """The rendered output of ``records``: each record with its translation (and hops).

    Distinct sentences of the whole chunk go to ``translate`` once; ``memo`` carries
    translations over from earlier chunks.
    """
    memo = memo if memo is not None else SentenceMemo()
    docs = [segment_document(r.text, job.src_lang, segment=job.segment) if r.text.strip() else None for r in records]
    found: dict[str, Translation] = {}
    needed: dict[str, None] = {}  # insertion-ordered set of sentences to translate
    for doc in docs:
        for sentence in doc.sentences if doc else ():
            if sentence in found or sentence in needed:
                continue
            hit = memo.get(sentence)
            if hit is not None:
                found[sentence] = hit
            else:
                needed[sentence] = None
    if needed:
        batch = list(needed)
        for sentence, translation in zip(batch, translate(batch), strict=True):
            found[sentence] = translation
            memo.put(sentence, translation)
    out = []
    for record, doc in zip(records, docs):
        if doc is None or not doc.sentences:
            out.append(render_record(record, "", (), fmt=job.fmt, field=job.field, tgt_lang=job.tgt_lang))
            continue
        translations = [found[s] for s in doc.sentences]
        text = "\n".join(doc.rebuild([t.text for t in translations], joiner=sentence_joiner(job.tgt_lang)))
        out.append(render_record(record, text, _record_hops(doc, translations), fmt=job.fmt,
                                 field=job.field, tgt_lang=job.tgt_lang))
    return "".join(out)


def _record_hops(doc: Document, translations: list[Translation]) -> tuple[Hop, ...]:
    """One hop per route step for the whole record: its sentences' hop texts put back in shape.

    The score is the mean of the sentences' scores (None when a backend gives none).
    """
    hops = []
    for k, first in enumerate(translations[0].hops):
        steps = [t.hops[k] if k < len(t.hops) else first for t in translations]
        scores = [h.score for h in steps if h.score is not None]
        hops.append(Hop(
            src_lang=first.src_lang, tgt_lang=first.tgt_lang,
            source="\n".join(doc.rebuild([h.source for h in steps], joiner=sentence_joiner(first.src_lang))),
            text="\n".join(doc.rebuild([h.text for h in steps], joiner=sentence_joiner(first.tgt_lang))),
            model=first.model, revision=first.revision, backend=first.backend,
            compute_type=first.compute_type, beam_size=first.beam_size,
            score=sum(scores) / len(scores) if len(scores) == len(steps) else None,
        ))
    return tuple(hops)
