"""Image reports: a screenshot, a phone picture or a scan of a report, read by OCR.

A picture may be three different things, and the parser tells them apart by what OCR finds:

* a screenshot or scan of the report — many text lines: they are grouped into paragraphs by
  geometry (:mod:`gkcheck.parsers.layout`) and the photos inside the page are cut out;
* a plain event photo — (almost) no text, or only a banner: no blocks, the image is the one
  photo, so the LOGO rule still sees it;
* something in between we cannot separate — the whole image is kept as a photo as well.

Photo regions are found from pixels, not from OCR: a photo is a large area that differs from
the page background almost everywhere, varies locally and has many colours; a text area is
mostly background with sparse ink, and a flat coloured band (site header) has few colours.
Text that OCR reads *inside* a photo (an event banner) is photo content, not report text, so
it never becomes a block.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
import numpy.typing as npt

from gkcheck.errors import UnreadableFile
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Block, Document, Origin, Photo, StyleHints
from gkcheck.parsers import layout
from gkcheck.parsers.base import Parser, ParseOptions

if TYPE_CHECKING:
    from gkcheck.vision.ocr import OcrEngine, OcrLine

__all__ = [
    "ImageParser",
    "PageText",
    "find_photo_regions",
    "lines_from_ocr",
    "ocr_page",
]

BBox = tuple[int, int, int, int]
ImageArray = npt.NDArray[np.uint8]

#: Pixels above which a picture is refused before decoding (a decompression bomb guard).
MAX_PIXELS = 80_000_000
#: OCR reads tiles no taller than this many widths: a long web screenshot shrunk to
#: ``ocr_max_side`` as a whole would make its text too small to read.
TILE_ASPECT = 1.4
_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp")


class OcrNotRun(Exception):  # noqa: N818 - a condition, not an error of the caller
    """OCR was off or could not be loaded; ``reason`` says which, for the document notes."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def ocr_engine(options: ParseOptions) -> OcrEngine:
    """The shared OCR engine, or :class:`OcrNotRun` with a reason a reviewer understands."""
    if not options.ocr:
        raise OcrNotRun("OCR is turned off (ocr = false)")
    try:
        from gkcheck.vision.ocr import OcrUnavailable, get_engine
    except ImportError as exc:  # pragma: no cover - the vision layer ships with gkcheck
        raise OcrNotRun(f"OCR module missing: {exc}") from exc
    try:
        return get_engine()
    except OcrUnavailable as exc:
        raise OcrNotRun(f"OCR unavailable: {exc.reason}") from exc


