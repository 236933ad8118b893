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
cannot read it; ``load_network``). The detector blends its
probability with the hand-made score (``LogoDetector(learned_weight=0.3)``, threshold 0.79).
Design and measurements: docs/vision/logo.md.
"""

from __future__ import annotations

import math
import threading
from importlib import resources
from typing import Any

import cv2
import numpy as np

__all__ = ["PAIR_SIZE", "load_network", "pair_input", "pair_probability"]

PAIR_SIZE = 48
_MODEL = "pair-verifier.onnx"
_lock = threading.Lock()
_runner: _Runner | None = None


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


class _Runner:
    """Runs the network on one input at a time: ``logit(x)``; threads take turns."""

    def __init__(self, data: bytes, backend: str = "auto") -> None:
        """``backend``: "opencv", "onnxruntime", or "auto" (OpenCV, else onnxruntime)."""
        self._lock = threading.Lock()
        self._net: Any = None
        self._ort: Any = None
        if backend in ("auto", "opencv"):
            try:
                # OpenCV's DNN module: the detector has OpenCV loaded already; onnxruntime
                # would add its import (~30 ms), its session (~10 ms) and its teardown at exit
                # (40-50 ms) to every ``gkcheck logo`` process, for a network that runs in
                # 0.2 ms either way. Logits agree within 4e-6 (200 random inputs).
                self._net = cv2.dnn.readNetFromONNX(np.frombuffer(data, np.uint8))
            except (AttributeError, cv2.error):  # an OpenCV without dnn, or one too old
                if backend == "opencv":
                    raise
        if self._net is None:
            import onnxruntime as ort

            opts = ort.SessionOptions()
            # one thread: the detector runs photos in parallel itself (``gkcheck logo
            # --jobs``), and a pool idling on the other core costs more than it gives
            opts.intra_op_num_threads = 1
            opts.inter_op_num_threads = 1
            self._ort = ort.InferenceSession(
                data, sess_options=opts, providers=["CPUExecutionProvider"]
            )

    @property
    def backend(self) -> str:
        return "opencv" if self._net is not None else "onnxruntime"

    def logit(self, x: np.ndarray) -> float:
        if self._net is None:
            (y,) = self._ort.run(None, {self._ort.get_inputs()[0].name: x})
            return float(np.asarray(y).reshape(-1)[0])
        with self._lock:  # setInput + forward: one input at a time per network
            self._net.setInput(x)
            out = self._net.forward()
        return float(np.asarray(out).reshape(-1)[0])


def load_network() -> _Runner:
    """The network, made on first use (one per process, shared by threads)."""
    global _runner
    with _lock:
        if _runner is None:
            data = resources.files("gkcheck").joinpath("data", "logo", _MODEL).read_bytes()
            _runner = _Runner(data)
        return _runner


def pair_probability(t_img: np.ndarray, aligned: np.ndarray, seen: np.ndarray) -> float:
    """The network's probability that the aligned patch shows the template's LOGO."""
    logit = load_network().logit(pair_input(t_img, aligned, seen))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))
