"""LOGO templates: the LOGO's own mask, the demo mark, and ``gkcheck logo template``.

Photos are the committed samples (samples/logo/) or drawn here, deterministically.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from gkcheck.vision.logo import LogoDetector, LogoTemplate, is_demo_template

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "logo"
DEMO = ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"
# the opt-in search for LOGOs printed without their card (docs/vision/logo.md)
TRUTH = {t["file"]: t for t in json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))}


def _artwork() -> np.ndarray:
    """A mark (a green disc with a white star and stripes) above a block of bars, BGRA,
    transparent around it."""
    im = np.zeros((300, 260, 4), np.uint8)
    cv2.circle(im, (130, 110), 100, (40, 140, 20, 255), -1, cv2.LINE_AA)
    star = np.array(
        [[130, 30], [150, 90], [210, 90], [160, 125], [180, 185], [130, 150], [80, 185],
         [100, 125], [50, 90], [110, 90]], np.int32,
    )  # fmt: skip
    cv2.fillPoly(im, [star], (255, 255, 255, 255), cv2.LINE_AA)
    cv2.line(im, (60, 160), (200, 160), (0, 200, 255, 255), 8)
    for k in range(6):  # a "text line": bars with gaps
        cv2.rectangle(im, (20 + 38 * k, 232), (46 + 38 * k, 282), (40, 40, 40, 255), -1)
    return im


def _gkcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")
    )
    return subprocess.run(
        [sys.executable, "-m", "gkcheck", *args], capture_output=True, text=True, cwd=cwd, env=env,
        check=False,
    )  # fmt: skip


def test_alpha_is_the_mask(tmp_path: Path) -> None:
    art = _artwork()  # transparent pixels are black: without the alpha they would be "ink"
    p = tmp_path / "a.png"
    cv2.imwrite(str(p), art)
    t = LogoTemplate.load(p)
    assert t.size[0] <= 262 and t.size[1] <= 302
    sel = t.mask > 0
    # the LOGO covers the disc and the bars, not the transparent canvas between the bars
    frac = sel.mean()
    assert 0.35 < frac < 0.8, frac
    gaps = t.mask[-20:, :]  # the text line: bars and transparent gaps
    assert 0.3 < (gaps > 0).mean() < 0.85
    assert float(t.bgr[~sel].mean()) > 245  # the canvas is white in every render, not black


def test_uniform_coloured_canvas_is_not_the_logo() -> None:
    art = _artwork()
    a = art[..., 3:4].astype(np.float32) / 255
    blue = (art[..., :3] * a + np.array([160, 60, 20]) * (1 - a)).astype(np.uint8)
    blue = cv2.copyMakeBorder(blue, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=(160, 60, 20))
    t = LogoTemplate.from_array(blue)
    # cropped to the LOGO (the blue margin is gone), and the white star inside the disc
    # is part of the LOGO while the blue between the bars is not
    assert t.size[0] <= 262 and t.size[1] <= 302
    white_star = t.mask[t.bgr.shape[0] * 110 // 300, t.bgr.shape[1] // 2]
    assert white_star == 255
    assert 0.3 < (t.mask[-15:, :] > 0).mean() < 0.85


def test_white_detail_inside_a_solid_shape_is_logo_glyph_counters_are_not() -> None:
    # on a white canvas: a black disc with white waves (printed in white ink with the LOGO),
    # and below it a "日" of thin strokes whose counters are the canvas showing through
    im = np.full((300, 260, 3), 255, np.uint8)
    cv2.circle(im, (130, 100), 90, (20, 20, 20), -1, cv2.LINE_AA)
    for k in range(3):
        cv2.line(im, (70, 70 + 30 * k), (190, 70 + 30 * k), (255, 255, 255), 9)
    cv2.rectangle(im, (110, 210), (150, 290), (20, 20, 20), 5)  # 日: a frame ...
    cv2.line(im, (110, 250), (150, 250), (20, 20, 20), 5)  # ... and its middle stroke
    t = LogoTemplate.from_array(im)
    # where the template was cropped from the drawing
    res = cv2.matchTemplate(im, t.bgr, cv2.TM_SQDIFF)
    x0, y0 = cv2.minMaxLoc(res)[2]
    assert t.mask[100 - y0, 130 - x0] == 255, "the white waves inside the disc are the LOGO's"
    assert t.mask[230 - y0, 130 - x0] == 0, "the inside of the glyph is the backdrop"
    assert t.mask[210 - y0, 130 - x0] == 255  # the glyph's stroke


def test_transparent_export_is_the_same_logo_as_the_export_on_white() -> None:
    # a ring with a bar inside and a "日" below, exported twice: transparent around and inside
    # the ring (a designer's export), and on white. One LOGO: the ring's inside is the LOGO's
    # in both, the glyph's counters in neither
    alpha = np.zeros((300, 260), np.uint8)
    cv2.circle(alpha, (130, 100), 85, 255, 10, cv2.LINE_AA)
    cv2.rectangle(alpha, (95, 90), (165, 110), 255, -1)
    cv2.rectangle(alpha, (110, 210), (150, 290), 255, 5)
    cv2.line(alpha, (110, 250), (150, 250), 255, 5)
    ink = np.zeros((300, 260, 3), np.uint8)
    ink[:] = (30, 30, 200)
    a = alpha.astype(np.float32)[..., None] / 255.0
    on_white = (ink * a + 255.0 * (1.0 - a)).astype(np.uint8)
    clear = LogoTemplate.from_array(ink, name="clear", alpha=alpha)
    white = LogoTemplate.from_array(on_white, name="white")
    # the crops differ by an anti-aliased pixel or two: compare at one size
    ch, cw = clear.mask.shape
    assert abs(ch - white.mask.shape[0]) <= 3 and abs(cw - white.mask.shape[1]) <= 3
    same = cv2.resize(white.mask, (cw, ch), interpolation=cv2.INTER_NEAREST)
    assert float((clear.mask != same).mean()) < 0.03, "one mask for one artwork"
    h, w = clear.mask.shape
    assert clear.mask[h * 100 // 300, w * 130 // 260] == 255  # the bar
    assert clear.mask[h * 60 // 300, w * 130 // 260] == 255, "the ring's inside is the LOGO's"
    assert clear.mask[h * 230 // 300, w * 130 // 260] == 0, "the glyph's counter is not"
    assert float(clear.bgr[h * 60 // 300, w * 130 // 260].min()) > 245  # painted white


def _print_on(
    backdrop: tuple[int, int, int], width: int, seed: int, *, with_logo: bool = True
) -> np.ndarray:
    """A 1024 x 768 photo: a flat backdrop, some clutter, the artwork printed without a card."""
    rng = np.random.default_rng(seed)
    img = np.empty((768, 1024, 3), np.float32)
    img[...] = backdrop
    img *= np.linspace(0.85, 1.1, 1024, dtype=np.float32)[None, :, None]
    for _ in range(6):
        x, y = rng.integers(0, 900), rng.integers(500, 700)
        cv2.circle(img, (int(x), int(y)), int(rng.integers(20, 50)), (40.0, 35.0, 30.0), -1)
    art = _artwork()
    h = round(art.shape[0] * width / art.shape[1])
    art = cv2.resize(art, (width, h), interpolation=cv2.INTER_AREA)
    x0, y0 = 300, 120
    a = art[..., 3:4].astype(np.float32) / 255
    sub = img[y0 : y0 + h, x0 : x0 + width]
    if with_logo:
        sub[...] = art[..., :3] * a + sub * (1 - a)
    img += rng.normal(0, 3, img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("backdrop", [(30, 30, 190), (150, 60, 20)], ids=["red", "blue"])
def test_logo_without_card_found_on_coloured_backdrop(backdrop: tuple[int, int, int]) -> None:
    # the user's file has the LOGO on white; the photo has it printed on red / blue cloth
    art = _artwork()
    a = art[..., 3:4].astype(np.float32) / 255
    on_white = (art[..., :3] * a + 255 * (1 - a)).astype(np.uint8)
    photo = _print_on(backdrop, 240, seed=1)
    det = LogoDetector([LogoTemplate.from_array(on_white, name="mark.png")])
    m = det.detect(cv2.imencode(".jpg", photo)[1].tobytes())
    assert m.found, m.score
    assert m.bbox is not None and abs(m.bbox[0] - 300) < 20 and abs(m.bbox[1] - 120) < 20
    assert m.template == "mark.png"
    # and not on the same backdrop without it
    empty = _print_on(backdrop, 240, seed=1, with_logo=False)
    assert not det.detect(cv2.imencode(".jpg", empty)[1].tobytes()).found


@pytest.mark.parametrize("strict", [False, True])
def test_every_render_is_the_artwork_projected_then_resized(strict: bool) -> None:
    # ``gray_at`` projects the artwork once and resizes that for each size: each render is
    # still the artwork projected on the LOGO's axis (with ``strict``, its mean grey outside
    # the mask), resized by area, to the bit, at whatever size and in whatever order asked
    tpl = LogoTemplate.from_array(_artwork()[..., :3], name="art", alpha=_artwork()[..., 3])
    inside = tpl.ink > 0
    for w, h in ((96, 104), (28, 30), (61, 40), (96, 104), (7, 9)):
        grey = cv2.transform(tpl.bgr.astype(np.float32), tpl.axis.reshape(1, 3))
        if strict:
            grey[~inside] = float(grey[inside].mean())
        want = cv2.resize(grey, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32)
        got, mask = tpl.gray_at(w, h, strict=strict)
        assert got.shape == (h, w) and mask.shape == (h, w)
        assert np.array_equal(got, want)
    # the artwork itself is never changed by a strict render
    assert np.array_equal(tpl.project(tpl.bgr), tpl.gray_at(*tpl.size)[0])


def test_demo_template_is_known_by_content(tmp_path: Path) -> None:
    assert is_demo_template(DEMO)
    copy = tmp_path / "our-logo.png"  # renamed copy: still the demo mark
    shutil.copy(DEMO, copy)
    assert is_demo_template(copy) and LogoTemplate.load(copy).is_demo
    other = tmp_path / "real.png"
    cv2.imwrite(str(other), _artwork())
    assert not is_demo_template(other) and not LogoTemplate.load(other).is_demo
    assert not is_demo_template(tmp_path / "missing.png")


def test_logo_command_says_demo_and_which_template(tmp_path: Path) -> None:
    r = _gkcheck("logo", "--format", "json", str(SAMPLES / "pos-backdrop.jpg"), cwd=tmp_path)
    out = json.loads(r.stdout)
    assert out["demo_template"] is True
    assert out["warning"] == "LOGO 模板为示例图，请在 gkcheck.toml 中配置本次活动的 LOGO"
    assert out["results"][0]["found"] and out["results"][0]["template"] == "sample-logo.png"
    r = _gkcheck("logo", "--lang", "zh", str(SAMPLES / "pos-backdrop.jpg"), cwd=tmp_path)
    assert "LOGO 模板为示例图" in r.stdout


@pytest.mark.parametrize("how", ["box", "auto"])
def test_template_command_cuts_a_template_that_finds_the_logo_elsewhere(
    tmp_path: Path, how: str
) -> None:
    src = SAMPLES / "pos-backdrop.jpg"
    x0, y0, x1, y1 = TRUTH["pos-backdrop.jpg"]["bbox"]
    out = tmp_path / "campaign-logo.png"
    sel = ["--box", f"{x0},{y0},{x1 - x0},{y1 - y0}"] if how == "box" else ["--auto"]
    r = _gkcheck("logo", "template", str(src), *sel, "-o", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "[logo]" in r.stdout and "templates = [" in r.stdout and str(out) in r.stdout
    png = cv2.imread(str(out), cv2.IMREAD_UNCHANGED)
    assert png is not None and png.shape[2] == 4  # the LOGO's mask is the alpha
    # the backdrop round the LOGO is transparent (--auto's box keeps the LOGO's white card)
    assert (0.3 if how == "box" else 0.02) < (png[..., 3] == 0).mean() < 0.9
    assert not is_demo_template(out)
    (tmp_path / "gkcheck.toml").write_text(r.stdout.split("\n", 1)[1], encoding="utf-8")
    others = ["pos-rotated-blur.jpg", "neg-other-campaign.jpg", "neg-none.jpg", "neg-text-only.jpg"]
    cfg = str(tmp_path / "gkcheck.toml")
    r = _gkcheck(
        "logo", "--config", cfg, "--format", "json", *(str(SAMPLES / f) for f in others),
        cwd=tmp_path,
    )  # fmt: skip
    res = json.loads(r.stdout)
    assert "demo_template" not in res
    found = {Path(x["path"]).name: x["found"] for x in res["results"]}
    assert found == {f: TRUTH[f]["positive"] for f in others}
    assert all(x["template"] == "campaign-logo.png" for x in res["results"] if x["found"])
    # every other photo of that event with the exact box; --auto's looser cut (it keeps the
    # white card and a rim of backdrop) misses two of the six: the board seen at an angle and
    # the occluded screen
    det = LogoDetector([LogoTemplate.load(out)])
    hits = {f: det.detect(SAMPLES / f).found for f in TRUTH if f.startswith(("pos-", "neg-"))}
    assert not any(hits[f] for f in hits if f.startswith("neg-")), hits
    positives = [hits[f] for f in hits if f.startswith("pos-")]
    assert sum(positives) >= (len(positives) if how == "box" else len(positives) - 2), hits


def test_template_command_refuses_bad_requests(tmp_path: Path) -> None:
    src = str(SAMPLES / "pos-backdrop.jpg")
    out = str(tmp_path / "t.png")
    for args in (["--box", "1,2,3"], ["--box", "0,0,4,4"], []):
        r = _gkcheck("logo", "template", src, *args, "-o", out, cwd=tmp_path)
        assert r.returncode != 0 and "Traceback" not in r.stderr, (args, r.stderr)
    r = _gkcheck(
        "logo", "template", str(SAMPLES / "not-an-image.jpg"), "--auto", "-o", out, cwd=tmp_path
    )
    assert r.returncode != 0 and "Traceback" not in r.stderr


def test_evidence_image_written(tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    r = _gkcheck(
        "logo",
        "--format",
        "json",
        "--evidence",
        str(ev),
        str(SAMPLES / "pos-small.jpg"),
        cwd=tmp_path,
    )
    item = json.loads(r.stdout)["results"][0]
    img = cv2.imread(item["evidence"])
    assert img is not None and item["quad"] and len(item["quad"]) == 4


def test_logo_command_checks_photos_in_parallel_and_answers_in_order(tmp_path: Path) -> None:
    # --jobs 2 (threads sharing one detector) answers as --jobs 1 does, photo by photo, in the
    # order given -- an unreadable file among them included
    photos = [
        str(SAMPLES / f)
        for f in ("neg-none.jpg", "pos-backdrop.jpg", "not-an-image.jpg", "pos-rotated-blur.jpg",
                  "neg-text-only.jpg")
    ]  # fmt: skip
    outs = []
    for jobs in ("1", "2"):
        r = _gkcheck("logo", "--format", "json", "--jobs", jobs, *photos, cwd=tmp_path)
        assert r.returncode == 1  # the unreadable file and the negatives
        outs.append(json.loads(r.stdout)["results"])
    assert outs[0] == outs[1]
    assert [x["path"] for x in outs[1]] == photos
    assert [x["found"] for x in outs[1]] == [False, True, False, True, False]
    assert "error" in outs[1][2]
