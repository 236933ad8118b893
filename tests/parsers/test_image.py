"""The image parser: screenshots and scans read by OCR, plain photos, bad pictures."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import numpy as np
import pytest
from PIL import Image

from gkcheck.errors import UnreadableFile
from gkcheck.parsers.base import ParseOptions
from gkcheck.parsers.image import ImageParser, find_photo_regions

from ._support import IMAGES, needs_ocr, parse, truth

if TYPE_CHECKING:
    from pathlib import Path


def _dense(text: str) -> str:
    """Letters, digits and ideographs only: OCR reads quotes and dashes inconsistently."""
    return re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]", "", text)


def _first(prefix: str) -> str:
    names = sorted(n for n in truth(IMAGES) if n.startswith(prefix))
    if not names:
        pytest.skip(f"no {prefix} samples generated")
    return names[0]


def _synthetic_photo(tmp_path: Path) -> Path:
    from samples.gen.pdf import synthetic_photo

    path = tmp_path / "event.jpg"
    synthetic_photo(5, 900, 640, logo=True).save(path, "JPEG", quality=85)
    return path


@needs_ocr
def test_web_screenshot_becomes_paragraphs_and_photos() -> None:
    name = _first("web/")
    t = truth(IMAGES)[name]
    doc = parse(IMAGES / name)
    assert doc.kind == "image"
    assert doc.blocks and all(b.origin.ocr for b in doc.blocks)
    texts = [_dense(b.text) for b in doc.blocks]
    # the lead comes out as one paragraph (OCR may miss a character or two)
    lead = _dense(t["lead"])
    assert any(lead[:15] in x and lead[-10:] in x for x in texts)
    # the title is the biggest text of the report column
    title = _dense(t["title"])[-10:]
    title_blocks = [b for b in doc.blocks if title in _dense(b.text)]
    assert title_blocks
    body_size = sorted(b.style.size or 0 for b in doc.blocks)[len(doc.blocks) // 2]
    assert (title_blocks[0].style.size or 0) > body_size * 1.2
    assert len(doc.photos) == t["photos"]
    for photo in doc.photos:
        with Image.open(io.BytesIO(photo.load())) as im:
            assert im.size == (photo.width, photo.height)
        if photo.position < len(doc.blocks):
            assert doc.blocks[photo.position].after_photo


@needs_ocr
def test_scanned_page_picture_is_read() -> None:
    name = _first("scan/")
    t = truth(IMAGES)[name]
    doc = parse(IMAGES / name)
    texts = [_dense(b.text) for b in doc.blocks]
    ending = _dense(t["ending"])
    assert any(ending[:12] in x for x in texts)
    assert len(doc.photos) == t["photos"]


@needs_ocr
def test_a_plain_event_photo_is_one_photo_and_no_text(tmp_path: Path) -> None:
    path = _synthetic_photo(tmp_path)
    doc = ImageParser().parse(path, ParseOptions())
    assert doc.blocks == ()
    assert len(doc.photos) == 1
    assert (doc.photos[0].width, doc.photos[0].height) == (900, 640)


def test_without_ocr_the_whole_picture_is_a_photo_and_reading_is_skipped(tmp_path: Path) -> None:
    path = _synthetic_photo(tmp_path)
    doc = ImageParser().parse(path, ParseOptions(ocr=False))
    assert doc.ocr_skipped
    assert doc.blocks == ()
    assert len(doc.photos) == 1
    assert any("OCR" in n for n in doc.notes)


def test_photo_regions_are_found_on_a_page_and_text_is_not(tmp_path: Path) -> None:
    from samples.gen.pdf import synthetic_photo

    page = Image.new("RGB", (1000, 1400), (255, 255, 255))
    from PIL import ImageDraw, ImageFont

    draw = ImageDraw.Draw(page)
    # Pillow's own font (no system font: a fresh machine may have no CJK one); lines of text
    # as wide as the CJK lines they stand for
    font = ImageFont.load_default(size=22)
    for i in range(12):
        draw.text(
            (100, 80 + i * 36),
            "Staff hand out leaflets at the openness theme day event",
            font=font,
            fill=(30, 30, 30),
        )
    draw.rectangle([0, 0, 1000, 60], fill=(180, 30, 36))  # a flat site band: not a photo
    page.paste(synthetic_photo(3, 600, 420), (200, 600))
    bgr = np.asarray(page)[:, :, ::-1].copy()
    boxes = find_photo_regions(bgr, min_side=120, min_area=40_000)
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert abs(x0 - 200) < 20 and abs(y0 - 600) < 20
    assert abs(x1 - 800) < 20 and abs(y1 - 1020) < 20


@pytest.mark.parametrize("content", [b"", b"\xff\xd8\xff\xe0garbage", b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_bad_pictures_are_unreadable(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.jpg"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile):
        ImageParser().parse(path, ParseOptions(ocr=False))


def test_sniff_and_registration() -> None:
    from gkcheck.parsers.base import Parser
    from gkcheck.parsers.image import gkcheck_register_parsers

    parser = ImageParser()
    assert parser.sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    assert parser.sniff(b"\x89PNG\r\n\x1a\n")
    assert parser.sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ")
    assert not parser.sniff(b"%PDF-1.7")
    (registered,) = gkcheck_register_parsers()
    assert isinstance(registered, Parser) and ".jpg" in registered.suffixes
