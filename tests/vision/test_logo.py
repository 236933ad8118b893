"""LOGO detector on the committed sample set and on font-free drawn images."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

try:
    from gkcheck.vision.imageio import ImageDecodeError
    from gkcheck.vision.logo import LogoDetector, LogoMatch, LogoTemplate
except ModuleNotFoundError:  # bare checkout
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    from gkcheck.vision.imageio import ImageDecodeError
    from gkcheck.vision.logo import LogoDetector, LogoMatch, LogoTemplate

from gkcheck.vision.logo.verify import Verified

from ._support import in_one_ink, paste_logo, wall_scene

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "logo"
SAMPLE_LOGO = ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"
TRUTH = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))


def iou(a, b) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


@pytest.fixture(scope="module")
def detector() -> LogoDetector:
    return LogoDetector([LogoTemplate.load(SAMPLE_LOGO)])


@pytest.mark.parametrize("case", TRUTH, ids=[t["file"] for t in TRUTH])
def test_committed_samples(detector: LogoDetector, case: dict) -> None:
    m = detector.detect(SAMPLES / case["file"])
    assert isinstance(m, LogoMatch)
    assert m.found is case["positive"], (case["file"], m.score)
    if case["positive"]:
        assert m.bbox is not None and iou(m.bbox, case["bbox"]) > 0.5
        assert m.quad is not None and len(m.quad) == 4
        assert m.template == "sample-logo.png"
        assert m.scale is not None and m.scale > 0


def test_bytes_input_and_cache(detector: LogoDetector) -> None:
    data = (SAMPLES / "pos-backdrop.jpg").read_bytes()
    a = detector.detect(data)
    b = detector.detect(data)
    assert a == b and a.found
    c = detector.detect(data, first_hit=False)
    assert c.found and c.score >= a.score - 1e-6


@pytest.mark.parametrize(
    "name", ["truncated.jpg", "not-an-image.jpg", "huge-header.png", "huge-header.jpg"]
)
def test_bad_inputs_raise_clear_errors(detector: LogoDetector, name: str) -> None:
    with pytest.raises(ImageDecodeError):
        detector.detect(SAMPLES / name)


# ---------------------------------------------------------------- drawn, no fonts
def _emblem(kind: str) -> np.ndarray:
    """A LOGO drawn without fonts: a mark on top and a row of glyph-like blocks."""
    t = np.full((260, 300, 3), 255, np.uint8)
    if kind == "a":
        cv2.circle(t, (150, 85), 70, (30, 20, 200), 14)
        cv2.rectangle(t, (118, 45), (182, 125), (20, 170, 230), -1)
        cv2.line(t, (100, 120), (200, 50), (30, 20, 200), 9)
    elif kind in ("solid-striped", "solid-plain", "solid-hue-striped"):
        # a filled mark whose only detail is drawn inside it, and the same shape without it
        cv2.circle(t, (150, 85), 72, (140, 120, 20), -1)
        if kind != "solid-plain":
            # light stripes; or ("hue") stripes of the disc's own grey in another colour
            colour = (40, 75, 180) if kind == "solid-hue-striped" else (200, 235, 250)
            for y in (55, 85, 115):
                cv2.line(t, (100, y), (200, y), colour, 9)
    else:
        pts = np.array([[150, 15], [225, 150], [75, 150]], np.int32)
        cv2.fillPoly(t, [pts], (160, 70, 20))
        cv2.circle(t, (150, 105), 25, (255, 255, 255), -1)
    rng = np.random.default_rng(7)  # same "text" line under both marks
    for i in range(7):
        x = 22 + i * 38
        for _ in range(4):
            x0, y0 = x + int(rng.integers(0, 20)), 185 + int(rng.integers(0, 35))
            cv2.rectangle(
                t,
                (x0, y0),
                (x0 + int(rng.integers(4, 16)), y0 + int(rng.integers(4, 14))),
                (30, 20, 200),
                -1,
            )
    return t


def _photo(
    logo: np.ndarray | None, *, width: int, angle: float, center: tuple[int, int], seed: int = 0
):
    rng = np.random.default_rng(seed)
    H, W = 600, 800
    img = np.empty((H, W, 3), np.uint8)
    img[:] = (190, 200, 210)
    cv2.rectangle(img, (0, 450), (W, H), (70, 80, 90), -1)
    cv2.rectangle(img, (60, 40), (740, 420), (230, 225, 215), -1)
    for _ in range(8):  # clutter: dark squares, circles, bars
        x, y = int(rng.integers(0, W - 80)), int(rng.integers(0, H - 80))
        cv2.rectangle(img, (x, y), (x + 40, y + 40), (40, 40, 40), -1)
        cv2.circle(img, (int(rng.integers(0, W)), int(rng.integers(0, H))), 30, (30, 30, 180), 6)
    box = None
    if logo is not None:
        h, w = logo.shape[:2]
        s = width / w
        M = cv2.getRotationMatrix2D((w / 2, h / 2), angle, s)
        M[:, 2] += [center[0] - w / 2, center[1] - h / 2]
        warped = cv2.warpAffine(logo, M, (W, H), borderValue=(0, 0, 0))
        mask = cv2.warpAffine(np.full((h, w), 255, np.uint8), M, (W, H))
        img[mask > 128] = warped[mask > 128]
        ys, xs = np.nonzero(mask > 128)
        box = (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
    noise = rng.normal(0, 4, img.shape)
    img = np.clip(img + noise, 0, 255).astype(np.uint8)
    _ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 85])
    return buf.tobytes(), box


@pytest.mark.parametrize(
    ("width", "angle", "center"),
    [(300, 0, (400, 250)), (120, 8, (250, 200)), (60, -6, (600, 350)), (440, 0, (400, 280))],
)
def test_drawn_logo_found(width: int, angle: float, center: tuple[int, int]) -> None:
    det = LogoDetector([LogoTemplate.from_array(_emblem("a"), name="a")])
    data, box = _photo(_emblem("a"), width=width, angle=angle, center=center)
    m = det.detect(data)
    assert m.found, m.score
    assert iou(m.bbox, box) > 0.5
    assert m.scale == pytest.approx(width / 300, rel=0.25)


def test_other_emblem_with_same_text_is_not_found() -> None:
    det = LogoDetector([LogoTemplate.from_array(_emblem("a"), name="a")])
    data, _ = _photo(_emblem("b"), width=300, angle=0, center=(400, 250))
    assert not det.detect(data).found
    data, _ = _photo(None, width=0, angle=0, center=(0, 0), seed=3)
    assert not det.detect(data).found


def test_detail_in_hue_only_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    # stripes that differ from their disc in hue but hardly in brightness (grey 103 on grey
    # 92): on an axis of 80 % luminance they were below what the search sees (a known limit
    # until the thirty-fifth session); the template's axis now keeps half their contrast
    from gkcheck.vision.logo import template

    data, box = _photo(_emblem("solid-hue-striped"), width=300, angle=0, center=(400, 250))
    det = LogoDetector([LogoTemplate.from_array(_emblem("solid-hue-striped"), name="s")])
    m = det.detect(data)
    assert m.found and m.bbox is not None and iou(m.bbox, box) > 0.5
    monkeypatch.setattr(template, "_LUMA", (0.8,))  # luminance's share fixed, as before
    # and no second alignment on edge strength (``edge_floor``), which finds the stripes'
    # faint edges on that axis too: the axis alone is what this test is about
    tpl = LogoTemplate.from_array(_emblem("solid-hue-striped"), name="s")
    assert not LogoDetector([tpl], edge_floor=-1.0).detect(data).found


def test_the_axis_keeps_half_the_contrast_of_the_logos_own_colours() -> None:
    # a LOGO that varies most in brightness (the demo mark) keeps 80 % luminance; one whose
    # colours differ in hue gets less, the first share that keeps half its own contrast
    def contrasts(tpl: LogoTemplate) -> tuple[float, float]:
        px = tpl.bgr[tpl.ink > 0].reshape(-1, 3).astype(np.float64)
        _w, vecs = np.linalg.eigh(np.cov((px - px.mean(axis=0)).T))
        own = vecs[:, -1] / np.abs(vecs[:, -1]).sum()
        return float((px @ tpl.axis.astype(np.float64)).std()), float((px @ own).std())

    luma = np.array([0.114, 0.587, 0.299])
    demo = LogoTemplate.load(SAMPLE_LOGO)
    px = demo.bgr[demo.ink > 0].reshape(-1, 3).astype(np.float64)
    v = np.linalg.eigh(np.cov((px - px.mean(axis=0)).T))[1][:, -1]
    v = (v if v.sum() >= 0 else -v) / np.abs(v).sum()
    mixed = 0.8 * luma + 0.2 * v
    assert np.allclose(demo.axis, mixed / np.abs(mixed).sum(), atol=1e-6)
    hue = LogoTemplate.from_array(_emblem("solid-hue-striped"), name="s")
    on_axis, own = contrasts(hue)
    assert on_axis >= 0.5 * own
    assert float(np.abs(hue.axis - demo.axis).max()) > 0.05  # not luminance's 80 %
    # and still a weighted brightness: no channel weighs against the others, so a print in
    # one ink, darker than its paper in every channel, keeps its contrast (unclipped, this
    # template's red weighed -0.03; set B's d2003, -0.14, lost a gold print)
    assert float(hue.axis.min()) >= 0.0


@pytest.mark.parametrize("width", [300, 160])
def test_same_silhouette_without_the_inner_detail_is_not_found(width: int) -> None:
    # the mark's outline against its surroundings matches; what is drawn inside does not
    det = LogoDetector([LogoTemplate.from_array(_emblem("solid-striped"), name="s")])
    data, _ = _photo(_emblem("solid-plain"), width=width, angle=0, center=(400, 250))
    assert not det.detect(data).found
    data, box = _photo(_emblem("solid-striped"), width=width, angle=0, center=(400, 250))
    m = det.detect(data)
    assert m.found, m.score
    assert iou(m.bbox, box) > 0.5


def test_several_templates_report_which() -> None:
    det = LogoDetector(
        [
            LogoTemplate.from_array(_emblem("b"), name="b"),
            LogoTemplate.from_array(_emblem("a"), name="a"),
        ]
    )
    data, _ = _photo(_emblem("a"), width=250, angle=0, center=(400, 250))
    m = det.detect(data)
    assert m.found and m.template == "a"


def test_template_mark_region_and_errors() -> None:
    t = LogoTemplate.from_array(_emblem("a"))
    _x0, _y0, _x1, y1 = t.mark_box
    assert y1 <= 0.75 * t.size[1]  # the mark, not the text line
    with pytest.raises(ValueError):
        LogoTemplate.from_array(np.full((50, 50, 3), 255, np.uint8))
    with pytest.raises(ValueError):
        LogoDetector([])


def test_quad_follows_rotation() -> None:
    det = LogoDetector([LogoTemplate.from_array(_emblem("a"), name="a")])
    data, _ = _photo(_emblem("a"), width=300, angle=12, center=(400, 250))
    m = det.detect(data)
    assert m.found
    (x0, y0), (x1, y1) = m.quad[0], m.quad[1]
    assert math.degrees(math.atan2(y1 - y0, x1 - x0)) == pytest.approx(-12, abs=4)


@pytest.mark.parametrize("side", ["right", "bottom"])
def test_partly_hidden_logo_found(side: str) -> None:
    """A person/object in front of the LOGO hides ~25 % of it; the mark stays visible."""
    det = LogoDetector([LogoTemplate.from_array(_emblem("a"), name="a")])
    logo = _emblem("a").copy()
    h, w = logo.shape[:2]
    if side == "right":
        cv2.rectangle(logo, (int(w * 0.75), 0), (w, h), (40, 35, 30), -1)
    else:
        cv2.rectangle(logo, (0, int(h * 0.75)), (w, h), (40, 35, 30), -1)
    data, box = _photo(logo, width=260, angle=0, center=(400, 250))
    m = det.detect(data)
    assert m.found, m.score
    assert iou(m.bbox, box) > 0.5


@pytest.mark.parametrize(
    "ink",
    [(30, 30, 200), (160, 60, 20), (20, 20, 20), (30, 150, 210)],
    ids=["red", "blue", "black", "gold"],
)
def test_a_logo_printed_in_one_ink_is_found_with_its_colour_template(
    detector: LogoDetector, ink: tuple[int, int, int]
) -> None:
    # a banner printed in one colour (gold on red, white on blue) is common at real events;
    # set B always prints a LOGO in its own colours, so the benchmark does not see this case.
    # A cap on the colour layout tried in the fifteenth session failed it in blue and gold
    # (docs/vision/logo.md)
    data, cand = wall_scene(in_one_ink(detector.templates[0], ink))
    m = detector.detect(data)
    assert m.found, m.score
    box = (cand.cx - cand.w / 2, cand.cy - cand.h / 2, cand.cx + cand.w / 2, cand.cy + cand.h / 2)
    assert iou(m.bbox, box) > 0.5


_RED, _ORANGE = (40, 30, 190), (0, 150, 240)


def _sun_with_red_rays() -> LogoTemplate:
    """A two-ink LOGO on white: an orange disc, four orange rays and four red ones."""
    art = np.full((300, 300, 3), 255, np.uint8)
    for k in range(8):
        a = k * math.pi / 4
        end = (int(150 + 130 * math.cos(a)), int(150 + 130 * math.sin(a)))
        cv2.line(art, (150, 150), end, _ORANGE if k % 2 == 0 else _RED, 22)
    cv2.circle(art, (150, 150), 45, _ORANGE, -1)
    return LogoTemplate.from_array(art, name="sun")


@pytest.mark.parametrize("seed", [0, 1])
def test_a_logo_printed_on_a_backdrop_of_its_own_ink_is_found(seed: int) -> None:
    # printed without its card on red cloth, the LOGO's red rays are the backdrop's: the
    # photo shows an orange sun and four rays, two colours, which ``photo_hues`` takes for
    # one hue (any two colours lie on one line), so the grey network used to be asked,
    # and it refused such LOGOs (0.74 here; set B's held81 0146 and the like, fortieth
    # session). Their colours sit where the template's do, so the colour network is asked
    # (``hue_route``), and with it they are found; without, they are not
    tpl = _sun_with_red_rays()
    rng = np.random.default_rng(seed)
    img = np.empty((600, 800, 3), np.uint8)
    img[:] = _RED
    cv2.rectangle(img, (0, 470), (800, 600), (60, 70, 80), -1)
    cand = paste_logo(img, tpl, 400 + 40 * seed, 240, 220 + 20 * seed)
    img = cv2.GaussianBlur(img, (0, 0), 1.0)
    img = np.clip(img + rng.normal(0, 3, img.shape), 0, 255).astype(np.uint8)
    data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 88])[1].tobytes()
    m = LogoDetector([tpl]).detect(data)
    assert m.found, m.score
    box = (cand.cx - cand.w / 2, cand.cy - cand.h / 2, cand.cx + cand.w / 2, cand.cy + cand.h / 2)
    assert iou(m.bbox, box) > 0.5
    assert not LogoDetector([tpl], hue_route=0).detect(data).found


_PURPLE, _TEAL = (112, 16, 112), (80, 112, 16)


def _wedges() -> LogoTemplate:
    """A purple disc with dark teal wedges: luminance puts the teal 24 levels above the
    purple, the colours' own direction, oriented by its weights' sum, the other way."""
    art = np.full((300, 300, 3), 255, np.uint8)
    cv2.circle(art, (150, 150), 135, _PURPLE, -1)
    for k in range(6):
        cv2.ellipse(art, (150, 150), (120, 120), k * 60, 0, 30, _TEAL, -1)
    cv2.circle(art, (150, 150), 35, _TEAL, -1)
    return LogoTemplate.from_array(art, name="wedges")


def test_a_logo_whose_colours_luminance_orders_the_other_way_is_found_in_black_and_white() -> None:
    # on its axis the template's purple is the lighter, in a black-and-white photo the teal
    # is: the search and the scores correlate the wedges against themselves (set B's
    # held158 d15805, 0.45). Tried again on the other orientation of its axis, it is found
    tpl = _wedges()
    data, cand = wall_scene(tpl, grey=True)
    assert not LogoDetector([tpl], axis_twin=False).detect(data).found
    m = LogoDetector([tpl]).detect(data)
    assert m.found, m.score
    assert m.template == "wedges"
    box = (cand.cx - cand.w / 2, cand.cy - cand.h / 2, cand.cx + cand.w / 2, cand.cy + cand.h / 2)
    assert iou(m.bbox, box) > 0.5


def test_the_other_axis_orders_the_logos_colours_as_luminance_does() -> None:
    tpl = _wedges()
    teal_minus_purple = np.subtract(_TEAL, _PURPLE).astype(np.float64)
    luma = np.array([0.114, 0.587, 0.299])
    assert luma @ teal_minus_purple > 20
    assert tpl.axis @ teal_minus_purple < -20  # oriented by its weights' sum
    other = tpl.other_axis()
    assert other is not None and other @ teal_minus_purple > 20
    twin = tpl.axis_twin()
    assert twin is not None and twin is tpl.axis_twin()  # kept with the template
    assert np.array_equal(twin.axis, other) and twin.bgr is tpl.bgr and twin.name == tpl.name
    # a LOGO whose colours vary mostly in lightness has one orientation
    assert LogoTemplate.load(SAMPLE_LOGO).other_axis() is None


def test_the_other_orientation_is_tried_only_when_nothing_passed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    real = LogoTemplate.axis_twin

    def spy(self: LogoTemplate) -> LogoTemplate | None:
        asked.append(self.name)
        return real(self)

    monkeypatch.setattr(LogoTemplate, "axis_twin", spy)
    tpl = _wedges()
    data, _ = wall_scene(tpl)  # in colour: found on its own axis
    assert LogoDetector([tpl]).detect(data).found
    assert asked == []
    data, _ = _photo(None, width=0, angle=0, center=(0, 0), seed=3)  # no LOGO
    assert not LogoDetector([tpl]).detect(data).found
    assert asked


def _panel_scene(
    tpl: LogoTemplate,
    backdrop: tuple[int, int, int],
    seed: int,
    centre: tuple[int, int],
    printed: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
) -> tuple[bytes, tuple[float, float, float, float]]:
    """``tpl`` 240 px wide, centred at ``centre``, on a backdrop panel hung on a grey wall,
    as ``printed(art, mask, backdrop)`` prints it (the artwork uint8 and its mask 0-1 at
    that size, the backdrop's colour); lightly blurred and noisy. The JPEG and the box."""
    rng = np.random.default_rng(seed)
    img = np.empty((600, 800, 3), np.uint8)
    img[:] = (150, 160, 170)
    cv2.rectangle(img, (0, 470), (800, 600), (60, 70, 80), -1)
    cv2.rectangle(img, (150, 60), (650, 440), backdrop, -1)
    w = 240
    h = round(w * tpl.size[1] / tpl.size[0])
    art = cv2.resize(tpl.bgr, (w, h), interpolation=cv2.INTER_AREA)
    m = cv2.resize(tpl.ink, (w, h), interpolation=cv2.INTER_AREA)[..., None] / 255.0
    x0, y0 = centre[0] - w // 2, centre[1] - h // 2
    out = printed(art, m, np.array(backdrop, np.float32))
    img[y0 : y0 + h, x0 : x0 + w] = np.clip(out, 0, 255).astype(np.uint8)
    img = cv2.GaussianBlur(img, (0, 0), 0.8)
    img = np.clip(img + rng.normal(0, 3, img.shape), 0, 255).astype(np.uint8)
    data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 88])[1].tobytes()
    return data, (x0, y0, x0 + w, y0 + h)


