"""Is the LOGO really there? Align the template on a candidate and score the aligned pixels.

A candidate (``search.Candidate``) gives a centre and a size. The photo around it is resampled
so the LOGO would be ``size`` px wide; a local masked correlation over a few scales and aspect
ratios (foreshortening) starts the warp; ECC on the LOGO's mask refines it to an affine warp and
then to a homography (a flat LOGO seen at up to 35 deg of yaw). Each warp that a photo of a flat
LOGO can produce (``geometry._plausible``) is scored and the best kept -- when ECC drifts, the
simpler warp still counts (on set B's tune split, keeping the fallback raised the positives with
an aligned candidate from 64 to 74 of 96). ``verify_edges`` does the same on edge strength
(gradient magnitude) for a LOGO whose grey levels do not agree with its template's (printed
faintly, as a negative, in other inks): from windows on 94 missed LOGOs the two alignments
passed 25 and 23, either of them 41 (docs/vision/logo.md, thirty-seventh session).

Scores, on the pixels of the LOGO's mask that fall inside the photo:

* ``whole``: masked ZNCC of the aligned grey patch against the template;
* ``mark``: the same on the graphic mark's part of the mask (the emblem, not the text line);
* ``colour``: the mean per-channel ZNCC where the template has colour detail (per-channel
  normalisation cancels colour casts; not compared on a black-and-white photo);
* ``detail``: ZNCC of the band-pass (difference of Gaussians): the detail inside the LOGO,
  which a head, a round sign or a plain disc of the LOGO's outline lacks;
* ``hog``: the similarity of gradient-orientation histograms cell by cell -- insensitive to
  contrast, gamma and glare, tolerant of a pixel or two of misalignment and of blur, where a
  ZNCC of pixels is not;
* ``learned``: a small network's probability that the pair matches (``learned.py``);
* ``layout``: whether the LOGO's colours are where the template has them, in hue
  (``layout.py``), which a per-channel correlation cannot say.

The detector weighs them into one score (``detector.py``). ``verify_at(..., occluder=...)``
scores a place again without what stands in front of the LOGO (``occluder.py``);
``verify(..., refit=True)`` also fits the chosen warp again on the optical flow of the patch it
aligns (``flow.py``), for the detector's last try on a window just below its threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

from .correlate import masked_ncc, zncc, zncc_detrended
from .flow import flow_homography
from .geometry import _ecc, _h, _plausible, turned_frame
from .layout import NO_LAYOUT, Layout, colour_layout
from .learned import pair_probability
from .occluder import foreign
from .search import Candidate
from .stats import percentile
from .template import LogoTemplate

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Verified", "verify", "verify_at", "verify_edges"]

_STARTS = ((0.9, 1.0), (1.0, 1.0), (1.1, 1.0), (0.9, 0.85), (1.0, 0.85), (1.1, 0.85))
_CRITERIA = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 40, 1e-4)
_GROW = np.ones((3, 3), np.uint8)  # a mask grown by one pixel


@dataclass(frozen=True)
class Verified:
    """A verified candidate: scores and the template's corners (TL, TR, BR, BL) in working px."""

    whole: float
    mark: float
    colour: float
    start: float
    quad: np.ndarray  # 4 x 2 float64
    detail: float
    hog: float
    learned: float  # ``learned.pair_probability`` (0.0 when not asked)
    layout: Layout = NO_LAYOUT  # ``layout.colour_layout``
    hidden: float = 0.0  # the share of the LOGO left out as an occluder (``occluder.py``)


