"""OFD (GB/T 33190) reports: hand-written files and a third-party writer's, through the PDF path.

``samples/ofd/hand`` was written from the standard by ``samples/gen/ofd_hand.py`` (three ways
of saying the same: prefixed standard namespace, CTM-scaled text in page blocks with a page's
own resources, default namespace with absolute paths); ``samples/ofd/easyofd`` holds
LibreOffice PDFs of Word samples converted by easyofd, a writer from the package registry.
"""

from __future__ import annotations

import io
import json
import zipfile
from functools import cache
from pathlib import Path

import pytest

from gkcheck.config import Config
from gkcheck.errors import UnreadableFile
from gkcheck.model import Document
from gkcheck.parsers.base import ParseOptions
from gkcheck.parsers.ofd import OfdParser, _numbers
from gkcheck.parsers.pdf import PdfParser
from gkcheck.plugins import Registry

from .test_pdf_verdicts import verdicts

ROOT = Path(__file__).resolve().parents[2]
OFD = ROOT / "samples" / "ofd"
TRUTH = json.loads((OFD / "expected.json").read_text(encoding="utf-8"))
HAND = sorted(n for n in TRUTH if n.startswith("hand/"))
EASY = sorted(n for n in TRUTH if n.startswith("easyofd/"))


@cache
def parse(name: str) -> Document:
    return OfdParser().parse(OFD / name, ParseOptions(ocr=False))


def test_samples_exist() -> None:
    assert len(HAND) == 3 and len(EASY) >= 5


@pytest.mark.parametrize("name", HAND)
def test_hand_written_ofd_reads_as_written(name: str) -> None:
    doc = parse(name)
    truth = TRUTH[name]
    texts = [b.text for b in doc.blocks]
    assert doc.kind == "ofd"
    assert texts[0] == truth["title"]
    assert texts[1] == truth["lead"]
    assert texts[-1] == truth["ending"]
    # title 二号 centred, body 三号 with a 2-em indent, caption 小四: sizes from the fonts
    title, lead = doc.blocks[0], doc.blocks[1]
    assert title.style.size == pytest.approx(22.0, abs=0.2) and title.style.centered
    assert title.style.bold  # 小标宋 is a title face
    assert lead.style.size == pytest.approx(16.0, abs=0.2)
    assert lead.style.indent == pytest.approx(2.0, abs=0.3)
    # the template's running header and the page numbers are furniture, not report text
    assert not any("人民政府" in t or t.startswith("-") for t in texts)
    assert len(texts) == 8  # title, lead, 4 body paragraphs, caption, ending
    # the paragraph that runs over the page break is one block
    assert sum(1 for b in doc.blocks if b.origin.page == 2) >= 1
    assert len(doc.photos) == 1
    photo = doc.photos[0]
    assert (photo.width, photo.height, photo.media_type) == (640, 427, "image/jpeg")
    caption = doc.blocks[photo.position]
    assert caption.after_photo and caption.text.startswith("图为")
    assert caption.style.size == pytest.approx(12.0, abs=0.2)


def test_footnote_under_its_rule_is_not_report_text() -> None:
    doc = parse("hand/hand-default-ns.ofd")
    assert not any("统一部署，各单位按月" in b.text for b in doc.blocks)
    assert "page 1: footnotes left out of the text" in doc.notes


@pytest.mark.parametrize("name", HAND + EASY)
def test_verdicts_match_the_truth(name: str) -> None:
    assert verdicts(parse(name)) == TRUTH[name]["places"]


@pytest.mark.parametrize("name", EASY[:3])
def test_third_party_ofd_reads_like_its_pdf(name: str) -> None:
    doc = parse(name)
    pdf = PdfParser().parse(
        ROOT / "samples" / "pdf" / "text" / (Path(name).stem + ".pdf"), ParseOptions(ocr=False)
    )
    assert "".join(doc.blocks[0].text.split()) == "".join(pdf.blocks[0].text.split())
    # the writer draws every image on every page: each photo is kept once
    assert len(doc.photos) == len(pdf.photos) == TRUTH[name]["photos"]


