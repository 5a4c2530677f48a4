"""`mt-toolkit align` and `mt-toolkit locate`: sentence alignment and quote location."""

from __future__ import annotations

import json
import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from mt_toolkit.cli._common import (
    Backend,
    BackendOption,
    CacheFileOption,
    CacheOption,
    ComputeType,
    ComputeTypeOption,
    Device,
    DeviceOption,
    format_option,
    model_option,
    open_cache,
    output_option,
    progress_bar,
    progress_bars,
    user_errors,
)

# Spellings of earlier releases, still accepted for one release and hidden from --help.
ALIGN_ALIASES = {"--src-lang": "--src", "--tgt-lang": "--tgt"}
LOCATE_ALIASES = {"--quote-lang": "--src", "--orig-lang": "--tgt"}


class BeadFormat(str, Enum):
    beads = "beads"
    jsonl = "jsonl"
    tsv = "tsv"
    tmx = "tmx"


# locate's TSV header and JSONL keys: the same names, in the same order (indices 0-based).
MATCH_FIELDS = ("quote_index", "original_indices", "score", "found", "quote_text", "original_text")


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
    src_file: Annotated[Path, typer.Argument(metavar="SRC", help="Source document, one sentence per line ('-' for stdin).", show_default=False)],
    tgt_file: Annotated[Path, typer.Argument(metavar="TGT", help="Target document, one sentence per line.", show_default=False)],
    src: Annotated[str, typer.Option("--src", "-s", metavar="LANG", help="Language of SRC (de, deu, deu_Latn, German ...).", show_default=False)],
    tgt: Annotated[str, typer.Option("--tgt", "-t", metavar="LANG", help="Language of TGT.", show_default=False)],
    src_mt: Annotated[Optional[Path], typer.Option("--src-mt", metavar="FILE", help="SRC translated into TGT's language, line by line.", show_default=False)] = None,
    tgt_mt: Annotated[Optional[Path], typer.Option("--tgt-mt", metavar="FILE", help="TGT translated into SRC's language, line by line; used as well when given.", show_default=False)] = None,
    model: Annotated[Optional[list[str]], model_option("Translate SRC on the fly with this model when no --src-mt/--tgt-mt is given (default: the registry's choice).")] = None,
    no_translate: Annotated[bool, typer.Option("--no-translate", help="Never translate on the fly (needs --src-mt, --tgt-mt, --embeddings or one language).")] = False,
    embeddings: Annotated[Optional[str], typer.Option("--embeddings", metavar="MODEL", help="Also compare with this sentence-transformers model (e.g. sentence-transformers/LaBSE; extra 'embeddings').", show_default=False)] = None,
    segment: Annotated[bool, typer.Option("--segment", help="Inputs are running text: split them into sentences first (not with --src-mt/--tgt-mt, which must match SRC/TGT line by line).")] = False,
    fmt: Annotated[BeadFormat, format_option("beads: [i, j]:[k]:score lines (Vecalign/Bertalign, 0-based); jsonl and tsv: with the texts; tmx: for CAT tools.")] = BeadFormat.beads,
    output: Annotated[Optional[Path], output_option()] = None,
    device: DeviceOption = Device.auto,
    backend: BackendOption = Backend.auto,
    compute_type: ComputeTypeOption = ComputeType.auto,
    cache: CacheOption = True,
    cache_file: CacheFileOption = None,
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
    from mt_toolkit.textio import check_output, refuse_reading_stdin_twice

    src_code, tgt_code = normalize(src), normalize(tgt)
    if segment and (src_mt is not None or tgt_mt is not None):
        raise InputError("--segment cannot be combined with --src-mt/--tgt-mt: translations must match the sentences line by line")
    refuse_reading_stdin_twice([src_file, tgt_file, src_mt, tgt_mt])
    check_output(output, inputs=[p for p in (src_file, tgt_file, src_mt, tgt_mt) if p is not None])
    src_sentences = _sentences(src_file, src_code, segment=segment)
    tgt_sentences = _sentences(tgt_file, tgt_code, segment=segment)
    src_translation = _optional_lines(src_mt)
    tgt_translation = _optional_lines(tgt_mt)
    # One bar per phase: translating or embedding the sentences (the slow part when it
    # happens), then the dynamic programme.
    store = open_cache(cache, cache_file) if _may_translate(src_code, tgt_code, src_mt, tgt_mt, no_translate) else None
    try:
        with progress_bars("Translating / embedding", "Aligning") as (on_prepare, on_progress):
            beads = align_sentences(
                src_sentences, tgt_sentences, src_lang=src_code, tgt_lang=tgt_code,
                src_mt=src_translation, tgt_mt=tgt_translation, model=model or None,
                translate=not no_translate, embeddings=embeddings, device=device.value,
                backend=backend.value, compute_type=compute_type.value, cache=store,
                on_progress=on_progress, on_prepare_progress=on_prepare,
            )
    finally:
        if store is not None:
            store.close()
    write_beads(
        beads, output if output is not None else "-", format=fmt.value,
        src_sentences=src_sentences, tgt_sentences=tgt_sentences, src_lang=src_code, tgt_lang=tgt_code,
    )


