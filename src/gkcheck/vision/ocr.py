"""The project's one OCR engine: RapidOCR with the models shipped inside its package.

Banners in event photos, scanned PDFs and screenshots are all read through this module
so that model loading, input-size bounds and box geometry are handled in one place.

Why these choices:

* The models are the ONNX files bundled in ``rapidocr_onnxruntime``; nothing is ever
  downloaded, so the tool works offline and gives the same answers on every machine.
* Loading the three ONNX sessions costs about a second and ~100 MB, so the engine is
  created lazily, once per process, behind a lock (:func:`get_engine`).
* OCR time grows with the pixel count, and phone photos reach 12 MP and more; every
  call downscales so the long side is at most ``max_side`` and maps the boxes back to
  the caller's pixel grid, so callers never deal with the scale.
* RapidOCR's own detector resizing (``limit_type=min``) upscales narrow crops such as a
  banner strip several times over; the engine uses ``limit_type=max`` so the detector
  sees exactly the pixels this module hands it, and the caller controls the cost.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "DEFAULT_MAX_SIDE",
    "OcrEngine",
    "OcrLine",
    "OcrRow",
    "OcrUnavailable",
    "Point",
    "Quad",
    "get_engine",
    "merge_rows",
    "reset_engine",
]

#: Default bound on the long side of the image handed to the detector, in pixels.
DEFAULT_MAX_SIDE = 1800

#: The bundled model files the engine needs; checked before loading for a clear error.
_MODEL_FILES: tuple[str, ...] = (
    "ch_PP-OCRv4_det_infer.onnx",
    "ch_ppocr_mobile_v2.0_cls_infer.onnx",
    "ch_PP-OCRv4_rec_infer.onnx",
)

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]
BBox = tuple[float, float, float, float]
ImageArray = npt.NDArray[np.uint8]


class OcrUnavailable(RuntimeError):
    """The OCR package or its bundled models cannot be loaded.

    Callers catch this to degrade gracefully (report "image not checked") instead of
    failing a whole review because one optional dependency is missing.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One text box as the recogniser read it, in the caller's pixel coordinates.

    ``quad`` keeps the detector's rotated corners (top-left, top-right, bottom-right,
    bottom-left) because rotated photos need the slope; ``bbox`` is the axis-aligned
    hull that most callers want.
    """

    text: str
    quad: Quad
    bbox: BBox
    confidence: float

    @property
    def height(self) -> float:
        """Text height: the mean length of the quad's left and right edges."""
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = self.quad
        return (math.hypot(x3 - x0, y3 - y0) + math.hypot(x2 - x1, y2 - y1)) / 2.0

    @property
    def center(self) -> Point:
        """Centre of the quad."""
        xs = [p[0] for p in self.quad]
        ys = [p[1] for p in self.quad]
        return (sum(xs) / 4.0, sum(ys) / 4.0)

    @property
    def slope(self) -> float:
        """dy/dx of the text baseline, from the top and bottom edges of the quad."""
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = self.quad
        dx = (x1 - x0) + (x2 - x3)
        dy = (y1 - y0) + (y2 - y3)
        if abs(dx) < 1e-6:
            return 0.0
        return dy / dx

    def shifted(self, dx: float, dy: float, scale: float = 1.0) -> OcrLine:
        """This line with coordinates scaled by ``scale`` then offset by (dx, dy).

        Used to map boxes from a downscaled image or a crop back to the full image.
        """
        quad = _quad(tuple((x * scale + dx, y * scale + dy) for x, y in self.quad))
        return OcrLine(self.text, quad, _bbox_of(quad), self.confidence)


