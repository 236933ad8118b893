"""Where might the LOGO be? Candidates from a masked correlation over an image pyramid.

The template is kept small (geometric-mean side ``size`` px) and the *image* is shrunk level by
level, ``per_octave`` levels per octave, from LOGOs ``size`` px big at the working resolution up
to 80 % of the photo's short side; the cost is a geometric series dominated by the finest level.
Each level gives its best few peaks; raw correlations of different levels are only used to
*rank* proposals, the decision is the verification's (``verify.py``).

The correlation is restricted to the LOGO's own mask (``correlate.masked_ncc``): on set B's
tune split this put a window on the true LOGO among the top 8 proposals for 71 of 96 positives,
against 43 for the same search on edge maps and 34 for SIFT matching with a RANSAC homography
(the designs are flat shapes and text, poor in keypoints, printed with inverted contrast on
dark backdrops).

The template may also be correlated turned in the image plane (``turns``): a wide LOGO turned by
15-18 deg correlates ~0.5 with the upright template, behind clutter, and ~0.7 with one turned by
14 deg. The detector asks for that only when the upright windows gave nothing
(``LogoDetector.search_turns``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

from .correlate import masked_ncc, masked_ncc_shared
from .template import LogoTemplate

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from concurrent.futures import Executor

__all__ = ["Band", "Candidate", "level_sizes", "propose", "propose_bands", "propose_both"]

# the least share of each turned mask that their intersection must keep to be shared
_SHARED = 0.8


@dataclass(frozen=True)
class Candidate:
    """A window that correlates with the LOGO: centre and size in working px."""

    score: float
    cx: float
    cy: float
    w: float
    h: float

    @classmethod
    def around(cls, quad: np.ndarray) -> Candidate:
        """The window centred on a quad (TL, TR, BR, BL), the quad's mean width and height:
        to verify again from a quad verification fitted, or to score at a known one."""
        q = np.asarray(quad, np.float64).reshape(4, 2)
        cx, cy = (float(v) for v in q.mean(axis=0))
        w = 0.5 * (float(np.linalg.norm(q[1] - q[0])) + float(np.linalg.norm(q[2] - q[3])))
        h = 0.5 * (float(np.linalg.norm(q[3] - q[0])) + float(np.linalg.norm(q[2] - q[1])))
        return cls(1.0, cx, cy, w, h)

    def for_whole(self, box: tuple[int, int, int, int], size: tuple[int, int]) -> Candidate:
        """The whole LOGO's window, from this window on a part of it: the part is ``box``
        (x0, y0, x1, y1) of a template ``size`` (w, h) px."""
        x0, y0, x1, y1 = box
        sx, sy = self.w / (x1 - x0), self.h / (y1 - y0)
        return Candidate(
            self.score,
            self.cx + (size[0] / 2 - (x0 + x1) / 2) * sx,
            self.cy + (size[1] / 2 - (y0 + y1) / 2) * sy,
            size[0] * sx,
            size[1] * sy,
        )

    def overlap(self, other: Candidate) -> float:
        """Intersection over union of the two windows."""
        ix = max(0.0, min(self.cx + self.w / 2, other.cx + other.w / 2)
                 - max(self.cx - self.w / 2, other.cx - other.w / 2))  # fmt: skip
        iy = max(0.0, min(self.cy + self.h / 2, other.cy + other.h / 2)
                 - max(self.cy - self.h / 2, other.cy - other.h / 2))  # fmt: skip
        inter = ix * iy
        union = self.w * self.h + other.w * other.h - inter
        return inter / union if union > 0 else 0.0


def propose(
    gray: np.ndarray,
    tpl: LogoTemplate,
    *,
    size: float = 28.0,
    per_octave: int = 4,
    per_level: int = 3,
    keep: int = 8,
    floor: float = 0.2,
    largest: float | None = None,
    smallest: float = 0.0,
    pool: Executor | None = None,
    turns: tuple[float, ...] = (0.0,),
    dense: tuple[float, int] | None = None,
) -> list[Candidate]:
    """The ``keep`` best non-overlapping candidates in ``gray`` (float32), best first.

    ``largest``: the largest LOGO (geometric-mean px) to search for; default 80 % of the
    image's short side. ``smallest``: the smallest worth searching for; the finest levels,
    the most expensive ones, start at the last level not above it. ``pool``: search the
    levels in its threads (the same candidates as without). ``turns``: the in-plane angles
    (degrees) at which the template is correlated; a turned one's windows are the upright
    LOGO's size at the turned template's centre. ``dense``: (size, levels) -- from LOGOs of
    ``size`` px up, ``levels`` an octave instead of ``per_octave``."""
    band = Band(size=size, per_octave=per_octave, largest=largest, smallest=smallest, dense=dense)
    return propose_bands(
        gray, tpl, [band], per_level=per_level, keep=keep, floor=floor, pool=pool, turns=turns
    )[0]


@dataclass(frozen=True)
class Band:
    """One search's LOGO sizes and template (``propose``'s arguments of the same names)."""

    size: float = 28.0
    per_octave: int = 4
    largest: float | None = None
    smallest: float = 0.0
    dense: tuple[float, int] | None = None


def propose_bands(
    gray: np.ndarray,
    tpl: LogoTemplate,
    bands: Sequence[Band],
    *,
    per_level: int = 3,
    keep: int = 8,
    floor: float = 0.2,
    pool: Executor | None = None,
    turns: tuple[float, ...] = (0.0,),
) -> list[list[Candidate]]:
    """``propose`` for several bands of LOGO sizes over the same image: each band's ``keep``
    best windows, as ``propose`` gives them one band at a time. With a pool, the levels of
    all the bands are searched side by side, the costliest first: the fine pass's two bands
    each correlate the whole image at their finest level, and one band at a time left a
    core idle while the other finished its largest level."""
    return propose_both(
        gray, tpl, bands, per_level=per_level, keep=keep, floor=floor, pool=pool, turns=turns,
        minima=False,
    )[0]  # fmt: skip


def propose_both(
    gray: np.ndarray,
    tpl: LogoTemplate,
    bands: Sequence[Band],
    *,
    per_level: int = 3,
    keep: int = 8,
    floor: float = 0.2,
    pool: Executor | None = None,
    turns: tuple[float, ...] = (0.0,),
    minima: bool = True,
) -> tuple[list[list[Candidate]], list[list[Candidate]]]:
    """``propose_bands``'s windows, and with ``minima`` each band's ``keep`` best windows
    where the upright template correlates most *negatively* (their score: minus the
    correlation): where the LOGO may be printed reversed, its inks light and its paper dark
    (``LogoTemplate.reversed_twin``). The masked correlation with a template's negative is
    minus the correlation with the template, so those places cost no correlation of their
    own; the maps are read twice."""
    plans = [_plan(gray, tpl, band, turns) for band in bands]
    jobs = [(plan, level) for plan in plans for level in plan.levels]

    def search(job: tuple[_Plan, tuple[float, np.ndarray]]) -> tuple[list[Candidate], ...]:
        return _peaks(job[0], job[1], per_level, floor, minima)

    # the levels are independent once made, and the correlation releases the GIL: with a
    # pool they are searched side by side, the largest (costliest) first; the windows are
    # gathered in each band's level order either way, so the result does not depend on the pool
    if pool is None:
        found = [search(job) for job in jobs]
    else:
        order = sorted(range(len(jobs)), key=lambda i: -jobs[i][1][1].size)
        done = dict(zip(order, pool.map(search, [jobs[i] for i in order]), strict=True))
        found = [done[i] for i in range(len(jobs))]
    out: list[list[Candidate]] = []
    low: list[list[Candidate]] = []
    first = 0
    for plan in plans:
        last = first + len(plan.levels)
        out.append(_merge([c for peaks in found[first:last] for c in peaks[0]], keep))
        low.append(_merge([c for peaks in found[first:last] for c in peaks[1]], keep))
        first = last
    return out, low


@dataclass(frozen=True)
class _Plan:
    """A band's search: the template's shapes (each list of renders on one mask), their
    window size in the image (working px at scale 1), the pyramid's levels (scale, image)
    and whether the first shape is the upright template."""

    groups: list[tuple[list[np.ndarray], np.ndarray]]
    cw: int
    ch: int
    levels: list[tuple[float, np.ndarray]]
    upright: bool  # the first group is the upright template


def _plan(gray: np.ndarray, tpl: LogoTemplate, band: Band, turns: tuple[float, ...]) -> _Plan:
    """The templates and the pyramid of one band."""
    H, W = gray.shape
    tw, th = tpl.size
    size = band.size
    cw = max(6, round(size * math.sqrt(tw / th)))
    ch = max(6, round(size * math.sqrt(th / tw)))
    t_img, t_mask = tpl.gray_at(cw, ch, strict=True)
    t_img = cv2.GaussianBlur(t_img, (0, 0), 0.6)
    # the upright template on its own mask; turned ones on the intersection of theirs, so that
    # the window's variance is worked out once for all of them (``masked_ncc_shared``)
    groups: list[tuple[list[np.ndarray], np.ndarray]] = []
    if any(a == 0 for a in turns):
        groups.append(([t_img], t_mask))
    # each turn rendered from the artwork, turned at its own size and then shrunk: the
    # search template turned after shrinking kept a thin LOGO's rays as a third of its mask,
    # of near-constant grey, which correlated 0.99 anywhere (fifty-ninth session)
    turned = [_blurred(tpl.turned_at(cw, ch, a, strict=True)) for a in turns if a]
    # turns of different sizes (7 and 14 deg) have canvases of different shapes: no mask
    # in common
    same = bool(turned) and len({t.shape for t, _m in turned}) == 1
    common = np.minimum.reduce([m for _t, m in turned]) if same else None
    if common is not None and all(
        float(common.sum()) >= _SHARED * float(m.sum()) for _t, m in turned
    ):
        groups.append(([t for t, _m in turned], common))
    else:
        # a wide LOGO turned both ways overlaps itself in a sliver: each on its own mask
        groups += [([t], m) for t, m in turned]
    top = 0.8 * min(H, W) if band.largest is None else min(band.largest, 0.8 * min(H, W))
    made: list[tuple[float, np.ndarray]] = []  # (scale, level) of the levels so far
    for g in level_sizes(size, band.per_octave, band.smallest, top, band.dense):
        f = size / g
        lw, lh = round(W * f), round(H * f)
        if lw < cw + 2 or lh < ch + 2:
            break
        made.append((f, _level(gray, made, f, (lw, lh))))
    return _Plan(groups, cw, ch, made, any(a == 0 for a in turns))


def _peaks(
    plan: _Plan, made_level: tuple[float, np.ndarray], per_level: int, floor: float,
    minima: bool = False,
) -> tuple[list[Candidate], list[Candidate]]:  # fmt: skip
    """The level's best ``per_level`` windows of each template shape, best first; with
    ``minima``, also the upright template's ``per_level`` most negative ones (scored by minus
    the correlation)."""
    f, level = made_level
    out: list[Candidate] = []
    low: list[Candidate] = []
    for g, (imgs, mask) in enumerate(plan.groups):
        sh, sw = mask.shape
        if sw > level.shape[1] or sh > level.shape[0]:
            continue
        maps = (
            [masked_ncc(level, imgs[0], mask)]
            if len(imgs) == 1
            else masked_ncc_shared(level, imgs, mask)
        )
        for res in maps:
            # minus the map, read before the maxima are blotted out of it
            neg = -res if minima and g == 0 and plan.upright else None
            out += _best(res, (sh, sw), level, f, plan, per_level, floor)
            if neg is not None:
                low += _best(neg, (sh, sw), level, f, plan, per_level, floor)
    return out, low


def _best(
    res: np.ndarray, shape: tuple[int, int], level: np.ndarray, f: float, plan: _Plan,
    per_level: int, floor: float,
) -> list[Candidate]:  # fmt: skip
    """The ``per_level`` best windows of one correlation map of a template ``shape`` (h, w)
    px (blotted out as they are taken), best first, none below ``floor`` and none on a flat
    patch of ``level``."""
    sh, sw = shape
    out: list[Candidate] = []
    for _ in range(per_level):
        _mn, mv, _ml, (x, y) = cv2.minMaxLoc(res)
        if not (mv >= floor) or not math.isfinite(mv):
            break
        y0, x0 = max(0, y - sh // 2), max(0, x - sw // 2)
        res[y0 : y + sh // 2 + 1, x0 : x + sw // 2 + 1] = -1.0
        if float(cv2.meanStdDev(level[y : y + sh, x : x + sw])[1][0, 0]) < 3.0:
            continue  # a flat window: correlation of noise
        cx, cy = (x + sw / 2) / f, (y + sh / 2) / f
        out.append(Candidate(float(mv), cx, cy, plan.cw / f, plan.ch / f))
    return out


def level_sizes(
    size: float,
    per_octave: int,
    smallest: float,
    top: float,
    dense: tuple[float, int] | None = None,
) -> Iterator[float]:
    """The LOGO sizes (geometric-mean working px) the pyramid's levels search for, smallest
    first: ``per_octave`` an octave from the last one not above ``smallest`` up to ``top``, and
    from ``dense[0]`` px up ``dense[1]`` an octave. A LOGO between two levels is seen by the
    template at up to half a step too large or too small; with three levels an octave that is
    12 %, and a large LOGO there was missed where four or eight levels found it at once
    (docs/vision/logo.md, thirty-first session). The levels for large LOGOs are small images,
    so more of them cost little."""
    step = 2.0 ** (1.0 / per_octave)
    dense_step = 2.0 ** (1.0 / dense[1]) if dense is not None else step
    g = size
    while g * step <= smallest:
        g *= step
    while g <= top:
        yield g
        g *= dense_step if dense is not None and g >= dense[0] else step


def _blurred(render: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A turned render (``LogoTemplate.turned_at``) softened as the upright search template
    is (sigma 0.6 px)."""
    img, mask = render
    return cv2.GaussianBlur(img, (0, 0), 0.6), mask


