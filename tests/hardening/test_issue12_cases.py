"""Issue 12's cases rebuilt from real sample files, asserting what gkcheck found."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import gkcheck
from fuzz.mutators import _bomb_pdf
from gkcheck.config import Config
from gkcheck.errors import UnreadableFile
from gkcheck.manifest import Manifest, ManifestError
from gkcheck.parsers.base import ParseOptions
from gkcheck.parsers.pdf import PdfParser
from gkcheck.safeio import Refused, classify_entry, input_root, read_limited
from gkcheck.vision.imageio import ImageDecodeError, decode
from gkcheck.writers.textsafe import printable

ROOT = Path(__file__).resolve().parents[2]
DOCX = ROOT / "samples" / "word" / "r005-all-true-style-title.docx"
CFG = Config(ocr=False)


def _rules(result: gkcheck.Result) -> list[str]:
    return [f.rule for f in result.findings]


# -- case 1: manifests nested 500 deep or linked to /dev/zero are ManifestErrors --------------


def test_deep_manifest_is_a_manifest_error(tmp_path: Path) -> None:
    (tmp_path / "submission.toml").write_text("x = " + "[" * 500 + "]" * 500 + "\n")
    with pytest.raises(ManifestError, match="nested 500 deep"):
        Manifest.load(tmp_path / "submission.toml")


def test_manifest_linked_to_dev_zero_is_a_manifest_error(tmp_path: Path) -> None:
    (tmp_path / "submission.toml").symlink_to("/dev/zero")
    with pytest.raises(ManifestError):
        Manifest.load(tmp_path / "submission.toml")
    # even with /dev inside the root
    with pytest.raises(ManifestError, match="not a regular file"), input_root("/"):
        Manifest.load(tmp_path / "submission.toml")


# -- cases 4 and 5: symlinks out of the input and special files are refused, never read -------


def test_links_out_of_the_submission_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "other-unit.docx"
    shutil.copy(DOCX, secret)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "新闻稿.docx").symlink_to(secret)
    (sub / "note.txt").symlink_to("/etc/passwd")
    (sub / "inside.docx").symlink_to(sub / "新闻稿.docx")
    refusal = classify_entry(sub / "新闻稿.docx", sub)
    assert refusal is not None and refusal.reason == "symlink-outside"
    assert "链接" in refusal.text("zh") and "outside" in refusal.text("en")
    assert classify_entry(sub / "note.txt", sub).reason == "symlink-outside"  # type: ignore[union-attr]
    with pytest.raises(Refused):
        read_limited(sub / "note.txt", sub)
    result = gkcheck.check(sub / "新闻稿.docx", config=CFG)
    assert _rules(result) == ["GK000"]
    assert result.findings[0].evidence["reason"] == "symlink-outside"
    assert "政务公开" not in str(result.to_dict())  # the outside report's text never read


def test_fifo_and_device_are_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "photo.jpg")
    (tmp_path / "zero.jpg").symlink_to("/dev/zero")
    assert classify_entry(tmp_path / "photo.jpg").reason == "special-file"  # type: ignore[union-attr]
    with pytest.raises(Refused) as info:
        read_limited(tmp_path / "photo.jpg")  # O_NONBLOCK: returns at once
    assert info.value.refusal.detail == "FIFO"
    with input_root("/"), pytest.raises(Refused) as info:
        read_limited(tmp_path / "zero.jpg", limit=1 << 20)
    assert info.value.reason == "special-file"
    with pytest.raises(ImageDecodeError):
        decode(tmp_path / "zero.jpg")


def test_byte_limit_is_counted_while_reading(tmp_path: Path) -> None:
    (tmp_path / "big.bin").write_bytes(b"x" * 5000)
    assert len(read_limited(tmp_path / "big.bin", limit=5000)) == 5000
    with pytest.raises(Refused) as info:
        read_limited(tmp_path / "big.bin", limit=4999)
    assert info.value.reason == "too-large"


# -- case 3: names with control characters can be written to XLSX/HTML -------------------------


def test_control_characters_become_visible_escapes() -> None:
    assert printable("报告\x01.docx") == "报告\\x01.docx"
    assert printable("a\tb\nc") == "a\tb\nc"
    assert printable("bad\udcff") == "bad\\udcff"


# -- case 6: a page inflating to 60 MB of NULs is refused before pdfminer sees it ---------------


def test_pdf_page_inflating_to_nuls_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_bomb_pdf(60 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    result = gkcheck.check(path, config=CFG)
    assert _rules(result) == ["GK000"]
    assert result.findings[0].evidence["reason"] == "too-large"


def test_check_timeout_runs_in_a_child_and_returns_a_result(tmp_path: Path) -> None:
    shutil.copy(DOCX, tmp_path / "r.docx")
    result = gkcheck.check(tmp_path / "r.docx", config=CFG, timeout=120)
    assert result.kind == "docx" and "GK000" not in _rules(result)
    assert result.document is not None and result.document.blocks


# -- case 7: a 108 MP phone photo is read (DCT-reduced), a bomb still refused -------------------


def test_108_megapixel_jpeg_is_read_reduced(tmp_path: Path) -> None:
    img = Image.new("RGB", (12000, 9000), (40, 90, 160))
    img.paste((230, 40, 40), (3000, 2000, 9000, 7000))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    del img
    dec = decode(buf.getvalue())
    assert dec.full_size == (12000, 9000)
    assert dec.pixels.shape[0] * dec.pixels.shape[1] <= 40_000_000  # never the full raster
    assert dec.scale == 0.5
    assert tuple(int(v) for v in dec.pixels[2250, 3000]) == pytest.approx((40, 40, 230), abs=12)


def test_absurd_pixels_per_byte_is_still_a_bomb() -> None:
    data = bytearray((ROOT / "samples" / "logo" / "huge-header.jpg").read_bytes())
    with pytest.raises(ImageDecodeError) as info:
        decode(bytes(data))
    assert info.value.reason == "too-large"


# -- case 8: pages past the limit are recorded; an undecodable picture stays listed -------------


def test_pages_past_the_limit_are_listed(tmp_path: Path) -> None:
    src = min((ROOT / "samples" / "pdf" / "text").glob("r00*.pdf"))
    opts = ParseOptions(ocr=False, max_pages=0)
    with pytest.raises(UnreadableFile):  # no page read at all: not a silent empty report
        PdfParser().parse(src, opts)
    doc = PdfParser().parse(src, ParseOptions(ocr=False, max_pages=1))
    assert doc.pages_total >= 1
    assert doc.pages_unread == tuple(range(2, doc.pages_total + 1))


def test_undecodable_embedded_picture_is_a_gk203(tmp_path: Path) -> None:
    with zipfile.ZipFile(DOCX) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    media = [n for n in parts if n.startswith("word/media/")]
    assert media
    for n in media:  # keep the JPEG/PNG magic, break the rest of the header
        parts[n] = parts[n][:4] + b"\x00" * 200
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    result = gkcheck.check(broken, config=Config())
    assert "GK203" in _rules(result)


# -- case 9: DTDs in UTF-16 or after padding are refused ----------------------------------------


@pytest.mark.parametrize(
    ("how", "part"),
    [("padded", "word/document.xml"), ("utf16", "word/document.xml"), ("padded", "word/styles.xml")],
)
def test_dtd_is_refused_in_utf16_and_after_padding(tmp_path: Path, how: str, part: str) -> None:
    with zipfile.ZipFile(DOCX) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    xml = parts[part]
    head, sep, rest = xml.partition(b"?>")
    body = head + sep + b" " * 9000 + b'<!DOCTYPE d [<!ENTITY x "X">]>' + rest
    if how == "utf16":
        body = body.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16")
    parts[part] = body
    path = tmp_path / f"{how}.docx"
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    result = gkcheck.check(path, config=CFG)
    assert _rules(result) == ["GK000"]
    assert result.findings[0].evidence["reason"] == "unsafe-xml"


def test_gray_jpeg_is_unchanged_by_the_reduction() -> None:
    buf = io.BytesIO()
    Image.fromarray(np.full((300, 400), 128, np.uint8)).save(buf, "JPEG")
    assert decode(buf.getvalue()).scale == 1.0


def test_partly_read_pdf_is_a_gk003_naming_the_pages() -> None:
    from gkcheck.checks.partial_read import partly_read
    from gkcheck.rules import CheckContext, iter_findings

    src = min((ROOT / "samples" / "pdf" / "text").glob("r00*.pdf"))
    doc = PdfParser().parse(src, ParseOptions(ocr=False, max_pages=1))
    assert doc.pages_total == 2
    findings = list(iter_findings(partly_read, doc, CheckContext(config=CFG, path=src, lang="zh")))
    assert [f.rule for f in findings] == ["GK003"]
    assert "仅读取了第 1 页" in findings[0].message and "第 2 页未读取" in findings[0].message
    assert findings[0].evidence["pages_unread"] == [2]
    whole = PdfParser().parse(src, ParseOptions(ocr=False))
    assert list(iter_findings(partly_read, whole, CheckContext(config=CFG, path=src))) == []


def test_check_past_its_timeout_is_a_gk000_timeout(tmp_path: Path) -> None:
    shutil.copy(DOCX, tmp_path / "r.docx")
    result = gkcheck.check(tmp_path / "r.docx", config=CFG, timeout=0.001)
    assert _rules(result) == ["GK000"]
    assert result.findings[0].evidence["reason"] == "timeout"
