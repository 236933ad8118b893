"""Cut a LOGO template out of an event photo (``gkcheck logo template``).

The package ships a demo mark only; the campaign's real LOGO is whatever the units print. A
reviewer who has one photo in which the LOGO shows can cut it out here: by its box, or by
letting the most LOGO-like region be found (a compact, colourful, detailed blob). The result is
a PNG whose alpha is the LOGO's own mask (the uniform backdrop around it is transparent), so
the template matches the LOGO on any other backdrop.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..imageio import decode
from .template import _own_mask

__all__ = ["Cut", "cut_template", "logo_like_box"]


@dataclass(frozen=True)
class Cut:
    """A template cut from a photo: PNG bytes (BGRA) and the box in full-resolution px."""

    png: bytes
    box: tuple[int, int, int, int]  # x, y, w, h


def cut_template(data: bytes, *, box: tuple[int, int, int, int] | None = None) -> Cut:
    """Cut the LOGO at ``box`` (x, y, w, h, full-resolution px) or, without a box, at the most
    LOGO-like region of the photo; raises ``ValueError`` when there is nothing to cut."""
    dec = decode(data, max_side=2048)
    px = dec.pixels
    f = px.shape[1] / dec.full_size[0]  # full px -> decoded px
    if box is None:
        bx = logo_like_box(px)
        if bx is None:
            raise ValueError("no LOGO-like region found; give --box x,y,w,h")
    else:
        x, y, w, h = box
        if w < 8 or h < 8:
            raise ValueError("the box is too small (at least 8 x 8 px)")
        bx = (round(x * f), round(y * f), round(w * f), round(h * f))
    x, y, w, h = bx
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(px.shape[1], x + w), min(px.shape[0], y + h)
    if x1 - x0 < 8 or y1 - y0 < 8:
        raise ValueError("the box lies outside the photo")
    crop = np.ascontiguousarray(px[y0:y1, x0:x1])
    _art, mask = _own_mask(crop)
    ys, xs = np.nonzero(mask)
    if len(xs) >= 20:
        # a LOGO on its card inside a box that also shows the backdrop: the first pass peels
        # the backdrop, a second one the card
        sy0, sy1, sx0, sx1 = int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1
        _a2, inner = _own_mask(np.ascontiguousarray(crop[sy0:sy1, sx0:sx1]))
        if 20 <= np.count_nonzero(inner) < 0.9 * np.count_nonzero(mask[sy0:sy1, sx0:sx1]):
            mask = np.zeros_like(mask)
            mask[sy0:sy1, sx0:sx1] = inner
            ys, xs = np.nonzero(mask)
    if len(xs) < 20:
        raise ValueError("the box holds no LOGO (a uniform patch)")
    pad = 3
    cx0, cx1 = max(0, int(xs.min()) - pad), min(crop.shape[1], int(xs.max()) + 1 + pad)
    cy0, cy1 = max(0, int(ys.min()) - pad), min(crop.shape[0], int(ys.max()) + 1 + pad)
    bgra = np.dstack([crop, mask])[cy0:cy1, cx0:cx1]
    ok, buf = cv2.imencode(".png", np.ascontiguousarray(bgra))
    if not ok:
        raise ValueError("could not encode the template")
    full = (
        round((x0 + cx0) / f),
        round((y0 + cy0) / f),
        round((cx1 - cx0) / f),
        round((cy1 - cy0) / f),
    )
    return Cut(png=buf.tobytes(), box=full)


def logo_like_box(bgr: np.ndarray) -> tuple[int, int, int, int] | None:
    """Box (x, y, w, h, in ``bgr``'s px) of the most LOGO-like region, or None.

    A printed LOGO is a compact cluster of strong edges, usually in saturated colours, on a
    calmer surrounding: edges are grouped by a closing of ~2 % of the photo, and each group
    is scored by its edge density x (colour + 0.3) x compactness; groups touching the border,
    tiny or huge ones, and long thin ones (a line of text, a table edge) do not count."""
    H, W = bgr.shape[:2]
    s = min(1.0, 800.0 / max(H, W))
    small = cv2.resize(bgr, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else bgr
    h, w = small.shape[:2]
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    edges = cv2.Canny(cv2.GaussianBlur(gray, (0, 0), 1.0), 60, 140)
    sat = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)[..., 1].astype(np.float32) / 255.0
    r = max(3, round(0.02 * max(h, w)))
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    blobs = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, k)
    n, lab, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    best: tuple[float, tuple[int, int, int, int]] | None = None
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if x <= 1 or y <= 1 or x + bw >= w - 1 or y + bh >= h - 1:
            continue
        if bw * bh < 0.002 * h * w or bw * bh > 0.3 * h * w:
            continue
        if max(bw, bh) / max(1, min(bw, bh)) > 4.0:
            continue
        win = (slice(y, y + bh), slice(x, x + bw))
        density = float(np.count_nonzero(edges[win])) / (bw * bh)
        colour = float(sat[win][lab[win] == i].mean())
        compact = area / (bw * bh)
        score = density * (colour + 0.3) * compact * np.sqrt(bw * bh)
        if best is None or score > best[0]:
            best = (score, (x, y, bw, bh))
    if best is None:
        return None
    x, y, bw, bh = best[1]
    m = round(0.06 * max(bw, bh))
    x0, y0 = max(0, x - m), max(0, y - m)
    x1, y1 = min(w, x + bw + m), min(h, y + bh + m)
    return (round(x0 / s), round(y0 / s), round((x1 - x0) / s), round((y1 - y0) / s))
