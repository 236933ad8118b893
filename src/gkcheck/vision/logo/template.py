"""LOGO templates: the artwork a reviewer supplies, its own mask, and its renders.

The template's background (a white canvas, a transparent one, or any uniform colour around
the artwork) is not part of the LOGO: a LOGO printed straight onto a red backdrop or cut to its
outline must match too. ``LogoTemplate.mask`` marks the LOGO's own pixels: everything not
connected to the border through the background -- the transparent pixels when the file has an
alpha channel, else the uniform colour of its border -- so the inside of a ring stays part of
the LOGO and the canvas between the characters of its text does not, whichever way the
artwork was exported.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from gkcheck.package_data import package_file

from ..imageio import decode
from . import layout
from .geometry import turned_frame
from .stats import median

Point = tuple[float, float]

# the shares of plain luminance ``LogoTemplate.axis`` tries, in order: the first that keeps at
# least ``_KEEP`` of the contrast the LOGO's pixels have along their own principal colour axis
_LUMA = (0.8, 0.6, 0.4)
_LUMA_W = np.array([0.114, 0.587, 0.299])
_KEEP = 0.5
_REGIONS = ("regions",)  # ``LogoTemplate.remember`` key of the colour centres
# how far in any channel a pixel may be from the canvas's colour and still be canvas
# (``_own_mask``), or from white and still be a LOGO's paper (``LogoTemplate.knockout_twin``)
_CANVAS_NEAR = 40
# a knockout twin is made only when paper is between these shares of the LOGO's pixels: less
# is no knockout to speak of, more leaves too little ink to align
_PAPER_SHARE = (0.05, 0.8)
# what a template on another axis shares with it: the colour centres, the SIFT keypoints
# (``keypoints._KEY``, computed on the artwork's luminance)
_AXIS_FREE = (_REGIONS, ("sift",))


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
    # re-entrant: a value being worked out may need another one kept with the same template
    # (the clutter threshold verifies candidates, which may need the template's keypoints)
    _remembering: threading.RLock = field(
        default_factory=threading.RLock, repr=False, compare=False
    )

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
        with transparency (its transparent pixels are the background, read as an opaque
        canvas's colour is: ``_backdrop``)."""
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
                alpha = cv2.resize(
                    alpha, (bgr.shape[1], bgr.shape[0]), interpolation=cv2.INTER_AREA
                )
        if alpha is not None and int(alpha.min()) < 128:
            a = (alpha.astype(np.float32) / 255.0)[..., None]
            bgr = (bgr.astype(np.float32) * a + 255.0 * (1.0 - a)).astype(np.uint8)
            # the transparent pixels are the background, read by the same rule as an opaque
            # canvas's colour: the same artwork exported on white or transparent is one LOGO
            back = _backdrop((alpha <= 127).astype(np.uint8))
            ink = np.where(back, 0, 255).astype(np.uint8)
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

    def gray_at(self, w: int, h: int, *, strict: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The artwork in grey (float32) and the LOGO's mask (float32 0/1), ``w`` x ``h`` px.

        Everything the search and the verification compare is rendered here, from the one
        cropped artwork, so both see the same template at every size. Two details decide
        whether a LOGO printed on another backdrop still correlates: outside its mask the
        artwork is filled with the LOGO's mean grey before resizing (not the canvas' white,
        which would bleed into every edge pixel), and the mask keeps only pixels wholly inside
        the LOGO (a thin ray 1 px wide is half canvas in the template and half backdrop in the
        photo: with those pixels, a sunburst on red cloth correlated 0.12 with itself). On set
        B's tune splits this raised the positives with a search window on the LOGO among the
        top 8 from 67 to 76 of 96 and from 38 to 56 of 110.
        """
        key = ("g", w, h, strict)
        if key not in self._cache:
            g = self._full_grey(strict)
            m = cv2.resize(self.ink, (w, h), interpolation=cv2.INTER_AREA)
            g = cv2.resize(g, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32)
            self._cache[key] = (g, _strict_mask(m) if strict else (m > 127).astype(np.float32))
        out: tuple[np.ndarray, np.ndarray] = self._cache[key]
        return out

    def turned_at(
        self, w: int, h: int, angle: float, *, strict: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`gray_at`'s render of ``w`` x ``h`` px turned by ``angle`` degrees about its
        centre, on a canvas that holds it (outside the turned LOGO the mask is 0). Turned at
        the artwork's own size and then shrunk, as :meth:`gray_at` renders, so that a LOGO of
        thin strokes keeps its mask: turning the small render and keeping the pixels still
        wholly inside left a sunburst's 28 px search template 19 of its 67 mask pixels, and
        the two turns shared 8 -- a correlation of near-constant grey, 0.99 on any patch
        (fifty-ninth session, docs/vision/logo.md)."""
        key = ("t", w, h, float(angle), strict)
        if key not in self._cache:
            _small, nw, nh = turned_frame(w, h, angle)
            g = self._full_grey(strict)
            H0, W0 = g.shape
            rot, fw, fh = turned_frame(W0, H0, angle)
            fill = float(g[self.ink > 0].mean()) if (self.ink > 0).any() else 0.0
            gt = cv2.warpAffine(g, rot, (fw, fh), flags=cv2.INTER_LINEAR, borderValue=fill)
            kt = cv2.warpAffine(self.ink, rot, (fw, fh), flags=cv2.INTER_LINEAR, borderValue=0)
            gt = cv2.resize(gt, (nw, nh), interpolation=cv2.INTER_AREA).astype(np.float32)
            m = cv2.resize(kt, (nw, nh), interpolation=cv2.INTER_AREA)
            if strict:
                mask = _strict_mask(m)
                # a pixel further in from the edge, as turning the small render left it (a
                # mark beside a line of text turned 15 deg, ``tests/vision/test_logo.py``,
                # correlated 0.74 at its place with it, 0.60 without, behind clutter); not
                # where that leaves under half of a thin LOGO's mask
                inner = cv2.erode(mask, _CROSS)
                if float(inner.sum()) >= 0.5 * float(mask.sum()):
                    mask = inner
            else:
                mask = (m > 127).astype(np.float32)
            self._cache[key] = (gt, mask)
        out: tuple[np.ndarray, np.ndarray] = self._cache[key]
        return out

    def _full_grey(self, strict: bool) -> np.ndarray:
        """The artwork projected on :attr:`axis` at its own size (float32), with ``strict``
        filled with the LOGO's mean grey outside its mask: what every render of
        :meth:`gray_at` is resized from, worked out once rather than for each size: a
        process's first detection asks for some forty sizes. With the axes kept by the
        template store (:meth:`keep_axes`), a one-photo process took 17.8 +- 4.7 ms less
        (forty-ninth session, docs/vision/logo.md)."""
        key = ("g-full", strict)
        if key not in self._cache:
            g = self.project(self.bgr)  # a new array: filling it changes no other render
            if strict:
                inside = self.ink > 0
                g[~inside] = float(g[inside].mean())
            self._cache[key] = g
        out: np.ndarray = self._cache[key]
        return out

    @property
    def axis(self) -> np.ndarray:
        """The colour direction (BGR weights, float32) along which the LOGO's own pixels vary
        most: what the search and the verification correlate on instead of luminance.

        A teal disc with orange stripes is nearly one grey (92 and 103); along this axis the
        stripes stand out as they do to the eye. The sign is chosen so that brighter is
        larger; a LOGO that varies mostly in brightness gets (close to) luminance. Blended with
        luminance (the first share of ``_LUMA`` that keeps ``_KEEP`` of the contrast along the
        LOGO's own axis) so that a grey photo, or a print in one ink, still shows the LOGO's
        structure; below the first share no channel weighs negatively.

        Why not always 80 % luminance: blue and gold rays of one lightness vary by 15 grey
        levels (standard deviation) in luminance and by 75 along their own axis; at 80 % the
        search's 28 px template of them varied by 13, and the search correlated little more
        than the LOGO's outline. Templates that varied by under 20 there were found 146 times
        in 307 on set B's read splits, the others 1374 in 1558.
        With 60 % for the 12 of 176 templates that need it, 24 more LOGOs were found on those
        splits, none lost and no false hit more (docs/vision/logo.md, thirty-fifth session).
        Where luminance orders the LOGO's own pixels against this orientation, the detector
        also tries :meth:`other_axis` when nothing passed (forty-third session)."""
        key = ("axis",)  # set directly on a template cut from another (``axis_twin``)
        if key not in self._cache:
            self._cache[key] = self._axes()[0]
        out: np.ndarray = self._cache[key]
        return out

    def other_axis(self) -> np.ndarray | None:
        """The axis :attr:`axis` would be with the LOGO's own direction turned the other way,
        when the two ways of orienting it disagree: by the sum of its weights (``axis``)
        and by how luminance orders the LOGO's own pixels. ``None`` when they agree.

        Oriented by the sum, a purple and a dark teal (luminance: the teal 24 levels
        lighter) blend with luminance into an axis that puts the purple 80 levels above the
        teal; oriented by luminance, into one that keeps the teal 47 above: a black-and-white
        photo shows the second, a print on a colour photo may show either."""
        return self._axes()[1]

    def axis_twin(self) -> LogoTemplate | None:
        """This template on :meth:`other_axis` (``None`` when there is none): the same
        artwork, mask and threshold, searched and scored on the other orientation. What
        does not depend on the axis -- the colour regions, the keypoints -- is shared when
        already worked out. Kept with the template."""
        other = self.other_axis()
        if other is None:
            return None

        def make() -> LogoTemplate:
            twin = LogoTemplate(
                name=self.name, bgr=self.bgr, ink=self.ink, mark_box=self.mark_box,
                _is_demo=self._is_demo,
            )  # fmt: skip
            twin._cache[("axis",)] = other
            for key in _AXIS_FREE:
                if key in self._cache:
                    twin._cache[key] = self._cache[key]
            return twin

        out: LogoTemplate = self.remember(("axis-twin",), make)
        return out

    def reversed_twin(self) -> LogoTemplate:
        """The LOGO printed reversed (反白): its inks light, its paper the backdrop's colour, as
        banners and backdrops often print a LOGO -- white on red or blue. The artwork becomes
        its ink coverage (255 - the darkest channel: paper 0, any full ink 255) in grey on the
        same mask: a reversed print may put the inks in any one light colour and the paper in
        any darker one, and a print in one ink keeps only how much ink there was. Searched
        through the template's own correlation maps (their minima: ``search.propose_both``),
        verified and scored as a template of its own. Kept with the template."""

        def make() -> LogoTemplate:
            cover = (255 - self.bgr.min(axis=2)).astype(np.uint8)
            cover[self.ink == 0] = 0  # the canvas is paper: the backdrop in a reversed print
            return LogoTemplate(
                name=self.name, bgr=np.ascontiguousarray(np.dstack([cover] * 3)), ink=self.ink,
                mark_box=self.mark_box, _is_demo=self._is_demo,
            )  # fmt: skip

        out: LogoTemplate = self.remember(("reversed-twin",), make)
        return out

    def knockout_twin(self) -> LogoTemplate | None:
        """The LOGO printed from an export whose paper is transparent, as many LOGO files are
        (a vector LOGO's white is no ink): printed without a card, on a coloured backdrop or
        an LED screen, the backdrop shows inside its ring and through its white parts, where
        the template is white. The twin's mask is the LOGO's inks alone -- its paper (within
        ``_CANVAS_NEAR`` of white) left out, as the canvas is -- and its artwork the same, so
        that the scores read off the artwork (gradients, detail, the pair network) see the
        LOGO as drawn. ``None`` when paper is under 5 % of the LOGO's pixels (no knockout to
        speak of) or over 80 % (too little ink to align). Verified on the windows the
        upright search verified first (``LogoDetector.knockout_keep``; fifty-seventh
        session, docs/vision/logo.md). Kept with the template."""

        def make() -> LogoTemplate | None:
            inside = self.ink > 0
            paper = inside & (self.bgr.min(axis=2) >= 255 - _CANVAS_NEAR)
            lo, hi = _PAPER_SHARE
            n, k = int(inside.sum()), int(paper.sum())
            if not lo * n <= k <= hi * n:
                return None
            return LogoTemplate(
                name=self.name, bgr=self.bgr, ink=np.where(paper, 0, self.ink).astype(np.uint8),
                mark_box=self.mark_box, _is_demo=self._is_demo,
            )  # fmt: skip

        out: LogoTemplate | None = self.remember(("knockout-twin",), make)
        return out

    def _axes(self) -> tuple[np.ndarray, np.ndarray | None]:
        """(:attr:`axis`, :meth:`other_axis`), worked out together from one read of the
        LOGO's pixels: its own direction oriented by its weights' sum, and turned the other
        way when luminance orders those pixels against it, each blended with luminance."""
        key = ("axes",)
        if key not in self._cache:
            px = self.bgr[self.ink > 0].reshape(-1, 3).astype(np.float64)
            v, turned = _LUMA_W, None
            if len(px) >= 16:
                cov = np.cov((px - px.mean(axis=0)).T)
                _w, vecs = np.linalg.eigh(cov)
                v = vecs[:, -1]
                v = v if float(v.sum()) >= 0 else -v
                v = v / (np.abs(v).sum() or 1.0)
                if float(np.cov(px @ v, px @ _LUMA_W)[0, 1]) < 0:
                    turned = -v
            other = None if turned is None else _blend(px, turned)
            self._cache[key] = (_blend(px, v), other)
        out: tuple[np.ndarray, np.ndarray | None] = self._cache[key]
        return out

    def keep_axes(self, axis: np.ndarray, other: np.ndarray | None) -> None:
        """Give the template the :attr:`axis` and :meth:`other_axis` worked out for the same
        template earlier (``template_store.py`` reads them back from disk: 2-8 ms of every
        one-photo process, on its main path: the search cannot start without them)."""
        self.remember(("axes",), lambda: (axis, other))

    def project(self, bgr: np.ndarray) -> np.ndarray:
        """``bgr`` (uint8 or float) projected on :attr:`axis`: one float32 channel.

        ``cv2.transform``, not ``@``: a matrix product goes to BLAS, whose idle threads spin
        on the second core -- with it the detector's process used twice the CPU it needed and
        ran 10 % slower (benchmarks/logo.py, 100 photos)."""
        src = bgr if bgr.dtype == np.float32 else bgr.astype(np.float32)
        out: np.ndarray = cv2.transform(src, self.axis.reshape(1, 3))
        return out

    def remember(self, key: tuple[object, ...], compute: Callable[[], Any]) -> Any:
        """``compute()`` once per ``key``, kept with the template like its renders: a value
        that depends on the template and a detector's settings (``key`` names them) is then
        shared by every detector that uses this template. One thread computes, the others
        wait for its value (``LogoDetector.prepare`` may be computing it in the background);
        ``compute`` may itself remember another key of this template (the lock is re-entrant);
        when ``compute`` raises, nothing is kept."""
        with self._remembering:
            if key not in self._cache:
                self._cache[key] = compute()
            return self._cache[key]

    def colour_at(self, w: int, h: int) -> np.ndarray:
        """The artwork in colour (float32 BGR), ``w`` x ``h`` px."""
        key = ("c", w, h)
        if key not in self._cache:
            c = cv2.resize(self.bgr, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32)
            self._cache[key] = c
        out: np.ndarray = self._cache[key]
        return out

    def colour_regions(self) -> np.ndarray:
        """The LOGO's colour centres (CIELAB, k x 3; ``layout.regions`` of its own pixels):
        worked out once per template (40-80 ms of k-means, a tenth of a one-photo process),
        kept with it, and stored with the prepared template (``template_store.py``)."""
        centres: np.ndarray = self.remember(_REGIONS, self._find_regions)
        return centres

    def keep_colour_regions(self, centres: np.ndarray) -> None:
        """Give the template the colour centres :meth:`colour_regions` worked out for the
        same template earlier (``template_store.py`` reads them back from disk)."""
        self.remember(_REGIONS, lambda: centres)

    def _find_regions(self) -> np.ndarray:
        return layout.regions(layout.lab(self.bgr)[self.ink > 0])

    def regions_at(self, w: int, h: int, thin: bool = False) -> np.ndarray:
        """Which of the LOGO's colour regions each pixel belongs to (int64), ``w`` x ``h`` px;
        -1 off the LOGO and on the one-pixel rim of each region. The regions are found once,
        on the LOGO's own pixels at full size (``layout.regions``), and each pixel of the
        render goes to the nearest. The rim is left out because there a photo mixes the
        region's colour with its neighbour's or the backdrop's (blur, a print without its
        card, an alignment a pixel off): on set B's ten design splits, at their true place, 2 of
        681 true LOGOs agreed below 0.5 with the rim, 0 of 680 without.

        ``thin``: a region the rim would take more than half of (thin strokes: a line of text,
        characters reversed out of a seal) keeps all its pixels instead of vanishing; the same
        array as without when no region is thin. Read only to pick the pair network
        (``verify._score_warp``), where a design's text is often its second colour."""
        key = ("regions", w, h, thin)
        if key not in self._cache:
            centres = self.colour_regions()
            labels = np.full((h, w), -1, np.int64)
            if len(centres):
                near = layout.nearest(layout.lab(self.colour_at(w, h)).reshape(-1, 3), centres)
                near = near.reshape(h, w)
                on = self.gray_at(w, h)[1] > 0
                kernel = np.ones((3, 3), np.uint8)
                for i in range(len(centres)):
                    region = ((near == i) & on).astype(np.uint8)
                    inner = cv2.erode(region, kernel)
                    if thin and 2 * int(inner.sum()) < int(region.sum()):
                        inner = region  # thin strokes (text): all rim, kept rather than erased
                    labels[inner > 0] = i
            if thin and np.array_equal(labels, self.regions_at(w, h)):
                labels = self.regions_at(w, h)  # no thin region: the same regions, one object
            self._cache[key] = labels
        out: np.ndarray = self._cache[key]
        return out

    def mark_only(self, most: float) -> LogoTemplate | None:
        """The graphic mark cut out as a template of its own, or None when the mark covers
        ``most`` of the LOGO's area or more (a compact LOGO: the mark is the LOGO).

        The search correlates the whole template at a small size, where the mark beside a line
        of text is ~17 px: a wide LOGO seen at 20-30 deg of yaw, shaded by cloth or half hidden,
        then correlates below clutter although it passes at its true place (set B's held83
        0189, a 460 px LOGO, 0.27 at its place), while its mark alone, at the search's size,
        still stands out. The cut keeps the whole LOGO's colour axis: the photo is projected
        once, on that axis, for both."""
        x0, y0, x1, y1 = self.mark_box
        tw, th = self.size
        if (x1 - x0) * (y1 - y0) >= most * tw * th:
            return None

        def cut() -> LogoTemplate:
            part = LogoTemplate(
                name=f"{self.name}#mark",
                bgr=np.ascontiguousarray(self.bgr[y0:y1, x0:x1]),
                ink=np.ascontiguousarray(self.ink[y0:y1, x0:x1]),
                mark_box=(0, 0, x1 - x0, y1 - y0),
            )
            part.remember(("axis",), lambda: self.axis)
            return part

        out: LogoTemplate = self.remember(("mark_only",), cut)
        return out

    def mark_at(self, w: int, h: int) -> np.ndarray:
        """The graphic mark's part of the mask (uint8 0/1), ``w`` x ``h`` px: the region a
        look-alike with the same text (another design, the words alone) does not share."""
        key = ("m", w, h)
        if key not in self._cache:
            tw, th = self.size
            x0, y0, x1, y1 = self.mark_box
            fx, fy = w / tw, h / th
            box = np.zeros((h, w), np.uint8)
            box[int(y0 * fy) : math.ceil(y1 * fy), int(x0 * fx) : math.ceil(x1 * fx)] = 1
            self._cache[key] = box & (self.gray_at(w, h)[1] > 0).astype(np.uint8)
        out: np.ndarray = self._cache[key]
        return out


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
    the user cut the LOGO from): which of its pixels are not the LOGO is ``_backdrop``'s
    rule. Painted white, so that every render of the template sees one background."""
    h, w = bgr.shape[:2]
    border = np.concatenate([bgr[0], bgr[-1], bgr[:, 0], bgr[:, -1]]).astype(np.int16)
    # the border's commonest colour (a LOGO may touch the border in places)
    q = (border // 32).astype(np.int32)
    keys = q[:, 0] * 64 + q[:, 1] * 8 + q[:, 2]
    top = np.bincount(keys).argmax()
    bg = median(border[keys == top])
    if float((np.abs(border - bg).max(axis=1) <= _CANVAS_NEAR).mean()) < 0.3:
        # no uniform background (a crop of a textured photo): the whole image is the LOGO
        return bgr, np.full((h, w), 255, np.uint8)
    near = (np.abs(bgr.astype(np.int16) - bg).max(axis=2) <= _CANVAS_NEAR).astype(np.uint8)
    bgmask = _backdrop(near)
    out = bgr.copy()
    out[bgmask] = 255
    return out, np.where(bgmask, 0, 255).astype(np.uint8)


def _backdrop(near: np.ndarray) -> np.ndarray:
    """Which pixels of the template's background (``near``: 1 where a pixel has the canvas's
    colour, or is transparent) are not the LOGO.

    Those connected to the border, and small enclosed patches (the inside of 日 or 口 is the
    backdrop when the text is printed without a card). Large enclosed patches (the white
    inside a ring) are printed with the LOGO and stay in its mask. One rule for an opaque
    canvas and a transparent one: with the alpha alone as the mask, a ring's inside was
    dropped from a transparent export and kept in the same artwork on white; on four
    fresh splits of set C whose templates are transparent (docs/vision/logo.md,
    fifty-second session) reading them by this rule found 316 LOGOs instead of 243 (86 more;
    13 lost, prints whose transparent inside shows the backdrop), 5 false hits instead of 6."""
    h, w = near.shape
    n, lab, stats, _ = cv2.connectedComponentsWithStats(near, connectivity=4)
    # labels on the border by a table, not ``np.unique``/``np.isin`` (see ``stats.py``)
    on_edge = np.zeros(n, bool)
    on_edge[np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])] = True
    on_edge[0] = False
    edge = set(np.flatnonzero(on_edge).tolist())
    small = 0.02 * h * w
    outside = on_edge[lab]
    # distance of every pixel to the background that reaches the border
    dist = cv2.distanceTransform((~outside).astype(np.uint8), cv2.DIST_L2, 3)
    thin = max(3.0, 0.03 * max(h, w))
    ring_k = np.ones((5, 5), np.uint8)
    back = np.zeros(n, bool)
    for i in range(1, n):
        if i in edge:
            back[i] = True
        elif stats[i, cv2.CC_STAT_AREA] < small:
            # a small enclosed patch: the counter of a glyph is backdrop showing through thin
            # strokes; one set in a solid shape (white waves in a black disc) is printed in
            # white with the LOGO. Told apart by how far the ink round the patch is from the
            # outside: a stroke's width, or the depth of the shape.
            x, y, bw, bh = (int(v) for v in stats[i, :4])
            xa, ya, xb, yb = max(0, x - 3), max(0, y - 3), min(w, x + bw + 3), min(h, y + bh + 3)
            patch = (lab[ya:yb, xa:xb] == i).astype(np.uint8)
            ring = (cv2.dilate(patch, ring_k) > 0) & (patch == 0) & ~outside[ya:yb, xa:xb]
            depth = float(median(dist[ya:yb, xa:xb][ring])) if ring.any() else 0.0
            back[i] = depth <= thin
    return np.asarray(back[lab], dtype=bool)


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
    demo = package_file("data", "logo", "sample-logo.png")
    return hashlib.sha256(demo.read_bytes()).hexdigest()


def _blend(px: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``v`` blended with luminance: the first share of ``_LUMA`` that keeps ``_KEEP`` of the
    contrast of ``px`` along ``v`` (see :attr:`LogoTemplate.axis`)."""
    own = float((px @ v).std())
    mixed = _LUMA_W
    for share in _LUMA:
        mixed = share * _LUMA_W + (1.0 - share) * v
        if share < _LUMA[0]:
            # a weighted brightness: a print in one ink, darker than its paper in every
            # channel, keeps its contrast on it (with a negative blue weight a gold ink on
            # white kept a third of it, and was lost)
            mixed = np.clip(mixed, 0.0, None)
        mixed = mixed / (np.abs(mixed).sum() or 1.0)
        if float((px @ mixed).std()) >= _KEEP * own:
            break
    out: np.ndarray = mixed.astype(np.float32)
    return out


_CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))


def _strict_mask(m: np.ndarray) -> np.ndarray:
    """The pixels of a shrunk ink mask ``m`` (uint8) wholly inside the LOGO, 0/1 float32: a
    LOGO of thin strokes at this size keeps those at least three quarters inside (the best
    it has) when the whole ones are under 30 % of its half-covered ones."""
    sel = m >= 250
    if int(sel.sum()) < 0.3 * int((m > 127).sum()):
        sel = m >= 192
    return sel.astype(np.float32)
