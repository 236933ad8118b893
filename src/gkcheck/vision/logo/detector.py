"""LOGO detector: is one of the campaign's LOGO templates visible in a photo, and where?

Usage::

    det = LogoDetector([LogoTemplate.load("logo.png")])
    m = det.detect(Path("photo.jpg"))      # or bytes
    m.found, m.score, m.bbox, m.quad, m.scale, m.template

How it works and what each stage was measured to do: docs/vision/logo.md. In short: a coarse
normalised cross-correlation over an image pyramid proposes candidates, each is aligned by
ECC inside the template's own mask (affine, then a homography near the threshold) and scored
on the aligned pixels; occluders are masked out. Coordinates are full-resolution pixels of the
upright photo; ``quad`` is the template's TL, TR, BR, BL corners mapped into the photo.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from ..imageio import ImageDecodeError, decode
from .geometry import _ecc, _h, _plausible, _same_warp, _valid
from .template import LogoTemplate, _local_std, _Scaled, _zncc

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
        neutral_bg: float = 0.0,
        neutral_init: float = 0.0,
        mask_ring: float = 0.03,
        white_below: float = 60.0,
        backdrop_ring: float = 0.0,
        neutral_margin: float = 0.1,
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
        self.neutral_bg = bool(neutral_bg)
        self.neutral_init = int(neutral_init)  # 0 white, 1 neutral, 2 both
        self.mask_ring = float(mask_ring)
        self.white_below = float(white_below)
        self.backdrop_ring = float(backdrop_ring)
        self.neutral_margin = float(neutral_margin)
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
            # the LOGO's own pixels (neutral background) at every size; small LOGOs also on
            # their white card, whose outline is most of what a 22 px template still shows
            backs = (True, False) if self.coarse_size / f < self.white_below else (True,)
            if not self.neutral_bg:
                backs = (False,)
            for ang, neutral in ((a, b) for a in angles for b in backs):
                t, (tw0, th0) = tpl.coarse(self.coarse_size, ang, neutral)
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
        mk = tpl.coarse_mark(self.coarse_size, self.neutral_bg)
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
        T = tpl.scaled(vw, self.mask_ring, self.backdrop_ring)
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
        # the LOGO on its white card first; the LOGO's own pixels (neutral background) start
        # the alignment only when they fit clearly better (a LOGO printed without its card:
        # the white-card template then fits poorly)
        backs = (False, True) if self.neutral_init == 2 else (self.neutral_init == 1,)
        full = None
        for neutral in backs:
            got = _local_init(half_c, T.variants("all", c.angle, neutral), (tw / 2, th / 2))
            margin = self.neutral_margin if neutral and full is not None else 0.0
            if got is not None and (full is None or got[0] > full[0] + margin):
                full = got
        if full is not None:
            inits.append(full)
        if T.mark_box is not None and (full is None or full[0] < self.mark_init_below):
            mx0, my0, mx1, my1 = T.mark_box
            mk = _local_init(
                half_c,
                T.variants("mark", c.angle, self.neutral_init >= 1),
                ((mx0 + mx1) / 2, (my0 + my1) / 2),
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
        tg, tb = T.gray, T.bgr
        if T.around is not None:
            # the LOGO as printed on *this* backdrop: the template's pixels inside its mask,
            # the backdrop's colour (read in the ring round the LOGO's parts) outside. A LOGO
            # without its card keeps the contrast of every stroke against the backdrop, and a
            # part of the LOGO that is missing (the text of another emblem) shows as backdrop
            ring = (T.around > 0) & (seen > 0)
            if np.count_nonzero(ring) >= 10:
                bgc = np.median(aligned[ring].reshape(-1, 3), axis=0).astype(np.float32)
                ink = (T.ink > 0)[..., None]
                tb = np.where(ink, T.bgr, bgc[None, None, :]).astype(np.float32)
                tg = cv2.cvtColor(tb, cv2.COLOR_BGR2GRAY)
                both = cv2.bitwise_or(T.ink, T.around)
                m_all = cv2.bitwise_and(both, seen)
                m_mark = cv2.bitwise_and(cv2.bitwise_and(both, T.markbox), seen)
        s_all = _zncc(tg, ag, m_all)
        s_mark = _zncc(tg, ag, m_mark)
        s_col = float(np.mean([_zncc(tb[..., k], aligned[..., k], m_mark) for k in range(3)]))
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
