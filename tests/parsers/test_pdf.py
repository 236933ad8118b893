"""The PDF parser on committed samples: paragraphs, furniture, style hints, photos, bad files."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import pdfplumber
import pytest
from PIL import Image

from gkcheck.errors import UnreadableFile
from gkcheck.parsers import layout
from gkcheck.parsers.base import ParseOptions
from gkcheck.parsers.pdf import PdfParser, _garbage_share

from ._support import PDF, needs_ocr, parse, scan_pdfs_by_size, truth

if TYPE_CHECKING:
    from pathlib import Path

    from gkcheck.model import Document

EDGE = PDF / "edge"


def _dense(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _texts(doc: Document) -> list[str]:
    return [_dense(b.text) for b in doc.blocks]


def _edge_report(stem: str):  # type: ignore[no-untyped-def]
    from samples.gen.pdf import edge_reports

    return next(r for r in edge_reports() if r.stem == stem)


# ---------------------------------------------------------------- text and paragraphs


def test_title_wrapped_inside_the_keyword_is_one_centred_block() -> None:
    report = _edge_report("title-wrap-keyword")
    path = EDGE / "title-wrap-keyword.pdf"
    with pdfplumber.open(path) as pdf:  # the keyword really is broken over two lines
        lines = (pdf.pages[0].extract_text() or "").splitlines()
    assert not any("政务公开主题日" in ln for ln in lines[:2])
    doc = parse(path)
    first = doc.blocks[0]
    assert first.text == report.title
    assert first.style.centered is True
    assert first.style.bold is True
    assert first.style.size == pytest.approx(22.0, abs=0.5)
    assert first.style.size == max(b.style.size or 0 for b in doc.blocks)
    assert first.origin.container == "page" and first.origin.page == 1


def test_every_paragraph_is_rebuilt_exactly() -> None:
    for stem in (
        "title-wrap-keyword",
        "furniture-pagebreak",
        "icon-and-photos",
        "plain-no-keyword",
    ):
        report = _edge_report(stem)
        texts = [b.text for b in parse(EDGE / f"{stem}.pdf").blocks]
        for para in [report.title, *report.paragraphs]:
            assert para in texts, (stem, para[:20])


def test_body_paragraphs_carry_indent_and_size() -> None:
    doc = parse(EDGE / "furniture-pagebreak.pdf")
    body = [b for b in doc.blocks if len(b.text) > 60]
    assert body and all(b.style.indent == 2.0 for b in body)
    assert all(b.style.size == pytest.approx(16.0, abs=0.3) for b in body)
    assert all(b.style.centered is False for b in body)


def test_page_numbers_and_running_headers_are_dropped() -> None:
    doc = parse(EDGE / "furniture-pagebreak.pdf")
    with pdfplumber.open(EDGE / "furniture-pagebreak.pdf") as pdf:
        n_pages = len(pdf.pages)
        raw = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert n_pages >= 3
    assert raw.count("雨花区政务公开工作简报") == n_pages  # printed on every page …
    assert "- 2 -" in raw
    joined = "\n".join(b.text for b in doc.blocks)
    assert "雨花区政务公开工作简报" not in joined  # … and gone
    assert not any(layout.is_page_number(b.text) for b in doc.blocks)
    assert not re.search(r"-\s*\d\s*-", joined)


@pytest.mark.parametrize(
    ("stem", "furniture"),
    [("title-wrap-keyword", "第 1 页 共 1 页"), ("icon-and-photos", "1/2")],
)
def test_other_page_number_forms_are_dropped(stem: str, furniture: str) -> None:
    with pdfplumber.open(EDGE / f"{stem}.pdf") as pdf:
        assert furniture in (pdf.pages[0].extract_text() or "")
    doc = parse(EDGE / f"{stem}.pdf")
    assert all(_dense(furniture) not in t for t in _texts(doc))


def test_a_paragraph_continues_across_the_page_break() -> None:
    from samples.gen.pdf import LONG_PARAGRAPH

    path = EDGE / "furniture-pagebreak.pdf"
    with pdfplumber.open(path) as pdf:
        pages = [(p.extract_text() or "").splitlines() for p in pdf.pages]
    long = _dense(LONG_PARAGRAPH)
    # find the page break inside the long paragraph: last body line of one page (before
    # the page number) and first body line of the next (after the running header)
    crossings = [
        (i, _dense(pages[i][-2]), _dense(pages[i + 1][1]))
        for i in range(len(pages) - 1)
        if _dense(pages[i][-2] + pages[i + 1][1]) in long
    ]
    assert crossings, "the sample lost its page break inside a paragraph"
    page, tail, head = crossings[0]
    doc = parse(path)
    (block,) = [b for b in doc.blocks if _dense(b.text) == long]
    assert block.origin.page is not None and block.origin.page <= page + 1
    assert tail + head in _dense(block.text)


def test_layout_joins_cjk_without_spaces_and_latin_with_one() -> None:
    assert layout.join_lines("开展“政务公", "开主题日”活动") == "开展“政务公开主题日”活动"
    assert layout.join_lines("the open", "day") == "the open day"
    assert layout.join_lines("LED电子", "屏") == "LED电子屏"
    assert layout.join_lines("infor-", "mation") == "information"


@pytest.mark.parametrize(
    "text",
    ["- 1 -", "—2—", "第 1 页 共 3 页", "第3页", "1/3", "12", "Page 2 of 9", "共 3 页 第 1 页"],
)
def test_page_number_forms(text: str) -> None:
    assert layout.is_page_number(text)


@pytest.mark.parametrize("text", ["1.政务公开", "2023-05-15", "第一页", "共发放资料300份"])
def test_not_page_numbers(text: str) -> None:
    assert not layout.is_page_number(text)


def test_reading_order_reads_side_by_side_cells_one_after_the_other() -> None:
    def line(text: str, x0: float, top: float, size: float) -> layout.Line:
        return layout.Line(text, x0, top, x0 + size * len(text), top + size, size)

    label = [line("政务动", 80, 150, 15), line("态", 95, 168, 15)]
    title = [line("雨花区开展“政务公开主", 144, 150, 20), line("题日”活动", 274, 173, 20)]
    order = layout.reading_order([label[0], title[0], label[1], title[1]])
    assert [ln.text for ln in order] == ["政务动", "态", "雨花区开展“政务公开主", "题日”活动"]
    # segments of one row are rejoined (a meta line with a wide gap)
    row = layout.reading_order(
        [line("来源：区司法局", 100, 200, 10), line("发布时间：2024", 300, 200, 10)]
    )
    assert [ln.text for ln in row] == ["来源：区司法局 发布时间：2024"]


def test_garbled_text_layers_are_recognised() -> None:
    assert _garbage_share(["\ue000", "\ue001", "\ue002", "政"]) > 0.5
    assert _garbage_share(["(cid:12)", "(cid:13)", "a"]) > 0.5
    assert _garbage_share(list("ÕþÎñ¹«¿ª")) > 0.5  # GBK bytes read as Latin-1
    assert _garbage_share(list("政务公开主题日 report")) == 0.0


# ---------------------------------------------------------------- photos


def test_photos_are_found_and_the_icon_is_not() -> None:
    doc = parse(EDGE / "icon-and-photos.pdf")
    assert len(doc.photos) == _edge_report("icon-and-photos").photos == 2
    sizes = sorted((p.width, p.height) for p in doc.photos)
    assert sizes == [(640, 480), (800, 600)]  # the 40×40 icon is not among them
    for photo in doc.photos:
        assert photo.media_type == "image/jpeg"
        with Image.open(io.BytesIO(photo.load())) as im:  # the data really decodes
            assert im.size == (photo.width, photo.height)
        assert photo.origin.page is not None and photo.origin.bbox is not None
        after = doc.blocks[photo.position]
        assert after.after_photo  # the caption follows the photo
        assert len(after.text) < 20


def test_an_image_that_cannot_be_decoded_is_rendered_from_the_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gkcheck.parsers.pdf as pdf_mod

    monkeypatch.setattr(pdf_mod, "_decode_image", lambda *a: "unsupported filter JBIG2Decode")
    doc = PdfParser().parse(EDGE / "icon-and-photos.pdf", ParseOptions(ocr=False))
    assert len(doc.photos) == 2
    assert sum("rendered from the page" in n for n in doc.notes) == 2
    for photo in doc.photos:
        with Image.open(io.BytesIO(photo.load())) as im:
            assert min(im.size) >= 120


def test_text_pdfs_have_the_photo_count_of_their_word_truth() -> None:
    expected = truth(PDF)
    checked = 0
    for name, t in sorted(expected.items()):
        if not name.startswith(("text/", "wps/")) or "photos" not in t:
            continue
        doc = parse(PDF / name)
        # photos_pdf: LibreOffice lost a floating picture of the Word file (recorded by the
        # generator from an independent pdfium count)
        assert len(doc.photos) == t.get("photos_pdf", t["photos"]), name
        checked += 1
    assert checked >= 20


def test_text_pdfs_rebuild_the_lead_and_ending_paragraphs() -> None:
    """The Word truth's lead and ending come out as whole paragraphs (joined lines)."""
    expected = truth(PDF)
    total = found = 0
    misses: list[str] = []
    for name, t in sorted(expected.items()):
        if not name.startswith("text/") or "lead" not in t:
            continue
        texts = _texts(parse(PDF / name))
        for key in ("lead", "ending"):
            want = _dense(t[key])
            total += 1
            if any(want in x for x in texts):
                found += 1
            else:
                misses.append(f"{name}:{key}")
    assert total >= 40
    assert found / total >= 0.95, misses


