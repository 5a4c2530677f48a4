"""The corpus-job half of `mt-toolkit translate`: JSONL/CSV/TSV/folders, --resume, --engine ray.

Kept apart from `cli/translate.py` (plain text to stdout or a file) so each stays readable; both
are thin: this one parses nothing itself and only calls `mt_toolkit.jobs`.
"""

from __future__ import annotations

import functools
from pathlib import Path

import typer

from mt_toolkit.cli._common import progress_bar
from mt_toolkit.corpus import FORMATS
from mt_toolkit.errors import InputError
from mt_toolkit.translate.base import DecodingOptions

ENGINES = ("local", "ray")


def wants_corpus_job(inputs: list[Path], *, field: str | None, resume: bool, engine: str) -> bool:
    """A corpus job when the input is structured (JSONL/CSV/TSV), a folder, or job options are used."""
    structured = any(p.is_dir() or (p.suffix.lower() in FORMATS and p.suffix.lower() != ".txt") for p in inputs)
    return structured or field is not None or resume or engine != "local"


def run_corpus_command(
    inputs: list[Path],
    *,
    output: Path | None,
    src_lang: str,
    tgt_lang: str,
    models: list[str],
    revision: str | None,
    pivot: str | None,
    options: DecodingOptions,
    device: str,
    backend: str,
    compute_type: str,
    field: str | None,
    segment: bool,
    chunk_size: int,
    resume: bool,
    engine: str,
    ray_actors: int,
    ray_gpus: float,
    cache: Path | str | None,
    threads: int | None = None,
    inter_threads: int | None = None,
) -> None:
    """Run a (resumable) corpus job for ``inputs[0]`` into ``output`` and report one line per file.

    ``cache`` is a translation cache file, "default" for the user's, or None for none.
    """
    from mt_toolkit.jobs import EngineSettings, plan_corpus_jobs, run_corpus_job

    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; use local or ray")
    if len(inputs) != 1 or str(inputs[0]) == "-":
        raise InputError("a corpus job takes one input file or folder (not stdin); give it with -o OUTPUT")
    if output is None:
        raise InputError("a corpus job writes a file (or folder) it can resume: add -o OUTPUT")
    jobs = plan_corpus_jobs(inputs[0], output, src_lang=src_lang, tgt_lang=tgt_lang, field=field,
                            segment=segment, chunk_size=chunk_size)  # paths checked before a model loads
    settings = EngineSettings(
        src_lang=src_lang, tgt_lang=tgt_lang, models=tuple(models), revision=revision,
        pivot=pivot or "en", force_pivot=pivot is not None, options=options, device=device,
        backend=backend, compute_type=compute_type, cache_path=_cache_path(cache),
        threads=threads, inter_threads=inter_threads,
    )
    with progress_bar(f"Translating {inputs[0].name}") as on_progress:
        if engine == "ray":
            from mt_toolkit.jobs import run_corpus_job_ray

            run = functools.partial(run_corpus_job_ray, settings=settings, resume=resume, actors=ray_actors,
                                    num_gpus=ray_gpus, on_progress=on_progress)
        else:
            run = functools.partial(run_corpus_job, translate=settings.build(), translator=settings.describe(),
                                    resume=resume, on_progress=on_progress)
        results = [run(job) for job in jobs]
    for result in results:
        resumed = f" (resumed after {result.resumed_from})" if result.resumed_from else ""
        typer.echo(f"{result.output}: {result.records} records{resumed}", err=True)


def _cache_path(cache: Path | str | None) -> str | None:
    """None: no cache; "default": the user's cache file; else the given file."""
    if cache is None:
        return None
    if cache == "default":
        from mt_toolkit.translate.cache import default_cache_path

        return str(default_cache_path())
    return str(cache)
