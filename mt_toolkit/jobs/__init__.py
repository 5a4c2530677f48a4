"""Corpus translation jobs: streamed in chunks, checkpointed, resumable, local or on Ray.

    from mt_toolkit.jobs import CorpusJob, run_corpus_job, run_corpus_job_ray

A job reads its input in chunks of ``chunk_size`` records, translates each chunk's distinct
sentences once, appends the chunk's output to ``OUT.partial`` (fsync) and then records the new
input/output offsets in ``OUT.checkpoint`` (written atomically). Killed at any moment, SIGKILL
included, the job resumes (``resume=True``) by truncating ``OUT.partial`` to the last committed
offset and reading on from the matching input offset; at the end ``OUT.partial`` is renamed to
``OUT``. So every input record appears in the output exactly once, in input order.
"""

from mt_toolkit.jobs.checkpoint import Checkpoint, ResumableOutput
from mt_toolkit.jobs.chunks import CorpusJob, JobResult, SegmentTranslator, translate_records
from mt_toolkit.jobs.local import plan_corpus_jobs, run_corpus_job, run_corpus_jobs
from mt_toolkit.jobs.translator import EngineSettings

__all__ = [
    "Checkpoint", "CorpusJob", "EngineSettings", "JobResult", "ResumableOutput", "SegmentTranslator",
    "plan_corpus_jobs", "run_corpus_job", "run_corpus_job_ray", "run_corpus_jobs", "translate_records",
]


def __getattr__(name: str):
    # the Ray runner is imported on first use only: `import mt_toolkit.jobs` must not touch ray
    if name == "run_corpus_job_ray":
        from mt_toolkit.jobs.ray import run_corpus_job_ray

        return run_corpus_job_ray
    raise AttributeError(name)
