"""PDF reports: the text layer read with pdfplumber, scanned pages read by OCR.

Reports reach us as PDFs exported from Word or WPS, and as scans. A text layer gives exact
characters with their font and position; the parser rebuilds what a reader sees from them:

* characters → lines (vertical overlap), lines → paragraphs by the geometry shared with the
  image parser (:mod:`gkcheck.parsers.layout`): first-line indent, wider gaps, a short line
  after 。！？, a change of size or alignment; a paragraph goes on across a page break;
* page furniture is dropped — page numbers (``- 1 -``, ``第 1 页 共 3 页``, ``1/3``, a bare
  number at the foot) and running headers/footers repeated on most pages — because a
  repeated header before the title would otherwise be taken for the title;
* style hints per paragraph: median size in points, bold from the font name, centring;
* embedded raster images that are photos (not icons, rules or page backgrounds), decoded
  to JPEG/PNG bytes; an image we cannot decode is rendered from the page with pypdfium2;
* a page without a usable text layer (a scan, or glyphs that map to private-use codes,
  ``(cid:N)`` or Latin-1 mojibake) is rendered with pypdfium2 and read by OCR.

Bad files raise :class:`~gkcheck.errors.UnreadableFile` (empty, encrypted, corrupt,
timeout); nothing else escapes for bad input.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import time
import zlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from gkcheck.errors import Detail, UnreadableFile
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document, Origin, Photo
from gkcheck.parsers import layout
from gkcheck.parsers.image import (
    OcrNotRun,
    blocks_and_photos,
    cut_photo,
    encode_jpeg,
    ocr_engine,
    ocr_page,
)
from gkcheck.safeio import read_limited

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from gkcheck.parsers.base import ParseOptions, Parser
    from gkcheck.vision.ocr import OcrEngine

__all__ = ["PdfParser"]

log = logging.getLogger(__name__)

#: Seconds one file may take; checked between pages (a page itself cannot be interrupted).
TIME_BUDGET = 90.0
#: Pixels an embedded image may have before we refuse to decode it.
MAX_IMAGE_PIXELS = 60_000_000
#: Long side (px) a scanned page is rendered at for OCR: ~140 dpi on A4 reads 9 pt
#: captions as well as 2000 px does, for about two thirds of the detector's time.
PAGE_OCR_SIDE = 1600
#: A displayed picture smaller than this (points) on either side is decoration.
MIN_PHOTO_BOX = 56.0  # ~2 cm

_BOLD = re.compile(
    r"bold|heavy|black|semibold|demi|(?<!ya)hei(?!ti\s*light)|黑|xbs|xiaobiaosong|小标宋|,b$",
    re.IGNORECASE,
)
_CID = re.compile(r"\(cid:\d+\)")


def _is_bold_font(name: str) -> bool:
    base = name.split("+", 1)[-1]
    return bool(_BOLD.search(base))


@dataclass(slots=True)
class _Page:
    """One page's extracted content, before paragraphs are built."""

    number: int
    width: float
    height: float
    lines: list[layout.Line] = field(default_factory=list)
    photos: list[tuple[Photo, float]] = field(default_factory=list)  # (photo, top)
    ocr: bool = False


def _garbage_share(texts: Sequence[str]) -> float:
    """Share of characters that are not real text: PUA, U+FFFD, (cid:N), Latin-1 mojibake.

    A Chinese PDF whose fonts lack a usable ToUnicode map extracts as private-use codes,
    ``(cid:123)`` or as GBK bytes misread as Latin-1 (``ÕþÎñ``); such a layer must be read
    from the pixels instead.
    """
    total = 0
    bad = 0
    for t in texts:
        if _CID.fullmatch(t):
            total += 1
            bad += 1
            continue
        for ch in t:
            if ch.isspace():
                continue
            total += 1
            o = ord(ch)
            if (
                0xE000 <= o <= 0xF8FF
                or o == 0xFFFD
                or o < 0x20
                or 0x80 <= o <= 0x9F
                or (0xA1 <= o <= 0xFF)
            ):
                bad += 1
    return bad / total if total else 0.0


_WEIGHT = re.compile(r"bold|heavy|black|semibold|demi", re.IGNORECASE)
_NOTE_REF = re.compile(r"^[0-9*†‡\[\]（）()①-⑳]+$")


def _bold_fonts(chars: Sequence[dict[str, Any]]) -> Callable[[str], bool]:
    """A bold test for this page's fonts.

    A font named for its weight (Bold, Heavy, Black) is bold; a 黑体-style family (SimHei,
    ZenHei) is bold only when it is not the page's body font — a report set entirely in a
    黑体 substitute has no bold text, and calling it all bold would hide the title.
    """
    counts: dict[str, int] = {}
    for c in chars:
        name = str(c.get("fontname", ""))
        counts[name] = counts.get(name, 0) + 1
    body = max(counts, key=lambda k: counts[k]) if counts else ""
    cache: dict[str, bool] = {}

    def test(name: str) -> bool:
        if name not in cache:
            base = name.split("+", 1)[-1]
            cache[name] = bool(_WEIGHT.search(base)) or (name != body and _is_bold_font(name))
        return cache[name]

    return test