def _reversed_scene(
    tpl: LogoTemplate, backdrop: tuple[int, int, int], ink: tuple[int, int, int], seed: int
) -> tuple[bytes, tuple[float, float, float, float]]:
    """``tpl`` printed reversed on a backdrop panel (``_panel_scene``): its inks in ``ink``
    at the density their darkness gives, its paper (the canvas and the LOGO's own white) the
    backdrop's colour. Drawn from the artwork's luminance, not from ``reversed_twin``'s ink
    coverage."""

    def printed(art: np.ndarray, m: np.ndarray, back: np.ndarray) -> np.ndarray:
        dens = 1.0 - cv2.cvtColor(art, cv2.COLOR_BGR2GRAY).astype(np.float32)[..., None] / 255
        return back + (np.array(ink, np.float32) - back) * np.clip(1.6 * dens, 0, 1) * m

    return _panel_scene(tpl, backdrop, seed, (400 + 20 * seed, 230), printed)


@pytest.mark.parametrize(
    ("backdrop", "ink"),
    [
        ((40, 30, 170), (245, 245, 245)),
        ((140, 60, 20), (235, 240, 250)),
        ((30, 30, 30), (150, 220, 250)),
    ],
    ids=["white-on-red", "white-on-blue", "gold-on-black"],
)
def test_a_logo_printed_reversed_is_found_by_its_reversed_twin(
    detector: LogoDetector, backdrop: tuple[int, int, int], ink: tuple[int, int, int]
) -> None:
    # banners and backdrops print a LOGO reversed (反白): white on red or blue, its paper
    # the backdrop's colour. It correlates near -1 with its template; the search's most
    # negative windows, verified with the reversed twin, find it (fifty-third session)
    data, box = _reversed_scene(detector.templates[0], backdrop, ink, seed=1)
    assert not LogoDetector(detector.templates, reversed_keep=0).detect(data).found  # no round
    m = detector.detect(data)  # on by default since the fifty-sixth session: one window
    assert m.found, m.score
    assert iou(m.bbox, box) > 0.5
    assert m.template == detector.templates[0].name


def test_the_reversed_twin_is_tried_only_when_nothing_passed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    real = LogoTemplate.reversed_twin

    def spy(self: LogoTemplate) -> LogoTemplate:
        asked.append(self.name)
        return real(self)

    monkeypatch.setattr(LogoTemplate, "reversed_twin", spy)
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    data, _ = wall_scene(tpl)  # printed in its own colours: found upright
    assert LogoDetector([tpl], reversed_keep=3).detect(data).found
    assert asked == []
    data, _ = _photo(None, width=0, angle=0, center=(0, 0), seed=3)  # no LOGO
    assert not LogoDetector([tpl], reversed_keep=0).detect(data).found
    assert asked == []  # the round off
    assert not LogoDetector([tpl], reversed_keep=3).detect(data).found
    assert asked


def test_the_reversed_round_verifies_only_windows_at_its_floor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the upright search's most negative windows are everywhere -- clutter correlates -0.3 to
    # -0.6 with a template somewhere -- and each verified one costs a process its twin's first
    # use and a verification: only those that correlate at -``reversed_floor`` or below are
    # verified, and with none the twin is not touched (fifty-fourth session)
    asked: list[str] = []
    chosen: list[list[float]] = []
    real_twin, real_windows = LogoTemplate.reversed_twin, LogoDetector._reversed_windows

    def twin_spy(self: LogoTemplate) -> LogoTemplate:
        asked.append(self.name)
        return real_twin(self)

    offered: list[list[Any]] = []

    def windows_spy(self: LogoDetector, *args: Any) -> list[Any]:
        offered.append(list(args[-1]))
        out = real_windows(self, *args)
        chosen.append([c.score for c in out])
        return out

    monkeypatch.setattr(LogoTemplate, "reversed_twin", twin_spy)
    monkeypatch.setattr(LogoDetector, "_reversed_windows", windows_spy)
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    data, _ = _photo(None, width=0, angle=0, center=(0, 0), seed=3)  # no LOGO
    assert not LogoDetector([tpl], reversed_keep=3, reversed_floor=0.0).detect(data).found
    assert asked and len(chosen) == 1 and len(chosen[0]) == 3
    low, high = min(chosen[0]), max(chosen[0])
    assert low < high
    asked.clear()
    chosen.clear()
    middle = (low + high) / 2
    assert not LogoDetector([tpl], reversed_keep=3, reversed_floor=middle).detect(data).found
    assert len(chosen) == 1 and chosen[0] and all(s >= middle for s in chosen[0])
    asked.clear()
    chosen.clear()
    # the floor comes before the ranking (fifty-sixth session): with one window kept and the
    # floor at the most negative window, that window is verified, though the ranker puts
    # another first -- before, the ranker's first was taken and left out for its score
    assert not LogoDetector([tpl], reversed_keep=1, reversed_floor=0.0).detect(data).found
    ranked_first = chosen[0]
    top = max(c.score for c in offered[-1])
    chosen.clear()
    assert not LogoDetector([tpl], reversed_keep=1, reversed_floor=top).detect(data).found
    assert chosen == [[top]] and ranked_first != [top]
    asked.clear()
    chosen.clear()
    above = LogoDetector([tpl], reversed_keep=3, reversed_floor=1.01)  # no window reaches it
    assert not above.detect(data).found
    assert asked == [] and chosen == []


def test_a_reversed_window_is_verified_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # a reversed window passes only at the threshold + ``reversed_margin``: the refine tries
    # (again, grown, refit) and the edge try lifted none of set R's to there, and on a photo
    # without a LOGO they were three quarters of the round's cost (fifty-fourth session)
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    twin = tpl.reversed_twin()
    verified: list[tuple[bool, bool]] = []
    refined: list[str] = []
    real_verify, real_refine = LogoDetector._verify, LogoDetector._refine

    def verify_spy(
        self: LogoDetector, gray: Any, bgr: Any, t: LogoTemplate, *a: Any, **k: Any
    ) -> Any:
        if t is twin:
            verified.append((bool(k.get("edges")), bool(k.get("tries", True))))
        return real_verify(self, gray, bgr, t, *a, **k)

    def refine_spy(self: LogoDetector, gray: Any, work: Any, t: LogoTemplate, *a: Any) -> Any:
        refined.append("twin" if t is twin else "upright")
        return real_refine(self, gray, work, t, *a)

    det = LogoDetector([tpl], reversed_keep=3, reversed_floor=0.0)
    det.threshold_for(twin)  # its clutter threshold (``clutter.py``) first: not the photo's
    monkeypatch.setattr(LogoDetector, "_verify", verify_spy)
    monkeypatch.setattr(LogoDetector, "_refine", refine_spy)
    data, _ = _photo(None, width=0, angle=0, center=(0, 0), seed=3)  # no LOGO
    assert not det.detect(data).found
    # its three windows, each once: no edge try, no keypoint or occluder try
    assert verified == [(False, False)] * 3
    assert "twin" not in refined and "upright" in refined


def test_the_reversed_round_comes_after_the_fine_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    # a small LOGO found only by the fine pass (held212 0135) was pre-empted by a reversed
    # window passing first at the working resolution: the reversed round is the last try
    calls: list[str] = []
    real = LogoDetector._search

    def spy(self: LogoDetector, *args: Any, **kwargs: Any) -> LogoMatch:
        calls.append(
            "reversed" if kwargs.get("reversed_of") is not None
            else "knockout" if kwargs.get("knockout_of") is not None
            else "fine" if not kwargs.get("twins", True) else "coarse"
        )  # fmt: skip
        return real(self, *args, **kwargs)

    monkeypatch.setattr(LogoDetector, "_search", spy)
    # LOGO "a" in a 12 MP photo, looked for with "b": nothing passes, every pass runs
    data, _box = _large_photo(7, (4000, 3000), (200, 150, 3800, 2200), 20, 88, (600, 900))
    b = LogoTemplate.from_array(_emblem("b"), name="b")
    det = LogoDetector([b], reversed_keep=3, knockout_keep=0)
    assert not det.detect(data).found
    assert calls == ["coarse", "fine", "reversed"]
    # and the knockout round (on by default) after it ("b" holds white inside its triangle)
    calls.clear()
    det = LogoDetector([b], reversed_keep=3)
    assert not det.detect(data).found
    assert calls == ["coarse", "fine", "reversed", "knockout"]


def test_the_reversed_twin_is_the_logos_ink_coverage_on_its_own_mask() -> None:
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    twin = tpl.reversed_twin()
    assert twin is tpl.reversed_twin()  # kept with the template
    assert twin.name == tpl.name and twin.is_demo == tpl.is_demo
    assert twin.ink is tpl.ink and twin.mark_box == tpl.mark_box
    b, g, r = cv2.split(twin.bgr)
    assert np.array_equal(b, g) and np.array_equal(g, r)  # one grey: the ink, not its colour
    inside = tpl.ink > 0
    want = 255 - tpl.bgr.min(axis=2)
    assert np.array_equal(b[inside], want[inside])
    assert not b[~inside].any()  # the canvas is paper: the backdrop's colour, dark


def _knockout_scene(
    tpl: LogoTemplate, backdrop: tuple[int, int, int], seed: int
) -> tuple[bytes, tuple[float, float, float, float]]:
    """``tpl`` printed from an export whose paper is transparent, on a backdrop panel
    (``_panel_scene``): its inks as drawn, its paper (what the artwork leaves light: every
    channel 200 or more) the backdrop's colour. Drawn from the artwork's pixels, not from
    ``knockout_twin``'s mask."""

    def printed(art: np.ndarray, m: np.ndarray, back: np.ndarray) -> np.ndarray:
        px = art.astype(np.float32)
        # ink where the lightest of the darkest channel is below paper (a smooth step 200-230)
        inked = np.clip((230.0 - px.min(axis=2, keepdims=True)) / 30.0, 0.0, 1.0) * m
        return back + (px - back) * inked

    return _panel_scene(tpl, backdrop, seed, (400 + 10 * seed, 250), printed)


