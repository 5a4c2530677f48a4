"""Running a corpus job on Ray Data: the same input, output and checkpoints, many model replicas.

The driver splits the remaining input into chunks (byte ranges, found by one streaming pass) and
hands Ray Data a dataset of chunk descriptors. ``map_batches`` with an actor pool runs
`_ChunkWorker` actors, each loading the models once (one per actor, or per GPU with
``num_gpus=1``), reading its chunk's byte range and returning the chunk's rendered output. The
driver receives the outputs in input order and commits them exactly as the local runner does, so
a killed Ray job resumes with ``resume=True`` like any other. The input must be readable at the
same path on every node (a shared file system), as for any Ray Data file source.

Connect to an existing cluster by setting ``RAY_ADDRESS`` (``ray.init`` reads it); without it a
local Ray instance is started.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from mt_toolkit.corpus import count_lines, read_records
from mt_toolkit.errors import InputError, missing_extra
from mt_toolkit.jobs.checkpoint import ResumableOutput
from mt_toolkit.jobs.chunks import CorpusJob, JobResult, SentenceMemo, translate_records
from mt_toolkit.jobs.local import output_header
from mt_toolkit.jobs.translator import EngineSettings

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class ChunkSpan:
    """A run of input records: where it starts and ends in the file."""

    number: int
    first_record: int
    start_offset: int
    end_offset: int
    records: int


def chunk_spans(job: CorpusJob, *, start_offset: int, start_index: int) -> Iterator[ChunkSpan]:
    """Split the rest of the input into spans of ``chunk_size`` records (one streaming pass)."""
    number, first, start, count, end = 0, start_index, start_offset, 0, start_offset
    for record in read_records(job.input, fmt=job.fmt, field=job.field, start_offset=start_offset, start_index=start_index):
        count += 1
        end = record.end_offset
        if count == job.chunk_size:
            yield ChunkSpan(number, first, start, end, count)
            number, first, start, count = number + 1, first + count, end, 0
    if count:
        yield ChunkSpan(number, first, start, end, count)


# Where models, converted models and the user's registry live, and whether the hub may be used:
# actors must see what the driver sees, not whatever environment their node's Ray was started in.
FORWARDED_VARIABLES = (
    "HF_HOME", "HF_HUB_CACHE", "HF_HUB_OFFLINE", "MT_TOOLKIT_CACHE_DIR", "MT_TOOLKIT_CONFIG",
    "XDG_CACHE_HOME", "XDG_CONFIG_HOME",  # mt_toolkit.paths falls back on these
)


def _forwarded_environment() -> dict[str, str]:
    import os

    return {name: os.environ[name] for name in FORWARDED_VARIABLES if name in os.environ}


class _ChunkWorker:
    """A Ray Data actor: loads the models once, then translates one chunk per call."""

    def __init__(self, job: CorpusJob, settings: EngineSettings) -> None:
        self.job = job
        self.translate = settings.build()
        self.memo = SentenceMemo()

    def __call__(self, batch: dict) -> dict:
        outputs = []
        for first, start, count in zip(batch["first_record"], batch["start_offset"], batch["records"]):
            records = list(read_records(self.job.input, fmt=self.job.fmt, field=self.job.field,
                                        start_offset=int(start), start_index=int(first), limit=int(count)))
            outputs.append(translate_records(records, job=self.job, translate=self.translate, memo=self.memo))
        return {"number": batch["number"], "output": outputs}


# Ray's own chatter on a successful job: INFO lines from ray.init and Ray Data's executor, a
# progress report every 10 s when stderr is not a terminal, and an error-level C++ line about actor
# constructor arguments. Quiet by default; a user who wants them sets MT_TOOLKIT_RAY_VERBOSE=1
# (or RAY_BACKEND_LOG_LEVEL themselves, which wins).
VERBOSE_ENV = "MT_TOOLKIT_RAY_VERBOSE"


def _init_ray_quietly(ray) -> None:
    """`ray.init` for a job (``RAY_ADDRESS`` selects a cluster), quiet unless asked otherwise."""
    import logging

    if os.environ.get(VERBOSE_ENV, "") not in ("", "0"):
        ray.init(include_dashboard=False, log_to_driver=True)
        return
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")  # read by the driver's core worker at init
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # The core worker still announces the level it read ("Set ray log level ...") on file
    # descriptor 2 during init; hold what init writes there and show it only if init fails.
    with _stderr_held():
        ray.init(include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)  # ray.init installs its own level


@contextlib.contextmanager
def _stderr_held():
    """Send file descriptor 2 to a temporary file; replay it to stderr if the block raises."""
    import sys
    import tempfile

    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            held.seek(0)
            os.write(2, held.read())
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def run_corpus_job_ray(
    job: CorpusJob,
    *,
    settings: EngineSettings,
    resume: bool = False,
    actors: int = 1,
    num_cpus: float = 1.0,
    num_gpus: float = 0.0,
    on_progress: ProgressCallback | None = None,
) -> JobResult:
    """Translate one corpus file on Ray Data; same output and checkpoints as `run_corpus_job`.

    Args:
        job: input, output, languages, field, chunk size.
        settings: how to translate; each actor builds its own translator from it.
        resume: continue an interrupted run of the same job (local or Ray).
        actors: model replicas (Ray Data actor pool size).
        num_cpus / num_gpus: resources per actor (``num_gpus=1``: one model per GPU).
        on_progress: called with (records done, approximate records in total).

    Raises:
        BackendUnavailable: ray is not installed.
        InputError: bad input, or an interrupted run's leftovers without ``resume``.
    """
    try:
        import ray
        import ray.data
    except ImportError:
        raise missing_extra("ray", "ray") from None
    if Path(job.output).resolve() == Path(job.input).resolve():
        raise InputError(f"{job.output} is also the input; choose another output path")
    if settings.threads is None:  # each actor's share of the node, not every core of it
        settings = replace(settings, threads=max(1, int(num_cpus)))
    out = ResumableOutput(job.output, fingerprint=job.fingerprint(settings.describe()), resume=resume)
    state = out.open()
    resumed_from = state.records
    if state.finished:
        return JobResult(Path(job.output), state.records, resumed_from)
    try:
        total = count_lines(job.input) - (1 if job.fmt in ("csv", "tsv") else 0)
        spans = list(chunk_spans(job, start_offset=state.input_offset, start_index=state.records))
        header = output_header(job) if state.output_offset == 0 else ""
        if spans:
            if not ray.is_initialized():
                _init_ray_quietly(ray)
            context = ray.data.DataContext.get_current()
            context.enable_progress_bars = False  # our own progress callback reports; no log spam
            keep_order = context.execution_options.preserve_order
            context.execution_options.preserve_order = True
            try:
                dataset = ray.data.from_items([asdict(span) for span in spans]).map_batches(
                    _ChunkWorker, batch_size=1, compute=ray.data.ActorPoolStrategy(size=actors),
                    num_cpus=num_cpus, num_gpus=num_gpus,
                    fn_constructor_kwargs={"job": job, "settings": settings},
                    runtime_env={"env_vars": _forwarded_environment()},
                )
                by_number = {span.number: span for span in spans}
                waiting: dict[int, str] = {}
                next_number = 0
                for row in dataset.iter_rows():
                    waiting[int(row["number"])] = row["output"]
                    while next_number in waiting:  # commit strictly in input order
                        span = by_number[next_number]
                        text = header + waiting.pop(next_number)
                        header = ""
                        state = out.commit(text.encode("utf-8"), records=span.records, input_offset=span.end_offset)
                        next_number += 1
                        if on_progress is not None:
                            on_progress(state.records, max(total, state.records))
            finally:
                context.execution_options.preserve_order = keep_order
            if next_number != len(spans):
                raise RuntimeError(f"Ray returned {next_number} of {len(spans)} chunks")
        if header:
            state = out.commit(header.encode("utf-8"), records=0, input_offset=state.input_offset)
        out.finish()
    finally:
        out.close()
    return JobResult(Path(job.output), state.records, resumed_from)
