"""Which file of a submission is what: news report, plan, summary, photos, videos, other files.

Only the news report is held to the four-place keyword rule, so it must be picked out, and
picked out the same way by every entry point. One classifier decides, in this order:

1. the file **name** (新闻稿/报道 → report, 方案/计划 → plan, 情况报告/总结 → summary);
2. for documents whose names are silent (``附件1.docx``, ``1.docx``), the **title** (a plan's
   title ends in 方案, a summary's in 情况报告/总结/汇报) and then the **content** cues of
   :func:`content_kind` (a plan lists 活动主题/活动时间, a summary says 现将…报告如下, a news
   report opens with a dated lead and carries bylines and captions);
3. among the documents that may be the report, the editable original first (Word, then PDF,
   then pictures of pages).

A submission need not contain a report: then there is none (rule GK100 says so) rather than
the plan or the summary being judged as one. Files that are not part of the review — a
sign-in sheet, a note, an archive of drafts, a ``gkcheck.toml`` the unit put there — are
listed as ``other`` and never read. Symbolic links that leave the submission and special
files (FIFOs, devices) are listed as refused and never opened.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkcheck.model import Document, Origin, Photo
from gkcheck.safeio import Refusal, classify_entry
from gkcheck.structure import outline

if TYPE_CHECKING:
    from gkcheck.findings import Result
    from gkcheck.plugins import Registry

__all__ = [
    "CONFIG_FILE_NAMES",
    "IGNORED_NAMES",
    "MANIFEST",
    "PHOTO_SUFFIXES",
    "VIDEO_SUFFIXES",
    "Entry",
    "SubmissionFiles",
    "content_kind",
    "kind_from_name",
    "sort_files",
]

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".heif")
VIDEO_SUFFIXES = (".mp4", ".mov", ".avi", ".mkv", ".wmv", ".flv", ".m4v", ".3gp", ".mpg", ".mpeg")
IGNORED_NAMES = re.compile(r"^(\.|~\$|Thumbs\.db$|desktop\.ini$|__MACOSX$)", re.IGNORECASE)
MANIFEST = "submission.toml"
#: Configuration files: a submission never sets the rules it is reviewed by.
CONFIG_FILE_NAMES = ("gkcheck.toml", ".gkcheck.toml", "pyproject.toml", "waivers.toml")

_PLAN_NAME = re.compile(r"方案|计划|预案|报备")
_SUMMARY_NAME = re.compile(r"情况报告|总结|小结|工作报告|情况汇报|活动报告")
_REPORT_NAME = re.compile(r"新闻|报道|通讯|稿|信息|简报|宣传")
_SCREENSHOT_NAME = re.compile(r"截图|截屏|screenshot|网页|页面", re.IGNORECASE)

# A title says what a document is when its file name does not. Only the end of the title is
# read: a news title may well mention a 行动计划 or a 总结会 it reports on.
_SUMMARY_TITLE = re.compile(
    r"情况的?报告|总结报告|工作总结|活动总结|情况汇报|活动报告|工作报告|总结$|汇报$"
)
_PLAN_TITLE = re.compile(r"(?:方案|预案)$")
_TITLE_NOISE = re.compile(r"[\s“”\"'‘’《》〈〉「」（）()【】\[\]]")

_CUES: dict[str, tuple[tuple[re.Pattern[str], int], ...]] = {
    "plan": (
        (re.compile(r"(活动|实施|工作)方案|活动计划|报备"), 3),
        (re.compile(r"活动(主题|时间|地点|对象|内容|安排|流程|形式|目的)[：:]?"), 2),
        (re.compile(r"(参加|参与|参会)人员"), 1),
        (re.compile(r"(工作|有关|相关)要求|注意事项|组织领导|经费保障|职责分工"), 2),
        (re.compile(r"拟于|拟定|拟邀请|计划于"), 2),
    ),
    "summary": (
        (re.compile(r"情况报告|工作总结|总结报告|情况汇报|开展情况的报告"), 3),
        (re.compile(r"现将.{0,30}(报告|汇报)如下"), 3),
        (re.compile(r"特此报告|特此汇报"), 3),
        (
            re.compile(
                r"主要做法|工作成效|取得成效|存在(的)?问题|经验做法|下一步(工作)?(打算|计划)"
            ),
            2,
        ),
        (re.compile(r"^(区政务公开办|雨花区政务公开办|区政务公开政务服务)"), 2),
    ),
    "report": (
        (re.compile(r"^\s*\d{1,2}月\d{1,2}日[，,上下午]"), 3),
        (re.compile(r"(记者|通讯员|供稿|来源|发布时间|责任编辑|审核)[：:]"), 2),
        (re.compile(r"图为|活动现场|现场气氛"), 1),
        (re.compile(r"(开展|举办|举行|召开|走进)[^。]{0,30}活动"), 1),
    ),
}

#: Which document is the better news report when several may be: the editable original.
_FORMAT_ORDER = {".docx": 0, ".doc": 1, ".wps": 1, ".pdf": 2, ".ofd": 2}


def kind_from_name(name: str) -> str | None:
    """``"plan"``, ``"summary"`` or ``"report"`` when the file name says so."""
    stem = Path(name).stem
    if _PLAN_NAME.search(stem):
        return "plan"
    if _SUMMARY_NAME.search(stem):
        return "summary"
    if _REPORT_NAME.search(stem):
        return "report"
    return None


def content_kind(doc: Document) -> tuple[str | None, str]:
    """What a parsed document is by its title, then its words: (kind or None, why)."""
    title = _TITLE_NOISE.sub("", _title_of(doc))
    if _PLAN_TITLE.search(title):
        return "plan", "title"
    if _SUMMARY_TITLE.search(title):
        return "summary", "title"
    texts = [b.text for b in doc.blocks[:60] if b.text.strip()]
    scores: dict[str, int] = dict.fromkeys(_CUES, 0)
    for kind, cues in _CUES.items():
        for pattern, weight in cues:
            hits = sum(1 for t in texts if pattern.search(t))
            scores[kind] += weight * min(hits, 3)
    if doc.photos:
        scores["report"] += 2
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (best, top), (_, runner) = ranked[0], ranked[1]
    why = "content (" + ", ".join(f"{k} {v}" for k, v in ranked) + ")"
    return (best if top >= 3 and top - runner >= 2 else None), why


def _title_of(doc: Document) -> str:
    o = outline(doc)
    if o.title_text:
        return o.title_text
    return next((b.text for b in doc.blocks if b.text.strip()), "")[:60]


@dataclass(frozen=True, slots=True)
class Entry:
    """One file of a submission and how it was taken.

    ``kind`` is report, plan, summary, document (parsed, none of those), photo, video,
    manifest or other (not part of the review, never read). ``why`` says what decided it;
    ``refused`` why the file was not opened at all (a link out of the submission, a FIFO).
    """

    path: Path
    kind: str
    why: str
    refusal: Refusal | None = None

    def describe(self, root: Path) -> dict[str, Any]:
        """The contract's ``files[]`` item (``role`` is the kind)."""
        out: dict[str, Any] = {"path": _relative(self.path, root), "role": self.kind, "why": self.why}
        if self.refusal is not None:
            out["refused"] = self.refusal.reason
        return out


