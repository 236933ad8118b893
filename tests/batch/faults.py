"""A task function for the batch's worker processes that hangs or dies on request.

Used through ``BatchOptions(checker="batch.faults:check")``: a submission whose name contains
``HANG`` sleeps past any deadline, one containing ``CRASH`` kills its worker process outright
(as a segfault in a C library would), one containing ``RAISE`` raises; every other submission
is checked normally.
"""

from __future__ import annotations

import os
import time

from gkcheck.batch.worker import Checker, Task, TaskOutcome, check_task


def check(checker: Checker, task: Task) -> TaskOutcome:
    """Misbehave for the marked submissions, check the rest."""
    if "HANG" in task.key:
        time.sleep(3600)
    if "CRASH" in task.key:
        os._exit(70)
    if "RAISE" in task.key:
        raise RuntimeError("boom")
    return check_task(checker, task)
