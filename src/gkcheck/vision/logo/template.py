"""LOGO templates: the artwork a reviewer supplies, its own mask, and its renders.

The template's background (a white canvas, a transparent one, or any uniform colour around
the artwork) is not part of the LOGO: a LOGO printed straight onto a red backdrop or cut to its
outline must match too. ``LogoTemplate.mask`` marks the LOGO's own pixels: the alpha channel
when the file has one, else everything not connected to the border through the uniform
background colour (so the white inside a ring stays part of the LOGO, the white between
characters of its text does not).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ..imageio import decode

Point = tuple[float, float]

@dataclass(frozen=True, eq=False)
class _Scaled:
    """A template rendered at one size for verification."""

    gray: np.ndarray  # float32
    ngray: np.ndarray  # float32, background at the LOGO's mean grey (local NCC search)
    around: np.ndarray | None  # uint8 0/255: a ring round the LOGO's parts (its backdrop)
    markbox: np.ndarray  # uint8 0/255: the mark's box
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
    _var: dict[tuple[str, float, bool], list[tuple[float, float, float, np.ndarray]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def variants(
        self, part: str, angle: float, neutral: bool = True
    ) -> list[tuple[float, float, float, np.ndarray]]:
        """Half-resolution, blurred (scale, aspect, rotation) variants of the
        whole template (``part="all"``) or of its mark, for the local search."""
        key = (part, angle, neutral)
        src = self.ngray if neutral else self.gray
        fill = float(src[0, 0])
        if key not in self._var:
            if part == "mark" and self.mark_box is not None:
                x0, y0, x1, y1 = self.mark_box
                sub = src[y0:y1, x0:x1]
            else:
                sub = src
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
                    tt = cv2.warpAffine(tt, M, (tt.shape[1], tt.shape[0]), borderValue=fill)
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
    ink: np.ndarray  # uint8 0/255: the LOGO's own pixels (its mask), see ``_own_mask``
    mark_box: tuple[int, int, int, int]  # x0, y0, x1, y1 in template px
    _is_demo: bool = field(default=False, repr=False, compare=False)
    _cache: dict[tuple[object, ...], Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def size(self) -> tuple[int, int]:
        return (int(self.bgr.shape[1]), int(self.bgr.shape[0]))

    @property
    def mask(self) -> np.ndarray:
        """The LOGO's own pixels (uint8 0/255): what is printed, whatever the backdrop."""
        return self.ink

    @property
    def is_demo(self) -> bool:
        """True when this template was loaded from the shipped demo mark (by content)."""
        return self._is_demo

    @classmethod
    def load(cls, src: str | Path | bytes, *, name: str | None = None) -> LogoTemplate:
        """Load a LOGO image: opaque on a uniform background (white or any colour), or a PNG
        with transparency (its alpha is the LOGO's mask)."""
        data = src if isinstance(src, bytes) else Path(src).read_bytes()
        dec = decode(data, max_side=None)  # checks the header and the pixel limit first
        if name is None:
            name = Path(src).name if isinstance(src, (str, Path)) else "template"
        alpha = _alpha(data, dec.pixels.shape[:2])
        tpl = cls.from_array(dec.pixels, name=name, alpha=alpha)
        object.__setattr__(tpl, "_is_demo", is_demo_template(data))
        return tpl

    @classmethod
    def from_array(
        cls, bgr: np.ndarray, *, name: str = "template", alpha: np.ndarray | None = None
    ) -> LogoTemplate:
        """Template from BGR pixels; ``alpha`` (uint8) when the artwork has transparency."""
        if bgr.ndim == 2:
            bgr = cv2.cvtColor(bgr, cv2.COLOR_GRAY2BGR)
        # normalise size: long side ~400 px is plenty for every stage
        s = 400.0 / max(bgr.shape[:2])
        if s < 1.0:
            bgr = cv2.resize(bgr, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
            if alpha is not None:
                alpha = cv2.resize(alpha, (bgr.shape[1], bgr.shape[0]), interpolation=cv2.INTER_AREA)
        if alpha is not None and int(alpha.min()) < 128:
            a = (alpha.astype(np.float32) / 255.0)[..., None]
            bgr = (bgr.astype(np.float32) * a + 255.0 * (1.0 - a)).astype(np.uint8)
            ink = (alpha > 127).astype(np.uint8) * 255
        else:
            bgr, ink = _own_mask(bgr)
        ys, xs = np.nonzero(ink)
        if len(xs) < 20:
            raise ValueError("template has no visible mark (blank image?)")
        pad = 2
        x0, x1 = max(0, xs.min() - pad), min(bgr.shape[1], xs.max() + 1 + pad)
        y0, y1 = max(0, ys.min() - pad), min(bgr.shape[0], ys.max() + 1 + pad)
        bgr = np.ascontiguousarray(bgr[y0:y1, x0:x1])
        ink = np.ascontiguousarray(ink[y0:y1, x0:x1])
        return cls(name=name, bgr=bgr, ink=ink, mark_box=_find_mark(ink))

    def neutral_gray(self) -> np.ndarray:
        """Grey artwork with everything outside the LOGO's mask set to the LOGO's mean grey.

        The correlation searches use it: a constant region adds nothing to the template's
        zero-mean signal, so the backdrop behind the LOGO (white card, red cloth, a wall) does
        not decide the match; only the LOGO's own pixels do."""
        key = ("neutral",)
        if key not in self._cache:
            g = cv2.cvtColor(self.bgr, cv2.COLOR_BGR2GRAY)
            sel = self.ink > 0
            g = g.copy()
            g[~sel] = np.uint8(round(float(g[sel].mean())))
            self._cache[key] = g
        out: np.ndarray = self._cache[key]
        return out

    # -- renders --------------------------------------------------------
    def _gray(self, neutral: bool) -> np.ndarray:
        return self.neutral_gray() if neutral else cv2.cvtColor(self.bgr, cv2.COLOR_BGR2GRAY)

    def coarse(
        self, size: float, angle: float, neutral: bool = True
    ) -> tuple[np.ndarray, tuple[int, int]]:
        """Grey template with geometric-mean side ``size`` rotated by ``angle``
        (``neutral``: background at the LOGO's mean grey, see :meth:`neutral_gray`).

        Returns (uint8 image, (w, h) of the unrotated template)."""
        key = ("c", round(size, 2), angle, neutral)
        if key not in self._cache:
            w, h = self.size
            f = size / math.sqrt(w * h)
            tw, th = max(4, round(w * f)), max(4, round(h * f))
            g = self._gray(neutral)
            fill = int(g[0, 0])
            g = cv2.resize(g, (tw, th), interpolation=cv2.INTER_AREA)
            if angle:
                diag = math.ceil(math.hypot(tw, th))
                M = cv2.getRotationMatrix2D((tw / 2, th / 2), angle, 1.0)
                M[:, 2] += np.array([(diag - tw) / 2, (diag - th) / 2])
                cos, sin = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
                bw, bh = int(tw * cos + th * sin), int(tw * sin + th * cos)
                g = cv2.warpAffine(g, M, (diag, diag), borderValue=fill)
                ox, oy = (diag - bw) // 2, (diag - bh) // 2
                g = g[oy : oy + bh, ox : ox + bw]
            g = cv2.GaussianBlur(g, (0, 0), 0.8)
            self._cache[key] = (np.ascontiguousarray(g), (tw, th))
        out: tuple[np.ndarray, tuple[int, int]] = self._cache[key]
        return out

    def coarse_mark(
        self, size: float, neutral: bool = True
    ) -> tuple[np.ndarray, Point, tuple[float, float]] | None:
        """Grey template of the graphic mark alone, geometric-mean side ``size``.

        Returns (uint8 image, LOGO centre minus mark centre, LOGO (w, h)), both
        in the mark template's pixels; None when the mark is (nearly) the whole
        LOGO."""
        key = ("m", round(size, 2), neutral)
        if key not in self._cache:
            w, h = self.size
            x0, y0, x1, y1 = self.mark_box
            mw, mh = x1 - x0, y1 - y0
            if mw * mh > 0.6 * w * h or min(mw, mh) < 8:
                self._cache[key] = None
            else:
                f = size / math.sqrt(mw * mh)
                tw, th = max(4, round(mw * f)), max(4, round(mh * f))
                g = self._gray(neutral)[y0:y1, x0:x1]
                g = cv2.resize(g, (tw, th), interpolation=cv2.INTER_AREA)
                g = cv2.GaussianBlur(g, (0, 0), 0.8)
                off = ((w / 2 - (x0 + x1) / 2) * f, (h / 2 - (y0 + y1) / 2) * f)
                self._cache[key] = (np.ascontiguousarray(g), off, (w * f, h * f))
        out: tuple[np.ndarray, Point, tuple[float, float]] | None = self._cache[key]
        return out

    def scaled(self, width: int, ring: float = 0.03, backdrop: float = 0.0) -> _Scaled:
        """The template rendered ``width`` px wide for verification; its scoring mask is the
        LOGO's mask dilated by ``ring`` x its short side (0: the LOGO's pixels only), and
        ``backdrop`` > 0 adds a ring of that relative width round every part of the LOGO, where
        the photo's own backdrop is compared (see ``LogoDetector._score``)."""
        key = ("v", width, ring, backdrop)
        if key not in self._cache:
            w, h = self.size
            f = width / w
            tw, th = max(8, round(w * f)), max(8, round(h * f))
            bgr = cv2.resize(self.bgr, (tw, th), interpolation=cv2.INTER_AREA)
            ink = cv2.resize(self.ink, (tw, th), interpolation=cv2.INTER_AREA)
            ink = (ink > 96).astype(np.uint8) * 255
            r = round(min(tw, th) * ring)
            if r > 0:
                k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
                mask = cv2.dilate(ink, k)
            else:
                mask = ink.copy()
            mx0, my0, mx1, my1 = self.mark_box
            mark = np.zeros_like(ink)
            mark[int(my0 * f) : math.ceil(my1 * f), int(mx0 * f) : math.ceil(mx1 * f)] = 255
            markbox = mark.copy()
            mark = np.asarray(cv2.bitwise_and(mark, mask), np.uint8)
            around = None
            if backdrop > 0:
                rb = max(1, round(min(tw, th) * backdrop))
                kb = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * rb + 1, 2 * rb + 1))
                around = cv2.bitwise_and(cv2.dilate(ink, kb), cv2.bitwise_not(ink))
            gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY).astype(np.float32)
            ngray = cv2.resize(self.neutral_gray(), (tw, th), interpolation=cv2.INTER_AREA)
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
                around=around,
                markbox=markbox,
                ngray=ngray.astype(np.float32),
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


