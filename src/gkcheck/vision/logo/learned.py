"""A learned second opinion on an aligned candidate: does this patch show the template's LOGO?

The hand-made scores of ``verify.py`` (ZNCC of pixels, of band-pass detail, of gradient
histograms) each fail in their own way on blur, cloth folds, glare and partial occlusion. A
small convolutional network, given the template and the aligned photo patch side by side on
the LOGO's mask (48 x 48 px, each normalised on the mask, with their product and difference),
learns which differences matter. It compares a *pair*: it knows no LOGO design, so it serves
the campaign's own template as well as the ones it was trained with.

Two such networks ship. In grey, a two-colour sibling design, a coin or the national emblem
could look like the template (0.84-1.0), so a second network also sees both sides' chroma
(``_chroma``); trained with each pair's chroma turned by a random angle, it compares where the
colours are, not which colours a training design had. But a LOGO printed in one ink keeps only
the template's lightness, and the colour network refuses it. So it is asked only where the
photo's colours span the chroma plane (``photo_hues``); a grey photo, a one-ink print or a
LOGO of one hue (or of two opposite ones) goes to the grey network (since the twenty-sixth
session; docs/vision/logo.md) -- unless the photo's colours sit where the template's do
(``laid_out``: two inks on one line, such as a red-and-gold LOGO printed on red cloth, which
shows gold on red; since the fortieth session).

Both are trained by ``benchmarks/logo_verifier.py`` (``--no-colour`` for the grey one) on set
B's training splits only: aligned pairs made by warping and "photographing" the training
designs (for the colour network, half the time one of 600 designs drawn for training only,
since the twenty-eighth session), and the detector's own candidates on the training photos
(no held-out design or photo). The ONNX files ship in the package
(``data/logo/pair-verifier.onnx``, grey; ``pair-verifier-colour.onnx``) and run on OpenCV's
DNN module (onnxruntime when OpenCV cannot read them; ``network.py``). The detector blends
the probability with the hand-made score (``LogoDetector(learned_weight=0.3)``, threshold
0.77). Design and measurements: docs/vision/logo.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import cv2
import numpy as np

from . import network
from .network import Runner

__all__ = [
    "CHANNELS",
    "GREY_CHANNELS",
    "MODEL_FILES",
    "PAIR_SIZE",
    "load_network",
    "pair_input",
    "pair_probability",
    "photo_hues",
]

PAIR_SIZE = 48
CHANNELS = 9  # the colour network's planes; the grey network reads the first five
GREY_CHANNELS = 5
# the packaged file of each network, by ``colour`` (the training script writes the same names)
MODEL_FILES = {False: "pair-verifier.onnx", True: "pair-verifier-colour.onnx"}
# ``photo_hues``: below ONE_HUE the second axis of the photo's chroma is noise beside the first
# (one-ink prints on the tests' walls: 0.031 at most; LOGOs whose template's colours span the
# chroma plane, in set B's training photos: 0.08 at the 5th percentile); below NO_HUE the
# chroma is noise beside the lightness (black ink: 0.22 at most; colour LOGOs in the training
# photos: 0.54 at the 5th)
ONE_HUE = 0.05
NO_HUE = 0.3


def pair_input(
    t_img: np.ndarray,
    aligned: np.ndarray,
    seen: np.ndarray,
    t_col: np.ndarray | None = None,
    aligned_bgr: np.ndarray | None = None,
) -> np.ndarray:
    """The network's input, 1 x 9 x 48 x 48 float32: template and photo in grey (each
    zero-mean and unit-variance on the mask, 0 outside it), the mask, their product and their
    absolute difference; then the template's and the photo's two chroma planes (``_chroma``;
    zero when no colour is given: a pair known only in grey). The training script prepares
    its pairs with this same function."""
    m = _small(seen)
    out = np.zeros((1, CHANNELS, PAIR_SIZE, PAIR_SIZE), np.float32)
    w = float(m.sum()) + 1e-6
    for k, img in enumerate((t_img, aligned)):
        a = _small(img)
        mu = float((a * m).sum()) / w
        sd = float(np.sqrt((((a - mu) ** 2) * m).sum() / w)) + 1.0
        out[0, k] = (a - mu) / sd * m
    out[0, 2] = m
    out[0, 3] = out[0, 0] * out[0, 1]
    out[0, 4] = np.abs(out[0, 0] - out[0, 1])
    for k, bgr in ((5, t_col), (7, aligned_bgr)):
        if bgr is not None:
            out[0, k : k + 2] = _chroma(_small(bgr), m, w)
    return out


def _small(img: np.ndarray) -> np.ndarray:
    """``img`` (a plane, a mask or BGR) as float32 at the networks' 48 x 48 px."""
    out: np.ndarray = cv2.resize(
        img.astype(np.float32), (PAIR_SIZE, PAIR_SIZE), interpolation=cv2.INTER_AREA
    )
    return out