# the coloured backdrops and the LED screen a knockout print is seen on
_ON_PANELS = pytest.mark.parametrize(
    "backdrop",
    [(40, 30, 170), (120, 50, 20), (30, 30, 30)],
    ids=["on-red", "on-blue", "on-black"],
)


@_ON_PANELS
def test_a_logo_printed_without_its_paper_is_found_by_its_knockout_twin(
    detector: LogoDetector, backdrop: tuple[int, int, int]
) -> None:
    # a LOGO exported with its white parts transparent, printed without a card on a
    # coloured backdrop or an LED screen: the backdrop shows inside its ring, where the
    # template is white. The window the upright search verified first, verified again with
    # the twin that leaves the paper out, finds it (fifty-seventh session; on by default
    # since the fifty-eighth, with the paper check)
    data, box = _knockout_scene(detector.templates[0], backdrop, seed=1)
    assert not LogoDetector(detector.templates, knockout_keep=0).detect(data).found  # no round
    m = detector.detect(data)
    assert m.found, m.score
    assert iou(m.bbox, box) > 0.5
    assert m.template == detector.templates[0].name


def _corners(box: tuple[float, float, float, float]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)


@_ON_PANELS
def test_the_paper_check_reads_the_backdrop_through_the_logos_paper(
    backdrop: tuple[int, int, int],
) -> None:
    # a knockout print shows its backdrop where the template is paper; the same LOGO with
    # its paper printed (white, or another colour) does not, whatever its inks match
    from gkcheck.vision.logo.paper import paper_distance

    tpl = LogoTemplate.load(SAMPLE_LOGO)
    twin = tpl.knockout_twin()
    assert twin is not None
    data, box = _knockout_scene(tpl, backdrop, seed=1)
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    through = paper_distance(img, tpl, twin, _corners(box))
    assert through is not None and through < 10

    def filled(fill: tuple[int, int, int] | None) -> Callable[..., np.ndarray]:
        def printed(art: np.ndarray, m: np.ndarray, back: np.ndarray) -> np.ndarray:
            px = art.astype(np.float32)
            if fill is not None:
                px = np.where(px.min(axis=2, keepdims=True) >= 215, np.float32(fill), px)
            return back + (px - back) * m

        return printed

    for fill in (None, (60, 170, 60)):  # its own white paper, a green one
        data, box = _panel_scene(tpl, backdrop, 1, (410, 250), filled(fill))
        img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        shown = paper_distance(img, tpl, twin, _corners(box))
        assert shown is not None and shown > 60, (fill, shown)
    # placed off the photo, or on a degenerate quad: nothing to read, and nothing read is
    # no pass
    assert paper_distance(img, tpl, twin, _corners((900, 700, 1000, 800))) is None
    assert paper_distance(img, tpl, twin, np.zeros((4, 2))) is None
    assert paper_distance(img, tpl, twin, _corners((10, 10, 10, 10))) is None


def test_a_knockout_pass_needs_the_backdrop_through_its_paper() -> None:
    # the knockout round's pass is refused when the paper's colour is farther from the ring
    # around the LOGO than ``knockout_paper`` (a knockout scene reads ~1: 0 refuses it)
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    data, box = _knockout_scene(tpl, (40, 30, 170), seed=1)
    m = LogoDetector([tpl], knockout_keep=1).detect(data)
    assert m.found and iou(m.bbox, box) > 0.5
    refused = LogoDetector([tpl], knockout_keep=1, knockout_paper=0.0).detect(data)
    assert not refused.found
    # a refused knockout window is not reported: the miss reports the upright search's best
    assert refused.score == LogoDetector([tpl], knockout_keep=0).detect(data).score


def test_a_knockout_window_whose_whole_logo_agrees_passes_by_the_smaller_margin() -> None:
    # a knockout window passes at the threshold + ``knockout_margin`` (0.06), or + 0.03 when
    # the whole LOGO's pixels agree by 0.75 (``knockout_whole``): a sibling design sharing
    # the LOGO's text reached 0.8245 with them at 0.65, the seven knockout prints just under
    # 0.83 had 0.77-0.95 (sixty-second session). Upright and reversed windows are not
    # concerned.
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    twin = tpl.knockout_twin()
    assert twin is not None
    det = LogoDetector([tpl], clutter_margin=0.0)  # the clutter thresholds aside
    assert det.knockout_whole == (0.03, 0.75)
    t = det.threshold
    agrees, differs = _parts(whole=0.75), _parts(whole=0.74)
    assert det._needed(tpl, twin, "knockout", agrees) == pytest.approx(t + 0.03)
    assert det._needed(tpl, twin, "knockout", differs) == pytest.approx(t + 0.06)
    assert det._needed(tpl, twin, "knockout") == pytest.approx(t + 0.06)  # nothing verified
    assert det._needed(tpl, tpl, "own", agrees) == pytest.approx(t)
    assert det._needed(tpl, tpl.reversed_twin(), "reversed", agrees) == pytest.approx(
        t + det.reversed_margin
    )
    # the smaller margin never raises the mark, and (0.06, ...) switches it off
    off = LogoDetector([tpl], clutter_margin=0.0, knockout_whole=(0.06, 0.75))
    assert off._needed(tpl, twin, "knockout", agrees) == pytest.approx(t + 0.06)
    wider = LogoDetector([tpl], clutter_margin=0.0, knockout_whole=(0.09, 0.0))
    assert wider._needed(tpl, twin, "knockout", differs) == pytest.approx(t + 0.06)


def test_the_knockout_twin_is_the_logos_inks_on_the_same_artwork() -> None:
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    twin = tpl.knockout_twin()
    assert twin is not None and twin is tpl.knockout_twin()  # kept with the template
    assert twin.name == tpl.name and twin.is_demo == tpl.is_demo
    assert twin.bgr is tpl.bgr and twin.mark_box == tpl.mark_box  # the artwork as drawn
    inside, kept = tpl.ink > 0, twin.ink > 0
    paper = inside & (tpl.bgr.min(axis=2) >= 215)
    assert np.array_equal(kept, inside & ~paper)  # the paper left out, as the canvas is
    assert 0.05 < paper.sum() / inside.sum() < 0.8  # the demo mark's ring holds white
    # a LOGO of inks alone has no paper to knock out: no twin, no round
    solid = LogoTemplate.from_array(_emblem("solid-plain"), name="solid")
    assert solid.knockout_twin() is None


def test_the_knockout_round_verifies_the_windows_verified_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the knockout round's windows are the first the upright search verified (and the
    # twin's own search's, ``knockout_search``, off here: the next test), and it runs only
    # when nothing passed, after the reversed round
    calls: list[str] = []
    offered: list[list[Any]] = []
    first: list[list[Any]] = []
    real_search, real_verify = LogoDetector._search, LogoDetector._verify

    def search_spy(self: LogoDetector, *args: Any, **kwargs: Any) -> LogoMatch:
        for kind in ("reversed", "knockout"):
            if kwargs.get(f"{kind}_of") is not None:
                calls.append(kind)
                offered.append([c for cs in kwargs[f"{kind}_of"].values() for c in cs])
                break
        else:
            calls.append("upright")
        return real_search(self, *args, **kwargs)

    def verify_spy(self: LogoDetector, gray: Any, bgr: Any, t: LogoTemplate, c: Any, **k: Any) -> Any:
        if calls and calls[-1] == "upright":
            first.append(c)
        return real_verify(self, gray, bgr, t, c, **k)

    monkeypatch.setattr(LogoDetector, "_search", search_spy)
    monkeypatch.setattr(LogoDetector, "_verify", verify_spy)
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    data, _ = wall_scene(tpl)  # printed as drawn: found upright, no round
    assert LogoDetector([tpl], knockout_keep=2).detect(data).found
    assert calls == ["upright"]
    calls.clear()
    first.clear()
    data, _ = _photo(None, width=0, angle=0, center=(0, 0), seed=3)  # no LOGO
    det = LogoDetector([tpl], knockout_keep=2, reversed_floor=0.0, knockout_search=0)
    assert not det.detect(data).found
    assert calls == ["upright", "reversed", "knockout"]
    # the upright search's first two verified windows (verified in threads, whose calls may
    # reach the spy in either order)
    assert len(offered[-1]) == 2 and set(offered[-1]) == set(first[:2])
    calls.clear()
    assert not LogoDetector([tpl], knockout_keep=0, reversed_floor=0.0).detect(data).found
    assert "knockout" not in calls


def test_the_knockout_search_adds_the_twins_own_window(monkeypatch: pytest.MonkeyPatch) -> None:
    # with ``knockout_search``, the knockout round also verifies the best window of a search
    # with the twin itself (LOGOs of ``knockout_search_min`` working px and more) that does
    # not overlap the upright search's first window by 0.8 or more (on by default)
    from gkcheck.vision.logo.detector import decode_ahead, working_image
    from gkcheck.vision.logo.search import propose

    offered: list[list[Any]] = []
    real_search = LogoDetector._search

    def search_spy(self: LogoDetector, *args: Any, **kwargs: Any) -> LogoMatch:
        if kwargs.get("knockout_of") is not None:
            offered.append([c for cs in kwargs["knockout_of"].values() for c in cs])
        return real_search(self, *args, **kwargs)

    monkeypatch.setattr(LogoDetector, "_search", search_spy)
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    twin = tpl.knockout_twin()
    assert twin is not None
    data, _ = _photo(None, width=0, angle=0, center=(0, 0), seed=3)  # no LOGO
    assert not LogoDetector([tpl], knockout_search=0).detect(data).found
    assert len(offered[-1]) == 1  # the upright search's first window alone
    det = LogoDetector([tpl])
    assert det.knockout_search == 1
    assert not det.detect(data).found
    first, extra = offered[-1]
    assert extra.overlap(first) < 0.8
    work = working_image(decode_ahead(data, det.max_side).image.pixels, det.max_side)
    own = propose(
        twin.project(work), twin, size=det.coarse_size, keep=2, per_level=det.peaks_per_level,
        per_octave=det.levels_per_octave, smallest=det.knockout_search_min,
    )  # fmt: skip
    assert extra == next(c for c in own if c.overlap(first) < 0.8)
    # every window the twin's search offers is for a LOGO of the band's size or more
    assert math.sqrt(extra.w * extra.h) >= 0.9 * det.knockout_search_min


def test_the_most_negative_windows_are_the_negative_templates_best() -> None:
    # the correlation with a template's negative is minus the correlation with the template:
    # the reversed round's windows cost no search of their own
    from gkcheck.vision.logo.search import Band, propose_bands, propose_both

    tpl, img, _centres = _five_copies()
    negative = LogoTemplate(name="negative", bgr=255 - tpl.bgr, ink=tpl.ink, mark_box=tpl.mark_box)
    assert np.allclose(negative.axis, tpl.axis)
    photo = 255 - img  # the copies printed negative
    bands = [Band(size=28.0, largest=60.0)]
    up, low = propose_both(tpl.project(photo), tpl, bands, per_level=3, keep=10)
    want = propose_bands(negative.project(photo), negative, bands, per_level=3, keep=10)
    assert up == propose_bands(tpl.project(photo), tpl, bands, per_level=3, keep=10)
    # the same windows with the same scores (equal ones in either order: the five copies)
    got = {(c.cx, c.cy, c.w, c.h): c.score for c in low[0]}
    wanted = {(c.cx, c.cy, c.w, c.h): c.score for c in want[0]}
    assert got.keys() == wanted.keys() and len(got) >= 3
    assert all(got[k] == pytest.approx(wanted[k], abs=1e-4) for k in got)


def test_partly_hidden_other_emblem_not_found() -> None:
    """Hiding part of a different emblem must not turn it into a hit."""
    det = LogoDetector([LogoTemplate.from_array(_emblem("a"), name="a")])
    logo = _emblem("b").copy()
    cv2.rectangle(logo, (0, 0), (logo.shape[1], int(logo.shape[0] * 0.3)), (40, 35, 30), -1)
    data, _ = _photo(logo, width=260, angle=0, center=(400, 250))
    assert not det.detect(data).found


def _large_photo(
    seed: int,
    size: tuple[int, int],
    backdrop: tuple[int, int, int, int],
    clutter: int,
    lw: int,
    at: tuple[int, int],
) -> tuple[bytes, tuple[int, int, int, int]]:
    """A phone-sized JPEG (``size`` = W, H) with LOGO "a" ``lw`` px wide at ``at`` (x, y)."""
    rng = np.random.default_rng(seed)
    W, H = size
    img = np.empty((H, W, 3), np.uint8)
    img[:] = (200, 205, 215)
    cv2.rectangle(img, backdrop[:2], backdrop[2:], (235, 230, 222), -1)
    for _ in range(clutter):
        x, y = int(rng.integers(0, W - 200)), int(rng.integers(0, H - 200))
        cv2.rectangle(img, (x, y), (x + 150, y + 150), (40, 40, 40), -1)
    logo = _emblem("a")
    small = cv2.resize(
        logo, (lw, round(logo.shape[0] * lw / logo.shape[1])), interpolation=cv2.INTER_AREA
    )
    x0, y0 = at
    img[y0 : y0 + small.shape[0], x0 : x0 + lw] = small
    img = np.clip(img + rng.normal(0, 3, img.shape), 0, 255).astype(np.uint8)
    _ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 88])
    return buf.tobytes(), (x0, y0, x0 + lw, y0 + small.shape[0])


def test_small_logo_in_large_photo() -> None:
    """A 12 MP-class phone photo with the LOGO ~3 % of its width (~100 px)."""
    data, box = _large_photo(5, (3264, 2448), (200, 150, 3000, 1700), 20, 100, (2300, 500))
    det = LogoDetector([LogoTemplate.from_array(_emblem("a"), name="a")])
    m = det.detect(data)
    assert m.found, m.score
    assert m.image_size == (3264, 2448)
    assert iou(m.bbox, box) > 0.4


def test_fine_pass_finds_tiny_logo_in_12mp_photo() -> None:
    """An 88 px LOGO in a 4000 x 3000 photo is ~22 px wide at the 1000 px working
    resolution: only the second, DCT-1/2 pass (run when the first finds
    nothing on a large photo) sees it."""
    data, box = _large_photo(7, (4000, 3000), (250, 200, 3700, 2100), 25, 88, (2900, 900))
    tpl = LogoTemplate.from_array(_emblem("a"), name="a")
    assert not LogoDetector([tpl], fine_side=0).detect(data).found
    m = LogoDetector([tpl]).detect(data)
    assert m.found, m.score
    assert m.image_size == (4000, 3000)
    assert iou(m.bbox, box) > 0.4


