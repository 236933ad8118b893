"""The packaged ONNX networks (``data/logo/*.onnx``), each loaded once per process.

Small networks serve the detector: the window ranker (``rank.py``), which orders the
search's proposals, and the pair verifiers (``learned.py``, one in grey, one in colour), which
score an aligned candidate. All run on OpenCV's DNN module, which the detector has loaded
anyway; onnxruntime only when this OpenCV cannot read the file.
"""

from __future__ import annotations

import threading
from typing import Any

import cv2
import numpy as np

from gkcheck.package_data import package_file

__all__ = ["Runner", "load"]

_lock = threading.Lock()
_runners: dict[str, Runner] = {}


class Runner:
    """Runs one network on a batch of inputs: ``logits(x)``; threads take turns."""

    def __init__(self, data: bytes, backend: str = "auto") -> None:
        """``backend``: "opencv", "onnxruntime", or "auto" (OpenCV, else onnxruntime)."""
        self._lock = threading.Lock()
        self._net: Any = None
        self._ort: Any = None
        if backend in ("auto", "opencv"):
            try:
                # OpenCV's DNN module: the detector has OpenCV loaded already; onnxruntime
                # would add its import (~30 ms), its session (~10 ms) and its teardown at exit
                # (40-50 ms) to every ``gkcheck logo`` process, for networks that run in
                # 0.2-8 ms either way. Logits agree within 4e-6 (200 random inputs).
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

    def logits(self, x: np.ndarray) -> np.ndarray:
        """The network's first output for each input of the batch ``x`` (float32, N x ...)."""
        if self._net is None:
            (y,) = self._ort.run(None, {self._ort.get_inputs()[0].name: x})
            return np.asarray(y, np.float64).reshape(len(x), -1)[:, 0]
        with self._lock:  # setInput + forward: one batch at a time per network
            self._net.setInput(x)
            out = self._net.forward()
        return np.asarray(out, np.float64).reshape(len(x), -1)[:, 0]

    def logit(self, x: np.ndarray) -> float:
        """The first output for a batch of one."""
        return float(self.logits(x)[0])


def load(name: str) -> Runner:
    """The packaged network ``data/logo/<name>``, made on first use (one per process, shared
    by threads)."""
    with _lock:
        runner = _runners.get(name)
        if runner is None:
            data = package_file("data", "logo", name).read_bytes()
            runner = _runners[name] = Runner(data)
        return runner
