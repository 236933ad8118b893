"""``gkcheck batch``: check a folder of submissions in parallel and hand back a spreadsheet and a page.

Each sub-folder, zip file and loose report in the batch folder is one submission
(:mod:`gkcheck.batch.discover`); zips are unpacked safely (:mod:`gkcheck.batch.zips`); results
are kept in ``results.jsonl`` so a batch resumes and re-checks only what changed
(:mod:`gkcheck.batch.state`); worker processes with deadlines keep one bad file from stopping
the rest (:mod:`gkcheck.batch.runner`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["BatchOptions", "BatchReport", "run_batch"]

if TYPE_CHECKING:
    from gkcheck.batch.runner import BatchOptions, BatchReport, run_batch


def __getattr__(name: str) -> Any:
    """Load the runner on first use: the CLI imports this package just to register itself."""
    if name in __all__:
        from gkcheck.batch import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'gkcheck.batch' has no attribute {name!r}")
