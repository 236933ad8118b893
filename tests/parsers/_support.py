"""Helpers for the PDF and image parser tests: committed samples, their truth, parse caches.

OCR costs 1–3 s a page on the CI machine, so every OCR'd sample is parsed at most once per
test session and shared by the tests that look at it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from gkcheck.parsers.base import ParseOptions

if TYPE_CHECKING:
    from gkcheck.model import Document

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "samples" / "pdf"
IMAGES = ROOT / "samples" / "images"
CORPUS = ROOT.parent / "shared" / "corpus" / "pdf-peers" / "pdfplumber"


def truth(folder: Path) -> dict[str, Any]:
    """``expected.json`` of a samples folder (empty when not generated yet)."""
    path = folder / "expected.json"
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def parse(path: Path, ocr: bool = True) -> Document:
    """Parse a sample once per session (PDF or image by suffix)."""
    from gkcheck.parsers.image import ImageParser
    from gkcheck.parsers.pdf import PdfParser

    parser = PdfParser() if path.suffix.lower() == ".pdf" else ImageParser()
    return parser.parse(path, ParseOptions(ocr=ocr))


def ocr_available() -> bool:
    """Whether the bundled OCR engine loads here."""
    try:
        from gkcheck.vision.ocr import OcrUnavailable, get_engine
    except ImportError:
        return False
    try:
        get_engine()
    except OcrUnavailable:
        return False
    return True


def scan_pdfs_by_size() -> list[str]:
    """Names (``scan/…``) of the scanned PDF samples, fewest pages first (OCR is per page)."""
    import pypdfium2 as pdfium

    def pages(name: str) -> int:
        doc = pdfium.PdfDocument(str(PDF / name))
        try:
            return len(doc)
        finally:
            doc.close()

    names = [n for n in truth(PDF) if n.startswith("scan/")]
    return sorted(names, key=lambda n: (pages(n), n))


needs_ocr = pytest.mark.skipif(not ocr_available(), reason="OCR engine unavailable")
