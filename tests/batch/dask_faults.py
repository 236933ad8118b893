"""A task function for checks on a Dask cluster that takes its Dask worker down on request.

Used through ``BatchOptions(checker="batch.dask_faults:check")``: a submission whose name
contains ``KILLWORKER`` kills the Dask worker process that runs it (the checking process's
parent), as a lost machine would; everything else behaves as in :mod:`batch.faults`.
"""

from __future__ import annotations

import os
import signal

from batch.faults import check as check_or_misbehave
from gkcheck.batch.worker import Checker, Task, TaskOutcome


def check(checker: Checker, task: Task) -> TaskOutcome:
    """Kill the Dask worker for the marked submissions; otherwise as :func:`batch.faults.check`."""
    if "KILLWORKER" in task.key:
        os.kill(os.getppid(), signal.SIGKILL)
        os._exit(71)
    return check_or_misbehave(checker, task)