# ---------------------------------------------------------------- scans and bad files


def test_scanned_pdf_without_ocr_is_marked_skipped() -> None:
    scans = sorted((PDF / "scan").glob("*.pdf"))
    assert scans
    doc = PdfParser().parse(scans[0], ParseOptions(ocr=False))
    assert doc.ocr_skipped
    assert doc.blocks == ()
    assert any("OCR" in n for n in doc.notes)


@needs_ocr
def test_scanned_pdf_is_read_by_ocr() -> None:
    expected = truth(PDF)
    name = scan_pdfs_by_size()[0]  # the verdict test reads the same one (parse is cached)
    doc = parse(PDF / name)
    assert not doc.ocr_skipped
    assert doc.blocks and all(b.origin.ocr for b in doc.blocks)
    assert any("read by OCR" in n for n in doc.notes)
    lead = _dense(expected[name]["lead"])[:12]
    assert any(lead in _dense(b.text) for b in doc.blocks)
    # a size hint in points, comparable with text-layer pages
    sizes = sorted(b.style.size or 0 for b in doc.blocks)
    assert 8 <= sizes[len(sizes) // 2] <= 20


@pytest.mark.parametrize(
    ("name", "reason"),
    [("empty.pdf", "empty"), ("truncated.pdf", "corrupt"), ("encrypted.pdf", "encrypted")],
)
def test_bad_files_are_unreadable(name: str, reason: str) -> None:
    with pytest.raises(UnreadableFile) as info:
        PdfParser().parse(EDGE / name, ParseOptions())
    assert info.value.reason == reason


def test_garbage_bytes_are_unreadable(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    with pytest.raises(UnreadableFile):
        PdfParser().parse(bad, ParseOptions())


def test_time_budget_stops_a_slow_file() -> None:
    with pytest.raises(UnreadableFile) as info:
        PdfParser(time_budget=0.0).parse(EDGE / "furniture-pagebreak.pdf", ParseOptions())
    assert info.value.reason == "timeout"


def test_max_pages_is_honoured() -> None:
    doc = PdfParser().parse(EDGE / "furniture-pagebreak.pdf", ParseOptions(max_pages=1))
    assert {b.origin.page for b in doc.blocks} == {1}
    assert any(re.search(r"first 1 of [3-9] pages", n) for n in doc.notes)


def test_sniff_and_registration() -> None:
    from gkcheck.parsers.base import Parser
    from gkcheck.parsers.pdf import gkcheck_register_parsers

    parser = PdfParser()
    assert parser.sniff(b"%PDF-1.4\n")
    assert parser.sniff(b"\xef\xbb\xbfjunk%PDF-1.7")
    assert not parser.sniff(b"PK\x03\x04")
    (registered,) = gkcheck_register_parsers()
    assert isinstance(registered, Parser) and registered.kind == "pdf"
