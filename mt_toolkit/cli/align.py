"""`mt-toolkit align` and `mt-toolkit locate`: sentence alignment and quote location."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from mt_toolkit.cli._common import progress_bar, progress_bars, user_errors


class BeadFormat(str, Enum):
    beads = "beads"
    jsonl = "jsonl"
    tsv = "tsv"
    tmx = "tmx"


class MatchFormat(str, Enum):
    tsv = "tsv"
    jsonl = "jsonl"


def _sentences(path: Path, lang: str, *, segment: bool) -> list[str]:
    """One sentence per line, or raw text cut into sentences with ``--segment``."""
    from mt_toolkit.text.segment import segment_document
    from mt_toolkit.textio import read_lines, read_text

    if segment:
        return segment_document(read_text(path), lang).sentences
    return read_lines(path)


def _optional_lines(path: Optional[Path]) -> Optional[list[str]]:
    from mt_toolkit.textio import read_lines

    return read_lines(path) if path is not None else None


@user_errors
def align_command(
    src: Annotated[Path, typer.Argument(help="Source document, one sentence per line ('-' for stdin).")],
    tgt: Annotated[Path, typer.Argument(help="Target document, one sentence per line.")],
    src_lang: Annotated[str, typer.Option("--src-lang", help="Language of SRC (de, deu, deu_Latn, German ...).")] = ...,
    tgt_lang: Annotated[str, typer.Option("--tgt-lang", help="Language of TGT.")] = ...,
    src_mt: Annotated[Optional[Path], typer.Option("--src-mt", help="SRC translated into TGT's language, line by line.")] = None,
    tgt_mt: Annotated[Optional[Path], typer.Option("--tgt-mt", help="TGT translated into SRC's language, line by line; used as well when given.")] = None,
    model: Annotated[Optional[list[str]], typer.Option("--model", "-m", help="Translate SRC on the fly with this model when no --src-mt/--tgt-mt is given (default: the registry's choice).")] = None,
    no_translate: Annotated[bool, typer.Option("--no-translate", help="Never translate on the fly (needs --src-mt, --tgt-mt, --embeddings or one language).")] = False,
    embeddings: Annotated[Optional[str], typer.Option("--embeddings", help="Also compare with this sentence-transformers model (e.g. sentence-transformers/LaBSE; extra 'embeddings').")] = None,
    segment: Annotated[bool, typer.Option("--segment", help="Inputs are running text: split them into sentences first (not with --src-mt/--tgt-mt, which must match SRC/TGT line by line).")] = False,
    fmt: Annotated[BeadFormat, typer.Option("--format", "-f", help="beads: [i, j]:[k]:score lines (Vecalign/Bertalign); jsonl and tsv: with the texts; tmx: for CAT tools.")] = BeadFormat.beads,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file, written atomically. Default: stdout.")] = None,
) -> None:
    """Align two documents sentence by sentence: 1-1, 1-2, 2-1, 2-2, longer merges, insertions and deletions.

    Sentences are compared in one language: SRC's translation (--src-mt) against TGT, TGT's
    translation (--tgt-mt) against SRC, both averaged when both are given; otherwise the texts
    themselves (same language) or a translation made on the fly. Every sentence of both sides
    ends up in exactly one bead, in order; each bead carries a confidence in [0, 1].
    """
    from mt_toolkit.align.aligner import align_sentences
    from mt_toolkit.align.beads import write_beads
    from mt_toolkit.errors import InputError
    from mt_toolkit.languages import normalize

    src_code, tgt_code = normalize(src_lang), normalize(tgt_lang)
    if segment and (src_mt is not None or tgt_mt is not None):
        raise InputError("--segment cannot be combined with --src-mt/--tgt-mt: translations must match the sentences line by line")
    src_sentences = _sentences(src, src_code, segment=segment)
    tgt_sentences = _sentences(tgt, tgt_code, segment=segment)
    src_translation = _optional_lines(src_mt)
    tgt_translation = _optional_lines(tgt_mt)
    # One bar per phase: translating or embedding the sentences (the slow part when it
    # happens), then the dynamic programme.
    with progress_bars("Translating / embedding", "Aligning") as (on_prepare, on_progress):
        beads = align_sentences(
            src_sentences, tgt_sentences, src_lang=src_code, tgt_lang=tgt_code,
            src_mt=src_translation, tgt_mt=tgt_translation, model=model or None,
            translate=not no_translate, embeddings=embeddings, on_progress=on_progress,
            on_prepare_progress=on_prepare,
        )
    write_beads(
        beads, output if output is not None else "-", format=fmt.value,
        src_sentences=src_sentences, tgt_sentences=tgt_sentences, src_lang=src_code, tgt_lang=tgt_code,
    )


@user_errors
def locate_command(
    quote: Annotated[Path, typer.Argument(help="The quoted passage, one sentence per line.")],
    original: Annotated[Path, typer.Argument(help="The candidate original, one sentence per line.")],
    quote_lang: Annotated[str, typer.Option("--quote-lang", help="Language of QUOTE.")] = ...,
    orig_lang: Annotated[str, typer.Option("--orig-lang", help="Language of ORIGINAL.")] = ...,
    quote_mt: Annotated[Optional[Path], typer.Option("--quote-mt", help="QUOTE translated into ORIGINAL's language, line by line.")] = None,
    orig_mt: Annotated[Optional[Path], typer.Option("--orig-mt", help="ORIGINAL translated into QUOTE's language, line by line; used as well when given.")] = None,
    model: Annotated[Optional[list[str]], typer.Option("--model", "-m", help="Translate QUOTE on the fly with this model when no --quote-mt is given.")] = None,
    no_translate: Annotated[bool, typer.Option("--no-translate", help="Never translate on the fly.")] = False,
    embeddings: Annotated[Optional[str], typer.Option("--embeddings", help="Also compare with this sentence-transformers model.")] = None,
    threshold: Annotated[float, typer.Option(min=0.0, max=1.0, help="Least margin over chance for a match (0 = like a random sentence, 1 = identical).")] = 0.14,
    max_merge: Annotated[int, typer.Option(min=1, max=5, help="Most consecutive original sentences one quote sentence may match.")] = 5,
    segment: Annotated[bool, typer.Option("--segment", help="Inputs are running text: split them into sentences first (not with --quote-mt/--orig-mt).")] = False,
    fmt: Annotated[MatchFormat, typer.Option("--format", "-f", help="tsv (with a header) or jsonl, one line per quote sentence.")] = MatchFormat.tsv,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file, written atomically. Default: stdout.")] = None,
) -> None:
    """Find where each sentence of a short quote comes from in a long original.

    Each quote sentence gets the original sentence(s) it matches (up to --max-merge in a row), a score
    (margin over chance: 0 like a random sentence, 1 identical) and found/not found.
    """
    from mt_toolkit.align.locate import LocateOptions, locate_quote
    from mt_toolkit.errors import InputError
    from mt_toolkit.languages import normalize
    from mt_toolkit.text.segment import sentence_joiner
    from mt_toolkit.textio import atomic_write

    quote_code, orig_code = normalize(quote_lang), normalize(orig_lang)
    if segment and (quote_mt is not None or orig_mt is not None):
        raise InputError("--segment cannot be combined with --quote-mt/--orig-mt: translations must match line by line")
    quote_sentences = _sentences(quote, quote_code, segment=segment)
    original_sentences = _sentences(original, orig_code, segment=segment)
    with progress_bar("Translating the quote") as on_progress:
        matches = locate_quote(
            quote_sentences, original_sentences, quote_lang=quote_code, orig_lang=orig_code,
            quote_mt=_optional_lines(quote_mt), original_mt=_optional_lines(orig_mt), model=model or None, translate=not no_translate,
            embeddings=embeddings, options=LocateOptions(threshold=threshold, max_merge=max_merge),
            on_progress=on_progress,
        )
    joiner = sentence_joiner(orig_code)
    with atomic_write(output if output is not None else "-") as out:
        if fmt is MatchFormat.tsv:
            out.write("quote_index\toriginal_ids\tscore\tfound\tquote\toriginal\n")
        for m in matches:
            original_text = joiner.join(original_sentences[i] for i in m.original_indices)
            if fmt is MatchFormat.tsv:
                cells = [str(m.quote_index), ",".join(map(str, m.original_indices)), f"{m.score:.4f}",
                         "yes" if m.found else "no", quote_sentences[m.quote_index], original_text]
                out.write("\t".join(c.replace("\t", " ") for c in cells) + "\n")
            else:
                record = {"quote_index": m.quote_index, "original": list(m.original_indices),
                          "score": m.score, "found": m.found,
                          "quote_text": quote_sentences[m.quote_index], "original_text": original_text}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
