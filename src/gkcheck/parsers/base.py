"""The parser protocol and the limits every parser honours."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from gkcheck.model import Document

__all__ = ["ParseOptions", "Parser"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ParseOptions:
    """What a parser may do. Built from the config by the engine."""

    ocr: bool = True  # may read pixels (scanned PDFs, images) with OCR
    ocr_max_side: int = 2000  # long side, in px, of images handed to OCR
    min_photo_side: int = 120  # a picture smaller than this on either side is decoration
    min_photo_area: int = 40_000  # … or with fewer pixels than this
    max_uncompressed: int = 512 * 1024 * 1024  # bytes a container may inflate to
    max_xml_part: int = 64 * 1024 * 1024  # bytes one XML part may inflate to
    max_pages: int = 60  # PDF pages read at most
    max_file_bytes: int = 256 * 1024 * 1024  # bytes one input file may hold (counted on read)
    max_page_stream: int = 8 * 1024 * 1024  # bytes a PDF page's content may inflate to


@runtime_checkable
class Parser(Protocol):
    """Reads one file format.

    ``kind`` names the format in results (``"docx"``); ``suffixes`` are lower-case file
    endings with the dot; ``sniff`` looks at the first bytes so a renamed file is recognised
    (or refused) by content rather than by name.
    """

    @property
    def kind(self) -> str:
        """The format's name in results, e.g. ``"docx"``."""
        ...

    @property
    def suffixes(self) -> tuple[str, ...]:
        """Lower-case file endings with the dot, e.g. ``(".docx",)``."""
        ...

    def sniff(self, head: bytes) -> bool:
        """Whether ``head`` (the first 8 KiB) looks like this format."""
        ...

    def parse(self, path: Path, options: ParseOptions) -> Document:
        """Read ``path``; raise :class:`~gkcheck.errors.UnreadableFile` when it cannot."""
        ...
