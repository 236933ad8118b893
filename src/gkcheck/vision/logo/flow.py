"""A homography for an aligned LOGO read off dense optical flow, for a second fit.

ECC (``geometry._ecc``) descends on grey levels from its start and stops where the masked
correlation stops improving; on a LOGO printed on cloth, seen at a slant or half hidden, it
can stop a pixel or two off over part of the LOGO, and the scores read that as a poorer
LOGO. The flow of the aligned patch onto the template says where each part of the LOGO still
is off; a homography fitted to it with RANSAC, and ECC started from that, is another rigid
fit the verification scores the same way (``verify._refit``).

Only a fit, never a bend: the fiftieth session's round FL bent the patch by the flow itself
and lifted look-alikes (a national emblem, a sibling design) as much as LOGOs; a homography
has far less freedom (round FH, the refit on every verification, lifted none on ten splits;
as the last try it added 3 false hits to 16 LOGOs over 56). On every verification it cost
~14 % of a one-photo process; as the last try for a window the refine tries leave just below
the threshold (``LogoDetector.refine_refit``), ~4 % in process on set B's photos, a tenth of
which make that try, and nothing measurable on the speed split (docs/vision/logo.md,
fifty-first session).
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["MIN_SIDE", "flow_homography"]

MIN_SIDE = 24  # verification px, no flow below (DIS's FAST preset crashed OpenCV on small frames)
_STEP = 3  # every third pixel of the mask gives a correspondence
_MIN_PAIRS = 12  # correspondences (and RANSAC inliers) a fit needs
_MIN_SEEN = 100  # mask pixels inside the crop the flow is read on
_RANSAC_PX = 1.5  # verification px


def flow_homography(
    t_img: np.ndarray, aligned: np.ndarray, seen: np.ndarray, hm: np.ndarray
) -> np.ndarray | None:
    """The homography (template frame -> crop, float32) that the flow of ``aligned`` (the crop
    warped back by ``hm``) onto ``t_img`` implies, read on ``seen`` (the template's mask
    where the crop was); None when the frame is smaller than ``MIN_SIDE`` or too little of
    the LOGO is seen, or RANSAC keeps too few correspondences.

    Both images are stretched alike on ``seen`` (mean to 128, one standard deviation to 40
    grey levels) because DIS reads 8-bit grey and the template's levels and the photo's
    differ in contrast and offset. DIS's MEDIUM preset: with FAST, OpenCV crashed (a
    segfault in ``cv2``) on verification frames in 9 of 10 runs of set B's splits."""
    vh, vw = t_img.shape[:2]
    if min(vw, vh) < MIN_SIDE or int(seen.sum()) < _MIN_SEEN:
        return None
    dis = cv2.DISOpticalFlow.create(cv2.DISOpticalFlow_PRESET_MEDIUM)
    flow = dis.calc(_stretched(t_img, seen), _stretched(aligned, seen), None)  # type: ignore[call-overload]
    ys, xs = np.nonzero(seen[::_STEP, ::_STEP])
    ys, xs = ys * _STEP, xs * _STEP
    if len(xs) < _MIN_PAIRS:
        return None
    p = np.stack([xs, ys], 1).astype(np.float32)
    q = p + flow[ys, xs]  # where each template pixel is in the aligned patch
    in_crop = cv2.perspectiveTransform(q.reshape(-1, 1, 2), hm.astype(np.float64)).reshape(-1, 2)
    fitted, inliers = cv2.findHomography(p, in_crop.astype(np.float32), cv2.RANSAC, _RANSAC_PX)
    if fitted is None or inliers is None or int(inliers.sum()) < _MIN_PAIRS:
        return None
    return np.asarray(fitted, np.float32)


def _stretched(img: np.ndarray, sel: np.ndarray) -> np.ndarray:
    """``img`` as 8-bit grey, its pixels under ``sel`` at mean 128 and deviation 40."""
    v = img[sel]
    mean, sd = float(v.mean()), float(v.std()) + 1e-6
    return np.clip((img - mean) / sd * 40 + 128, 0, 255).astype(np.uint8)
