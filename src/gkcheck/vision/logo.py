"""LOGO detector: is a given campaign LOGO visible in a photo, and where?

Usage::

    det = LogoDetector([LogoTemplate.load("sample-logo.png")])
    m = det.detect(Path("photo.jpg"))      # or bytes
    m.found, m.score, m.bbox, m.quad, m.scale, m.template

Pipeline (figures: see "Measured" at the end of this docstring)

1. Template preparation (``LogoTemplate.load``, once per template). The white
   margin is cropped; an *ink mask* marks the printed pixels (far from white)
   and the *mark region* (the graphic emblem, as opposed to the text line) is
   found as the largest compact blob of ink. Scoring is restricted to the ink
   mask dilated by a thin ring, so the photo does not need the template's white
   background (LOGOs printed straight onto a backdrop are matched too).

2. Safe, reduced decoding (``imageio.decode``): the header is checked against a
   pixel limit first, JPEGs are decoded by libjpeg DCT scaling (1/2, 1/4, 1/8)
   to the smallest size whose long side is >= ``max_side``; then area-resized to
   ``max_side``. Decoding is the largest fixed cost, the reduction pays for the
   whole search on large photos.

3. Coarse search: normalised cross-correlation (``cv2.matchTemplate``,
   TM_CCOEFF_NORMED) of a small grey template (geometric-mean side
   ``coarse_size`` = 22 px, lightly blurred) over an image pyramid with 3
   levels per octave, coarsest level first. Keeping the template small and
   shrinking the *image* makes the cost a geometric series dominated by the
   finest level (~2.7 x one match on the working image), and it avoids the
   classic pitfall of multi-scale matching: raw NCC is never compared between
   a 25 px template and a 200 px one to decide -- it only *proposes*
   candidates (top 3 peaks per level, flat windows skipped, overlaps merged,
   ``max_candidates`` = 6 best overall). Levels stop where the LOGO would be
   smaller than ``coarse_size`` px or wider than 60 % of the photo. Then the
   graphic mark *alone* proposes too (``mark_candidates`` = 2 more), for
   LOGOs >= ``mark_min_logo`` = 56 px (geometric mean): a person in front of
   the text defeats the whole-LOGO NCC, not the mark's. The mark's levels are
   about one octave coarser than the LOGO's, so in theory this adds about a
   quarter to the coarse search (not timed separately). No rotated templates: a 22 px template still correlates ~0.75 with
   itself rotated by 15 deg, enough to be proposed; rotation is recovered in
   step 4 (``coarse_rot`` adds +-angle templates at 3x the cost if ever
   needed).

4. Verification of each candidate, strongest first, on the working image at
   the candidate's scale (LOGO resized to <= ``verify_size`` = 64 px wide):
   a local NCC search at half resolution over 13 (scale, aspect, rotation)
   variants (+-25 % scale, 0.82-1.22 aspect for foreshortening, +-10 deg;
   the variants are rendered once per template size) initialises the warp;
   when the whole LOGO fits poorly (NCC < 0.8) the mark alone is searched
   too and, if it places the LOGO elsewhere, both starts are refined and the
   better kept (with part of the LOGO hidden, the whole-template NCC is pulled
   off and shrunk by the occluder, the mark's is not). Candidates whose best
   local NCC < 0.4 stop here. Then *occlusion*: a grid of ~8 x 8 cells over
   the template; a cell is hidden when most of its structured template pixels
   (local contrast > 12) see a flat photo patch (local contrast < 0.3 x the
   candidate's typical photo/template contrast ratio, so blur and low light
   do not count) whose grey level differs from the LOGO's own background
   (> 25) -- a flat patch of the background colour where the template has ink
   is *missing ink* (another LOGO, the text alone), not an occluder. ECC
   (``findTransformECCWithMask``; on OpenCV < 4.12 ``findTransformECC`` with
   the mask warped into the photo) refines an affine warp at half and full
   resolution on the template's ink mask minus hidden cells (the template's
   white margin is not used: it is not printed on every backdrop, and a dark
   occluder next to it pulled the warp), the occlusion is re-estimated on the
   refined warp and ECC re-run once if it changed, then a homography for
   candidates near the threshold. The warp must be plausible for a flat LOGO
   (rotation <= 25 deg, shear <= 22 deg, aspect within 0.62-1.6, convex,
   opposite sides within 0.55x) -- without that check ECC happily rotated a
   shield mark 90 deg onto a person's head. On the aligned patch, visible
   part only, four scores are computed: ``s_all`` masked ZNCC over the
   whole LOGO (grey), ``s_mark`` ZNCC over the graphic mark only (grey),
   ``s_col`` the mean per-channel ZNCC of the mark (per-channel normalisation
   cancels colour casts; a same-shaped emblem in other colours fails it), and
   ``s_in`` the per-channel ZNCC of the mark's *interior* (its filled
   silhouette eroded by 10 % of its size, in the channels where the template
   has detail there; 1.0 for a plain mark). The first three are dominated by
   the mark's silhouette against its surroundings: a plain yellow disc scored
   0.84 against a green disc with a star and ring drawn inside, a green square
   0.75 against a speech bubble with stripes; ``s_in`` scores those ~0.
   score = 0.4 s_all + 0.6 min(s_mark, s_col, s_in + 0.1) - 0.25 (hidden -
   0.05)+, and the score is capped below the threshold when less than 60 % of
   the mark is in view: a candidate whose text matches but whose graphic mark
   does not (the text 政务公开主题日 alone, another emblem with the same text)
   cannot pass -- the fit must cover the mark. LOGOs under 64 working px wide
   lose up to 0.05 (``small_penalty``). Wide LOGOs (text beside the mark) are
   verified wider, so their height keeps ~43 px (at 64 x 20 px the text was
   mush and ECC failed on clean LOGOs). When ECC makes the warp implausible or
   worse than its start, the start is kept (a dark occluder beside the mark
   pulls ECC off a correct start). A verdict within 0.2 below the threshold
   is verified once more from the quad it found (the coarse proposal's centre
   and scale are often off by 10-25 %), and a verdict within
   ``hires_band`` = 0.15 of the threshold on a LOGO >= 90 working px wide is
   taken again at up to ``hires_size`` = 128 px: with more detail a true
   LOGO's score rises (0.65 -> 0.96, 0.63 -> 0.81 on tuning photos) and a
   look-alike's falls (0.68 -> 0.63, 0.66 -> 0.58).

5. Decision: ``score >= threshold`` (0.66, the middle of the gap on the
   *tuning* split after the changes above: negatives' best scores <= 0.59,
   true hits >= 0.72). With ``first_hit=True`` the search stops at
   the first verified candidate, and strong candidates (coarse NCC >= 0.6)
   of coarse levels are verified before finer levels are even computed, so
   a large LOGO costs a fraction of the full search. Results are cached per
   (photo content hash, first_hit).

6. Fine pass for small LOGOs in large photos (``detect`` only; not
   ``detect_array``, which has no JPEG to decode again): when the first pass
   finds nothing and the JPEG's DCT 1/2 (or coarser) reduction for a long
   side >= ``fine_side`` = 1536 exists and gives a working image >=
   ``fine_gain`` = 1.4 x the first pass's, the photo is decoded again at that
   reduction and area-resized to ``fine_max`` = 1536 px (3264-4000 px photos:
   1.5-1.9 x the first pass's resolution). Only the LOGO sizes the first pass
   could not see are searched: geometric-mean side from ``fine_min_logo`` =
   26 px up to ``coarse_size`` x that gain (2 pyramid levels), no mark-only
   proposals, ``fine_candidates`` = 4 candidates verified as usual (same
   score, small-LOGO penalty and threshold). Photos of <= ~3000 px long side
   (where it would need a full decode) get no fine pass. Negatives on large
   photos pay it: +35 % of their detection time on 24 large tune negatives
   (decode at 1/2 ~ 0.5 x cv2.imread, two NCC levels on a 1536 px image,
   <= 4 verifications). With ``fine_max`` = 2048 the tune split's small
   recall was 0.96 instead of 0.83, but that fine pass cost ~1.8 x as much
   (detect total +40 % on the whole tune split), over the time budget.

7. Sharper confirmation (``detect`` only): a verdict within ``hires_band``
   of the threshold on a LOGO that the search saw under 90 px wide, in a photo
   with >= 1.3 x more pixels than the search used, is taken again on the same
   region decoded so that the LOGO is up to ``hires_size`` px wide; that
   score decides (no verification at all there -> not found). It costs one
   more reduced decode, for near-threshold photos only.

Coordinates: ``bbox`` and ``quad`` are in full-resolution pixels of the
upright (EXIF-rotated) photo; ``quad`` is the LOGO template's TL, TR, BR, BL
corners mapped into the photo; ``scale`` = LOGO width in the photo / template
width (full resolution).

Limits (measured, see below): the smallest LOGO found is about 22 px
(geometric-mean side) in the working image (long side 768-1024 px), i.e.
~30 px wide on photos up to ~1 MP and ~2.5-3 % of the long side on larger
photos -- a 40 px LOGO in a 12 MP photo is *not* found, and a wide
mark-beside-text LOGO at 2.5-3.5 % of a large photo is often missed
(first pass; the fine pass, step 6, reaches ~26 px at 1536 px, i.e.
~1.7 % of the long side -- an ~85-90 px LOGO in a 4000 px photo -- on
photos >= ~3200 px, with unstable scores at that size: a drawn LOGO 84-89
px wide in a 4000 px photo scored 0.66-0.86; "small" recall on random
designs: 0.75 test, 0.64 on a 600-photo tuning set). Occlusion: a flat
occluder over 15-30 % of the LOGO is handled when the graphic mark stays >= 60 % visible; a
mark-beside-text LOGO hidden from the mark's side is not found (by design:
the text alone is not evidence), nor are occluders textured like the LOGO.
Perspective beyond ~0.35 (opposite sides < 0.55x) and rotations beyond
~20 deg are not searched. Inverted artwork (light-on-dark print of a
dark-on-light template) needs its own template.

Measured (benchmarks/logo.py; photos 1-12 MP; box must overlap truth with
IoU > 0.3; *tune* = the 200-photo split the knobs were chosen on, *test* =
320 photos with LOGO designs never tuned on, *fresh1* = 320 photos generated
after the last change and never looked at before this measurement):

  tune    before this revision P 0.990 R 0.894 F1 0.940;  now P 1.000 R 0.938 F1 0.968
  test    before this revision P 0.979 R 0.895 F1 0.935;  now P 1.000 R 0.914 F1 0.955
  fresh1  now P 1.000 R 0.951 F1 0.975 (sample LOGO 0.995, held-out designs
          0.953; 0 false hits on 136 negatives)
  misses left (test): mixed conditions (11/19 found), small LOGOs of 40-60 px
  in 1-3 MP photos (no fine pass there, see step 6), occlusion of a
  mark-beside-text LOGO from the mark's side, perspective >= 0.35 with
  low light.
  time, same run, 2-core machine otherwise idle: ``gkcheck logo`` (CLI,
  start-up included) over the 160 photos of fresh1 that use the sample LOGO
  23.7 s vs cv2.imread of the same photos in a fresh process 6.0 s = 3.96x
  (budget 5x). Over all 320 photos with the detector in one subprocess (161
  query templates, each prepared on first use): 4.05x (test), 4.52x and
  4.86x (fresh1, two runs). Per photo: < 3 MP photos take ~11x their decode
  (the search has a floor cost), >= 6 MP ~2.6x (reduced decoding pays).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from .imageio import ImageDecodeError, decode

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["ImageDecodeError", "LogoDetector", "LogoMatch", "LogoTemplate"]

Point = tuple[float, float]


@dataclass(frozen=True)
class LogoMatch:
    """Result of :meth:`LogoDetector.detect`."""

    found: bool
    score: float
    bbox: tuple[int, int, int, int] | None = None  # x0, y0, x1, y1 (full-res px)
    quad: tuple[Point, Point, Point, Point] | None = None  # TL, TR, BR, BL
    scale: float | None = None  # LOGO width in photo / template width
    template: str | None = None
    image_size: tuple[int, int] | None = None  # full-res (w, h), upright


@dataclass(frozen=True, eq=False)
class _Scaled:
    """A template rendered at one size for verification."""

    gray: np.ndarray  # float32
    bgr: np.ndarray  # float32
    mask: np.ndarray  # uint8 0/255, dilated ink
    mark: np.ndarray  # uint8 0/255, mark region (box, dilated)
    ink: np.ndarray  # uint8 0/255, ink only
    tstd: np.ndarray  # float32 local contrast of ``gray``
    info: np.ndarray  # uint8 0/255: structured pixels (local contrast) inside ``mask``
    cells: np.ndarray  # int32 cell label per pixel (occlusion grid)
    n_cells: int
    std_k: int  # box size of the local contrast
    occl_contrast: float  # grey difference from the LOGO's background that an occluder shows
    mark_box: tuple[int, int, int, int] | None  # mark region box (None: the mark is the LOGO)
    # the mark's interior (uint8 0/255) and the channels it has detail in, or None
    inner: tuple[np.ndarray, tuple[int, ...]] | None
    _var: dict[tuple[str, float], list[tuple[float, float, float, np.ndarray]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def variants(self, part: str, angle: float) -> list[tuple[float, float, float, np.ndarray]]:
        """Half-resolution, blurred (scale, aspect, rotation) variants of the
        whole template (``part="all"``) or of its mark, for the local search."""
        key = (part, angle)
        if key not in self._var:
            if part == "mark" and self.mark_box is not None:
                x0, y0, x1, y1 = self.mark_box
                sub = self.gray[y0:y1, x0:x1]
            else:
                sub = self.gray
            sh, sw = sub.shape
            out = []
            for k, asp, dang in _LOCAL_VARIANTS:
                ang = angle + dang
                tt = cv2.resize(
                    sub,
                    (max(4, round(sw * k * asp / 2)), max(4, round(sh * k / 2))),
                    interpolation=cv2.INTER_AREA,
                )
                if ang:
                    M = cv2.getRotationMatrix2D((tt.shape[1] / 2, tt.shape[0] / 2), ang, 1.0)
                    tt = cv2.warpAffine(tt, M, (tt.shape[1], tt.shape[0]), borderValue=255)
                out.append((k, asp, ang, cv2.GaussianBlur(tt, (0, 0), 0.6)))
            self._var[key] = out
        return self._var[key]


@dataclass(frozen=True, eq=False)
class LogoTemplate:
    """A LOGO template, preprocessed once.

    Build with :meth:`load` (path or bytes of an image of the LOGO on white).
    """

    name: str
    bgr: np.ndarray  # cropped, uint8
    ink: np.ndarray  # uint8 0/255
    mark_box: tuple[int, int, int, int]  # x0, y0, x1, y1 in template px
    _cache: dict[tuple[object, ...], Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def size(self) -> tuple[int, int]:
        return (int(self.bgr.shape[1]), int(self.bgr.shape[0]))

    @classmethod
    def load(cls, src: str | Path | bytes, *, name: str | None = None) -> LogoTemplate:
        """Load a LOGO image (opaque on white or with transparency)."""
        dec = decode(src, max_side=None)
        if name is None:
            name = Path(src).name if isinstance(src, (str, Path)) else "template"
        return cls.from_array(dec.pixels, name=name)

    @classmethod
    def from_array(cls, bgr: np.ndarray, *, name: str = "template") -> LogoTemplate:
        if bgr.ndim == 2:
            bgr = cv2.cvtColor(bgr, cv2.COLOR_GRAY2BGR)
        # normalise size: long side ~400 px is plenty for every stage
        s = 400.0 / max(bgr.shape[:2])
        if s < 1.0:
            bgr = cv2.resize(bgr, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        inkness = 255 - bgr.min(axis=2).astype(np.int16)
        ink = (inkness > 40).astype(np.uint8) * 255
        ys, xs = np.nonzero(ink)
        if len(xs) < 20:
            raise ValueError("template has no visible mark (blank image?)")
        pad = 2
        x0, x1 = max(0, xs.min() - pad), min(bgr.shape[1], xs.max() + 1 + pad)
        y0, y1 = max(0, ys.min() - pad), min(bgr.shape[0], ys.max() + 1 + pad)
        bgr = np.ascontiguousarray(bgr[y0:y1, x0:x1])
        ink = np.ascontiguousarray(ink[y0:y1, x0:x1])
        return cls(name=name, bgr=bgr, ink=ink, mark_box=_find_mark(ink))

    # -- renders --------------------------------------------------------
    def coarse(self, size: float, angle: float) -> tuple[np.ndarray, tuple[int, int]]:
        """Grey template with geometric-mean side ``size`` rotated by ``angle``.

        Returns (uint8 image, (w, h) of the unrotated template)."""
        key = ("c", round(size, 2), angle)
        if key not in self._cache:
            w, h = self.size
            f = size / math.sqrt(w * h)
            tw, th = max(4, round(w * f)), max(4, round(h * f))
            g = cv2.cvtColor(self.bgr, cv2.COLOR_BGR2GRAY)
            g = cv2.resize(g, (tw, th), interpolation=cv2.INTER_AREA)
            if angle:
                diag = math.ceil(math.hypot(tw, th))
                M = cv2.getRotationMatrix2D((tw / 2, th / 2), angle, 1.0)
                M[:, 2] += np.array([(diag - tw) / 2, (diag - th) / 2])
                cos, sin = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
                bw, bh = int(tw * cos + th * sin), int(tw * sin + th * cos)
                g = cv2.warpAffine(g, M, (diag, diag), borderValue=255)
                ox, oy = (diag - bw) // 2, (diag - bh) // 2
                g = g[oy : oy + bh, ox : ox + bw]
            g = cv2.GaussianBlur(g, (0, 0), 0.8)
            self._cache[key] = (np.ascontiguousarray(g), (tw, th))
        out: tuple[np.ndarray, tuple[int, int]] = self._cache[key]
        return out

    def coarse_mark(self, size: float) -> tuple[np.ndarray, Point, tuple[float, float]] | None:
        """Grey template of the graphic mark alone, geometric-mean side ``size``.

        Returns (uint8 image, LOGO centre minus mark centre, LOGO (w, h)), both
        in the mark template's pixels; None when the mark is (nearly) the whole
        LOGO."""
        key = ("m", round(size, 2))
        if key not in self._cache:
            w, h = self.size
            x0, y0, x1, y1 = self.mark_box
            mw, mh = x1 - x0, y1 - y0
            if mw * mh > 0.6 * w * h or min(mw, mh) < 8:
                self._cache[key] = None
            else:
                f = size / math.sqrt(mw * mh)
                tw, th = max(4, round(mw * f)), max(4, round(mh * f))
                g = cv2.cvtColor(self.bgr[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)
                g = cv2.resize(g, (tw, th), interpolation=cv2.INTER_AREA)
                g = cv2.GaussianBlur(g, (0, 0), 0.8)
                off = ((w / 2 - (x0 + x1) / 2) * f, (h / 2 - (y0 + y1) / 2) * f)
                self._cache[key] = (np.ascontiguousarray(g), off, (w * f, h * f))
        out: tuple[np.ndarray, Point, tuple[float, float]] | None = self._cache[key]
        return out

    def scaled(self, width: int) -> _Scaled:
        key = ("v", width)
        if key not in self._cache:
            w, h = self.size
            f = width / w
            tw, th = max(8, round(w * f)), max(8, round(h * f))
            bgr = cv2.resize(self.bgr, (tw, th), interpolation=cv2.INTER_AREA)
            ink = cv2.resize(self.ink, (tw, th), interpolation=cv2.INTER_AREA)
            ink = (ink > 96).astype(np.uint8) * 255
            r = max(1, round(min(tw, th) * 0.03))
            k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
            mask = cv2.dilate(ink, k)
            mx0, my0, mx1, my1 = self.mark_box
            mark = np.zeros_like(ink)
            mark[int(my0 * f) : math.ceil(my1 * f), int(mx0 * f) : math.ceil(mx1 * f)] = 255
            mark = np.asarray(cv2.bitwise_and(mark, mask), np.uint8)
            gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY).astype(np.float32)
            std_k = max(3, round(tw / 16) | 1)
            tstd = _local_std(gray, std_k)
            info = ((tstd > 12.0) & (mask > 0)).astype(np.uint8) * 255
            # occlusion grid: cells of ~1/8 of the LOGO's width, square-ish
            cs = max(6.0, tw / 8.0)
            nx, ny = max(1, round(tw / cs)), max(1, round(th / cs))
            cx = np.minimum((np.arange(tw) * nx) // tw, nx - 1)
            cy = np.minimum((np.arange(th) * ny) // th, ny - 1)
            cells = (cy[:, None] * nx + cx[None, :]).astype(np.int32)
            inner = _inner(self.ink, mark, bgr, tw, th, f, self.mark_box)
            self._cache[key] = _Scaled(
                inner=inner,
                gray=gray,
                bgr=bgr.astype(np.float32),
                mask=mask,
                mark=mark,
                ink=ink,
                tstd=tstd,
                info=info,
                cells=cells,
                n_cells=nx * ny,
                std_k=std_k,
                occl_contrast=25.0,
                mark_box=_mark_box(mark, tw, th),
            )
        sc: _Scaled = self._cache[key]
        return sc


def _inner(
    ink_full: np.ndarray,
    mark: np.ndarray,
    bgr: np.ndarray,
    tw: int,
    th: int,
    f: float,
    mark_box: tuple[int, int, int, int],
) -> tuple[np.ndarray, tuple[int, ...]] | None:
    """The mark's interior: its filled silhouette eroded by ~10 % of the mark's size.

    Returned with the colour channels in which the interior has detail; ``None`` when it
    is (nearly) plain in all of them, as for a solid disc: then only the silhouette can be
    compared.
    """
    mx0, my0, mx1, my1 = mark_box
    sub = ink_full[my0:my1, mx0:mx1]
    if sub.size == 0:
        return None
    # fill the mark's silhouette (holes included) at template resolution, then scale
    cnts, _ = cv2.findContours(sub, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(sub)
    cv2.drawContours(filled, cnts, -1, 255, thickness=cv2.FILLED)
    full = np.zeros(ink_full.shape, np.uint8)
    full[my0:my1, mx0:mx1] = filled
    sil = cv2.resize(full, (tw, th), interpolation=cv2.INTER_AREA)
    sil = ((sil > 127) & (mark > 0)).astype(np.uint8) * 255
    mw = (mx1 - mx0) * f
    r = max(1, round(0.1 * mw))
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    inner = cv2.erode(sil, k)
    sel = inner > 0
    if np.count_nonzero(sel) < 40:
        return None
    chans = tuple(k for k in range(3) if float(bgr[..., k][sel].std()) >= 15.0)
    if not chans:
        return None
    return inner, chans


def _mark_box(mark: np.ndarray, tw: int, th: int) -> tuple[int, int, int, int] | None:
    ys, xs = np.nonzero(mark)
    if len(xs) < 16:
        return None
    p = max(1, round(0.03 * tw))
    x0, x1 = max(0, int(xs.min()) - p), min(tw, int(xs.max()) + 1 + p)
    y0, y1 = max(0, int(ys.min()) - p), min(th, int(ys.max()) + 1 + p)
    if (x1 - x0) * (y1 - y0) > 0.7 * tw * th or min(x1 - x0, y1 - y0) < 12:
        return None
    return x0, y0, x1, y1


def _find_mark(ink: np.ndarray) -> tuple[int, int, int, int]:
    """Box of the graphic mark: the largest compact ink blob (text lines are
    elongated and made of small glyphs)."""
    h, w = ink.shape
    r = max(1, round(min(w, h) * 0.012))
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    blobs = cv2.dilate(ink, k)
    n, _lab, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    best, best_area = None, 0.0
    for i in range(1, n):
        x, y, bw, bh, _a = stats[i]
        aspect = max(bw, bh) / max(1, min(bw, bh))
        area = float(bw * bh)
        if aspect <= 2.2 and area >= 0.06 * w * h and area > best_area:
            best, best_area = (int(x), int(y), int(x + bw), int(y + bh)), area
    return best if best is not None else (0, 0, w, h)


# local initialisation variants around a coarse candidate: (scale, aspect, extra rotation)
_LOCAL_VARIANTS = (
    (1.0, 1.0, 0.0),
    (0.88, 1.0, 0.0),
    (1.12, 1.0, 0.0),
    (1.0, 0.82, 0.0),
    (1.0, 1.22, 0.0),
    (0.88, 0.82, 0.0),
    (0.88, 1.22, 0.0),
    (1.0, 1.0, -10.0),
    (1.0, 1.0, 10.0),
    (0.8, 1.0, 0.0),
    (1.25, 1.0, 0.0),
    (1.12, 1.0, -10.0),
    (1.12, 1.0, 10.0),
)


@dataclass(frozen=True)
class _Cand:
    score: float
    cx: float  # centre, working px
    cy: float
    w: float  # unrotated template width, working px
    h: float
    angle: float
    level: int


def _level_image(bases: dict[int, np.ndarray], f: float) -> np.ndarray:
    """The working image scaled by ``f`` <= 1: octave bases by pyrDown
    (cheap, cached in ``bases``), intermediate scales by area resizing."""
    octave = max(0, math.floor(-math.log2(f) + 1e-9))
    for o in range(1, octave + 1):
        if o not in bases:
            bases[o] = cv2.pyrDown(bases[o - 1])
    base = bases[octave]
    rel = f * (2**octave)
    if rel < 0.999:
        return cv2.resize(
            base,
            (max(1, round(base.shape[1] * rel)), max(1, round(base.shape[0] * rel))),
            interpolation=cv2.INTER_AREA,
        )
    return base


def _zncc(a: np.ndarray, b: np.ndarray, m: np.ndarray) -> float:
    sel = m > 0
    if sel.sum() < 16:
        return 0.0
    x = a[sel].astype(np.float64)
    y = b[sel].astype(np.float64)
    x -= x.mean()
    y -= y.mean()
    d = math.sqrt(float((x * x).sum()) * float((y * y).sum()))
    return float((x * y).sum() / d) if d > 1e-6 else 0.0


class LogoDetector:
    """Find one of several LOGO templates in photos.

    ``threshold``: decision threshold on the verification score (0..1).
    ``max_side``: long side of the working image (the search resolution).
    ``coarse_size``: geometric-mean side (px) of the coarse template.
    ``mark_candidates`` / ``mark_min_logo``: proposals from the graphic mark
    alone (for partly hidden LOGOs) and the smallest LOGO (geometric-mean
    working px) they are searched for; 0 candidates disables them.
    ``occl_penalty`` / ``min_mark_seen``: score lost per hidden fraction of the
    LOGO, and the part of the mark that must be in view.
    The other keyword arguments are tuning knobs documented in the module
    docstring (figures were measured with the defaults).
    """

    def __init__(
        self,
        templates: Iterable[LogoTemplate | str | Path | bytes],
        *,
        threshold: float = 0.66,
        max_side: int = 1024,
        coarse_size: float = 22.0,
        levels_per_octave: int = 3,
        coarse_rot: float = 0.0,
        max_candidates: int = 6,
        early_score: float = 0.6,
        verify_size: int = 64,
        local_min: float = 0.4,
        small_penalty: float = 0.05,
        occl_penalty: float = 0.25,
        min_mark_seen: float = 0.6,
        mark_init_below: float = 0.8,
        mark_candidates: int = 2,
        mark_init_min: float = 0.4,
        occl_min_width: float = 0.0,
        init_min: float = 0.0,
        ecc_iters: int = 15,
        mark_min_logo: float = 56.0,
        fine_side: int = 1536,
        fine_max: int = 1536,
        fine_gain: float = 1.4,
        fine_min_logo: float = 26.0,
        fine_candidates: int = 4,
        recentre_below: float = 0.2,
        inner_slack: float = 0.1,
        hires_size: int = 128,
        hires_band: float = 0.15,
        max_pixels: int | None = None,  # None: imageio's per-format limits (JPEG up to 250 MP)
        cache_size: int = 256,
    ) -> None:
        self.templates: list[LogoTemplate] = [
            t if isinstance(t, LogoTemplate) else LogoTemplate.load(t) for t in templates
        ]
        if not self.templates:
            raise ValueError("at least one template is required")
        self.threshold = float(threshold)
        self.max_side = int(max_side)
        self.coarse_size = float(coarse_size)
        self.levels_per_octave = int(levels_per_octave)
        self.coarse_rot = float(coarse_rot)
        self.max_candidates = int(max_candidates)
        self.verify_size = int(verify_size)
        self.early_score = float(early_score)
        self.local_min = float(local_min)
        self.small_penalty = float(small_penalty)
        self.occl_penalty = float(occl_penalty)
        self.min_mark_seen = float(min_mark_seen)
        self.mark_init_below = float(mark_init_below)
        self.mark_candidates = int(mark_candidates)
        self.mark_init_min = float(mark_init_min)
        self.occl_min_width = float(occl_min_width)
        self.init_min = float(init_min)
        self.ecc_iters = int(ecc_iters)
        self.mark_min_logo = float(mark_min_logo)
        self.fine_side = int(fine_side)
        self.fine_max = int(fine_max)
        self.fine_gain = float(fine_gain)
        self.fine_min_logo = float(fine_min_logo)
        self.fine_candidates = int(fine_candidates)
        self.recentre_below = float(recentre_below)
        self.inner_slack = float(inner_slack)
        self.hires_size = int(hires_size)
        self.hires_band = float(hires_band)
        self.max_pixels = max_pixels
        self._cache: OrderedDict[tuple[bytes, bool], LogoMatch] = OrderedDict()
        self._cache_size = int(cache_size)
        self.last_stats: dict[str, Any] = {}
        self.last_scores: tuple[float, ...] = (0.0, 0.0, 0.0)

    # ------------------------------------------------------------------
    def detect(self, image: bytes | str | Path, *, first_hit: bool = True) -> LogoMatch:
        """Look for any template in ``image`` (bytes or path).

        Raises ``ImageDecodeError`` for unreadable / too large images.
        """
        data = image if isinstance(image, (bytes, bytearray, memoryview)) else _read(image)
        key = (hashlib.blake2b(data, digest_size=16).digest(), first_hit)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        # JPEG DCT scaling to a long side in [0.75, 1.5) x max_side, then area-resize down
        dec = decode(data, max_side=int(self.max_side * 0.75), max_pixels=self.max_pixels)
        result = self.detect_array(dec.pixels, full_size=dec.full_size, first_hit=first_hit)
        seen_long = min(self.max_side, max(dec.pixels.shape[:2]))
        if not result.found and self.fine_side > 0:
            work1 = max(dec.pixels.shape[:2]) * min(1.0, self.max_side / max(dec.pixels.shape[:2]))
            long_full = max(dec.full_size)
            # fine pass: long side the JPEG DCT reduction gives for ``fine_side``
            # (other formats are resized to it), capped at ``fine_max``
            fac = 1
            while fac < 8 and long_full / (fac * 2) >= self.fine_side:
                fac *= 2
            work2 = min(self.fine_max, -(-long_full // fac))
            if fac >= 2 and work2 >= self.fine_gain * work1:
                dec2 = decode(data, max_side=self.fine_side, max_pixels=self.max_pixels)
                r2 = self._detect(
                    dec2.pixels,
                    full=dec2.full_size,
                    first_hit=first_hit,
                    max_side=self.fine_max,
                    size_max=self.coarse_size * work2 / work1,
                )
                if r2.found or r2.score > result.score:
                    result = r2
                    seen_long = min(self.fine_max, max(dec2.pixels.shape[:2]))
        if self.hires_size and result.quad is not None:
            result = self._confirm(data, result, seen_long)
        self._cache[key] = result
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return result

    def _confirm(self, data: bytes, result: LogoMatch, seen_long: int) -> LogoMatch:
        """Take a near-threshold verdict on a small LOGO again from a sharper decode.

        The working image shows a LOGO ~60 px wide with too little detail to tell it from a
        look-alike (the same text beside another mark); most photos hold 2-4x more pixels.
        When the verdict is within ``hires_band`` of the threshold and the photo has at
        least 1.3x the resolution the search saw, the region is decoded again so that the
        LOGO is up to ``hires_size`` px wide and verified there; that score decides.
        """
        if abs(result.score - self.threshold) >= self.hires_band or result.quad is None:
            return result
        full = result.image_size
        tpl = next((t for t in self.templates if t.name == result.template), None)
        if full is None or tpl is None:
            return result
        q = np.array(result.quad, np.float64)
        w_full = 0.5 * (float(np.linalg.norm(q[1] - q[0])) + float(np.linalg.norm(q[2] - q[3])))
        long_full = max(full)
        long_want = min(float(long_full), long_full * self.hires_size / max(w_full, 1.0))
        if w_full * seen_long / long_full >= 1.4 * self.verify_size or long_want < 1.3 * seen_long:
            return result  # already verified at full detail, or no more detail to decode
        try:
            dec = decode(data, max_side=int(long_want), max_pixels=self.max_pixels)
        except ImageDecodeError:
            return result
        px = dec.pixels
        f = px.shape[1] / full[0]  # full px -> decoded px
        qd = q * f
        w_d = w_full * f
        m = 0.8 * w_d
        x0 = int(max(0, qd[:, 0].min() - m))
        y0 = int(max(0, qd[:, 1].min() - m))
        x1 = int(min(px.shape[1], qd[:, 0].max() + m))
        y1 = int(min(px.shape[0], qd[:, 1].max() + m))
        crop = np.ascontiguousarray(px[y0:y1, x0:x1])
        if crop.shape[0] < 16 or crop.shape[1] < 16:
            return result
        gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
        corners = qd - np.array([x0, y0], np.float64)
        cand = _from_quad(corners, _Cand(1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0))
        size = int(min(self.hires_size, max(self.verify_size, w_d)))
        v = self._verify(gray, crop, tpl, cand, size)
        if v is None:  # nothing LOGO-like there once the detail shows
            return self._match(min(result.score, self.threshold - 0.01), q, tpl, full)
        score, cq = v
        return self._match(score, (cq + np.array([x0, y0], np.float64)) / f, tpl, full)

    def detect_array(
        self, bgr: np.ndarray, *, full_size: tuple[int, int] | None = None, first_hit: bool = True
    ) -> LogoMatch:
        """Same as :meth:`detect` on already decoded BGR pixels.

        ``full_size`` is the full-resolution (w, h) the pixels stand for
        (coordinates are reported in it); default: the array's own size."""
        H0, W0 = bgr.shape[:2]
        return self._detect(
            bgr, full=full_size or (W0, H0), first_hit=first_hit, max_side=self.max_side
        )

    def _detect(
        self,
        bgr: np.ndarray,
        *,
        full: tuple[int, int],
        first_hit: bool,
        max_side: int,
        size_max: float | None = None,
    ) -> LogoMatch:
        """Search at working long side ``max_side``; ``size_max`` limits the
        LOGO sizes searched (geometric-mean working px) and disables the
        mark-only proposals (the fine pass for small LOGOs)."""
        H0, W0 = bgr.shape[:2]
        f = min(1.0, max_side / max(H0, W0))
        interp = cv2.INTER_AREA if f < 0.67 else cv2.INTER_LINEAR
        work = (
            cv2.resize(bgr, (round(W0 * f), round(H0 * f)), interpolation=interp) if f < 1 else bgr
        )
        to_full = full[0] / work.shape[1]
        gray = cv2.cvtColor(work, cv2.COLOR_BGR2GRAY)
        workf = work
        best: tuple[float, LogoTemplate, np.ndarray, float] | None = None
        stats: dict[str, Any] = {"candidates": 0, "verified": 0}
        for tpl in self.templates:
            for cand in self._candidates(gray, tpl, stats, size_max):
                v = self._verify(gray, workf, tpl, cand)
                stats["verified"] += 1
                if v is None:
                    continue
                score, corners = v
                if self.threshold - self.recentre_below <= score < self.threshold:
                    # the coarse proposal's centre and scale were off: start again from
                    # the quad this verification found (it is usually much closer)
                    v2 = self._verify(gray, workf, tpl, _from_quad(corners, cand))
                    stats["verified"] += 1
                    if v2 is not None and v2[0] > score:
                        score, corners = v2
                w_q = float(np.linalg.norm(corners[1] - corners[0]))
                if (
                    self.hires_size
                    and w_q >= 1.4 * self.verify_size
                    and abs(score - self.threshold) < self.hires_band
                ):
                    # near the threshold on a LOGO large enough to show more detail: the
                    # verdict is taken again at up to ``hires_size`` px, where a true LOGO's
                    # details agree and a look-alike's do not
                    size = int(min(self.hires_size, w_q))
                    v3 = self._verify(gray, workf, tpl, _from_quad(corners, cand), size)
                    stats["verified"] += 1
                    if v3 is not None:
                        score, corners = v3
                w_work = float(np.linalg.norm(corners[1] - corners[0]))
                score -= self.small_penalty * min(1.0, max(0.0, (64.0 - w_work) / 32.0))
                if best is None or score > best[0]:
                    best = (score, tpl, corners, cand.score)
                    stats["parts"] = self.last_scores
                if first_hit and score >= self.threshold:
                    break
            if first_hit and best is not None and best[0] >= self.threshold:
                break
        self.last_stats = stats
        if best is None:
            return LogoMatch(found=False, score=0.0, image_size=full)
        score, tpl, corners, _ = best
        return self._match(score, corners * to_full, tpl, full)

    def _match(
        self, score: float, q: np.ndarray, tpl: LogoTemplate, full: tuple[int, int]
    ) -> LogoMatch:
        """The result for a verified quad ``q`` (TL, TR, BR, BL in full-resolution px)."""
        x0, y0 = np.floor(q.min(axis=0)).astype(int)
        x1, y1 = np.ceil(q.max(axis=0)).astype(int)
        width = 0.5 * (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3]))
        return LogoMatch(
            found=score >= self.threshold,
            score=round(float(score), 4),
            bbox=(max(0, int(x0)), max(0, int(y0)), min(full[0], int(x1)), min(full[1], int(y1))),
            quad=tuple((float(x), float(y)) for x, y in q),  # type: ignore[arg-type]
            scale=float(width / tpl.size[0]),
            template=tpl.name,
            image_size=full,
        )

    # ------------------------------------------------------------------
    def _levels(
        self, shape: tuple[int, int], tpl: LogoTemplate, size_max: float | None = None
    ) -> list[float]:
        """Image scale factors, coarsest first, for LOGO sizes from
        ``coarse_size`` px up to 60 % of the working width/height."""
        H, W = shape
        tw, th = tpl.size
        g = math.sqrt(tw * th)
        max_f = min(0.6 * W / tw, 0.8 * H / th)  # largest LOGO scale (template px -> work px)
        max_size = max_f * g  # its geometric-mean side in work px
        f0 = 1.0
        if size_max is not None:
            # fine pass: only LOGOs from ``fine_min_logo`` px up to ``size_max``
            max_size = min(max_size, size_max / 1.05)
            f0 = min(1.0, self.coarse_size / self.fine_min_logo)
        out = []
        k = 0
        while True:
            f = f0 * 2.0 ** (-k / self.levels_per_octave)  # image scale
            if self.coarse_size / f > max_size * 1.05:
                break
            out.append(f)
            k += 1
        return out[::-1]

    def _candidates(
        self,
        gray: np.ndarray,
        tpl: LogoTemplate,
        stats: dict[str, Any],
        size_max: float | None = None,
    ) -> Iterable[_Cand]:
        """Yield candidates: strong ones as soon as their level is computed
        (coarsest levels first), the rest afterwards by decreasing coarse score."""
        H, W = gray.shape
        levels = self._levels((H, W), tpl, size_max)
        pool: list[_Cand] = []
        seen: list[_Cand] = []
        # octave bases by pyrDown (cheap), intermediate levels by area resizing
        bases: dict[int, np.ndarray] = {0: gray}
        angles = (0.0, -self.coarse_rot, self.coarse_rot) if self.coarse_rot else (0.0,)
        for li, f in enumerate(levels):
            img = _level_image(bases, f)
            fx, fy = img.shape[1] / W, img.shape[0] / H
            for ang in angles:
                t, (tw0, th0) = tpl.coarse(self.coarse_size, ang)
                if t.shape[0] >= img.shape[0] or t.shape[1] >= img.shape[1]:
                    continue
                res = cv2.matchTemplate(img, t, cv2.TM_CCOEFF_NORMED)
                for sc, x, y in _peaks(res, img, t.shape[1], t.shape[0], 3, 0.3):
                    pool.append(
                        _Cand(
                            sc,
                            (x + t.shape[1] / 2) / fx,
                            (y + t.shape[0] / 2) / fy,
                            tw0 / fx,
                            th0 / fy,
                            ang,
                            li,
                        )
                    )
            stats["candidates"] = len(pool)
            pool.sort(key=lambda c: -c.score)
            for c in [c for c in pool if c.score >= self.early_score][:2]:
                if not _overlaps(c, seen):
                    seen.append(c)
                    yield c
        pool.sort(key=lambda c: -c.score)
        n = 0
        n_max = self.max_candidates if size_max is None else self.fine_candidates
        for c in pool:
            if n >= n_max:
                break
            if _overlaps(c, seen):
                continue
            seen.append(c)
            n += 1
            yield c
        if self.mark_candidates <= 0 or size_max is not None:
            return
        # partly hidden LOGOs: the graphic mark alone proposes too (only LOGOs
        # large enough to be hidden in part and still recognisable; the mark
        # levels are ~1 octave coarser than the LOGO's, so this costs little)
        mk = tpl.coarse_mark(self.coarse_size)
        if mk is None:
            return
        t, (ox, oy), (lw, lh) = mk
        mpool: list[_Cand] = []
        g = math.sqrt(lw * lh)
        f_max = min(1.0, g / self.mark_min_logo)
        f_min = max(lw / (0.6 * W), lh / (0.8 * H))
        k = 0
        while True:
            f = f_max * 2.0 ** (-k / self.levels_per_octave)
            k += 1
            if f < f_min * 0.95:
                break
            img = _level_image(bases, f)
            if t.shape[0] >= img.shape[0] or t.shape[1] >= img.shape[1]:
                break
            fx, fy = img.shape[1] / W, img.shape[0] / H
            res = cv2.matchTemplate(img, t, cv2.TM_CCOEFF_NORMED)
            for sc, x, y in _peaks(res, img, t.shape[1], t.shape[0], 2, 0.3):
                mpool.append(
                    _Cand(
                        sc,
                        (x + t.shape[1] / 2 + ox) / fx,
                        (y + t.shape[0] / 2 + oy) / fy,
                        lw / fx,
                        lh / fy,
                        0.0,
                        100 + k,
                    )
                )
        stats["candidates"] = len(pool) + len(mpool)
        mpool.sort(key=lambda c: -c.score)
        n = 0
        for c in mpool:
            if n >= self.mark_candidates:
                break
            if _overlaps(c, seen):
                continue
            seen.append(c)
            n += 1
            yield c

    def _verify(
        self,
        gray: np.ndarray,
        workf: np.ndarray,
        tpl: LogoTemplate,
        c: _Cand,
        size: int | None = None,
    ) -> tuple[float, np.ndarray] | None:
        """ECC-align the template on the candidate; return (score, corners in work px)."""
        # wide LOGOs (text beside the mark) are verified wider, so that their height
        # keeps ~2/3 of ``verify_size`` px: at 64 x 20 px the text was mush and ECC failed
        tw0, th0 = tpl.size
        size = size or self.verify_size
        want = max(float(size), size / 1.5 * tw0 / th0)
        vw = int(min(want, max(48.0, c.w)))
        s = vw / c.w  # work px -> verify px
        T = tpl.scaled(vw)
        th, tw = T.gray.shape
        half = 0.7 * math.hypot(c.w, c.h)
        x0, y0 = int(max(0, c.cx - half)), int(max(0, c.cy - half))
        x1, y1 = int(min(gray.shape[1], c.cx + half)), int(min(gray.shape[0], c.cy + half))
        if x1 - x0 < 8 or y1 - y0 < 8:
            return None
        interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
        cw, ch = max(8, round((x1 - x0) * s)), max(8, round((y1 - y0) * s))
        crop_bgr = cv2.resize(workf[y0:y1, x0:x1], (cw, ch), interpolation=interp).astype(
            np.float32
        )
        crop = cv2.cvtColor(crop_bgr, cv2.COLOR_BGR2GRAY)
        # initial warp (template px -> crop px): local NCC over scale, aspect
        # and rotation variants around the coarse candidate (cheap: crop and
        # template are ~100 px). The graphic mark alone is tried too when the
        # whole LOGO does not fit well: with part of the LOGO hidden, the whole
        # template is pulled off (and shrunk) by the occluder, the mark is not.
        half_c = cv2.GaussianBlur(
            cv2.resize(
                crop, (crop.shape[1] // 2, crop.shape[0] // 2), interpolation=cv2.INTER_AREA
            ),
            (0, 0),
            0.6,
        )
        inits: list[tuple[float, np.ndarray]] = []
        full = _local_init(half_c, T.variants("all", c.angle), (tw / 2, th / 2))
        if full is not None:
            inits.append(full)
        if T.mark_box is not None and (full is None or full[0] < self.mark_init_below):
            mx0, my0, mx1, my1 = T.mark_box
            mk = _local_init(
                half_c, T.variants("mark", c.angle), ((mx0 + mx1) / 2, (my0 + my1) / 2)
            )
            if (
                mk is not None
                and mk[0] >= self.mark_init_min
                and (full is None or mk[0] > full[0] + 0.03)
                and (full is None or not _same_warp(mk[1], full[1], tw, th))
            ):
                inits.append(mk)
        inits = [i for i in inits if i[0] >= self.local_min]
        if not inits:
            return None  # nothing LOGO-like here: skip the (costlier) ECC
        best: tuple[float, tuple[float, ...], np.ndarray] | None = None
        # occluders are only looked for on LOGOs large enough to tell a flat
        # occluder from detail lost to the resolution
        occl = c.w >= self.occl_min_width
        for _ncc, Wa in inits:
            r = self._refine(T, crop, crop_bgr, Wa, occl)
            if r is not None and (best is None or r[0] > best[0]):
                best = r
        if best is None:
            return None
        score, parts, Wh = best
        self.last_scores = parts
        corners_t = np.array([[0, 0], [tw, 0], [tw, th], [0, th]], np.float32).reshape(-1, 1, 2)
        corners = cv2.perspectiveTransform(corners_t, Wh).reshape(-1, 2) / s + [x0, y0]
        return float(score), corners.astype(np.float64)

    def _refine(
        self, T: _Scaled, crop: np.ndarray, crop_bgr: np.ndarray, Wa: np.ndarray, occl: bool
    ) -> tuple[float, tuple[float, ...], np.ndarray] | None:
        """ECC from the initial affine ``Wa``, occluders masked out -> (score, parts, warp)."""
        th, tw = T.gray.shape
        # occluders (a person, a head, a flat object in front of the LOGO) are
        # found where the template has structure and the photo is flat; they
        # are masked out of the alignment and of the scores
        # the initial warp must already look like the LOGO somewhat: most
        # clutter stops here, before the (costlier) ECC
        W0 = _h(Wa)
        s0, p0, vis = self._score(T, crop_bgr, crop, W0, occl)
        if s0 < self.init_min:
            return None
        init = (s0, p0, W0)
        # ECC runs on the (dilated) ink only: the template's white margin is
        # not printed on every backdrop, and an occluder next to the LOGO must
        # not pull the warp
        vis = T.mask if vis is None else cv2.bitwise_and(T.mask, vis)
        crit = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, self.ecc_iters, 1e-3)
        try:
            # coarse-to-fine ECC: half resolution first (wider basin), then full
            half_t = cv2.resize(T.gray, (tw // 2, th // 2), interpolation=cv2.INTER_AREA)
            half_c = cv2.resize(
                crop, (crop.shape[1] // 2, crop.shape[0] // 2), interpolation=cv2.INTER_AREA
            )
            half_m = cv2.resize(vis, (tw // 2, th // 2), interpolation=cv2.INTER_NEAREST)
            Wq = Wa.copy()
            Wq[:, 2] *= 0.5
            Wq = _ecc(half_t, half_c, Wq, cv2.MOTION_AFFINE, crit, half_m, 3)
            Wq[:, 2] *= 2.0
            Wa = Wq
        except cv2.error:
            pass  # keep the NCC initialisation
        with contextlib.suppress(cv2.error):  # else keep the NCC initialisation
            Wa = _ecc(T.gray, crop, Wa, cv2.MOTION_AFFINE, crit, vis, 5)
        Wh = _h(Wa)
        if not _plausible(Wh, tw, th):
            # ECC ran off (a dark occluder next to the mark pulls it): the start may
            # still be right, and it is scored like any other warp
            return init if _plausible(W0, tw, th) else None
        score, parts, vis2 = self._score(T, crop_bgr, crop, Wh, occl)
        vis2 = T.mask if vis2 is None else cv2.bitwise_and(T.mask, vis2)
        if _differs(vis, vis2):
            # the occluder estimate changed with the alignment: one reweighting step
            with contextlib.suppress(cv2.error):
                Wb = _ecc(T.gray, crop, Wh[:2].copy(), cv2.MOTION_AFFINE, crit, vis2, 5)
                Whb = _h(Wb)
                if _plausible(Whb, tw, th):
                    sb, pb, vb = self._score(T, crop_bgr, crop, Whb, occl)
                    if sb > score:
                        score, parts, vis2, Wh = sb, pb, vb, Whb
        if self.threshold - 0.2 <= score < self.threshold + 0.15:
            # perspective refinement only for promising candidates
            try:
                Wh2 = _ecc(
                    T.gray,
                    crop,
                    Wh.copy(),
                    cv2.MOTION_HOMOGRAPHY,
                    (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 12, 1e-3),
                    vis2,
                    3,
                )
                if _plausible(Wh2, tw, th):
                    score2, parts2, _v = self._score(T, crop_bgr, crop, Wh2, occl)
                    if score2 > score:
                        score, parts, Wh = score2, parts2, Wh2
            except cv2.error:
                pass
        if s0 > score and _plausible(W0, tw, th):
            return init
        return score, parts, Wh

    def _score(
        self, T: _Scaled, crop_bgr: np.ndarray, crop: np.ndarray, Wh: np.ndarray, occl: bool = True
    ) -> tuple[float, tuple[float, ...], np.ndarray | None]:
        """Score the aligned patch -> (score, parts, visible mask or None)."""
        th, tw = T.gray.shape
        flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
        aligned = cv2.warpPerspective(
            crop_bgr, Wh, (tw, th), flags=flags, borderMode=cv2.BORDER_REPLICATE
        )
        valid = _valid(crop.shape, Wh, tw, th)
        ag = cv2.cvtColor(aligned, cv2.COLOR_BGR2GRAY)
        if occl:
            vis, hidden = _occlusion(T, ag, valid)
        else:
            n_mask = max(1, int(np.count_nonzero(T.mask)))
            hidden = 1.0 - np.count_nonzero(cv2.bitwise_and(T.mask, valid)) / n_mask
            vis = None if hidden < 0.01 else valid
        seen = valid if vis is None else vis
        m_all = cv2.bitwise_and(T.mask, seen)
        m_mark = cv2.bitwise_and(T.mark, seen)
        n_mark = max(1, int(np.count_nonzero(T.mark)))
        mark_seen = np.count_nonzero(m_mark) / n_mark
        s_all = _zncc(T.gray, ag, m_all)
        s_mark = _zncc(T.gray, ag, m_mark)
        s_col = float(np.mean([_zncc(T.bgr[..., k], aligned[..., k], m_mark) for k in range(3)]))
        # inside the mark, away from its outline: a plain disc or square of the mark's size
        # and colour matches the outline (silhouette) but not the detail drawn inside it
        s_in = 1.0
        if T.inner is not None:
            m_in = cv2.bitwise_and(T.inner[0], seen)
            s_in = float(
                np.mean([_zncc(T.bgr[..., k], aligned[..., k], m_in) for k in T.inner[1]])
            )
        score = 0.4 * s_all + 0.6 * min(s_mark, s_col, s_in + self.inner_slack)
        # a hidden part is missing evidence: a mild penalty, and the graphic
        # mark must be mostly in view (else the text alone would pass)
        score -= self.occl_penalty * max(0.0, hidden - 0.05)
        if mark_seen < self.min_mark_seen:
            score = min(score, self.threshold - 0.1)
        return score, (s_all, s_mark, s_col, hidden, mark_seen, s_in), vis


def _local_init(
    half_c: np.ndarray,
    variants: list[tuple[float, float, float, np.ndarray]],
    p0: Point,
) -> tuple[float, np.ndarray] | None:
    """Best local NCC placement, at half resolution, of a template part
    (centred at template point ``p0``) over its ``variants`` ->
    (ncc, 2x3 template->crop warp at full verify resolution)."""
    best = None
    for k, asp, ang, tt in variants:
        if tt.shape[0] >= half_c.shape[0] or tt.shape[1] >= half_c.shape[1]:
            continue
        r = cv2.matchTemplate(half_c, tt, cv2.TM_CCOEFF_NORMED)
        _mn, mx, _l, loc = cv2.minMaxLoc(r)
        if best is None or mx > best[0]:
            best = (mx, k, asp, ang, 2 * loc[0] + tt.shape[1], 2 * loc[1] + tt.shape[0])
    if best is None:
        return None
    ncc, k, asp, ang, ccx, ccy = best
    a = math.radians(-ang)
    ca, sa = math.cos(a) * k, math.sin(a) * k
    A = np.array([[ca * asp, -sa], [sa * asp, ca]])
    t = np.array([ccx, ccy]) - A @ np.array(p0)
    return float(ncc), np.hstack([A, t[:, None]]).astype(np.float32)


def _from_quad(corners: np.ndarray, c: _Cand) -> _Cand:
    """A candidate centred on a verified quad (TL, TR, BR, BL in work px), same size ratio."""
    tl, tr, br, bl = corners
    w = 0.5 * (float(np.linalg.norm(tr - tl)) + float(np.linalg.norm(br - bl)))
    h = 0.5 * (float(np.linalg.norm(bl - tl)) + float(np.linalg.norm(br - tr)))
    top = (tr - tl) + (br - bl)
    angle = -math.degrees(math.atan2(float(top[1]), float(top[0])))
    centre = corners.mean(axis=0)
    return _Cand(c.score, float(centre[0]), float(centre[1]), w, h, angle, c.level)


def _same_warp(a: np.ndarray, b: np.ndarray, tw: int, th: int) -> bool:
    pts = np.array([[0, 0, 1], [tw, 0, 1], [tw, th, 1], [0, th, 1]], np.float64).T
    d = np.abs(a.astype(np.float64) @ pts - b.astype(np.float64) @ pts).max()
    return bool(d < 0.06 * max(tw, th))


_ECC_WITH_MASK = getattr(cv2, "findTransformECCWithMask", None)


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


def _warp_gray(crop: np.ndarray, Wh: np.ndarray, tw: int, th: int) -> np.ndarray:
    return cv2.warpPerspective(
        crop,
        Wh,
        (tw, th),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )


def _valid(shape: tuple[int, ...], Wh: np.ndarray, tw: int, th: int) -> np.ndarray:
    """Template pixels that fall inside the crop."""
    out: np.ndarray = cv2.warpPerspective(
        np.full(shape[:2], 255, np.uint8),
        Wh,
        (tw, th),
        flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP,
    )
    return out


def _local_std(g: np.ndarray, k: int) -> np.ndarray:
    g = g.astype(np.float32)
    m = cv2.blur(g, (k, k))
    m2 = cv2.blur(g * g, (k, k))
    out: np.ndarray = np.sqrt(np.maximum(m2 - m * m, 0.0))
    return out


def _occlusion(T: _Scaled, ag: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray | None, float]:
    """Cells of the template hidden by a flat occluder -> (visible mask or None, hidden fraction).

    A cell is hidden when most of its structured template pixels (local
    contrast) see a flat photo patch, relative to the typical photo/template
    contrast ratio of the candidate (so blur and low light do not count)."""
    inf = (T.info > 0) & (valid > 0)
    n_mask = max(1, int(np.count_nonzero(T.mask)))
    outside = 1.0 - np.count_nonzero(cv2.bitwise_and(T.mask, valid)) / n_mask
    if np.count_nonzero(inf) < 30:
        return (None if outside < 0.01 else valid), outside
    pstd = _local_std(ag, T.std_k)
    r = pstd[inf] / T.tstd[inf]
    gain = float(np.percentile(r, 60))
    flat = inf & (pstd < np.maximum(0.3 * gain * T.tstd, 1.0))
    lab = T.cells
    n_inf = np.bincount(lab[inf], minlength=T.n_cells)
    n_flat = np.bincount(lab[flat], minlength=T.n_cells)
    hid_cells = (n_inf >= 6) & (n_flat > 0.5 * n_inf)
    if not hid_cells.any():
        return (None if outside < 0.01 else valid), outside
    # an occluder is something *in front of* the LOGO: its colour differs from
    # the LOGO's own background; a flat patch of that background where the
    # template has ink is missing ink (a different LOGO), not an occluder
    bgm = (T.mask == 0) & (valid > 0) & ~hid_cells[lab]
    if np.count_nonzero(bgm) >= 20:
        bg = float(np.median(ag[bgm]))
        sel = valid > 0
        n_px = np.bincount(lab[sel], minlength=T.n_cells)
        s_px = np.bincount(lab[sel], weights=np.abs(ag[sel] - bg), minlength=T.n_cells)
        far = s_px / np.maximum(n_px, 1) > T.occl_contrast
        hid_cells &= far
        if not hid_cells.any():
            return (None if outside < 0.01 else valid), outside
    hid = hid_cells[lab]
    vis = valid.copy()
    vis[hid] = 0
    hidden = 1.0 - np.count_nonzero(cv2.bitwise_and(T.mask, vis)) / n_mask
    return vis, hidden


def _differs(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.count_nonzero(a != b) > 0.03 * a.size)


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


def _overlaps(c: _Cand, seen: Sequence[_Cand]) -> bool:
    for o in seen:
        if (
            abs(c.cx - o.cx) < 0.4 * max(c.w, o.w)
            and abs(c.cy - o.cy) < 0.4 * max(c.h, o.h)
            and 0.6 < c.w / o.w < 1.6
        ):
            return True
    return False


def _peaks(
    res: np.ndarray, img: np.ndarray, tw: int, th: int, k: int, floor: float
) -> list[tuple[float, int, int]]:
    """Top-k maxima of an NCC map above ``floor``, half a template apart.

    Peaks on (nearly) flat image windows are skipped: there
    TM_CCOEFF_NORMED divides ~0 by ~0 and returns arbitrary values."""
    out: list[tuple[float, int, int]] = []
    if res.size == 0:
        return out
    res = res.copy()
    rx, ry = max(2, tw // 2), max(2, th // 2)
    for _ in range(4 * k):
        _mn, mx, _l, (x, y) = cv2.minMaxLoc(res)
        if not (mx >= floor) or not math.isfinite(mx) or len(out) >= k:
            break
        res[max(0, y - ry) : y + ry + 1, max(0, x - rx) : x + rx + 1] = -1.0
        if float(img[y : y + th, x : x + tw].std()) < 3.0:
            continue
        out.append((float(mx), int(x), int(y)))
    return out


def _read(p: str | Path) -> bytes:
    try:
        from gkcheck.safeio import read_limited

        return read_limited(Path(p))
    except OSError as exc:
        raise ImageDecodeError("io", f"cannot read {p}: {exc}") from exc
