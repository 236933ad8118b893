"""Are the LOGO's colours where the template has them? The chroma layout of an aligned patch.

The other scores of ``verify.py`` compare shapes: grey, band-pass, gradient histograms, and
``colour``, a correlation per channel, in which a gain per channel cancels. The layout
compares *hues*: the template's pixels fall into a few colour regions (k-means in CIELAB,
once per template); the mean chroma (a*, b*) of each region in the template and in the photo
(both balanced to a grey mean first, so an even colour cast cancels) are centred on their own
means and correlated, each region weighted by its pixels: 1 when the regions differ in the
photo the way they differ in the template, 0 when unrelated, -1 when reversed.

It says nothing when there is nothing to compare, and then ``comparable`` is False: a template
without colour contrast (a monochrome LOGO), a photo without it there (a grey photo, a tinted
grey photo, a LOGO washed out by glare). The detector adds to a score with it
(``LogoDetector(layout_bonus=...)``). A plain cap on disagreement also rejected LOGOs printed
in one ink, common at real events, whose ink need not be any of the template's hues; so a
disagreeing layout refuses a candidate (``LogoDetector(colour_veto=...)``) only when the
photo's region colours are off one line (``photo_line``, ``off_line``): paper and a single ink
mix along a line in linear RGB, under any light, and the same shapes printed in several other
inks do not. Design and measurements: docs/vision/logo.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["NO_LAYOUT", "REGIONS", "Layout", "colour_layout", "lab", "nearest", "regions"]

REGIONS = 4  # at most this many colour regions per template
_MIN_SHARE = 0.03  # a region must hold this share of the compared pixels
_SAMPLE = 20000  # template pixels clustered at most (every n-th)
TEMPLATE_CONTRAST = 15.0  # a*b* units: below it the template's regions do not differ in hue
# a*b* units: below it the photo shows no hue difference there (a tint on a grey print that
# clips at white shows 2-3)
PHOTO_CONTRAST = 4.0


@dataclass(frozen=True)
class Layout:
    """The chroma layout agreement of one aligned patch (see the module's docstring)."""

    agreement: float  # -1 .. 1
    template_contrast: float  # the regions' weighted chroma spread, a*b* units
    photo_contrast: float
    comparable: bool
    # how far the photo's region colours are from one line in linear RGB (``off_line``):
    # paper and one ink mix along a line, under any light, so a print in one ink is near 0
    photo_line: float = 0.0


NO_LAYOUT = Layout(1.0, 0.0, 0.0, False)  # nothing to compare: no bonus


def _grey_world(px: np.ndarray) -> np.ndarray:
    """Pixels (N x 3) with each channel scaled to the mean of the three (N x 1 x 3 float32)."""
    px = px.astype(np.float32)
    mean = px.mean(axis=0)
    gain = float(mean.mean()) / np.maximum(mean, 1.0)
    out: np.ndarray = (px * gain)[:, None, :]
    return out


# sRGB (BGR order) to CIE XYZ, each row over the D65 white's: OpenCV's coefficients
_BGR_TO_XYZ = (
    np.array(
        [
            [0.412453, 0.357580, 0.180423],
            [0.212671, 0.715160, 0.072169],
            [0.019334, 0.119193, 0.950227],
        ]
    )
    / np.array([[0.950456], [1.0], [1.088754]])
)[:, ::-1].T.astype(np.float32)


def lab(bgr: np.ndarray) -> np.ndarray:
    """BGR (0-255, any dtype) as float32 CIELAB (L 0-100, a* and b* about -128..127), D65.

    Worked out by the formulas rather than by ``cv2.cvtColor``: OpenCV builds its colour
    tables on a process's first CIELAB conversion, ~50 ms that every one-photo process paid
    (``gkcheck logo``, one process per photo of set B's finalA: 10-17 ms less at the
    median; docs/vision/logo.md, thirty-third session). Its floats come from a table
    interpolated on a grid, within 0.5 of these (L, a*, b*); these are the formulas' own
    values. The patches converted are small (a verified
    window's ~100 x 100 px, a template once)."""
    x = np.clip(np.asarray(bgr, np.float32) / np.float32(255.0), 0.0, 1.0)
    linear = np.where(x <= 0.04045, x / np.float32(12.92), ((x + 0.055) / 1.055) ** 2.4)
    xyz = linear.astype(np.float32) @ _BGR_TO_XYZ
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16.0 / 116.0)
    y = xyz[..., 1]
    out = np.empty(xyz.shape, np.float32)
    out[..., 0] = np.where(y > 0.008856, 116.0 * f[..., 1] - 16.0, 903.3 * y)
    out[..., 1] = 500.0 * (f[..., 0] - f[..., 1])
    out[..., 2] = 200.0 * (f[..., 1] - f[..., 2])
    return out


