"""``gkcheck.check`` on content in memory: bytes or a file object, shown under its name."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest

import gkcheck
from gkcheck.uploads import safe_name

from .conftest import ROOT

REPORT = ROOT / "samples" / "word" / "r030-all-false-big-normal.docx"


def _tmp_entries() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("gkcheck-upload-*")}


def test_bytes_and_file_objects_give_the_path_result_under_their_name() -> None:
    before = _tmp_entries()
    data = REPORT.read_bytes()
    by_path = json.loads(gkcheck.check(REPORT).to_json())["results"][0]
    by_bytes = gkcheck.check(data, name="新闻稿.docx")
    by_file = gkcheck.check(io.BytesIO(data), name="新闻稿.docx")
    assert str(by_bytes.path) == "新闻稿.docx"
    assert {f.location.file for f in by_bytes.findings} == {"新闻稿.docx"}
    text = json.dumps(by_path, ensure_ascii=False)
    expected = json.loads(text.replace(str(REPORT), "新闻稿.docx").replace(REPORT.name, "新闻稿.docx"))
    assert json.loads(by_bytes.to_json())["results"][0] == expected
    assert by_file.to_dict() == by_bytes.to_dict()
    assert {f.rule for f in by_bytes.findings} == {"GK101", "GK102", "GK103", "GK104"}
    assert _tmp_entries() == before  # the private folder is gone


def test_bad_content_is_a_finding_under_the_name() -> None:
    result = gkcheck.check(b"%PDF-1.4 broken", name="../../坏.pdf")
    assert str(result.path) == "../../坏.pdf"  # shown as given; stored as 坏.pdf
    (finding,) = result.findings
    assert finding.rule == "GK000" and finding.location.file == "../../坏.pdf"
    assert "gkcheck-upload" not in result.to_json()


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("新闻稿.docx", "新闻稿.docx"),
        ("../../x.docx", "x.docx"),
        ("/etc/passwd", "passwd"),
        ("C:\\Users\\a\\报道.pdf", "报道.pdf"),
        ("a\x00b.jpg", "ab.jpg"),
        ("..", "upload"),
        ("", "upload"),
        ("  .hidden.docx ", "hidden.docx"),
        ("a:b|c?.png", "abc.png"),
    ],
)
def test_safe_name(given: str, stored: str) -> None:
    assert safe_name(given) == stored


def test_safe_name_shortens_long_names_keeping_the_suffix() -> None:
    name = safe_name("长" * 1000 + ".docx")
    assert name.endswith(".docx") and len(name.encode()) <= 150 and name.startswith("长")
