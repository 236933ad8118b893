"""One submission, established once before any rule runs.

A unit sends, per activity, a folder or a zip: the news report, photos, maybe a video, the
activity plan (方案), the summary report (情况报告) and ``submission.toml``. This package answers
every question about *what was sent* exactly once — which file is the news report, the plan,
the summary (:mod:`.files`); who sent it, when the activity was held and which planned
activity it is (:mod:`.facts`); which photos show the LOGO and what the banner says
(:mod:`.evidence`) — and every check, command, writer and the API reads those same answers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gkcheck.submission.files import (
        CONFIG_FILE_NAMES,
        IGNORED_NAMES,
        MANIFEST,
        PHOTO_SUFFIXES,
        VIDEO_SUFFIXES,
        Entry,
        SubmissionFiles,
        sort_files,
    )

__all__ = [
    "CONFIG_FILE_NAMES",
    "IGNORED_NAMES",
    "MANIFEST",
    "PHOTO_SUFFIXES",
    "VIDEO_SUFFIXES",
    "Entry",
    "SubmissionFiles",
    "sort_files",
]


def __getattr__(name: str) -> Any:
    """The names above, imported from :mod:`.files` when first asked for: ``gkcheck logo``
    imports :mod:`.evidence` alone, and :mod:`.files` brings the structure analysis with it
    (its patterns took 57 ms to compile, a quarter of a one-photo run's imports)."""
    if name in __all__:
        return getattr(importlib.import_module("gkcheck.submission.files"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
