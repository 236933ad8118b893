"""Public-news-style reports (issue 14) as Word files, LibreOffice PDFs and page scans.

The committed set ``samples/news`` comes from ``samples/gen/news.py`` (seed 1499): leads that
restate the headline, endings that name the organisers, captions at body size, 原标题 and
subtitle lines, photos floating beside the text (square/tight wrapping, left/right), reports
over two or three pages. Truth is ``expected.json`` per format; these tests assert what gkcheck
found on the real files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gkcheck.api import check
from gkcheck.model import Role
from gkcheck.structure import outline

NEWS = Path(__file__).resolve().parents[2] / "samples" / "news"
RULES = {"title": "GK101", "lead": "GK102", "body": "GK103", "ending": "GK104"}


def _truth(fmt: str) -> list[dict[str, Any]]:
    return list(json.loads((NEWS / fmt / "expected.json").read_text(encoding="utf-8")))


def _dense(s: str | None) -> str:
    return "".join((s or "").split())


def _words(s: str | None) -> str:
    """Text without white space and pause marks: LibreOffice drops a 、 hanging in the margin
    from the text layer, which is no paragraph assembly fault."""
    return "".join(c for c in _dense(s) if c not in "，、")


def _places(path: Path) -> dict[str, bool]:
    rules = check(path).rules()
    return {p: r not in rules for p, r in RULES.items()}


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("i", range(8))
def test_places_agree_with_truth(fmt: str, i: int) -> None:
    rec = _truth(fmt)[i]
    assert _places(NEWS / fmt / rec["file"]) == rec["places"], rec["file"]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("i", range(8))
def test_every_paragraph_is_one_block(fmt: str, i: int) -> None:
    # Causes 1 and 2: a paragraph beside a floating photo, or running over a page break, is
    # read as one paragraph (it once came out in two at the picture or at the page end).
    rec = _truth(fmt)[i]
    doc = check(NEWS / fmt / rec["file"]).document
    assert doc is not None
    blocks = {_words(b.text): b.role for b in doc.blocks}
    for role, text, _where in rec["paragraphs"]:
        if role in ("lead", "body", "ending"):
            assert blocks.get(_words(text)) == Role(role), (rec["file"], role, text[:30])


def test_samples_have_paragraphs_over_a_page_break() -> None:
    # the test above covers the page-break cause only if paragraphs really span pages: a
    # paragraph's head on one page of the text layer and its tail on the next
    import pypdfium2 as pdfium

    spanning = 0
    for rec in _truth("pdf"):
        pdf = pdfium.PdfDocument(str(NEWS / "pdf" / rec["file"]))
        pages = [_dense(p.get_textpage().get_text_range()) for p in pdf]
        pdf.close()
        for role, text, _ in rec["paragraphs"]:
            t = _dense(text)
            heads = [k for k, p in enumerate(pages) if t[:12] in p]
            tails = [k for k, p in enumerate(pages) if t[-12:] in p]
            if role in ("lead", "body", "ending") and heads and tails and tails[0] > heads[0]:
                spanning += 1
    assert spanning >= 4


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_lead_restating_the_title_is_the_lead(fmt: str) -> None:
    # Cause 3: `7月…，××局召开“政务公开主题日”座谈会，…` contains the title but is no repeated title.
    recs = [r for r in _truth(fmt) if _bare(r["title"]) in _bare(r["lead"])]
    assert recs
    for rec in recs:
        doc = check(NEWS / fmt / rec["file"]).document
        assert doc is not None
        o = outline(doc)
        assert _words(o.lead.text if o.lead else "") == _words(rec["lead"]), rec["file"]


def _bare(s: str) -> str:
    return "".join(c for c in _dense(s) if c not in "“”\"'")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_ending_naming_organisers_is_the_ending(fmt: str) -> None:
    # Cause 4: `本次活动主办单位包括…` inside the last paragraph is not a site footer.
    recs = [r for r in _truth(fmt) if "主办单位" in r["ending"]]
    assert recs
    for rec in recs:
        doc = check(NEWS / fmt / rec["file"]).document
        assert doc is not None
        o = outline(doc)
        assert _words(o.ending.text if o.ending else "") == _words(rec["ending"]), rec["file"]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_captions_at_body_size_are_captions(fmt: str) -> None:
    # Cause 5: a short centred line under a photo, set like the body, is a caption.
    seen = 0
    for rec in _truth(fmt):
        doc = check(NEWS / fmt / rec["file"]).document
        assert doc is not None
        roles = {_dense(b.text): b.role for b in doc.blocks}
        for role, text, _ in rec["paragraphs"]:
            if role == "caption":
                seen += 1
                assert roles.get(_dense(text)) is Role.CAPTION, (rec["file"], text)
    assert seen >= 6


@pytest.mark.slow
@pytest.mark.parametrize("i", range(2))
def test_scan_places_agree_with_truth(i: int) -> None:
    rec = _truth("scan")[i]
    assert _places(NEWS / "scan" / rec["file"]) == rec["places"], rec["file"]


def test_libreoffice_export_keeps_the_verdicts(tmp_path: Path) -> None:
    # A fresh export by LibreOffice (scripts/install-libreoffice.sh) of a report with a photo
    # floating beside the lead: the same verdicts as the Word file.
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice not installed (scripts/install-libreoffice.sh could not install it)")
    rec = next(r for r in _truth("docx") if "cause:float-tight" in r["features"])
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(NEWS / "docx" / rec["file"])],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / (Path(rec["file"]).stem + ".pdf")
    assert _places(pdf) == rec["places"]
