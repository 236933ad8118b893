"""The document model every layer shares: blocks of text with roles, photos, submissions.

Parsers produce :class:`Block` objects in reading order with *where they came from* and *how
they looked* (:class:`StyleHints`), never with a role; the one structure analysis
(:mod:`gkcheck.structure`) assigns roles. Keeping parsers ignorant of roles is what lets a Word
file, a PDF and a screenshot of the same report get the same verdicts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gkcheck.submission.evidence import Evidence
    from gkcheck.submission.facts import SubmissionFacts
    from gkcheck.submission.files import SubmissionFiles

__all__ = [
    "Block",
    "Document",
    "Origin",
    "Photo",
    "Role",
    "StyleHints",
    "Submission",
]


class Role(StrEnum):
    """What a block is in a news report."""

    UNKNOWN = "unknown"
    CHROME = "chrome"  # page furniture before the title: breadcrumbs, site names
    TITLE = "title"
    META = "meta"  # 来源/发布时间/作者… lines and bylines under the title
    LEAD = "lead"  # 首段: the first body paragraph
    BODY = "body"  # 正文: paragraphs strictly between lead and ending
    ENDING = "ending"  # 结尾: the last body paragraph
    HEADING = "heading"  # sub-headings inside the body (一、…)
    CAPTION = "caption"  # photo captions
    TRAILING = "trailing"  # credits and furniture after the ending
    NOTE = "note"  # 编者按/导语/摘要 before the lead


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """Where a block or photo came from, so a reviewer can find it in the file.

    ``container`` is ``"body"`` for the main flow, ``"table"`` for a table cell, ``"textbox"``
    for a text box or shape, ``"page"`` for a PDF page or an image, ``"ocr"`` never (OCR is a
    flag, not a place).
    """

    container: str = "body"
    paragraph: int | None = None  # index of the paragraph among the file's paragraphs
    table: int | None = None  # 0-based table number
    row: int | None = None
    col: int | None = None
    page: int | None = None  # 1-based page number (PDF, image)
    bbox: tuple[float, float, float, float] | None = None  # on the page, in points or px
    ocr: bool = False  # text read from pixels, not from a text layer

    def describe(self, lang: str = "zh") -> str:
        """A place a reviewer can find: '表格1第1行第2列', 'page 2', 'text box'."""
        from gkcheck.catalogue import table

        words = table("places", lang)
        parts: list[str] = []
        if self.page is not None:
            parts.append(words["page"].format(n=self.page))
        if self.container == "table" and self.table is not None:
            r = (self.row or 0) + 1
            c = (self.col or 0) + 1
            parts.append(words["cell"].format(table=self.table + 1, row=r, col=c))
        elif self.container == "textbox":
            parts.append(words["textbox"])
        if self.paragraph is not None:
            parts.append(words["paragraph"].format(n=self.paragraph + 1))
        if self.ocr:
            parts.append(words["ocr"])
        return str(words["sep"]).join(parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class StyleHints:
    """How a block looked. Any field may be unknown (``None``)."""

    style: str | None = None  # style name or id, e.g. "Title", "Heading 1", "标题 1"
    outline_level: int | None = None  # 0 for a level-1 heading (Word's w:outlineLvl)
    size: float | None = None  # font size in points (PDF, Word) or text height in px (OCR)
    bold: bool | None = None
    centered: bool | None = None
    indent: float | None = None  # first-line indent in characters (2.0 = two em)


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """A paragraph (or a line group) of visible text, in reading order."""

    index: int  # position in the document's block list
    text: str
    origin: Origin = field(default_factory=Origin)
    style: StyleHints = field(default_factory=StyleHints)
    role: Role = Role.UNKNOWN
    after_photo: bool = False  # a photo sits directly before this block in the flow
    before_photo: bool = False  # a photo sits directly after this block in the flow

    def with_role(self, role: Role) -> Block:
        """A copy with ``role`` set: blocks are immutable once parsed."""
        return replace(self, role=role)


@dataclass(frozen=True, slots=True, kw_only=True)
class Photo:
    """A picture that is a photo (not an icon or a rule line).

    ``data`` holds the encoded bytes as stored in the file (JPEG, PNG …); for a loose photo of a
    submission, ``source`` is its path and ``data`` is read lazily by :meth:`load`.
    """

    ref: str  # stable reference: "word/media/image3.jpeg", "page2-img1", a file name
    width: int
    height: int
    data: bytes | None = None
    source: Path | None = None
    media_type: str | None = None  # "image/jpeg" …
    origin: Origin = field(default_factory=Origin)
    position: int = 0  # number of blocks before it in the flow

    def load(self) -> bytes:
        """The encoded bytes, read from ``source`` when not held in memory."""
        if self.data is not None:
            return self.data
        if self.source is None:
            raise ValueError(f"photo {self.ref} has neither data nor source")
        from gkcheck.safeio import read_limited

        return read_limited(self.source)

    def digest(self) -> str:
        """Content hash, for caches keyed by what the photo shows rather than its name."""
        return hashlib.sha256(self.load()).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One parsed file: blocks in reading order plus its photos."""

    path: Path
    kind: str  # "docx", "pdf", "image", …
    blocks: tuple[Block, ...] = ()
    photos: tuple[Photo, ...] = ()
    notes: tuple[str, ...] = ()  # parser remarks worth showing (e.g. "page 3 read by OCR")
    ocr_skipped: bool = False  # text that needed OCR was not read (OCR off or unavailable)
    pages_total: int = 0  # pages the file has (0: not paged, or not counted)
    pages_unread: tuple[int, ...] = ()  # 1-based pages not read (past the limit, or refused)

    def with_blocks(self, blocks: Sequence[Block]) -> Document:
        """A copy with new blocks (used by the structure analysis to set roles)."""
        return replace(self, blocks=tuple(blocks))

    def by_role(self, role: Role) -> list[Block]:
        """The blocks that have ``role``, in order."""
        return [b for b in self.blocks if b.role == role]

    def first(self, role: Role) -> Block | None:
        """The first block with ``role``, or ``None``."""
        return next((b for b in self.blocks if b.role == role), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Submission:
    """What one unit sent for one activity: documents, loose photos, videos, other files.

    ``files``, ``facts`` and ``evidence`` are established once by the engine before any
    check runs (:mod:`gkcheck.submission`); checks read them and never work them out again.
    """

    path: Path
    documents: tuple[Document, ...] = ()
    report: Document | None = None  # the news report among the documents
    photos: tuple[Photo, ...] = ()  # loose photos sent beside the report
    videos: tuple[Path, ...] = ()
    roles: dict[str, str] = field(default_factory=dict)  # file name -> "report"/"plan"/…
    is_folder: bool = False  # a folder or zip (False: a lone file checked on its own)
    display_name: str | None = None  # the name a reviewer knows it by (a zip's name)
    files: SubmissionFiles | None = None
    facts: SubmissionFacts | None = None
    evidence: Evidence | None = None

    @property
    def name(self) -> str:
        """The folder's, zip's or file's name, as the reviewer sent it."""
        if self.display_name:
            return self.display_name
        return self.path.name if self.is_folder else self.path.stem

    def all_photos(self) -> list[Photo]:
        """Photos embedded in the report first, then loose ones."""
        embedded = list(self.report.photos) if self.report is not None else []
        return [*embedded, *self.photos]
