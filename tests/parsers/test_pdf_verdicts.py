"""GK101–GK104 on the PDF and image samples agree with the Word truth.

Each sample's title/lead/body/ending verdicts come from the same code path as ``gkcheck
check`` (parser → structure analysis → the keyword matcher of the places check) and are
compared with the truth of the Word file it was made from. Targets: ≥ 98 % of (report,
place) pairs on text PDFs, ≥ 93 % on scans and screenshots.

OCR takes seconds a page here, so by default the OCR set is a sample (the shortest scanned
PDF, one screenshot, one scanned page picture — the ones the parser tests read too); set
``GKCHECK_FULL_OCR=1`` to run all of it (6 scanned PDFs, 6 screenshots, 3 page pictures).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

from gkcheck.checks.keyword_placement import matcher_for
from gkcheck.config import Config
from gkcheck.structure import analyse, outline

from ._support import IMAGES, PDF, needs_ocr, parse, scan_pdfs_by_size, truth

if TYPE_CHECKING:
    from pathlib import Path

    from gkcheck.model import Document

PLACES = ("title", "lead", "body", "ending")


def verdicts(doc: Document) -> dict[str, bool]:
    """Whether each place holds the keyword, as GK101–GK104 decide it."""
    m = matcher_for(Config())
    o = outline(analyse(doc))
    return {
        "title": any(m.contains(b.text) for b in o.title),
        "lead": o.lead is not None and m.contains(o.lead.text),
        "body": any(m.contains(b.text) for b in o.body),
        "ending": o.ending is not None and m.contains(o.ending.text),
    }


def agreement(folder: Path, names: list[str], expected: dict[str, Any]) -> tuple[float, list[str]]:
    """Share of (report, place) pairs that agree, and the disagreements."""
    good = total = 0
    misses: list[str] = []
    for name in names:
        got = verdicts(parse(folder / name))
        for place in PLACES:
            total += 1
            if got[place] == expected[name]["places"][place]:
                good += 1
            else:
                misses.append(f"{name}:{place}")
    return good / max(total, 1), misses


def _names(expected: dict[str, Any], *prefixes: str) -> list[str]:
    return sorted(n for n, t in expected.items() if n.startswith(prefixes) and "places" in t)


def test_text_pdfs_agree_with_word_truth() -> None:
    expected = truth(PDF)
    names = _names(expected, "text/", "wps/", "edge/")
    if len(names) < 10:
        pytest.skip("PDF samples not generated")
    share, misses = agreement(PDF, names, expected)
    assert share >= 0.98, misses


def _ocr_set() -> tuple[list[tuple[Path, str]], dict[str, Any]]:
    pdf_truth = truth(PDF)
    img_truth = truth(IMAGES)
    scans = scan_pdfs_by_size()
    web = _names(img_truth, "web/")
    pictures = _names(img_truth, "scan/")
    if os.environ.get("GKCHECK_FULL_OCR") != "1":
        # the same samples the parser tests read, so each is OCR'd once per session
        scans, web, pictures = scans[:1], web[:1], pictures[:1]
    chosen = [(PDF, n) for n in scans] + [(IMAGES, n) for n in web + pictures]
    return chosen, {**pdf_truth, **img_truth}


@needs_ocr
def test_scans_and_screenshots_agree_with_word_truth() -> None:
    chosen, expected = _ocr_set()
    if not chosen:
        pytest.skip("scan/screenshot samples not generated")
    good = total = 0
    misses: list[str] = []
    for folder, name in chosen:
        share, miss = agreement(folder, [name], expected)
        good += round(share * 4)
        total += 4
        misses += miss
    assert good / total >= 0.93, misses


@needs_ocr
def test_scans_and_screenshots_find_their_photos() -> None:
    chosen, expected = _ocr_set()
    for folder, name in chosen:
        doc = parse(folder / name)
        assert len(doc.photos) == expected[name]["photos"], name
