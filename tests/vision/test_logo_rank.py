"""The window ranker shipped in the package (``gkcheck.vision.logo.rank``).

It re-orders the search's windows before verification. These tests build photos whose answer
is plain -- the LOGO pasted on a textured backdrop beside another design -- and check the
input frames each window as the template is framed, at every size the search proposes, and
that the network (as the detector runs it) puts the LOGO's window first.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from gkcheck.vision.logo import LogoDetector, LogoTemplate
from gkcheck.vision.logo.rank import RANK_SIZE, rank, template_input, window_input
from gkcheck.vision.logo.search import Candidate

from ._support import paste_logo

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"


def _backdrop(w: int, h: int, seed: int) -> np.ndarray:
    """A textured red backdrop, the campaign's usual stage colour, with some noise."""
    rng = np.random.default_rng(seed)
    img = np.empty((h, w, 3), np.float32)
    img[:] = (40, 40, 170)
    img += cv2.GaussianBlur(rng.normal(0, 25, (h, w, 1)).astype(np.float32), (0, 0), 3)[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


def _agreement(x: np.ndarray) -> float:
    """Mean over the colour channels of the correlation of template and photo on the mask."""
    m = x[3] > 0
    return float(np.mean([np.corrcoef(x[c][m], x[4 + c][m])[0, 1] for c in range(3)]))


@pytest.mark.parametrize("width", [24, 80, 260])
def test_a_window_on_the_logo_is_framed_like_the_template(width: int) -> None:
    # from 24 px (upsampled) to 260 px (shrunk by an integer factor on a crop first), the
    # photo's half of the input lines up with the template's half: better than with the
    # window moved by one frame pixel either way, and far better than beside the LOGO
    tpl = LogoTemplate.load(DEMO)
    img = _backdrop(1024, 768, seed=width)
    cand = paste_logo(img, tpl, 600, 400, width)
    x = window_input(img, tpl, cand)
    assert x.shape == (7, RANK_SIZE, RANK_SIZE) and x.dtype == np.float32
    np.testing.assert_array_equal(x[:4], template_input(tpl))
    here = _agreement(x)
    assert here > (0.8 if width >= 80 else 0.6), here
    px = cand.w / 32  # one frame pixel in photo pixels
    for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        moved = Candidate(0.5, cand.cx + dx * px, cand.cy + dy * px, cand.w, cand.h)
        assert _agreement(window_input(img, tpl, moved)) < here
    beside = Candidate(0.5, cand.cx + width, cand.cy, cand.w, cand.h)
    assert _agreement(window_input(img, tpl, beside)) < 0.3


def test_windows_at_the_edge_and_grey_photos_give_an_input() -> None:
    tpl = LogoTemplate.load(DEMO)
    img = _backdrop(640, 480, seed=1)
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    for c in (Candidate(0.3, 2, 3, 300, 250), Candidate(0.3, 639, 479, 20, 16)):
        for photo in (img, grey):
            x = window_input(photo, tpl, c)
            assert x.shape == (7, RANK_SIZE, RANK_SIZE) and np.isfinite(x).all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_logo_s_window_is_ranked_first(seed: int, other_design: LogoTemplate) -> None:
    # the search scored every window alike; the LOGO is last in its order and first in the
    # ranker's, ahead of another design, the backdrop and a window half off the LOGO
    tpl = LogoTemplate.load(DEMO)
    img = _backdrop(1024, 768, seed)
    other = paste_logo(img, other_design, 250, 250, 150)
    logo = paste_logo(img, tpl, 700, 450, 140)
    cands = [
        Candidate(0.5, other.cx, other.cy, logo.w, logo.h),
        Candidate(0.5, 300, 600, logo.w, logo.h),
        Candidate(0.5, logo.cx - 0.5 * logo.w, logo.cy, logo.w, logo.h),
        logo,
    ]
    ranked = rank(img, tpl, cands)
    assert ranked[0] == logo
    assert rank(img, tpl, cands, weight=0.0) == cands  # off: the search's order


def test_the_detector_verifies_the_search_s_order_when_the_ranker_is_off() -> None:
    tpl = LogoTemplate.load(DEMO)
    img = _backdrop(1024, 768, seed=4)
    paste_logo(img, tpl, 500, 380, 180)
    for det in (LogoDetector([tpl]), LogoDetector([tpl], rank_weight=0.0)):
        m = det.detect_array(img)
        assert m.found and m.bbox is not None
        x0, y0, x1, y1 = m.bbox
        assert abs((x0 + x1) / 2 - 500) < 10 and abs((y0 + y1) / 2 - 380) < 10
