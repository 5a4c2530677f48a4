"""The thread layout: a pure function of the cores, the job size and the user's overrides."""

from __future__ import annotations

import pytest

from mt_toolkit.translate.threads import MAX_PARALLEL_BATCHES, ThreadLayout, available_cores, thread_layout


@pytest.mark.parametrize(
    ("cores", "sentences", "threads", "inter_threads", "device", "expected"),
    [
        (2, None, None, None, "cpu", (2, 1)),  # a corpus on 2 cores: two batches side by side
        (2, 256, None, None, "cpu", (2, 1)),
        (2, 33, None, None, "cpu", (2, 1)),  # two batches of 32
        (2, 32, None, None, "cpu", (1, 2)),  # one batch gets every thread
        (2, 1, None, None, "cpu", (1, 2)),
        (1, 1000, None, None, "cpu", (1, 1)),
        (16, None, None, None, "cpu", (MAX_PARALLEL_BATCHES, 16 // MAX_PARALLEL_BATCHES)),
        (16, 40, None, None, "cpu", (2, 8)),  # two batches share 16 cores
        (8, 1000, 4, None, "cpu", (4, 1)),  # --threads 4
        (2, 1000, 1, None, "cpu", (1, 1)),  # --threads 1
        (2, 10, None, 2, "cpu", (2, 1)),  # --inter-threads wins over the job size
        (4, None, None, 3, "cpu", (3, 1)),
        (2, None, 4, 2, "cpu", (2, 2)),  # --threads 4 --inter-threads 2
        (2, 256, None, None, "cuda", (1, 1)),  # a GPU decodes one batch at a time
        (2, 256, None, 2, "cuda", (2, 1)),
    ],
)
def test_layout_table(cores, sentences, threads, inter_threads, device, expected):
    layout = thread_layout(cores, sentences=sentences, batch_size=32, threads=threads,
                           inter_threads=inter_threads, device=device)
    assert (layout.inter, layout.intra) == expected


def test_layout_never_uses_more_threads_than_asked_unless_inter_threads_says_so():
    for cores in range(1, 33):
        for sentences in (None, 1, 31, 64, 200, 10_000):
            layout = thread_layout(cores, sentences=sentences)
            assert 1 <= layout.threads <= cores
    assert thread_layout(2, inter_threads=4) == ThreadLayout(inter=4, intra=1)


def test_available_cores_is_positive():
    assert available_cores() >= 1
