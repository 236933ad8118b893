"""Clutter a LOGO should not match: what each template scores where there is no LOGO.

Some templates match anything. A triangle of one flat colour with a darker triangle inside
and a line of thin text has, on its strict mask, little more than a few straight edges;
aligned by ECC (which seeks the best fit) on a wall, a blurred shelf or grass, it scores what
other templates score on their own LOGO: on six of the images below its 90th percentile is
0.78 where the tune splits' 21 templates reach 0.60 at most, and on a fresh split of set B
(final7) it made six of the seven false hits. One threshold for all templates cannot serve
both kinds, so the detector asks, once per template, how high that template scores on these
images and demands a margin above it (``LogoDetector(clutter_margin=)``).

Each image is scored twice, in colour and in grey (``grey=True``). The pair network that sees
colour (``learned.py``) refuses many look-alikes by their colours alone, and it is asked only
where a photo shows two hues; in a black-and-white photo the grey network judges every
candidate. A template's clutter scores can therefore be lower on the images in colour than on
the same images in grey (the triangle above, when the colour network was asked everywhere:
0.507 against 0.593), and the threshold must hold in both kinds of photo, so the percentile is
taken over both. (With the network asked only on two hues, the triangle scores 0.719 in
colour, 0.716 in grey.)

The images are drawn here, deterministically, from nothing installed: band-limited noise,
flat shapes, strokes, stripes over a gradient -- the textures of walls, crowds, shelves,
foliage and text that fill an event photo.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

__all__ = ["clutter_image"]


@lru_cache(maxsize=32)
def clutter_image(k: int, w: int = 256, h: int = 192, grey: bool = False) -> np.ndarray:
    """The ``k``-th clutter image (BGR uint8, read-only); the same pixels on every machine and
    run. Drawn once per process (6 ms each) and shared by every template's calibration.
    ``grey``: the same image as a black-and-white camera gives it (three equal channels)."""
    if grey:
        g = cv2.cvtColor(clutter_image(k, w, h), cv2.COLOR_BGR2GRAY)
        out_grey: np.ndarray = cv2.cvtColor(g, cv2.COLOR_GRAY2BGR)
        out_grey.flags.writeable = False
        return out_grey
    rng = np.random.default_rng(1000 + k)
    img: np.ndarray
    kind = k % 4
    if kind == 0:  # band-limited noise at a random scale, each channel its own
        img = np.zeros((h, w, 3), np.float32)
        for c in range(3):
            n = rng.normal(0.0, 1.0, (h, w)).astype(np.float32)
            img[..., c] = cv2.GaussianBlur(n, (0, 0), float(rng.uniform(1.5, 8.0)))
        img = (img - img.min()) / (float(np.ptp(img)) + 1e-6) * 255.0
    elif kind == 1:  # flat shapes of random colours
        img = np.full((h, w, 3), rng.integers(0, 255, 3), np.float32)
        for _ in range(60):
            col = [int(x) for x in rng.integers(0, 255, 3)]
            x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
            a, b = int(rng.integers(5, 80)), int(rng.integers(5, 80))
            if rng.random() < 0.5:
                cv2.rectangle(img, (x, y), (x + a, y + b), col, -1)
            else:
                cv2.ellipse(img, (x, y), (a, b), float(rng.uniform(0, 180)), 0, 360, col, -1)
    elif kind == 2:  # strokes: text, branches, cables
        img = np.full((h, w, 3), rng.integers(0, 255, 3), np.float32)
        for _ in range(120):
            col = [int(x) for x in rng.integers(0, 255, 3)]
            x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
            q = (x + int(rng.integers(-60, 60)), y + int(rng.integers(-60, 60)))
            cv2.line(img, (x, y), q, col, int(rng.integers(1, 6)))
    else:  # stripes over a gradient: blinds, curtains, a lit wall
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        ang, period = float(rng.uniform(0, np.pi)), float(rng.uniform(6, 40))
        s = np.sin((xx * np.cos(ang) + yy * np.sin(ang)) / period * 2 * np.pi)
        base = rng.uniform(40, 220, 3).astype(np.float32)
        img = base[None, None, :] * (0.7 + 0.3 * s[..., None]) + (xx / w * 60.0)[..., None]
    img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.5, 1.5)))
    out: np.ndarray = np.clip(img + rng.normal(0.0, 4.0, img.shape), 0, 255).astype(np.uint8)
    out.flags.writeable = False  # shared by every caller
    return out
