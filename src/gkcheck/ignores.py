"""Per-file ignores (``[rules.per-file-ignores]``), as ruff has them: a glob, and rules.

::

    [rules.per-file-ignores]
    "*/现场照片*.jpg" = ["GK203"]       # unreadable loose photos: known, handled by hand
    "**/情况报告.docx" = ["GK5"]

A glob (:mod:`fnmatch`: ``*`` also crosses ``/``) is matched against the finding's file as a
path relative to the submission, as the whole path, and as the bare file name; selectors are
rule IDs, ID prefixes or names. A finding on the news report's text is matched by the report's
file even when it is reported on the submission.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from pathlib import Path

from gkcheck.findings import Finding

__all__ = ["drop_ignored"]


def _matches(f: Finding, selector: str) -> bool:
    s = selector.strip()
    return s.upper() == "ALL" or (bool(s) and f.rule.startswith(s.upper())) or s == f.name


def _names(file: str, root: Path) -> set[str]:
    posix = Path(file).as_posix()
    names = {posix, Path(file).name}
    with contextlib.suppress(ValueError):
        names.add(Path(os.path.relpath(file, root)).as_posix())
    return names


def drop_ignored(
    findings: Iterable[Finding],
    ignores: Mapping[str, tuple[str, ...]],
    root: Path,
    *,
    report: Path | None = None,
) -> list[Finding]:
    """``findings`` without those a per-file ignore covers."""
    out = list(findings)
    if not ignores:
        return out
    kept: list[Finding] = []
    for f in out:
        file = f.location.file
        if report is not None and file == str(root) and f.location.block is not None:
            file = str(report)
        names = _names(file, root)
        ignored = any(
            any(fnmatchcase(n, glob) for n in names) and any(_matches(f, s) for s in selectors)
            for glob, selectors in ignores.items()
        )
        if not ignored:
            kept.append(f)
    return kept