#: What the engine gives the classifier to read a document (parsed once, remembered).
ParseFn = Callable[[Path], "Document | Result"]


@dataclass(frozen=True, slots=True)
class SubmissionFiles:
    """A submission's files, each with its kind, and the news report among them."""

    root: Path
    entries: tuple[Entry, ...]
    report: Path | None

    def of_kind(self, *kinds: str) -> list[Entry]:
        """The entries of these kinds, in name order."""
        return [e for e in self.entries if e.kind in kinds]

    @property
    def documents(self) -> list[Entry]:
        """Files that were parsed: the report, plans, summaries and other documents."""
        return self.of_kind("report", "plan", "summary", "document")

    @property
    def refused(self) -> list[Entry]:
        """Files never opened because of what they are (links out, special files)."""
        return [e for e in self.entries if e.refusal is not None]

    @property
    def manifest(self) -> Path | None:
        """``submission.toml`` at the top of the submission, if any."""
        top = self.root / MANIFEST
        return next((e.path for e in self.of_kind("manifest") if e.path == top), None)

    def names(self, *kinds: str) -> list[str]:
        """Relative names of the entries of these kinds."""
        return [_relative(e.path, self.root) for e in self.of_kind(*kinds)]

    def photos(self) -> list[Photo]:
        """Loose photos as :class:`Photo` objects (pixels read lazily)."""
        out: list[Photo] = []
        for e in self.of_kind("photo"):
            w, h = _image_size(e.path)
            out.append(
                Photo(ref=e.path.name, width=w, height=h, source=e.path, origin=Origin(container="file"))
            )
        return out

    def videos(self) -> list[Path]:
        """Video files."""
        return [e.path for e in self.of_kind("video")]

    def describe(self) -> tuple[dict[str, Any], ...]:
        """The contract's ``files[]``."""
        return tuple(e.describe(self.root) for e in self.entries)

    @classmethod
    def single(cls, path: Path) -> SubmissionFiles:
        """A lone file checked on its own: it is the news report."""
        return cls(path.parent, (Entry(path, "report", "single file"),), path)


