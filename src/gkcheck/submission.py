"""Telling the files of one submission apart: news report, plan, summary, photos, videos.

A unit sends, per activity, a folder holding the news report (Word, PDF or screenshots), loose
photos, maybe a short video, the activity plan (方案) and the summary report (情况报告/总结).
Only the news report is held to the four-place keyword rule, so it must be picked out; the
others are kept and named so a reviewer sees how each file was taken.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkcheck.model import Origin, Photo

if TYPE_CHECKING:
    from gkcheck.plugins import Registry

__all__ = ["FolderPlan", "classify_folder", "file_role_from_name"]

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".heic")
VIDEO_SUFFIXES = (".mp4", ".mov", ".avi", ".mkv", ".wmv", ".flv", ".m4v", ".3gp", ".mpg", ".mpeg")
IGNORED_NAMES = re.compile(r"^(\.|~\$|Thumbs\.db$|desktop\.ini$|__MACOSX$)", re.IGNORECASE)
MANIFEST = "submission.toml"

_PLAN = re.compile(r"方案|计划|预案|报备")
_SUMMARY = re.compile(r"情况报告|总结|小结|工作报告|情况汇报|活动报告")
_REPORT = re.compile(r"新闻|报道|通讯|稿|信息|简报|宣传")
_SCREENSHOT = re.compile(r"截图|截屏|screenshot|网页|页面", re.IGNORECASE)


def file_role_from_name(name: str) -> str | None:
    """``"plan"``, ``"summary"`` or ``"report"`` when the file name says so."""
    stem = Path(name).stem
    if _PLAN.search(stem):
        return "plan"
    if _SUMMARY.search(stem):
        return "summary"
    if _REPORT.search(stem):
        return "report"
    return None


@dataclass(frozen=True, slots=True)
class Entry:
    """One file and how it was taken."""

    path: Path
    role: str  # report | plan | summary | document | photo | video | manifest | unsupported
    why: str  # "file name", "only document", …

    def describe(self, root: Path) -> dict[str, Any]:
        """The contract's ``files[]`` item."""
        return {"path": str(self.path.relative_to(root)), "role": self.role, "why": self.why}


@dataclass
class FolderPlan:
    """What a submission folder holds."""

    entries: list[Entry] = field(default_factory=list)
    report: Path | None = None

    @property
    def documents(self) -> list[Entry]:
        """Files to parse (reports, plans, summaries, other documents)."""
        return [e for e in self.entries if e.role in ("report", "plan", "summary", "document")]

    @property
    def photos(self) -> list[Photo]:
        """Loose photos as :class:`Photo` objects (read lazily)."""
        out: list[Photo] = []
        for e in self.entries:
            if e.role == "photo":
                w, h = _image_size(e.path)
                out.append(
                    Photo(
                        ref=e.path.name,
                        width=w,
                        height=h,
                        source=e.path,
                        origin=Origin(container="file"),
                    )
                )
        return out

    @property
    def videos(self) -> list[Path]:
        """Video files."""
        return [e.path for e in self.entries if e.role == "video"]

    @property
    def unsupported(self) -> list[Entry]:
        """Files nobody can read."""
        return [e for e in self.entries if e.role == "unsupported"]


def _walk(folder: Path) -> Iterator[Path]:
    """Regular files below ``folder``, sorted, without following symlinked folders."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not IGNORED_NAMES.match(d))
        for name in sorted(files):
            if not IGNORED_NAMES.match(name):
                yield Path(root) / name


def classify_folder(folder: Path, registry: Registry) -> FolderPlan:
    """Sort a submission's files into roles and pick the news report."""
    plan = FolderPlan()
    doc_entries: list[Entry] = []
    for path in _walk(folder):
        suffix = path.suffix.lower()
        if path.name == MANIFEST:
            plan.entries.append(Entry(path, "manifest", "file name"))
        elif suffix in VIDEO_SUFFIXES:
            plan.entries.append(Entry(path, "video", "file type"))
        elif suffix in PHOTO_SUFFIXES and not _SCREENSHOT.search(path.stem):
            plan.entries.append(Entry(path, "photo", "file type"))
        elif any(suffix in p.suffixes for p in registry.parsers):
            role = file_role_from_name(path.name)
            entry = Entry(path, role or "document", "file name" if role else "file type")
            doc_entries.append(entry)
        else:
            plan.entries.append(Entry(path, "unsupported", "file type"))
    reports = [e for e in doc_entries if e.role == "report"]
    others = [e for e in doc_entries if e.role == "document"]
    chosen: Entry | None = None
    if reports:
        chosen = reports[0]
    elif others:
        # prefer Word, then PDF, then images: the editable original carries the most text
        order = {".docx": 0, ".doc": 1, ".pdf": 2}
        chosen = min(others, key=lambda e: (order.get(e.path.suffix.lower(), 3), str(e.path)))
    for e in doc_entries:
        if e is chosen:
            why = e.why if e.role == "report" else "only or first document"
            plan.entries.append(Entry(e.path, "report", why))
            plan.report = e.path
        else:
            plan.entries.append(e)
    plan.entries.sort(key=lambda e: str(e.path))
    return plan


def _image_size(path: Path) -> tuple[int, int]:
    """Pixel size from the header only; (0, 0) when the header cannot be read."""
    try:
        from PIL import Image

        with Image.open(path) as im:
            return int(im.width), int(im.height)
    except Exception:  # noqa: BLE001 - the LOGO check reports undecodable photos itself
        return 0, 0
