"""Warp geometry of a LOGO on a flat surface: ECC alignment and what a photo can produce."""

from __future__ import annotations

import math

import cv2
import numpy as np

_ECC_WITH_MASK = getattr(cv2, "findTransformECCWithMask", None)


def turned_frame(w: int, h: int, angle: float) -> tuple[np.ndarray, int, int]:
    """The 2x3 map turning a ``w`` x ``h`` image by ``angle`` degrees about its centre onto a
    canvas that holds the whole turned image, and that canvas's width and height: the turned
    search templates (``LogoTemplate.turned_at``) and the turned verification starts
    (``verify._turned``) are both laid out by it."""
    a = math.radians(angle)
    c, s = abs(math.cos(a)), abs(math.sin(a))
    cw, ch = math.ceil(w * c + h * s), math.ceil(w * s + h * c)
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rot[0, 2] += (cw - w) / 2
    rot[1, 2] += (ch - h) / 2
    return rot, cw, ch


def _h(W: np.ndarray) -> np.ndarray:
    """2x3 affine -> 3x3 float32 homography."""
    return np.vstack([W[:2], [0, 0, 1]]).astype(np.float32) if W.shape[0] == 2 else W


def _ecc(
    tmpl: np.ndarray,
    img: np.ndarray,
    W: np.ndarray,
    motion: int,
    crit: tuple[int, int, float],
    tmask: np.ndarray | None,
    gauss: int,
) -> np.ndarray:
    """ECC refinement of ``W``, optionally restricted to ``tmask`` (template frame)."""
    if tmask is None:
        out: np.ndarray = cv2.findTransformECC(tmpl, img, W, motion, crit, None, gauss)[1]  # type: ignore[call-overload]
        return out
    if _ECC_WITH_MASK is not None:
        full = np.full(img.shape[:2], 255, np.uint8)
        return _ECC_WITH_MASK(tmpl, img, tmask, full, W, motion, crit, gauss)[1]  # type: ignore[no-any-return]
    # OpenCV < 4.12: the mask can only be given in the input frame
    fwd = cv2.warpPerspective(
        tmask, _h(W).astype(np.float64), (img.shape[1], img.shape[0]), flags=cv2.INTER_NEAREST
    )
    res: np.ndarray = cv2.findTransformECC(tmpl, img, W, motion, crit, fwd, gauss)[1]
    return res


def _plausible(Wh: np.ndarray, tw: int, th: int, max_rot: float = 25.0) -> bool:
    """Reject warps no photo of a flat LOGO produces: rotation beyond
    ``max_rot``, strong shear, anisotropy, scale far from the candidate's,
    flips, non-convex or strongly foreshortened quads."""
    pts = cv2.perspectiveTransform(
        np.array([[0, 0], [tw, 0], [tw, th], [0, th]], np.float32).reshape(-1, 1, 2), Wh
    ).reshape(-1, 2)
    if not np.all(np.isfinite(pts)):
        return False
    tl, tr, br, bl = pts.astype(np.float64)
    top, bottom, left, right = tr - tl, br - bl, bl - tl, br - tr
    lt, lb, ll, lr = (float(np.hypot(*e)) for e in (top, bottom, left, right))
    if min(lt, lb, ll, lr) < 3:
        return False
    if min(lt, lb) / max(lt, lb) < 0.55 or min(ll, lr) / max(ll, lr) < 0.55:
        return False
    hv, vv = top + bottom, left + right
    rot = math.degrees(math.atan2(hv[1], hv[0]))
    if abs(rot) > max_rot:
        return False
    between = math.degrees(math.atan2(vv[1], vv[0])) - rot
    if not (90 - 22 <= between <= 90 + 22):
        return False
    sx, sy = np.hypot(*hv) / (2 * tw), np.hypot(*vv) / (2 * th)
    if not (0.6 <= sx <= 1.6 and 0.6 <= sy <= 1.6 and 0.62 <= sx / sy <= 1.6):
        return False

    def cross(a: np.ndarray, b: np.ndarray) -> float:
        return float(a[0] * b[1] - a[1] * b[0])

    return all(
        cross(pts[(i + 1) % 4] - pts[i], pts[(i + 2) % 4] - pts[(i + 1) % 4]) > 0 for i in range(4)
    )