def _may_translate(src: str, tgt: str, src_mt: Optional[Path], tgt_mt: Optional[Path], no_translate: bool) -> bool:
    """Whether the aligner may translate on the fly (only then is a cache opened)."""
    return not no_translate and src_mt is None and tgt_mt is None and src != tgt


@user_errors
def locate_command(
    quote: Annotated[Path, typer.Argument(metavar="QUOTE", help="The quoted passage, one sentence per line.", show_default=False)],
    original: Annotated[Path, typer.Argument(metavar="ORIGINAL", help="The candidate original, one sentence per line.", show_default=False)],
    src: Annotated[str, typer.Option("--src", "-s", metavar="LANG", help="Language of QUOTE.", show_default=False)],
    tgt: Annotated[str, typer.Option("--tgt", "-t", metavar="LANG", help="Language of ORIGINAL.", show_default=False)],
    quote_mt: Annotated[Optional[Path], typer.Option("--quote-mt", metavar="FILE", help="QUOTE translated into ORIGINAL's language, line by line.", show_default=False)] = None,
    orig_mt: Annotated[Optional[Path], typer.Option("--orig-mt", metavar="FILE", help="ORIGINAL translated into QUOTE's language, line by line; used as well when given.", show_default=False)] = None,
    model: Annotated[Optional[list[str]], model_option("Translate QUOTE on the fly with this model when no --quote-mt is given.")] = None,
    no_translate: Annotated[bool, typer.Option("--no-translate", help="Never translate on the fly.")] = False,
    embeddings: Annotated[Optional[str], typer.Option("--embeddings", metavar="MODEL", help="Also compare with this sentence-transformers model.", show_default=False)] = None,
    threshold: Annotated[float, typer.Option(metavar="NUMBER", min=0.0, max=1.0, help="Least margin over chance for a match (0 = like a random sentence, 1 = identical).")] = 0.14,
    max_merge: Annotated[int, typer.Option(metavar="N", min=1, max=5, help="Most consecutive original sentences one quote sentence may match.")] = 5,
    segment: Annotated[bool, typer.Option("--segment", help="Inputs are running text: split them into sentences first (not with --quote-mt/--orig-mt).")] = False,
    fmt: Annotated[MatchFormat, format_option("tsv (with a header) or jsonl, one line per quote sentence; indices 0-based.")] = MatchFormat.tsv,
    output: Annotated[Optional[Path], output_option()] = None,
    device: DeviceOption = Device.auto,
    backend: BackendOption = Backend.auto,
    compute_type: ComputeTypeOption = ComputeType.auto,
    cache: CacheOption = True,
    cache_file: CacheFileOption = None,
) -> None:
    """Find where each sentence of a short quote comes from in a long original.

    Each quote sentence gets the original sentence(s) it matches (up to --max-merge in a row), a score
    (margin over chance: 0 like a random sentence, 1 identical) and found/not found.
    """
    from mt_toolkit.align.locate import LocateOptions, locate_quote
    from mt_toolkit.errors import InputError
    from mt_toolkit.languages import normalize
    from mt_toolkit.text.segment import sentence_joiner
    from mt_toolkit.textio import atomic_write, check_output, refuse_reading_stdin_twice

    quote_code, orig_code = normalize(src), normalize(tgt)
    if segment and (quote_mt is not None or orig_mt is not None):
        raise InputError("--segment cannot be combined with --quote-mt/--orig-mt: translations must match line by line")
    refuse_reading_stdin_twice([quote, original, quote_mt, orig_mt])
    check_output(output, inputs=[p for p in (quote, original, quote_mt, orig_mt) if p is not None])
    quote_sentences = _sentences(quote, quote_code, segment=segment)
    original_sentences = _sentences(original, orig_code, segment=segment)
    store = open_cache(cache, cache_file) if _may_translate(quote_code, orig_code, quote_mt, orig_mt, no_translate) else None
    try:
        with progress_bar("Translating the quote") as on_progress:
            matches = locate_quote(
                quote_sentences, original_sentences, quote_lang=quote_code, orig_lang=orig_code,
                quote_mt=_optional_lines(quote_mt), original_mt=_optional_lines(orig_mt), model=model or None,
                translate=not no_translate, embeddings=embeddings,
                options=LocateOptions(threshold=threshold, max_merge=max_merge), device=device.value,
                backend=backend.value, compute_type=compute_type.value, cache=store, on_progress=on_progress,
            )
    finally:
        if store is not None:
            store.close()
    joiner = sentence_joiner(orig_code)
    with atomic_write(output if output is not None else "-") as out:
        if fmt is MatchFormat.tsv:
            out.write("\t".join(MATCH_FIELDS) + "\n")
        for m in matches:
            quote_text = quote_sentences[m.quote_index]
            original_text = joiner.join(original_sentences[i] for i in m.original_indices)
            if fmt is MatchFormat.tsv:
                cells = [str(m.quote_index), ",".join(map(str, m.original_indices)), f"{m.score:.4f}",
                         "yes" if m.found else "no", quote_text, original_text]
                out.write("\t".join(re.sub(r"[\t\n\r]+", " ", c) for c in cells) + "\n")
            else:
                record = {"quote_index": m.quote_index, "original_indices": list(m.original_indices),
                          "score": m.score, "found": m.found, "quote_text": quote_text,
                          "original_text": original_text}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
