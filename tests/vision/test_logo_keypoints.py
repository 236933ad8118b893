"""The keypoint alignment for large LOGOs (``keypoints.py``) and its place in verification."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from gkcheck.vision.logo import LogoDetector, LogoTemplate
from gkcheck.vision.logo.clutter import clutter_image
from gkcheck.vision.logo.keypoints import fit_quad, template_features
from gkcheck.vision.logo.search import Candidate
from gkcheck.vision.logo.verify import verify_at

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_LOGO = ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"


def _seen_from_the_side() -> tuple[LogoTemplate, np.ndarray, np.ndarray]:
    """The sample LOGO ~260 px wide on a board turned ~30 deg away (its right side farther),
    over drawn clutter, as a JPEG would give it back: (template, photo, true corners)."""
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    tw, th = tpl.size
    back = cv2.resize(clutter_image(1), (800, 600), interpolation=cv2.INTER_LINEAR)
    true = np.array([[260, 150], [500, 185], [500, 415], [260, 450]], np.float64)
    true[:, 1] = 150 + (true[:, 1] - 150) * (th / tw) * (260 / 300)
    src = np.array([[0, 0], [tw, 0], [tw, th], [0, th]], np.float32)
    hm = cv2.getPerspectiveTransform(src, true.astype(np.float32))
    art = cv2.warpPerspective(tpl.bgr, hm, (800, 600), flags=cv2.INTER_AREA)
    ink = cv2.warpPerspective(tpl.ink, hm, (800, 600), flags=cv2.INTER_LINEAR)[..., None] / 255.0
    photo = (back * (1 - ink) + art * ink).astype(np.uint8)
    _ok, buf = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, 80])
    return tpl, cv2.imdecode(buf, cv2.IMREAD_COLOR), true


def test_the_template_has_keypoints_on_its_mark_only() -> None:
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    pts, des = template_features(tpl)
    assert des is not None and len(pts) >= 20 and des.shape == (len(pts), 128)
    near = cv2.dilate(tpl.ink, np.ones((9, 9), np.uint8))  # keypoints sit at sub-pixels
    assert all(near[round(y), round(x)] for x, y in pts)
    assert template_features(tpl)[0] is pts  # kept with the template


def test_keypoints_place_the_logo_from_a_window_half_off() -> None:
    tpl, photo, true = _seen_from_the_side()
    off = true + np.array([90.0, -40.0])  # a window beside the LOGO, overlapping it in part
    placed = fit_quad(photo, tpl, off)
    assert placed is not None
    assert np.abs(placed - true).max() < 6.0


def test_keypoints_refuse_a_place_with_no_logo() -> None:
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    empty = cv2.resize(clutter_image(2), (800, 600))
    quad = np.array([[260, 150], [500, 150], [500, 400], [260, 400]], np.float64)
    assert fit_quad(empty, tpl, quad) is None


def test_a_large_candidate_scoring_low_is_placed_again_by_its_keypoints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # verification stands in for an ECC that stopped beside the LOGO: it returns the scores
    # of a quad shifted by a third of the LOGO; the detector then tries the keypoints' place
    import gkcheck.vision.logo.detector as det_mod

    tpl, photo, true = _seen_from_the_side()
    gray = tpl.project(photo)
    kw = {"size": 96, "strict": True, "grey_chroma": 6.0, "learned": True}

    def stopped_beside(g, b, t, c, **_kw):  # type: ignore[no-untyped-def]
        return verify_at(g, b, t, true + np.array([80.0, 30.0]), **kw)

    monkeypatch.setattr(det_mod, "verify", stopped_beside)
    cand = Candidate(1.0, 380.0, 300.0, 240.0, 240.0)
    det = LogoDetector([tpl], keypoint_floor=0.0)
    beside = stopped_beside(gray, photo, tpl, cand)
    assert beside is not None and det._score(beside) < 0.3
    v = det._verify(gray, photo, tpl, cand, min_start=0.0)
    assert v is not None and det._score(v) >= det.threshold
    assert np.abs(v.quad - true).max() < 6.0
    # turned off, or the first score under the floor: the first alignment stands
    for other in (LogoDetector([tpl], keypoint_min=0), LogoDetector([tpl], keypoint_floor=0.3)):
        v_other = other._verify(gray, photo, tpl, cand, min_start=0.0)
        assert v_other is not None and other._score(v_other) == pytest.approx(det._score(beside))


def test_the_clutter_threshold_may_use_keypoints_without_deadlock() -> None:
    # the clutter threshold is worked out under the template's lock and verifies candidates,
    # which may ask for the template's keypoints, kept under the same lock
    det = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)], keypoint_min=1.0, keypoint_floor=0.0)
    out: list[float] = []
    worker = threading.Thread(target=lambda: out.append(det.threshold_for(det.templates[0])))
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive() and out and out[0] >= det.threshold