def _chars_to_lines(chars: Sequence[dict[str, Any]], page_no: int) -> list[layout.Line]:
    """Cluster upright characters into visual line segments, in reading order.

    A character joins the row whose vertical band holds its centre. Within a row,
    characters drawn twice at (almost) the same place — a common fake-bold trick — are kept
    once; small raised digits (footnote references) are dropped; a gap wider than a space
    becomes one space (between CJK characters only a full em counts, narrower gaps are
    justification). A gap of several ems splits the row into segments (table cells or text
    boxes side by side), which :func:`layout.reading_order` puts back in reading order.
    """
    items = [
        c
        for c in chars
        if c.get("upright", True) and str(c.get("text", "")).strip() and float(c["size"]) > 0
    ]
    bold_font = _bold_fonts(items)
    items.sort(key=lambda c: (float(c["top"]) + float(c["bottom"])) / 2)
    groups: list[list[dict[str, Any]]] = []
    band: tuple[float, float] = (0.0, -1.0)
    for c in items:
        top, bottom = float(c["top"]), float(c["bottom"])
        mid = (top + bottom) / 2
        if groups and band[0] <= mid <= band[1]:
            groups[-1].append(c)
            if bottom - top < 3 * (band[1] - band[0]):
                band = (min(band[0], top), max(band[1], bottom))
        else:
            groups.append([c])
            band = (top, bottom)
    out: list[layout.Line] = []
    for g in groups:
        g.sort(key=lambda c: float(c["x0"]))
        med_size = statistics.median(float(c["size"]) for c in g)
        med_bottom = statistics.median(float(c["bottom"]) for c in g)
        kept: list[dict[str, Any]] = []
        faked = False
        for c in g:
            size = float(c["size"])
            if (
                size < 0.75 * med_size
                and float(c["bottom"]) < med_bottom - 0.25 * med_size
                and _NOTE_REF.match(str(c["text"]).strip())
            ):
                continue  # a superscript footnote reference
            if kept:
                p = kept[-1]
                if (
                    p["text"] == c["text"]
                    and abs(float(p["x0"]) - float(c["x0"])) < 0.3 * size
                    and abs(float(p["top"]) - float(c["top"])) < 0.3 * size
                ):
                    faked = True
                    continue
            kept.append(c)
        segment: list[dict[str, Any]] = []
        for c in kept:
            if segment:
                gap = float(c["x0"]) - float(segment[-1]["x1"])
                small, big = sorted((float(c["size"]), float(segment[-1]["size"])))
                if gap > 1.5 * small or (gap > 0.8 * small and big > 1.15 * small):
                    out.extend(_segment_line(segment, page_no, faked, bold_font))
                    segment = []
            segment.append(c)
        out.extend(_segment_line(segment, page_no, faked, bold_font))
    return layout.reading_order(out)


def _segment_line(
    chars: Sequence[dict[str, Any]],
    page_no: int,
    faked: bool,
    bold_font: Callable[[str], bool],
) -> list[layout.Line]:
    """One run of characters on a row as a :class:`layout.Line` (none when blank)."""
    if not chars:
        return []
    parts: list[str] = []
    prev: dict[str, Any] | None = None
    for c in chars:
        text = _CID.sub("\ufffd", str(c["text"]))
        if prev is not None:
            gap = float(c["x0"]) - float(prev["x1"])
            size = min(float(c["size"]), float(prev["size"]))
            cjk = layout.is_cjk(text[0]) or layout.is_cjk(str(prev["text"])[-1])
            if gap > size * (0.9 if cjk else 0.18):
                parts.append(" ")
        parts.append(text)
        prev = c
    text = "".join(parts).strip()
    if not text:
        return []
    sizes = [float(c["size"]) for c in chars]
    bold_n = sum(1 for c in chars if bold_font(str(c.get("fontname", ""))))
    return [
        layout.Line(
            text=text,
            x0=min(float(c["x0"]) for c in chars),
            top=min(float(c["top"]) for c in chars),
            x1=max(float(c["x1"]) for c in chars),
            bottom=max(float(c["bottom"]) for c in chars),
            size=float(statistics.median(sizes)),
            page=page_no,
            bold=faked or bold_n * 2 > len(chars),
        )
    ]


