"""How many batches to translate at once, and with how many CPU threads each.

Beam search on a CPU spends much of each step in small matrix products (a few hundred rows) and in
work that does not split across threads at all (beam bookkeeping, top-k, the softmax of one row),
so one batch on two threads keeps the second core idle much of the time. Two batches decoded side
by side, one thread each, keep both busy: on this project's 2-core machine CTranslate2 ran an
OPUS-MT-sized model 1.58x faster with ``inter_threads=2, intra_threads=1`` than with ``1/2``
(length-sorted batches, beam 4; see ``eval/results/bench_translate.md``). A job of one batch
cannot be split that way, so it gets every thread; a GPU decodes one batch at a time.

`thread_layout` is a pure function of the core count and the job size, so the choice is tested
by table and can be overridden (``--threads``, ``--inter-threads``).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

# Parallel batches each hold their own decoding state (beams, attention caches) on top of the
# shared model; beyond four, memory grows while the per-batch matrices are already small. Not
# measured above 2 cores: with more cores, each of the four batches gets several threads.
MAX_PARALLEL_BATCHES = 4


@dataclass(frozen=True)
class ThreadLayout:
    """Batches decoded at once (``inter``) and threads per batch (``intra``)."""

    inter: int
    intra: int

    @property
    def threads(self) -> int:
        return self.inter * self.intra


def available_cores() -> int:
    """CPU cores this process may run on (its affinity mask, e.g. under taskset or a container)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def thread_layout(
    cores: int,
    *,
    sentences: int | None = None,
    batch_size: int = 32,
    threads: int | None = None,
    inter_threads: int | None = None,
    device: str = "cpu",
) -> ThreadLayout:
    """The thread layout for a job.

    Args:
        cores: CPU cores available (see `available_cores`).
        sentences: sentences in the job, or None for a long or open-ended job (a corpus).
        batch_size: sentences per batch, to tell a one-batch job from a longer one.
        threads: total CPU threads to use (default: ``cores``).
        inter_threads: batches decoded at once (default: one per thread, up to
            `MAX_PARALLEL_BATCHES` and the job's batch count); the threads are shared among them.
        device: on anything but ``cpu`` one batch runs at a time unless ``inter_threads`` says more.

    Returns:
        ``inter`` x ``intra`` never exceeds ``threads`` unless ``inter_threads`` alone exceeds it.
    """
    total = max(1, threads or cores)
    if device != "cpu":
        return ThreadLayout(inter=max(1, inter_threads or 1), intra=1)
    if inter_threads:
        inter = max(1, inter_threads)
    else:
        batches = math.ceil(sentences / max(batch_size, 1)) if sentences is not None else total
        inter = max(1, min(total, MAX_PARALLEL_BATCHES, batches))
    return ThreadLayout(inter=inter, intra=max(1, total // inter))
