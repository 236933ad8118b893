"""Real-world PDFs from pdfplumber's test suite: a Document or UnreadableFile, never a crash.

These are not news reports; what matters is that odd encodings, rotated pages, annotations,
malformed structure and passwords never escape as exceptions and never take unbounded time.
The first pages carry each file's quirk, so pages are capped to keep the suite fast.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from gkcheck.errors import UnreadableFile
from gkcheck.model import Document
from gkcheck.parsers.base import ParseOptions
from gkcheck.parsers.pdf import PdfParser

from ._support import CORPUS

if TYPE_CHECKING:
    from pathlib import Path

FILES = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
OPTIONS = ParseOptions(ocr=False, max_pages=3)
BUDGET = 20.0  # seconds per file, checked between pages


@pytest.mark.skipif(not FILES, reason="shared corpus not present")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_pdf_gives_a_result_in_bounded_time(path: Path) -> None:
    started = time.monotonic()
    try:
        doc = PdfParser(time_budget=BUDGET).parse(path, OPTIONS)
    except UnreadableFile as exc:
        assert exc.reason in {"empty", "corrupt", "encrypted", "timeout"}
        assert exc.detail
    else:
        assert isinstance(doc, Document)
        assert [b.index for b in doc.blocks] == list(range(len(doc.blocks)))
        assert all(b.text.strip() for b in doc.blocks)
        assert all(0 <= p.position <= len(doc.blocks) for p in doc.photos)
    # one page may overrun the budget by its own parse time, never by more
    assert time.monotonic() - started < BUDGET + 30


@pytest.mark.skipif(not FILES, reason="shared corpus not present")
def test_known_corpus_verdicts() -> None:
    parser = PdfParser(time_budget=BUDGET)
    with pytest.raises(UnreadableFile) as info:
        parser.parse(CORPUS / "password-example.pdf", OPTIONS)
    assert info.value.reason == "encrypted"
    rotated = parser.parse(CORPUS / "nics-background-checks-2015-11-rotated.pdf", OPTIONS)
    upright = parser.parse(CORPUS / "nics-background-checks-2015-11.pdf", OPTIONS)
    assert rotated.blocks and "NICS Firearm Background Checks" in rotated.blocks[0].text
    assert rotated.blocks[0].text == upright.blocks[0].text
    dup = parser.parse(CORPUS / "issue-71-duplicate-chars.pdf", OPTIONS)
    assert dup.blocks