def sort_files(folder: Path, registry: Registry, parse: ParseFn) -> SubmissionFiles:
    """Sort a submission folder's files into kinds and pick the news report.

    :param parse: reads a document (the engine's parser, remembered per path); documents are
        read only when their names do not say what they are.
    """
    entries: list[Entry] = []
    silent: list[Path] = []
    named: list[Entry] = []
    suffixes = {s for p in registry.parsers for s in p.suffixes}
    for path, refusal in _walk(folder):
        if refusal is not None:
            entries.append(Entry(path, "other", "refused", refusal))
            continue
        name, suffix = path.name, path.suffix.lower()
        if name == MANIFEST:
            entries.append(Entry(path, "manifest", "file name"))
        elif name in CONFIG_FILE_NAMES:
            entries.append(Entry(path, "other", "configuration is not read from a submission"))
        elif suffix in VIDEO_SUFFIXES:
            entries.append(Entry(path, "video", "file type"))
        elif suffix in PHOTO_SUFFIXES and not _SCREENSHOT_NAME.search(path.stem):
            entries.append(Entry(path, "photo", "file type"))
        elif suffix in suffixes:
            kind = kind_from_name(name)
            if kind is None:
                silent.append(path)
            else:
                named.append(Entry(path, kind, "file name"))
        else:
            entries.append(Entry(path, "other", "not part of the review"))
    by_content: list[Entry] = []
    for path in silent:
        parsed = parse(path)
        if isinstance(parsed, Document):
            kind, why = content_kind(parsed)
            by_content.append(Entry(path, kind or "document", why))
        else:
            by_content.append(Entry(path, "document", "unreadable"))
    report = _choose_report(named, by_content, parse)
    for e in (*named, *by_content):
        if e.path == report:
            entries.append(Entry(e.path, "report", e.why if e.kind == "report" else "the only candidate"))
        elif e.kind == "report":
            entries.append(Entry(e.path, "document", f"{e.why}; another file is the report"))
        else:
            entries.append(e)
    entries.sort(key=lambda e: str(e.path))
    return SubmissionFiles(folder, tuple(entries), report)


def _choose_report(named: list[Entry], by_content: list[Entry], parse: ParseFn) -> Path | None:
    candidates = [e for e in named if e.kind == "report"]
    if not candidates:
        candidates = [e for e in by_content if e.kind == "report"]
    if not candidates:
        # a document whose words are unclear may be the report; a plan or summary is not
        candidates = [e for e in by_content if e.kind == "document"]
    if not candidates:
        return None

    def rank(e: Entry) -> tuple[int, int, str]:
        readable = 0 if isinstance(parse(e.path), Document) else 1
        return (readable, _FORMAT_ORDER.get(e.path.suffix.lower(), 4), str(e.path))

    return min(candidates, key=rank).path


def _walk(folder: Path) -> Iterator[tuple[Path, Refusal | None]]:
    """Every file below ``folder`` in name order, with a refusal where it must not be read.

    Links are followed only to regular files inside ``folder``; a link that leaves the
    submission, a dangling link, a FIFO, a socket or a device is reported, never opened
    (:func:`gkcheck.safeio.classify_entry`). Linked folders are not descended into.
    """
    root = Path(os.path.realpath(folder))
    for here, dirs, files in os.walk(folder, followlinks=False):
        kept: list[str] = []
        for d in sorted(dirs):
            if IGNORED_NAMES.match(d):
                continue
            path = Path(here) / d
            if path.is_symlink():
                yield path, classify_entry(path, root) or Refusal(path, "not-a-file", "folder")
            else:
                kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            if not IGNORED_NAMES.match(name):
                path = Path(here) / name
                yield path, classify_entry(path, root)


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _image_size(path: Path) -> tuple[int, int]:
    """Pixel size from the header only; (0, 0) when the header cannot be read."""
    try:
        from gkcheck.vision.imageio import enable_heif
        from gkcheck.vision.pillow import Image

        if path.suffix.lower() in (".heic", ".heif"):
            enable_heif()
        with Image.open(path) as im:
            return int(im.width), int(im.height)
    except Exception:  # noqa: BLE001 - the LOGO check reports undecodable photos itself
        return 0, 0
