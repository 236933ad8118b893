"""A second alignment for large LOGOs: SIFT keypoints matched to the template, a homography by
RANSAC.

Verification (``verify.py``) aligns the template by ECC from the search's window. On a LOGO of
100 px and more, seen from the side, on cloth or a roll-up, ECC often stops in a wrong basin:
on set B's tune splits, of the LOGOs that pass at their true place and were still missed, 7
were 167-416 px on a side (working px) with a verified window on them scoring 0.18-0.68
(docs/vision/logo.md).
There a LOGO has detail enough for keypoints, and matching them does not depend on where ECC
starts. So a candidate that is large (``LogoDetector.keypoint_min``) and scored below the
threshold but not far below (``keypoint_floor``) is placed again where the keypoints say, and
scored there by the same scores (``verify.verify_at``); the better of the two counts.

Nothing here decides: the quad is only a proposal, which the ordinary scores and threshold
judge. SIFT (``cv2.SIFT``, in OpenCV's main module since 4.4), an extractor made per call
(OpenCV's are not documented as thread-safe), Lowe's ratio test (0.8), RANSAC with 3 px, at
least 8 inliers; a quad that is not convex, or whose area is not 0.4-2.5x the candidate's, is
refused.
"""

from __future__ import annotations

import cv2
import numpy as np

from .template import LogoTemplate

__all__ = ["fit_quad", "keep_template_features", "template_features"]

_RATIO = 0.8
_MIN_MATCHES = 8
_RANSAC_PX = 3.0
_AREA = (0.4, 2.5)
_KEY = ("sift",)  # the template's features, kept with it (``LogoTemplate.remember``)


def template_features(tpl: LogoTemplate) -> tuple[np.ndarray, np.ndarray | None]:
    """The template's keypoints (N x 2 float32, its own px) and SIFT descriptors, on the LOGO's
    mask widened by 2 px (a keypoint on the outline sees the backdrop too). Kept with the
    template: ~10 ms for a 400 px template."""

    def compute() -> tuple[np.ndarray, np.ndarray | None]:
        grey = cv2.cvtColor(tpl.bgr, cv2.COLOR_BGR2GRAY)
        mask = cv2.dilate((tpl.ink > 127).astype(np.uint8) * 255, np.ones((5, 5), np.uint8))
        kps, des = cv2.SIFT.create().detectAndCompute(grey, mask)
        pts = np.array([k.pt for k in kps], np.float32).reshape(-1, 2)
        return pts, des

    out: tuple[np.ndarray, np.ndarray | None] = tpl.remember(_KEY, compute)
    return out


def keep_template_features(tpl: LogoTemplate, pts: np.ndarray, des: np.ndarray | None) -> None:
    """Give ``tpl`` the features :func:`template_features` worked out for the same template
    earlier (``template_store.py`` reads them back from disk)."""
    tpl.remember(_KEY, lambda: (pts, des))


def fit_quad(work: np.ndarray, tpl: LogoTemplate, quad: np.ndarray) -> np.ndarray | None:
    """The template's corners (TL, TR, BR, BL; working px) where the keypoints around ``quad``
    put them, or None when they do not agree on a plausible place.

    ``work``: the working image (BGR uint8); ``quad``: a verified candidate's corners. The
    region searched is the quad's box widened to 1.5x its longer side, brought down to the
    template's longer side (SIFT is scale-invariant; its cost is not)."""
    t_pts, t_des = template_features(tpl)
    if t_des is None or len(t_pts) < _MIN_MATCHES:
        return None
    q = np.asarray(quad, np.float64).reshape(4, 2)
    cx, cy = q.mean(axis=0)
    half = 0.75 * max(float(np.ptp(q[:, 0])), float(np.ptp(q[:, 1])))
    h, w = work.shape[:2]
    x0, y0 = int(max(0.0, cx - half)), int(max(0.0, cy - half))
    x1, y1 = int(min(w, cx + half)), int(min(h, cy + half))
    if x1 - x0 < 24 or y1 - y0 < 24:
        return None
    region = cv2.cvtColor(work[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)
    s = min(1.0, max(tpl.size) / max(region.shape))
    if s < 1.0:
        region = cv2.resize(region, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
    p_kps, p_des = cv2.SIFT.create().detectAndCompute(region, None)
    if p_des is None or len(p_kps) < _MIN_MATCHES:
        return None
    pairs = cv2.BFMatcher(cv2.NORM_L2).knnMatch(t_des, p_des, k=2)
    good = [m[0] for m in pairs if len(m) == 2 and m[0].distance < _RATIO * m[1].distance]
    if len(good) < _MIN_MATCHES:
        return None
    src = t_pts[[m.queryIdx for m in good]]
    dst = np.array([p_kps[m.trainIdx].pt for m in good], np.float32)
    hm, inliers = cv2.findHomography(src, dst, cv2.RANSAC, _RANSAC_PX)
    if hm is None or inliers is None or int(inliers.sum()) < _MIN_MATCHES:
        return None
    tw, th = tpl.size
    corners = np.array([[[0, 0]], [[tw, 0]], [[tw, th]], [[0, th]]], np.float32)
    out: np.ndarray = cv2.perspectiveTransform(corners, hm)[:, 0].astype(np.float64) / s + [x0, y0]
    if not np.all(np.isfinite(out)) or not cv2.isContourConvex(out.astype(np.float32)):
        return None
    before = cv2.contourArea(q.astype(np.float32))
    after = cv2.contourArea(out.astype(np.float32))
    if before <= 0 or not _AREA[0] <= after / before <= _AREA[1]:
        return None
    return out
