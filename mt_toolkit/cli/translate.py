"""`mt-toolkit translate`: translate text files or standard input, hop records optional."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from mt_toolkit.cli._common import (
    BackendOption,
    BatchSizeOption,
    BeamOption,
    ComputeTypeOption,
    DeviceOption,
    InterThreadsOption,
    MaxLengthOption,
    ThreadsOption,
    progress_bar,
    user_errors,
)


class OutputFormat(str, Enum):
    txt = "txt"
    jsonl = "jsonl"


@user_errors
def translate_command(
    files: Annotated[Optional[list[Path]], typer.Argument(help="Text files, one paragraph per line; none or '-' reads stdin.")] = None,
    src: Annotated[str, typer.Option("--src", "-s", help="Source language (id, ind, ind_Latn, Indonesian ...).")] = ...,
    tgt: Annotated[str, typer.Option("--tgt", "-t", help="Target language.")] = ...,
    model: Annotated[Optional[list[str]], typer.Option("--model", "-m", help="Hugging Face id or local folder; give two for the two hops of a pivot route. Default: the registry's choice.")] = None,
    revision: Annotated[Optional[str], typer.Option(help="Model revision (branch, tag or commit) to pin.")] = None,
    pivot: Annotated[Optional[str], typer.Option(help="Translate through this language (e.g. en), recording both hops. Without it, English is used only when no direct model exists.")] = None,
    beam: BeamOption = 4,
    batch_size: BatchSizeOption = 32,
    max_length: MaxLengthOption = 256,
    device: DeviceOption = "auto",
    backend: BackendOption = "auto",
    compute_type: ComputeTypeOption = "auto",
    threads: ThreadsOption = None,
    inter_threads: InterThreadsOption = None,
    sentences: Annotated[bool, typer.Option("--sentences", help="Input is already one sentence per line: do not segment.")] = False,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="txt: one line per input line; jsonl: also every sentence with its hops.")] = OutputFormat.txt,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file (written atomically); a folder when several inputs are given. Default: stdout.")] = None,
    max_batch_tokens: Annotated[Optional[int], typer.Option(min=1, help="Cut batches by padded source tokens instead of --batch-size (e.g. 4096).")] = None,
    field: Annotated[Optional[str], typer.Option(help="Corpus jobs: the JSONL key or CSV/TSV column to translate (default: text); other fields are kept, the translation goes in <field>_<tgt>.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Corpus jobs: continue an interrupted job from its OUTPUT.partial and OUTPUT.checkpoint.")] = False,
    chunk_size: Annotated[int, typer.Option(min=1, help="Corpus jobs: records read, translated and committed at a time.")] = 1000,
    engine: Annotated[str, typer.Option(help="Corpus jobs: local, or ray (Ray Data; RAY_ADDRESS picks a cluster).")] = "local",
    ray_actors: Annotated[int, typer.Option(min=1, help="--engine ray: model replicas (actors).")] = 1,
    ray_gpus: Annotated[float, typer.Option(min=0, help="--engine ray: GPUs per actor (1 = one model per GPU).")] = 0.0,
    cache: Annotated[Optional[Path], typer.Option(help="Corpus jobs: translation cache file. Default: $MT_TOOLKIT_CACHE_DIR or ~/.cache/mt-toolkit/translations.sqlite3.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Corpus jobs: translate everything afresh and store nothing.")] = False,
) -> None:
    """Translate text, directly or through a pivot language, keeping paragraphs and blank lines.

    Each input line is a paragraph: it is split into sentences, translated in length-sorted
    batches, and put back together as one output line.

    JSONL, CSV and TSV files, folders of corpus files, and any input with --resume, --field or
    --engine ray run as a corpus job: streamed in chunks, committed to OUTPUT.partial with a
    checkpoint, resumable after a crash with --resume, every other field kept.
    """
    from mt_toolkit.errors import InputError
    from mt_toolkit.languages import normalize
    from mt_toolkit.textio import atomic_write, read_text
    from mt_toolkit.translate.base import DecodingOptions

    src_code, tgt_code = normalize(src), normalize(tgt)
    pivot_code = normalize(pivot) if pivot else None
    inputs = list(files or [Path("-")])
    options = DecodingOptions(beam_size=beam, max_length=max_length, batch_size=batch_size, max_batch_tokens=max_batch_tokens)

    from mt_toolkit.cli import _corpus

    if _corpus.wants_corpus_job(inputs, field=field, resume=resume, engine=engine):
        return _corpus.run_corpus_command(
            inputs, output=output, src_lang=src_code, tgt_lang=tgt_code, models=model or [], revision=revision,
            pivot=pivot_code, options=options, device=device, backend=backend, compute_type=compute_type,
            field=field, segment=not sentences, chunk_size=chunk_size, resume=resume, engine=engine,
            ray_actors=ray_actors, ray_gpus=ray_gpus, cache=None if no_cache else cache or "default",
            threads=threads, inter_threads=inter_threads,
        )
    if len(inputs) > 1 and output is not None and not output.is_dir():
        raise InputError(f"{len(inputs)} inputs need --output to be an existing folder, not {output}")
    texts = [read_text(path) for path in inputs]  # bad input fails before any model loads

    from mt_toolkit.translate.engine import TranslatorPool, translate_document_on_route
    from mt_toolkit.translate.routing import plan_route

    route = plan_route(
        src_code, tgt_code, models=model or [], revision=revision,
        pivot=pivot_code or "en", force_pivot=pivot_code is not None,
    )
    pool = TranslatorPool(device=device, backend=backend, compute_type=compute_type,
                          threads=threads, inter_threads=inter_threads)
    for path, text in zip(inputs, texts):
        with progress_bar(f"Translating {path.name if str(path) != '-' else 'stdin'}") as on_progress:
            doc = translate_document_on_route(
                text, route, pool=pool, options=options, segment=not sentences, on_progress=on_progress
            )
        target = output
        if output is not None and output.is_dir():
            target = output / f"{path.stem}.{tgt_code}.{fmt.value}"
        with atomic_write(target if target is not None else "-") as out:
            if fmt is OutputFormat.txt:
                for line in doc.lines:
                    out.write(line + "\n")
            else:
                from mt_toolkit.translate.records import translation_record

                for i, (src_line, line, translations) in enumerate(zip(doc.source_lines, doc.lines, doc.sentences)):
                    record = {
                        "line": i, "source": src_line, "translation": line,
                        "sentences": [translation_record(t) for t in translations],
                    }
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
