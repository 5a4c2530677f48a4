"""Running a corpus job in this process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from mt_toolkit.corpus import corpus_files, count_lines, detect_format, header_line, read_records
from mt_toolkit.corpus.readers import Record, read_header
from mt_toolkit.errors import InputError
from mt_toolkit.jobs.checkpoint import ResumableOutput
from mt_toolkit.jobs.chunks import CorpusJob, JobResult, SegmentTranslator, SentenceMemo, translate_records
from mt_toolkit.textio import check_output

ProgressCallback = Callable[[int, int], None]


def read_chunks(job: CorpusJob, *, start_offset: int, start_index: int) -> Iterator[list[Record]]:
    """The job's remaining records, ``chunk_size`` at a time (never more in memory)."""
    chunk: list[Record] = []
    for record in read_records(job.input, fmt=job.fmt, field=job.field, start_offset=start_offset, start_index=start_index):
        chunk.append(record)
        if len(chunk) >= job.chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def output_header(job: CorpusJob) -> str:
    """What a fresh output starts with: the header row for CSV/TSV, nothing otherwise."""
    if job.fmt not in ("csv", "tsv"):
        return ""
    columns, _ = read_header(job.input, fmt=job.fmt)
    return header_line(columns, fmt=job.fmt, field=job.field, tgt_lang=job.tgt_lang)


def run_corpus_job(
    job: CorpusJob,
    *,
    translate: SegmentTranslator,
    translator: dict,
    resume: bool = False,
    on_progress: ProgressCallback | None = None,
) -> JobResult:
    """Translate one corpus file, committing chunk by chunk (see `mt_toolkit.jobs`).

    Args:
        job: input, output, languages, field, chunk size.
        translate: translates distinct sentences (e.g. `translate_sentences` bound to a model).
        translator: a description of the model and decoding options; part of the checkpoint, so
            a resume with another model is refused.
        resume: continue an interrupted run of the same job.
        on_progress: called with (records done, approximate records in total).

    Returns:
        The output path and how many records it holds.

    Raises:
        InputError: bad input, or an interrupted run's leftovers without ``resume``.
    """
    if Path(job.output).resolve() == Path(job.input).resolve():
        raise InputError(f"{job.output} is also the input; choose another output path")
    out = ResumableOutput(job.output, fingerprint=job.fingerprint(translator), resume=resume)
    state = out.open()
    resumed_from = state.records
    if state.finished:
        return JobResult(Path(job.output), state.records, resumed_from)
    total = count_lines(job.input) - (1 if job.fmt in ("csv", "tsv") else 0)
    memo = SentenceMemo()
    try:
        header = output_header(job) if state.output_offset == 0 else ""
        for chunk in read_chunks(job, start_offset=state.input_offset, start_index=state.records):
            text = header + translate_records(chunk, job=job, translate=translate, memo=memo)
            header = ""
            state = out.commit(text.encode("utf-8"), records=len(chunk), input_offset=chunk[-1].end_offset)
            if on_progress is not None:
                on_progress(state.records, max(total, state.records))
        if header:  # a CSV/TSV with a header and no rows
            state = out.commit(header.encode("utf-8"), records=0, input_offset=state.input_offset)
        out.finish()
    finally:
        out.close()
    return JobResult(Path(job.output), state.records, resumed_from)


def run_corpus_jobs(
    input: str | Path,
    output: str | Path,
    *,
    run: Callable[[CorpusJob], JobResult],
    src_lang: str,
    tgt_lang: str,
    field: str | None = None,
    fmt: str | None = None,
    segment: bool = True,
    chunk_size: int = 1000,
) -> list[JobResult]:
    """Translate a corpus file, or every corpus file of a folder into the same layout under ``output``.

    Args:
        input: a file, or a folder of .txt/.jsonl/.csv/.tsv files (searched recursively).
        output: the output file, or folder for a folder input.
        run: runs one job: `run_corpus_job` or `run_corpus_job_ray` with its options bound
            (``functools.partial``).
        Other arguments as for `CorpusJob`.

    Returns:
        One result per file, in input order.

    Raises:
        The errors of `plan_corpus_jobs`, then those of ``run``.
    """
    jobs = plan_corpus_jobs(input, output, src_lang=src_lang, tgt_lang=tgt_lang, field=field, fmt=fmt,
                            segment=segment, chunk_size=chunk_size)
    return [run(job) for job in jobs]


def plan_corpus_jobs(
    input: str | Path,
    output: str | Path,
    *,
    src_lang: str,
    tgt_lang: str,
    field: str | None = None,
    fmt: str | None = None,
    segment: bool = True,
    chunk_size: int = 1000,
) -> list[CorpusJob]:
    """The jobs `run_corpus_jobs` would run, with every input and output checked (nothing loaded).

    Call it before loading a model, so a wrong path fails in a second rather than after the load.

    Raises:
        InputError: a missing input, a folder input with a file output, a file input with a folder
            output, an output naming the input or one that cannot be written, unknown formats.
    """
    source = Path(input)
    if not source.exists():
        raise InputError(f"{input}: no such file or folder")
    if source.is_dir():
        if Path(output).exists() and not Path(output).is_dir():
            raise InputError(f"{output} is a file; a folder input needs an output folder")
        check_output(output, folder=True)
        if Path(output).resolve().is_relative_to(source.resolve()):
            raise InputError(
                f"the output folder {output} is inside the input folder {input}; its translations would "
                "be read as input by the next run: choose a folder outside it"
            )
        pairs = [(f, Path(output) / f.relative_to(source)) for f in corpus_files(source)]
    else:
        check_output(output, inputs=[source])
        pairs = [(source, Path(output))]
    return [
        CorpusJob(input=str(path), output=str(out), fmt=detect_format(path, fmt=fmt), src_lang=src_lang,
                  tgt_lang=tgt_lang, field=field, segment=segment, chunk_size=chunk_size)
        for path, out in pairs
    ]