class _Pdfium:
    """A lazily opened pypdfium2 document for rendering (scans, undecodable images)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._doc: Any = None
        self.failed: str | None = None

    def page(self, index: int) -> Any:
        if self._doc is None and self.failed is None:
            try:
                import pypdfium2 as pdfium

                self._doc = pdfium.PdfDocument(self.data)
            except Exception as exc:  # noqa: BLE001 - pdfium raises its own error types
                self.failed = str(exc)
        if self._doc is None:
            raise RuntimeError(f"pdfium cannot open the file: {self.failed}")
        return self._doc[index]

    def render(
        self, index: int, scale: float, crop: tuple[float, float, float, float] = (0, 0, 0, 0)
    ) -> np.ndarray:
        """BGR pixels of a page (or a cropped part of it) at ``scale`` px per point."""
        page = self.page(index)
        try:
            bitmap = page.render(scale=scale, crop=crop)
            arr = np.asarray(bitmap.to_numpy())
            mode = str(getattr(bitmap, "mode", "BGR"))
        finally:
            page.close()
        if arr.ndim == 3 and arr.shape[2] == 4:
            arr = arr[:, :, :3]
        if mode.startswith("RGB"):
            arr = arr[:, :, ::-1]
        if arr.ndim == 2:
            arr = np.repeat(arr[:, :, None], 3, axis=2)
        return np.ascontiguousarray(arr)

    def close(self) -> None:
        if self._doc is not None:
            try:
                self._doc.close()
            except Exception:
                log.debug("pdfium close failed", exc_info=True)
            self._doc = None


def _literal(value: Any) -> str:
    from pdfminer.psparser import PSLiteral

    if isinstance(value, PSLiteral):
        name = value.name
        return name.decode("latin-1") if isinstance(name, bytes) else str(name)
    return str(value)


def _colour_components(cs: Any) -> tuple[str, int, Any]:
    """(family, components, extra) for an image colour space; extra is Indexed data."""
    from pdfminer.pdftypes import resolve1

    cs = resolve1(cs)
    if isinstance(cs, list) and cs:
        head = _literal(resolve1(cs[0]))
        if head == "ICCBased" and len(cs) > 1:
            stream = resolve1(cs[1])
            n = int(resolve1(getattr(stream, "attrs", {}).get("N", 3)) or 3)
            return ("ICC", n, None)
        if head == "Indexed" and len(cs) >= 4:
            base_family, base_n, _ = _colour_components(cs[1])
            lookup = resolve1(cs[3])
            table = lookup.get_data() if hasattr(lookup, "get_data") else lookup
            if isinstance(table, str):
                table = table.encode("latin-1")
            return ("Indexed", 1, (base_family, base_n, bytes(table)))
        if head in ("CalRGB", "Lab"):
            return (head, 3, None)
        if head == "CalGray":
            return (head, 1, None)
        if head == "DeviceN" and len(cs) > 1:
            names = resolve1(cs[1])
            return ("DeviceN", len(names) if isinstance(names, list) else 1, None)
        if head == "Separation":
            return ("Separation", 1, None)
        return _colour_components(cs[0]) if len(cs) == 1 else (head, 3, None)
    name = _literal(cs)
    return {
        "DeviceGray": ("Gray", 1, None),
        "G": ("Gray", 1, None),
        "DeviceRGB": ("RGB", 3, None),
        "RGB": ("RGB", 3, None),
        "DeviceCMYK": ("CMYK", 4, None),
        "CMYK": ("CMYK", 4, None),
    }.get(name, (name, 0, None))


def _decode_image(stream: Any, width: int, height: int) -> tuple[bytes, str, int, int] | str:
    """Encoded bytes, media type and pixel size of an image XObject, or why not.

    JPEG (DCTDecode) data is kept as stored when PIL reads it as grey or RGB, re-encoded
    otherwise (CMYK); JPEG 2000 goes through PIL when it has OpenJPEG; raw (Flate, LZW, …)
    samples of 8 bits in grey/RGB/CMYK/ICC/Indexed spaces are rebuilt and stored as JPEG.
    An alpha mask (SMask) is ignored: the photo is the colour data. Everything else returns
    a reason and the caller renders the image's box instead.
    """
    from pdfminer.pdftypes import resolve1

    from gkcheck.vision.pillow import Image

    attrs = getattr(stream, "attrs", {})
    if resolve1(attrs.get("ImageMask")) is True:
        return "stencil mask (no colour data)"
    if width * height > MAX_IMAGE_PIXELS:
        return f"too large ({width}x{height})"
    filters = [_literal(f) for f, _ in stream.get_filters()]
    last = filters[-1] if filters else ""
    data = stream.get_data()
    if last in ("DCTDecode", "DCT", "JPXDecode"):
        with Image.open(io.BytesIO(data)) as im:
            if im.size[0] * im.size[1] > MAX_IMAGE_PIXELS:
                return f"too large ({im.size[0]}x{im.size[1]})"
            im.load()
            size = im.size
            if last != "JPXDecode" and im.mode in ("L", "RGB"):
                return data, "image/jpeg", size[0], size[1]
            rgb = im.convert("RGB")
            if im.mode == "CMYK" and _inverted_decode(attrs):
                from gkcheck.vision.pillow import ImageOps

                rgb = ImageOps.invert(rgb)
        buf = io.BytesIO()
        rgb.save(buf, "JPEG", quality=90)
        return buf.getvalue(), "image/jpeg", size[0], size[1]
    if last not in (
        "",
        "FlateDecode",
        "Fl",
        "LZWDecode",
        "LZW",
        "RunLengthDecode",
        "RL",
        "ASCIIHexDecode",
        "AHx",
        "ASCII85Decode",
        "A85",
    ):
        return f"unsupported filter {last}"
    bpc = int(resolve1(attrs.get("BitsPerComponent", attrs.get("BPC", 8))) or 8)
    family, n, extra = _colour_components(attrs.get("ColorSpace", attrs.get("CS")))
    if bpc != 8 or n not in (1, 3, 4):
        return f"raw samples of {bpc} bits in {family} colour space"
    row = width * n
    if len(data) < row * height:
        return "image data shorter than its declared size"
    arr = np.frombuffer(data[: row * height], dtype=np.uint8).reshape(height, width, n)
    if family == "Indexed" and extra is not None:
        base_family, base_n, table = extra
        if base_n not in (1, 3, 4) or not table:
            return "indexed colour with an unusable palette"
        pal = np.frombuffer(table, dtype=np.uint8)
        pal = pal[: (pal.size // base_n) * base_n].reshape(-1, base_n)
        idx = np.minimum(arr[:, :, 0], pal.shape[0] - 1)
        arr = pal[idx]
        n, family = base_n, base_family
    pixels: np.ndarray
    if n == 1:
        pixels = np.repeat(arr, 3, axis=2) if arr.ndim == 3 else np.stack([arr] * 3, axis=2)
    elif n == 3:
        pixels = arr
    else:
        c, m, y, k = (arr[:, :, i].astype(np.float32) / 255.0 for i in range(4))
        cmy = np.stack([(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)], axis=2)
        pixels = (cmy * 255).astype(np.uint8)
    bgr = np.ascontiguousarray(pixels[:, :, ::-1])
    return encode_jpeg(bgr, 90), "image/jpeg", width, height


def _layout_objects(
    page: Any, rules: list[tuple[float, float, float, float]] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Characters and images of a page, straight from pdfminer's layout.

    ``page.chars`` converts every character into a dict of ~20 resolved attributes, which
    costs more than parsing the page; only the few this parser needs are taken here, in
    pdfplumber's coordinates (top-left origin, MediaBox offsets applied).
    """
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage

    height = float(page.height)
    mb_x0, mb_top = (float(v) for v in page.mediabox[:2])
    chars: list[dict[str, Any]] = []
    images: list[dict[str, Any]] = []
    stack: list[Any] = list(page.layout)
    stack.reverse()
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTChar):
            font = obj.fontname
            if isinstance(font, bytes):
                font = font.decode("latin-1", "replace")
            chars.append(
                {
                    "text": obj.get_text(),
                    "fontname": str(font),
                    "size": float(obj.size),
                    "x0": float(obj.x0) + mb_x0,
                    "x1": float(obj.x1) + mb_x0,
                    "top": height - float(obj.y1) + mb_top,
                    "bottom": height - float(obj.y0) + mb_top,
                    "upright": bool(obj.upright),
                    "dir": _direction(obj.matrix),
                }
            )
        elif isinstance(obj, LTImage):
            images.append(
                {
                    "x0": float(obj.x0) + mb_x0,
                    "x1": float(obj.x1) + mb_x0,
                    "top": height - float(obj.y1) + mb_top,
                    "bottom": height - float(obj.y0) + mb_top,
                    "srcsize": tuple(obj.srcsize),
                    "stream": obj.stream,
                    "name": obj.name,
                }
            )
        elif isinstance(obj, LTCurve):
            if rules is not None and float(obj.height) <= 1.5 and float(obj.width) > 10:
                rules.append(
                    (
                        float(obj.x0) + mb_x0,
                        height - float(obj.y1) + mb_top,
                        float(obj.x1) + mb_x0,
                        height - float(obj.y0) + mb_top,
                    )
                )
        elif isinstance(obj, LTContainer):
            children = list(obj)
            children.reverse()
            stack.extend(children)
    return chars, images