def read_tiled(engine: OcrEngine, image: ImageArray, max_side: int) -> list[OcrLine]:
    """OCR a picture, in overlapping horizontal tiles when it is much taller than wide.

    Each tile is handed to the engine whole (it downscales to ``max_side``); lines seen
    twice in an overlap are kept from the tile where they sit farther from the cut.
    """
    h, w = image.shape[:2]
    tile_h = int(w * TILE_ASPECT)
    if h <= tile_h * 1.25:
        return list(engine.read(image, max_side=max_side))
    overlap = max(60, w // 10)
    out: list[OcrLine] = []
    y = 0
    while y < h:
        y1 = min(h, y + tile_h)
        tile = np.ascontiguousarray(image[y:y1])
        keep_from = y + overlap // 2 if y > 0 else 0
        keep_to = y1 - overlap // 2 if y1 < h else h
        for line in engine.read(tile, max_side=max_side):
            moved = line.shifted(0.0, float(y))
            cy = moved.center[1]
            if keep_from <= cy < keep_to:
                out.append(moved)
        if y1 >= h:
            break
        y = y1 - overlap
    out.sort(key=lambda li: (li.center[1], li.bbox[0]))
    return out


def lines_from_ocr(
    ocr: Sequence[OcrLine],
    *,
    page: int = 1,
    scale: float = 1.0,
    exclude: Sequence[BBox] = (),
) -> list[layout.Line]:
    """OCR boxes → visual rows → upright :class:`layout.Line` objects in reading order.

    Boxes on one printed line are merged into a row first (the detector splits lines at
    quotes and wide gaps); a slight scan rotation is undone on the rows' corner points so
    that margins and indents are straight. Boxes whose centre lies in an ``exclude`` region
    (a photo) are photo content and dropped. Coordinates are divided by ``scale`` (pixels →
    points for a rendered PDF page).
    """
    from gkcheck.vision.ocr import merge_rows

    kept = [
        li
        for li in ocr
        if li.text.strip()
        and not any(
            x0 <= li.center[0] <= x1 and y0 <= li.center[1] <= y1 for x0, y0, x1, y1 in exclude
        )
    ]
    rows = merge_rows(kept)
    quads: list[tuple[str, Sequence[tuple[float, float]], float]] = []
    for row in rows:
        first, last = row.lines[0], row.lines[-1]
        quad = (first.quad[0], last.quad[1], last.quad[2], first.quad[3])
        quads.append((row.text, quad, row.height))
    _angle, upright = layout.deskew(quads)
    out = [
        layout.Line(
            text=text,
            x0=x0 / scale,
            top=y0 / scale,
            x1=x1 / scale,
            bottom=y1 / scale,
            size=height / scale,
            page=page,
            ocr=True,
        )
        for text, (x0, y0, x1, y1), height in upright
    ]
    out.sort(key=lambda ln: ((ln.top + ln.bottom) / 2, ln.x0))
    return out


def _cell_stats(image: ImageArray, cell: int) -> tuple[Any, Any, Any]:
    """Per-cell density of non-background pixels, grey-level std and mean chroma."""
    h, w = image.shape[:2]
    gh, gw = h // cell, w // cell
    img = image[: gh * cell, : gw * cell].astype(np.int16)
    # background: the commonest coarse colour (pages are mostly background)
    q = (img // 32).reshape(-1, 3)
    keys = q[:, 0] * 64 + q[:, 1] * 8 + q[:, 2]
    bg_key = int(np.bincount(keys.astype(np.int64)).argmax())
    bg = np.array([(bg_key // 64) * 32 + 16, ((bg_key // 8) % 8) * 32 + 16, (bg_key % 8) * 32 + 16])
    diff = np.abs(img - bg).max(axis=2)
    non_bg = (diff > 48).astype(np.float32)
    grey = img.mean(axis=2).astype(np.float32)
    chroma = (img.max(axis=2) - img.min(axis=2)).astype(np.float32)

    def pool(a: Any) -> Any:
        return a.reshape(gh, cell, gw, cell).mean(axis=(1, 3))

    density = pool(non_bg)
    mean = pool(grey)
    std = np.sqrt(np.maximum(pool(grey * grey) - mean * mean, 0.0))
    return density, std, pool(chroma)


def _colour_bins(region: ImageArray) -> int:
    """Distinct colours at 4 bits per channel: photos have hundreds, text and bands few."""
    q = (region.reshape(-1, 3) // 16).astype(np.int32)
    keys = q[:, 0] * 256 + q[:, 1] * 16 + q[:, 2]
    return int(np.unique(keys).size)


def find_photo_regions(
    image: ImageArray,
    *,
    min_side: int,
    min_area: int,
) -> list[BBox]:
    """Boxes (x0, y0, x1, y1 in pixels) of photo-like regions of a page picture.

    Works on a copy at most 1000 px on its long side, in 8 px cells: a cell is photo-like
    when nearly all its pixels differ from the background and it is textured (grey std) —
    solid bands are flat and text cells are mostly background. Cells are closed into blobs;
    a blob is a photo when its box is big enough (``min_side``/``min_area`` in full-size
    pixels), mostly filled, and has many distinct colours.
    """
    h, w = image.shape[:2]
    if h < 16 or w < 16:
        return []
    s = min(1.0, 1000.0 / max(h, w))
    small = image if s >= 1.0 else cv2.resize(
        image, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA
    )
    cell = 8
    density, std, _chroma = _cell_stats(small, cell)
    cand = ((density > 0.7) & (std > 9.0)).astype(np.uint8)
    if not cand.any():
        return []
    cand = cv2.morphologyEx(cand, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(cand, connectivity=4)
    out: list[BBox] = []
    f = cell / s  # one cell in full-size pixels
    for i in range(1, count):
        cx, cy, cw, ch, area = (int(v) for v in stats[i])
        if cw < 3 or ch < 3 or area < 0.5 * cw * ch:
            continue
        x0, y0 = int(cx * f), int(cy * f)
        x1, y1 = min(w, int(math.ceil((cx + cw) * f))), min(h, int(math.ceil((cy + ch) * f)))
        bw, bh = x1 - x0, y1 - y0
        if min(bw, bh) < min_side or bw * bh < min_area:
            continue
        sy0, sy1 = int(cy * cell), int((cy + ch) * cell)
        sx0, sx1 = int(cx * cell), int((cx + cw) * cell)
        if _colour_bins(small[sy0:sy1, sx0:sx1]) < 180:
            continue
        out.append((x0, y0, x1, y1))
    out.sort(key=lambda b: (b[1], b[0]))
    return out


def encode_jpeg(image: ImageArray, quality: int = 88) -> bytes:
    """BGR pixels → JPEG bytes (what :class:`Photo` stores)."""
    ok, buf = cv2.imencode(".jpg", image, [int(cv2.IMWRITE_JPEG_QUALITY), quality])
    if not ok:  # pragma: no cover - OpenCV always encodes a valid uint8 array
        raise ValueError("JPEG encoding failed")
    return bytes(buf.tobytes())


@dataclass(frozen=True, slots=True)
class PageText:
    """What OCR and photo detection found on one page picture."""

    lines: list[layout.Line]  # report text, photo content removed, reading order
    photos: list[BBox]  # photo regions in the picture's pixels
    chars: int  # characters OCR read in the whole picture (photo text included)
    long_lines: int  # OCR rows of 8+ characters outside photos


def ocr_page(
    image: ImageArray,
    engine: OcrEngine,
    options: ParseOptions,
    *,
    page: int = 1,
    scale: float = 1.0,
) -> PageText:
    """OCR a page picture and separate report text from the photos on it."""
    ocr = read_tiled(engine, image, options.ocr_max_side)
    regions = find_photo_regions(
        image, min_side=options.min_photo_side, min_area=options.min_photo_area
    )
    lines = lines_from_ocr(ocr, page=page, scale=scale, exclude=regions)
    chars = sum(len(li.text) for li in ocr)
    long_lines = sum(1 for ln in lines if len(ln.text.replace(" ", "")) >= 8)
    return PageText(lines=lines, photos=regions, chars=chars, long_lines=long_lines)


def drop_page_numbers(lines: Sequence[layout.Line], height: float) -> list[layout.Line]:
    """Lines minus page numbers in the top 10 % / bottom 15 % of the page."""
    return [
        ln
        for ln in lines
        if not (
            layout.is_page_number(ln.text)
            and (ln.top >= height * 0.85 or ln.bottom <= height * 0.10)
        )
    ]


def blocks_and_photos(
    paragraphs: Sequence[layout.Paragraph],
    photos: Sequence[tuple[Photo, int, float]],
) -> tuple[tuple[Block, ...], tuple[Photo, ...]]:
    """Blocks from paragraphs, photos placed in the flow by (page, y) of their top edge.

    ``Photo.position`` is the number of blocks before the photo; the block right after a
    photo gets ``after_photo`` (captions are recognised from that by the structure step).
    """
    paras = [p for p in paragraphs if p.text.strip()]
    placed: list[Photo] = []
    after: set[int] = set()
    for photo, page, top in sorted(photos, key=lambda t: (t[1], t[2])):
        pos = sum(1 for p in paras if (p.page, p.top) < (page, top))
        placed.append(replace(photo, position=pos))
        after.add(pos)
    blocks = tuple(
        Block(
            index=i,
            text=p.text.strip(),
            origin=Origin(
                container="page",
                page=p.page,
                paragraph=i,
                bbox=tuple(round(v, 1) for v in p.bbox_on(p.page)),  # type: ignore[arg-type]
                ocr=p.ocr,
            ),
            style=StyleHints(
                size=round(p.size, 1),
                bold=p.bold,
                centered=p.centered,
                indent=p.indent,
            ),
            after_photo=i in after,
        )
        for i, p in enumerate(paras)
    )
    return blocks, tuple(placed)


def _decode(path: Path) -> ImageArray:
    """Decode an image file upright to BGR, refusing bombs; UnreadableFile on bad input."""
    try:
        from gkcheck.vision.imageio import ImageDecodeError, decode
    except ImportError:  # pragma: no cover - the vision layer ships with gkcheck
        return _decode_local(path)
    try:
        img = decode(path, max_side=None, max_pixels=MAX_PIXELS)
    except ImageDecodeError as exc:
        reason = {"too-large": "too-large", "empty": "empty"}.get(exc.reason, "corrupt")
        raise UnreadableFile(reason, detail=f"{path.name}: {exc.message}") from exc
    return np.ascontiguousarray(img.pixels)


def _decode_local(path: Path) -> ImageArray:  # pragma: no cover - fallback only
    from PIL import Image, ImageOps

    try:
        with Image.open(path) as im:
            if im.size[0] * im.size[1] > MAX_PIXELS:
                raise UnreadableFile("too-large", detail=f"{path.name}: {im.size}")
            rgb = ImageOps.exif_transpose(im).convert("RGB")
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - PIL raises many types on bad input
        raise UnreadableFile("corrupt", detail=f"{path.name}: {exc}") from exc
    return np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1])


class ImageParser:
    """Reads a picture of a report (or a plain photo) into a :class:`Document`."""

    kind = "image"
    suffixes = _SUFFIXES

    def sniff(self, head: bytes) -> bool:
        """JPEG, PNG, BMP, TIFF or WEBP by magic bytes."""
        return (
            head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"BM", b"II*\x00", b"MM\x00*"))
            or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        )

    def parse(self, path: Path, options: ParseOptions) -> Document:
        """OCR the picture, cut out its photos and group its text into blocks."""
        image = _decode(path)
        h, w = image.shape[:2]
        whole = Photo(
            ref=path.name,
            width=w,
            height=h,
            data=encode_jpeg(image),
            media_type="image/jpeg",
            origin=Origin(container="page", page=1, bbox=(0.0, 0.0, float(w), float(h))),
        )
        try:
            engine = ocr_engine(options)
        except OcrNotRun as exc:
            return Document(
                path=path, kind=self.kind, photos=(whole,), notes=(exc.reason,), ocr_skipped=True
            )
        text = ocr_page(image, engine, options)
        if text.long_lines < 3 and text.chars < 60:
            # (almost) no text: an event photo, perhaps with a banner; the whole is the photo
            return Document(
                path=path,
                kind=self.kind,
                photos=(whole,),
                notes=(f"{path.name}: little text ({text.chars} characters): read as a photo",),
            )
        lines = drop_page_numbers(text.lines, float(h))
        col = layout.column_of(lines)
        paras = layout.paragraphs(
            lines,
            col or layout.Column(0.0, float(w)),
            pictures=[(1, *(float(v) for v in b)) for b in text.photos],
        )
        photos: list[tuple[Photo, int, float]] = []
        for i, (x0, y0, x1, y1) in enumerate(text.photos, start=1):
            crop = np.ascontiguousarray(image[y0:y1, x0:x1])
            photos.append(
                (
                    Photo(
                        ref=f"{path.name}#photo{i}",
                        width=x1 - x0,
                        height=y1 - y0,
                        data=encode_jpeg(crop),
                        media_type="image/jpeg",
                        origin=Origin(
                            container="page",
                            page=1,
                            bbox=(float(x0), float(y0), float(x1), float(y1)),
                            ocr=True,
                        ),
                    ),
                    1,
                    float(y0),
                )
            )
        notes = [f"{path.name}: read by OCR"]
        if not photos and _photo_like_share(image) > 0.15:
            photos.append((whole, 1, 0.0))
            notes.append(f"{path.name}: photos could not be cut out; the whole image is a photo")
        blocks, placed = blocks_and_photos(paras, photos)
        return Document(
            path=path, kind=self.kind, blocks=blocks, photos=placed, notes=tuple(notes)
        )


def _photo_like_share(image: ImageArray) -> float:
    """Share of the picture's cells that look like photo content (dense, textured)."""
    h, w = image.shape[:2]
    s = min(1.0, 1000.0 / max(h, w))
    small = image if s >= 1.0 else cv2.resize(
        image, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA
    )
    if min(small.shape[:2]) < 16:
        return 0.0
    density, std, _ = _cell_stats(small, 8)
    return float(((density > 0.7) & (std > 9.0)).mean())


@hookimpl
def gkcheck_register_parsers() -> list[Parser]:
    """Register the image parser."""
    return [ImageParser()]
