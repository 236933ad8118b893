"""Deterministic generator of event photos with (and without) a 会标 banner.

Why synthetic: real submissions cannot be committed, and a banner checker needs photos
of every wrong form the notice's grammar distinguishes, in the styles units really use
(red cloth with white/yellow characters, LED dot-matrix screens), in the conditions of
phone photos (perspective, tilt, heads in front, blur, noise, JPEG, 1-12 MP).

Each photo comes with its truth: the exact banner text, the fault a typed copy of that
text has (``expected_typed``) and the verdict the photo pipeline should give
(``expected``). They differ for wrong quote kinds only: OCR cannot tell “ from " or 「
reliably, so :mod:`gkcheck.banner` does not judge quote kinds on OCR text, and a photo of
such a banner is expected to read as valid.

Usage::

    python samples/gen/banner_photos.py --committed            # samples/banner/
    python samples/gen/banner_photos.py --bench 130 --logo 30 [--out DIR] [--seed-base N]

Fonts come from /usr/share/fonts (Debian noto-cjk, wqy, arphic); this script is for
generating only, tests use the committed images.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

Img = npt.NDArray[np.uint8]

ROOT = Path(__file__).resolve().parents[2]
COMMITTED_DIR = ROOT / "samples" / "banner"
BENCH_DIR = Path("/tmp/gkcheck-banner-bench")

#: (label, path, face index): 黑体, 宋体 and 楷体 look-alikes.
FONTS: tuple[tuple[str, str, int], ...] = (
    ("hei-noto-bold", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("song-noto-bold", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    ("hei-wqy-zen", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("hei-wqy-micro", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("kai-arphic", "/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    ("ming-arphic", "/usr/share/fonts/truetype/arphic/uming.ttc", 0),
)

#: (written unit name, schedule name) pairs, with the prefixes people write.
UNITS: tuple[tuple[str, str], ...] = (
    ("雨花区教育局", "区教育局"),
    ("长沙市雨花区司法局", "区司法局"),
    ("雨花区医保局", "区医保局"),
    ("区人社局", "区人社局"),
    ("雨花区统计局", "区统计局"),
    ("跳马镇", "跳马镇"),
    ("同升街道", "同升街道"),
    ("雨花区砂子塘街道", "砂子塘街道"),
    ("雨花区科协", "区科协"),
    ("雨花区住建局", "区住建局"),
    ("雨花区应急局", "区应急局"),
    ("洞井街道", "洞井街道"),
    ("雨花区城管局", "区城管局"),
    ("雨花区工信局", "区工信局"),
)
UNKNOWN_UNITS = ("雨花区财政局", "雨花区审计局", "雨花区档案馆", "长沙市天心区教育局")
#: Units of another level (市/省) or another district whose core names match ours (issue 14:
#: ``长沙市教育局`` had passed for 区教育局); never valid, GK303.
FOREIGN_UNITS = ("长沙市教育局", "长沙市民政局", "湖南省司法厅", "岳麓区教育局", "天心区医疗保障局",
                 "长沙县教育局", "长沙市住房和城乡建设局", "开福区司法局")
SUFFIXES = (
    "小升初招生政策解读",
    "国家安全法律法规主题宣传",
    "数字经济发展座谈会",
    "安全宣传咨询日活动",
    "职业技能培训政策宣讲",
    "法治宣传进乡村",
    "宪法宣传周活动",
    "社会救助政策宣传周",
)
NEAR = ("政务公开日", "政府开放日", "政务开放日", "政务公开主题月", "政务公开活动日")
WRONG_QUOTES = (("「", "」"), ("《", "》"), ('"', '"'))
POSTERS = (
    "安全生产 人人有责",
    "为人民服务",
    "政务公开栏",
    "办事指南",
    "会议室",
    "文明创建 共建共享",
    "欢迎莅临指导",
    "学习贯彻党的二十大精神",
    "便民服务中心",
)
#: Poster lines that contain 活动 but are no banner (the reader may pick them).
ACTIVITY_POSTERS = ("志愿服务活动", "普法宣传活动", "全民健身活动中心")

KW = "政务公开主题日"


@dataclass(frozen=True, slots=True)
class Truth:
    """What a generated photo shows and what the checker should conclude."""

    file: str
    seed: int
    case: str
    style: str
    lines: int
    font: str
    width: int
    height: int
    banner_text: str | None
    expected: str
    expected_typed: str
    unit: str | None
    readable: bool = True
    logo: bool = False


# --------------------------------------------------------------------- banner texts
Case = tuple[str, Callable[[random.Random], tuple[str, str | None, str]]]


def _unit(rng: random.Random) -> tuple[str, str]:
    return rng.choice(UNITS)


def _case_valid_plain(rng: random.Random) -> tuple[str, str | None, str]:
    w, n = _unit(rng)
    return f"{w}2023年“{KW}”活动", n, "valid"


def _case_valid_ji(rng: random.Random) -> tuple[str, str | None, str]:
    w, n = _unit(rng)
    return f"{w}2023年“{KW}”活动暨{rng.choice(SUFFIXES)}", n, "valid"


def _case_year_wrong(rng: random.Random) -> tuple[str, str | None, str]:
    w, n = _unit(rng)
    return f"{w}{rng.choice((2022, 2021, 2024))}年“{KW}”活动", n, "year-wrong"


def _case_year_missing(rng: random.Random) -> tuple[str, str | None, str]:
    w, n = _unit(rng)
    return f"{w}“{KW}”活动", n, "year-missing"


def _case_near(rng: random.Random) -> tuple[str, str | None, str]:
    w, n = _unit(rng)
    return f"{w}2023年“{rng.choice(NEAR)}”活动", n, "keyword-near-miss"


def _case_no_quotes(rng: random.Random) -> tuple[str, str | None, str]:
    w, n = _unit(rng)
    return f"{w}2023年{KW}活动", n, "quotes-missing"


def _case_wrong_quotes(rng: random.Random) -> tuple[str, str | None, str]:
    w, n = _unit(rng)
    o, c = rng.choice(WRONG_QUOTES)
    return f"{w}2023年{o}{KW}{c}活动", n, "quotes-wrong-kind"


def _case_unknown_unit(rng: random.Random) -> tuple[str, str | None, str]:
    return f"{rng.choice(UNKNOWN_UNITS)}2023年“{KW}”活动", None, "unit-unknown"


def _case_foreign_unit(rng: random.Random) -> tuple[str, str | None, str]:
    return f"{rng.choice(FOREIGN_UNITS)}2023年“{KW}”活动", None, "unit-unknown"


def _case_no_unit(rng: random.Random) -> tuple[str, str | None, str]:
    return f"2023年“{KW}”活动", None, "unit-missing"


def _case_ji_empty(rng: random.Random) -> tuple[str, str | None, str]:
    w, n = _unit(rng)
    return f"{w}2023年“{KW}”活动暨", n, "ji-empty"


def _case_extra(rng: random.Random) -> tuple[str, str | None, str]:
    w, n = _unit(rng)
    extra = rng.choice(("启动仪式", "专场", "现场会"))
    return f"{w}2023年“{KW}”活动{extra}", n, "extra-text"


CASES: tuple[Case, ...] = (
    ("valid-plain", _case_valid_plain),
    ("valid-ji", _case_valid_ji),
    ("year-wrong", _case_year_wrong),
    ("year-missing", _case_year_missing),
    ("keyword-near-miss", _case_near),
    ("quotes-missing", _case_no_quotes),
    ("quotes-wrong-kind", _case_wrong_quotes),
    ("unit-unknown", _case_unknown_unit),
    ("unit-missing", _case_no_unit),
    ("ji-empty", _case_ji_empty),
    ("extra-text", _case_extra),
    ("unit-foreign", _case_foreign_unit),
)


def split_two_lines(text: str) -> tuple[str, str]:
    """Where a designer breaks a long banner: before the quote, or before 暨."""
    if "暨" in text and not text.endswith("暨"):
        i = text.index("暨")
        return text[:i], text[i:]
    for q in ("“", "「", "《", '"', KW[:2]):
        i = text.find(q)
        if i > 0:
            return text[:i], text[i:]
    half = len(text) // 2
    return text[:half], text[half:]


# ------------------------------------------------------------------------ rendering
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)


def _fit_font(
    lines: Sequence[str], path: str, index: int, width: int, height: int
) -> ImageFont.FreeTypeFont:
    """The largest font size at which every line fits the box."""
    size = max(8, int(height / len(lines) * 0.72))
    while size > 8:
        f = _font(path, index, size)
        if max(f.getlength(li) for li in lines) <= width:
            return f
        size = int(size * 0.94)
    return _font(path, index, 8)


def render_cloth(
    lines: Sequence[str], rng: random.Random, font: tuple[str, str, int], w: int, h: int
) -> Img:
    """A red cloth banner with white or yellow characters, folds and shading."""
    base = np.array(
        [rng.randint(10, 40), rng.randint(10, 35), rng.randint(170, 225)], np.float32
    )
    img = np.ones((h, w, 3), np.float32) * base
    xs = np.linspace(0, rng.uniform(6, 14) * math.pi, w, dtype=np.float32)
    folds = 1.0 + 0.10 * np.sin(xs + rng.uniform(0, 6)) * np.sin(xs * 0.37)
    img *= folds[None, :, None]
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)[:, :, ::-1])
    draw = ImageDraw.Draw(pil)
    colour = rng.choice(((255, 255, 255), (255, 236, 90), (255, 220, 40)))
    f = _fit_font(lines, font[1], font[2], int(w * 0.9), int(h * 0.92))
    asc, desc = f.getmetrics()
    lh = asc + desc
    total = lh * len(lines) + int(lh * 0.15) * (len(lines) - 1)
    y = (h - total) / 2
    for li in lines:
        tw = f.getlength(li)
        draw.text(((w - tw) / 2, y), li, font=f, fill=colour)
        y += lh * 1.15
    return np.asarray(cv2.cvtColor(np.array(pil), cv2.COLOR_RGB2BGR), np.uint8)


_LAST_RENDER: dict[str, bool] = {}


def render_led(
    lines: Sequence[str], rng: random.Random, font: tuple[str, str, int], w: int, h: int
) -> Img:
    """An LED screen: dark panel, dot-matrix red/yellow/white characters with glow."""
    pitch = max(2, int(h / len(lines) / rng.uniform(22, 30)))
    lw, lh = max(8, w // pitch), max(8, h // pitch)
    mask = Image.new("L", (lw, lh), 0)
    draw = ImageDraw.Draw(mask)
    f = _fit_font(lines, font[1], font[2], int(lw * 0.94), int(lh * 0.92))
    # Too few dots for the text: it overflows the panel or is drawn in glyphs of fewer
    # than 12 dots, which no reader can make out. The photo is kept (units do send
    # such photos) but its truth says the banner is not readable.
    _LAST_RENDER["readable"] = (
        max(f.getlength(li) for li in lines) <= lw and f.size >= 12
    )
    asc, desc = f.getmetrics()
    line_h = asc + desc
    y = (lh - line_h * len(lines)) / 2
    for li in lines:
        draw.text(((lw - f.getlength(li)) / 2, y), li, font=f, fill=255)
        y += line_h
    m = cv2.resize(np.array(mask), (w, h), interpolation=cv2.INTER_NEAREST)
    m = m.astype(np.float32) / 255.0
    yy, xx = np.mgrid[0:h, 0:w]
    dots = (((xx % pitch) - pitch / 2) ** 2 + ((yy % pitch) - pitch / 2) ** 2) < (
        pitch * 0.45
    ) ** 2
    m = m * (0.35 + 0.65 * dots)
    glow = cv2.GaussianBlur(m, (0, 0), pitch * 0.8)
    light = np.clip(m + 0.5 * glow, 0, 1)
    colour = np.array(
        rng.choice(((40, 40, 255), (30, 220, 255), (240, 240, 240), (60, 60, 250))),
        np.float32,
    )
    bg = np.array(
        rng.choice(((20, 18, 18), (60, 20, 10), (35, 25, 20))), np.float32
    )
    img = bg[None, None, :] * (1 - light[..., None]) + colour * light[..., None]
    return np.asarray(np.clip(img, 0, 255), np.uint8)


def _scene(rng: random.Random, w: int, h: int) -> Img:
    """A meeting room: wall, ceiling, floor, windows, a table."""
    wall = np.array([rng.randint(150, 235) for _ in range(3)], np.float32)
    grad = np.linspace(0.85, 1.1, h, dtype=np.float32)[:, None, None]
    img = np.ones((h, w, 3), np.float32) * wall * grad
    img[: int(h * rng.uniform(0.04, 0.1))] = rng.randint(200, 250)
    floor_y = int(h * rng.uniform(0.72, 0.85))
    img[floor_y:] = np.array([rng.randint(60, 140) for _ in range(3)], np.float32)
    for _ in range(rng.randint(0, 2)):
        x0 = rng.randint(0, w - w // 6)
        y0 = int(h * rng.uniform(0.15, 0.4))
        ww, hh = rng.randint(w // 10, w // 5), rng.randint(h // 6, h // 3)
        img[y0 : y0 + hh, x0 : x0 + ww] = np.array([235, 225, 200], np.float32)
        img[y0 : y0 + hh, x0 + ww // 2 - 3 : x0 + ww // 2 + 3] = 90
    t_y = int(h * rng.uniform(0.62, 0.74))
    img[t_y : t_y + h // 30, w // 8 : w - w // 8] = np.array([40, 70, 110], np.float32)
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 3, img.shape)
    return np.asarray(np.clip(img + noise, 0, 255), np.uint8)


def _external_scene(rng: random.Random, w: int, h: int) -> Img | None:
    """The project's event-scene generator as background (opt-in: ``--scene``).

    Opt-in so that the committed set and the benchmark stay byte-stable when that
    generator changes; returns ``None`` if it is absent or its API differs.
    """
    try:
        from samples.gen.scene import make_scene
    except ImportError:
        return None
    try:
        out = make_scene(random.Random(rng.randint(0, 2**31)), w, h)
    except (TypeError, ValueError):
        return None
    arr = np.asarray(out.convert("RGB"))
    if arr.ndim != 3 or arr.shape[:2] != (h, w):
        return None
    return np.ascontiguousarray(arr[:, :, ::-1]).astype(np.uint8)


def _paste_poster(img: Img, rng: random.Random, text: str, font: tuple[str, str, int],
                  rect: tuple[int, int, int, int]) -> None:
    x, y, w, h = rect
    bg = rng.choice(((245, 245, 245), (200, 230, 250), (30, 110, 200), (235, 240, 200)))
    fg = (20, 20, 20) if sum(bg) > 500 else (255, 255, 255)
    pil = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(pil)
    f = _fit_font([text], font[1], font[2], int(w * 0.85), int(h * 0.5))
    d.text(((w - f.getlength(text)) / 2, h * 0.3), text, font=f, fill=fg)
    d.text((w * 0.1, h * 0.75), "—" * 6, font=f, fill=fg)
    img[y : y + h, x : x + w] = cv2.cvtColor(np.array(pil), cv2.COLOR_RGB2BGR)


def _heads(img: Img, rng: random.Random, top: int, count: int) -> None:
    """Dark head-and-shoulder silhouettes, tops no higher than ``top``."""
    h, w = img.shape[:2]
    for _ in range(count):
        cx = rng.randint(0, w)
        r = int(w * rng.uniform(0.03, 0.05))
        cy = max(top + r, rng.randint(top + r, max(top + r + 1, int(h * 0.9))))
        colour = tuple(int(c) for c in (rng.randint(10, 60),) * 3)
        cv2.ellipse(img, (cx, cy), (r, int(r * 1.25)), 0, 0, 360, colour, -1)
        cv2.ellipse(img, (cx, cy + int(r * 3)), (int(r * 2.6), int(r * 2)), 0, 180, 360,
                    colour, -1)
        cv2.rectangle(img, (cx - int(r * 2.6), cy + int(r * 3)),
                      (cx + int(r * 2.6), h), colour, -1)


def _warp_into(scene: Img, banner: Img, rng: random.Random,
               box: tuple[int, int, int, int], angle: float) -> tuple[int, int, int, int]:
    """Paste ``banner`` into ``box`` with perspective and rotation; return its hull."""
    x, y, w, h = box
    bh, bw = banner.shape[:2]
    j = 0.04
    dst = np.array(
        [
            [x + rng.uniform(-j, j) * w, y + rng.uniform(-j, j) * h * 3],
            [x + w + rng.uniform(-j, j) * w, y + rng.uniform(-j, j) * h * 3],
            [x + w + rng.uniform(-j, j) * w, y + h + rng.uniform(-j, j) * h * 3],
            [x + rng.uniform(-j, j) * w, y + h + rng.uniform(-j, j) * h * 3],
        ],
        np.float32,
    )
    c = dst.mean(axis=0)
    a = math.radians(angle)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]], np.float32)
    dst = (dst - c) @ rot.T + c
    src = np.array([[0, 0], [bw, 0], [bw, bh], [0, bh]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    sh, sw = scene.shape[:2]
    warped = cv2.warpPerspective(banner, m, (sw, sh), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((bh, bw), 255, np.uint8), m, (sw, sh))
    sel = mask > 127
    scene[sel] = warped[sel]
    ys, xs = np.nonzero(sel)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


LOGO_FILE = ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"


def _load_logo() -> Img:
    pil = Image.open(LOGO_FILE).convert("RGB")
    return np.asarray(cv2.cvtColor(np.array(pil), cv2.COLOR_RGB2BGR), np.uint8)


def _paste_logo(img: Img, seed: int, avoid: tuple[int, int, int, int] | None) -> None:
    """The campaign LOGO (its text is the keyword itself) on the backdrop.

    Drawn from its own random stream so photos without a LOGO stay byte-identical.
    Placed beside or below the banner, never over it; sometimes larger than the
    banner's characters, which is what makes it a trap for a reader that takes the
    tallest keyword line.
    """
    rng = random.Random(seed * 31 + 7)
    h, w = img.shape[:2]
    logo = _load_logo()
    lh0, lw0 = logo.shape[:2]
    for _ in range(40):
        lw = int(w * rng.uniform(0.15, 0.35))
        lh = int(lw * lh0 / lw0)
        x = rng.randint(0, max(0, w - lw))
        y = int(h * rng.uniform(0.05, 0.62)) if avoid is None else rng.randint(
            min(h - lh, avoid[3] + 10), max(min(h - lh, avoid[3] + 10), int(h * 0.72) - lh))
        if y + lh > h:
            continue
        if avoid is not None:
            ax0, ay0, ax1, ay1 = avoid
            if x < ax1 and x + lw > ax0 and y < ay1 + 5 and y + lh > ay0:
                continue
        break
    else:
        return
    # A white backdrop panel behind the LOGO, as on printed 背景板.
    pad = int(lw * 0.08)
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(w, x + lw + pad), min(h, y + lh + pad)
    img[y0:y1, x0:x1] = np.array([rng.randint(225, 250)] * 3, np.uint8)
    _warp_into(img, logo, rng, (x, y, lw, lh), rng.uniform(-3, 3))


SIZES: tuple[tuple[int, int], ...] = (
    (1280, 960), (1600, 1200), (1920, 1080), (2048, 1536), (2592, 1944),
    (3264, 2448), (4000, 3000), (4032, 2268),
)


def make_photo(seed: int, case: str | None = None, *, style: str | None = None,
               lines: int | None = None, size: tuple[int, int] | None = None,
               scene: bool = False, logo: bool = False,
               text: str | None = None) -> tuple[Img, Truth]:
    """One photo and its truth, fully determined by the arguments.

    ``logo`` adds the campaign LOGO to the backdrop (after everything else is drawn,
    from its own random stream, so the same seed without it gives the same photo).
    ``text`` puts that banner up instead of one of :data:`CASES` (case ``"given"``,
    expected verdict unknown here): the sample submissions show their own unit's banner.
    """
    rng = random.Random(seed)
    names = [c[0] for c in CASES] + ["no-banner", "no-banner-activity"]
    case = "given" if text is not None else (case or rng.choice(names))
    w, h = size or rng.choice(SIZES)
    font = rng.choice(FONTS)
    ext = _external_scene(rng, w, h) if scene else None
    img = ext if ext is not None else _scene(rng, w, h)
    style = style or rng.choice(("cloth", "cloth", "led"))
    n_lines = lines or rng.choice((1, 1, 2))
    # Posters: every photo may carry other text; no-banner photos always do.
    n_posters = rng.randint(0, 2) if not case.startswith("no-banner") else 2
    for i in range(n_posters):
        pw, ph = int(w * rng.uniform(0.12, 0.2)), int(h * rng.uniform(0.1, 0.16))
        px = rng.randint(0, w - pw)
        py = int(h * rng.uniform(0.45, 0.6)) if not case.startswith("no") else (
            int(h * rng.uniform(0.15, 0.45)))
        pool = ACTIVITY_POSTERS if (case == "no-banner-activity" and i == 0) else POSTERS
        _paste_poster(img, rng, rng.choice(pool), rng.choice(FONTS), (px, py, pw, ph))

    banner_text: str | None = None
    unit: str | None = None
    readable = True
    expected = expected_typed = "no-banner"
    if not case.startswith("no-banner"):
        if text is not None:
            banner_text, unit, expected_typed = text, None, "given"
        else:
            banner_text, unit, expected_typed = dict(CASES)[case](rng)
        expected = "valid" if expected_typed == "quotes-wrong-kind" else expected_typed
        text_lines = list(split_two_lines(banner_text)) if n_lines == 2 else [banner_text]
        bw = int(w * rng.uniform(0.55, 0.9))
        ratio = rng.uniform(9, 13) if n_lines == 1 else rng.uniform(4.5, 6.5)
        if style == "led":
            ratio *= 0.85
        bh = int(bw / ratio)
        # Render at roughly final size (capped) so text stays sharp, warp down.
        scale = min(1.0, 2400 / bw)
        rw, rh = int(bw * scale), int(bh * scale)
        render = render_led if style == "led" else render_cloth
        _LAST_RENDER["readable"] = True
        banner = render(text_lines, rng, font, rw, rh)
        readable = _LAST_RENDER["readable"]
        bx = (w - bw) // 2 + rng.randint(-(w - bw) // 3, (w - bw) // 3)
        by = int(h * rng.uniform(0.06, 0.3))
        hull = _warp_into(img, banner, rng, (bx, by, bw, bh), rng.uniform(-4, 4))
        if logo:
            _paste_logo(img, seed, hull)
        if rng.random() < 0.6:
            _heads(img, rng, by + int(bh * 1.02), rng.randint(2, 6))
    else:
        n_lines = 0
        style = "none"
        if logo:
            _paste_logo(img, seed, None)
        if rng.random() < 0.6:
            _heads(img, rng, int(h * 0.5), rng.randint(2, 6))

    # Camera: blur, noise, exposure.
    sigma = rng.uniform(0, 1.2) * max(1.0, w / 1600)
    if sigma > 0.3:
        img = np.asarray(cv2.GaussianBlur(img, (0, 0), sigma), np.uint8)
    gain = rng.uniform(0.85, 1.12)
    noise = np.random.default_rng(seed).normal(0, rng.uniform(1, 7), img.shape)
    img = np.clip(img.astype(np.float32) * gain + noise, 0, 255).astype(np.uint8)
    truth = Truth(
        file="", seed=seed, case=case, style=style, lines=n_lines, font=font[0],
        width=w, height=h, banner_text=banner_text, expected=expected,
        expected_typed=expected_typed, unit=unit, readable=readable, logo=logo,
    )
    return img, truth


def write_jpeg(path: Path, img: Img, quality: int) -> None:
    """JPEG at ``quality``, as phones and messengers deliver photos."""
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError(f"cannot encode {path}")
    path.write_bytes(buf.tobytes())


#: The committed set: (seed, case, style, lines, size). Chosen to cover every form.
COMMITTED: tuple[tuple[int, str, str, int, tuple[int, int]], ...] = (
    (101, "valid-plain", "cloth", 1, (1600, 1200)),
    (102, "valid-ji", "cloth", 2, (1280, 960)),
    (103, "valid-plain", "led", 1, (1600, 900)),
    (104, "year-wrong", "cloth", 1, (1280, 960)),
    (105, "year-missing", "led", 1, (1280, 720)),
    (106, "keyword-near-miss", "cloth", 1, (1600, 1200)),
    (107, "quotes-missing", "cloth", 2, (1280, 960)),
    (108, "quotes-wrong-kind", "cloth", 1, (1280, 960)),
    (109, "unit-unknown", "cloth", 1, (1600, 1200)),
    (110, "unit-missing", "led", 1, (1280, 720)),
    (111, "ji-empty", "cloth", 1, (1280, 960)),
    (112, "extra-text", "cloth", 1, (1280, 960)),
    (113, "valid-ji", "led", 2, (1280, 960)),
    (114, "no-banner", "none", 1, (1280, 960)),
    (115, "no-banner-activity", "none", 1, (1280, 960)),
    (118, "unit-foreign", "cloth", 1, (1280, 960)),
    (119, "unit-foreign", "led", 1, (1280, 720)),
)
#: Committed photos with the campaign LOGO on the backdrop: (seed, case, style, lines, size).
COMMITTED_LOGO: tuple[tuple[int, str, str, int, tuple[int, int]], ...] = (
    (116, "no-banner", "none", 1, (1280, 960)),
    (117, "valid-plain", "cloth", 1, (1600, 1200)),
)


def write_committed(out: Path = COMMITTED_DIR) -> list[Truth]:
    """Write the small committed set and its ``expected.json``.

    The committed photos 101-115 were drawn by an earlier revision of this script;
    running it again draws different but equivalent pictures of the same cases (and
    the tests must pass on either). 116-117 add the campaign LOGO; 118-119 (issue 14) a
    unit of the city and of another district.
    """
    out.mkdir(parents=True, exist_ok=True)
    truths: list[Truth] = []
    items = [(c, False) for c in COMMITTED] + [(c, True) for c in COMMITTED_LOGO]
    for (seed, case, style, lines, size), logo in items:
        img, t = make_photo(seed, case, style=style if style != "none" else None,
                            lines=lines, size=size, logo=logo)
        name = f"{seed}-{case}-{t.style}-{t.lines}l{'-logo' if logo else ''}.jpg"
        write_jpeg(out / name, img, 80)
        truths.append(_with_file(t, name))
    _write_truth(out / "expected.json", truths)
    return truths


#: LOGO photos of a benchmark set use seeds ``seed_base + LOGO_SEED_OFFSET + j``.
LOGO_SEED_OFFSET = 10_000


def write_bench(count: int, out: Path = BENCH_DIR, seed_base: int = 50_000,
                scene: bool = False, logo_count: int = 0) -> list[Truth]:
    """Write ``count`` photos from seeds never used for tuning, cases in rotation.

    Then ``logo_count`` photos with the campaign LOGO on the backdrop: every other one
    has no banner (the LOGO's keyword must not pass for a banner), the others carry a
    banner of each case in rotation (the banner must win over the LOGO's text).
    The first ``count`` photos do not depend on ``logo_count``.
    """
    out.mkdir(parents=True, exist_ok=True)
    names = [c[0] for c in CASES] + ["no-banner", "no-banner-activity"]
    jobs: list[tuple[int, str, bool]] = [
        (seed_base + i, names[i % len(names)], False) for i in range(count)
    ]
    jobs += [
        (seed_base + LOGO_SEED_OFFSET + j,
         "no-banner" if j % 2 == 0 else CASES[(j // 2) % len(CASES)][0], True)
        for j in range(logo_count)
    ]
    truths: list[Truth] = []
    for seed, case, logo in jobs:
        rng = random.Random(seed * 7919)
        img, t = make_photo(seed, case, scene=scene, logo=logo)
        name = f"{seed}-{t.case}-{t.style}-{t.lines}l{'-logo' if logo else ''}.jpg"
        write_jpeg(out / name, img, rng.randint(55, 92))
        truths.append(_with_file(t, name))
    _write_truth(out / "expected.json", truths)
    return truths


def _with_file(t: Truth, name: str) -> Truth:
    d: dict[str, Any] = asdict(t)
    d["file"] = name
    return Truth(**d)


def _write_truth(path: Path, truths: Sequence[Truth]) -> None:
    path.write_text(
        json.dumps([asdict(t) for t in truths], ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the committed set or a benchmark set."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    ap.add_argument("--committed", action="store_true", help="write samples/banner/")
    ap.add_argument("--bench", type=int, default=0, help="write N benchmark photos")
    ap.add_argument("--out", type=Path, default=None, help="output directory")
    ap.add_argument("--seed-base", type=int, default=50_000)
    ap.add_argument("--logo", type=int, default=0,
                    help="also write N benchmark photos with the LOGO (half without banner)")
    ap.add_argument("--scene", action="store_true",
                    help="backgrounds from samples/gen/scene.py (bench only)")
    args = ap.parse_args(argv)
    if args.committed:
        ts = write_committed(args.out or COMMITTED_DIR)
        print(f"wrote {len(ts)} photos to {args.out or COMMITTED_DIR}")
    if args.bench:
        ts = write_bench(args.bench, args.out or BENCH_DIR, args.seed_base, args.scene,
                         args.logo)
        print(f"wrote {len(ts)} photos to {args.out or BENCH_DIR}")
    if not args.committed and not args.bench:
        ap.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
