"""Find and read the 会标 banner in an event photo.

Whole-photo OCR of a 12 MP photo costs seconds and mostly reads things nobody asked
about (posters, name cards, screens). Banners are easy to find without OCR: a wide
band of saturated red cloth with light characters, or a dark LED panel with bright
red/yellow/white characters, in the upper two thirds of the picture. So the reader
segments those colours first (OpenCV, on a small copy), OCRs only the candidate crops,
and falls back to the whole photo at a bounded size when no candidate yields banner-like
text.

The banner text is the visual row (or pair of rows, for two-line banners) that contains
the keyword, a near miss of it, or 活动 -- judged by :class:`gkcheck.banner.BannerGrammar`
so that reading and checking share one notion of "banner-like". A line that is only the
keyword (the campaign LOGO prints 政务公开主题日 on the backdrop) or only a poster is not a
banner: a banner names at least two of unit, year and 活动 (:func:`banner_like`), and
among several keyword lines the one that is most banner-like wins, not the tallest.

Region crops are read line by line (:meth:`OcrEngine.read_lines`): boxes widened so line
ends are not clipped, LED lines also recognised after fusing the dot matrix into strokes;
when the banner text still runs into the crop's edge (a tilted screen whose colour band
was found short), the crop is extended on that side and read once more.
A line whose text breaks the grammar is then checked against the words a banner is made
of (the known unit names, the configured year, 活动, 暨): a candidate one edit away is
taken only when the recogniser itself finds it about as likely as what it read
(:class:`gkcheck.vision.ocr.CtcScorer`), so 秒子塘 on a dot-matrix screen becomes 砂子塘,
but 审计局 on a sharp banner never becomes 统计局, nor 2022 becomes 2023.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import cv2
import numpy as np
import numpy.typing as npt

from gkcheck.banner import (
    BannerGrammar,
    BannerVerdict,
    KeywordHit,
    banner_like,
    banner_parts,
    default_grammar,
)
from gkcheck.vision.ocr import OcrEngine, OcrLine, OcrRow, get_engine, merge_rows

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

__all__ = [
    "BannerReading",
    "ImageTooLarge",
    "Region",
    "banner_like",
    "decode_image",
    "find_regions",
    "read_banner",
]

Img = npt.NDArray[np.uint8]
BBox = tuple[float, float, float, float]
Mode = Literal["region", "whole"]

#: Refuse to decode images above this many pixels (decompression bombs).
MAX_PIXELS = 80_000_000
#: Long side of the decoded working image; phone photos are reduced at decode time
#: (libjpeg's 1/2, 1/4, 1/8), never below this. Region crops are read at most at
#: REGION_SIDE and the whole photo at WHOLE_SIDE, so more pixels would only cost time.
WORK_SIDE = 1600
#: Long side of the small copy used for colour segmentation.
ANALYSIS_SIDE = 640
#: Bound on the long side of each region crop handed to OCR (recognition crops).
REGION_SIDE = 1280
#: Bound on the long side of a region crop for text *detection*.
REGION_DET_SIDE = 800
#: Bound on the long side of the whole photo in the fallback.
WHOLE_SIDE = 1600
#: At most this many candidate regions are OCR'd before falling back.
MAX_REGIONS = 3
#: A lexicon correction is accepted when the recogniser finds it at most this many
#: nats less likely than what it read (a clear misread of one glyph costs 6-16).
CORRECTION_MARGIN = 3.0
#: At most this many one-edit corrections per line.
MAX_CORRECTIONS = 3

_HIT_RANK: dict[KeywordHit | None, int] = {
    "keyword": 3, "near-miss": 2, "activity": 1, None: 0
}
_JI_LIKE = "暨曁既"


class ImageTooLarge(ValueError):
    """The image exceeds :data:`MAX_PIXELS`; it is not decoded at all."""


@dataclass(frozen=True, slots=True)
class Region:
    """A candidate banner area in full-image pixels, with what suggested it."""

    bbox: tuple[int, int, int, int]
    kind: Literal["cloth", "led"]
    score: float


@dataclass(frozen=True, slots=True)
class BannerReading:
    """The banner text read from a photo, or ``None`` when no banner-like text exists.

    ``lines`` are the OCR boxes that make up the banner text, in full-image pixels;
    ``regions_tried`` the candidate areas OCR'd before the answer (empty in whole mode);
    ``used`` says whether the answer came from a region or the whole-photo pass.
    """

    text: str | None
    bbox: BBox | None
    lines: tuple[OcrLine, ...]
    regions_tried: tuple[Region, ...]
    seconds: float
    used: Mode | None = None
    hit: KeywordHit | None = None
    image_size: tuple[int, int] = (0, 0)


# ---------------------------------------------------------------------- decoding
def decode_image(
    source: Img | str | Path | bytes, *, max_pixels: int = MAX_PIXELS,
    work_side: int = WORK_SIDE,
) -> tuple[Img, float]:
    """Decode to BGR with a pixel limit; return (image, scale to original pixels).

    JPEGs larger than ``work_side`` are decoded at 1/2, 1/4 or 1/8 size directly by
    libjpeg, which is several times faster than decoding at full size and resizing.
    (A project-wide ``vision.imageio`` will replace this helper.)
    """
    from gkcheck.vision.imageio import mark_pixels_touched

    mark_pixels_touched()
    if isinstance(source, np.ndarray):
        arr: Img = np.asarray(source, np.uint8)
        if arr.ndim == 2:
            arr = np.asarray(cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR), np.uint8)
        elif arr.ndim == 3 and arr.shape[2] == 4:
            arr = np.asarray(cv2.cvtColor(arr, cv2.COLOR_BGRA2BGR), np.uint8)
        return np.ascontiguousarray(arr.astype(np.uint8, copy=False)), 1.0
    from gkcheck.safeio import read_limited
    from gkcheck.vision.imageio import ImageDecodeError, check_pixels, sniff_format

    data = source if isinstance(source, bytes) else read_limited(Path(source))
    if _is_heif(data):
        return _decode_heif(data, max_pixels, work_side)
    w, h = _peek_size(data)
    try:
        fmt = sniff_format(data) or ""
        check_pixels(fmt, w, h, len(data), None if max_pixels == MAX_PIXELS else max_pixels)
    except ImageDecodeError as exc:
        raise ImageTooLarge(exc.message) from exc
    flag, factor = cv2.IMREAD_COLOR, 1
    for f, fl in ((8, cv2.IMREAD_REDUCED_COLOR_8), (4, cv2.IMREAD_REDUCED_COLOR_4),
                  (2, cv2.IMREAD_REDUCED_COLOR_2)):
        if max(w, h) / f >= work_side:
            flag, factor = fl, f
            break
    buf = np.frombuffer(data, np.uint8)
    decoded = cv2.imdecode(buf, flag)
    if decoded is None:
        raise ValueError("cannot decode image")
    img: Img = np.asarray(decoded, np.uint8)
    scale = max(w, h) / max(img.shape[:2]) if factor > 1 else 1.0
    return img, float(scale)


def _is_heif(data: bytes) -> bool:
    from gkcheck.vision.imageio import sniff_format

    return sniff_format(data[:64]) == "HEIF"


def _decode_heif(data: bytes, max_pixels: int, work_side: int) -> tuple[Img, float]:
    """An iPhone HEIC photo: OpenCV cannot decode it, the shared safe decoder can."""
    from gkcheck.vision.imageio import ImageDecodeError, decode

    try:
        img = decode(data, max_side=work_side, max_pixels=max_pixels)
    except ImageDecodeError as exc:
        if exc.reason == "too-large":
            raise ImageTooLarge(exc.message) from exc
        raise ValueError(f"cannot decode image: {exc.message}") from exc
    return np.asarray(img.pixels, np.uint8), float(1.0 / img.scale)


def _peek_size(data: bytes) -> tuple[int, int]:
    """Image size from the header, without decoding pixels."""
    from io import BytesIO

    from gkcheck.vision.pillow import Image

    try:
        with Image.open(BytesIO(data)) as im:
            return int(im.size[0]), int(im.size[1])
    except Exception as exc:
        raise ValueError(f"not an image: {exc}") from exc


# ----------------------------------------------------------------------- regions
def find_regions(image: Img, *, limit: int = MAX_REGIONS) -> list[Region]:
    """Wide red-cloth or LED-panel bands in the upper two thirds, best first."""
    h, w = image.shape[:2]
    s = min(1.0, ANALYSIS_SIDE / max(h, w))
    small = cv2.resize(image, (max(1, round(w * s)), max(1, round(h * s))),
                       interpolation=cv2.INTER_AREA) if s < 1 else image
    hsv: Img = np.asarray(cv2.cvtColor(small, cv2.COLOR_BGR2HSV), np.uint8)
    led = _led_regions(hsv)
    out = _cloth_regions(hsv) + led + _dark_bands(hsv, [c[0] for c in led])
    inv = 1.0 / s
    regions = [
        Region((int(x0 * inv), int(y0 * inv), int(x1 * inv), int(y1 * inv)), kind, sc)
        for (x0, y0, x1, y1), kind, sc in out
    ]
    regions.sort(key=lambda r: -r.score)
    return regions[:limit]


_Cand = tuple[tuple[int, int, int, int], Literal["cloth", "led"], float]


def _cloth_regions(hsv: Img) -> list[_Cand]:
    """Saturated red bands with light characters; tilt-tolerant via minAreaRect."""
    sh, sw = hsv.shape[:2]
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    red = (((hue <= 10) | (hue >= 165)) & (sat >= 90) & (val >= 70)).astype(np.uint8)
    kx, ky = max(3, sw // 60) | 1, max(3, sh // 120) | 1
    m = cv2.morphologyEx(red, cv2.MORPH_CLOSE,
                         cv2.getStructuringElement(cv2.MORPH_RECT, (2 * kx + 1, 2 * ky + 1)))
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN,
                         cv2.getStructuringElement(cv2.MORPH_RECT, (kx, ky)))
    out: list[_Cand] = []
    contours, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for c in contours:
        x, y, bw, bh = cv2.boundingRect(c)
        (_cx, _cy), (rw, rh), _a = cv2.minAreaRect(c)
        long_, short = max(rw, rh), max(1.0, min(rw, rh))
        if long_ < 0.2 * sw or short < 5 or long_ / short < 2.2 or y > sh * 2 / 3:
            continue
        fill = cv2.contourArea(c) / (long_ * short)
        if fill < 0.55:
            continue
        inner = (val[y : y + bh, x : x + bw] >= 170) & (red[y : y + bh, x : x + bw] == 0)
        frac = float(inner.mean())
        if frac < 0.006:
            continue
        score = fill * min(1.0, long_ / (0.5 * sw)) * (1.0 + min(0.5, frac))
        out.append(((x, y, x + bw, y + bh), "cloth", score))
    return out


def _merge_boxes(boxes: list[list[int]]) -> list[list[int]]:
    """Join pieces of one line (split at quotes), then the lines of one screen."""

    def same_line(a: list[int], b: list[int]) -> bool:
        ha, hb = a[3] - a[1], b[3] - b[1]
        if max(ha, hb) > 2.2 * max(1, min(ha, hb)):
            return False
        v_overlap = min(a[3], b[3]) - max(a[1], b[1])
        h_gap = max(a[0], b[0]) - min(a[2], b[2])
        return v_overlap > 0.5 * min(ha, hb) and h_gap < 2.5 * max(ha, hb)

    def stacked(a: list[int], b: list[int]) -> bool:
        ha, hb = a[3] - a[1], b[3] - b[1]
        v_gap = max(a[1], b[1]) - min(a[3], b[3])
        h_overlap = min(a[2], b[2]) - max(a[0], b[0])
        return v_gap < 1.2 * min(ha, hb) and h_overlap > 0.3 * min(
            a[2] - a[0], b[2] - b[0]
        )

    out = [list(b) for b in boxes]
    for rule in (same_line, stacked):
        changed = True
        while changed:
            changed = False
            for i in range(len(out)):
                for j in range(i + 1, len(out)):
                    if rule(out[i], out[j]):
                        a, b = out[i], out[j]
                        out[i] = [min(a[0], b[0]), min(a[1], b[1]),
                                  max(a[2], b[2]), max(a[3], b[3])]
                        del out[j]
                        changed = True
                        break
                if changed:
                    break
    return out


def _along_panel(box: list[int], panel: npt.NDArray[np.bool_], sw: int) -> list[int]:
    """Extend a text-line box sideways over the dark screen it sits on.

    Parts of a line can fail the text mask (glyphs blurred into the glow, a dimmer
    colour); the panel around them is still dark or lit, so the line's band is followed
    left and right while most of its pixels are panel.
    """
    x0, y0, x1, y1 = box
    h = max(1, y1 - y0)
    cols = panel[y0:y1].mean(axis=0).astype(np.float32) if y1 > y0 else np.zeros(sw)
    k = max(1, h // 2)
    cols = np.convolve(cols, np.ones(k, np.float32) / k, mode="same")
    while x0 > 0 and cols[x0 - 1] >= 0.7 and box[0] - x0 < 8 * h:
        x0 -= 1
    while x1 < sw and cols[x1] >= 0.7 and x1 - box[2] < 8 * h:
        x1 += 1
    return [x0, y0, x1, y1]


def _join_regions(cands: list[_Cand], sw: int) -> list[_Cand]:
    """Join LED candidates that are two halves of one screen line (or line pair)."""
    out = list(cands)
    changed = True
    while changed:
        changed = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                (a, ka, sa), (b, kb, sb) = out[i], out[j]
                ha, hb = a[3] - a[1], b[3] - b[1]
                v_overlap = min(a[3], b[3]) - max(a[1], b[1])
                gap = max(a[0], b[0]) - min(a[2], b[2])
                if ka == kb == "led" and v_overlap > 0.6 * min(ha, hb) and gap < 0.25 * sw:
                    box = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    out[i] = (box, "led", max(sa, sb))
                    del out[j]
                    changed = True
                    break
            if changed:
                break
    return out


def _dark_bands(hsv: Img, known: list[tuple[int, int, int, int]]) -> list[_Cand]:
    """Thin dark screens whose text the text mask misses (small or dim characters).

    A wide, well-filled dark band in the upper two thirds with some lit pixels inside.
    A band that people's silhouettes touch fails the fill test; the text-based finder
    (:func:`_led_regions`) covers that case.
    """
    sh, sw = hsv.shape[:2]
    sat, val = hsv[..., 1], hsv[..., 2]
    dark = (val <= 80).astype(np.uint8)
    m = cv2.morphologyEx(dark, cv2.MORPH_CLOSE,
                         cv2.getStructuringElement(cv2.MORPH_RECT, (9, 5)))
    # Keep only long horizontal runs: cuts heads (narrow) off the screen above them.
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN,
                         cv2.getStructuringElement(cv2.MORPH_RECT, (max(9, sw // 8), 1)))
    out: list[_Cand] = []
    contours, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for c in contours:
        x, y, bw, bh = cv2.boundingRect(c)
        (_cx, _cy), (rw, rh), _a = cv2.minAreaRect(c)
        long_, short = max(rw, rh), max(1.0, min(rw, rh))
        if long_ < 0.25 * sw or short < 6 or long_ / short < 3.5 or y > sh * 2 / 3:
            continue
        if cv2.contourArea(c) / (long_ * short) < 0.8:
            continue
        if any(_overlap((x, y, x + bw, y + bh), k) > 0.3 for k in known):
            continue
        inner = ((val[y : y + bh, x : x + bw] >= 110)
                 | ((sat[y : y + bh, x : x + bw] >= 100) & (val[y : y + bh, x : x + bw] >= 90)))
        frac = float(inner.mean())
        if not 0.02 <= frac <= 0.5:
            continue
        out.append(((x, y, x + bw, y + bh), "led", 0.8 * min(1.0, long_ / (0.5 * sw))))
    return out


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over the smaller box."""
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return iw * ih / max(1, small)


