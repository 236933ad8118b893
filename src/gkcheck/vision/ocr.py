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
* :meth:`OcrEngine.read_lines` runs detection and recognition itself (RapidOCR's models,
  our glue) for callers that know what they read: it widens each detected box so line
  ends are not clipped, lets the caller preprocess each line crop (LED dot matrices),
  and keeps the recogniser's per-frame probabilities (:class:`CtcScorer`) so a caller
  can ask how likely an *alternative* text is for the same pixels -- the OCR-aware way
  to correct one misread character against a known word (a unit name, the year).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = [
    "DEFAULT_MAX_SIDE",
    "CtcScorer",
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
    #: The recogniser's frame probabilities, when read by :meth:`OcrEngine.read_lines`.
    scorer: CtcScorer | None = field(default=None, compare=False, repr=False)

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
        return OcrLine(self.text, quad, _bbox_of(quad), self.confidence, self.scorer)

    def with_text(self, text: str) -> OcrLine:
        """This box with a corrected text (same geometry and scorer)."""
        return OcrLine(text, self.quad, self.bbox, self.confidence, self.scorer)


#: Frame probabilities below this count as this (CTC log-likelihoods stay finite).
_PROB_FLOOR = 1e-7


class CtcScorer:
    """How likely a text is for one recognised line, from the recogniser's CTC frames.

    Keeps only the top classes per frame (plus blank), enough to score the greedy text
    and any candidate that differs from it by a few characters. :meth:`loglik` is the
    CTC forward log-likelihood; :meth:`margin` compares a candidate with the greedy
    reading (0 for the reading itself, large negative for an implausible candidate).
    """

    __slots__ = ("_blank", "_char_index", "_greedy", "_idx", "_prob")

    def __init__(self, probs: npt.NDArray[np.float32], char_index: dict[str, int],
                 greedy: str, top: int = 24) -> None:
        k = min(top, probs.shape[1])
        idx = np.argpartition(-probs, k - 1, axis=1)[:, :k]
        self._idx = idx.astype(np.int32)
        self._prob = np.take_along_axis(probs, idx, axis=1).astype(np.float32)
        self._blank = probs[:, 0].astype(np.float32)
        self._char_index = char_index
        self._greedy = greedy

    def _frame_probs(self, text: str) -> npt.NDArray[np.float64]:
        """(T, len(text)) probabilities of each character of ``text`` per frame."""
        t = self._idx.shape[0]
        out = np.full((t, len(text)), _PROB_FLOOR, np.float64)
        for j, ch in enumerate(text):
            ci = self._char_index.get(ch)
            if ci is None:
                continue
            hit = self._idx == ci
            rows = hit.any(axis=1)
            out[rows, j] = np.maximum(self._prob[hit], _PROB_FLOOR)
        return out

    def loglik(self, text: str) -> float:
        """log P(text | frames) under CTC (blank = class 0)."""
        t_len = self._idx.shape[0]
        if not text:
            return float(np.sum(np.log(np.maximum(self._blank, _PROB_FLOOR))))
        lab = self._frame_probs(text)
        n = len(text)
        s_len = 2 * n + 1
        # emission log-probs for the extended label (blank, c1, blank, c2, ..., blank)
        emit = np.empty((t_len, s_len), np.float64)
        emit[:, 0::2] = np.log(np.maximum(self._blank, _PROB_FLOOR))[:, None]
        emit[:, 1::2] = np.log(lab)
        # skip allowed from s-2 to s when s is a character different from s-2's
        skip = np.zeros(s_len, bool)
        for j in range(1, n):
            skip[2 * j + 1] = text[j] != text[j - 1]
        neg = -1e30
        alpha = np.full(s_len, neg)
        alpha[0] = emit[0, 0]
        alpha[1] = emit[0, 1]
        for t in range(1, t_len):
            a1 = np.concatenate(([neg], alpha[:-1]))
            a2 = np.concatenate(([neg, neg], alpha[:-2]))
            a2 = np.where(skip, a2, neg)
            alpha = np.logaddexp(np.logaddexp(alpha, a1), a2) + emit[t]
        return float(np.logaddexp(alpha[-1], alpha[-2]))

    def margin(self, candidate: str) -> float:
        """log P(candidate) - log P(greedy reading): how much less likely, in nats.

        White space in ``candidate`` (gap marks) is ignored.
        """
        return self.loglik("".join(candidate.split())) - self.loglik(self._greedy)


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
            text = line.text
            if prev is not None:
                gap = line.bbox[0] - prev.bbox[2]
                h = min(line.height, prev.height)
                parts.append(" " if gap > 0.8 * h else "")
                if gap < -0.3 * h and text[:1] == prev.text[-1:]:
                    text = text[1:]  # overlapping boxes both read the glyph between them
            parts.append(text)
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
        self._lock = threading.RLock()
        self._char_index: dict[str, int] | None = None

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

    def read_lines(
        self,
        image: ImageArray,
        *,
        max_side: int | None = None,
        min_confidence: float = 0.5,
        widen: float = 0.4,
        variants: Sequence[Callable[[ImageArray], ImageArray]] = (),
        sure: float = 0.97,
        det_side: int | None = None,
    ) -> list[OcrLine]:
        """Detect and recognise like :meth:`read`, with wider boxes and CTC scorers.

        Each detected box is widened by ``widen`` times its height at both ends (the
        detector cuts line ends short on widely spaced glyphs such as LED dots) before
        the line is cropped upright. ``variants`` are extra preprocessings of the line
        crop, tried in turn while the best reading's mean confidence is below ``sure``;
        the most confident reading is kept. ``det_side`` bounds the detector's input
        separately (lines are still cropped from the ``max_side`` image). No 180-degree
        classifier: callers use this on upright text.
        """
        img = _as_bgr(image)
        h, w = img.shape[:2]
        if h < 2 or w < 2:
            return []
        bound = self.max_side if max_side is None else max_side
        scale = min(1.0, bound / max(h, w))
        small: ImageArray = img if scale >= 1.0 else np.asarray(cv2.resize(
            img, (max(1, round(w * scale)), max(1, round(h * scale))),
            interpolation=cv2.INTER_AREA), np.uint8)
        sh, sw = small.shape[:2]
        sx, sy = w / sw, h / sh
        # Detection needs fewer pixels than recognition: find lines on a smaller copy,
        # crop them from ``small``.
        dscale = min(1.0, (det_side or max(sh, sw)) / max(sh, sw))
        det_img = small if dscale >= 1.0 else np.asarray(cv2.resize(
            small, (max(1, round(sw * dscale)), max(1, round(sh * dscale))),
            interpolation=cv2.INTER_AREA), np.uint8)
        rapid = self._ocr
        with self._lock:
            padded, record = rapid.maybe_add_letterbox(det_img, {})
            boxes, _ = rapid.auto_text_det(padded)
        if boxes is None:
            return []
        top = int(record.get("padding_1", {}).get("top", 0))
        quads = [np.asarray(b, np.float32).copy() for b in boxes]
        for q in quads:
            q[:, 1] -= top
            q[:, 0] *= sw / det_img.shape[1]
            q[:, 1] *= sh / det_img.shape[0]
        out: list[OcrLine] = []
        pieces = _join_pieces(quads)
        for k, pts in enumerate(pieces):
            left, right = _free_ends(pts, [q for j, q in enumerate(pieces) if j != k])
            pts = _widen(pts, widen, sw, sh, left=left, right=right)
            crop = _upright_crop(small, pts)
            if crop is None:
                continue
            best: tuple[str, float, CtcScorer] | None = None
            for prep in (None, *variants):
                if best is not None and best[1] >= sure:
                    break  # a confident reading needs no second opinion
                got = self._recognise(crop if prep is None else prep(crop))
                if got is not None and (best is None or got[1] > best[1]):
                    best = got
            if best is None or best[1] < min_confidence or not best[0].strip():
                continue
            quad = _quad([(float(x) * sx, float(y) * sy) for x, y in pts])
            out.append(OcrLine(best[0].strip(), quad, _bbox_of(quad), best[1], best[2]))
        return reading_order(out)

    def _recognise(self, crop: ImageArray) -> tuple[str, float, CtcScorer] | None:
        """Greedy CTC text, mean confidence and scorer for one upright line crop."""
        rec = self._ocr.text_rec
        _ch, hh, ww = rec.rec_image_shape
        h, w = crop.shape[:2]
        if h < 2 or w < 2:
            return None
        ratio = max(ww / hh, w / h)
        norm = rec.resize_norm_img(_as_bgr(crop), ratio)[np.newaxis].astype(np.float32)
        with self._lock:
            probs = rec.session(norm)[0][0]
        chars = rec.postprocess_op.character
        best = probs.argmax(axis=1)
        keep = np.ones(len(best), bool)
        keep[1:] = best[1:] != best[:-1]
        keep &= best != 0
        text = "".join(chars[i] for i in best[keep])
        conf = float(probs.max(axis=1)[keep].mean()) if keep.any() else 0.0
        if self._char_index is None:
            self._char_index = {c: i for i, c in enumerate(chars)}
        scorer = CtcScorer(probs, self._char_index, text)
        return _mark_gaps(text, np.flatnonzero(keep)), conf, scorer


def _join_pieces(quads: list[npt.NDArray[np.float32]]) -> list[npt.NDArray[np.float32]]:
    """Join boxes that are pieces of one line (split at quotes or wide glyph gaps).

    Widening pieces separately would read the glyphs between them twice; one crop of
    the whole line also gives the recogniser the context of its neighbours.
    """

    def height(q: npt.NDArray[np.float32]) -> float:
        return (float(np.hypot(*(q[3] - q[0]))) + float(np.hypot(*(q[2] - q[1])))) / 2

    items = sorted(quads, key=lambda q: float(q[:, 0].min()))
    out: list[npt.NDArray[np.float32]] = []
    for q in items:
        h = height(q)
        x0 = float(q[:, 0].min())
        left_y = float(q[0, 1] + q[3, 1]) / 2  # tilted lines: compare facing edges
        for i, prev in enumerate(out):
            ph = height(prev)
            px0, px1 = float(prev[:, 0].min()), float(prev[:, 0].max())
            right_y = float(prev[1, 1] + prev[2, 1]) / 2
            lo, hi = min(h, ph), max(h, ph)
            if (
                lo > 0 and hi / lo < 1.6 and abs(left_y - right_y) < 0.4 * lo
                and -1.0 * lo < x0 - px1 < 1.2 * lo and x0 > px0
            ):
                out[i] = np.array([prev[0], q[1], q[2], prev[3]], np.float32)
                break
        else:
            out.append(q)
    return out


def _mark_gaps(text: str, frames: npt.NDArray[np.intp]) -> str:
    """``text`` with a space where the glyphs stand unusually far apart.

    The recogniser emits each glyph at a frame; a spacing of more than 1.6 times the
    median is an empty glyph cell, where a thin glyph such as a quotation mark stood
    and was not read. The grammar treats such a space as a possible lost quote, as it
    does for the space the row joiner writes between two detector boxes.
    """
    if len(text) < 5 or len(frames) != len(text):
        return text
    steps = np.diff(frames.astype(np.float64))
    med = float(np.median(steps))
    if med <= 0:
        return text
    out = [text[0]]
    for i, step in enumerate(steps):
        if step > 1.6 * med and not text[i].isspace():
            out.append(" ")
        out.append(text[i + 1])
    return "".join(out)


def _free_ends(
    pts: npt.NDArray[np.float32], others: Sequence[npt.NDArray[np.float32]]
) -> tuple[bool, bool]:
    """Whether the quad's left and right ends have no other box of its line close by.

    Only free ends are widened, so a glyph between two pieces is not read twice.
    """
    h = (float(np.hypot(*(pts[3] - pts[0]))) + float(np.hypot(*(pts[2] - pts[1])))) / 2
    x0, x1 = float(pts[:, 0].min()), float(pts[:, 0].max())
    ly, ry = float(pts[0, 1] + pts[3, 1]) / 2, float(pts[1, 1] + pts[2, 1]) / 2
    left = right = True
    for q in others:
        qx0, qx1 = float(q[:, 0].min()), float(q[:, 0].max())
        qly, qry = float(q[0, 1] + q[3, 1]) / 2, float(q[1, 1] + q[2, 1]) / 2
        if abs(qry - ly) < 0.6 * h and -0.5 * h < x0 - qx1 < 2.0 * h:
            left = False
        if abs(qly - ry) < 0.6 * h and -0.5 * h < qx0 - x1 < 2.0 * h:
            right = False
    return left, right


def _widen(pts: npt.NDArray[np.float32], by: float, w: int, h: int, *,
           left: bool = True, right: bool = True) -> npt.NDArray[np.float32]:
    """A TL, TR, BR, BL quad lengthened by ``by`` times its height at its free ends."""
    tl, tr, br, bl = pts
    along = (tr - tl) + (br - bl)
    norm = float(np.hypot(*along))
    if norm < 1e-6:
        return pts
    u = along / norm
    height = (float(np.hypot(*(bl - tl))) + float(np.hypot(*(br - tr)))) / 2
    d = u * by * height
    dl = d if left else 0 * d
    dr = d if right else 0 * d
    out = np.array([tl - dl, tr + dr, br + dr, bl - dl], np.float32)
    out[:, 0] = np.clip(out[:, 0], 0, w - 1)
    out[:, 1] = np.clip(out[:, 1], 0, h - 1)
    return out


def _upright_crop(img: ImageArray, pts: npt.NDArray[np.float32]) -> ImageArray | None:
    """The quad's content warped to an upright rectangle (as RapidOCR crops lines)."""
    cw = int(max(np.linalg.norm(pts[0] - pts[1]), np.linalg.norm(pts[2] - pts[3])))
    chh = int(max(np.linalg.norm(pts[0] - pts[3]), np.linalg.norm(pts[1] - pts[2])))
    if cw < 2 or chh < 2:
        return None
    dst = np.array([[0, 0], [cw, 0], [cw, chh], [0, chh]], np.float32)
    m = cv2.getPerspectiveTransform(pts.astype(np.float32), dst)
    out = cv2.warpPerspective(img, m, (cw, chh), borderMode=cv2.BORDER_REPLICATE,
                              flags=cv2.INTER_CUBIC)
    if chh >= 1.5 * cw:
        out = np.rot90(out)
    return np.ascontiguousarray(out, np.uint8)


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
_THREADS = -1  # onnxruntime's default: one thread per physical core


def set_threads(n: int) -> None:
    """Threads each OCR model may use, for engines loaded after this call (-1: all cores).

    A batch worker is given its share of the cores: onnxruntime's default pool in every
    worker put 4 spinning threads on 2 cores and made 2 workers no faster than 1.
    """
    global _THREADS
    _THREADS = int(n)


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
                _ENGINE = OcrEngine(threads=_THREADS)
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