def test_fine_pass_finds_a_logo_smaller_than_its_search_template() -> None:
    """A 56 px LOGO in a 4000 x 3000 photo is 21 px wide in the sharper pass's 1536 px
    image, under the search's 28 px template: only the pass's small windows
    (``small_size``, a 16 px template) have a level for it."""
    data, box = _large_photo(7, (4000, 3000), (250, 200, 3700, 2100), 25, 56, (2900, 900))
    tpl = LogoTemplate.from_array(_emblem("a"), name="a")
    assert not LogoDetector([tpl], small_size=0).detect(data).found
    m = LogoDetector([tpl]).detect(data)
    assert m.found, m.score
    assert iou(m.bbox, box) > 0.5


def test_one_detector_serves_several_threads() -> None:
    # ``gkcheck logo --jobs`` shares one detector between threads: same answers as one by one
    from concurrent.futures import ThreadPoolExecutor

    files = [SAMPLES / t["file"] for t in TRUTH]
    alone = [LogoDetector([LogoTemplate.load(SAMPLE_LOGO)]).detect(f) for f in files]
    shared = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)])
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(shared.detect, files))
    assert together == alone


def test_threads_search_and_verify_one_photo_side_by_side_with_the_same_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ``threads``: one detection's pyramid levels and candidates in a pool of the detector's;
    # the same answers, first hit or best score, as in one thread
    import threading

    from gkcheck.vision.logo import detector as detector_mod

    where: set[str] = set()
    verify = detector_mod.verify

    def watched(*args: Any, **kwargs: Any) -> Any:
        where.add(threading.current_thread().name)
        return verify(*args, **kwargs)

    monkeypatch.setattr(detector_mod, "verify", watched)
    files = [SAMPLES / t["file"] for t in TRUTH]
    for first_hit in (True, False):
        one = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)])
        alone = [one.detect(f, first_hit=first_hit) for f in files]
        assert where == {threading.current_thread().name}
        where.clear()
        more = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)], threads=3)
        assert [more.detect(f, first_hit=first_hit) for f in files] == alone
        assert any(name.startswith("gkcheck-logo") for name in where)  # and the main
        # thread's own: the clutter threshold, a second look near the threshold
        where.clear()
    assert any(m.found for m in alone) and not all(m.found for m in alone)


def test_logo_cli_gives_one_photo_the_threads_and_several_one_each(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # ``-j N``: N photos at once; with fewer photos than N, each detection has the rest
    from gkcheck.cli import main
    from gkcheck.submission.resources import Resources

    monkeypatch.chdir(tmp_path)
    made: list[Any] = []
    for_config = Resources.for_config

    def noted(cfg: Any) -> Any:
        res = for_config(cfg)
        made.append(res)
        return res

    monkeypatch.setattr(Resources, "for_config", staticmethod(noted))
    photos = [str(SAMPLES / f) for f in ("pos-backdrop.jpg", "neg-other-emblem.jpg")]
    for jobs, paths, threads in (("4", photos[:1], 4), ("4", photos, 2), ("2", photos, 1)):
        main(["logo", "--format", "json", "-j", jobs, *paths])
        assert made[-1].logo_detector.threads == threads
        assert len(json.loads(capsys.readouterr().out)["results"]) == len(paths)


def test_logo_cli_does_not_load_what_only_a_submission_check_needs(tmp_path: Path) -> None:
    # a one-photo ``gkcheck logo`` process pays for every import: the schedule (its CSV
    # reader and tables) belongs to the submission checks, never to the LOGO command
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from gkcheck.cli import main\n"
        "main(sys.argv[1:])\n"
        "print(sorted(m for m in ('gkcheck.schedule', 'csv') if m in sys.modules))\n"
    )
    env = dict(os.environ, GKCHECK_CACHE_DIR=str(tmp_path / "cache"))
    out = subprocess.run(
        [sys.executable, "-c", code, "logo", "--logo", str(SAMPLE_LOGO), "--format", "json",
         str(SAMPLES / "pos-backdrop.jpg")],
        capture_output=True, text=True, check=True, cwd=tmp_path, env=env,
    )  # fmt: skip
    doc, _sep, loaded = out.stdout.rpartition("\n[")
    assert json.loads(doc)["results"][0]["found"]
    assert loaded.strip() == "]"


def test_logos_narrower_than_min_width_are_not_searched_for() -> None:
    # the finest pyramid levels are the costly ones; a LOGO below ``min_width`` (photo px)
    # is not looked for there, one above it still is
    data, box = _photo(_emblem("a"), width=60, angle=0, center=(400, 250))
    tpl = LogoTemplate.from_array(_emblem("a"), name="a")
    assert LogoDetector([tpl]).detect(data).found
    assert not LogoDetector([tpl], min_width=110).detect(data).found
    data, box = _photo(_emblem("a"), width=120, angle=0, center=(400, 250))
    m = LogoDetector([tpl], min_width=110).detect(data)
    assert m.found and iou(m.bbox, box) > 0.5


def test_found_with_the_ecc_of_older_opencv(monkeypatch: pytest.MonkeyPatch) -> None:
    # OpenCV < 4.12 has no findTransformECCWithMask (pyproject allows >= 4.9): the mask is
    # then warped into the photo and findTransformECC is used; same verdict
    from gkcheck.vision.logo import geometry

    monkeypatch.setattr(geometry, "_ECC_WITH_MASK", None)
    det = LogoDetector([LogoTemplate.from_array(_emblem("a"), name="a")])
    data, box = _photo(_emblem("a"), width=200, angle=5, center=(400, 250))
    m = det.detect(data)
    assert m.found, m.score
    assert iou(m.bbox, box) > 0.5


def test_gradient_histograms_of_a_plain_shape_agree_with_themselves() -> None:
    # a plain shield (mostly flat colour, a bar across it): its flat cells must neither count
    # as disagreement nor let the photo's sensor noise pass for detail
    from gkcheck.vision.logo.verify import _hog_sim

    tpl = np.full((120, 96), 230.0, np.float32)
    shield = np.array([[8, 6], [88, 6], [88, 70], [48, 114], [8, 70]], np.int32)
    cv2.fillPoly(tpl, [shield], 60.0)
    cv2.rectangle(tpl, (30, 20), (66, 30), 160.0, -1)
    mask = np.zeros(tpl.shape, np.uint8)
    cv2.fillPoly(mask, [shield], 1)
    rng = np.random.default_rng(3)
    assert _hog_sim(tpl, tpl, mask) > 0.99  # a mean of per-cell cosines gave 0.27 here
    photo = tpl + rng.normal(0.0, 2.0, tpl.shape).astype(np.float32)
    assert _hog_sim(tpl, photo, mask) > 0.8
    other = np.full_like(tpl, 60.0) + rng.normal(0.0, 2.0, tpl.shape).astype(np.float32)
    cv2.circle(other, (48, 60), 30, 160.0, -1)  # a disc where the shield has a bar
    assert _hog_sim(tpl, other, mask) < 0.4


def test_a_slope_of_light_does_not_hide_a_flat_logo() -> None:
    # a plain disc with a small bar (most of its pixels one flat colour), photographed with a
    # ramp of light across it: plain ZNCC is dominated by the ramp, the detrended one is not
    from gkcheck.vision.logo.correlate import zncc, zncc_detrended

    tpl = np.full((96, 96), 90.0, np.float32)
    cv2.rectangle(tpl, (40, 30), (56, 60), 40.0, -1)
    mask = np.zeros(tpl.shape, np.uint8)
    cv2.circle(mask, (48, 48), 44, 1, -1)
    ramp = np.tile(np.linspace(0.0, 120.0, 96, dtype=np.float32), (96, 1))
    photo = 0.8 * tpl + 30.0 + ramp
    assert zncc(tpl, photo, mask) < 0.6
    assert zncc_detrended(tpl, photo, mask) > 0.99
    # and it is still a correlation: another mark under the same light does not pass
    other = np.full_like(tpl, 90.0)
    cv2.rectangle(other, (20, 60), (76, 70), 40.0, -1)
    assert zncc_detrended(tpl, 0.8 * other + 30.0 + ramp, mask) < 0.3


def test_thin_logos_keep_their_gradients_and_detail() -> None:
    # a sunburst of 2 px rays: its strict mask covers no 8 x 8 cell by half, and eroded it is
    # empty -- the gradient histograms and the detail scored 0 on a perfect copy
    from gkcheck.vision.logo.verify import _detail, _hog_sim

    tpl = np.full((64, 64), 200.0, np.float32)
    mask = np.zeros(tpl.shape, np.uint8)
    for k in range(12):
        a = k * math.pi / 6
        p = (int(32 + 30 * math.cos(a)), int(32 + 30 * math.sin(a)))
        cv2.line(tpl, (32, 32), p, 40.0, 2)
        cv2.line(mask, (32, 32), p, 1, 2)
    assert _hog_sim(tpl, tpl, mask) > 0.99
    assert _detail(tpl, tpl, mask, 64) > 0.99
    flat = np.full_like(tpl, 120.0)
    noise = np.random.default_rng(0).normal(0, 3, tpl.shape).astype(np.float32)
    assert _detail(tpl, flat + noise, mask, 64) < 0.3


def test_a_wide_logo_is_verified_at_its_geometric_mean_size() -> None:
    # a mark beside a line of "text", 3:1: verified 96 px wide it was 32 px high
    from gkcheck.vision.logo.search import Candidate
    from gkcheck.vision.logo.verify import verify

    art = np.full((100, 300, 3), 255, np.uint8)
    cv2.circle(art, (50, 50), 42, (40, 40, 200), -1)
    cv2.circle(art, (50, 50), 20, (255, 255, 255), -1)
    for k in range(6):
        cv2.rectangle(art, (110 + 30 * k, 30), (130 + 30 * k, 70), (160, 60, 20), 3)
    tpl = LogoTemplate.from_array(art)
    photo = np.full((400, 600, 3), 150, np.uint8)
    photo[150:250, 150:450] = art
    gray = tpl.project(photo)
    tw, th = tpl.size
    g = math.sqrt(300 * 100)
    cand = Candidate(1.0, 300.0, 200.0, g * math.sqrt(tw / th), g * math.sqrt(th / tw))
    v = verify(gray, photo, tpl, cand, size=96, strict=True)
    assert v is not None
    assert v.hog > 0.9 and v.whole > 0.9
    q = v.quad  # the LOGO is drawn from x = 8 to 288 of the artwork, pasted at x = 150
    assert abs(q[0][0] - 158) < 6 and abs(q[1][0] - 438) < 6


def _wide_logo() -> np.ndarray:
    """A seal beside two lines of thin strokes, 2.7 : 1, as the third design of set B is."""
    art = np.full((120, 324, 3), 255, np.uint8)
    cv2.rectangle(art, (6, 6), (110, 110), (36, 18, 196), -1)
    cv2.rectangle(art, (16, 16), (100, 100), (255, 255, 255), 3)
    cv2.line(art, (30, 40), (86, 80), (255, 255, 255), 4)
    rng = np.random.default_rng(3)
    for row, colour in ((14, (36, 18, 196)), (66, (20, 20, 20))):
        for k in range(6):
            x = 128 + 32 * k
            for _ in range(3):
                x0, y0 = x + int(rng.integers(0, 18)), row + int(rng.integers(0, 26))
                horizontal = bool(rng.integers(0, 2))
                x1, y1 = (x0 + 16, y0) if horizontal else (x0, y0 + 18)
                cv2.line(art, (x0, y0), (x1, y1), colour, 3)
    return art


def _wide_scene(angle: float):  # type: ignore[no-untyped-def]
    """``_wide_logo`` 324 px wide, turned by ``angle`` deg, on ``_photo``'s cluttered wall:
    (template, photo, its projection on the template's grey axis, the LOGO's box)."""
    art = _wide_logo()
    tpl = LogoTemplate.from_array(art)
    data, box = _photo(art, width=324, angle=angle, center=(400, 250))
    photo = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    return tpl, photo, tpl.project(photo), box


@pytest.mark.parametrize("turn", [-9.0, 6.0])
def test_a_wide_logo_turned_in_the_image_plane_is_aligned_from_a_turned_start(
    turn: float,
) -> None:
    # turned by 6-9 deg, a wide LOGO's ends move by a few strokes: the upright starts
    # correlate too little for the alignment to be tried; a start turned by the nearest of
    # ``start_turns`` leaves ECC a degree or two to correct
    from gkcheck.vision.logo.search import Candidate
    from gkcheck.vision.logo.verify import verify

    tpl, photo, gray, box = _wide_scene(turn)
    tw, th = tpl.size
    cand = Candidate(1.0, 400.0, 250.0, float(tw), float(th))
    assert verify(gray, photo, tpl, cand, strict=True, min_start=0.3) is None
    v = verify(gray, photo, tpl, cand, strict=True, min_start=0.3, turns=(-16, -8, 8, 16))
    assert v is not None and v.whole > 0.8 and v.mark > 0.8, v
    top = v.quad[1] - v.quad[0]  # the fitted top edge turns as the LOGO does (y is down)
    assert math.degrees(math.atan2(-top[1], top[0])) == pytest.approx(turn, abs=2.0)
    assert iou(tuple(v.quad.min(axis=0)) + tuple(v.quad.max(axis=0)), box) > 0.8
    # the same from starts chosen at half resolution (``start_half``, the detector's default)
    vh = verify(
        gray, photo, tpl, cand, strict=True, min_start=0.3, turns=(-16, -8, 8, 16), half=True
    )
    assert vh is not None and vh.whole > 0.8 and vh.mark > 0.8, vh
    assert iou(tuple(vh.quad.min(axis=0)) + tuple(vh.quad.max(axis=0)), box) > 0.8


@pytest.mark.parametrize("off", [0.8, 1.15])
def test_a_half_resolution_start_aligns_a_logo_from_a_window_of_the_wrong_size(off: float) -> None:
    # the search's windows are often 10-30 % off in size; the start, chosen at half
    # resolution, must still put the template on the LOGO for ECC to finish
    from gkcheck.vision.logo.search import Candidate
    from gkcheck.vision.logo.verify import _half_start, verify

    tpl, photo, gray, box = _wide_scene(3.0)
    tw, th = tpl.size
    cand = Candidate(1.0, 400.0, 250.0, off * tw, off * th)
    v = verify(
        gray, photo, tpl, cand, strict=True, min_start=0.3, turns=(-16, -8, 8, 16), half=True
    )
    assert v is not None and v.whole > 0.8 and v.mark > 0.8, v
    assert iou(tuple(v.quad.min(axis=0)) + tuple(v.quad.max(axis=0)), box) > 0.8
    # a crop too small for the template gives no start, not an error
    assert _half_start(np.zeros((6, 6), np.float32), tpl, 96, 40, True, ()) is None