def _level(
    gray: np.ndarray, made: list[tuple[float, np.ndarray]], f: float, size: tuple[int, int]
) -> np.ndarray:
    """``gray`` at scale ``f`` (area averaging), resized from the smallest level made so far
    that is at least twice as large, else from ``gray`` itself: each octave's levels come from
    the octave above, not all from the full image. On a 1024 x 768 working image the 17
    levels took 119 ms of search per template, now 100 ms, and the six best windows before
    ranking were the same for 117 of 120 (20 photos of set B's finalA); on its tune splits
    the detector found the same 206 LOGOs with the same false hit at 0.77 (the same counts
    at 0.70-0.75)."""
    if f >= 1:
        return gray
    src, src_f = gray, 1.0
    for pf, pl in made:
        if 2.0 * f * 0.999 <= pf < src_f:
            src, src_f = pl, pf
    out: np.ndarray = cv2.resize(src, size, interpolation=cv2.INTER_AREA)
    return out


def _merge(found: list[Candidate], keep: int) -> list[Candidate]:
    """The ``keep`` best windows, best first, a window dropped when it overlaps a better one
    (IoU >= 0.5) -- not when their centres are merely close: a part of the LOGO matched at a
    smaller scale used to swallow the LOGO's own window centred beside it (a 280 px LOGO lost
    to a 44 px window on its mark), and verification, which corrects the scale by +-10 %,
    could not recover it.

    Every pair's overlap is worked out at once: ~100 windows a search, which made ~2 500 calls
    of a pairwise function (the same arithmetic, element by element: the same windows)."""
    order = sorted(found, key=lambda c: -c.score)
    if not order:
        return []
    cx, cy, w, h = (np.array([getattr(c, k) for c in order]) for k in ("cx", "cy", "w", "h"))
    x0, x1, y0, y1 = cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2
    ix = np.maximum(0.0, np.minimum(x1[:, None], x1) - np.maximum(x0[:, None], x0))
    iy = np.maximum(0.0, np.minimum(y1[:, None], y1) - np.maximum(y0[:, None], y0))
    inter = ix * iy
    area = w * h
    apart = inter / (area[:, None] + area - inter) < 0.5  # row: a window; column: a better one
    kept: list[int] = []
    for i in range(len(order)):
        if apart[i, kept].all():
            kept.append(i)
            if len(kept) >= keep:
                break
    return [order[i] for i in kept]
