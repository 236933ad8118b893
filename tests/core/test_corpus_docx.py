"""Every real-world Word file of other readers' test suites gets a result, without a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkcheck.engine import Engine
from gkcheck.model import Role

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "docx-peers"
FILES = sorted(CORPUS.rglob("*.docx")) if CORPUS.is_dir() else []


def _text(engine: Engine, name: str) -> list[str]:
    doc = engine.parse(CORPUS / name)
    assert not hasattr(doc, "findings"), doc
    return [b.text for b in doc.blocks]  # type: ignore[union-attr]


@pytest.mark.skipif(not FILES, reason="shared/corpus is not beside this checkout")
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_file_gets_a_result(engine: Engine, path: Path) -> None:
    result = engine.check(path)
    assert result.path == path
    allowed = {"GK000", "GK001", "GK101", "GK102", "GK103", "GK104", "GK201", "GK202", "GK203"}
    assert {f.rule for f in result.findings} <= allowed
    assert "GK002" not in result.rules()


pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/corpus not present")


def test_text_box_read_once(engine: Engine) -> None:
    assert _text(engine, "python-mammoth/text-box.docx") == ["Datum plane"]


def test_strict_ooxml(engine: Engine) -> None:
    assert _text(engine, "docx2python/strict.docx")[:2] == ["Bullet1", "Bullet2"]


def test_renamed_main_part(engine: Engine) -> None:
    assert _text(engine, "docx2python/renamed_document_xml.docx") == ["This is a link to my website."]


def test_soft_line_breaks(engine: Engine) -> None:
    assert _text(engine, "docx2python/soft_line_breaks.docx")[0] == "Line1\nLine2\nLine3"


def test_comments_are_not_report_text(engine: Engine) -> None:
    text = " ".join(_text(engine, "docx2python/comments.docx"))
    assert "Par2" in text
    doc = engine.parse(CORPUS / "docx2python/comments.docx")
    assert all(b.role is not Role.UNKNOWN or not b.text.strip() for b in doc.blocks)  # type: ignore[union-attr]


def test_header_only_text_is_ignored(engine: Engine) -> None:
    assert _text(engine, "docx2python/nested_paragraphs_in_header.docx") == []


def test_pict_picture_outside_paragraph_is_a_photo(engine: Engine) -> None:
    doc = engine.parse(CORPUS / "docx2python/has_pict.docx")
    assert [(p.width, p.height) for p in doc.photos] == [(640, 426)]  # type: ignore[union-attr]


def test_tiny_pictures_are_not_photos(engine: Engine) -> None:
    for name in ("python-mammoth/tiny-picture.docx", "docx2python/pic_alt_text.docx"):
        assert engine.parse(CORPUS / name).photos == ()  # type: ignore[union-attr]
