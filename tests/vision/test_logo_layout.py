"""The chroma layout (``gkcheck.vision.logo.layout``): the LOGO's colours where the template has
them, through a colour cast; nothing said where there is no colour to compare."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from gkcheck.vision.logo import LogoDetector, LogoTemplate, verify
from gkcheck.vision.logo.layout import colour_layout, lab, nearest, off_line, regions

from ._support import in_one_ink, paste_logo, wall_scene

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_LOGO = ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"

BLUE, ORANGE, BLACK, WHITE = (200, 120, 20), (0, 140, 240), (25, 25, 25), (255, 255, 255)


def _ring(ring=BLUE, disc=ORANGE, bar=BLACK) -> np.ndarray:
    """A ring around a disc, a bar below: three flat colours on white (BGR)."""
    img = np.full((200, 160, 3), WHITE, np.uint8)
    cv2.circle(img, (80, 80), 70, ring, -1)
    cv2.circle(img, (80, 80), 50, WHITE, -1)
    cv2.circle(img, (80, 80), 35, disc, -1)
    cv2.rectangle(img, (20, 165), (140, 190), bar, -1)
    return img


def test_lab_gives_the_cielab_of_the_srgb_primaries() -> None:
    # worked out by the formulas (D65), not by OpenCV, whose first conversion of a process
    # builds tables for ~50 ms; OpenCV's interpolated floats stay within 0.5 of these
    bgr = np.array([[[0, 0, 255], [0, 255, 0], [255, 0, 0], [128, 128, 128], WHITE, (0, 0, 0)]])
    expected = [
        (53.24, 80.09, 67.20),
        (87.73, -86.18, 83.18),
        (32.30, 79.19, -107.86),
        (53.59, 0.0, 0.0),
        (100.0, 0.0, 0.0),
        (0.0, 0.0, 0.0),
    ]
    out = lab(bgr.astype(np.uint8))
    assert out.dtype == np.float32 and out.shape == (1, 6, 3)
    assert out[0] == pytest.approx(np.array(expected), abs=0.02)
    rng = np.random.default_rng(3)
    colours = rng.integers(0, 256, (4000, 1, 3)).astype(np.float32)
    by_opencv = cv2.cvtColor(colours / 255.0, cv2.COLOR_BGR2Lab)
    assert float(np.abs(lab(colours) - by_opencv).max()) < 0.5


def test_regions_are_the_flat_colours_and_the_same_every_time() -> None:
    px = lab(_ring()).reshape(-1, 3)
    a, b = regions(px), regions(px)
    assert np.array_equal(a, b)
    assert len(a) == 4  # white, blue, orange, black
    found = {
        tuple(np.round(c).astype(int))
        for c in lab(np.array([[BLUE, ORANGE, BLACK, WHITE]], np.uint8))[0]
    }
    got = {tuple(np.round(c).astype(int)) for c in a}
    for want in found:
        assert min(np.abs(np.array(want) - np.array(g)).max() for g in got) <= 2
    assert set(nearest(px, a)) == {0, 1, 2, 3}


def test_the_template_agrees_with_itself_and_through_a_colour_cast() -> None:
    art = _ring()
    tpl = LogoTemplate.from_array(art, name="t")
    w, h = tpl.size
    seen = (tpl.ink > 0).astype(np.uint8)
    same = tpl.colour_at(w, h)
    lay = colour_layout(tpl.colour_at(w, h), tpl.regions_at(w, h), same, seen)
    assert lay.comparable and lay.agreement > 0.99
    cast = np.clip(same * np.array([0.75, 0.95, 1.2], np.float32) + 12, 0, 255)
    lay = colour_layout(tpl.colour_at(w, h), tpl.regions_at(w, h), cast, seen)
    assert lay.comparable and lay.agreement > 0.8, lay


def test_the_same_shape_in_other_colours_disagrees() -> None:
    tpl = LogoTemplate.from_array(_ring(), name="t")
    w, h = tpl.size
    seen = (tpl.ink > 0).astype(np.uint8)
    other = LogoTemplate.from_array(_ring(ring=ORANGE, disc=BLUE), name="o").colour_at(w, h)
    lay = colour_layout(tpl.colour_at(w, h), tpl.regions_at(w, h), other, seen)
    assert lay.comparable and lay.agreement < 0.0, lay


def test_nothing_is_said_without_colour_to_compare() -> None:
    tpl = LogoTemplate.from_array(_ring(), name="t")
    w, h = tpl.size
    seen = (tpl.ink > 0).astype(np.uint8)
    grey = cv2.cvtColor(cv2.cvtColor(tpl.bgr, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    grey = cv2.resize(grey, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32)
    assert not colour_layout(tpl.colour_at(w, h), tpl.regions_at(w, h), grey, seen).comparable
    tinted = np.clip(grey * np.array([0.8, 1.0, 1.1], np.float32), 0, 255)  # a sepia print
    assert not colour_layout(tpl.colour_at(w, h), tpl.regions_at(w, h), tinted, seen).comparable
    mono = LogoTemplate.from_array(_ring(ring=BLACK, disc=(90, 90, 90)), name="m")
    mw, mh = mono.size
    mseen = (mono.ink > 0).astype(np.uint8)
    other = LogoTemplate.from_array(_ring(), name="c").colour_at(mw, mh)
    assert not colour_layout(
        mono.colour_at(mw, mh), mono.regions_at(mw, mh), other, mseen
    ).comparable


def _scene(logo: LogoTemplate, grey: bool = False, blur: float = 0.0) -> bytes:
    return wall_scene(logo, grey=grey, blur=blur)[0]


def _score(det: LogoDetector, data: bytes) -> float:
    m = det.detect(data)
    assert m.found, m.score
    return m.score


def test_colours_where_the_template_has_them_add_the_bonus() -> None:
    demo = LogoTemplate.load(SAMPLE_LOGO)
    plain = LogoDetector([demo], layout_bonus=0.0, threshold=0.5)
    bonus = LogoDetector([demo], layout_bonus=0.04, threshold=0.5)
    # in colour (out of focus, so that the score is not at 1): the layout agrees, the bonus
    # is added; in focus the score stays at most 1
    data = _scene(demo, blur=4.0)
    b, p = _score(bonus, data), _score(plain, data)
    assert p < 0.95 and b == pytest.approx(p + 0.04, abs=1e-3)
    assert _score(bonus, _scene(demo)) == 1.0
    agreement = bonus.last_stats["layout"]
    assert agreement is not None and agreement >= 0.9
    # in a grey photo, or printed in one ink, there is nothing to agree: no bonus, no loss
    for other in (_scene(demo, grey=True), _scene(in_one_ink(demo, (160, 60, 20)))):
        assert _score(bonus, other) == pytest.approx(_score(plain, other), abs=1e-6)


def test_off_line_is_zero_for_colours_on_one_line_and_grows_with_their_spread() -> None:
    w = np.ones(3)
    assert off_line(np.array([[0.1, 0.2, 0.3], [0.9, 0.8, 0.7]]), np.ones(2)) == 0.0
    paper, ink = np.array([0.95, 0.93, 0.9]), np.array([0.05, 0.1, 0.6])
    mixes = np.array([paper, 0.5 * paper + 0.5 * ink, ink])  # paper and one ink, linear light
    assert off_line(mixes, w) < 1e-6
    assert off_line(np.array([[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]]), w) > 0.9


@pytest.mark.parametrize(
    "ink", [(30, 30, 200), (160, 60, 20), (30, 150, 210), (40, 160, 40)], ids=str
)
def test_a_print_in_one_ink_lies_near_one_line_and_the_logo_in_its_colours_does_not(
    ink: tuple[int, int, int],
) -> None:
    # in one ink the layout can disagree (an ink's hue is not the template's): the veto must
    # know such a print by its line, or it refuses the LOGO printed in one ink
    tpl = LogoTemplate.from_array(_ring(), name="t")
    w, h = tpl.size
    seen = (tpl.ink > 0).astype(np.uint8)
    own = colour_layout(tpl.colour_at(w, h), tpl.regions_at(w, h), tpl.colour_at(w, h), seen)
    assert own.photo_line >= 0.5
    one = colour_layout(
        tpl.colour_at(w, h), tpl.regions_at(w, h), in_one_ink(tpl, ink).colour_at(w, h), seen
    )
    assert one.comparable and one.photo_line < 0.1, one


@pytest.mark.parametrize(
    "colours",
    [{"ring": ORANGE, "disc": BLUE}, {"ring": (40, 160, 40), "disc": (150, 40, 150)}],
    ids=["swapped", "green-purple"],
)
def test_the_same_shapes_in_other_colours_are_refused_and_one_ink_is_not(
    colours: dict[str, tuple[int, int, int]],
) -> None:
    # set B's "siblings": another design of the family, the same shapes in other inks. The
    # shapes alone pass (0.81-0.95 here); the colour veto refuses them, and the LOGO printed
    # in one ink, whose layout may disagree as much, is still found
    tpl = LogoTemplate.from_array(_ring(), name="t")
    other = _scene(LogoTemplate.from_array(_ring(**colours), name="o"))
    assert LogoDetector([tpl], colour_veto=()).detect(other).found
    m = LogoDetector([tpl]).detect(other)
    assert not m.found, m.score
    for ink in ((160, 60, 20), (30, 150, 210)):
        assert _score(LogoDetector([tpl]), _scene(in_one_ink(tpl, ink))) >= 0.77


RED = (40, 30, 200)


def _seal_and_text() -> LogoTemplate:
    """A red seal with strokes reversed out of it beside two lines of text, one red, one
    black: the kind of design whose second colour is all thin strokes (set B's third
    design is one)."""
    img = np.full((150, 420, 3), WHITE, np.uint8)
    cv2.rectangle(img, (10, 10), (140, 140), RED, -1)
    cv2.rectangle(img, (22, 22), (128, 128), WHITE, 3)
    for x in (45, 95):
        cv2.line(img, (x, 35), (x, 115), WHITE, 4)
        cv2.line(img, (x - 15, 75), (x + 15, 75), WHITE, 4)
    cv2.putText(img, "ABCDE", (160, 65), cv2.FONT_HERSHEY_DUPLEX, 1.6, RED, 3, cv2.LINE_AA)
    cv2.putText(img, "FGHKM", (160, 130), cv2.FONT_HERSHEY_DUPLEX, 1.6, BLACK, 3, cv2.LINE_AA)
    return LogoTemplate.from_array(img, name="seal")


def test_thin_strokes_keep_their_region_only_when_asked() -> None:
    # at the verification size (~96 px geometric mean) the rim takes every pixel of a line of
    # text: the black line and the white strokes vanish and the layout has one region to
    # compare, so it says nothing. Kept (``thin=True``), the layout compares them
    tpl = _seal_and_text()
    w, h = 147, 63
    seen = (tpl.gray_at(w, h)[1] > 0).astype(np.uint8)
    col = tpl.colour_at(w, h)
    plain, thin = tpl.regions_at(w, h), tpl.regions_at(w, h, thin=True)
    assert len(set(np.unique(plain)) - {-1}) < len(set(np.unique(thin)) - {-1})
    assert not colour_layout(col, plain, col, seen).comparable
    own = colour_layout(col, thin, col, seen)
    assert own.comparable and own.agreement > 0.99
    # a template without thin strokes: the same regions, the same array
    ring = LogoTemplate.from_array(_ring(), name="r")
    rw, rh = ring.size
    assert ring.regions_at(rw, rh, thin=True) is ring.regions_at(rw, rh)


def test_thin_strokes_laid_out_as_the_template_pick_the_colour_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # red and black on a wall lie on one line of the chroma plane (``photo_hues`` 1), so the
    # colour network is asked only if the colours sit where the template's do; read on the
    # thick regions alone the layout says nothing and the grey network was asked (set B's
    # third design: 87 of 100 at their true place, 28 of them refused). Read on its thin
    # strokes too, the layout agrees
    tpl = _seal_and_text()
    img = np.empty((600, 800, 3), np.uint8)
    img[:] = (150, 160, 170)
    cand = paste_logo(img, tpl, 400, 240, 320)
    asked: list[bool] = []
    real = verify.pair_probability

    def spy(*args, laid_out=False):  # type: ignore[no-untyped-def]
        asked.append(laid_out() if callable(laid_out) else laid_out)
        return real(*args, laid_out=laid_out)

    monkeypatch.setattr(verify, "pair_probability", spy)
    quad = np.array(
        [
            [cand.cx - cand.w / 2, cand.cy - cand.h / 2],
            [cand.cx + cand.w / 2, cand.cy - cand.h / 2],
            [cand.cx + cand.w / 2, cand.cy + cand.h / 2],
            [cand.cx - cand.w / 2, cand.cy + cand.h / 2],
        ]
    )
    det = LogoDetector([tpl])
    v = det._verify_at(tpl.project(img), img, tpl, quad)
    assert v is not None and asked == [True]
    assert not v.layout.comparable  # the layout that scores is read on the thick regions
    asked.clear()
    LogoDetector([tpl], hue_route=0)._verify_at(tpl.project(img), img, tpl, quad)
    assert asked == [False]