@dataclass(frozen=True, slots=True)
class OcrRow:
    """OCR boxes that sit on one visual line, left to right.

    The detector often splits one printed line into several boxes (at quotes, wide
    gaps, occluding heads); rules about a line of text need them rejoined.
    """

    lines: tuple[OcrLine, ...]

    @property
    def text(self) -> str:
        """The boxes' texts joined left to right; a space marks a wide gap."""
        parts: list[str] = []
        prev: OcrLine | None = None
        for line in self.lines:
            if prev is not None:
                gap = line.bbox[0] - prev.bbox[2]
                parts.append(" " if gap > 0.8 * min(line.height, prev.height) else "")
            parts.append(line.text)
            prev = line
        return "".join(parts)

    @property
    def bbox(self) -> BBox:
        """Axis-aligned hull of the row."""
        return (
            min(li.bbox[0] for li in self.lines),
            min(li.bbox[1] for li in self.lines),
            max(li.bbox[2] for li in self.lines),
            max(li.bbox[3] for li in self.lines),
        )

    @property
    def height(self) -> float:
        """Median text height of the row's boxes."""
        heights = sorted(li.height for li in self.lines)
        return heights[len(heights) // 2]

    @property
    def confidence(self) -> float:
        """Character-weighted mean confidence."""
        weights = [max(1, len(li.text)) for li in self.lines]
        total = sum(w * li.confidence for w, li in zip(weights, self.lines, strict=True))
        return total / sum(weights)


def _quad(points: Sequence[Sequence[float]]) -> Quad:
    p = [(float(x), float(y)) for x, y in points]
    if len(p) != 4:
        raise ValueError(f"a quad needs 4 points, got {len(p)}")
    return (p[0], p[1], p[2], p[3])


def _bbox_of(quad: Quad) -> BBox:
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    return (min(xs), min(ys), max(xs), max(ys))


def _same_row(row: list[OcrLine], line: OcrLine) -> bool:
    """Whether ``line`` continues ``row``: its centre lies on the row's baseline.

    The row's baseline is extrapolated with the slope of its widest box so that a
    slightly rotated photo still groups correctly; heights must agree within 1.8x so a
    caption under a big title is not glued onto it.
    """
    anchor = max(row, key=lambda li: li.bbox[2] - li.bbox[0])
    ax, ay = anchor.center
    lx, ly = line.center
    slope = max(-0.35, min(0.35, anchor.slope))
    predicted = ay + slope * (lx - ax)
    h = min(anchor.height, line.height)
    hi = max(anchor.height, line.height)
    if h <= 0 or hi / h > 1.8:
        return False
    return abs(ly - predicted) < 0.5 * h


def merge_rows(lines: Sequence[OcrLine]) -> list[OcrRow]:
    """Group OCR boxes into visual rows, rows top to bottom, boxes left to right.

    Boxes join a row when their centres fall on the row's (possibly sloped) baseline
    and their heights are similar; this is what a reader does when they read a banner
    whose text the detector split into pieces.
    """
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda li: (-li.height, li.center[1])):
        best: list[OcrLine] | None = None
        best_dist = math.inf
        for row in rows:
            if _same_row(row, line):
                dist = abs(line.center[1] - sum(li.center[1] for li in row) / len(row))
                if dist < best_dist:
                    best, best_dist = row, dist
        if best is None:
            rows.append([line])
        else:
            best.append(line)
    out = [OcrRow(tuple(sorted(r, key=lambda li: li.bbox[0]))) for r in rows]
    out.sort(key=lambda r: ((r.bbox[1] + r.bbox[3]) / 2.0, r.bbox[0]))
    return out


def reading_order(lines: Sequence[OcrLine]) -> list[OcrLine]:
    """Boxes in reading order: by visual row, then left to right."""
    return [li for row in merge_rows(lines) for li in row.lines]


def _package_model_dir() -> Path:
    try:
        import rapidocr_onnxruntime
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise OcrUnavailable(f"rapidocr_onnxruntime is not installed: {exc}") from exc
    except Exception as exc:  # pragma: no cover - broken native dependency
        raise OcrUnavailable(f"rapidocr_onnxruntime failed to import: {exc}") from exc
    pkg_file = rapidocr_onnxruntime.__file__
    if pkg_file is None:  # pragma: no cover - namespace package, not the real one
        raise OcrUnavailable("rapidocr_onnxruntime has no package directory")
    return Path(pkg_file).resolve().parent / "models"


