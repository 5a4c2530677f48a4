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
    CacheFileOption,
    Backend,
    CacheOption,
    ComputeType,
    ComputeTypeOption,
    Device,
    DeviceOption,
    Engine,
    InterThreadsOption,
    MaxLengthOption,
    RevisionOption,
    SrcOption,
    TgtOption,
    ThreadsOption,
    format_option,
    model_option,
    open_cache,
    output_option,
    progress_bar,
    user_errors,
)

# Old spellings still accepted (hidden); `--cache FILE` is recognised by the command class.
ALIASES: dict[str, str] = {}


class OutputFormat(str, Enum):
    txt = "txt"
    jsonl = "jsonl"


@user_errors
def translate_command(
    files: Annotated[Optional[list[Path]], typer.Argument(metavar="FILE", help="Text files, one paragraph per line; none or '-' reads stdin.", show_default=False)] = None,
    *,  # keyword-only from here, so the required --src/--tgt need no default after FILE's
    src: SrcOption,
    tgt: TgtOption,
    model: Annotated[Optional[list[str]], model_option("Hugging Face id or local folder; give two for the two hops of a pivot route. Default: the registry's choice.")] = None,
    revision: RevisionOption = None,
    pivot: Annotated[Optional[str], typer.Option(metavar="LANG", help="Translate through this language (e.g. en), recording both hops. Without it, English is used only when no direct model exists.", show_default=False)] = None,
    beam: BeamOption = 4,
    batch_size: BatchSizeOption = 32,
    max_length: MaxLengthOption = 256,
    device: DeviceOption = Device.auto,
    backend: BackendOption = Backend.auto,
    compute_type: ComputeTypeOption = ComputeType.auto,
    threads: ThreadsOption = None,
    inter_threads: InterThreadsOption = None,
    sentences: Annotated[bool, typer.Option("--sentences", help="Input is already one sentence per line: do not segment.")] = False,
    fmt: Annotated[OutputFormat, format_option("txt: one line per input line; jsonl: also every sentence with its hops.")] = OutputFormat.txt,
    output: Annotated[Optional[Path], output_option("Output file (written atomically); an existing folder when several inputs are given. Default: stdout.")] = None,
    max_batch_tokens: Annotated[Optional[int], typer.Option(metavar="N", min=1, help="Cut batches by padded source tokens instead of --batch-size (e.g. 4096).", show_default=False)] = None,
    field: Annotated[Optional[str], typer.Option(metavar="NAME", help="Corpus jobs: the JSONL key or CSV/TSV column to translate (default: text); other fields are kept, the translation goes in <field>_<tgt>.", show_default=False)] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Corpus jobs: continue an interrupted job from its OUTPUT.partial and OUTPUT.checkpoint.")] = False,
    chunk_size: Annotated[int, typer.Option(metavar="N", min=1, help="Corpus jobs: records read, translated and committed at a time.")] = 1000,
    engine: Annotated[Engine, typer.Option(help="Corpus jobs: local, or ray (Ray Data; RAY_ADDRESS picks a cluster).")] = Engine.local,
    ray_actors: Annotated[int, typer.Option(metavar="N", min=1, help="--engine ray: model replicas (actors).")] = 1,
    ray_gpus: Annotated[float, typer.Option(metavar="NUMBER", min=0, help="--engine ray: GPUs per actor (1 = one model per GPU).")] = 0.0,
    cache: CacheOption = True,
    cache_file: CacheFileOption = None,
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
    from mt_toolkit.textio import check_output, read_text, refuse_reading_stdin_twice
    from mt_toolkit.translate.base import DecodingOptions

    src_code, tgt_code = normalize(src), normalize(tgt)
    pivot_code = normalize(pivot) if pivot else None
    inputs = list(files or [Path("-")])
    refuse_reading_stdin_twice(inputs)
    options = DecodingOptions(beam_size=beam, max_length=max_length, batch_size=batch_size, max_batch_tokens=max_batch_tokens)

    from mt_toolkit.cli import _corpus

    if _corpus.wants_corpus_job(inputs, field=field, resume=resume, engine=engine.value):
        return _corpus.run_corpus_command(
            inputs, output=output, src_lang=src_code, tgt_lang=tgt_code, models=model or [], revision=revision,
            pivot=pivot_code, options=options, device=device.value, backend=backend.value,
            compute_type=compute_type.value, field=field, segment=not sentences, chunk_size=chunk_size,
            resume=resume, engine=engine.value, ray_actors=ray_actors, ray_gpus=ray_gpus,
            cache=(cache_file or "default") if cache else None,
            threads=threads, inter_threads=inter_threads,
        )
    if len(inputs) > 1 and output is not None and not output.is_dir():
        raise InputError(f"{len(inputs)} inputs need --output to be an existing folder, not {output}")
    targets = [_target(path, output, tgt_code, fmt) for path in inputs]
    for path, target in zip(inputs, targets):  # bad paths and input fail before any model loads
        if target is not None and targets.count(target) > 1:
            raise InputError(f"two inputs named {path.name} would both be written to {target}; translate them separately")
        check_output(target, inputs=inputs)
    texts = [read_text(path, allow_blank=True) for path in inputs]

    from mt_toolkit.translate.engine import TranslatorPool, translate_document_on_route
    from mt_toolkit.translate.routing import plan_route

    route = plan_route(
        src_code, tgt_code, models=model or [], revision=revision,
        pivot=pivot_code or "en", force_pivot=pivot_code is not None,
    )
    pool = TranslatorPool(device=device.value, backend=backend.value, compute_type=compute_type.value,
                          threads=threads, inter_threads=inter_threads)
    store = open_cache(cache, cache_file)
    try:
        for path, text, target in zip(inputs, texts, targets):
            with progress_bar(f"Translating {path.name if str(path) != '-' else 'stdin'}") as on_progress:
                doc = translate_document_on_route(
                    text, route, pool=pool, options=options, segment=not sentences, cache=store,
                    on_progress=on_progress,
                )
            _write(doc, target, fmt)
    finally:
        if store is not None:
            store.close()


def _target(path: Path, output: Optional[Path], tgt: str, fmt: OutputFormat) -> Optional[Path]:
    """Where the translation of ``path`` goes: ``output``, or ``output/STEM.TGT.FORMAT`` for a folder."""
    if output is not None and output.is_dir():
        stem = path.stem if str(path) != "-" else "stdin"
        return output / f"{stem}.{tgt}.{fmt.value}"
    return output


def _write(doc, target: Optional[Path], fmt: OutputFormat) -> None:
    """One output line per input line (txt), or one JSON record per input line (jsonl)."""
    from mt_toolkit.textio import atomic_write

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