def verify(
    gray: np.ndarray,
    bgr: np.ndarray,
    tpl: LogoTemplate,
    c: Candidate,
    *,
    size: int = 96,
    strict: bool = False,
    grey_chroma: float = 0.0,
    min_start: float = 0.0,
    learned: bool = False,
    hue_route: float = 0.0,
    turns: tuple[float, ...] = (),
    half: bool = False,
    refit: bool = False,
) -> Verified | None:
    """Align ``tpl`` on candidate ``c`` of the working image (``gray`` float32, ``bgr`` uint8).

    None when nothing can be aligned, or when the best start correlates below ``min_start``
    (the alignment and the scores, two thirds of the cost, are not spent on it). ``learned``:
    ask the pair network too (``Verified.learned`` is 0.0 when not asked). ``turns``: also
    start from the template turned in the image plane by these angles (degrees; see
    ``_start``). ``refit``: also fit the warp again on the optical flow (``_refit``)."""
    framed = _frame(gray, tpl, c, size)
    if framed is None:
        return None
    crop, vw, vh, s, (x0, y0, x1, y1) = framed
    t_img, t_mask = tpl.gray_at(vw, vh, strict=strict)
    start = _start(crop, tpl, vw, vh, strict, turns, half)
    if start is None or start[0] < min_start:
        return None
    best_start, w0 = start
    warps = _warps(t_img, crop, w0, (t_mask * 255).astype(np.uint8), 5)
    fit = _best_warp(crop, t_img, t_mask, warps, vw, vh, refit=refit)
    if fit is None:
        return None
    return _score_warp(
        crop, bgr[y0:y1, x0:x1], tpl, fit[1], vw, vh, (x0, y0), s, start=best_start,
        strict=strict, grey_chroma=grey_chroma, learned=learned, hue_route=hue_route,
    )  # fmt: skip


def verify_edges(
    gray: np.ndarray,
    bgr: np.ndarray,
    tpl: LogoTemplate,
    c: Candidate,
    *,
    size: int = 96,
    strict: bool = False,
    grey_chroma: float = 0.0,
    learned: bool = False,
    hue_route: float = 0.0,
    refit: bool = False,
) -> Verified | None:
    """``verify`` with the start and the alignment on edge strength (gradient magnitude)
    instead of grey levels, scored the same way (``refit`` too: on the edges' flow).

    A LOGO printed without its card, in other inks or faintly can correlate near 0 or below
    with its template in grey at its true place -- while its network and gradient scores
    there are high -- and grey-level ECC then drifts to wherever the grey levels agree
    better. Its edges are where the template's are whatever their polarity and contrast."""
    framed = _frame(gray, tpl, c, size)
    if framed is None:
        return None
    crop, vw, vh, s, (x0, y0, x1, y1) = framed
    t_img, t_mask = tpl.gray_at(vw, vh, strict=strict)
    sigma = max(1.0, vw / 64.0)
    ce = _edges(crop, sigma)
    mask_e = cv2.dilate(t_mask.astype(np.uint8), _GROW)  # the edges at the mask's border

    def render(w: int, h: int) -> tuple[np.ndarray, np.ndarray]:
        t2, m2 = tpl.gray_at(w, h, strict=strict)
        return _edges(t2, sigma), cv2.dilate(m2.astype(np.uint8), _GROW).astype(np.float32)

    best = _scale_start(ce, render, vw, vh)
    if best is None:
        return None
    te = _edges(t_img, sigma)
    warps = _warps(te, ce, best[1], mask_e * 255, 3)
    fit = _best_warp(ce, te, mask_e, warps, vw, vh, refit=refit)
    if fit is None:
        return None
    return _score_warp(
        crop, bgr[y0:y1, x0:x1], tpl, fit[1], vw, vh, (x0, y0), s, start=best[0],
        strict=strict, grey_chroma=grey_chroma, learned=learned, hue_route=hue_route,
    )  # fmt: skip


def _warps(
    t_img: np.ndarray, crop: np.ndarray, w0: np.ndarray, mask_u8: np.ndarray, gauss: int
) -> list[np.ndarray]:
    """The start ``w0`` (2x3) as a homography, then what ECC on the mask makes of it: an
    affine warp, then a homography. When ECC does not converge the warps found so far still
    count (``_best_warp`` chooses among them)."""
    warps: list[np.ndarray] = [np.vstack([w0, [0.0, 0.0, 1.0]]).astype(np.float32)]
    try:
        wa = _ecc(t_img, crop, w0.copy(), cv2.MOTION_AFFINE, _CRITERIA, mask_u8, gauss)
        warps.append(_h(wa))
        wh = _ecc(t_img, crop, warps[-1].copy(), cv2.MOTION_HOMOGRAPHY, _CRITERIA, mask_u8, gauss)
        warps.append(np.asarray(wh, np.float32))
    except cv2.error:
        pass
    return warps


