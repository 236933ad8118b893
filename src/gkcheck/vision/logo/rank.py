"""Which of the search's windows to verify first: a small network compares each with the LOGO.

The search (``search.py``) ranks windows by a grey correlation on the LOGO's mask. On set B's
tune splits one of its best 6 windows lay on the LOGO in 191 of 298 positive photos, one of
its best 24 in 211: backdrops, faces and text correlate as well as a LOGO seen from the side,
in a colour cast or partly hidden. Verification (ECC alignment, ``verify.py``) is the
expensive step, so the search proposes ``LogoDetector.rank_pool`` windows and this network --
given the template and the window, both in colour, framed alike -- re-orders them; the
detector verifies the first few. Re-ordered, the first 6 hold the LOGO in 210 of those 211.

Input (``window_input``): 7 x 40 x 40 float32, the template's colours (each channel
normalised on its mask, 0 outside) and its mask, drawn in the middle 32 px of the frame, and
the photo around the window at the same scale (each channel normalised over the frame). The
network knows no LOGO design: it was trained on set B's *training* splits with designs of its
own (``benchmarks/logo_ranker.py``), never on a tune or held-out split. A window's rank is
its search score + ``weight`` x the network's logit. Measurements: docs/vision/logo.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from . import network
from .search import Candidate
from .template import LogoTemplate

__all__ = ["FRAME", "RANK_SIZE", "load_network", "rank", "template_input", "window_input"]

RANK_SIZE = 40
FRAME = 1.25  # the frame is this many times the LOGO's longer side: some context around it
_MODEL = "window-ranker.onnx"


def _inner(tpl: LogoTemplate) -> tuple[int, int]:
    """The template's size in the frame: its longer side ``RANK_SIZE / FRAME`` px."""
    inner = round(RANK_SIZE / FRAME)
    tw, th = tpl.size
    sx = inner if tw >= th else max(4, round(inner * tw / th))
    sy = inner if th >= tw else max(4, round(inner * th / tw))
    return sx, sy


def template_input(tpl: LogoTemplate) -> np.ndarray:
    """4 x 40 x 40: the template's colours normalised on its mask, and the mask, in the middle
    of the frame (its aspect kept).

    Drawn afresh for each ranking (0.1 ms): not kept with the template through
    ``LogoTemplate.remember``, whose lock is held while the clutter threshold -- which ranks
    windows itself -- is computed."""
    sx, sy = _inner(tpl)
    col = cv2.resize(tpl.bgr, (sx, sy), interpolation=cv2.INTER_AREA).astype(np.float32)
    m = (cv2.resize(tpl.ink, (sx, sy), interpolation=cv2.INTER_AREA) > 127).astype(np.float32)
    out = np.zeros((4, RANK_SIZE, RANK_SIZE), np.float32)
    x0, y0 = (RANK_SIZE - sx) // 2, (RANK_SIZE - sy) // 2
    sel = m > 0
    for ch in range(3):
        v = col[..., ch]
        mu, sd = float(v[sel].mean()), float(v[sel].std()) + 8.0
        out[ch, y0 : y0 + sy, x0 : x0 + sx] = (v - mu) / sd * m
    out[3, y0 : y0 + sy, x0 : x0 + sx] = m
    return out


def window_input(
    bgr: np.ndarray, tpl: LogoTemplate, cand: Candidate, t_input: np.ndarray | None = None
) -> np.ndarray:
    """7 x 40 x 40: the template's input (``t_input``, else drawn here) and the photo around
    ``cand``, framed alike (the window's width maps to the template's width in the frame).

    Only the frame's neighbourhood is read: a window far smaller than the frame is first
    shrunk by an integer factor (area averaging, then bilinear), on a crop aligned to that
    factor, so each window costs the same whatever the photo's size."""
    R = RANK_SIZE
    H, W = bgr.shape[:2]
    sx, _sy = _inner(tpl)
    f = sx / max(cand.w, 1e-6)  # frame px per photo px
    k = max(1, int(0.5 / f)) if f < 0.5 else 1
    half = R / (2 * f) + 2 * k
    x0 = max(0, math.floor((cand.cx - half) / k) * k)
    y0 = max(0, math.floor((cand.cy - half) / k) * k)
    x1 = min(W, math.ceil((cand.cx + half) / k) * k)
    y1 = min(H, math.ceil((cand.cy + half) / k) * k)
    if x1 - x0 < 2 or y1 - y0 < 2:  # a window wholly off the photo: nothing to compare
        x0, y0, x1, y1 = 0, 0, W, H
    crop = bgr[y0:y1, x0:x1]
    kx = ky = 1.0
    if k > 1:
        sw, sh = max(1, (x1 - x0) // k), max(1, (y1 - y0) // k)
        kx, ky = (x1 - x0) / sw, (y1 - y0) / sh
        crop = cv2.resize(crop, (sw, sh), interpolation=cv2.INTER_AREA)
    # pixel centres at integer coordinates (OpenCV's warps): the window's centre is given
    # with pixel i spanning [i, i + 1) (``search.propose``), the frame's centre is (R - 1) / 2,
    # a pixel of the shrunk crop stands for k source pixels centred at j k + (k - 1) / 2
    c = (R - 1) / 2
    ux, uy = cand.cx - 0.5, cand.cy - 0.5
    M = np.array(
        [
            [f * kx, 0.0, f * (x0 + (kx - 1) / 2 - ux) + c],
            [0.0, f * ky, f * (y0 + (ky - 1) / 2 - uy) + c],
        ],
        np.float32,
    )
    w = cv2.warpAffine(
        crop, M, (R, R), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
    ).astype(np.float32)
    if w.ndim == 2:
        w = np.repeat(w[..., None], 3, axis=2)
    out = np.empty((7, R, R), np.float32)
    out[:4] = template_input(tpl) if t_input is None else t_input
    # each channel's mean and deviation in one pass (``cv2.meanStdDev``, double sums): three
    # NumPy means and deviations took ~150 us a window (now ~20), 48 windows a search
    mean, std = cv2.meanStdDev(w)
    for ch in range(3):
        out[4 + ch] = (w[..., ch] - float(mean[ch, 0])) / (float(std[ch, 0]) + 8.0)
    return out


def load_network() -> network.Runner:
    """The ranker, made on first use (one per process, shared by threads)."""
    return network.load(_MODEL)


def rank(
    bgr: np.ndarray, tpl: LogoTemplate, cands: Sequence[Candidate], *, weight: float = 0.1
) -> list[Candidate]:
    """``cands`` (windows on ``bgr``, the working image) best first by search score +
    ``weight`` x the network's logit."""
    if len(cands) < 2 or weight <= 0:
        return list(cands)
    t_input = template_input(tpl)
    x = np.stack([window_input(bgr, tpl, c, t_input) for c in cands])
    logits = load_network().logits(x)
    if not np.isfinite(logits).all():  # a broken model or input: the search's own order
        return list(cands)
    order = sorted(range(len(cands)), key=lambda i: -(cands[i].score + weight * logits[i]))
    return [cands[i] for i in order]