def regions(pixels: np.ndarray, k: int = REGIONS, iterations: int = 12) -> np.ndarray:
    """Up to ``k`` colour centres (CIELAB, k x 3) of ``pixels`` (N x 3 CIELAB).

    Plain k-means, deterministic: it starts from the pixel nearest the mean colour and adds,
    one by one, the pixel farthest from the centres so far (a LOGO's few flat colours are each
    found; no random seed, so a template gets the same regions in every process)."""
    px = pixels[:: max(1, len(pixels) // _SAMPLE)].astype(np.float32)
    if len(px) == 0:
        return np.zeros((0, 3), np.float32)
    first = px[int(np.argmin(((px - px.mean(axis=0)) ** 2).sum(axis=1)))]
    centres = [first]
    dist = ((px - first) ** 2).sum(axis=1)
    for _ in range(1, k):
        far = int(np.argmax(dist))
        if dist[far] <= 1.0:  # fewer distinct colours than k
            break
        centres.append(px[far])
        dist = np.minimum(dist, ((px - px[far]) ** 2).sum(axis=1))
    c = np.array(centres, np.float32)
    for _ in range(iterations):
        lab_ = nearest(px, c)
        moved = np.array(
            [px[lab_ == i].mean(axis=0) if np.any(lab_ == i) else c[i] for i in range(len(c))],
            np.float32,
        )
        if np.allclose(moved, c, atol=0.05):
            break
        c = moved
    return c


def nearest(pixels: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of the nearest centre of each pixel (N x 3 -> N)."""
    d = ((pixels[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    out: np.ndarray = np.argmin(d, axis=1)
    return out


def colour_layout(
    t_bgr: np.ndarray, labels: np.ndarray, photo_bgr: np.ndarray, seen: np.ndarray
) -> Layout:
    """Agreement of the photo's chroma layout with the template's, on the pixels ``seen``.

    ``t_bgr``: the template in colour at the verification size; ``labels``: its region of each
    pixel, -1 for none (``LogoTemplate.regions_at``); ``photo_bgr``: the aligned photo patch
    (same size).
    Both are first balanced to a grey mean on those pixels (grey world): a cast is a gain per
    channel, and a gain on a grey print would otherwise tint its light parts more than its
    dark ones -- a hue difference the template does not have."""
    sel = (seen > 0) & (labels >= 0)
    n_all = int(sel.sum())
    if n_all < 30:
        return NO_LAYOUT
    photo_px = photo_bgr[sel]
    p_ab = lab(_grey_world(photo_px))[:, 0, 1:]
    t_ab = lab(_grey_world(t_bgr[sel]))[:, 0, 1:]
    p_lin = _linear(photo_px)
    lab_ = labels[sel]
    ts, ps, ns, pl = [], [], [], []
    counts = np.bincount(lab_)  # not np.unique: its first call costs 10 ms (a lazy import)
    for i in np.flatnonzero(counts):
        m = lab_ == i
        n = int(counts[i])
        if n < _MIN_SHARE * n_all:
            continue
        ts.append(t_ab[m].mean(axis=0))
        ps.append(p_ab[m].mean(axis=0))
        pl.append(p_lin[m].mean(axis=0))
        ns.append(n)
    if len(ns) < 2:
        return NO_LAYOUT
    t = np.array(ts, np.float64)
    p = np.array(ps, np.float64)
    w = np.array(ns, np.float64)[:, None] / float(sum(ns))
    t -= (t * w).sum(axis=0)
    p -= (p * w).sum(axis=0)
    tt = float((w * t * t).sum())
    pp = float((w * p * p).sum())
    tp = float((w * t * p).sum())
    t_con, p_con = float(np.sqrt(tt)), float(np.sqrt(pp))
    agreement = tp / float(np.sqrt(tt * pp)) if tt > 0 and pp > 0 else 0.0
    comparable = t_con >= TEMPLATE_CONTRAST and p_con >= PHOTO_CONTRAST
    return Layout(
        float(np.clip(agreement, -1.0, 1.0)), t_con, p_con, comparable,
        off_line(np.array(pl), w[:, 0]),
    )  # fmt: skip


def _linear(bgr: np.ndarray) -> np.ndarray:
    """sRGB pixels (N x 3, 0-255) in linear light: where paper and ink mix linearly."""
    out: np.ndarray = (bgr.astype(np.float64) / 255.0) ** 2.2
    return out


def off_line(colours: np.ndarray, weights: np.ndarray) -> float:
    """sqrt(second / first eigenvalue) of the weighted scatter of ``colours`` (k x 3): 0 when
    they lie on one line (two colours always do), up to 1 when they spread evenly."""
    if len(colours) < 3:
        return 0.0
    c = colours - (colours * weights[:, None]).sum(axis=0) / weights.sum()
    ev = np.sort(np.linalg.eigvalsh((c * weights[:, None]).T @ c))[::-1]
    return float(np.sqrt(max(ev[1], 0.0) / ev[0])) if ev[0] > 0 else 0.0