class OcrEngine:
    """A loaded RapidOCR instance plus the size bounds and box mapping around it.

    Create it through :func:`get_engine`; tests may build their own. Calls are
    serialised by a lock because RapidOCR keeps per-call state on the instance.
    """

    def __init__(self, *, max_side: int = DEFAULT_MAX_SIDE, threads: int = -1) -> None:
        """Load the bundled models; raise :class:`OcrUnavailable` when they cannot."""
        model_dir = _package_model_dir()
        missing = [m for m in _MODEL_FILES if not (model_dir / m).is_file()]
        if missing:
            raise OcrUnavailable(f"bundled OCR models missing in {model_dir}: {missing}")
        try:
            from rapidocr_onnxruntime import RapidOCR
        except Exception as exc:  # pragma: no cover - environment dependent
            raise OcrUnavailable(f"cannot import RapidOCR: {exc}") from exc
        kwargs: dict[str, Any] = {
            "det_model_path": str(model_dir / _MODEL_FILES[0]),
            "cls_model_path": str(model_dir / _MODEL_FILES[1]),
            "rec_model_path": str(model_dir / _MODEL_FILES[2]),
            "det_limit_type": "max",
            "det_limit_side_len": max_side,
            # Our own bound applies first; keep RapidOCR's from shrinking again.
            "max_side_len": max(max_side, 2000) * 2,
            "intra_op_num_threads": threads,
        }
        try:
            self._ocr: Any = RapidOCR(**kwargs)
        except Exception as exc:
            raise OcrUnavailable(f"RapidOCR failed to load its models: {exc}") from exc
        self.max_side = max_side
        self.model_dir = model_dir
        self._lock = threading.Lock()

    def read(
        self,
        image: ImageArray,
        *,
        max_side: int | None = None,
        use_cls: bool = True,
        min_confidence: float = 0.5,
    ) -> list[OcrLine]:
        """Read all text in a BGR image, boxes in the image's own coordinates.

        The image is downscaled (never upscaled) so its long side is at most
        ``max_side`` (the engine default when ``None``); boxes are mapped back. Lines
        come in reading order (rows top to bottom, left to right). ``use_cls`` runs the
        180-degree classifier, which scans and screenshots rarely need but costs time
        per box.
        """
        img = _as_bgr(image)
        h, w = img.shape[:2]
        if h < 2 or w < 2:
            return []
        bound = self.max_side if max_side is None else max_side
        scale = min(1.0, bound / max(h, w))
        if scale < 1.0:
            small = cv2.resize(
                img,
                (max(1, round(w * scale)), max(1, round(h * scale))),
                interpolation=cv2.INTER_AREA,
            )
        else:
            small = img
        sh, sw = small.shape[:2]
        sx, sy = w / sw, h / sh
        with self._lock:
            result, _elapse = self._ocr(
                small, use_cls=use_cls, text_score=min_confidence
            )
        if not result:
            return []
        out: list[OcrLine] = []
        for box, text, score in result:
            quad = _quad([(float(x) * sx, float(y) * sy) for x, y in box])
            text_s = str(text).strip()
            if not text_s:
                continue
            out.append(OcrLine(text_s, quad, _bbox_of(quad), float(score)))
        return reading_order(out)


def _as_bgr(image: ImageArray) -> ImageArray:
    """Accept grey, BGR and BGRA arrays; the recogniser wants 3-channel uint8."""
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    if arr.ndim == 2:
        return np.asarray(cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR), np.uint8)
    if arr.ndim == 3 and arr.shape[2] == 4:
        return np.asarray(cv2.cvtColor(arr, cv2.COLOR_BGRA2BGR), np.uint8)
    if arr.ndim == 3 and arr.shape[2] == 3:
        return np.ascontiguousarray(arr)
    raise ValueError(f"not an image array: shape {arr.shape}")


_ENGINE: OcrEngine | None = None
_ENGINE_ERROR: OcrUnavailable | None = None
_ENGINE_LOCK = threading.Lock()


def get_engine() -> OcrEngine:
    """The process-wide engine, loaded on first use.

    A failure is remembered so that a review of many files does not retry a broken
    install for each one; :func:`reset_engine` clears both.
    """
    global _ENGINE, _ENGINE_ERROR
    engine = _ENGINE
    if engine is not None:
        return engine
    with _ENGINE_LOCK:
        if _ENGINE is None:
            if _ENGINE_ERROR is not None:
                raise _ENGINE_ERROR
            try:
                _ENGINE = OcrEngine()
            except OcrUnavailable as exc:
                _ENGINE_ERROR = exc
                raise
        return _ENGINE


def engine_loaded() -> bool:
    """Whether :func:`get_engine` has already loaded the models in this process."""
    return _ENGINE is not None


def reset_engine() -> None:
    """Forget the loaded engine (tests, or freeing memory in a long-lived process)."""
    global _ENGINE, _ENGINE_ERROR
    with _ENGINE_LOCK:
        _ENGINE = None
        _ENGINE_ERROR = None