def _chroma(bgr: np.ndarray, m: np.ndarray, w: float) -> np.ndarray:
    """Two opponent chroma planes (red - green, yellow - blue), less their means on the mask
    and divided by the patch's whole colour contrast (lightness and chroma together).

    Why not per channel like the hand-made colour score: normalising each channel alone
    makes a gold coin's shading look like a red ring's, since every channel then varies
    alike. Kept relative, a LOGO's red ring against white stands out as chroma, a coin's or
    a rock's shading does not, a colour cast (a shift of the means) cancels, and a grey photo
    gives two flat planes -- which the network learns to read as "no colour to compare"."""
    d = _opponent_on_mask(bgr, m, w)
    scale = float(np.sqrt(((d**2) * m).sum() / w)) + 4.0
    out: np.ndarray = d[1:] / scale * m
    return out


def _opponent_on_mask(bgr: np.ndarray, m: np.ndarray, w: float) -> np.ndarray:
    """Lightness and the two opponent chroma planes (red - green, yellow - blue) of a float
    BGR image, each less its mean on the mask ``m`` (weight ``w``): 3 x H x W."""
    b, g, r = bgr[..., 0], bgr[..., 1], bgr[..., 2]
    planes = np.stack([(b + g + r) / 3.0, r - g, 0.5 * (r + g) - b])
    mu = (planes * m).reshape(3, -1).sum(axis=1) / w
    out: np.ndarray = planes - mu[:, None, None]
    return out


def photo_hues(aligned_bgr: np.ndarray, seen: np.ndarray) -> int:
    """How many hues the photo shows on the LOGO's mask: 0 (grey, or black ink), 1 (its
    colours lie on one line of the chroma plane: one ink, one hue, or two opposite hues such
    as orange and blue) or 2 (two hues that are not opposite, or more).

    The colour network compares where the template's colours are with where the photo's are.
    A LOGO printed in one ink keeps the template's lightness and none of its colours, and the
    colour network, trained on LOGOs printed in their own colours, refused it (0.00-0.03 on
    clean prints of an orange-and-blue design that the grey network gives 0.97). So colour is
    asked only where the photo has two hues to compare: the second axis of its chroma
    covariance is more than noise beside the first, and the chroma more than noise beside
    the lightness. Otherwise the pair goes to the grey network, which never saw colour."""
    m = _small(seen)
    w = float(m.sum()) + 1e-6
    d = _opponent_on_mask(_small(aligned_bgr), m, w).reshape(3, -1)
    cov = (d * m.reshape(-1)) @ d.T / w
    low, high = np.linalg.eigvalsh(cov[1:, 1:])
    if high <= NO_HUE**2 * (float(cov[0, 0]) + 1e-6):
        return 0
    return 1 if low < ONE_HUE * high else 2


def load_network(colour: bool = False) -> Runner:
    """The colour network or the grey one, made on first use (one per process, shared by
    threads)."""
    return network.load(MODEL_FILES[colour])


def pair_probability(
    t_img: np.ndarray,
    aligned: np.ndarray,
    seen: np.ndarray,
    t_col: np.ndarray | None = None,
    aligned_bgr: np.ndarray | None = None,
    *,
    laid_out: bool | Callable[[], bool] = False,
) -> float:
    """The probability that the aligned patch shows the template's LOGO: the colour
    network's where the photo shows two hues (``photo_hues`` 2), else the grey one's.

    ``laid_out``: the patch's colours sit where the template's are (its chroma layout agrees,
    ``layout.py``), so that the colour network is asked also where the photo's hues lie on one
    line (``photo_hues`` 1); or a function that says so, called only then. Any two colours
    do: a two-ink LOGO printed without its card on a backdrop of one of its inks (a red sun on
    red cloth) shows just its other ink and the backdrop, and the grey network refused such
    LOGOs plain to see (0.03-0.41 where the colour network gave 0.89-1.00;
    docs/vision/logo.md, fortieth session). A one-ink print of a two-hue LOGO agrees with its
    layout only by chance."""
    hues = photo_hues(aligned_bgr, seen) if t_col is not None and aligned_bgr is not None else 0
    if hues == 2 or (hues == 1 and (laid_out() if callable(laid_out) else laid_out)):
        logit = load_network(colour=True).logit(
            pair_input(t_img, aligned, seen, t_col, aligned_bgr)
        )
    else:  # the grey network reads the first planes only: no chroma to work out
        logit = load_network().logit(pair_input(t_img, aligned, seen)[:, :GREY_CHANNELS])
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))