def test_windows_of_other_scales_at_the_same_place_are_both_kept() -> None:
    # a window on the LOGO's mark (small, scoring higher) must not swallow the LOGO's own
    # window centred a few px away; two neighbouring pyramid levels of one window merge
    from gkcheck.vision.logo.search import Candidate, _merge

    part = Candidate(0.78, 773.0, 165.0, 44.0, 40.0)
    whole = Candidate(0.75, 780.0, 160.0, 248.0, 225.0)
    assert _merge([whole, part], keep=6) == [part, whole]
    level_up = Candidate(0.74, 782.0, 161.0, 295.0, 268.0)
    assert _merge([whole, part, level_up], keep=6) == [part, whole]
    assert _merge([whole, part], keep=1) == [part]


def test_windows_are_merged_by_the_pairwise_overlap_rule() -> None:
    # ``_merge`` works every pair's overlap out at once; the rule is the greedy one: best
    # first, a window kept when it overlaps no kept window by an IoU of 0.5 or more
    from gkcheck.vision.logo.search import Candidate, _merge

    def _iou(a: Candidate, b: Candidate) -> float:
        ix = max(0.0, min(a.cx + a.w / 2, b.cx + b.w / 2) - max(a.cx - a.w / 2, b.cx - b.w / 2))
        iy = max(0.0, min(a.cy + a.h / 2, b.cy + b.h / 2) - max(a.cy - a.h / 2, b.cy - b.h / 2))
        inter = ix * iy
        return inter / (a.w * a.h + b.w * b.h - inter)

    def rule(found: list[Candidate], keep: int) -> list[Candidate]:
        out: list[Candidate] = []
        for c in sorted(found, key=lambda c: -c.score):
            if all(_iou(c, k) < 0.5 for k in out):
                out.append(c)
                if len(out) >= keep:
                    break
        return out

    rng = np.random.default_rng(7)
    for trial in range(300):
        n = int(rng.integers(0, 120))
        scores = rng.choice([0.5, 0.6, 0.7], n) if trial % 4 == 0 else rng.random(n)  # ties
        found = [
            Candidate(float(s), *(float(v) for v in rng.random(2) * (600, 400)),
                      *(float(v) for v in rng.random(2) * 120 + 4))
            for s in scores
        ]  # fmt: skip
        keep = int(rng.integers(1, 50))
        assert _merge(found, keep) == rule(found, keep)


def test_the_masked_correlation_is_the_correlation_on_the_mask() -> None:
    from gkcheck.vision.logo.correlate import masked_ncc

    rng = np.random.default_rng(3)
    img = (rng.random((40, 50)) * 255).astype(np.float32)
    img[:, :20] = 90.0  # flat windows: no evidence either way
    tpl = (rng.random((9, 11)) * 255).astype(np.float32)
    mask = (rng.random((9, 11)) > 0.35).astype(np.float32)
    got = masked_ncc(img, tpl, mask)
    sel = mask > 0
    n = float(sel.sum())
    t = tpl[sel] - tpl[sel].mean()
    for y in range(0, 32, 5):
        for x in range(0, 40, 3):
            w = img[y : y + 9, x : x + 11][sel].astype(np.float64)
            var = max(float(((w - w.mean()) ** 2).sum()), 4.0 * n)
            want = float((w * t).sum()) / np.sqrt(var * float((t * t).sum()))
            assert got[y, x] == pytest.approx(want, abs=1e-3)
    assert got.shape == (32, 40) and got.dtype == np.float32


def _five_copies() -> tuple[LogoTemplate, np.ndarray, list[tuple[int, int]]]:
    """Five copies of the sample LOGO, each 28 px on a geometric-mean side (the search's own
    template size, so the finest level sees them unscaled), on a textured grey photo."""
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    tw, th = tpl.size
    w = round(28 * math.sqrt(tw / th))
    rng = np.random.default_rng(5)
    img = np.clip(
        120 + cv2.GaussianBlur(rng.normal(0, 30, (300, 420)).astype(np.float32), (0, 0), 2),
        0,
        255,
    ).astype(np.uint8)
    img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    centres = [(70, 60), (210, 60), (350, 60), (140, 200), (280, 200)]
    for cx, cy in centres:
        paste_logo(img, tpl, cx, cy, w)
    return tpl, img, centres


@pytest.mark.parametrize("per_level", [3, 6])
def test_each_pyramid_level_gives_up_to_per_level_windows(per_level: int) -> None:
    # one level only (``largest`` = the template's size): five LOGOs there, and the level
    # gives as many of them as it may -- a LOGO that is the fourth best peak of its level
    # was lost with 3 (docs/vision/logo.md, tenth session)
    from gkcheck.vision.logo.search import propose

    tpl, img, centres = _five_copies()
    cands = propose(tpl.project(img), tpl, size=28.0, largest=28.0, per_level=per_level, keep=10)
    on = [c for c in cands if min(math.hypot(c.cx - x, c.cy - y) for x, y in centres) < 4]
    assert len(cands) <= per_level
    assert len(on) == min(per_level, 5)  # the copies' peaks (0.97) before the texture's (0.54)


def test_bands_searched_together_give_each_bands_own_windows() -> None:
    # the fine pass searches two bands of LOGO sizes over one image (``propose_bands``): with
    # or without a pool, each band's windows are those it gives searched alone
    from concurrent.futures import ThreadPoolExecutor

    from gkcheck.vision.logo.search import Band, propose, propose_bands

    tpl, img, _centres = _five_copies()
    gray = tpl.project(img)
    bands = [
        Band(size=28.0, per_octave=2, largest=40.0),
        Band(size=16.0, per_octave=2, largest=27.9, smallest=10.0),
        Band(size=28.0, per_octave=3),
    ]
    alone = [
        propose(
            gray, tpl, size=b.size, per_octave=b.per_octave, largest=b.largest,
            smallest=b.smallest, keep=12, per_level=6,
        )
        for b in bands
    ]  # fmt: skip
    assert all(alone) and alone[0] != alone[1]
    assert propose_bands(gray, tpl, bands, keep=12, per_level=6) == alone
    with ThreadPoolExecutor(2) as pool:
        assert propose_bands(gray, tpl, bands, keep=12, per_level=6, pool=pool) == alone


def _spy_searches(
    monkeypatch: pytest.MonkeyPatch, record: Callable[[LogoTemplate, dict[str, Any]], object]
) -> None:
    """Have ``record(template, keywords)`` called for every search the detector makes: one band
    (``propose``) or several over the same image (``propose_both``)."""
    import gkcheck.vision.logo.detector as detector_module

    for name in ("propose", "propose_both"):
        real = getattr(detector_module, name)

        def spy(*args, _real=real, **kwargs):  # type: ignore[no-untyped-def]
            record(args[1], kwargs)
            return _real(*args, **kwargs)

        monkeypatch.setattr(detector_module, name, spy)


def test_the_detector_searches_with_its_peaks_per_level(monkeypatch: pytest.MonkeyPatch) -> None:
    # the setting reaches the search of photos and of the clutter calibration alike, and the
    # calibration's key names it (a value kept for 3 peaks is not read for 6)
    seen: list[int] = []
    _spy_searches(monkeypatch, lambda tpl, kwargs: seen.append(kwargs["per_level"]))
    tpl, img, _ = _five_copies()
    det = LogoDetector([tpl], peaks_per_level=4, clutter_images=1)
    assert det.threshold_for(tpl) >= det.threshold
    det.detect_array(img)
    assert seen and set(seen) == {4}
    assert LogoDetector([tpl]).peaks_per_level == 6
    keys = [k for k in tpl._cache if isinstance(k, tuple) and k[:1] == ("clutter",)]
    # the key names the peaks, the start turns, the half-resolution starts, the occluder
    # step, the sure floor and the networks' routing (the scores depend on each)
    tail = (
        4, det.start_turns, det.start_half, det.occluder, det.occluder_floor, det.sure,
        det.hue_route,
    )  # fmt: skip
    assert keys and all(k[-7:] == tail for k in keys)


def _parts(**parts: float) -> Verified:
    """A verified candidate with these scores (the rest middling), to read ``_score`` by."""
    base = {"whole": 0.1, "mark": 0.1, "colour": 0.1, "start": 0.5, "detail": 0.3, "hog": 0.85}
    base.update(parts)
    learned = base.pop("learned", 0.995)
    return Verified(quad=np.zeros((4, 2)), learned=learned, **base)


def test_a_sure_network_with_agreeing_gradients_scores_the_threshold() -> None:
    # pixels near 0 (defocus, a fold, glare), gradients and the network sure: 0.66 blended,
    # raised to the threshold; each condition short of its value leaves the blend as it is
    tpl, _img, _ = _five_copies()
    det = LogoDetector([tpl])
    assert det.sure == (0.99, 0.78, 0.60)
    assert det._score(_parts()) == det.threshold
    for short in ({"learned": 0.98}, {"hog": 0.7}, {"whole": -0.3, "mark": -0.3}):
        assert det._score(_parts(**short)) < 0.66  # the blend, not raised
    assert 0.6 < LogoDetector([tpl], sure=(0, 0, 0))._score(_parts()) < det.threshold
    # a high score is left as it is
    strong = _parts(whole=0.95, mark=0.95, colour=0.95, detail=0.9, hog=0.95)
    assert det._score(strong) > 0.9