def _direction(matrix: Sequence[float]) -> str:
    """Which way a character's baseline runs on the page: right, down, left or up."""
    a, b = float(matrix[0]), float(matrix[1])
    if abs(a) >= abs(b):
        return "right" if a >= 0 else "left"
    return "up" if b > 0 else "down"


def _turn(chars: list[dict[str, Any]], width: float, height: float, way: str) -> None:
    """Rotate character boxes so text running ``way`` reads left to right (in place).

    A page turned by /Rotate or a landscape table set sideways has every baseline running
    down or up; turning the coordinates lets the same line and paragraph logic read it.
    """
    for c in chars:
        x0, x1, top, bottom = c["x0"], c["x1"], c["top"], c["bottom"]
        if way == "down":
            c["x0"], c["x1"], c["top"], c["bottom"] = top, bottom, width - x1, width - x0
        elif way == "up":
            c["x0"], c["x1"], c["top"], c["bottom"] = height - bottom, height - top, x0, x1
        elif way == "left":
            c["x0"], c["x1"], c["top"], c["bottom"] = (
                width - x1,
                width - x0,
                height - bottom,
                height - top,
            )
        c["upright"] = True


def _bilevel(stream: Any) -> bool:
    """Black-and-white image data (1 bit, CCITT fax or JBIG2 coding)."""
    from pdfminer.pdftypes import resolve1

    try:
        attrs = getattr(stream, "attrs", {})
        bits = resolve1(attrs.get("BitsPerComponent", attrs.get("BPC", 8)))
        filters = {_literal(f) for f, _ in stream.get_filters()}
    except Exception:  # noqa: BLE001 - a broken dictionary: let the decoder decide
        return False
    return bits == 1 or bool(filters & {"CCITTFaxDecode", "CCF", "JBIG2Decode"})


