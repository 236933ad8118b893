"""Does a LOGO found by its knockout twin show the backdrop through its paper?

A LOGO printed from an export whose paper is transparent (``LogoTemplate.knockout_twin``)
shows, where the template is white, whatever it is printed on: the same backdrop that
surrounds it. The twin leaves the paper out of its scores, so a look-alike whose inks
resemble the LOGO's (the national or party emblem under the demo mark's ring) can pass
it with anything at all in those places. This reads the one thing the twin's hypothesis
promises and its scores do not: the photo's colour over the template's paper against the
colour of a ring just outside the LOGO's outline. On set K (the dev set of knockout
prints, fifty-seventh session) the LOGOs' windows read 0-27 (CIE76 Delta E), the
look-alikes the twin let through on set B's speed split 42 and 61.
"""

from __future__ import annotations

import cv2
import numpy as np

from .layout import lab
from .template import LogoTemplate

# the ring outside the LOGO's outline, as shares of the template's larger side: from the
# outline grown by the first to the outline grown by the second (clear of the outline's own
# anti-aliasing and of a fit a few px off)
_RING = (0.03, 0.10)
# the paper kept at least this far inside itself (template px), for the same reason
_PAPER_IN = 2
# fewer photo pixels than this on either side: nothing to compare
_MIN_PX = 24


def _grown(mask: np.ndarray, r: int) -> np.ndarray:
    return cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1,) * 2))


def _lab_median(crop: np.ndarray, mask: np.ndarray) -> np.ndarray | None:
    """The median CIELAB colour of ``crop``'s pixels on ``mask``; None under ``_MIN_PX``.
    Only those pixels are converted, by ``layout.lab`` (not ``cv2.cvtColor``, whose first
    CIELAB conversion in a process builds its tables: ~50 ms)."""
    px = crop[mask > 0]
    if len(px) < _MIN_PX:
        return None
    return np.median(lab(px).astype(np.float64), axis=0)


def _masks(tpl: LogoTemplate, twin: LogoTemplate) -> tuple[np.ndarray, np.ndarray, int]:
    """(paper, ring, pad): ``tpl``'s paper and the ring outside its outline on its canvas
    padded by ``pad`` on every side; worked out once and kept with the twin (~9 ms for the
    demo mark: the ring's two dilations; a check after it costs ~2 ms)."""

    def make() -> tuple[np.ndarray, np.ndarray, int]:
        h, w = tpl.ink.shape[:2]
        inside = (tpl.ink > 0).astype(np.uint8)
        paper = inside & (twin.ink == 0).astype(np.uint8)
        paper = cv2.erode(paper, np.ones((2 * _PAPER_IN + 1,) * 2, np.uint8))
        near, far = (max(1, round(s * max(h, w))) for s in _RING)
        pad = far + 1
        # the ring lies outside the template's canvas as much as inside it: a padded canvas
        sil = cv2.copyMakeBorder(inside, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
        ring = _grown(sil, far) & (1 - _grown(sil, near))
        paper = cv2.copyMakeBorder(paper, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
        return paper, ring, pad

    out: tuple[np.ndarray, np.ndarray, int] = twin.remember(("paper-ring",), make)
    return out


def paper_distance(
    work: np.ndarray, tpl: LogoTemplate, twin: LogoTemplate, quad: np.ndarray
) -> float | None:
    """Delta E (CIE76) between the median colour of ``work`` (the working image, BGR uint8)
    over ``tpl``'s paper -- its pixels inside the LOGO that ``twin`` leaves out -- and over
    a ring just outside the LOGO's outline, with the template placed at ``quad`` (its
    corners TL, TR, BR, BL in ``work``'s px). ``None`` when either side shows fewer than
    ``_MIN_PX`` pixels of the photo (the LOGO at its edge, or too small to read)."""
    h, w = tpl.ink.shape[:2]
    paper, ring, pad = _masks(tpl, twin)
    corners = np.array([[pad, pad], [pad + w, pad], [pad + w, pad + h], [pad, pad + h]], np.float32)
    H = cv2.getPerspectiveTransform(corners, np.asarray(quad, np.float32))
    # only the photo's pixels under the padded canvas are read
    W, Hh = w + 2 * pad, h + 2 * pad
    box = np.array([[[0, 0], [W, 0], [W, Hh], [0, Hh]]], np.float32)
    outer = cv2.perspectiveTransform(box, H)[0]
    if not np.isfinite(outer).all():  # a degenerate quad: nothing placed to read
        return None
    x0, y0 = (max(0, int(v)) for v in np.floor(outer.min(axis=0)))
    x1 = min(work.shape[1], int(np.ceil(outer[:, 0].max())))
    y1 = min(work.shape[0], int(np.ceil(outer[:, 1].max())))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    H = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64) @ H
    crop = work[y0:y1, x0:x1]

    def placed(m: np.ndarray) -> np.ndarray:
        return cv2.warpPerspective(m, H, (x1 - x0, y1 - y0), flags=cv2.INTER_NEAREST)

    a = _lab_median(crop, placed(paper))
    b = _lab_median(crop, placed(ring))
    if a is None or b is None:
        return None
    return float(np.linalg.norm(a - b))