def test_each_octave_of_the_pyramid_is_made_from_the_octave_above(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the first octave's levels are resized from the working image, each later one from the
    # level twice its size (cheaper: a 1024 px image's levels took 119 ms, now 100), and
    # each stays what area averaging from the image gives, within a few grey levels
    from gkcheck.vision.logo import search

    rng = np.random.default_rng(0)
    gray = cv2.GaussianBlur(rng.random((384, 512)).astype(np.float32) * 255, (0, 0), 1.5)
    sources: list[tuple[int, int]] = []
    real = cv2.resize

    def spy(src, size, **kw):  # type: ignore[no-untyped-def]
        sources.append(src.shape[:2])
        return real(src, size, **kw)

    monkeypatch.setattr(search.cv2, "resize", spy)
    made: list[tuple[float, np.ndarray]] = []
    for k in range(9):
        f = 2.0 ** (-k / 4)
        size = (round(512 * f), round(384 * f))
        level = search._level(gray, made, f, size)
        made.append((f, level))
        direct = real(gray, size, interpolation=cv2.INTER_AREA)
        assert level.shape == direct.shape
        assert float(np.abs(level - direct).mean()) < 1.5
    # levels 1-4 from the image, 5-8 each from the level one octave above (1-4)
    assert sources == [(384, 512)] * 4 + [made[k][1].shape for k in range(1, 5)]


def _sample_logo_turned():  # type: ignore[no-untyped-def]
    """The sample LOGO 200 px wide turned 12 deg on a cluttered photo: (template, detector,
    photo, its projection on the template's grey axis, the LOGO's box)."""
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    data, box = _photo(cv2.imread(str(SAMPLE_LOGO)), width=200, angle=12, center=(400, 250))
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    return tpl, LogoDetector([tpl]), img, tpl.project(img), box


def test_a_second_verification_from_the_fitted_quad_corrects_a_bad_start() -> None:
    # a proposal 40 % too large and off centre: the first alignment lands partly on the
    # LOGO; verified again from the quad it fitted, the LOGO scores as it should
    # (``LogoDetector(refine_band=)``: done for scores just below the threshold)
    from gkcheck.vision.logo.search import Candidate
    from gkcheck.vision.logo.verify import verify

    tpl, det, img, gray, box = _sample_logo_turned()
    tw, th = tpl.size
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    bad = Candidate(1.0, cx + 30, cy - 15, 280, 280 * th / tw)
    first = verify(gray, img, tpl, bad, size=96, strict=True, grey_chroma=6.0, learned=True)
    assert first is not None and det._score(first) < 0.5
    again = verify(gray, img, tpl, Candidate.around(first.quad), size=96, strict=True,
                   grey_chroma=6.0, learned=True)  # fmt: skip
    assert again is not None and det._score(again) > 0.9
    q = again.quad
    assert iou([q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max()], box) > 0.7


def test_a_window_on_part_of_a_logo_is_verified_again_grown() -> None:
    # the search's window covers the seal of a wide LOGO turned 12 deg (under half its width):
    # aligned there, and again from the quad it fitted, the template stays on the seal, just
    # under the threshold; verified again from that window grown (``refine_grow``), it fits
    # the whole LOGO
    from gkcheck.vision.logo.search import Candidate

    tpl, img, gray, box = _wide_scene(12.0)
    tw, th = tpl.size
    bw = box[2] - box[0]
    seal = Candidate(1.0, (box[0] + box[2]) / 2 - 0.2 * bw, (box[1] + box[3]) / 2, 0.45 * bw,
                     0.45 * bw * th / tw)  # fmt: skip
    det = LogoDetector([tpl])
    first = det._verify(gray, img, tpl, seal, min_start=det.min_start)
    assert first is not None
    assert det.threshold - det.refine_band < det._score(first) < det.threshold
    kept_score = LogoDetector([tpl], refine_grow=())._refine(gray, img, tpl, first, {})[1]
    assert kept_score < det.threshold
    stats: dict[str, int] = {}
    grown, score = det._refine(gray, img, tpl, first, stats)
    assert score >= det.threshold and stats["grown"] >= 1
    q = grown.quad
    assert iou([q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max()], box) > 0.8
    # a grown window is a further try: it passes only by ``refine_grow_margin``
    strict = LogoDetector([tpl], refine_grow_margin=1.0)
    assert strict._refine(gray, img, tpl, first, {})[1] < det.threshold


def test_scores_at_a_known_place_agree_with_the_alignment_s() -> None:
    # ``verify_at`` (the benchmarks' oracle at the LOGO's true quadrilateral) scores the
    # template placed at a quad with no search and no alignment: at the quad verification
    # fitted, the scores verification gave; half a LOGO beside it, none of them
    from gkcheck.vision.logo.search import Candidate
    from gkcheck.vision.logo.verify import verify, verify_at

    tpl, det, img, gray, _box = _sample_logo_turned()
    kw = {"size": 96, "strict": True, "grey_chroma": 6.0, "learned": True}
    fitted = verify(gray, img, tpl, det._propose(gray, img, tpl, 1)[0], **kw)
    assert fitted is not None and det._score(fitted) > 0.9
    fitted = verify(gray, img, tpl, Candidate.around(fitted.quad), **kw) or fitted
    at = verify_at(gray, img, tpl, fitted.quad, **kw)
    assert at is not None and at.start == 0.0
    np.testing.assert_allclose(at.quad, fitted.quad, atol=1.0)
    for part in ("whole", "mark", "colour", "hog", "detail"):
        assert getattr(at, part) == pytest.approx(getattr(fitted, part), abs=0.05), part
    assert det._score(at) > 0.9
    beside = verify_at(gray, img, tpl, fitted.quad + np.array([100.0, 0.0]), **kw)
    assert beside is not None and det._score(beside) < 0.5
    assert (
        verify_at(gray, img, tpl, fitted.quad + np.array([5000.0, 0.0]), **kw) is None
    )  # off the photo


def _occluded(kind: str, colour: tuple[int, int, int]):  # type: ignore[no-untyped-def]
    """``_emblem(kind)`` 300 px wide on ``_photo``'s wall, an ellipse of ``colour`` (a head, a
    plant) over its lower part: (photo, the quad of ``_emblem("a")``'s template there, the
    share of that template's LOGO the ellipse covers)."""
    art = _emblem(kind).copy()
    over = np.zeros(art.shape[:2], np.uint8)
    cv2.ellipse(over, (150, 150), (70, 40), 20, 0, 360, 255, -1)
    art[over > 0] = colour
    data, _box = _photo(art, width=300, angle=0, center=(400, 250))
    photo = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    ink = (_emblem("a") != 255).any(axis=2)  # the template's own mask, before its 2 px pad
    ys, xs = np.nonzero(ink)
    x0, y0, x1, y1 = xs.min() - 2, ys.min() - 2, xs.max() + 3, ys.max() + 3
    # _photo puts the 300 x 260 art's top-left corner at (250, 120)
    quad = _corners((x0, y0, x1, y1)) + np.array([250.0, 120.0])
    return photo, quad, float((over[ink] > 0).mean())


@pytest.mark.parametrize("colour", [(40, 35, 30), (60, 150, 60)], ids=["dark", "green"])
def test_what_stands_in_front_of_a_logo_is_left_out_of_its_scores(
    colour: tuple[int, int, int],
) -> None:
    # an occluder unlike every colour of the LOGO over a fifth of it: scored without the
    # pixels unlike its colours, the LOGO scores as if alone, and the share left out is the
    # occluder's; the same occluder in front of another emblem does not make it pass
    from gkcheck.vision.logo.verify import verify_at

    tpl = LogoTemplate.from_array(_emblem("a"), name="a")
    det = LogoDetector([tpl])
    kw = {"size": 96, "strict": True, "grey_chroma": 6.0, "learned": True}
    photo, quad, share = _occluded("a", colour)
    gray = tpl.project(photo)
    plain = verify_at(gray, photo, tpl, quad, **kw)
    left_out = verify_at(gray, photo, tpl, quad, occluder=det.occluder, **kw)
    assert plain is not None and plain.hidden == 0.0
    assert left_out is not None, "the occluder was not found"
    assert left_out.hidden == pytest.approx(share, abs=0.05)
    assert det._score(left_out) > max(0.95, det._score(plain))
    photo, quad, _share = _occluded("b", colour)
    other = verify_at(tpl.project(photo), photo, tpl, quad, occluder=det.occluder, **kw)
    assert other is None or det._score(other) < 0.5


def test_foreign_pixels_are_blobs_unlike_every_colour_of_the_logo() -> None:
    from gkcheck.vision.logo.occluder import MAX_SHARE, foreign

    # a LOGO of two colour regions (left, right) as a photo shows them
    labels = np.zeros((64, 96), np.int64)
    labels[:, 48:] = 1
    seen = np.ones((64, 96), np.uint8)
    photo = np.zeros((64, 96, 3), np.float32)
    photo[:, :48] = (150, 50, 70)
    photo[:, 48:] = (40, 120, 200)
    assert foreign(photo, labels, seen, 15.0) is None  # nothing in front of it
    blob = np.zeros((64, 96), np.uint8)
    cv2.circle(blob, (30, 32), 14, 1, -1)
    occluded = photo.copy()
    occluded[blob > 0] = (40, 160, 40)  # a plant
    occluded[5, :] = (40, 160, 40)  # and a wire 1 px wide: not a blob
    found = foreign(occluded, labels, seen, 15.0)
    assert found is not None
    mask, share = found
    assert share == pytest.approx(blob.mean(), abs=0.02)
    assert mask[5].sum() == 0 and mask[blob > 0].mean() > 0.9
    # the LOGO's own colours under a different cast are not foreign
    assert foreign(photo * np.array([0.8, 1.0, 1.15], np.float32), labels, seen, 15.0) is None
    # something over more than MAX_SHARE of it is something else, not an occluder
    covered = photo.copy()
    covered[: int(64 * (MAX_SHARE + 0.1))] = (40, 160, 40)
    assert foreign(covered, labels, seen, 15.0) is None
    # (over most of one colour region, a region's median is the occluder's colour: then only
    # what differs from that is left out -- a limit, not a false LOGO)


def test_clutter_images_are_the_same_on_every_run() -> None:
    from gkcheck.vision.logo.clutter import clutter_image

    # drawn twice (the cache bypassed), the same pixels; kept read-only for its sharers
    a, b = clutter_image(3), clutter_image.__wrapped__(3)
    assert a is not b and a.shape == (192, 256, 3) and a.dtype == np.uint8
    assert np.array_equal(a, b) and not np.array_equal(clutter_image(2), a)
    assert clutter_image(3) is a and not a.flags.writeable
    # and each in grey, as a black-and-white camera gives it: the calibration scores both
    grey = clutter_image(3, grey=True)
    assert grey.shape == a.shape and not grey.flags.writeable
    assert np.array_equal(grey[..., 0], grey[..., 1]) and np.array_equal(grey[..., 1], grey[..., 2])
    assert np.array_equal(grey[..., 0], cv2.cvtColor(a, cv2.COLOR_BGR2GRAY))


def test_a_template_that_matches_clutter_must_score_higher() -> None:
    # a flat triangle with a dark one inside and a row of thin dark boxes for its text, on a
    # transparent canvas: on its strict mask little more than a few straight edges, which ECC
    # fits anywhere; the demo mark keeps the global threshold. With both templates, a photo
    # of the demo mark is found, and says which.
    art = np.zeros((220, 300, 3), np.uint8)
    alpha = np.zeros((220, 300), np.uint8)
    outer = np.array([[60, 10], [115, 110], [5, 110]], np.int32)
    cv2.fillPoly(art, [outer], (0, 140, 240))
    cv2.fillPoly(alpha, [outer], 255)
    cv2.fillPoly(art, [np.array([[35, 75], [85, 75], [60, 110]], np.int32)], (20, 20, 20))
    for k in range(6):
        cv2.rectangle(art, (130 + 27 * k, 45), (150 + 27 * k, 75), (20, 20, 20), 2)
        cv2.rectangle(alpha, (130 + 27 * k, 45), (150 + 27 * k, 75), 255, 2)
    edge = LogoTemplate.from_array(art, name="edge", alpha=alpha)
    demo = LogoTemplate.load(SAMPLE_LOGO)
    det = LogoDetector([edge, demo])
    assert det.threshold_for(demo) == det.threshold
    assert det.threshold_for(edge) > det.threshold + 0.05
    # no higher than ``clutter_cap``: uncapped, the same template must reach 0.92
    assert det.threshold_for(edge) == det.clutter_cap
    uncapped = LogoDetector([edge], clutter_cap=2.0)
    assert uncapped.threshold_for(edge) > det.clutter_cap + 0.03
    data, box = _photo(cv2.imread(str(SAMPLE_LOGO)), width=220, angle=0, center=(400, 250))
    m = det.detect(data)
    assert m.found and m.template == demo.name
    assert m.bbox is not None and iou(m.bbox, box) > 0.5


def test_the_threshold_that_applied_is_reported() -> None:
    # a reviewer reading "score 0.84, not found" sees what the template had to reach
    from gkcheck.submission.evidence import logo_fact

    det = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)])
    data, _box = _photo(cv2.imread(str(SAMPLE_LOGO)), width=220, angle=0, center=(400, 250))
    m = det.detect(data)
    assert m.found and m.threshold == det.threshold
    fact = logo_fact(m)
    assert fact["threshold"] == round(det.threshold, 3) and fact["score"] >= fact["threshold"]


def test_remember_computes_once_while_other_threads_wait() -> None:
    # ``LogoDetector.prepare`` computes a template's clutter threshold in a thread while a
    # detection may ask for it: the asker waits for that value instead of computing another
    import threading
    import time

    tpl = LogoTemplate.load(SAMPLE_LOGO)
    calls: list[int] = []

    def slow() -> float:
        calls.append(1)
        time.sleep(0.2)
        return 0.5

    got: list[float] = []
    threads = [
        threading.Thread(target=lambda: got.append(tpl.remember(("t",), slow))) for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [0.5, 0.5, 0.5] and len(calls) == 1

    def fails() -> float:
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        tpl.remember(("u",), fails)
    assert tpl.remember(("u",), lambda: 0.25) == 0.25  # a failed computation kept nothing


def test_prepare_works_the_thresholds_out_ahead_and_stops_keeping_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from gkcheck.vision.logo import warm_up

    warm_up()  # no template needed: the network and the clutter images
    det = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)])
    stop = threading.Event()
    stop.set()
    det.prepare(stop)  # asked to stop before the first clutter image: nothing is kept
    counted: list[int] = []
    real = LogoDetector._clutter_scores

    def counting(self: LogoDetector, tpl: LogoTemplate, stop: threading.Event | None) -> float:
        counted.append(1)
        return real(self, tpl, stop)

    monkeypatch.setattr(LogoDetector, "_clutter_scores", counting)
    det.prepare()
    assert len(counted) == 1
    before = det.threshold_for(det.templates[0])
    data, _box = _photo(cv2.imread(str(SAMPLE_LOGO)), width=220, angle=0, center=(400, 250))
    m = det.detect(data)
    assert m.found and m.threshold == before and len(counted) == 1  # prepared: not again


def test_cli_with_and_without_the_thread_ahead_agree(tmp_path: Path) -> None:
    # ``gkcheck logo`` with a core to spare works the calibration out in a thread
    # (``cli/vision._Ahead``); on one core (-j 1) it does not: the same results
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    photos = [str(SAMPLES / f) for f in ("pos-backdrop.jpg", "neg-other-emblem.jpg")]
    outs = []
    for jobs in ("1", "2"):
        r = subprocess.run(
            [sys.executable, "-m", "gkcheck", "logo", "--format", "json", "-j", jobs, *photos],
            capture_output=True, text=True, cwd=tmp_path, env=env, check=False,
        )  # fmt: skip
        assert r.returncode in (0, 1), r.stderr
        outs.append(json.loads(r.stdout)["results"])
    assert outs[0] == outs[1]
    assert [r["found"] for r in outs[0]] == [True, False]


def test_a_one_photo_process_ends_with_its_whole_answer(tmp_path: Path) -> None:
    # ``gkcheck logo`` ends without the interpreter's shutdown (``cli._leave_now``): its
    # answer still arrives whole through a pipe, in JSON and in text, with the verdict's exit
    # status, and the ``atexit`` functions still run
    import os
    import subprocess
    import sys

    # its standard output buffered, as usual (not ``PYTHONUNBUFFERED``): left unflushed, an
    # answer would be lost
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = str(ROOT / "src")
    mark = tmp_path / "atexit-ran"
    code = (
        "import atexit, pathlib, sys\n"
        f"atexit.register(pathlib.Path({str(mark)!r}).write_text, 'ran')\n"
        "sys.argv[0] = 'gkcheck'\n"
        "from gkcheck.cli import run\n"
        "run()\n"
    )
    for name, found in (("pos-backdrop.jpg", True), ("neg-other-emblem.jpg", False)):
        for fmt in ("json", "text"):
            mark.unlink(missing_ok=True)
            r = subprocess.run(
                [sys.executable, "-c", code, "logo", "--format", fmt, str(SAMPLES / name)],
                capture_output=True, text=True, cwd=tmp_path, env=env, check=False,
            )  # fmt: skip
            assert r.returncode == (0 if found else 1), r.stderr
            if fmt == "json":
                doc = json.loads(r.stdout)
                assert doc["demo_template"] is True
                assert [x["found"] for x in doc["results"]] == [found]
            else:
                last = r.stdout.splitlines()[-1]
                assert last.startswith(f"{SAMPLES / name}: ") and r.stdout.endswith("\n")
            assert mark.read_text() == "ran"


