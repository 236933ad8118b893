"""Workers keep to their share of the cores (``--jobs N`` uses at most N cores)."""

from __future__ import annotations

import multiprocessing

import pytest

from gkcheck.batch.runner import threads_per_worker


@pytest.mark.parametrize(
    ("jobs", "tasks", "cores", "want"),
    [
        (1, 200, 2, 1),  # one job: one core, even with a second one idle
        (2, 200, 2, 1),
        (2, 1, 2, 2),  # a single submission may use both cores
        (4, 200, 2, 1),  # more jobs than cores: never below one thread
        (2, 200, 8, 1),
        (8, 2, 8, 4),
    ],
)
def test_threads_per_worker(jobs: int, tasks: int, cores: int, want: int) -> None:
    assert threads_per_worker(jobs, tasks, cores) == want


def _child(q: multiprocessing.Queue[tuple[int, int]]) -> None:
    import cv2

    from gkcheck.batch.worker import _limit_threads
    from gkcheck.vision import ocr

    _limit_threads(1)
    q.put((cv2.getNumThreads(), ocr._THREADS))


def test_limit_threads_reaches_opencv_and_ocr() -> None:
    # in a child process: the limits are process-wide and must not leak into other tests
    ctx = multiprocessing.get_context("spawn")
    q: multiprocessing.Queue[tuple[int, int]] = ctx.Queue()
    p = ctx.Process(target=_child, args=(q,))
    p.start()
    got = q.get(timeout=60)
    p.join(timeout=60)
    assert got == (1, 1)