def _led_regions(hsv: Img) -> list[_Cand]:
    """Bright red/yellow/white text lines on a dark surround (LED screens).

    Found from the text rather than the dark panel, because dark silhouettes of the
    audience touch the panel and merge with it in a darkness mask.
    """
    sh, sw = hsv.shape[:2]
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    dark = val <= 80
    bright = (
        ((val >= 160) & (sat >= 100) & ((hue <= 40) | (hue >= 160)))
        | ((val >= 190) & (sat <= 70))
    ).astype(np.uint8)
    # Only bright pixels mostly surrounded by darkness can be LED text; a light wall
    # along the panel's edge has darkness on one side only.
    dark_share = cv2.blur(dark.astype(np.float32), (21, 21))
    text = bright & (dark_share >= 0.35).astype(np.uint8)
    kx = max(5, sw // 40) | 1
    m = cv2.morphologyEx(text, cv2.MORPH_CLOSE,
                         cv2.getStructuringElement(cv2.MORPH_RECT, (kx, max(3, kx // 3))))
    n, _l, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
    boxes: list[list[int]] = []
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if bw < 0.05 * sw or bh < 3 or bw / bh < 1.5 or y > sh * 2 / 3:
            continue
        if area < 0.3 * bw * bh:  # text lines close into solid bars; clutter does not
            continue
        pad = max(2, bh // 2)
        y0, y1 = max(0, y - pad), min(sh, y + bh + pad)
        x0, x1 = max(0, x - pad), min(sw, x + bw + pad)
        ring = dark[y0:y1, x0:x1] & (bright[y0:y1, x0:x1] == 0)
        if float(ring.mean()) < 0.45:
            continue
        boxes.append([x, y, x + bw, y + bh])
    merged = [_along_panel(b, dark | (bright > 0), sw) for b in _merge_boxes(boxes)]
    out: list[_Cand] = []
    for x0, y0, x1, y1 in merged:
        if x1 - x0 < 0.2 * sw or (x1 - x0) / max(1, y1 - y0) < 2.2:
            continue
        pad = (y1 - y0) // 3
        out.append(((max(0, x0 - pad), max(0, y0 - pad), min(sw, x1 + pad),
                     min(sh, y1 + pad)), "led", 0.9 * min(1.0, (x1 - x0) / (0.5 * sw))))
    return _join_regions(out, sw)


# ------------------------------------------------------------------- text choice
def _adjacent(a: OcrRow, b: OcrRow) -> bool:
    """Whether rows a (above) and b (below) look like two lines of one banner."""
    ax0, _ay0, ax1, _ay1 = a.bbox
    bx0, _by0, bx1, _by1 = b.bbox
    ha, hb = a.height, b.height
    if min(ha, hb) <= 0 or max(ha, hb) / min(ha, hb) > 1.6:
        return False
    # Centre distance, not box gap: the boxes of a tilted line are taller than its text.
    dy = (b.bbox[1] + b.bbox[3]) / 2 - (a.bbox[1] + a.bbox[3]) / 2
    if not 0.6 * max(ha, hb) < dy < 2.3 * max(ha, hb):
        return False
    overlap = min(ax1, bx1) - max(ax0, bx0)
    return overlap > 0.3 * min(ax1 - ax0, bx1 - bx0)


def _partners(rows: Sequence[OcrRow], i: int, hits: Sequence[KeywordHit | None],
              grammar: BannerGrammar) -> list[OcrRow]:
    """Row ``i`` plus the line above/below that belongs to the same banner."""
    main = rows[i]
    chosen = [main]
    codes = set(grammar.parse(main.text, source="ocr").codes)
    # The line above: the unit and year of a banner broken before the quote.
    above = [j for j in range(i) if _adjacent(rows[j], main)]
    if above and ({"unit-missing", "year-missing"} & codes) and hits[above[-1]] not in (
        "keyword", "near-miss"
    ):
        chosen.insert(0, rows[above[-1]])
    # The line below: the 暨 part, or the rest of a broken banner.
    below = [j for j in range(i + 1, len(rows)) if _adjacent(main, rows[j])]
    if below:
        nxt = rows[below[0]]
        mx = (main.bbox[0] + main.bbox[2]) / 2
        nx = (nxt.bbox[0] + nxt.bbox[2]) / 2
        centred = abs(mx - nx) < 0.2 * (main.bbox[2] - main.bbox[0])
        similar = max(main.height, nxt.height) / min(main.height, nxt.height) < 1.3
        if (
            nxt.text[:1] in _JI_LIKE
            or main.text[-1:] in _JI_LIKE
            or (centred and similar and hits[below[0]] is None)
        ):
            chosen.append(nxt)
    return chosen


def _choose(
    rows: Sequence[OcrRow], grammar: BannerGrammar
) -> tuple[list[OcrRow], KeywordHit | None, int]:
    """The banner row (plus its partner line) among ``rows``, and its banner parts.

    Candidates are rows with the keyword, a near miss or 活动 (with their partner line);
    the most banner-like wins (unit, year and 活动 named), then the stronger keyword
    hit, then the taller text. A LOGO's 政务公开主题日 alone names none of the parts.
    """
    hits = [grammar.hit(r.text) for r in rows]
    best: tuple[tuple[int, int, float], list[OcrRow], KeywordHit | None] | None = None
    for i, hit in enumerate(hits):
        if hit is None:
            continue
        chosen = _partners(rows, i, hits, grammar)
        parts = banner_parts(grammar.parse(_rows_text(chosen), source="ocr"))
        key = (parts, _HIT_RANK[hit], rows[i].height)
        if best is None or key > best[0]:
            best = (key, chosen, hit)
    if best is None:
        return [], None, 0
    return best[1], best[2], best[0][0]


def _rows_text(rows: Sequence[OcrRow]) -> str:
    return "\n".join(r.text for r in rows)


def _hull(lines: Sequence[OcrLine]) -> BBox:
    return (
        min(li.bbox[0] for li in lines), min(li.bbox[1] for li in lines),
        max(li.bbox[2] for li in lines), max(li.bbox[3] for li in lines),
    )


# ------------------------------------------------------------------------ reading
def _ocr_whole(img: Img, engine: OcrEngine, side: int) -> list[OcrLine]:
    return engine.read(img, max_side=side)


def _ocr_region(
    img: Img, region: Region, engine: OcrEngine, extend: tuple[int, int] = (0, 0)
) -> tuple[list[OcrLine], tuple[int, int, int, int]]:
    """Read one candidate region; return the lines and the crop box read.

    ``extend`` adds pixels on the left and right, for a second read when the banner
    text ran into the crop's edge.
    """
    h, w = img.shape[:2]
    x0, y0, x1, y1 = region.bbox
    # Generous sideways margin: the colour band can stop short of the last glyphs.
    mx = int((x1 - x0) * 0.06 + (y1 - y0) * 0.3)
    my = int((y1 - y0) * 0.3)
    cx0, cy0 = max(0, x0 - mx - extend[0]), max(0, y0 - my)
    cx1, cy1 = min(w, x1 + mx + extend[1]), min(h, y1 + my)
    box = (cx0, cy0, cx1, cy1)
    crop = img[cy0:cy1, cx0:cx1]
    if crop.size == 0:
        return [], box
    scale = min(1.0, REGION_SIDE / max(crop.shape[:2]))
    if scale < 1.0:
        crop = np.asarray(
            cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA),
            np.uint8,
        )
    variants: tuple[Callable[[Img], Img], ...] = ()
    if region.kind == "led":
        # Fuse the dot matrix into strokes; the recogniser was trained on print and
        # otherwise drops thin glyphs such as quotation marks.
        crop = np.asarray(cv2.GaussianBlur(crop, (0, 0), 1.0), np.uint8)
        variants = (_led_strokes,)
    lines = engine.read_lines(crop, max_side=REGION_SIDE, variants=variants,
                              det_side=REGION_DET_SIDE)
    return [li.shifted(cx0, cy0, 1.0 / scale) for li in lines], box


def _clipped(rows: Sequence[OcrRow], box: tuple[int, int, int, int],
             width: int) -> tuple[int, int]:
    """How far to extend a crop whose banner text runs into its left/right edge."""
    hx0 = min(r.bbox[0] for r in rows)
    hx1 = max(r.bbox[2] for r in rows)
    h = max(r.height for r in rows)
    left = int(4 * h) if box[0] > 0 and hx0 - box[0] < 0.8 * h else 0
    right = int(4 * h) if box[2] < width and box[2] - hx1 < 0.8 * h else 0
    return left, right


def _led_strokes(line: Img) -> Img:
    """An LED line crop with its dots merged into strokes, on a stretched grey scale.

    Grey from the brightest channel (red, yellow and white LEDs are all bright in one),
    a closing sized to the dot pitch (about 1/26 of the line's height) and a blur of
    half that, then a contrast stretch.
    """
    grey = line.max(axis=2) if line.ndim == 3 else line
    pitch = max(1, round(line.shape[0] / 26))
    k = 2 * pitch + 1
    closed = cv2.morphologyEx(grey, cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    soft = cv2.GaussianBlur(closed, (0, 0), max(0.6, pitch * 0.5))
    lo, hi = np.percentile(soft, (5, 99.5))
    stretched = np.clip((soft.astype(np.float32) - lo) * (255.0 / max(1.0, hi - lo)), 0, 255)
    out = stretched.astype(np.uint8)
    return np.asarray(cv2.cvtColor(out, cv2.COLOR_GRAY2BGR), np.uint8)


def _lexicon(grammar: BannerGrammar) -> tuple[str, ...]:
    """The words a banner is built from, longest first, for one-edit corrections."""
    cached = _LEXICONS.get(id(grammar))
    if cached is not None and cached[0] is grammar:
        return cached[1]
    words: dict[str, None] = {}
    for unit in grammar.units.units:
        for spelled in grammar.units._spellings(unit):
            if len(spelled) >= 3:
                words.setdefault(spelled, None)
    words.setdefault(f"{grammar.year}年", None)
    words.setdefault(grammar.activity + grammar.ji, None)
    words.setdefault(grammar.activity, None)
    out = tuple(sorted(words, key=len, reverse=True))
    _LEXICONS[id(grammar)] = (grammar, out)
    return out


_LEXICONS: dict[int, tuple[BannerGrammar, tuple[str, ...]]] = {}


def _one_edit_candidates(text: str, word: str) -> Iterator[str]:
    """``text`` with one window one edit away from ``word`` replaced by ``word``."""
    n = len(word)
    # Substitutions and insertions only: a glyph the recogniser saw is not dropped.
    for size in (n, n - 1):
        if size < 1:
            continue
        for i in range(len(text) - size + 1):
            window = text[i : i + size]
            if window == word or not _one_edit(window, word):
                continue
            yield text[:i] + word + text[i + size :]


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by exactly one substitution, insertion or deletion."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _fault_weight(verdict: BannerVerdict) -> int:
    return len(verdict.faults) + 2 * (3 - banner_parts(verdict))


def _correct_line(line: OcrLine, grammar: BannerGrammar) -> OcrLine:
    """Replace one-edit misreads of banner words the recogniser finds plausible.

    A candidate must make the line's grammar verdict strictly better (fewer faults or
    more banner parts) and cost at most :data:`CORRECTION_MARGIN` nats of CTC
    likelihood against the greedy reading of the same pixels.
    """
    scorer = line.scorer
    if scorer is None:
        return line
    text = line.text
    for _ in range(MAX_CORRECTIONS):
        current = _fault_weight(grammar.parse(text, source="ocr"))
        if current == 0:
            break
        best: tuple[float, str] | None = None
        seen: set[str] = set()
        chars = set(text)
        for word in _lexicon(grammar):
            if word in text and word != grammar.activity:
                continue
            if sum(c in chars for c in word) < len(word) - 1:
                continue  # not one edit away anywhere in the line
            for cand in _one_edit_candidates(text, word):
                if cand in seen:
                    continue
                seen.add(cand)
                if _fault_weight(grammar.parse(cand, source="ocr")) >= current:
                    continue
                margin = scorer.margin(cand)
                if margin >= -CORRECTION_MARGIN and (best is None or margin > best[0]):
                    best = (margin, cand)
        if best is None:
            break
        text = best[1]
    return line if text == line.text else line.with_text(text)


def read_banner(
    image: Img | str | Path | bytes,
    *,
    engine: OcrEngine | None = None,
    mode: Mode = "region",
    grammar: BannerGrammar | None = None,
) -> BannerReading:
    """Read the banner text of an event photo (BGR array, path or encoded bytes).

    ``mode="region"`` OCRs colour-segmented banner candidates first and the whole photo
    only when they yield no banner-like text (:func:`banner_like`); ``mode="whole"``
    OCRs the whole photo (the slow baseline, kept for comparison and as an escape hatch). Boxes and bbox are
    in the pixels of the image as given. Raises :class:`gkcheck.vision.ocr.OcrUnavailable`
    when OCR cannot load.
    """
    start = time.perf_counter()
    img, scale = decode_image(image)
    eng = engine or get_engine()
    gram = grammar or default_grammar()
    tried: list[Region] = []
    best: tuple[list[OcrRow], KeywordHit | None, Mode] = ([], None, "region")

    if mode == "region":
        for region in find_regions(img):
            tried.append(region)
            lines, box = _ocr_region(img, region, eng)
            rows, hit, parts = _choose(
                merge_rows([_correct_line(li, gram) for li in lines]), gram)
            extend = _clipped(rows, box, img.shape[1]) if rows else (0, 0)
            if extend != (0, 0):
                lines, box = _ocr_region(img, region, eng, extend)
                rows, hit, parts = _choose(
                    merge_rows([_correct_line(li, gram) for li in lines]), gram)
            if parts >= 2:
                best = (rows, hit, "region")
                break
    if not best[0]:
        rows, hit, parts = _choose(merge_rows(_ocr_whole(img, eng, WHOLE_SIDE)), gram)
        if parts >= 2:
            best = (rows, hit, "whole")

    rows, hit, used = best
    full = (int(img.shape[1] * scale), int(img.shape[0] * scale))
    regions = tuple(
        Region(tuple(int(v * scale) for v in r.bbox), r.kind, r.score)  # type: ignore[arg-type]
        for r in tried
    )
    if not rows:
        return BannerReading(None, None, (), regions, time.perf_counter() - start,
                             None, None, full)
    out_lines = tuple(li.shifted(0, 0, scale) for r in rows for li in r.lines)
    return BannerReading(
        text=_rows_text(rows),
        bbox=_hull(out_lines),
        lines=out_lines,
        regions_tried=regions,
        seconds=time.perf_counter() - start,
        used=used,
        hit=hit,
        image_size=full,
    )
