"""Which pixels of an aligned LOGO show something in front of it: a head, a hand, a plant.

Every score of ``verify.py`` is a correlation over the LOGO's mask, and an occluder is the
largest thing in it: on a plain purple oval 1 000 px wide that any reader sees at once, whose
own detail (a thin stripe) differs from the oval by a few grey levels, a pale ellipse over
15 % of it left the whole LOGO's correlation at 0.32 and the pair network's probability at
0.39, at the LOGO's exact place; without the ellipse's pixels they are 0.77 and 1.0 (set B,
tune3 0005).

What is in front of the LOGO is told apart by colour, not by how well it fits the template (a
fit-based cut -- the worst cells or pixels left out -- raised look-alikes as much as LOGOs,
docs/vision/logo.md): the template's colour regions (``LogoTemplate.regions_at``) each take
the photo's own median colour over their pixels, which carries the photo's cast, gamma and
print, and a pixel far from every region's median is foreign. Lightness counts half (glare
and shading move it across a region), and only blobs count (opened by a square of 5 px at
96 px): thin text strokes that blend with the backdrop are not an occluder. Only a share
between ``MIN_SHARE`` and ``MAX_SHARE`` of the LOGO is taken for an occluder; more is not a
LOGO behind something but something else.
"""

from __future__ import annotations

import cv2
import numpy as np

from .layout import lab
from .stats import median

__all__ = ["MAX_SHARE", "MIN_SHARE", "foreign"]

MIN_SHARE = 0.03
MAX_SHARE = 0.35
_L_WEIGHT = 0.5
_OPEN_AT_96 = 5.0
_MIN_REGION = 12  # px of a region in view, to take its median


def foreign(
    aligned_bgr: np.ndarray, labels: np.ndarray, seen: np.ndarray, distance: float
) -> tuple[np.ndarray, float] | None:
    """The foreign pixels of an aligned LOGO (uint8 0/1, the mask's size) and their share of
    ``seen``; None when there are none to speak of (or too many).

    ``aligned_bgr``: the photo patch on the template's frame (float32 BGR); ``labels``: the
    template's colour region of each pixel (-1 none); ``seen``: the LOGO's pixels in view;
    ``distance``: CIELAB units (lightness halved) beyond which a pixel is foreign."""
    sel = seen > 0
    n = int(sel.sum())
    if n < 50 or distance <= 0:
        return None
    px = lab(aligned_bgr) * np.array([_L_WEIGHT, 1.0, 1.0], np.float32)
    near = np.full(sel.shape, np.inf, np.float32)
    for i in range(int(labels.max()) + 1):
        region = sel & (labels == i)
        if int(region.sum()) < max(_MIN_REGION, MIN_SHARE * n):
            continue
        centre = median(px[region])  # ``np.median(axis=0)`` without its numpy.ma import
        near = np.minimum(near, np.sqrt(((px - centre) ** 2).sum(axis=2)))
    if not np.isfinite(near).any():
        return None
    far = ((near > distance) & sel).astype(np.uint8)
    side = max(3, round(_OPEN_AT_96 * seen.shape[1] / 96.0) | 1)
    blobs: np.ndarray = cv2.morphologyEx(far, cv2.MORPH_OPEN, np.ones((side, side), np.uint8))
    share = float(blobs.sum()) / n
    if not MIN_SHARE <= share <= MAX_SHARE:
        return None
    return blobs, share