def _inverted_decode(attrs: dict[str, Any]) -> bool:
    from pdfminer.pdftypes import resolve1

    decode = resolve1(attrs.get("Decode"))
    return isinstance(decode, list) and len(decode) >= 2 and decode[0] == 1


class PdfParser:
    """Reads PDF reports (text layer first, OCR for scanned or garbled pages)."""

    kind = "pdf"
    suffixes = (".pdf",)

    def __init__(self, *, time_budget: float = TIME_BUDGET) -> None:
        self.time_budget = time_budget

    def sniff(self, head: bytes) -> bool:
        """A PDF header within the first KiB (some writers put junk before it)."""
        return b"%PDF-" in head[:1024]

    def parse(self, path: Path, options: ParseOptions) -> Document:
        """Read ``path``; raise :class:`UnreadableFile` when it cannot be read."""
        data = read_limited(path, limit=options.max_file_bytes)
        if not data:
            raise UnreadableFile("empty", detail=Detail("empty", name=path.name))
        head, tail = data[:1024], data[-4096:]
        if b"%PDF-" not in head:
            raise UnreadableFile("corrupt", detail=Detail("no_pdf_header", name=path.name))
        if b"%%EOF" not in tail:
            raise UnreadableFile(
                "corrupt", detail=Detail("pdf_truncated", name=path.name)
            )
        pdfium = _Pdfium(data)
        try:
            return self._parse(path, data, options, pdfium)
        except UnreadableFile:
            raise
        except Exception as exc:
            raise _classify(path, exc) from exc
        finally:
            pdfium.close()

    # ------------------------------------------------------------------ main flow

    def _parse(
        self, path: Path, data: bytes, options: ParseOptions, pdfium: _Pdfium
    ) -> Document:
        import pdfplumber

        started = time.monotonic()
        notes: list[str] = []
        pages: list[_Page] = []
        ocr_skipped = False
        engine: OcrEngine | None = None
        engine_error: str | None = None
        try:
            pdf = pdfplumber.open(io.BytesIO(data))
        except Exception as exc:
            raise _classify(path, exc) from exc
        with pdf:
            try:
                all_pages = pdf.pages
            except Exception as exc:
                raise _classify(path, exc) from exc
            if not all_pages:
                raise UnreadableFile("corrupt", detail=Detail("no_pages", name=path.name))
            total = len(all_pages)
            unread: list[int] = list(range(options.max_pages + 1, total + 1))
            if unread:
                notes.append(f"only the first {options.max_pages} of {total} pages were read")
            failures = 0
            for index, page in enumerate(all_pages[: options.max_pages]):
                if time.monotonic() - started > self.time_budget:
                    raise UnreadableFile(
                        "timeout",
                        detail=Detail(
                            "pdf_time", name=path.name, seconds=f"{self.time_budget:.0f}", page=index + 1
                        ),
                    )
                number = index + 1
                inflated = _page_content_size(page, options.max_page_stream)
                if inflated > options.max_page_stream:
                    # pdfminer tokenises a page in one go (minutes for 300 MB of NULs)
                    unread.append(number)
                    notes.append(
                        f"page {number} not read: its content inflates past "
                        f"{options.max_page_stream} bytes"
                    )
                    continue
                try:
                    item, scan = self._read_page(page, number, options, pdfium, notes)
                except Exception as exc:
                    failures += 1
                    notes.append(f"page {number} could not be read: {type(exc).__name__}")
                    log.debug("page %d of %s failed", number, path, exc_info=True)
                    continue
                finally:
                    _flush(page)
                if scan:
                    if engine is None and engine_error is None:
                        try:
                            engine = ocr_engine(options)
                        except OcrNotRun as exc:
                            engine_error = exc.reason
                    if engine is None:
                        ocr_skipped = True
                        notes.append(
                            f"page {number} has no usable text layer and was not read: "
                            f"{engine_error}"
                        )
                    else:
                        self._ocr_page(item, engine, options, pdfium)
                        notes.append(f"page {number} read by OCR")
                pages.append(item)
            if failures and not pages:
                raise UnreadableFile("corrupt", detail=Detail("no_pages", name=path.name))
            if not pages:
                raise UnreadableFile(
                    "too-large",
                    detail=Detail(
                        "pdf_limits",
                        name=path.name,
                        pages=options.max_pages,
                        size=options.max_page_stream,
                    ),
                )
        doc = self._assemble(path, pages, notes, ocr_skipped)
        return replace(doc, pages_total=total, pages_unread=tuple(sorted(unread)))

    def _read_page(
        self,
        page: Any,
        number: int,
        options: ParseOptions,
        pdfium: _Pdfium,
        notes: list[str],
    ) -> tuple[_Page, bool]:
        """Text lines and photos of one page; ``True`` when the page needs OCR."""
        x0, top, x1, bottom = (float(v) for v in page.bbox)
        item = _Page(number=number, width=x1 - x0, height=bottom - top)
        rules: list[tuple[float, float, float, float]] = []
        chars, images = _layout_objects(page, rules)
        texts = [str(c.get("text", "")) for c in chars]
        visible = [t for t in texts if t.strip()]
        page_area = max(1.0, item.width * item.height)
        covered = sum(
            max(0.0, min(float(i["x1"]), x1) - max(float(i["x0"]), x0))
            * max(0.0, min(float(i["bottom"]), bottom) - max(float(i["top"]), top))
            for i in images
        )
        garbage = len(visible) >= 10 and _garbage_share(visible) > 0.3
        upright = sum(1 for c in chars if c.get("upright", True))
        if garbage:
            notes.append(f"page {number}: the text layer is garbled (unmapped glyphs)")
        if garbage or (len(visible) < 10 and covered / page_area > 0.3):
            return item, True
        turned = False
        if visible and upright * 2 < len(chars):
            ways: dict[str, int] = {}
            for c in chars:
                ways[c["dir"]] = ways.get(c["dir"], 0) + 1
            way = max(ways, key=lambda k: ways[k])
            chars = [c for c in chars if c["dir"] == way]
            if way != "right":
                turned = True
                chars = [
                    {
                        **c,
                        "x0": c["x0"] - x0,
                        "x1": c["x1"] - x0,
                        "top": c["top"] - top,
                        "bottom": c["bottom"] - top,
                    }
                    for c in chars
                ]
                _turn(chars, item.width, item.height, way)
                if way in ("down", "up"):
                    item.width, item.height = item.height, item.width
            notes.append(f"page {number}: text set sideways ({way}) was read turned upright")
        item.lines = _chars_to_lines(chars, number)
        if turned:
            item.photos = []  # photo boxes on a turned page: not placed in the flow
            return item, False
        item.lines = [ln for ln in item.lines if _on_page(ln, x0, top, x1, bottom)]
        notes_at = _footnote_rule(item.lines, rules, x0, top, item.width, item.height)
        if notes_at is not None:
            kept = [ln for ln in item.lines if ln.top < notes_at]
            if len(kept) < len(item.lines):
                notes.append(f"page {number}: footnotes left out of the text")
            item.lines = kept
        item.lines = [
            layout.Line(
                text=ln.text,
                x0=ln.x0 - x0,
                top=ln.top - top,
                x1=ln.x1 - x0,
                bottom=ln.bottom - top,
                size=ln.size,
                page=ln.page,
                bold=ln.bold,
            )
            for ln in item.lines
        ]
        item.photos = self._photos(page, images, number, options, pdfium, notes, page_area)
        return item, False

    def _photos(
        self,
        page: Any,
        images: Sequence[dict[str, Any]],
        number: int,
        options: ParseOptions,
        pdfium: _Pdfium,
        notes: list[str],
        page_area: float,
    ) -> list[tuple[Photo, float]]:
        """The page's photos: big enough in pixels and on paper, not a page background."""
        px0, ptop, px1, pbottom = (float(v) for v in page.bbox)
        out: list[tuple[Photo, float]] = []
        seen: set[Any] = set()
        for k, im in enumerate(images, start=1):
            bx0 = max(float(im["x0"]), px0)
            bx1 = min(float(im["x1"]), px1)
            btop = max(float(im["top"]), ptop)
            bbottom = min(float(im["bottom"]), pbottom)
            bw, bh = bx1 - bx0, bbottom - btop
            if bw <= 0 or bh <= 0:
                continue
            if min(bw, bh) < MIN_PHOTO_BOX or bw * bh < MIN_PHOTO_BOX * MIN_PHOTO_BOX * 1.5:
                continue  # an icon, a bullet or a rule
            if bw * bh > 0.85 * page_area:
                continue  # a page background or watermark under text
            sw, sh = (int(v) for v in (im.get("srcsize") or (0, 0)))
            if min(sw, sh) < options.min_photo_side or sw * sh < options.min_photo_area:
                continue
            stream = im.get("stream")
            key = getattr(stream, "objid", None) or id(stream)
            if key in seen:
                continue
            seen.add(key)
            if _bilevel(stream):
                continue  # a scanned signature, seal or drawing: never a camera photo
            ref = f"page{number}-img{k}"
            try:
                decoded: tuple[bytes, str, int, int] | str = _decode_image(stream, sw, sh)
            except Exception as exc:  # noqa: BLE001 - any decoder failure: render instead
                decoded = f"{type(exc).__name__}: {exc}"
            if isinstance(decoded, str):
                reason = decoded
                if reason.startswith("stencil"):
                    continue
                try:
                    pixels = self._render_box(
                        pdfium,
                        number - 1,
                        (px0, ptop, px1, pbottom),
                        (bx0, btop, bx1, bbottom),
                        max(sw, sh),
                    )
                except Exception as exc:  # noqa: BLE001 - rendering is the last resort
                    # kept with its stored bytes, so the photo check lists it as unreadable
                    notes.append(f"{ref}: cannot decode ({reason}) or render ({exc})")
                    data, media, w, h = _raw_bytes(stream), None, sw, sh
                else:
                    notes.append(f"{ref}: rendered from the page ({reason})")
                    data, media = encode_jpeg(pixels), "image/jpeg"
                    w, h = int(pixels.shape[1]), int(pixels.shape[0])
            else:
                data, media, w, h = decoded
            photo = Photo(
                ref=ref,
                width=w,
                height=h,
                data=data,
                media_type=media,
                origin=Origin(
                    container="page",
                    page=number,
                    bbox=(
                        round(bx0 - px0, 1),
                        round(btop - ptop, 1),
                        round(bx1 - px0, 1),
                        round(bbottom - ptop, 1),
                    ),
                ),
            )
            out.append((photo, btop - ptop))
        return out

    @staticmethod
    def _render_box(
        pdfium: _Pdfium,
        index: int,
        page_box: tuple[float, float, float, float],
        box: tuple[float, float, float, float],
        want_px: int,
    ) -> np.ndarray:
        """Render a rectangle of a page (pdfplumber coordinates) to BGR pixels."""
        px0, ptop, px1, pbottom = page_box
        x0, top, x1, bottom = box
        crop = (x0 - px0, pbottom - bottom, px1 - x1, top - ptop)
        long_pt = max(x1 - x0, bottom - top)
        scale = min(4.0, max(1.0, min(want_px, 2000) / max(long_pt, 1.0)))
        return pdfium.render(index, scale, tuple(max(0.0, c) for c in crop))  # type: ignore[arg-type]

    def _ocr_page(
        self, item: _Page, engine: OcrEngine, options: ParseOptions, pdfium: _Pdfium
    ) -> None:
        """Render a scanned page, OCR it, cut out photos; coordinates back in points."""
        side = min(options.ocr_max_side, PAGE_OCR_SIDE)
        scale = min(300 / 72, side / max(item.width, item.height, 1.0))
        pixels = pdfium.render(item.number - 1, scale)
        text = ocr_page(pixels, engine, options, page=item.number, scale=scale)
        item.ocr = True
        item.lines = text.lines
        for k, box in enumerate(text.photos, start=1):
            ref = f"page{item.number}-photo{k}"
            photo = cut_photo(pixels, box, ref=ref, page=item.number, scale=scale)
            item.photos.append((photo, box[1] / scale))

    # ------------------------------------------------------------------ assembly

    def _assemble(
        self, path: Path, pages: list[_Page], notes: list[str], ocr_skipped: bool
    ) -> Document:
        """Drop furniture, build paragraphs over all pages, place photos in the flow."""
        drop = layout.repeated_furniture([p.lines for p in pages], [p.height for p in pages])
        sizes = [ln.size for p in pages for ln in p.lines for _ in range(min(len(ln.text), 40))]
        body_size = statistics.median(sizes) if sizes else 0.0
        for pi, p in enumerate(pages):
            margin = layout.margin_furniture(p.lines, p.height, body_size)
            p.lines = [
                ln
                for li, ln in enumerate(p.lines)
                if (pi, li) not in drop and li not in margin and not _page_number(ln, p, li)
            ]
        lines = [ln for p in pages for ln in p.lines]
        doc_col = layout.column_of(lines)
        columns: dict[int, layout.Column] = {}
        for p in pages:
            col = (
                layout.column_of(p.lines) if sum(len(ln.text) >= 8 for ln in p.lines) >= 4 else None
            )
            chosen = col or doc_col
            if chosen is not None:
                columns[p.number] = chosen
        pictures = [
            (p.number, *photo.origin.bbox)
            for p in pages
            for photo, _top in p.photos
            if photo.origin.bbox is not None
        ]
        paras = layout.paragraphs(lines, columns, pictures=pictures)
        photos = [(photo, p.number, top) for p in pages for photo, top in p.photos]
        blocks, placed = blocks_and_photos(paras, photos)
        return Document(
            path=path,
            kind=self.kind,
            blocks=blocks,
            photos=placed,
            notes=tuple(notes),
            ocr_skipped=ocr_skipped,
        )