def _edges(img: np.ndarray, sigma: float) -> np.ndarray:
    """Gradient magnitude of ``img`` smoothed by ``sigma`` px (float32)."""
    b = cv2.GaussianBlur(img, (0, 0), sigma)
    gx = cv2.Sobel(b, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(b, cv2.CV_32F, 0, 1, ksize=3)
    out: np.ndarray = cv2.magnitude(gx, gy)
    return out


def verify_at(
    gray: np.ndarray,
    bgr: np.ndarray,
    tpl: LogoTemplate,
    quad: np.ndarray,
    *,
    size: int = 96,
    strict: bool = False,
    grey_chroma: float = 0.0,
    learned: bool = False,
    hue_route: float = 0.0,
    occluder: float = 0.0,
) -> Verified | None:
    """The scores of ``tpl`` placed at ``quad`` (its TL, TR, BR, BL corners in working px),
    with no search and no alignment: what verification would give if it aligned perfectly.
    The benchmarks' oracle (``benchmarks/logo_oracle.py``) reads the features' ceiling with it
    at each LOGO's true place; ``Verified.start`` is 0. None when the quad is off the image.

    ``occluder`` > 0: the scores without the pixels that seem to be in front of the LOGO
    (``occluder.foreign`` at that colour distance); None when none do. ``hue_route`` > 0: the
    colour network is asked also where the photo's two hues lie on one line but its chroma
    layout agrees with the template's at least that much (``learned.pair_probability``)."""
    q = np.asarray(quad, np.float64).reshape(4, 2)
    framed = _frame(gray, tpl, Candidate.around(q), size)
    if framed is None:
        return None
    crop, vw, vh, s, (x0, y0, x1, y1) = framed
    corners = np.array([[0, 0], [vw, 0], [vw, vh], [0, vh]], np.float32)
    placed = ((q - [x0, y0]) * s).astype(np.float32)
    hm = np.asarray(cv2.getPerspectiveTransform(corners, placed), np.float32)
    return _score_warp(
        crop, bgr[y0:y1, x0:x1], tpl, hm, vw, vh, (x0, y0), s,
        strict=strict, grey_chroma=grey_chroma, learned=learned, occluder=occluder,
        hue_route=hue_route,
    )  # fmt: skip


def _frame(
    gray: np.ndarray, tpl: LogoTemplate, c: Candidate, size: int
) -> tuple[np.ndarray, int, int, float, tuple[int, int, int, int]] | None:
    """The region around ``c`` resampled to verification px: (crop, template width and
    height there, verification px per working px, the region's box x0, y0, x1, y1 in
    working px); None when the region is too small."""
    tw0, th0 = tpl.size
    # ``size`` is the LOGO's geometric-mean side: a wide LOGO (its mark beside a line of text)
    # verified 96 px *wide* was 32 px high, its rays and strokes left no pixel wholly inside
    # the mask, and its gradient histograms had no cell on it
    g = min(float(size), max(40.0, math.sqrt(c.w * c.h)))
    vw = max(8, round(g * math.sqrt(tw0 / th0)))
    s = vw / c.w  # working px -> verification px
    vh = max(8, round(vw * th0 / tw0))
    half = 0.8 * max(c.w, c.h)
    H, W = gray.shape
    x0, y0 = int(max(0.0, c.cx - half)), int(max(0.0, c.cy - half))
    x1, y1 = int(min(W, c.cx + half)), int(min(H, c.cy + half))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    size_v = (max(8, round((x1 - x0) * s)), max(8, round((y1 - y0) * s)))
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
    crop = cv2.resize(gray[y0:y1, x0:x1], size_v, interpolation=interp)
    return crop, vw, vh, s, (x0, y0, x1, y1)


def _best_warp(
    crop: np.ndarray,
    t_img: np.ndarray,
    t_mask: np.ndarray,
    warps: list[np.ndarray],
    vw: int,
    vh: int,
    *,
    refit: bool = False,
) -> tuple[float, np.ndarray] | None:
    """The warp to score and its correlation: the most general plausible one, unless a simpler
    one correlates clearly better (by 0.02) -- when ECC drifts, the simpler warp still counts.
    ``refit``: then the fit on the optical flow from it, when it correlates better (``_refit``)."""
    best: tuple[float, np.ndarray] | None = None
    for hm in warps[::-1]:
        sc = _correlation(crop, t_img, t_mask, hm, vw, vh)
        if sc is not None and (best is None or sc > best[0] + 0.02):
            best = (sc, hm)
    if refit and best is not None:
        best = _refit(crop, t_img, t_mask, best, vw, vh)
    return best


def _refit(
    crop: np.ndarray,
    t_img: np.ndarray,
    t_mask: np.ndarray,
    fit: tuple[float, np.ndarray],
    vw: int,
    vh: int,
) -> tuple[float, np.ndarray]:
    """``fit`` (correlation, warp), or a better one found from the optical flow of the patch
    it aligns onto the template: the homography the flow implies (``flow.flow_homography``),
    then ECC from that. Each counts only if plausible and correlating better, on the same
    mask as ``_best_warp``'s choice."""
    aligned, inside = _warp_back(crop, fit[1], vw, vh)
    fitted = flow_homography(t_img, aligned, (t_mask > 0) & (inside > 0), fit[1])
    if fitted is None:
        return fit
    tries = [fitted]
    try:
        mask_u8 = (t_mask * 255).astype(np.uint8)
        ecc = _ecc(t_img, crop, fitted.copy(), cv2.MOTION_HOMOGRAPHY, _CRITERIA, mask_u8, 5)
        tries.append(np.asarray(ecc, np.float32))
    except cv2.error:
        pass
    best = fit
    for hm in tries:
        sc = _correlation(crop, t_img, t_mask, hm, vw, vh)
        if sc is not None and sc > best[0]:
            best = (sc, hm)
    return best


def _correlation(
    crop: np.ndarray, t_img: np.ndarray, t_mask: np.ndarray, hm: np.ndarray, vw: int, vh: int
) -> float | None:
    """How well warp ``hm`` aligns the crop on the template: the detrended ZNCC over the
    template's mask where the crop was; None for a warp no photo of a flat LOGO produces
    (``geometry._plausible``, which also refuses one that is not finite)."""
    if not _plausible(hm.astype(np.float64), vw, vh):
        return None
    aligned, inside = _warp_back(crop, hm, vw, vh)
    return zncc_detrended(t_img, aligned, t_mask.astype(np.uint8) & inside)


def _warp_back(crop: np.ndarray, hm: np.ndarray, vw: int, vh: int) -> tuple[np.ndarray, np.ndarray]:
    """The crop resampled onto the template's frame, and which of its pixels came from inside
    the crop."""
    aligned = cv2.warpPerspective(crop, hm, (vw, vh), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
    inside: np.ndarray = cv2.warpPerspective(
        np.ones(crop.shape, np.uint8), hm, (vw, vh), flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP
    )
    return aligned, inside


def _score_warp(
    crop: np.ndarray,
    bgr_crop: np.ndarray,
    tpl: LogoTemplate,
    hm: np.ndarray,
    vw: int,
    vh: int,
    origin: tuple[int, int],
    s: float,
    *,
    start: float = 0.0,
    strict: bool = False,
    grey_chroma: float = 0.0,
    learned: bool = False,
    hue_route: float = 0.0,
    occluder: float = 0.0,
) -> Verified | None:
    """Score the template (``vw`` x ``vh`` verification px) warped by ``hm`` onto ``crop``
    (grey, verification px; ``bgr_crop`` the same region in working px). ``origin`` and ``s``
    place the crop in the working image (its top-left corner; verification px per working px).
    Separate from the alignment so the scores can be read at a known place too
    (``verify_at``). ``occluder`` > 0: without the pixels in front of the LOGO, None when
    there are none (``verify_at``)."""
    t_img, t_mask = tpl.gray_at(vw, vh, strict=strict)
    aligned, inside = _warp_back(crop, hm, vw, vh)
    seen = t_mask.astype(np.uint8) & inside
    size_v = (crop.shape[1], crop.shape[0])
    aligned_bgr = _aligned_colour(bgr_crop, size_v, hm, vw, vh)
    hidden = 0.0
    if occluder > 0:
        found = foreign(aligned_bgr, tpl.regions_at(vw, vh), seen, occluder)
        if found is None:
            return None
        keep = 1 - found[0]
        seen, inside, hidden = seen & keep, inside & keep, found[1]
    # the gradients of the artwork on its own canvas: the strict render fills the backdrop with
    # the LOGO's mean grey, which erases the edges where the LOGO's colour is near that mean
    t_hog = tpl.gray_at(vw, vh)[0] if strict else t_img
    whole = zncc_detrended(t_img, aligned, seen)
    mark = zncc_detrended(t_img, aligned, tpl.mark_at(vw, vh) & inside)
    colour, layout = _colour(aligned_bgr, tpl, vw, vh, seen, whole, grey_chroma)
    detail = _detail(t_img, aligned, seen, vw)
    hog = _hog_sim(t_hog, aligned, seen)

    def laid_out() -> bool:
        """The colour network also for two hues on one line laid out as the template's,
        their layout read on its thin strokes too (a line of text, characters reversed out
        of a seal: ``regions_at(thin=True)``). Asked only where the photo's hues lie on one
        line, the one case it decides."""
        if hue_route <= 0 or (
            layout is NO_LAYOUT and not _coloured(aligned_bgr, seen, grey_chroma)
        ):
            return False
        labels, thin = tpl.regions_at(vw, vh), tpl.regions_at(vw, vh, thin=True)
        t_col = tpl.colour_at(vw, vh)
        route = layout if thin is labels else colour_layout(t_col, thin, aligned_bgr, seen)
        return route.comparable and hue_route <= route.agreement

    opinion = (
        pair_probability(
            t_img, aligned, seen, tpl.colour_at(vw, vh), aligned_bgr, laid_out=laid_out
        )
        if learned
        else 0.0
    )
    corners = np.array([[[0, 0]], [[vw, 0]], [[vw, vh]], [[0, vh]]], np.float32)
    quad = cv2.perspectiveTransform(corners, hm)[:, 0].astype(np.float64) / s + list(origin)
    return Verified(
        whole=whole,
        mark=mark,
        colour=colour,
        start=start,
        quad=quad,
        detail=detail,
        hog=hog,
        learned=opinion,
        layout=layout,
        hidden=hidden,
    )


def _start(
    crop: np.ndarray,
    tpl: LogoTemplate,
    vw: int,
    vh: int,
    strict: bool,
    turns: tuple[float, ...] = (),
    half: bool = False,
) -> tuple[float, np.ndarray] | None:
    """The best (scale, aspect) start by masked correlation: (its score, 2x3 warp).

    ``turns``: the template is also tried turned by each of these angles (degrees;
    ``_turned_start``) and a better correlation wins. ``half``: all of it at half resolution
    (``_half_start``). ECC refines a start by a few degrees at
    most, and a start off by more correlates too little to be aligned at all: on a wide LOGO
    (a seal beside two lines of text, 2.7 times as wide as high) an in-plane turn of 5 deg
    moves its ends by a stroke's width or more."""
    if half:
        return _half_start(crop, tpl, vw, vh, strict, turns)
    found = _scale_start(crop, lambda w, h: tpl.gray_at(w, h, strict=strict), vw, vh)
    if found is None:
        return None
    score, warp, size = found
    if not turns:
        return score, warp
    return _turned_start(crop, tpl, size, vw, vh, strict, turns, (score, warp))


def _scale_start(
    crop: np.ndarray,
    render: Callable[[int, int], tuple[np.ndarray, np.ndarray]],
    vw: int,
    vh: int,
) -> tuple[float, np.ndarray, tuple[int, int]] | None:
    """The best of ``_STARTS`` (scale, aspect) by masked correlation over ``crop`` of
    ``render(w, h)`` (the template and its mask at that size): (its correlation, the 2x3
    warp, the size); None when no size fits inside ``crop``."""
    best: tuple[float, np.ndarray, tuple[int, int]] | None = None
    for sc, asp in _STARTS:
        w2, h2 = max(6, round(vw * sc * asp)), max(6, round(vh * sc))
        if w2 >= crop.shape[1] or h2 >= crop.shape[0]:
            continue
        p = _peak(crop, *render(w2, h2))
        if p is not None and (best is None or p[0] > best[0]):
            bx, by = p[1]
            warp = np.array([[w2 / vw, 0.0, bx], [0.0, h2 / vh, by]], np.float32)
            best = (p[0], warp, (w2, h2))
    return best


def _half_start(
    crop: np.ndarray,
    tpl: LogoTemplate,
    vw: int,
    vh: int,
    strict: bool,
    turns: tuple[float, ...],
) -> tuple[float, np.ndarray] | None:
    """``_start`` at half resolution: each (scale, aspect), then each turn at the best one's
    size; (the half-resolution correlation, the 2x3 warp in ``crop``'s px). Halving blurs
    strokes a pixel or two wide enough to overlap when the start is a few px off, where at
    full resolution they fall on the backdrop and a flat patch of the crop correlates better
    (``LogoDetector.start_half``); it also costs a quarter of the correlations. ECC then
    aligns at full resolution."""
    img = cv2.resize(crop, (crop.shape[1] // 2, crop.shape[0] // 2), interpolation=cv2.INTER_AREA)
    best: tuple[float, np.ndarray] | None = None
    upright: tuple[np.ndarray, np.ndarray, int, int] | None = None  # the best start's render
    for sc, asp in _STARTS:
        wh, hh = max(6, round(vw * sc * asp / 2)), max(6, round(vh * sc / 2))
        t2, m2 = tpl.gray_at(wh, hh, strict=strict)
        p = _peak(img, t2, m2)
        if p is not None and (best is None or p[0] > best[0]):
            bx, by = p[1]
            warp = np.array([[2 * wh / vw, 0.0, 2 * bx], [0.0, 2 * hh / vh, 2 * by]], np.float32)
            best = (p[0], warp)
            upright = (t2, m2, wh, hh)
    if best is None or upright is None:
        return None
    t2, m2, wh, hh = upright
    for deg in turns:
        rt, rm, rot = _turned(t2, m2, deg)
        p = _peak(img, rt, rm)
        if p is not None and p[0] > best[0]:
            best = (p[0], 2 * _turned_warp(rot, wh / vw, hh / vh, p[1]))
    return best


def _turned_start(
    crop: np.ndarray,
    tpl: LogoTemplate,
    size: tuple[int, int],
    vw: int,
    vh: int,
    strict: bool,
    turns: tuple[float, ...],
    best: tuple[float, np.ndarray],
) -> tuple[float, np.ndarray]:
    """``best``, or a start from the template turned by one of ``turns`` when that correlates
    better. The turned template has the best upright start's size (``size``). The angle is
    chosen at half resolution, against the upright template there: a quarter of the cost of
    correlating each turn at full resolution, which made a detection ~7 % slower (on set B's
    six design splits 466 LOGOs found and 13 false hits, against 467 and 12 at full
    resolution; docs/vision/logo.md). Only the chosen turn is correlated at full
    resolution, near where the half resolution put it."""
    half = cv2.resize(crop, (crop.shape[1] // 2, crop.shape[0] // 2), interpolation=cv2.INTER_AREA)
    w2, h2 = size
    t_half, m_half = tpl.gray_at(max(6, round(w2 / 2)), max(6, round(h2 / 2)), strict=strict)
    upright = _peak(half, t_half, m_half)
    chosen: tuple[float, float, tuple[int, int]] | None = None  # (score, angle, place)
    for deg in turns:
        rt, rm, _rot = _turned(t_half, m_half, deg)
        p = _peak(half, rt, rm)
        if p is not None and (chosen is None or p[0] > chosen[0]):
            chosen = (p[0], deg, p[1])
    if chosen is None or (upright is not None and chosen[0] <= upright[0]):
        return best
    t2, m2 = tpl.gray_at(w2, h2, strict=strict)
    rt, rm, rot = _turned(t2, m2, chosen[1])
    x, y = 2 * chosen[2][0], 2 * chosen[2][1]
    pad = 3  # px of full resolution around the doubled half-resolution place
    x0, y0 = max(0, x - pad), max(0, y - pad)
    near = crop[y0 : y + rt.shape[0] + pad, x0 : x + rt.shape[1] + pad]
    p = _peak(near, rt, rm)
    if p is None or p[0] <= best[0]:
        return best
    return (p[0], _turned_warp(rot, w2 / vw, h2 / vh, (p[1][0] + x0, p[1][1] + y0)))


def _turned_warp(rot: np.ndarray, sx: float, sy: float, place: tuple[int, int]) -> np.ndarray:
    """The 2x3 warp from the template's frame to the crop for a turned render found at
    ``place``: the render's scale (``sx``, ``sy``), then the turn ``rot`` (``_turned``), then
    the place."""
    scale = np.array([[sx, 0.0], [0.0, sy]])
    warp = np.hstack([rot[:, :2] @ scale, (rot[:, 2] + list(place))[:, None]])
    return warp.astype(np.float32)


def _peak(
    img: np.ndarray, tpl: np.ndarray, mask: np.ndarray
) -> tuple[float, tuple[int, int]] | None:
    """The best masked correlation of ``tpl`` in ``img`` and its place (top-left corner);
    None when the template does not fit inside ``img``."""
    if tpl.shape[0] > img.shape[0] or tpl.shape[1] > img.shape[1]:
        return None
    _mn, mv, _ml, loc = cv2.minMaxLoc(masked_ncc(img, tpl, mask))
    return float(mv), (int(loc[0]), int(loc[1]))


def _turned(
    img: np.ndarray, mask: np.ndarray, deg: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``img`` and its 0/1 ``mask`` turned by ``deg`` about their centre, on a canvas that
    holds the whole turned render (outside it the mask is 0), and the 2x3 map from ``img``'s
    pixels to the canvas."""
    h, w = img.shape
    rot, cw, ch = turned_frame(w, h, deg)
    out = cv2.warpAffine(img, rot, (cw, ch), flags=cv2.INTER_LINEAR)
    m = cv2.warpAffine(mask, rot, (cw, ch), flags=cv2.INTER_LINEAR)
    m = (m > 0.5).astype(np.float32)
    return out, m, rot


def _aligned_colour(
    bgr: np.ndarray, size_v: tuple[int, int], hm: np.ndarray, vw: int, vh: int
) -> np.ndarray:
    """The colour crop (working px) resampled onto the template's frame (float32 BGR)."""
    crop = cv2.resize(bgr, size_v, interpolation=cv2.INTER_AREA).astype(np.float32)
    out: np.ndarray = cv2.warpPerspective(
        crop, hm, (vw, vh), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    )
    return out


def _coloured(aligned: np.ndarray, seen: np.ndarray, grey_chroma: float) -> bool:
    """Whether the patch has colour to compare: its mean chroma on ``seen`` (max - min of
    the channels) at least ``grey_chroma`` (0: always)."""
    sel = seen > 0
    if grey_chroma > 0 and sel.any():
        px = aligned[sel]
        return float((px.max(axis=1) - px.min(axis=1)).mean()) >= grey_chroma
    return True


def _colour(
    aligned: np.ndarray,
    tpl: LogoTemplate,
    vw: int,
    vh: int,
    seen: np.ndarray,
    fallback: float,
    grey_chroma: float,
) -> tuple[float, Layout]:
    """Mean per-channel ZNCC of the aligned colour patch, channels where the template varies,
    and the patch's chroma layout (``layout.py``).

    ``fallback`` and no layout when the patch has no colour to compare (mean chroma below
    ``grey_chroma``: a black-and-white photo)."""
    t_col = tpl.colour_at(vw, vh)
    if not _coloured(aligned, seen, grey_chroma):
        return fallback, NO_LAYOUT
    sel = seen > 0
    scores = [
        zncc_detrended(t_col[..., k], aligned[..., k], seen)
        for k in range(3)
        if float(t_col[..., k][sel].std()) > 8.0
    ]
    layout = colour_layout(t_col, tpl.regions_at(vw, vh), aligned, seen)
    return (float(np.mean(scores)) if scores else fallback), layout


def _blur(img: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), sigma)


def _detail(t_img: np.ndarray, aligned: np.ndarray, seen: np.ndarray, vw: int) -> float:
    """ZNCC of the band-pass (difference of Gaussians) of template and photo on the LOGO.

    A head over a body, a round sign or a plain disc correlates with a LOGO's outline at
    0.8 -- its shape is all the grey ZNCC weighs; the detail inside the LOGO (a star, waves,
    the strokes of its text) is what they lack, and what survives blur at this band."""
    k = vw / 96.0
    lo, hi = max(0.7, 1.0 * k), 3.0 * k
    bt = _blur(t_img, lo) - _blur(t_img, hi)
    ba = _blur(aligned, lo) - _blur(aligned, hi)
    inner = cv2.erode(seen, np.ones((3, 3), np.uint8))
    if int(inner.sum()) < 0.3 * int(seen.sum()):
        inner = seen  # a LOGO of thin strokes: eroded, nothing would be left
    return zncc(bt, ba, inner)


def _hog_sim(t_img: np.ndarray, aligned: np.ndarray, seen: np.ndarray) -> float:
    """Cosine similarity of gradient-orientation histograms (8 x 8 px cells, unsigned, 9 bins)
    of template and photo over the cells the LOGO covers or edges cross, taken as one vector each.

    Each cell's histogram is normalised against a floor (a fifth of the 90th percentile of
    the cells' norms): a cell with structure weighs ~1, a flat cell (the inside of a plain
    shield, in the template; sensor noise, in the photo) little -- so flat areas neither
    count as disagreement nor let noise pass for detail. (A mean of per-cell cosines, tried
    first, scored a perfectly aligned plain shield low: its flat cells counted as 0.)"""
    h, w = seen.shape
    cs = 8
    ny, nx = h // cs, w // cs
    if nx < 2 or ny < 2:
        return 0.0

    def cells(img: np.ndarray) -> np.ndarray:
        gx = cv2.Sobel(img, cv2.CV_32F, 1, 0, ksize=1)
        gy = cv2.Sobel(img, cv2.CV_32F, 0, 1, ksize=1)
        mag, ang = cv2.cartToPolar(gx, gy, angleInDegrees=True)
        # soft binning, bins centred on 10, 30, ... 170 deg, each gradient shared between its
        # two nearest: with hard bins a vertical edge fell in bin 0 at 0 deg and in bin 8 at
        # 179.9 -- the same orientation, and a template's text scored 0.2-0.5 against a copy
        # of itself turned by a fraction of a degree
        t = (ang % 180.0) / 20.0 - 0.5
        lo = np.floor(t)
        hi_w = (t - lo).astype(np.float32)
        lo_b = lo.astype(np.int32) % 9
        hi_b = (lo_b + 1) % 9
        m_hi = mag * hi_w
        m_lo = mag - m_hi
        out = np.zeros((ny, nx, 9), np.float32)
        for k in range(9):
            mk = (np.where(lo_b == k, m_lo, 0.0) + np.where(hi_b == k, m_hi, 0.0))[
                : ny * cs, : nx * cs
            ]
            out[..., k] = mk.reshape(ny, cs, nx, cs).sum(axis=(1, 3))
        return out

    # the cells the LOGO's edges cross: its mask grown by 2 px covers a third of them (the
    # strict mask of a sunburst or a line of text covers no cell by half)
    near = cv2.dilate(seen, np.ones((5, 5), np.uint8))
    on = near[: ny * cs, : nx * cs].reshape(ny, cs, nx, cs).mean(axis=(1, 3)) > 0.3
    if int(on.sum()) < 2:
        return 0.0
    vecs = []
    for img in (t_img, aligned):
        c = cells(img)[on]
        n = np.sqrt((c * c).sum(axis=1, keepdims=True))
        vecs.append((c / (n + 0.2 * percentile(n, 90) + 1e-3)).ravel())
    a, b = vecs
    # sums, not ``@`` / ``linalg.norm``: no BLAS call (see ``LogoTemplate.project``)
    d = float(np.sqrt(float((a * a).sum()) * float((b * b).sum())))
    return float((a * b).sum() / d) if d > 1e-9 else 0.0
