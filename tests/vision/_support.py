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


def in_one_ink(tpl: LogoTemplate, ink: tuple[int, int, int]) -> LogoTemplate:
    """``tpl`` printed in one ink (BGR) on white, at the densities its greys give."""
    density = 1.0 - cv2.cvtColor(tpl.bgr, cv2.COLOR_BGR2GRAY).astype(np.float32)[..., None] / 255
    art = 255.0 * (1.0 - density) + np.array(ink, np.float32) * density
    art = np.where(tpl.ink[..., None] > 0, art, 255.0)
    return LogoTemplate.from_array(np.clip(art, 0, 255).astype(np.uint8), name="one ink")


def wall_scene(
    logo: LogoTemplate, *, grey: bool = False, blur: float = 0.0
) -> tuple[bytes, Candidate]:
    """``logo`` 260 px wide on a grey wall above a dark floor (800 x 600, JPEG 88, light
    noise), out of focus by ``blur``, in grey when ``grey``; the JPEG and the LOGO's window."""
    rng = np.random.default_rng(5)
    img = np.empty((600, 800, 3), np.uint8)
    img[:] = (150, 160, 170)
    cv2.rectangle(img, (0, 460), (800, 600), (60, 70, 80), -1)
    cand = paste_logo(img, logo, 400, 240, 260)
    if blur:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    img = np.clip(img + rng.normal(0, 3, img.shape), 0, 255).astype(np.uint8)
    if grey:
        img = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    return cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 88])[1].tobytes(), cand