def _page_number(line: layout.Line, page: _Page, index: int) -> bool:
    """A page number: a page-number form near the top or foot of the page."""
    if not layout.is_page_number(line.text):
        return False
    in_band = line.top >= page.height * 0.85 or line.bottom <= page.height * 0.10
    edge = index in (0, len(page.lines) - 1)
    return in_band or (edge and not line.text.strip().isdigit())


def _footnote_rule(
    lines: Sequence[layout.Line],
    rules: Sequence[tuple[float, float, float, float]],
    x0: float,
    top: float,
    width: float,
    height: float,
) -> float | None:
    """The y of a footnote separator (a short rule at the left, low on the page), if any.

    Word, WPS and LibreOffice draw a rule of about a quarter of the column above the
    footnotes; the footnotes are notes, not report text, and one in the middle of a
    paragraph that runs on to the next page would otherwise cut it in two.
    """
    best: float | None = None
    for rx0, rtop, rx1, _rbottom in rules:
        w = rx1 - rx0
        if not (0.08 * width <= w <= 0.5 * width):
            continue
        if rx0 - x0 > 0.35 * width or rtop - top < 0.4 * height:
            continue
        below = [ln for ln in lines if ln.top >= rtop - top - 1]
        if not below or len(below) > 12:
            continue
        above = [ln for ln in lines if ln.bottom <= rtop - top + 1]
        if above and max(ln.size for ln in below) > 1.1 * max(ln.size for ln in above):
            continue
        y = rtop - top
        best = y if best is None else min(best, y)
    return best


