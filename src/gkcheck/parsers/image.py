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
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import cv2
import numpy as np
import numpy.typing as npt

from gkcheck.errors import Detail, UnreadableFile
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Block, Document, Origin, Photo, StyleHints
from gkcheck.parsers import layout

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from gkcheck.parsers.base import ParseOptions, Parser
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
_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".heif")


class OcrNotRun(Exception):
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
    twice in an overlap are kept from the tile where they sit farther from the cut. The
    180° classifier is off: pages are upright, and on a long bold title it has been seen
    to flip the box and lose the line.
    """
    h, w = image.shape[:2]
    tile_h = int(w * TILE_ASPECT)
    if h <= tile_h * 1.25:
        return list(engine.read(image, max_side=max_side, use_cls=False))
    overlap = max(60, w // 10)
    out: list[OcrLine] = []
    y = 0
    while y < h:
        y1 = min(h, y + tile_h)
        tile = np.ascontiguousarray(image[y:y1])
        keep_from = y + overlap // 2 if y > 0 else 0
        keep_to = y1 - overlap // 2 if y1 < h else h
        for line in engine.read(tile, max_side=max_side, use_cls=False):
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
            size=_em(text, x1 - x0, height) / scale,
            page=page,
            ocr=True,
        )
        for text, (x0, y0, x1, y1), height in upright
    ]
    out.sort(key=lambda ln: ((ln.top + ln.bottom) / 2, ln.x0))
    return out


def _em(text: str, width: float, height: float) -> float:
    """The text size of an OCR row, from its width per character when it has enough CJK.

    Detector boxes vary in height with their content (quotes, descenders, padding) by 20 %
    and more, which would split paragraphs on a "size change"; a CJK character is one em
    wide, so width / characters is steady. Latin letters and digits count as half an em.
    """
    chars = [c for c in text if not c.isspace()]
    cjk = sum(1 for c in chars if layout.is_cjk(c))
    if cjk >= 4:
        em = width / (cjk + 0.55 * (len(chars) - cjk))
        # a row whose recognition dropped characters looks too wide per character
        return min(max(em, 0.7 * height), 0.95 * height)
    return height * 0.8


def _background(image: ImageArray) -> npt.NDArray[np.int16]:
    """The page colour: the commonest coarse colour (pages are mostly background)."""
    q = (image.reshape(-1, 3) // 32).astype(np.int64)
    keys = q[:, 0] * 64 + q[:, 1] * 8 + q[:, 2]
    bg_key = int(np.bincount(keys).argmax())
    return np.array(
        [(bg_key // 64) * 32 + 16, ((bg_key // 8) % 8) * 32 + 16, (bg_key % 8) * 32 + 16],
        dtype=np.int16,
    )


def _ink(image: ImageArray) -> npt.NDArray[np.bool_]:
    """Pixels that differ clearly from the page colour (ink, pictures, bands)."""
    bg = _background(image)
    return np.asarray(np.abs(image.astype(np.int16) - bg).max(axis=2) > 28)


def _colour_bins(region: ImageArray) -> int:
    """Distinct colours at 4 bits per channel: photos have hundreds, text and bands few."""
    q = (region.reshape(-1, 3) // 16).astype(np.int32)
    keys = q[:, 0] * 256 + q[:, 1] * 16 + q[:, 2]
    return int(np.unique(keys).size)


def _small(image: ImageArray, side: int = 1000) -> tuple[ImageArray, float]:
    h, w = image.shape[:2]
    s = min(1.0, side / max(h, w))
    if s >= 1.0:
        return image, 1.0
    small = cv2.resize(
        image, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA
    )
    return np.asarray(small, dtype=np.uint8), s


def find_photo_regions(
    image: ImageArray,
    *,
    min_side: int,
    min_area: int,
) -> list[BBox]:
    """Boxes (x0, y0, x1, y1 in pixels) of photo-like regions of a page picture.

    Works on a copy at most 1000 px on its long side, in 8 px cells. A cell is solid when
    most of its pixels differ from the page colour; solid cells are closed into blobs. A
    blob is a photo when its box is big enough (``min_side``/``min_area`` in full-size
    pixels), mostly covered (a text block is mostly paper between strokes), and has many
    distinct colours (a flat site banner or a black box has few) — so flat-coloured
    illustrations count as well as camera photos.
    """
    h, w = image.shape[:2]
    if h < 16 or w < 16:
        return []
    small, s = _small(image)
    cell = 8
    ink = _ink(small)
    gh, gw = ink.shape[0] // cell, ink.shape[1] // cell
    if gh < 2 or gw < 2:
        return []
    density = ink[: gh * cell, : gw * cell].reshape(gh, cell, gw, cell).mean(axis=(1, 3))
    cand = (density > 0.6).astype(np.uint8)
    if not cand.any():
        return []
    cand = cv2.morphologyEx(cand, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(cand, connectivity=8)
    out: list[BBox] = []
    for i in range(1, count):
        cx, cy, cw, ch, _area = (int(v) for v in stats[i])
        if cw < 3 or ch < 3:
            continue
        box = (cx * cell, cy * cell, (cx + cw) * cell, (cy + ch) * cell)
        for sx0, sy0, sx1, sy1 in _split_on_gutters(ink, box):
            x0, y0 = int(sx0 / s), int(sy0 / s)
            x1, y1 = min(w, math.ceil(sx1 / s)), min(h, math.ceil(sy1 / s))
            bw, bh = x1 - x0, y1 - y0
            if min(bw, bh) < min_side or bw * bh < min_area:
                continue
            if bw > 4 * bh or bh > 4 * bw:
                continue  # a banner strip or a rule, not a photo
            if float(ink[sy0:sy1, sx0:sx1].mean()) < 0.6:
                continue  # mostly paper: a block of text
            if _colour_bins(small[sy0:sy1, sx0:sx1]) < 100:
                continue  # a flat band or box
            out.append((x0, y0, x1, y1))
    out.sort(key=lambda b: (b[1], b[0]))
    return out


def _split_on_gutters(
    ink: npt.NDArray[np.bool_], box: tuple[int, int, int, int], depth: int = 0
) -> list[tuple[int, int, int, int]]:
    """Split a blob's box where a blank gutter runs right across it (photos side by side).

    Closing the cell mask joins two photos a few pixels apart; a column (or row) band inside
    the box with almost no ink separates them again. The box is also trimmed to its ink.
    """
    x0, y0, x1, y1 = box
    region = ink[y0:y1, x0:x1]
    if region.size == 0:
        return []
    cols = region.mean(axis=0)
    rows = region.mean(axis=1)
    # trim blank margins left by the cell grid
    xs = np.flatnonzero(cols > 0.15)
    ys = np.flatnonzero(rows > 0.15)
    if xs.size == 0 or ys.size == 0:
        return []
    x0, x1 = x0 + int(xs[0]), x0 + int(xs[-1]) + 1
    y0, y1 = y0 + int(ys[0]), y0 + int(ys[-1]) + 1
    if depth >= 4:
        return [(x0, y0, x1, y1)]
    region = ink[y0:y1, x0:x1]
    for axis, offset in ((0, x0), (1, y0)):
        profile = region.mean(axis=axis)
        blank = profile < 0.3
        n = blank.size
        i = int(n * 0.1)
        while i < n * 0.9:
            if blank[i]:
                j = i
                while j < n and blank[j]:
                    j += 1
                if j - i >= 3 and j < n * 0.95:
                    cut0, cut1 = offset + i, offset + j
                    if axis == 0:
                        a, b = (x0, y0, cut0, y1), (cut1, y0, x1, y1)
                    else:
                        a, b = (x0, y0, x1, cut0), (x0, cut1, x1, y1)
                    return _split_on_gutters(ink, a, depth + 1) + _split_on_gutters(
                        ink, b, depth + 1
                    )
                i = j
            i += 1
    return [(x0, y0, x1, y1)]


def encode_jpeg(image: ImageArray, quality: int = 88) -> bytes:
    """BGR pixels → JPEG bytes (what :class:`Photo` stores)."""
    ok, buf = cv2.imencode(".jpg", image, [int(cv2.IMWRITE_JPEG_QUALITY), quality])
    if not ok:  # pragma: no cover - OpenCV always encodes a valid uint8 array
        raise ValueError("JPEG encoding failed")
    return bytes(buf.tobytes())


def cut_photo(
    pixels: ImageArray,
    box: tuple[int, int, int, int],
    *,
    ref: str,
    page: int,
    scale: float = 1.0,
) -> Photo:
    """A photo region of an OCR'd page as a :class:`Photo`; ``bbox`` in page units (px/scale)."""
    x0, y0, x1, y1 = box
    return Photo(
        ref=ref,
        width=x1 - x0,
        height=y1 - y0,
        data=encode_jpeg(np.ascontiguousarray(pixels[y0:y1, x0:x1])),
        media_type="image/jpeg",
        origin=Origin(
            container="page",
            page=page,
            bbox=(
                round(x0 / scale, 1),
                round(y0 / scale, 1),
                round(x1 / scale, 1),
                round(y1 / scale, 1),
            ),
            ocr=True,
        ),
    )


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
        img = decode(path, max_side=None)
    except ImageDecodeError as exc:
        reason = {"too-large": "too-large", "empty": "empty"}.get(exc.reason, "corrupt")
        raise UnreadableFile(reason, detail=Detail("raw", name=path.name, error=exc.message)) from exc
    return np.ascontiguousarray(img.pixels)


