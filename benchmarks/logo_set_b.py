"""A second, independent LOGO photo generator: set B (deterministic, not committed).

    pip install -e '.[bench]'           # scikit-image: its photographs are the backdrops
    bash scripts/install-bench-fonts.sh  # the CJK fonts the sets were measured with
    python benchmarks/logo_set_b.py [OUT] [--split tune|test|NAME] [-n N] [--jobs J] [--base N]
                                    [--reversed | --knockout]

writes ``OUT/<split>/NNNN.jpg``, ``OUT/<split>/templates/*.png`` and ``OUT/<split>/truth.json``
(default OUT = /tmp/gkcheck-logo-b), in the format ``benchmarks/logo.py`` reads, plus a ``tags``
list per photo (``nocard``, ``disc``, ``card``, ``yaw>=20``, ``occl>=10``, ``w50-120``,
``w>=200`` ...) that it reports per condition.

Why a second generator: ``logo_set.py`` (set A) is what the detector was tuned on for two
sessions; figures on its own held-out split measure how well the detector fits *that*
generator. This one shares no code with it (no ``scene.py``, no ``logo_designs.py`` marks):

* backgrounds: real photographs shipped inside scikit-image (``skimage.data``: astronaut,
  coffee, rocket, motorcycle, cat, bricks, grass, gravel, coins, a page of text ...; no
  download), cropped, scaled and mirrored, or procedural venues (curtains, walls, a crowd of
  heads, tables) -- one or the other per photo;
* LOGO designs: a new family (hexagons, seals, sunbursts, shields, waves ... drawn with OpenCV
  polygons, serif text) -- ids < 1000 for the *tune* split, >= 1000 for any other split --
  plus a fixed *third design* (a red seal 政务 公开 beside the text; held out: test splits
  only) and the shipped demo mark;
* printing: on its white card, without a card (only the LOGO's own pixels on a red / blue /
  dark / light backdrop), a round badge cut to its outline, on cloth (folds), a roll-up stand
  or an LED screen (pixel grid, bloom);
* geometry: a 3-D rotation of the panel seen by a pinhole camera: yaw up to +-35 deg, pitch
  up to +-20 deg, roll up to +-20 deg; LOGO 50 px wide up to ~80 % of the photo;
* occluders (a head, a hand, a microphone, a plant) over 5-20 % of the LOGO's pixels;
* camera: defocus (sigma <= 2 px at 1 MP, scaled), motion blur (<= 30 px at 12 MP), noise,
  white balance casts, gamma, glare, grayscale, JPEG quality 60-90, 1-12 MP;
* ``--reversed`` (set R, a dev set for the reversed round, ``LogoDetector.reversed_keep``):
  every positive's LOGO printed reversed (反白: its ink in white, cream or gold, without a
  card, on a red, blue, dark, green or purple backdrop); the split is otherwise the one it
  would be without the flag, photo for photo (scene, geometry, occluders, camera);
* ``--knockout`` (set K, a dev set for LOGOs whose paper shows the backdrop): every positive's
  LOGO printed from an export whose white parts are transparent (its inks kept, the white
  inside a ring, a seal's characters, a disc's paper knocked out to the backdrop), without a
  card, on set B's backdrops; otherwise the split's photos, as with ``--reversed``;
* hard negatives: other emblems (a national-emblem-like red/gold disc, a party-emblem-like
  red flag, scikit-image's own logo, another design of the family with the same text, the
  text alone, the demo mark when the query is another LOGO).

Fonts: `bash scripts/install-bench-fonts.sh` installs the CJK fonts named below (a fresh
machine may lack some; the generator then falls back to those present).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from multiprocessing import Pool
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"
TEXT = "政务公开主题日"

SIZES = [
    (1024, 768),
    (1280, 960),
    (1600, 1200),
    (1920, 1080),
    (2304, 1728),
    (3000, 2000),
    (3264, 2448),
    (4000, 3000),
    (768, 1024),
    (1200, 1600),
    (2448, 3264),
]
PHOTOS = [
    "astronaut", "coffee", "rocket", "motorcycle_left", "chelsea", "brick", "grass", "gravel",
    "camera", "coins", "page", "text", "hubble_deep_field", "color", "horse",
]  # fmt: skip
FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
]
PALETTE = [
    (200, 20, 30), (20, 60, 160), (0, 120, 90), (230, 140, 0), (120, 30, 120), (20, 20, 20),
    (0, 140, 200), (160, 110, 20),
]  # fmt: skip


# ------------------------------------------------------------------ designs (RGBA, 0..255)
def _font(size: int, k: int = 0) -> ImageFont.FreeTypeFont:
    for p in FONTS[k:] + FONTS[:k]:
        try:
            return ImageFont.truetype(p, size)
        except OSError:
            continue
    raise SystemExit("no CJK font found (apt-get install fonts-noto-cjk)")


def _text_rgba(text: str, size: int, colour: tuple[int, int, int], k: int) -> np.ndarray:
    f = _font(size, k)
    x0, y0, x1, y1 = f.getbbox(text)
    im = Image.new("RGBA", (x1 - x0 + 4, y1 - y0 + 4), (0, 0, 0, 0))
    ImageDraw.Draw(im).text((2 - x0, 2 - y0), text, font=f, fill=(*colour, 255))
    return np.asarray(im).copy()


def _poly(n: int, r: float, c: float, rot: float = 0.0) -> np.ndarray:
    a = np.linspace(0, 2 * math.pi, n, endpoint=False) + rot
    return np.stack([c + r * np.cos(a), c + r * np.sin(a)], 1).astype(np.int32)


def _mark(rng: random.Random, s: int, c1: tuple, c2: tuple) -> np.ndarray:
    """A graphic mark on a transparent s x s canvas (RGBA)."""
    rgb = np.zeros((s, s, 3), np.uint8)
    a = np.zeros((s, s), np.uint8)
    c = s / 2
    kind = rng.choice(["hexagon", "sunburst", "shield", "waves", "rings", "triangle", "leaf"])

    def fill(pts: np.ndarray, col: tuple) -> None:
        cv2.fillPoly(rgb, [pts], col, cv2.LINE_AA)
        cv2.fillPoly(a, [pts], 255, cv2.LINE_AA)

    def disc(r: float, col: tuple) -> None:
        cv2.circle(rgb, (int(c), int(c)), int(r), col, -1, cv2.LINE_AA)
        cv2.circle(a, (int(c), int(c)), int(r), 255, -1, cv2.LINE_AA)

    if kind == "hexagon":
        fill(_poly(6, 0.48 * s, c, math.pi / 6), c1)
        fill(_poly(6, 0.34 * s, c, math.pi / 6), (255, 255, 255))
        fill(_poly(rng.choice([3, 4, 5]), 0.2 * s, c, rng.random()), c2)
    elif kind == "sunburst":
        n = rng.randint(8, 14)
        for i in range(n):
            ang = 2 * math.pi * i / n
            p = np.array(
                [[c, c], [c + 0.48 * s * math.cos(ang - 0.12), c + 0.48 * s * math.sin(ang - 0.12)],
                 [c + 0.48 * s * math.cos(ang + 0.12), c + 0.48 * s * math.sin(ang + 0.12)]],
                np.int32,
            )  # fmt: skip
            fill(p, c1 if i % 2 else c2)
        disc(0.17 * s, c2)
    elif kind == "shield":
        p = np.array([[0.1, 0.05], [0.9, 0.05], [0.9, 0.5], [0.5, 0.97], [0.1, 0.5]]) * s
        fill(p.astype(np.int32), c1)
        cv2.rectangle(rgb, (int(0.25 * s), int(0.2 * s)), (int(0.75 * s), int(0.3 * s)), c2, -1)
        cv2.line(rgb, (int(c), int(0.3 * s)), (int(c), int(0.8 * s)), (255, 255, 255), max(2, s // 14))
    elif kind == "waves":
        disc(0.48 * s, c1)
        for k in range(3):
            y = 0.35 * s + k * 0.14 * s
            xs = np.linspace(0.12 * s, 0.88 * s, 40)
            ys = y + 0.05 * s * np.sin(xs / s * 4 * math.pi + k)
            cv2.polylines(rgb, [np.stack([xs, ys], 1).astype(np.int32)], False, (255, 255, 255), max(2, s // 20), cv2.LINE_AA)
        cv2.circle(rgb, (int(0.68 * s), int(0.26 * s)), int(0.08 * s), c2, -1, cv2.LINE_AA)
    elif kind == "rings":
        disc(0.48 * s, c1)
        disc(0.38 * s, (255, 255, 255))
        disc(0.28 * s, c2)
        fill(_poly(5, 0.16 * s, c, -math.pi / 2), (255, 255, 255))
    elif kind == "triangle":
        fill(_poly(3, 0.5 * s, c, -math.pi / 2), c1)
        fill(_poly(3, 0.26 * s, c + 0.06 * s, math.pi / 2), c2)
    else:  # leaf
        cv2.ellipse(rgb, (int(c), int(c)), (int(0.47 * s), int(0.3 * s)), 35, 0, 360, c1, -1, cv2.LINE_AA)
        cv2.ellipse(a, (int(c), int(c)), (int(0.47 * s), int(0.3 * s)), 35, 0, 360, 255, -1, cv2.LINE_AA)
        cv2.line(rgb, (int(0.2 * s), int(0.75 * s)), (int(0.8 * s), int(0.25 * s)), c2, max(2, s // 16), cv2.LINE_AA)
        for k in range(4):
            t = 0.3 + 0.12 * k
            x, y = 0.2 * s + t * 0.6 * s, 0.75 * s - t * 0.5 * s
            cv2.line(rgb, (int(x), int(y)), (int(x - 0.1 * s), int(y - 0.12 * s)), c2, max(2, s // 24), cv2.LINE_AA)
    return np.dstack([rgb, a])


def _compose(mark: np.ndarray, text: np.ndarray | None, layout: str) -> np.ndarray:
    if text is None:
        return mark
    mh, mw = mark.shape[:2]
    th, tw = text.shape[:2]
    gap = mh // 10
    if layout == "beside":
        h, w = max(mh, th), mw + gap + tw
        out = np.zeros((h, w, 4), np.uint8)
        out[(h - mh) // 2 : (h - mh) // 2 + mh, :mw] = mark
        out[(h - th) // 2 : (h - th) // 2 + th, mw + gap :] = text
    else:
        h, w = mh + gap + th, max(mw, tw)
        out = np.zeros((h, w, 4), np.uint8)
        out[:mh, (w - mw) // 2 : (w - mw) // 2 + mw] = mark
        out[mh + gap :, (w - tw) // 2 : (w - tw) // 2 + tw] = text
    return out


def design(did: int, text: str = TEXT) -> np.ndarray:
    """LOGO design ``did`` of the family (RGBA)."""
    rng = random.Random(f"design-b-{did}")
    c1, c2 = rng.sample(PALETTE, 2)
    mark = _mark(rng, 260, c1, c2)
    layout = rng.choice(["above", "above", "beside", "alone"])
    if layout == "alone":
        return mark
    size = 60 if layout == "above" else 70
    txt = _text_rgba(text, size, c1 if rng.random() < 0.6 else c2, rng.randrange(3))
    if layout == "above" and txt.shape[1] > 420:
        txt = cv2.resize(txt, (420, round(txt.shape[0] * 420 / txt.shape[1])), interpolation=cv2.INTER_AREA)
    return _compose(mark, txt, layout)


def third_design() -> np.ndarray:
    """The third LOGO: a red seal (政务 / 公开 reversed out of it) beside the text, on two lines."""
    s = 240
    seal = np.zeros((s, s, 4), np.uint8)
    red = (196, 18, 36)
    cv2.rectangle(seal, (6, 6), (s - 7, s - 7), (*red, 255), -1)
    cv2.rectangle(seal, (20, 20), (s - 21, s - 21), (255, 255, 255, 255), 5)
    for (x, y), ch in zip([(130, 30), (130, 125), (35, 30), (35, 125)], "政务公开", strict=True):
        g = _text_rgba(ch, 80, (255, 255, 255), 0)
        g = cv2.resize(g, (75, 85))
        sub = seal[y : y + 85, x : x + 75]
        al = g[..., 3:4].astype(np.float32) / 255
        sub[..., :3] = (g[..., :3] * al + sub[..., :3] * (1 - al)).astype(np.uint8)
    l1 = _text_rgba("政务公开", 90, red, 0)
    l2 = _text_rgba("主题日", 90, (20, 20, 20), 0)
    tw = max(l1.shape[1], l2.shape[1])
    txt = np.zeros((l1.shape[0] + l2.shape[0] + 12, tw, 4), np.uint8)
    txt[: l1.shape[0], : l1.shape[1]] = l1
    txt[l1.shape[0] + 12 :, : l2.shape[1]] = l2
    return _compose(seal, txt, "beside")


def sample_design() -> np.ndarray:
    """The shipped demo mark, with the white around it made transparent (its own mask)."""
    bgr = cv2.imread(str(SAMPLE))
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    a = np.clip((255 - rgb.min(axis=2).astype(np.int32)) * 3, 0, 255).astype(np.uint8)
    # white parts *inside* the mark (the card of the ring) are printed white
    filled = np.zeros_like(a)
    cnts, _ = cv2.findContours((a > 60).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    big = [c for c in cnts if cv2.contourArea(c) > 0.05 * a.size]
    cv2.drawContours(filled, big, -1, 255, -1)
    a = np.maximum(a, filled)
    return np.dstack([rgb, a])


def national_like(rng: random.Random) -> np.ndarray:
    s = 300
    im = np.zeros((s, s, 4), np.uint8)
    cv2.circle(im, (150, 150), 145, (230, 180, 40, 255), -1, cv2.LINE_AA)
    cv2.circle(im, (150, 150), 120, (200, 20, 30, 255), -1, cv2.LINE_AA)
    for i, (x, y, r) in enumerate([(150, 95, 36), (85, 140, 16), (110, 185, 16), (190, 185, 16), (215, 140, 16)]):
        cv2.fillPoly(im, [np.add(_poly(5, r, 0, -math.pi / 2 + i * 0.2), (x, y))], (250, 210, 40, 255), cv2.LINE_AA)
    cv2.rectangle(im, (95, 215), (205, 235), (250, 210, 40, 255), -1)
    return im


def party_like(rng: random.Random) -> np.ndarray:
    im = np.zeros((240, 340, 4), np.uint8)
    im[...] = (205, 20, 25, 255)
    cv2.ellipse(im, (120, 120), (70, 70), 0, 200, 340, (250, 215, 30, 255), 18, cv2.LINE_AA)
    cv2.line(im, (80, 170), (170, 70), (250, 215, 30, 255), 16, cv2.LINE_AA)
    cv2.rectangle(im, (150, 55), (200, 85), (250, 215, 30, 255), -1)
    return im


def skimage_logo() -> np.ndarray:
    from skimage import data

    im = data.logo()
    if im.shape[2] == 3:
        im = np.dstack([im, np.full(im.shape[:2], 255, np.uint8)])
    return np.ascontiguousarray(im)


def text_only(rng: random.Random) -> np.ndarray:
    return _text_rgba(TEXT, 90, rng.choice(PALETTE), rng.randrange(3))


# ------------------------------------------------------------------ scenes
_PHOTO_CACHE: dict[str, np.ndarray] = {}


def _photo(name: str) -> np.ndarray:
    """One of the photographs bundled inside the scikit-image wheel (RGB)."""
    if name not in _PHOTO_CACHE:
        import skimage.data

        folder = Path(skimage.data.__file__).parent
        path = next(folder.glob(name + ".*"))
        im = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if im is None:
            raise SystemExit(f"cannot read {path}")
        _PHOTO_CACHE[name] = np.ascontiguousarray(cv2.cvtColor(im, cv2.COLOR_BGR2RGB))
    return _PHOTO_CACHE[name]


def background(rng: random.Random, W: int, H: int) -> np.ndarray:
    """RGB uint8 backdrop: a real photograph or a procedural venue."""
    if rng.random() < 0.5:
        im = _photo(rng.choice(PHOTOS))
        h, w = im.shape[:2]
        cw, ch = int(w * rng.uniform(0.5, 1.0)), int(h * rng.uniform(0.5, 1.0))
        x, y = rng.randrange(w - cw + 1), rng.randrange(h - ch + 1)
        crop = im[y : y + ch, x : x + cw]
        if rng.random() < 0.5:
            crop = crop[:, ::-1]
        return cv2.resize(crop, (W, H), interpolation=cv2.INTER_CUBIC)
    # procedural venue: wall gradient, curtain folds, a table, a crowd of heads
    base = np.array(rng.choice([(120, 30, 35), (30, 50, 110), (200, 195, 185), (60, 60, 60), (150, 120, 80)]), np.float32)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    shade = 0.75 + 0.35 * (1 - yy / H) + 0.08 * np.sin(xx / W * rng.uniform(10, 60))
    im = np.clip(base[None, None, :] * shade[..., None], 0, 255)
    for _ in range(rng.randint(0, 3)):  # tables, screens
        x0, y0 = rng.randrange(W), rng.randrange(H)
        cv2.rectangle(im, (x0, y0), (x0 + rng.randrange(W // 2), y0 + rng.randrange(H // 4)),
                      tuple(float(rng.randrange(256)) for _ in range(3)), -1)  # fmt: skip
    for _ in range(rng.randint(0, 25)):  # heads and shoulders
        cx, cy, r = rng.randrange(W), int(H * rng.uniform(0.6, 1.0)), int(H * rng.uniform(0.03, 0.08))
        cv2.ellipse(im, (cx, cy + 2 * r), (int(2.2 * r), int(1.6 * r)), 0, 0, 360, tuple(float(rng.randrange(90)) for _ in range(3)), -1)
        cv2.circle(im, (cx, cy), r, (30.0, 25.0, 25.0) if rng.random() < 0.7 else (200.0, 160.0, 130.0), -1)
    return im.astype(np.uint8)


def _homography(
    pw: int, ph: int, W: int, H: int, width: float, cx: float, cy: float, yaw: float, pitch: float, roll: float
) -> np.ndarray:
    """Panel px -> photo px for a flat panel (``pw`` x ``ph``) rotated by yaw/pitch/roll,
    seen by a pinhole camera (focal length ~ photo width), its LOGO ~``width`` px wide."""
    f = 1.1 * max(W, H)
    y, p, r = (math.radians(v) for v in (yaw, pitch, roll))
    Ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    Rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    Rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    R = Rz @ Rx @ Ry
    z = f * pw / width  # distance so that the panel's width projects to ~``width``
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float64)
    pts3 = np.hstack([src - [pw / 2, ph / 2], np.zeros((4, 1))]) @ R.T + [0, 0, z]
    dst = np.stack([f * pts3[:, 0] / pts3[:, 2] + cx, f * pts3[:, 1] / pts3[:, 2] + cy], 1)
    return cv2.getPerspectiveTransform(src.astype(np.float32), dst.astype(np.float32))


def _over(dst: np.ndarray, rgba: np.ndarray, x: int, y: int) -> None:
    h, w = rgba.shape[:2]
    sub = dst[y : y + h, x : x + w]
    a = rgba[..., 3:4].astype(np.float32) / 255
    sub[...] = rgba[..., :3] * a + sub * (1 - a)


# the backdrops a LOGO printed reversed (``--reversed``) is printed on: its ink light, the
# backdrop dark or saturated, as 反白 is printed on red and blue banners; as many as set B's
# own, so that choosing one draws as much randomness and the rest of the photo is the same
DARK_BACKDROPS = [(200, 25, 30), (25, 55, 150), (30, 30, 35), (180, 30, 40), (0, 90, 70), (120, 20, 25), (60, 25, 90)]


def _panel(rng: random.Random, logo: np.ndarray, mode: str, surface: str, backdrops: list[tuple[int, int, int]] | None = None) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int]]:  # fmt: skip
    """The LOGO printed on a panel -> (panel RGBA float, LOGO mask on the panel, LOGO box);
    ``backdrops``: the panel colours to choose from (default: any of set B's)."""
    lh, lw = logo.shape[:2]
    m = int(rng.uniform(0.15, 0.6) * max(lw, lh))
    ph, pw = lh + 2 * m, lw + 2 * m
    if surface == "rollup":
        ph = int(max(ph, pw * rng.uniform(1.6, 2.4)))
    bg = rng.choice(backdrops or [(200, 25, 30), (25, 55, 150), (235, 235, 230), (30, 30, 35), (180, 30, 40), (0, 90, 70), (240, 200, 60)])
    panel = np.empty((ph, pw, 3), np.float32)
    panel[...] = bg
    if surface == "rollup":  # a gradient and a headline strip
        panel *= np.linspace(1.1, 0.8, ph, dtype=np.float32)[:, None, None]
        panel[: ph // 10] = rng.choice(PALETTE)
    x, y = (pw - lw) // 2, m if surface != "rollup" else int(ph * rng.uniform(0.15, 0.5))
    y = min(y, ph - lh)
    if mode == "card":
        pad = int(0.06 * max(lw, lh))
        cv2.rectangle(panel, (x - pad, y - pad), (x + lw + pad, y + lh + pad), (255, 255, 255), -1)
    elif mode == "disc":  # a sticker cut to the LOGO's outline, a thin white edge round it
        r = max(2, int(0.025 * max(lw, lh)))
        edge = cv2.dilate(logo[..., 3], cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1)))
        filled = np.zeros_like(edge)
        cnts, _ = cv2.findContours((edge > 128).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        cv2.drawContours(filled, cnts, -1, 255, -1)
        _over(panel, np.dstack([np.full((lh, lw, 3), 250, np.uint8), filled]), x, y)
    _over(panel, logo, x, y)
    mask = np.zeros((ph, pw), np.uint8)
    mask[y : y + lh, x : x + lw] = logo[..., 3]
    if surface == "cloth":  # folds: shading and a small displacement
        yy, xx = np.mgrid[0:ph, 0:pw].astype(np.float32)
        k = rng.uniform(2, 5) * 2 * math.pi / pw
        disp = rng.uniform(0.004, 0.012) * pw * np.sin(xx * k + rng.random() * 6)
        panel = cv2.remap(panel, xx, yy + disp, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        mask = cv2.remap(mask, xx, yy + disp, cv2.INTER_LINEAR)
        panel *= (0.82 + 0.18 * np.cos(xx * k + 1.0))[..., None]
    elif surface == "led":  # emissive: bright, bloom, pixel grid
        pitch = max(3, int(pw / rng.uniform(90, 200)))
        grid = np.ones((ph, pw), np.float32)
        grid[::pitch, :] = 0.45
        grid[:, ::pitch] = 0.45
        panel = cv2.GaussianBlur(panel, (0, 0), pitch * 0.6) * 0.3 + panel * 0.8
        panel = np.clip(panel * grid[..., None] * rng.uniform(1.0, 1.3), 0, 255)
    return panel, mask, (x, y, x + lw, y + lh)


def _occlude(rng: random.Random, img: np.ndarray, lmask: np.ndarray, target: float) -> float:
    """Occluders over ~``target`` of the LOGO's pixels; returns the fraction hidden."""
    ys, xs = np.nonzero(lmask > 128)
    if len(xs) == 0:
        return 0.0
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    w, h = x1 - x0 + 1, y1 - y0 + 1
    n_logo = len(xs)
    occ = np.zeros(img.shape[:2], np.uint8)
    kind = rng.choice(["head", "hand", "mic", "plant"])
    for _ in range(30):
        if kind == "head":
            r = int(math.sqrt(target * w * h / math.pi) * rng.uniform(0.9, 1.3))
            cx = int(rng.choice([x0, x1]) + rng.uniform(-0.2, 0.2) * w)
            cv2.ellipse(occ, (cx, int(y1 + 0.2 * r)), (r, int(1.2 * r)), 0, 0, 360, 255, -1)
        elif kind == "hand":
            r = max(3, int(math.sqrt(target * w * h) * 0.5))
            cv2.ellipse(occ, (int(x0 + rng.random() * w), int(y1 - rng.random() * 0.3 * h)), (r, int(1.6 * r)), rng.uniform(-40, 40), 0, 360, 255, -1)
        elif kind == "mic":
            bw = max(3, int(target * w * rng.uniform(0.8, 1.2)))
            cx = int(x0 + rng.uniform(0.15, 0.85) * w)
            cv2.rectangle(occ, (cx - bw // 2, int(y0 + rng.uniform(0, 0.3) * h)), (cx + bw // 2, img.shape[0]), 255, -1)
            cv2.circle(occ, (cx, int(y0 + 0.2 * h)), int(bw * 1.3), 255, -1)
        else:
            for _ in range(6):
                r = max(3, int(math.sqrt(target * w * h / 6 / math.pi)))
                cv2.circle(occ, (int(rng.choice([x0, x1]) + rng.uniform(-0.15, 0.15) * w), int(y1 - rng.random() * 0.6 * h)), r, 255, -1)
        frac = np.count_nonzero((occ > 0) & (lmask > 128)) / n_logo
        if frac >= target * 0.7:
            break
    colour = {
        "head": (25, 22, 22), "hand": (215, 170, 140), "mic": (40, 40, 45), "plant": (40, 110, 40)
    }[kind]  # fmt: skip
    if kind == "plant":
        occ = cv2.GaussianBlur(occ, (0, 0), 1.0)
    a = (occ.astype(np.float32) / 255)[..., None]
    tex = np.array(colour, np.float32) * (0.85 + 0.3 * np.random.default_rng(rng.randrange(1 << 30)).random((*img.shape[:2], 1), np.float32))
    img[...] = img * (1 - a) + tex * a
    return float(np.count_nonzero((occ > 127) & (lmask > 128)) / n_logo)


def _place(rng: random.Random, canvas: np.ndarray, art: np.ndarray, mode: str, surface: str, width: float,
           yaw: float, pitch: float, roll: float, avoid: tuple[int, int, int, int] | None = None,
           backdrops: list[tuple[int, int, int]] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Print ``art`` (RGBA) on a panel, warp the panel into ``canvas`` (float RGB); -> (H, mask,
    the corners TL, TR, BR, BL of the artwork's opaque bounding box in the photo, the panel's
    cover: what it hides of the photo)."""
    H_, W_ = canvas.shape[:2]
    panel, mask, (lx0, ly0, lx1, ly1) = _panel(rng, art, mode, surface, backdrops)
    ph, pw = panel.shape[:2]
    pan_w = width * pw / (lx1 - lx0)
    Hm0 = _homography(pw, ph, W_, H_, pan_w, 0, 0, yaw, pitch, roll)
    lq = cv2.perspectiveTransform(np.array([[[lx0, ly0]], [[lx1, ly0]], [[lx1, ly1]], [[lx0, ly1]]], np.float32), Hm0)[:, 0]
    lc = lq.mean(axis=0)
    half = np.abs(lq - lc).max(axis=0) + 2  # the LOGO stays whole inside the photo
    for _ in range(20):
        cx = rng.uniform(half[0], max(half[0] + 1, W_ - half[0]))
        cy = rng.uniform(half[1], max(half[1] + 1, H_ - half[1]))
        if avoid is None or not (avoid[0] - width < cx < avoid[2] + width and avoid[1] - width < cy < avoid[3] + width):
            break
    # centre the LOGO (not the panel) at (cx, cy)
    Hm = np.array([[1, 0, cx - lc[0]], [0, 1, cy - lc[1]], [0, 0, 1]]) @ Hm0
    warped = cv2.warpPerspective(panel, Hm, (W_, H_), flags=cv2.INTER_AREA if pan_w < pw else cv2.INTER_LINEAR)
    cover = cv2.warpPerspective(np.full((ph, pw), 255, np.uint8), Hm, (W_, H_))
    a = (cover.astype(np.float32) / 255)[..., None]
    canvas[...] = warped * a + canvas * (1 - a)
    lmask = cv2.warpPerspective(mask, Hm, (W_, H_))
    ys, xs = np.nonzero(art[..., 3] > 0)
    ax0, ay0, ax1, ay1 = lx0 + xs.min(), ly0 + ys.min(), lx0 + xs.max() + 1, ly0 + ys.max() + 1
    corners = np.array([[[ax0, ay0]], [[ax1, ay0]], [[ax1, ay1]], [[ax0, ay1]]], np.float32)
    return Hm, lmask, cv2.perspectiveTransform(corners, Hm.astype(np.float32))[:, 0], cover


def _camera(rng: random.Random, img: np.ndarray, tags: list[str]) -> np.ndarray:
    H, W = img.shape[:2]
    k = math.sqrt(W * H / 1e6)
    if rng.random() < 0.35:
        s = rng.uniform(0.5, 2.0) * k
        img = cv2.GaussianBlur(img, (0, 0), s)
        tags.append("defocus")
    if rng.random() < 0.2:
        n = max(3, int(rng.uniform(3, 30) * k / 3.5))
        ker = np.zeros((n, n), np.float32)
        ker[n // 2, :] = 1 / n
        M = cv2.getRotationMatrix2D((n / 2 - 0.5, n / 2 - 0.5), rng.uniform(0, 180), 1)
        ker = cv2.warpAffine(ker, M, (n, n))
        img = cv2.filter2D(img, -1, ker / max(ker.sum(), 1e-6))
        tags.append("motion")
    if rng.random() < 0.3:  # glare / low contrast
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        cx, cy, r = rng.random() * W, rng.random() * H, rng.uniform(0.2, 0.6) * max(W, H)
        g = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r)) * rng.uniform(60, 140)
        img = img * rng.uniform(0.6, 0.9) + g[..., None]
        tags.append("glare")
    if rng.random() < 0.4:
        img = img * np.array([rng.uniform(0.75, 1.2) for _ in range(3)], np.float32)
        tags.append("cast")
    img = np.clip(img, 0, 255)
    if rng.random() < 0.3:
        gmm = rng.uniform(0.6, 1.5)
        img = 255 * (img / 255) ** gmm
        tags.append("gamma")
    if rng.random() < 0.5:
        img = img + np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(2, 9), img.shape).astype(np.float32)
        tags.append("noise")
    img = np.clip(img, 0, 255).astype(np.uint8)
    if rng.random() < 0.08:
        img = np.repeat(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)[..., None], 3, 2)
        tags.append("gray")
    return img


def reversed_print(rng: random.Random, art: np.ndarray) -> np.ndarray:
    """``art`` printed reversed (反白), as a designer converts a LOGO for a dark banner: every
    ink, whatever its colour, in one light colour (white, cream or gold), and what the artwork
    leaves white (a seal's characters, a disc's paper) knocked out to the backdrop; to be
    printed without a card on a dark or saturated backdrop (``DARK_BACKDROPS``)."""
    out = art.copy()
    out[..., :3] = rng.choice([(250, 250, 248), (245, 238, 215), (250, 215, 120)])
    # ink where the darkest channel is below paper white (a smooth step over 200-235)
    ink = np.clip((235.0 - art[..., :3].min(axis=2).astype(np.float32)) / 35.0, 0.0, 1.0)
    out[..., 3] = (art[..., 3].astype(np.float32) * ink).astype(np.uint8)
    return out


def knockout_print(art: np.ndarray) -> np.ndarray:
    """``art`` as exported with its white parts transparent, as many LOGO files are (a vector
    LOGO's paper is no ink): the inks kept, what the artwork leaves white knocked out, so
    that printed without a card the backdrop shows inside a ring and through a seal's
    characters. The same step over the darkest channel as ``reversed_print``."""
    out = art.copy()
    ink = np.clip((235.0 - art[..., :3].min(axis=2).astype(np.float32)) / 35.0, 0.0, 1.0)
    out[..., 3] = (art[..., 3].astype(np.float32) * ink).astype(np.uint8)
    return out


def make_photo(job: tuple[str, int, str, Path, int | None] | tuple[str, int, str, Path, int | None, str]) -> dict:  # fmt: skip
    """One photo of a split, and its truth. The job's sixth item, when given, prints every
    positive's LOGO another way: ``"reversed"`` (``--reversed``: ``reversed_print``, without
    a card, on a dark or saturated backdrop) or ``"knockout"`` (``--knockout``:
    ``knockout_print``, without a card, on any of set B's backdrops); the photo is otherwise
    the one the split would have."""
    split, i, query, out, base = job[:5]
    printing = str(job[5]) if len(job) > 5 and job[5] else ""
    reverse = printing == "reversed"
    rng = random.Random(f"b-{split}-{i}")
    W, H = rng.choice(SIZES)
    canvas = background(rng, W, H).astype(np.float32)
    designs = _designs_for(split, base)
    logo = designs[query]
    positive = rng.random() < 0.55
    tags: list[str] = []
    truth_box = None
    quad = None
    lmask = None
    hidden = 0.0
    occl = 0.0
    # LOGO width: 50-120 px (30 %), 120-200 (15 %), 200 .. 80 % of the photo
    u = rng.random()
    short = min(W, H)
    if u < 0.3:
        width = rng.uniform(50, 120)
    elif u < 0.45:
        width = rng.uniform(120, 200)
    else:
        width = rng.uniform(200, max(220, 0.7 * short))
    yaw = rng.uniform(20, 35) * rng.choice([-1, 1]) if rng.random() < 0.4 else rng.uniform(-20, 20)
    pitch = rng.uniform(-20, 20)
    roll = rng.gauss(0, 8) if rng.random() < 0.8 else rng.uniform(-20, 20)
    roll = max(-20, min(20, roll))
    mode = rng.choice(["card", "nocard", "nocard", "disc"])
    surface = rng.choice(["flat", "flat", "cloth", "rollup", "led"])
    # a hard negative in most photos (alone in negatives, beside the LOGO in positives)
    negs = {
        "national": lambda: national_like(rng), "party": lambda: party_like(rng),
        "skimage": skimage_logo, "text": lambda: text_only(rng),
        "sibling": lambda: design(rng.randrange(5000, 6000)),
        "demo": sample_design,
    }  # fmt: skip
    neg_kind = rng.choice(list(negs)) if (not positive or rng.random() < 0.4) else None
    if neg_kind == "demo" and query == "sample":
        neg_kind = "sibling"
    avoid = None
    if positive and reverse:
        mode = "nocard"
        logo = reversed_print(random.Random(f"b-{split}-{i}-reversed"), logo)
        tags.append("reversed")
    elif positive and printing == "knockout":
        mode = "nocard"
        logo = knockout_print(logo)
        tags.append("knockout")
    if positive:
        _hm, lmask, quad, _cover = _place(rng, canvas, logo, mode, surface, width, yaw, pitch, roll,
                                          backdrops=DARK_BACKDROPS if reverse else None)  # fmt: skip
        ys, xs = np.nonzero(lmask > 100)
        if len(xs) == 0:
            positive = False
        else:
            truth_box = [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]
            avoid = tuple(truth_box)  # type: ignore[assignment]
            if rng.random() < 0.35:
                occl = _occlude(rng, canvas, lmask, rng.uniform(0.05, 0.2))
            tags += [mode, surface, f"yaw{'>=20' if abs(yaw) >= 20 else '<20'}"]
            if occl >= 0.1:
                tags.append("occl>=10")
            elif occl > 0.01:
                tags.append("occl<10")
            bw = truth_box[2] - truth_box[0]
            tags.append("w50-120" if bw < 120 else ("w120-200" if bw < 200 else "w>=200"))
    if neg_kind is not None:
        art = negs[neg_kind]()
        nw = rng.uniform(60, max(80, 0.5 * min(W, H)))
        _h, _m, _q, cover = _place(rng, canvas, art, rng.choice(["card", "nocard"]), rng.choice(["flat", "cloth"]), nw,
               rng.uniform(-30, 30), rng.uniform(-15, 15), rng.uniform(-10, 10), avoid)  # fmt: skip
        tags.append(f"neg_{neg_kind}")
        if positive and lmask is not None:
            # ``avoid`` keeps the other emblem's *centre* off the LOGO, not its panel: a wide
            # panel can still hide the LOGO, and the photo no longer shows it
            logo_px = lmask > 128
            hidden = float(np.count_nonzero((cover > 127) & logo_px) / max(1, np.count_nonzero(logo_px)))
    img = _camera(rng, canvas, tags)
    q = rng.randint(60, 90)
    name = f"{i:04d}.jpg"
    cv2.imwrite(str(out / name), cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, q])
    cond = ("pos_" + mode) if positive else ("neg_" + (neg_kind or "none"))
    return {
        "file": name,
        "template": f"templates/{query}.png",
        "design": "sample" if query == "sample" else ("third" if query == "third" else "random"),
        "condition": cond,
        "placement": surface if positive else "-",
        "positive": positive,
        "bbox": truth_box,
        # the artwork's opaque box as printed (TL, TR, BR, BL, photo px; cloth folds move it
        # by up to ~1 % more): where a verification should have put the template
        "quad": None if quad is None else [[round(float(x), 1), round(float(y), 1)] for x, y in quad],
        "size": [W, H],
        "tags": tags,
        "yaw": round(yaw, 1),
        "pitch": round(pitch, 1),
        "roll": round(roll, 1),
        "occluded": round(occl, 3),
        # share of the LOGO hidden by the other emblem's panel (``occluded`` is the occluders')
        "covered": round(hidden, 3),
        "jpeg": q,
    }


def _designs_for(split: str, base: int | None = None) -> dict[str, np.ndarray]:
    """The designs a split's photos query: ``d<base>`` .. ``d<base + 5>``, the demo mark and
    (except on *tune*) the third design. ``base`` defaults to one of 30 derived from the name
    (1000-3900); sixteen sessions used 29 of them, so a split whose designs nothing was tuned
    on or read with names a base of 4000 or more (``--base``)."""
    if base is None:
        base = 0 if split == "tune" else 1000 + 100 * (sum(map(ord, split)) % 30)
    out = {f"d{base + k}": design(base + k) for k in range(6)}
    out["sample"] = sample_design()
    if split != "tune":
        out["third"] = third_design()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", type=Path, default=Path("/tmp/gkcheck-logo-b"))
    ap.add_argument("--split", default="test")
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument(
        "--base", type=int, default=None, help="first design id (default: from the split's name)"
    )
    printing = ap.add_mutually_exclusive_group()
    printing.add_argument(
        "--reversed", action="store_true",
        help="print every positive's LOGO reversed (反白: light ink on a dark backdrop, no card)",
    )  # fmt: skip
    printing.add_argument(
        "--knockout", action="store_true",
        help="print every positive's LOGO with its white parts knocked out to the backdrop (no card)",
    )  # fmt: skip
    args = ap.parse_args()
    try:
        import skimage  # noqa: F401 - its photographs are the backdrops; checked before any work
    except ModuleNotFoundError:
        raise SystemExit("logo_set_b.py needs scikit-image: pip install -e '.[bench]'") from None
    out = args.out / args.split
    (out / "templates").mkdir(parents=True, exist_ok=True)
    designs = _designs_for(args.split, args.base)
    names = sorted(designs)
    rng = random.Random(f"b-queries-{args.split}")
    for k, (name, art) in enumerate(sorted(designs.items())):
        # the user's template file: the artwork on white, or (every other one) transparent PNG
        if name != "sample" and k % 2:
            cv2.imwrite(str(out / "templates" / f"{name}.png"), cv2.cvtColor(art, cv2.COLOR_RGBA2BGRA))
        else:
            a = art[..., 3:4].astype(np.float32) / 255
            flat = (art[..., :3] * a + 255 * (1 - a)).astype(np.uint8)
            flat = cv2.copyMakeBorder(flat, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=(255, 255, 255))
            cv2.imwrite(str(out / "templates" / f"{name}.png"), cv2.cvtColor(flat, cv2.COLOR_RGB2BGR))
    # a third of the photos query the demo mark, the rest the held-out designs
    jobs = [(args.split, i, "sample" if rng.random() < 0.3 else rng.choice([n for n in names if n != "sample"]), out,
             args.base, "reversed" if args.reversed else ("knockout" if args.knockout else ""))
            for i in range(args.n)]  # fmt: skip
    with Pool(args.jobs) as pool:
        truth = pool.map(make_photo, jobs, chunksize=4)
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False))
    pos = sum(t["positive"] for t in truth)
    print(f"{out}: {len(truth)} photos, {pos} positive")


if __name__ == "__main__":
    sys.exit(main())
