"""The OCR engine wrapper: bundled models, size bound with box mapping, lazy singleton."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from gkcheck.vision import ocr
from gkcheck.vision.ocr import (
    OcrEngine,
    OcrLine,
    OcrUnavailable,
    get_engine,
    merge_rows,
)

PHOTO = Path(__file__).resolve().parents[2] / "samples" / "banner" / "101-valid-plain-cloth-1l.jpg"


def _line(text: str, x0: float, y0: float, x1: float, y1: float) -> OcrLine:
    quad = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
    return OcrLine(text, quad, (x0, y0, x1, y1), 0.9)


def test_engine_loads_models_from_package() -> None:
    eng = get_engine()
    assert "rapidocr_onnxruntime" in str(eng.model_dir)
    assert (eng.model_dir / "ch_PP-OCRv4_det_infer.onnx").is_file()


def test_lazy_singleton_thread_safe() -> None:
    ocr.reset_engine()
    assert not ocr.engine_loaded()
    got: list[OcrEngine] = []
    threads = [threading.Thread(target=lambda: got.append(get_engine())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ocr.engine_loaded()
    assert len(got) == 4 and all(g is got[0] for g in got)
    assert get_engine() is got[0]


def test_unavailable_when_models_missing(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "_package_model_dir", lambda: tmp_path)
    ocr.reset_engine()
    try:
        with pytest.raises(OcrUnavailable) as exc:
            get_engine()
        assert "missing" in exc.value.reason
        with pytest.raises(OcrUnavailable):  # remembered, not retried
            get_engine()
    finally:
        ocr.reset_engine()


def test_reads_committed_photo_and_maps_boxes_back() -> None:
    img = cv2.imread(str(PHOTO))
    assert img is not None
    h, w = img.shape[:2]
    eng = get_engine()
    big = eng.read(img, max_side=1600, use_cls=False)
    small = eng.read(img, max_side=800, use_cls=False)
    text = "".join(li.text for li in big)
    assert "政务公开主题日" in text
    for lines in (big, small):
        for li in lines:
            x0, y0, x1, y1 = li.bbox
            assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
    def banner_box(lines: list[OcrLine]) -> tuple[float, float, float, float]:
        return max(lines, key=lambda li: li.bbox[2] - li.bbox[0]).bbox
    b1, b2 = banner_box(big), banner_box(small)
    # The same banner line, read at half the resolution, lands in the same place.
    assert all(abs(a - b) < 0.03 * w for a, b in zip(b1, b2, strict=True))
    assert b2[2] > 800  # full-size coordinates, not the 800-px working copy


def test_read_accepts_grey_and_tiny_images() -> None:
    eng = get_engine()
    assert eng.read(np.zeros((1, 1), np.uint8)) == []
    assert eng.read(np.full((60, 200), 255, np.uint8)) == []


def test_merge_rows_groups_baselines_in_reading_order() -> None:
    lines = [
        _line("“活动", 520, 102, 700, 150),
        _line("雨花区", 100, 100, 300, 150),
        _line("暨宣讲", 150, 200, 450, 250),
        _line("2023年", 310, 98, 510, 148),
        _line("小字", 100, 160, 140, 170),
    ]
    rows = merge_rows(lines)
    assert [r.text for r in rows] == ["雨花区2023年“活动", "小字", "暨宣讲"]
    assert rows[0].bbox == (100, 98, 700, 150)
    gap = merge_rows([_line("甲", 0, 0, 50, 50), _line("乙", 200, 0, 250, 50)])
    assert gap[0].text == "甲 乙"


def test_merge_rows_follows_a_tilted_line() -> None:
    # A 4-degree tilt: the right end sits ~40 px lower than the left over 600 px.
    def tilted(text: str, x: float) -> OcrLine:
        dy = 0.07 * x
        quad = ((x, 100 + dy), (x + 150, 110.5 + dy), (x + 150, 150.5 + dy), (x, 140 + dy))
        return OcrLine(text, quad, (x, 100 + dy, x + 150, 150.5 + dy), 0.9)
    rows = merge_rows([tilted("甲", 0), tilted("乙", 160), tilted("丙", 320), tilted("丁", 480)])
    assert len(rows) == 1 and rows[0].text == "甲乙丙丁"


def test_ctc_scorer_ranks_alternatives() -> None:
    from gkcheck.vision.ocr import CtcScorer

    # Frames: blank, 甲, blank, 乙 (unsure: 丙 close behind), blank.
    chars = {"甲": 1, "乙": 2, "丙": 3, "丁": 4}
    probs = np.full((5, 5), 1e-4, np.float32)
    probs[0, 0] = probs[2, 0] = probs[4, 0] = 0.99
    probs[1, 1] = 0.99
    probs[3, 2], probs[3, 3] = 0.6, 0.39
    scorer = CtcScorer(probs, chars, "甲乙")
    assert scorer.margin("甲乙") == pytest.approx(0.0, abs=1e-6)
    assert -1.0 < scorer.margin("甲丙") < 0  # the recogniser's close second
    assert scorer.margin("甲丁") < -5  # a glyph it did not see
    assert scorer.margin("甲 乙") == pytest.approx(0.0, abs=1e-6)  # gap marks ignored
    assert scorer.margin("甲乙乙") < -5


def test_mark_gaps_where_a_glyph_is_missing() -> None:
    from gkcheck.vision.ocr import _mark_gaps

    frames = np.array([0, 4, 8, 20, 24, 28])
    assert _mark_gaps("甲乙丙丁戊己", frames) == "甲乙丙 丁戊己"
    assert _mark_gaps("甲乙丙丁戊己", np.arange(0, 24, 4)) == "甲乙丙丁戊己"


def test_join_pieces_and_free_ends() -> None:
    from gkcheck.vision.ocr import _free_ends, _join_pieces

    def box(x0: float, x1: float, y0: float = 100, y1: float = 150) -> np.ndarray:
        return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)

    joined = _join_pieces([box(400, 700), box(100, 380), box(100, 300, 400, 450)])
    spans = sorted((float(q[:, 0].min()), float(q[:, 0].max())) for q in joined)
    assert spans == [(100, 300), (100, 700)]  # two pieces of a line; a line far below
    assert _free_ends(box(100, 300), [box(320, 500)]) == (True, False)
    assert _free_ends(box(100, 300), [box(900, 1000)]) == (True, True)