def test_runs_spread_over_a_line_are_read_in_drawing_order() -> None:
    doc = parse("easyofd/r003-all-true-table-1x1.ofd")
    text = "".join(b.text for b in doc.blocks)
    # digits in a font of their own, spread with the Chinese over the whole line by the writer
    assert "于6月18日开展＂政务公开主题日＂系列活动" in text
    assert any("drawing order" in n for n in doc.notes)
    # the writer puts every picture in the top corner under the title: kept, not placed there
    assert [p.origin.bbox for p in doc.photos] == [None, None]
    assert not doc.blocks[0].after_photo


def test_g_shorthand() -> None:
    assert _numbers("g 3 2.5 1 g 2 0.5") == [2.5, 2.5, 2.5, 1.0, 0.5, 0.5]
    assert _numbers("g 0 57.5") == []
    assert _numbers("") == []
    assert len(_numbers("g 100000 1 " * 1000, limit=5)) == 5  # bounded by the text's length


def test_engine_and_registry_pick_the_ofd_reader(engine) -> None:  # type: ignore[no-untyped-def]
    path = OFD / "hand" / "hand-standard.ofd"
    reg = Registry.build(Config(), load_entrypoints=False)
    by_suffix, by_content = reg.parser_for(path, path.read_bytes()[:8192])
    assert isinstance(by_suffix, OfdParser) and by_content is by_suffix
    result = engine.check_file(path)
    assert result.kind == "ofd"
    assert not {"GK000", "GK001", "GK101", "GK102", "GK103", "GK104"} & result.rules()


# -- bad and hostile files ------------------------------------------------------------------


def _package(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _hand_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(OFD / "hand" / "hand-standard.ofd") as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _reason(tmp_path: Path, data: bytes, options: ParseOptions | None = None) -> str:
    path = tmp_path / "bad.ofd"
    path.write_bytes(data)
    with pytest.raises(UnreadableFile) as info:
        OfdParser().parse(path, options or ParseOptions())
    return info.value.reason


def test_entities_are_refused(tmp_path: Path) -> None:
    parts = _hand_parts()
    page = "Doc_0/Pages/Page_0/Content.xml"
    parts[page] = parts[page].replace(
        b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>', 1
    )
    assert _reason(tmp_path, _package(parts)) == "unsafe-xml"


def test_inflation_is_bounded_before_reading(tmp_path: Path) -> None:
    parts = _hand_parts()
    parts["Doc_0/Res/padding.xml"] = b" " * (2 * 1024 * 1024)
    options = ParseOptions(max_xml_part=1024 * 1024)
    assert _reason(tmp_path, _package(parts), options) == "too-large"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("not-zip", "corrupt"),
        ("no-ofd-xml", "wrong-format"),
        ("no-docroot", "corrupt"),
        ("no-pages", "corrupt"),
        ("empty", "empty"),
    ],
)
def test_broken_packages_are_unreadable(tmp_path: Path, change: str, reason: str) -> None:
    parts = _hand_parts()
    if change == "not-zip":
        data = b"PK\x03\x04 this is not a zip archive" * 10
    elif change == "empty":
        data = b""
    else:
        if change == "no-ofd-xml":
            parts.pop("OFD.xml")
        elif change == "no-docroot":
            parts["OFD.xml"] = b'<?xml version="1.0"?><ofd:OFD xmlns:ofd="x"><ofd:DocBody/></ofd:OFD>'
        elif change == "no-pages":
            doc = parts["Doc_0/Document.xml"]
            start, end = doc.index(b"<ofd:Pages>"), doc.index(b"</ofd:Pages>")
            parts["Doc_0/Document.xml"] = doc[:start] + doc[end + len(b"</ofd:Pages>") :]
        data = _package(parts)
    assert _reason(tmp_path, data) == reason