def test_the_thread_ahead_loads_the_networks_once_the_thresholds_are_worked_out(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # with a core to spare, ``gkcheck logo`` loads the networks in the thread ahead, after the
    # calibration and without drawing clutter images, while the main thread decodes
    import threading

    from gkcheck.cli import main
    from gkcheck.vision import logo

    calls: list[tuple[str, str]] = []
    real_prepare, real_warm = LogoDetector.prepare, logo.warm_up

    def prepare(self: LogoDetector, stop: threading.Event | None = None) -> None:
        calls.append(("prepare", threading.current_thread().name))
        real_prepare(self, stop)

    def warm(clutter_images: int = 6) -> None:
        calls.append((f"warm_up {clutter_images}", threading.current_thread().name))
        real_warm(clutter_images)

    monkeypatch.setattr(LogoDetector, "prepare", prepare)
    monkeypatch.setattr(logo, "warm_up", warm)
    monkeypatch.chdir(tmp_path)
    rc = main(["logo", "--format", "json", "-j", "2", str(SAMPLES / "pos-backdrop.jpg")])
    assert rc == 0 and json.loads(capsys.readouterr().out)["results"][0]["found"] is True
    assert calls == [("prepare", "gkcheck-logo-ahead"), ("warm_up 0", "gkcheck-logo-ahead")]
    calls.clear()
    main(["logo", "--format", "json", "-j", "1", str(SAMPLES / "pos-backdrop.jpg")])
    assert calls == []  # one core: no thread ahead, and everything loads where it is used


def test_a_photo_decoded_ahead_gives_the_answer_its_bytes_give(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ``decode_ahead`` is the decode ``detect`` makes; one made for another working size is
    # not used: the bytes are decoded again, for this detector
    import gkcheck.vision.logo.detector as detector_module
    from gkcheck.vision.logo import decode_ahead

    decodes: list[int | None] = []
    real = detector_module.decode

    def counted(data: Any, **kw: Any) -> Any:
        decodes.append(kw.get("max_side"))
        return real(data, **kw)

    monkeypatch.setattr(detector_module, "decode", counted)
    for name in ("pos-backdrop.jpg", "neg-other-emblem.jpg"):
        data = (SAMPLES / name).read_bytes()
        plain = LogoDetector([LogoTemplate.load(SAMPLE_LOGO)]).detect(data)
        ahead = decode_ahead(data)
        decodes.clear()
        assert LogoDetector([LogoTemplate.load(SAMPLE_LOGO)]).detect(ahead) == plain
        assert 768 not in decodes  # the working decode was not made again
        other = decode_ahead(data, max_side=512)
        decodes.clear()
        assert LogoDetector([LogoTemplate.load(SAMPLE_LOGO)]).detect(other) == plain
        assert decodes[:1] == [768]  # decoded again, at this detector's size


def test_logo_cli_decodes_one_photo_ahead_in_a_thread(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # one photo with cores to spare: read and decoded in a thread while the templates load,
    # with the answer of a process that decodes it where it is searched (``-j 1``); an
    # unreadable photo is reported the same way from that thread, without a traceback
    import threading

    from gkcheck.cli import main
    from gkcheck.vision import logo

    names: list[str] = []
    real = logo.decode_ahead

    def noted(data: Any, *a: Any, **kw: Any) -> Any:
        names.append(threading.current_thread().name)
        return real(data, *a, **kw)

    monkeypatch.setattr(logo, "decode_ahead", noted)
    monkeypatch.setenv("GKCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    answers = {}
    for jobs in ("2", "1"):
        names.clear()
        rc = main(["logo", "--format", "json", "-j", jobs, str(SAMPLES / "pos-backdrop.jpg")])
        answers[jobs] = (rc, json.loads(capsys.readouterr().out)["results"])
        assert names == (["gkcheck-logo-decode"] if jobs == "2" else [])
    assert answers["2"] == answers["1"] and answers["2"][1][0]["found"] is True
    for name in ("not-an-image.jpg", "truncated.jpg"):
        rc = main(["logo", "--format", "json", "-j", "2", str(SAMPLES / name)])
        out, err = capsys.readouterr()
        assert rc == 1 and "Traceback" not in err
        assert json.loads(out)["results"][0]["error"]


def test_a_failure_in_the_thread_ahead_is_no_traceback_and_no_verdict(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # the thread only works ahead of time: when it fails, the detection does the work itself
    import threading

    from gkcheck.cli import main

    failed: list[str] = []

    def broken(self: LogoDetector, stop: threading.Event | None = None) -> None:
        failed.append(threading.current_thread().name)
        raise RuntimeError("no calibration here")

    monkeypatch.setattr(LogoDetector, "prepare", broken)
    monkeypatch.setenv("GKCHECK_CACHE_DIR", str(tmp_path / "cache"))  # nothing kept: computed
    monkeypatch.chdir(tmp_path)
    rc = main(["logo", "--format", "json", "-j", "2", str(SAMPLES / "pos-backdrop.jpg")])
    out, err = capsys.readouterr()
    assert failed == ["gkcheck-logo-ahead"]  # it did fail, in the thread ahead
    assert rc in (0, 1) and "Traceback" not in err and "no calibration here" not in err
    assert json.loads(out)["results"][0]["found"] is True


def test_median_and_percentile_are_numpys_bit_for_bit() -> None:
    # ``stats`` spares NumPy's first-call import of numpy.ma; the values must not move
    from gkcheck.vision.logo.stats import median, percentile

    rng = np.random.default_rng(7)
    for i in range(3000):
        n = int(rng.integers(1, 200))
        x = (rng.random(n) * [1.0, 255.0, 1e4][i % 3]).astype([np.float32, np.float64][i % 2])
        if i % 11 == 0:
            x[:] = x[0]
        assert percentile(x, 90) == float(np.percentile(x, 90))
        assert float(median(x)) == float(np.median(x))
        b = rng.integers(0, 256, (n, 3)).astype(np.int16)
        assert np.array_equal(median(b), np.median(b, axis=0))
    assert percentile([0.1, 0.5, 0.9], 90) == float(np.percentile([0.1, 0.5, 0.9], 90))


def test_shared_masked_correlation_is_each_templates_masked_correlation() -> None:
    # the turned templates share their mask's window variance (``masked_ncc_shared``): each
    # map must be the one ``masked_ncc`` gives that template alone
    from gkcheck.vision.logo.correlate import masked_ncc, masked_ncc_shared

    rng = np.random.default_rng(11)
    img = (rng.random((60, 80)) * 255).astype(np.float32)
    mask = (rng.random((12, 15)) > 0.3).astype(np.float32)
    tpls = [(rng.random((12, 15)) * 255).astype(np.float32) for _ in range(3)]
    for got, tpl in zip(masked_ncc_shared(img, tpls, mask), tpls, strict=True):
        assert np.array_equal(got, masked_ncc(img, tpl, mask))


def _upright_and_turned_windows(
    art: np.ndarray, width: int, angle: float, center: tuple[int, int]
) -> tuple[LogoTemplate, list[Any], list[Any], Callable[[Any], bool]]:
    """``art`` turned by ``angle`` on the drawn wall, ``width`` px wide at ``center``: its
    template, the upright search's windows, the turned search's (the detector's
    ``search_turns`` on a template 0.7 as large, two levels an octave) and whether a
    window is on the LOGO."""
    from gkcheck.vision.logo.search import propose

    tpl = LogoTemplate.from_array(art)
    data, box = _photo(art, width=width, angle=angle, center=center)
    gray = tpl.project(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR))
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2

    def on_logo(c: Any) -> bool:
        return math.hypot(c.cx - cx, c.cy - cy) < 0.15 * width

    upright = propose(gray, tpl, size=28.0, keep=48, per_level=6)
    turned = propose(
        gray, tpl, size=28.0 * 0.7, keep=16, per_level=6, turns=(-14.0, 14.0), per_octave=2
    )
    return tpl, upright, turned, on_logo


@pytest.mark.parametrize(("angle", "width"), [(-18.0, 200), (-15.0, 200), (15.0, 324), (18.0, 120)])
def test_a_wide_logo_turned_by_15_to_18_deg_is_the_turned_searchs_first_window(
    angle: float, width: int
) -> None:
    # the upright template of a 2.7 : 1 LOGO turned by 15-18 deg correlates 0.45-0.57 at
    # the LOGO, behind clutter (5th-13th window, or none); turned by 14 deg (the detector's
    # ``search_turns``, on a template 0.7 as large, two levels an octave) it comes first
    tpl, upright, turned, on_logo = _upright_and_turned_windows(
        _wide_logo(), width, angle, (400, 250)
    )
    assert not on_logo(upright[0])
    assert on_logo(turned[0]) and turned[0].score > 0.6
    # a turned window is the upright LOGO's size, centred where the turned template matched
    tw, th = tpl.size
    assert turned[0].w / turned[0].h == pytest.approx(tw / th, rel=0.05)


def _thin_sunburst() -> np.ndarray:
    """Sixteen rays 13 px wide round a disc, two inks, on white (260 px): at the search's
    28 px a ray is 1.4 px wide."""
    art = np.full((260, 260, 3), 255, np.uint8)
    for k in range(16):
        a = k * math.pi / 8
        p0 = (int(130 + 52 * math.cos(a)), int(130 + 52 * math.sin(a)))
        p1 = (int(130 + 124 * math.cos(a)), int(130 + 124 * math.sin(a)))
        cv2.line(art, p0, p1, (200, 140, 20) if k % 2 else (90, 120, 0), 13)
    cv2.circle(art, (130, 130), 44, (90, 120, 0), -1)
    return art


def test_a_turned_search_template_keeps_a_thin_logos_mask() -> None:
    # turned after shrinking (the search's turned templates before the fifty-ninth
    # session), only the pixels still wholly inside were kept: of this sunburst's 116 mask
    # pixels at 28 px, 38, their grey spread over 0.7 levels -- a correlation of
    # near-constant grey (0.99 on any patch of a set B photo, fifty-ninth session)
    tpl = LogoTemplate.from_array(_thin_sunburst())
    _img, upright = tpl.gray_at(28, 28, strict=True)
    for angle in (-14.0, 14.0):
        img, mask = tpl.turned_at(28, 28, angle, strict=True)
        assert img.shape == mask.shape and img.shape[0] > 28
        assert mask.sum() >= 0.9 * upright.sum()
        assert float(img[mask > 0].std()) > 20.0  # the rays' two inks and the disc


@pytest.mark.parametrize(
    ("width", "angle", "center"), [(120, -13.0, (300, 200)), (70, 15.0, (500, 300))]
)
def test_a_thin_logo_turned_by_13_to_15_deg_is_the_turned_searchs_first_window(
    width: int, angle: float, center: tuple[int, int]
) -> None:
    # the rays of a LOGO turned by half their spacing fall where the upright template has
    # its gaps: the upright search's first window is clutter; the turned one (the
    # detector's ``search_turns``, ``turn_scale``), its template turned at the artwork's
    # size (``LogoTemplate.turned_at``), is on the LOGO. With the small render turned
    # instead, as before the fifty-ninth session, it was not
    _tpl, upright, turned, on_logo = _upright_and_turned_windows(
        _thin_sunburst(), width, angle, center
    )
    assert not on_logo(upright[0])
    assert on_logo(turned[0])


def test_turns_of_different_sizes_are_searched_each_on_its_own_mask() -> None:
    # 7 and 14 deg turn the template onto canvases of different shapes: taking the masks'
    # common part raised (numpy could not stack them) before any was searched
    from gkcheck.vision.logo.search import propose

    art = _thin_sunburst()
    tpl = LogoTemplate.from_array(art)
    data, _box = _photo(art, width=120, angle=-13.0, center=(300, 200))
    gray = tpl.project(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR))
    found = propose(gray, tpl, size=20.0, keep=8, per_level=6, turns=(-14.0, -7.0, 7.0, 14.0))
    assert found
    assert math.hypot(found[0].cx - 300, found[0].cy - 200) < 18  # the LOGO's


def test_the_pyramid_is_denser_for_large_logos() -> None:
    # three levels an octave up to 64 px, six above: a large LOGO between two sparse levels
    # was missed (docs/vision/logo.md, thirty-first session); those levels are small images
    from gkcheck.vision.logo.search import level_sizes

    sizes = list(level_sizes(22.0, 3, 0.0, 600.0, dense=(64.0, 6)))
    assert sizes[0] == 22.0 and sizes[-1] <= 600.0
    for a, b in itertools.pairwise(sizes):
        assert b / a == pytest.approx(2 ** (1 / 6) if a >= 64 else 2 ** (1 / 3))
    assert len(sizes) > len(list(level_sizes(22.0, 3, 0.0, 600.0)))
    # the finest levels start at the last size not above ``smallest``
    assert next(iter(level_sizes(22.0, 3, 40.0, 600.0))) == pytest.approx(22.0 * 2 ** (2 / 3))


def test_the_turned_search_finds_a_wide_logo_the_upright_one_misses() -> None:
    # with four levels an octave and no denser levels for large LOGOs the upright search misses
    # this one (with the defaults it happens to find it: the drawn wall is plainer than a photo)
    art = _wide_logo()
    tpl = LogoTemplate.from_array(art)
    data, box = _photo(art, width=200, angle=-18.0, center=(400, 250))
    sparse: dict[str, Any] = {"levels_per_octave": 4, "dense_levels": ()}
    assert not LogoDetector([tpl], search_turns=(), **sparse).detect(data).found
    m = LogoDetector([tpl], **sparse).detect(data)
    assert m.found and iou(m.bbox, box) > 0.5


def test_the_turned_search_runs_only_when_the_upright_windows_gave_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # it costs a search and a verification more: a photo whose LOGO an upright window found
    # does not pay them, and ``search_turns=()`` turns it off
    turns_asked: list[tuple[float, ...]] = []
    _spy_searches(monkeypatch, lambda tpl, kwargs: turns_asked.append(kwargs.get("turns", (0.0,))))
    art = _wide_logo()
    tpl = LogoTemplate.from_array(art)
    upright, _ = _photo(art, width=200, angle=0.0, center=(400, 250))
    turned, _ = _photo(art, width=200, angle=-18.0, center=(400, 250))
    sparse: dict[str, Any] = {"levels_per_octave": 4, "dense_levels": ()}
    det = LogoDetector([tpl], **sparse)  # the upright search misses ``turned``
    det.prepare()
    turns_asked.clear()
    assert det.detect(upright).found
    assert turns_asked and all(t == (0.0,) for t in turns_asked)
    turns_asked.clear()
    assert det.detect(turned).found
    assert (-14.0, 14.0) in turns_asked
    off = LogoDetector([tpl], search_turns=(), **sparse)
    off.prepare()
    turns_asked.clear()
    off.detect(turned)
    assert turns_asked and all(t == (0.0,) for t in turns_asked)


def test_the_mark_of_a_wide_logo_is_cut_as_a_template_on_the_logos_own_colour_axis() -> None:
    # the mark round (``LogoDetector.mark_keep``) searches the mark alone: a wide LOGO's seal is
    # a third of it; the photo is projected once, on the whole LOGO's axis, so the cut keeps it
    tpl = LogoTemplate.from_array(_wide_logo())
    part = tpl.mark_only(0.6)
    assert part is not None and part is tpl.mark_only(0.6)
    x0, y0, x1, y1 = tpl.mark_box
    assert part.size == (x1 - x0, y1 - y0)
    assert np.array_equal(part.axis, tpl.axis)
    assert np.array_equal(part.mask, tpl.mask[y0:y1, x0:x1])
    # a LOGO that is all mark has nothing to cut
    seal = LogoTemplate.from_array(_wide_logo()[:, :118])
    assert seal.mark_only(0.6) is None


def test_a_window_on_the_mark_grows_to_the_whole_logos_window() -> None:
    from gkcheck.vision.logo.search import Candidate

    # a template 300 x 100 whose mark is its left 100 x 100, seen twice as large at (500, 300)
    on_mark = Candidate(0.8, cx=200.0 + 100.0, cy=300.0, w=200.0, h=200.0)
    whole = on_mark.for_whole((0, 0, 100, 100), (300, 100))
    assert (whole.cx, whole.cy, whole.w, whole.h) == pytest.approx((500.0, 300.0, 600.0, 200.0))
    assert whole.score == on_mark.score


def test_the_mark_round_runs_only_when_nothing_passed_and_only_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # it costs a search and verifications more on every photo without a LOGO (3.46x a decode
    # with ``mark_keep=2``: off by default); a photo whose LOGO was found does not pay it

    asked: list[str] = []
    _spy_searches(monkeypatch, lambda tpl, kwargs: asked.append(tpl.name))
    art = _wide_logo()
    tpl = LogoTemplate.from_array(art, name="wide")
    shown, _ = _photo(art, width=200, angle=0.0, center=(400, 250))
    empty, _ = _photo(None, width=200, angle=0.0, center=(400, 250))
    default = LogoDetector([tpl])
    default.prepare()
    asked.clear()
    assert not default.detect(empty).found
    assert asked and "wide#mark" not in asked
    det = LogoDetector([tpl], mark_keep=1)
    asked.clear()
    assert det.detect(shown).found
    assert asked and "wide#mark" not in asked
    asked.clear()
    assert not det.detect(empty).found
    assert "wide#mark" in asked


def test_the_large_round_searches_a_larger_template_only_when_asked_and_nothing_passed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ``large_keep`` (off by default: it costs a search more on every photo without a LOGO)
    # searches again with a ``large_size`` px template, for LOGOs of ``large_min`` px and more
    sizes: list[tuple[float, float]] = []

    def record(tpl: LogoTemplate, kwargs: dict[str, Any]) -> None:
        if "size" in kwargs:  # ``propose``: one band (``propose_both`` gets ``Band``s)
            sizes.append((kwargs["size"], kwargs.get("smallest", 0.0)))

    _spy_searches(monkeypatch, record)
    art = _wide_logo()
    tpl = LogoTemplate.from_array(art, name="wide")
    shown, _ = _photo(art, width=200, angle=0.0, center=(400, 250))
    empty, _ = _photo(None, width=200, angle=0.0, center=(400, 250))
    default = LogoDetector([tpl])
    assert default.large_keep == 0
    default.prepare()
    sizes.clear()
    assert not default.detect(empty).found
    assert all(size != default.large_size for size, _ in sizes)
    det = LogoDetector([tpl], large_keep=1)
    sizes.clear()
    assert det.detect(shown).found
    assert all(size != det.large_size for size, _ in sizes)  # found: not paid
    sizes.clear()
    assert not det.detect(empty).found
    assert (det.large_size, det.large_min) in sizes
    assert det.large_size > det.coarse_size


@pytest.mark.parametrize("off", [(1.0, 0.0), (1.2, 0.12), (0.85, -0.1)])
def test_a_logo_printed_light_on_dark_is_aligned_on_its_edges(off: tuple[float, float]) -> None:
    # a LOGO shown as a negative (light on a dark LED screen) correlates below 0 with its
    # template in grey at its true place; its edges are where the template's are, and the
    # alignment on edge strength puts the template there from a window off in size and place
    from gkcheck.vision.logo.search import Candidate
    from gkcheck.vision.logo.verify import verify_edges

    tpl = LogoTemplate.load(SAMPLE_LOGO)
    img = np.empty((600, 800, 3), np.uint8)
    img[:] = (40, 40, 40)
    neg = LogoTemplate.from_array(
        np.where(tpl.ink[..., None] > 0, 255 - tpl.bgr, 255).astype(np.uint8), name="negative"
    )
    true = paste_logo(img, neg, 400, 300, 120)
    img = np.clip(img + np.random.default_rng(3).normal(0, 3, img.shape), 0, 255)
    img = img.astype(np.uint8)
    gray = tpl.project(img)
    box = (true.cx - true.w / 2, true.cy - true.h / 2, true.cx + true.w / 2, true.cy + true.h / 2)
    scale, shift = off
    cand = Candidate(
        1.0, true.cx + shift * true.w, true.cy + shift * true.h, true.w * scale, true.h * scale
    )
    v = verify_edges(gray, img, tpl, cand, size=96, strict=True)
    assert v is not None
    assert iou(tuple(v.quad.min(axis=0)) + tuple(v.quad.max(axis=0)), box) > 0.8, v.quad
    assert v.whole < 0 < v.hog  # the grey levels disagree where the gradients agree


def test_an_edge_alignment_replaces_the_grey_one_only_by_its_margin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a verification aligned on edges is a further try: it counts only at the threshold +
    # ``edge_margin``, only when asked (``edges``), and only below the threshold
    import gkcheck.vision.logo.detector as detector_module

    tpl, img, _ = _five_copies()
    gray = tpl.project(img)
    weak, strong = _parts(learned=0.0), _parts(whole=0.95, mark=0.95, colour=0.95, hog=0.95)
    calls: list[object] = []
    monkeypatch.setattr(detector_module, "verify", lambda *a, **k: weak)
    monkeypatch.setattr(
        detector_module, "verify_edges", lambda *a, **k: calls.append(a[3]) or strong
    )
    from gkcheck.vision.logo.search import Candidate

    cand = Candidate(0.5, 100.0, 100.0, 60.0, 60.0)
    det = LogoDetector([tpl], keypoint_min=0, occluder=0)
    assert det._score(weak) < det.threshold < det.threshold + det.edge_margin < det._score(strong)
    assert det._verify(gray, img, tpl, cand, min_start=0.0) is weak and not calls
    assert det._verify(gray, img, tpl, cand, min_start=0.0, edges=True) is strong
    assert calls == [cand]
    far = LogoDetector([tpl], keypoint_min=0, occluder=0, edge_margin=0.5)
    assert far._verify(gray, img, tpl, cand, min_start=0.0, edges=True) is weak
    off = LogoDetector([tpl], keypoint_min=0, occluder=0, edge_floor=-1.0)
    assert off._verify(gray, img, tpl, cand, min_start=0.0, edges=True) is weak
    assert len(calls) == 2  # ``far`` asked; ``off`` did not


def _asked(monkeypatch: pytest.MonkeyPatch, det: LogoDetector, keyword: str) -> list[bool]:
    """Spy on ``det._verify``: the value of its flag ``keyword`` in each call, in order."""
    asked: list[bool] = []
    real = det._verify

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(bool(kwargs.get(keyword, False)))
        return real(*args, **kwargs)

    monkeypatch.setattr(det, "_verify", spy)
    return asked


def _window_just_below() -> Verified:
    """A verification fitted to a 60 px square of ``_five_copies``'s photo between its LOGOs,
    scoring just below the threshold: what the refine tries are made for."""
    square = np.array([[100.0, 100.0], [160.0, 100.0], [160.0, 160.0], [100.0, 160.0]])
    return dataclasses.replace(_parts(learned=0.9), quad=square)


def test_the_edge_try_is_made_for_the_first_window_and_the_refine_tries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the edge try costs a verification: made for the search's first window and for windows
    # verified again just below the threshold, not for every window (3.5x a decode)
    tpl, img, _ = _five_copies()
    det = LogoDetector([tpl], clutter_images=1)
    asked = _asked(monkeypatch, det, "edges")
    det.threshold_for(tpl)
    assert asked and not any(asked)  # the clutter threshold is worked out without it
    asked.clear()
    det.detect_array(img, first_hit=False)
    assert asked[0] and asked.count(True) < len(asked)
    # a window just below the threshold is verified again, each time with the edge try
    near = _window_just_below()
    assert det._just_below(det._score(near))
    asked.clear()
    det._refine(tpl.project(img), img, tpl, near, {})
    assert asked and all(asked)


def _bent_print(
    shift: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The sample LOGO's grey template at 96 px, drawn into a 160 px textured frame by a
    known homography (a slant and a turn), and a fit ``shift`` px off it: (template, its
    mask, the frame, the true homography, template -> frame), with the fit last."""
    tpl = LogoTemplate.load(SAMPLE_LOGO)
    tw, th = tpl.size
    vw = 96
    vh = round(vw * th / tw)
    t_img, t_mask = tpl.gray_at(vw, vh, strict=True)
    corners = np.array([[0, 0], [vw, 0], [vw, vh], [0, vh]], np.float32)
    placed = np.array([[34, 30], [128, 38], [124, 30 + vh + 10], [30, 28 + vh]], np.float32)
    true = cv2.getPerspectiveTransform(corners, placed).astype(np.float32)
    rng = np.random.default_rng(11)
    frame = cv2.GaussianBlur(rng.normal(120, 25, (170, 170)).astype(np.float32), (0, 0), 1.5)
    drawn = cv2.warpPerspective(t_img, true, (170, 170), flags=cv2.INTER_LINEAR)
    inked = cv2.warpPerspective(t_mask.astype(np.float32), true, (170, 170))
    frame = (drawn * inked + frame * (1 - inked)).astype(np.float32)
    off = cv2.getPerspectiveTransform(corners, placed + np.array(shift, np.float32))
    return t_img, t_mask, frame, np.stack([true, off.astype(np.float32)])


def _corner_error(hm: np.ndarray, true: np.ndarray, vw: int, vh: int) -> float:
    corners = np.array([[0, 0], [vw, 0], [vw, vh], [0, vh]], np.float32).reshape(-1, 1, 2)
    a = cv2.perspectiveTransform(corners, hm.astype(np.float64))
    b = cv2.perspectiveTransform(corners, true.astype(np.float64))
    return float(np.abs(a - b).max())


def test_the_flow_gives_back_the_homography_a_fit_missed_by_a_few_pixels() -> None:
    # the flow of the patch aligned by a fit 3 px off tells where each part of the LOGO is:
    # the homography fitted to it lands within a pixel of the true one
    from gkcheck.vision.logo.flow import flow_homography
    from gkcheck.vision.logo.verify import _warp_back

    t_img, t_mask, frame, (true, off) = _bent_print((3.0, -2.5))
    vh, vw = t_img.shape
    aligned, inside = _warp_back(frame, off, vw, vh)
    fitted = flow_homography(t_img, aligned, (t_mask > 0) & (inside > 0), off)
    assert fitted is not None
    assert _corner_error(off, true, vw, vh) >= 2.5
    assert _corner_error(fitted, true, vw, vh) < 1.0


def test_the_flow_is_not_read_on_frames_too_small_for_it() -> None:
    # OpenCV's DIS flow crashed the process on small frames (a segfault, set B's splits):
    # under ``MIN_SIDE`` verification px, or with too little of the LOGO seen, no flow is read
    from gkcheck.vision.logo.flow import MIN_SIDE, flow_homography

    small = np.full((MIN_SIDE - 1, 40), 128, np.float32)
    assert flow_homography(small, small, np.ones(small.shape, bool), np.eye(3)) is None
    big = np.full((40, 40), 128, np.float32)
    assert flow_homography(big, big, np.zeros(big.shape, bool), np.eye(3)) is None


def test_a_refit_replaces_a_fit_only_when_it_correlates_better() -> None:
    from gkcheck.vision.logo.correlate import zncc_detrended
    from gkcheck.vision.logo.verify import _refit, _warp_back

    t_img, t_mask, frame, (true, off) = _bent_print((3.0, -2.5))
    vh, vw = t_img.shape

    def fit(hm: np.ndarray) -> tuple[float, np.ndarray]:
        aligned, inside = _warp_back(frame, hm, vw, vh)
        return zncc_detrended(t_img, aligned, t_mask.astype(np.uint8) & inside), hm

    start = fit(off)
    better = _refit(frame, t_img, t_mask, start, vw, vh)
    assert better[0] > start[0] and better[1] is not off
    assert _corner_error(better[1], true, vw, vh) < 1.0
    # a fit that no other correlates better than is kept as it is
    perfect = (1.01, true)
    assert _refit(frame, t_img, t_mask, perfect, vw, vh) is perfect


def test_the_flow_refit_is_a_last_try_for_windows_still_just_below_the_threshold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a refit costs a flow, a RANSAC fit and an ECC: on every verification it cost ~14 % of a
    # one-photo process (fiftieth session). It is made once, after the refine tries, for a
    # window they left just below the threshold; they themselves run as without it (made
    # inside them it led the grown windows elsewhere and lost a LOGO they had found)
    tpl, img, _ = _five_copies()
    det = LogoDetector([tpl], clutter_images=1)
    asked = _asked(monkeypatch, det, "refit")
    det.threshold_for(tpl)
    assert asked and not any(asked)  # the clutter threshold is worked out without it
    asked.clear()
    det.detect_array(img, first_hit=False)
    assert asked and not any(asked)  # the search's windows: none just below here
    near = _window_just_below()
    assert det._just_below(det._score(near))
    asked.clear()
    stats: dict[str, Any] = {}
    _v, score = det._refine(tpl.project(img), img, tpl, near, stats)
    assert det._just_below(score)  # nothing there: every try stays below
    assert asked == [False] * (1 + len(det.refine_grow)) + [True] and stats["refit"] == 1
    det.refine_refit = False
    asked.clear()
    det._refine(tpl.project(img), img, tpl, near, {})
    assert asked == [False] * (1 + len(det.refine_grow))


def test_the_refit_try_passes_only_by_the_margin_further_tries_need(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the last try is one more chance for a look-alike too: like a grown window it counts as
    # passing only at the threshold + ``refine_grow_margin`` (without it, two false hits at
    # 0.770 and 0.772 on set B's read splits, fifty-first session)
    tpl, img, _ = _five_copies()
    near = _window_just_below()
    refitted = dataclasses.replace(near, whole=0.5)
    det = LogoDetector([tpl], clutter_images=1)
    below = det._score(near)
    assert det._just_below(below)

    def verified(*args, refit: bool = False, **kwargs):  # type: ignore[no-untyped-def]
        return refitted if refit else near

    monkeypatch.setattr(det, "_verify", verified)
    just, clear = det.threshold + det.refine_grow_margin / 2, det.threshold + 0.02
    for last, kept in ((just, below), (clear, clear), (below - 0.01, below)):
        monkeypatch.setattr(det, "_score", lambda v, last=last: last if v is refitted else below)
        v, score = det._refine(tpl.project(img), img, tpl, near, {})
        assert score == kept and (v is refitted) is (kept == clear)


def test_verify_passes_the_refit_to_the_fit_it_chooses(monkeypatch: pytest.MonkeyPatch) -> None:
    # ``verify`` and ``verify_edges`` both choose their warp through ``_best_warp``; with
    # ``refit`` each chosen fit is handed to ``_refit``, without it never
    import gkcheck.vision.logo.verify as verify_module

    tpl = LogoTemplate.load(SAMPLE_LOGO)
    img = np.full((400, 500, 3), 200, np.uint8)
    cand = paste_logo(img, tpl, 250, 200, 150)
    gray = tpl.project(img)
    seen: list[float] = []
    real = verify_module._refit

    def spy(*args):  # type: ignore[no-untyped-def]
        seen.append(args[3][0])
        return real(*args)

    monkeypatch.setattr(verify_module, "_refit", spy)
    for fn in (verify_module.verify, verify_module.verify_edges):
        assert fn(gray, img, tpl, cand, strict=True) is not None
        assert not seen
        assert fn(gray, img, tpl, cand, strict=True, refit=True) is not None
        assert len(seen) == 1
        seen.clear()
