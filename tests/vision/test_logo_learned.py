"""The pair verifier shipped in the package (``gkcheck.vision.logo.learned``).

It compares a template with an aligned photo patch; these tests give it pairs whose answer is
plain -- the LOGO photographed (blurred, noisy, darker) against another design, the backdrop
alone and noise -- and check the network answers them as the detector calls it (OpenCV's DNN
module; onnxruntime when OpenCV cannot read the model: both give the same answers).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from gkcheck.vision.logo import LogoTemplate
from gkcheck.vision.logo.learned import PAIR_SIZE, pair_input, pair_probability

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"


def _seen(tpl: LogoTemplate, w: int, h: int) -> tuple[np.ndarray, np.ndarray]:
    t_img, t_mask = tpl.gray_at(w, h, strict=True)
    return t_img, t_mask.astype(np.uint8)


def _photographed(img: np.ndarray, seed: int) -> np.ndarray:
    """``img`` as a camera might give it back: blurred, darker and flatter, noisy."""
    rng = np.random.default_rng(seed)
    out = cv2.GaussianBlur(img, (0, 0), 1.2) * 0.7 + 25
    return (out + rng.normal(0, 4, img.shape)).astype(np.float32)


def test_input_is_template_photo_mask_product_and_difference() -> None:
    tpl = LogoTemplate.load(DEMO)
    t_img, seen = _seen(tpl, 96, 78)
    x = pair_input(t_img, t_img, seen)
    assert x.shape == (1, 5, PAIR_SIZE, PAIR_SIZE) and x.dtype == np.float32
    m = x[0, 2]
    # zero-mean on the mask (the channel is (a - mean) / sd times the mask)
    assert abs(float(x[0, 0].sum() / m.sum())) < 0.01
    np.testing.assert_allclose(x[0, 3], x[0, 0] * x[0, 1], atol=1e-6)
    np.testing.assert_allclose(x[0, 4], np.abs(x[0, 0] - x[0, 1]), atol=1e-6)
    assert float(np.abs(x[0, 4]).max()) < 1e-5  # a patch identical to the template


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_logo_photographed_matches_other_things_do_not(
    seed: int, other_design: LogoTemplate
) -> None:
    tpl = LogoTemplate.load(DEMO)
    w, h = 96, round(96 * tpl.size[1] / tpl.size[0])
    t_img, seen = _seen(tpl, w, h)
    same = pair_probability(t_img, _photographed(t_img, seed), seen)
    other_img, _ = other_design.gray_at(w, h)
    other = pair_probability(t_img, _photographed(other_img, seed), seen)
    rng = np.random.default_rng(seed)
    noise = pair_probability(t_img, rng.normal(128, 30, t_img.shape).astype(np.float32), seen)
    flat = pair_probability(t_img, np.full(t_img.shape, 120, np.float32), seen)
    assert same > 0.5, same
    assert max(other, noise, flat) < 0.5, (other, noise, flat)
    assert same > max(other, noise, flat) + 0.3


def test_the_detector_asks_the_network_only_when_it_weighs_it() -> None:
    # on by default; with learned_weight=0 it is not asked (Verified.learned 0.0). Both ways
    # the committed samples keep their verdicts, and the network is sure of each
    import json

    from gkcheck.vision.logo import LogoDetector

    samples = ROOT / "samples" / "logo"
    truth = json.loads((samples / "truth.json").read_text(encoding="utf-8"))
    off = LogoDetector([LogoTemplate.load(DEMO)], learned_weight=0.0, threshold=0.80)
    on = LogoDetector([LogoTemplate.load(DEMO)])
    for t in truth:
        a, b = off.detect(samples / t["file"]), on.detect(samples / t["file"])
        assert a.found is b.found is t["positive"], t["file"]
        learned = on.last_stats["parts"][-1]
        # a negative's best candidate is whichever look-alike aligned best (the half-resolution
        # starts of the eighteenth session align one on neg-text-title at 0.20)
        assert (learned > 0.9) if t["positive"] else (learned < 0.25), (t["file"], learned)
    off.detect((samples / truth[0]["file"]).read_bytes(), first_hit=False)
    assert off.last_stats["parts"][-1] == 0.0


def test_opencv_and_onnxruntime_give_the_same_answers(other_design: LogoTemplate) -> None:
    # the detector runs the network with OpenCV's DNN module and falls back on onnxruntime:
    # on real pairs (the LOGO photographed, another design) both say the same
    from importlib import resources

    from gkcheck.vision.logo import network

    data = resources.files("gkcheck").joinpath("data", "logo", "pair-verifier.onnx").read_bytes()
    cv = network.Runner(data)
    ort = network.Runner(data, backend="onnxruntime")
    assert (cv.backend, ort.backend) == ("opencv", "onnxruntime")
    tpl, other = LogoTemplate.load(DEMO), other_design
    logits = []
    for src in (tpl, other):
        t_img, seen = _seen(tpl, 96, 78)
        photo = _photographed(src.gray_at(96, 78)[0], seed=3)
        x = pair_input(t_img, photo, seen)
        logits.append(cv.logit(x))
        assert abs(logits[-1] - ort.logit(x)) < 1e-3
    assert logits[0] > 0 > logits[1]  # the LOGO matches, the other design does not
