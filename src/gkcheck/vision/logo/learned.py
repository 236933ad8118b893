"""A learned second opinion on an aligned candidate: does this patch show the template's LOGO?

The hand-made scores of ``verify.py`` (ZNCC of pixels, of band-pass detail, of gradient
histograms) each fail in their own way on blur, cloth folds, glare and partial occlusion. A
small convolutional network, given the template and the aligned photo patch side by side on
the LOGO's mask (48 x 48 px, each normalised on the mask, with their product and difference),
learns which differences matter. It compares a *pair*: it knows no LOGO design, so it serves
the campaign's own template as well as the ones it was trained with.

Trained by ``benchmarks/logo_verifier.py`` on set B's training splits only: aligned pairs
made by warping and "photographing" the training designs, and the detector's own candidates
on the training photos (no held-out design or photo); the ONNX file ships in the package
(``data/logo/pair-verifier.onnx``) and runs on OpenCV's DNN module (onnxruntime when OpenCV
cannot read it; ``network.py``). The detector blends its
probability with the hand-made score (``LogoDetector(learned_weight=0.3)``, threshold 0.77).
Design and measurements: docs/vision/logo.md.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from . import network
from .network import Runner

__all__ = ["PAIR_SIZE", "load_network", "pair_input", "pair_probability"]

PAIR_SIZE = 48
_MODEL = "pair-verifier.onnx"


def pair_input(t_img: np.ndarray, aligned: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """The network's input, 1 x 5 x 48 x 48 float32: template and photo (each zero-mean and
    unit-variance on the mask, 0 outside it), the mask, their product and their absolute
    difference. The training script prepares its pairs with this same function."""
    size = (PAIR_SIZE, PAIR_SIZE)
    m = cv2.resize(seen.astype(np.float32), size, interpolation=cv2.INTER_AREA)
    out = np.zeros((1, 5, PAIR_SIZE, PAIR_SIZE), np.float32)
    w = float(m.sum()) + 1e-6
    for k, img in enumerate((t_img, aligned)):
        a = cv2.resize(img.astype(np.float32), size, interpolation=cv2.INTER_AREA)
        mu = float((a * m).sum()) / w
        sd = float(np.sqrt((((a - mu) ** 2) * m).sum() / w)) + 1.0
        out[0, k] = (a - mu) / sd * m
    out[0, 2] = m
    out[0, 3] = out[0, 0] * out[0, 1]
    out[0, 4] = np.abs(out[0, 0] - out[0, 1])
    return out


def load_network() -> Runner:
    """The network, made on first use (one per process, shared by threads)."""
    return network.load(_MODEL)


def pair_probability(t_img: np.ndarray, aligned: np.ndarray, seen: np.ndarray) -> float:
    """The network's probability that the aligned patch shows the template's LOGO."""
    logit = load_network().logit(pair_input(t_img, aligned, seen))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))
