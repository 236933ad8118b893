"""A worker job function for the serve tests: hangs or dies on request, checks the rest.

Used through ``Settings(runner="tests.serve.faults:run")``: a request with an input whose
name contains ``HANG`` sleeps past any time limit; one with ``CRASH`` kills its worker
process outright (as a segfault in a C library would); everything else is checked normally.
"""

from __future__ import annotations

import os
import time
from typing import Any

from gkcheck.serve.work import Job, WorkerConfig, run_job


def run(job: Job, wc: WorkerConfig) -> dict[str, Any]:
    """Misbehave for the marked inputs, check the rest."""
    shown = " ".join(name for _, name in job.inputs)
    if "HANG" in shown:
        time.sleep(3600)
    if "CRASH" in shown:
        os._exit(70)
    return run_job(job, wc)