def _decode_local(path: Path) -> ImageArray:  # pragma: no cover - fallback only
    from gkcheck.vision.pillow import Image, ImageOps

    try:
        with Image.open(path) as im:
            if im.size[0] * im.size[1] > MAX_PIXELS:
                raise UnreadableFile("too-large", detail=Detail("raw", name=path.name, error=str(im.size)))
            rgb = ImageOps.exif_transpose(im).convert("RGB")
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile("corrupt", detail=Detail("raw", name=path.name, error=str(exc))) from exc
    return np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1])


class ImageParser:
    """Reads a picture of a report (or a plain photo) into a :class:`Document`."""

    kind = "image"
    suffixes = _SUFFIXES

    def sniff(self, head: bytes) -> bool:
        """JPEG, PNG, BMP, TIFF, WEBP or HEIC/HEIF by magic bytes."""
        from gkcheck.vision.imageio import sniff_format

        return head.startswith(
            (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"BM", b"II*\x00", b"MM\x00*")
        ) or sniff_format(head) in ("WEBP", "HEIF")

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
        if 1.25 <= h / max(w, 1) <= 1.6:
            # shaped like a printed page (a scan or a photo of one): drop its header/footer
            sizes = [ln.size for ln in lines for _ in range(min(len(ln.text), 40))]
            body = float(np.median(sizes)) if sizes else 0.0
            margin = layout.margin_furniture(lines, float(h), body)
            lines = [ln for i, ln in enumerate(lines) if i not in margin]
        col = layout.column_of(lines)
        paras = layout.paragraphs(
            lines,
            col or layout.Column(0.0, float(w)),
            pictures=[(1, float(b[0]), float(b[1]), float(b[2]), float(b[3])) for b in text.photos],
        )
        photos: list[tuple[Photo, int, float]] = []
        for i, box in enumerate(text.photos, start=1):
            photo = cut_photo(image, box, ref=f"{path.name}#photo{i}", page=1)
            photos.append((photo, 1, float(box[1])))
        notes = [f"{path.name}: read by OCR"]
        if not photos and _photo_like_share(image) > 0.15:
            photos.append((whole, 1, 0.0))
            notes.append(f"{path.name}: photos could not be cut out; the whole image is a photo")
        blocks, placed = blocks_and_photos(paras, photos)
        return Document(path=path, kind=self.kind, blocks=blocks, photos=placed, notes=tuple(notes))


def _photo_like_share(image: ImageArray) -> float:
    """Share of the picture's area covered by solid, colourful (photo-like) cells."""
    small, _s = _small(image)
    cell = 8
    ink = _ink(small)
    gh, gw = ink.shape[0] // cell, ink.shape[1] // cell
    if gh < 2 or gw < 2 or _colour_bins(small) < 100:
        return 0.0
    density = ink[: gh * cell, : gw * cell].reshape(gh, cell, gw, cell).mean(axis=(1, 3))
    return float((density > 0.6).mean())


@hookimpl
def gkcheck_register_parsers() -> list[Parser]:
    """Register the image parser."""
    return [ImageParser()]