def _on_page(line: layout.Line, x0: float, top: float, x1: float, bottom: float) -> bool:
    """Text drawn outside the visible page is not part of the report."""
    return line.x1 > x0 and line.x0 < x1 and line.bottom > top and line.top < bottom


def _raw_bytes(stream: Any, limit: int = 64 * 1024 * 1024) -> bytes:
    """The picture's bytes as stored (what a person would extract), for the GK203 listing."""
    raw = getattr(stream, "rawdata", None)
    if raw is None:
        raw = getattr(stream, "data", None)
    return bytes(raw[:limit]) if isinstance(raw, (bytes, bytearray)) else b""


def _inflated(stream: Any, cap: int) -> int:
    """Bytes ``stream`` decodes to, counting no further than just past ``cap``.

    Flate data is inflated in slices and dropped, so a 300 KB stream of 300 MB of NULs costs
    milliseconds and no memory; other filters (rare in content streams) are decoded whole.
    """
    try:
        filters = [_literal(f) for f, _ in stream.get_filters()]
    except Exception:  # noqa: BLE001 - a broken filter entry: let pdfminer judge the page
        return 0
    raw = getattr(stream, "rawdata", None)
    if not filters:
        return len(raw) if isinstance(raw, (bytes, bytearray)) else 0
    if filters[0] in ("FlateDecode", "Fl") and isinstance(raw, (bytes, bytearray)):
        d = zlib.decompressobj()
        total, buf = 0, bytes(raw)
        try:
            while buf and total <= cap:
                chunk = d.decompress(buf, 1 << 20)
                total += len(chunk)
                buf = d.unconsumed_tail
                if not chunk:
                    break
        except zlib.error:
            return total
        return total
    try:
        return len(stream.get_data() or b"")
    except Exception:  # noqa: BLE001
        return 0