def _alpha(data: bytes, shape: tuple[int, ...]) -> np.ndarray | None:
    """The alpha channel of a PNG/WebP/TIFF template (upright like ``decode``'s pixels), or None."""
    buf = np.frombuffer(data, np.uint8)
    try:
        px = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
    except cv2.error:
        return None
    if px is None or px.ndim != 3 or px.shape[2] != 4 or px.shape[:2] != tuple(shape[:2]):
        return None
    a = px[..., 3]
    if a.dtype == np.uint16:
        a = (a.astype(np.uint32) // 257).astype(np.uint8)
    elif a.dtype != np.uint8:
        return None
    return np.ascontiguousarray(a)


def _own_mask(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(artwork on white, LOGO mask) for an opaque template.

    The background is the colour of the image's border (a white canvas, or a uniform colour
    the user cut the LOGO from): pixels of that colour connected to the border are not the
    LOGO, nor are small enclosed patches of it (the inside of 日 or 口 is the backdrop when
    the text is printed without a card). Large enclosed patches (the white inside a ring)
    are printed with the LOGO and stay in its mask. Painted white, so that every render of
    the template sees one background."""
    h, w = bgr.shape[:2]
    border = np.concatenate([bgr[0], bgr[-1], bgr[:, 0], bgr[:, -1]]).astype(np.int16)
    # the border's commonest colour (a LOGO may touch the border in places)
    q = (border // 32).astype(np.int32)
    keys = q[:, 0] * 64 + q[:, 1] * 8 + q[:, 2]
    top = np.bincount(keys).argmax()
    bg = np.median(border[keys == top], axis=0)
    if float((np.abs(border - bg).max(axis=1) <= 40).mean()) < 0.3:
        # no uniform background (a crop of a textured photo): the whole image is the LOGO
        return bgr, np.full((h, w), 255, np.uint8)
    near = (np.abs(bgr.astype(np.int16) - bg).max(axis=2) <= 40).astype(np.uint8)
    n, lab, stats, _ = cv2.connectedComponentsWithStats(near, connectivity=4)
    edge = set(np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])).tolist())
    small = 0.02 * h * w
    back = np.zeros(n, bool)
    for i in range(1, n):
        back[i] = i in edge or stats[i, cv2.CC_STAT_AREA] < small
    bgmask = back[lab]
    out = bgr.copy()
    out[bgmask] = 255
    return out, np.where(bgmask, 0, 255).astype(np.uint8)


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



def _local_std(g: np.ndarray, k: int) -> np.ndarray:
    g = g.astype(np.float32)
    m = cv2.blur(g, (k, k))
    m2 = cv2.blur(g * g, (k, k))
    out: np.ndarray = np.sqrt(np.maximum(m2 - m * m, 0.0))
    return out




def is_demo_template(src: str | Path | bytes) -> bool:
    """True when ``src`` is the shipped demo mark (same bytes as ``data/logo/sample-logo.png``).

    By content, not by path: a copy of the demo file under another name still finds only the
    demo mark, never the campaign's real LOGO, and a reviewer must be told so.
    """
    try:
        data = src if isinstance(src, bytes) else Path(src).read_bytes()
    except OSError:
        return False
    return hashlib.sha256(data).hexdigest() == _demo_sha256()


@cache
def _demo_sha256() -> str:
    demo = resources.files("gkcheck") / "data" / "logo" / "sample-logo.png"
    return hashlib.sha256(demo.read_bytes()).hexdigest()
