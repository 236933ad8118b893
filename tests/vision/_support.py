"""Helpers the LOGO tests share: a LOGO printed on a photo the way the tests need it."""

from __future__ import annotations

import cv2
import numpy as np

from gkcheck.vision.logo import LogoTemplate
from gkcheck.vision.logo.search import Candidate


def paste_logo(img: np.ndarray, tpl: LogoTemplate, cx: int, cy: int, w: int) -> Candidate:
    """Print ``tpl`` (its own pixels only, no card) ``w`` px wide centred at (cx, cy) on
    ``img`` (BGR uint8, in place); its window."""
    h = round(w * tpl.size[1] / tpl.size[0])
    art = cv2.resize(tpl.bgr, (w, h), interpolation=cv2.INTER_AREA)
    m = cv2.resize(tpl.ink, (w, h), interpolation=cv2.INTER_AREA)[..., None] / 255.0
    x0, y0 = cx - w // 2, cy - h // 2
    roi = img[y0 : y0 + h, x0 : x0 + w].astype(np.float32)
    img[y0 : y0 + h, x0 : x0 + w] = (art * m + roi * (1 - m)).astype(np.uint8)
    return Candidate(0.5, x0 + w / 2, y0 + h / 2, float(w), float(h))