def _page_content_size(page: Any, cap: int) -> int:
    """Bytes a page's content streams (and its form XObjects) inflate to, up to ``cap``."""
    from pdfminer.pdftypes import PDFStream, resolve1

    obj = getattr(page, "page_obj", None)
    if obj is None:
        return 0
    total = 0
    try:
        streams = [resolve1(s) for s in (obj.contents or [])]
        resources = resolve1(obj.resources) or {}
        xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        if isinstance(xobjects, dict):
            for ref in xobjects.values():
                x = resolve1(ref)
                if isinstance(x, PDFStream) and _literal(x.attrs.get("Subtype")) == "Form":
                    streams.append(x)
    except Exception:  # noqa: BLE001 - a damaged page dictionary: pdfminer reports it
        return 0
    for s in streams:
        if isinstance(s, PDFStream):
            total += _inflated(s, cap - total)
            if total > cap:
                break
    return total


def _flush(page: Any) -> None:
    """Free the page's parsed objects (long PDFs would otherwise keep them all)."""
    for name in ("flush_cache", "close"):
        fn: Callable[[], None] | None = getattr(page, name, None)
        if fn is not None:
            try:
                fn()
            except Exception:
                log.debug("page cleanup failed", exc_info=True)


def _classify(path: Path, exc: BaseException) -> UnreadableFile:
    """Map a library exception to an :class:`UnreadableFile` reason."""
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 6:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    text = " ".join(f"{type(e).__name__}: {e}" for e in chain)
    if re.search(r"password|encrypt", text, re.IGNORECASE):
        return UnreadableFile("encrypted", detail=Detail("pdf_password", name=path.name))
    return UnreadableFile("corrupt", detail=Detail("raw", name=path.name, error=text[:300]))


@hookimpl
def gkcheck_register_parsers() -> list[Parser]:
    """Register the PDF parser."""
    return [PdfParser()]
