#!/usr/bin/env python3
"""LOGO benchmark "set C": synthetic event photos for the 政务公开主题日 LOGO check.

What it contains
----------------
Each split holds ``--count`` JPEG photos (about 60 % positives, 40 % negatives, 1-12 MP,
quality 55-92, some re-compressed twice), the query templates under ``templates/`` and
``truth.json``. Every photo is judged against ONE query template:

* about a third use the shipped demo mark ``src/gkcheck/data/logo/sample-logo.png``
  (design ``"sample"``, template ``templates/sample.png``);
* the rest use one of six campaign-LOGO designs drawn here (design ``"random"``, template
  ``templates/c{base+k}.png``): round/shield/rounded-square/hexagon emblems or bare marks
  (open book, door, speech bubble, eye, magnifier, government building, stars, waves, a
  stylised 公/开/政/务), with 政务公开 / 政务公开主题日 / 政务公开日 below, beside (wide,
  aspect 2.5-5) or around (text ring) the mark, a year / English / pinyin line, 1-3 inks.

Scenes are rendered procedurally here (meeting room, stage with red backdrop and banner,
government service hall, outdoor square with tents), with people, tables, chairs, flowers,
signboards, posters and other emblems. The LOGO is printed on one of eight carriers
(placement): a white card held or pinned (``card``), straight onto a coloured backdrop without
card (``backdrop``), a disc/badge on a wall (``disc``), folded cloth (``cloth``), an LED screen
with pixel grid, glow and oversaturation (``led``), a roll-up stand (``rollup``), a projection
screen with low contrast and keystone (``projector``), a table tent (``tabletent``). The carrier is
a plane seen through a pinhole camera (yaw <= 35 deg, pitch <= 20 deg, roll <= 20 deg), the LOGO
50 px wide up to most of the photo, up to ~20 % occluded by heads, microphones, flowers, hands
or a lectern. Camera: lens distortion, lighting gradients and vignetting, glare, defocus
(sigma <= 2), motion blur (<= 30 px), exposure/gamma, white-balance casts, luma+chroma noise,
grayscale, JPEG (sometimes twice). Negatives: a national-emblem-like or party-emblem-like
abstract mark, other units' logos, a sibling design of the query (same text, other mark or
inks), the campaign text without the LOGO, or plain event scenes.

Why it is independent
---------------------
It was written without reading the repository's other LOGO generators, design families,
detector or their generated sets, and it was never run through the detector. It shares only
the demo template file and the system CJK fonts; scenes, designs, placements, geometry and
degradations are its own code.

CLI
---
``python benchmarks/logo_set_c.py OUT --split NAME [--base N] [--count 200] [--jobs J] [--sheet]``
writes ``OUT/NAME/NNNN.jpg``, ``OUT/NAME/templates/*.png``, ``OUT/NAME/truth.json`` and, with
``--sheet``, ``OUT/NAME/sheet.jpg`` (downscaled photos with the truth quad drawn). Output
depends only on ``--base`` and ``--count`` (``numpy.random.default_rng([base, i])`` per photo),
identical for any ``--jobs``.

truth.json
----------
A list, one object per photo: ``file``, ``template`` (relative path), ``design``
("random"|"sample"), ``condition`` (pos_<placement> | neg_national | neg_party |
neg_otherlogo | neg_sibling | neg_text | neg_plain), ``placement`` (card|backdrop|disc|cloth|
led|rollup|projector|tabletent, "-" for negatives), ``positive``, ``bbox`` ([x0, y0, x1, y1],
the axis-aligned box of the pixels where the LOGO artwork's non-background pixels land,
before occlusion, clipped to the photo, null for negatives), ``quad`` (four corners
[[x, y]] TL, TR, BR, BL of the LOGO artwork's TIGHT bounding rectangle -- not the template's
white margin -- mapped into the photo, lens distortion included; null for negatives),
``size`` ([w, h]), ``tags`` (one of w50-120 / w120-200 / w>=200 for positives, the quad's
longer mean side; one of yaw<20 / yaw>=20; one of occl<10 / occl>=10; plus placement, wide /
compact and degradation words), ``yaw``, ``pitch``, ``roll`` (degrees, of the LOGO's carrier;
of the look-alike's carrier or 0 for negatives), ``occluded`` (0-1 fraction of the LOGO's
artwork pixels hidden), ``covered`` (0.0), ``jpeg`` (final quality) and ``also`` (bboxes of
further, smaller instances of the query LOGO in the same photo, usually empty).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from multiprocessing import get_context
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
SAMPLE_LOGO = REPO / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"
N_DESIGNS = 6
Color = tuple[int, int, int]
Rng = np.random.Generator

# ----------------------------------------------------------------------------- fonts
FONT_FILES: dict[str, list[tuple[str, int]]] = {
    "sans": [("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2)],
    "sansr": [
        ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
        ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ],
    "serif": [("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2)],
    "kai": [("/usr/share/fonts/truetype/arphic/ukai.ttc", 0)],
    "hei": [("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)],
}


@cache
def _font_file(key: str) -> tuple[str, int]:
    for path, idx in FONT_FILES[key]:
        if Path(path).exists():
            return path, idx
    for cands in FONT_FILES.values():
        for path, idx in cands:
            if Path(path).exists():
                return path, idx
    sys.exit(
        "logo_set_c: no CJK font found (install fonts-noto-cjk or fonts-wqy-zenhei, "
        "see scripts/install-bench-fonts.sh)"
    )


@lru_cache(maxsize=512)
def font(key: str, size: int) -> ImageFont.FreeTypeFont:
    path, idx = _font_file(key)
    return ImageFont.truetype(path, max(4, int(size)), index=idx)


def fit_font(key: str, text: str, max_w: float, max_h: float) -> ImageFont.FreeTypeFont:
    """Largest font of `key` whose rendering of `text` fits max_w x max_h."""
    b = font(key, 100).getbbox(text)
    bw, bh = max(1, b[2] - b[0]), max(1, b[3] - b[1])
    return font(key, max(4, int(100 * min(max_w / bw, max_h / bh))))


def text_c(
    dr: ImageDraw.ImageDraw,
    text: str,
    key: str,
    box: tuple[float, float, float, float],
    fill: Color | tuple[int, int, int, int],
) -> None:
    """Draw `text` fitted into box (x0, y0, x1, y1), centred."""
    x0, y0, x1, y1 = box
    f = fit_font(key, text, x1 - x0, y1 - y0)
    dr.text(((x0 + x1) / 2, (y0 + y1) / 2), text, font=f, fill=fill, anchor="mm")


# ----------------------------------------------------------------------------- words
PLACES = [
    "和平街道",
    "城关镇",
    "高新区",
    "新华社区",
    "东城区",
    "经开区管委会",
    "河西街道",
    "长宁镇",
    "市政务服务中心",
    "县人民政府",
    "西湖区",
    "南关街道",
    "青山乡",
    "市司法局",
    "区税务局",
]
BANNERS = [
    "{p}{y}年“政务公开主题日”活动",
    "{p}“政务公开主题日”暨政府开放日活动",
    "{y}年{p}政务公开主题日",
    "深化政务公开  建设法治政府",
    "{p}政务公开进社区宣传活动",
    "推进政务公开  优化政务服务",
]
SIGNS = [
    "综合受理",
    "不动产登记",
    "社保医保",
    "企业开办",
    "政务公开专区",
    "咨询服务台",
    "税务服务",
    "户籍办理",
    "公积金",
    "帮办代办",
    "好差评",
    "自助服务区",
]
POSTERS = [
    "为民服务",
    "办事指南",
    "文明城市",
    "便民服务",
    "请排队取号",
    "服务承诺",
    "廉政公开",
    "信息公开目录",
    "政策解读",
    "群众满意",
]
OTHER_UNITS = [
    "中国税务",
    "市场监管",
    "人社服务",
    "12345热线",
    "城市管理",
    "文明实践",
    "便民服务中心",
    "数字政府",
    "法治政府",
    "应急管理",
    "社区服务",
    "公共法律服务",
]
SUBS = [
    "",
    "{y}",
    "GOVERNMENT AFFAIRS OPENNESS DAY",
    "ZHENGWU GONGKAI",
    "OPEN GOVERNMENT",
    "GOVERNMENT AFFAIRS OPENNESS",
    "{y} · 政务公开",
]
TITLES = ["政务公开主题日", "政务公开主题日", "政务公开", "政务公开日"]

INKS: dict[str, list[Color]] = {
    "red": [(200, 16, 46), (214, 38, 32), (178, 24, 38), (226, 56, 40)],
    "blue": [(0, 84, 160), (22, 62, 140), (0, 118, 196), (28, 96, 176)],
    "gold": [(232, 168, 18), (212, 158, 58), (242, 188, 22)],
    "green": [(0, 138, 78), (42, 150, 64), (0, 116, 102)],
    "black": [(28, 28, 32)],
    "orange": [(236, 116, 0)],
}
MARKS = ["book", "door", "bubble", "eye", "magnifier", "building", "stars", "waves", "char"]
WHITE: Color = (255, 255, 255)


def pick(rng: Rng, seq: list):
    return seq[int(rng.integers(len(seq)))]


# ----------------------------------------------------------------------------- designs
@dataclass(frozen=True)
class Design:
    did: str
    layout: str  # compact | wide | ring | emblem
    frame: str  # ring | double | disc | shield | roundsq | hex | none | textring
    mark: str
    extra: str  # none | rays | stars | swoosh
    inks: tuple[Color, ...]
    title: str
    sub: str
    font: str
    stroke: float
    filled: bool
    seed: int


def pick_inks(rng: Rng, n: int) -> tuple[Color, ...]:
    fams = ["red", "red", "blue", "blue", "green", "black", "gold", "orange"]
    first = pick(rng, fams)
    out = [pick(rng, INKS[first])]
    others = [f for f in INKS if f != first and not (first == "black" and f == "gold")]
    rng.shuffle(others)
    for f in others[: n - 1]:
        out.append(pick(rng, INKS[f]))
    return tuple(out)


def make_design(rng: Rng, did: str, layout: str, n_inks: int, title: str | None = None) -> Design:
    frame = {"ring": "textring"}.get(layout) or pick(
        rng, ["ring", "double", "disc", "shield", "roundsq", "hex", "none", "ring"]
    )
    year = str(int(rng.integers(2019, 2026)))
    sub = pick(rng, SUBS).format(y=year)
    if layout == "emblem":
        sub = year if rng.random() < 0.6 else ""
    return Design(
        did=did,
        layout=layout,
        frame=frame,
        mark=pick(rng, MARKS),
        extra=pick(rng, ["none", "none", "rays", "stars", "swoosh"]),
        inks=pick_inks(rng, n_inks),
        title=title or pick(rng, TITLES),
        sub=sub,
        font=pick(rng, ["sans", "sans", "serif", "kai", "hei"]),
        stroke=float(rng.uniform(0.025, 0.06)),
        filled=bool(rng.random() < 0.6),
        seed=int(rng.integers(1 << 30)),
    )


def sibling_of(d: Design, rng: Rng) -> Design:
    """Same text and layout, another mark and/or other inks: must not count as the query."""
    mark = pick(rng, [m for m in MARKS if m != d.mark])
    inks = d.inks if rng.random() < 0.5 else pick_inks(rng, len(d.inks))
    frame = (
        d.frame
        if rng.random() < 0.6 or d.layout == "ring"
        else pick(rng, [f for f in ["ring", "disc", "shield", "roundsq", "hex"] if f != d.frame])
    )
    return replace(
        d,
        did=d.did + "s",
        mark=mark,
        inks=inks,
        frame=frame,
        extra=pick(rng, ["none", "rays", "stars", "swoosh"]),
        seed=d.seed + 1,
    )


def family(base: int) -> list[Design]:
    rng = np.random.default_rng([base, 424242])
    layouts = [
        "compact",
        "wide",
        "compact",
        "wide",
        "ring",
        pick(rng, ["emblem", "compact", "wide"]),
    ]
    inks = [1, 2, 3, 1, 2, int(rng.integers(1, 4))]
    rng.shuffle(layouts)
    rng.shuffle(inks)
    return [
        make_design(np.random.default_rng([base, 5150, k]), f"c{base + k}", layouts[k], inks[k])
        for k in range(N_DESIGNS)
    ]


def _bez(
    p0: tuple[float, float], p1: tuple[float, float], p2: tuple[float, float], n: int = 16
) -> list[tuple[float, float]]:
    t = np.linspace(0, 1, n)
    return [
        (
            (1 - s) ** 2 * p0[0] + 2 * (1 - s) * s * p1[0] + s * s * p2[0],
            (1 - s) ** 2 * p0[1] + 2 * (1 - s) * s * p1[1] + s * s * p2[1],
        )
        for s in t
    ]


def _star(cx: float, cy: float, r: float, rot: float = 0.0) -> list[tuple[float, float]]:
    pts = []
    for k in range(10):
        rr = r if k % 2 == 0 else r * 0.4
        a = rot + k * math.pi / 5 - math.pi / 2
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def _mark(
    dr: ImageDraw.ImageDraw,
    d: Design,
    cx: float,
    cy: float,
    r: float,
    ink: Color,
    acc: Color,
    w: int,
    rng: Rng,
) -> None:
    """The graphic at the emblem's centre, in a circle of radius r."""
    m, fill = d.mark, d.filled
    if m == "book":
        gap = r * 0.04
        for s in (-1, 1):
            st, sb = (cx + s * gap, cy - 0.25 * r), (cx + s * gap, cy + 0.45 * r)
            ot, ob = (cx + s * 0.95 * r, cy - 0.42 * r), (cx + s * 0.95 * r, cy + 0.28 * r)
            pts = _bez(st, (cx + s * 0.45 * r, cy - 0.45 * r), ot) + _bez(
                ob, (cx + s * 0.45 * r, cy + 0.22 * r), sb
            )
            if fill:
                dr.polygon(pts, fill=ink)
                for k in (1, 2, 3):
                    dy = k * 0.16 * r
                    dr.line(
                        _bez(
                            (st[0], st[1] + dy),
                            (cx + s * 0.45 * r, cy - 0.45 * r + dy),
                            (ot[0], ot[1] + dy),
                        ),
                        fill=WHITE,
                        width=max(2, w // 2),
                    )
            else:
                dr.line([*pts, pts[0]], fill=ink, width=w, joint="curve")
        if d.extra != "rays":
            for k in range(5):
                a = math.pi * (0.2 + 0.15 * k)
                dr.line(
                    [
                        (cx - 0.5 * r * math.cos(a), cy - 0.35 * r - 0.5 * r * math.sin(a)),
                        (cx - 0.8 * r * math.cos(a), cy - 0.35 * r - 0.8 * r * math.sin(a)),
                    ],
                    fill=acc,
                    width=w,
                )
    elif m == "door":
        x0, x1, y0, y1 = cx - 0.55 * r, cx + 0.55 * r, cy - 0.8 * r, cy + 0.8 * r
        if rng.random() < 0.5:
            dr.rectangle([x0, y0, x1, y1], outline=ink, width=w)
            dr.polygon(
                [(x0, y0), (cx - 0.05 * r, y0 + 0.22 * r), (cx - 0.05 * r, y1 - 0.1 * r), (x0, y1)],
                fill=ink,
            )
            for k in range(4):
                a = -0.5 + 0.33 * k
                dr.line(
                    [
                        (cx + 0.1 * r, cy),
                        (cx + 0.1 * r + 0.8 * r * math.cos(a), cy + 0.8 * r * math.sin(a)),
                    ],
                    fill=acc,
                    width=w,
                )
        else:
            dr.pieslice([x0, y0, x1, y0 + 1.1 * r], 180, 360, fill=ink)
            dr.rectangle([x0, y0 + 0.55 * r, x1, y1], fill=ink)
            dr.polygon(
                [
                    (cx - 0.4 * r, y0 + 0.55 * r),
                    (cx - 0.04 * r, y0 + 0.7 * r),
                    (cx - 0.04 * r, y1),
                    (cx - 0.4 * r, y1),
                ],
                fill=WHITE,
            )
            dr.polygon(
                [
                    (cx + 0.4 * r, y0 + 0.55 * r),
                    (cx + 0.04 * r, y0 + 0.7 * r),
                    (cx + 0.04 * r, y1),
                    (cx + 0.4 * r, y1),
                ],
                fill=WHITE,
            )
            dr.polygon(_star(cx, y0 + 0.35 * r, 0.16 * r), fill=acc if acc != ink else WHITE)
    elif m == "bubble":
        box = [cx - 0.9 * r, cy - 0.65 * r, cx + 0.9 * r, cy + 0.4 * r]
        tail = [
            (cx - 0.45 * r, cy + 0.3 * r),
            (cx - 0.6 * r, cy + 0.85 * r),
            (cx - 0.05 * r, cy + 0.35 * r),
        ]
        if fill:
            dr.rounded_rectangle(box, radius=0.35 * r, fill=ink)
            dr.polygon(tail, fill=ink)
            inner = WHITE
        else:
            dr.rounded_rectangle(box, radius=0.35 * r, outline=ink, width=w)
            dr.line(tail, fill=ink, width=w)
            inner = acc
        if rng.random() < 0.5:
            for k in (-1, 0, 1):
                dr.ellipse(
                    [
                        cx + k * 0.45 * r - 0.12 * r,
                        cy - 0.25 * r,
                        cx + k * 0.45 * r + 0.12 * r,
                        cy - 0.01 * r,
                    ],
                    fill=inner,
                )
        else:
            dr.text(
                (cx, cy - 0.12 * r),
                pick(rng, ["公", "开", "政"]),
                fill=inner,
                font=font(d.font, int(0.8 * r)),
                anchor="mm",
            )
    elif m == "eye":
        up = _bez((cx - r, cy), (cx, cy - 0.95 * r), (cx + r, cy))
        lo = _bez((cx + r, cy), (cx, cy + 0.95 * r), (cx - r, cy))
        if fill:
            dr.polygon(up + lo, fill=ink)
            dr.ellipse([cx - 0.36 * r, cy - 0.36 * r, cx + 0.36 * r, cy + 0.36 * r], fill=WHITE)
            dr.ellipse(
                [cx - 0.22 * r, cy - 0.22 * r, cx + 0.22 * r, cy + 0.22 * r],
                fill=acc if acc != ink else ink,
            )
        else:
            dr.line(up + lo + [up[0]], fill=ink, width=w, joint="curve")
            dr.ellipse([cx - 0.34 * r, cy - 0.34 * r, cx + 0.34 * r, cy + 0.34 * r], fill=acc)
            dr.polygon(_star(cx, cy, 0.22 * r), fill=WHITE)
    elif m == "magnifier":
        rc = 0.55 * r
        ox, oy = cx - 0.15 * r, cy - 0.15 * r
        dr.ellipse([ox - rc, oy - rc, ox + rc, oy + rc], outline=ink, width=int(w * 1.5))
        a = math.pi / 4
        dr.line(
            [(ox + rc * math.cos(a), oy + rc * math.sin(a)), (cx + 0.85 * r, cy + 0.85 * r)],
            fill=ink,
            width=int(w * 2.4),
        )
        if rng.random() < 0.5:
            dr.line(
                [
                    (ox - 0.3 * rc, oy),
                    (ox - 0.05 * rc, oy + 0.3 * rc),
                    (ox + 0.4 * rc, oy - 0.35 * rc),
                ],
                fill=acc,
                width=w,
                joint="curve",
            )
        else:
            for k in (-1, 0, 1):
                dr.line(
                    [(ox - 0.45 * rc, oy + k * 0.3 * rc), (ox + 0.45 * rc, oy + k * 0.3 * rc)],
                    fill=acc,
                    width=max(2, int(w * 0.8)),
                )
    elif m == "building":
        n = int(rng.integers(4, 7))
        bx0, bx1 = cx - 0.8 * r, cx + 0.8 * r
        dr.polygon(
            [(cx, cy - 0.85 * r), (bx0 - 0.08 * r, cy - 0.35 * r), (bx1 + 0.08 * r, cy - 0.35 * r)],
            fill=ink if fill else None,
            outline=ink,
            width=w,
        )
        dr.rectangle([bx0, cy - 0.3 * r, bx1, cy - 0.2 * r], fill=ink)
        cw = (bx1 - bx0) / (2 * n - 1)
        for k in range(n):
            x = bx0 + 2 * k * cw
            dr.rectangle([x, cy - 0.15 * r, x + cw, cy + 0.5 * r], fill=ink)
        dr.rectangle([bx0 - 0.08 * r, cy + 0.55 * r, bx1 + 0.08 * r, cy + 0.65 * r], fill=acc)
        dr.rectangle([bx0 - 0.18 * r, cy + 0.7 * r, bx1 + 0.18 * r, cy + 0.8 * r], fill=ink)
        if fill:
            dr.polygon(_star(cx, cy - 0.55 * r, 0.13 * r), fill=acc if acc != ink else WHITE)
    elif m == "stars":
        dr.polygon(_star(cx - 0.15 * r, cy + 0.05 * r, 0.55 * r), fill=ink)
        for k in range(4):
            a = -0.9 + 0.5 * k
            dr.polygon(
                _star(
                    cx + 0.45 * r + 0.5 * r * math.cos(a),
                    cy + 0.05 * r + 0.6 * r * math.sin(a),
                    0.15 * r,
                    a,
                ),
                fill=acc,
            )
        if fill:
            dr.arc(
                [cx - 0.95 * r, cy - 0.3 * r, cx + 0.95 * r, cy + 0.95 * r],
                20,
                160,
                fill=ink,
                width=w,
            )
    elif m == "waves":
        xs = np.linspace(cx - 0.9 * r, cx + 0.9 * r, 40)
        ph = rng.uniform(0, math.pi)
        for k in range(3):
            ys = cy + (k - 0.6) * 0.32 * r + 0.12 * r * np.sin((xs - cx) / r * 3.2 + ph)
            dr.line(
                list(zip(xs.tolist(), ys.tolist(), strict=True)),
                fill=ink if k % 2 == 0 else acc,
                width=int(w * 1.3),
                joint="curve",
            )
        dr.ellipse(
            [cx - 0.3 * r, cy - 0.95 * r, cx + 0.3 * r, cy - 0.35 * r], fill=acc if fill else ink
        )
    else:  # char
        ch = pick(rng, ["公", "开", "政", "务"])
        if rng.random() < 0.4:
            dr.rectangle(
                [cx - 0.8 * r, cy - 0.8 * r, cx + 0.8 * r, cy + 0.8 * r], outline=ink, width=w
            )
        dr.text(
            (cx, cy),
            ch,
            fill=ink,
            font=font(pick(rng, ["kai", "serif", "sans"]), int(1.25 * r)),
            anchor="mm",
        )


def _ring_text(
    im: Image.Image,
    text: str,
    cx: float,
    cy: float,
    rad: float,
    size: int,
    key: str,
    fill: Color,
    span: float,
    bottom: bool,
) -> None:
    n = len(text)
    f = font(key, size)
    for k, ch in enumerate(text):
        if ch == " ":
            continue
        frac = (k + 0.5) / n
        th = (-span / 2 + frac * span) if not bottom else (180 + span / 2 - frac * span)
        t = math.radians(th)
        x, y = cx + rad * math.sin(t), cy - rad * math.cos(t)
        tile = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((size, size), ch, font=f, fill=fill, anchor="mm")
        tile = tile.rotate(-th if not bottom else -(th - 180), resample=Image.BICUBIC)
        im.alpha_composite(tile, (int(x - size), int(y - size)))


def _emblem(d: Design, E: int, rng: Rng) -> Image.Image:
    im = Image.new("RGBA", (E, E), (0, 0, 0, 0))
    dr = ImageDraw.Draw(im)
    c, R = E / 2, E * 0.48
    w = max(3, int(E * d.stroke))
    i1, i2 = d.inks[0], d.inks[1 % len(d.inks)]
    mink, acc, rm, cy = i1, (i2 if i2 != i1 else i1), R * 0.6, c
    if d.frame == "ring":
        dr.ellipse([c - R, c - R, c + R, c + R], outline=i1, width=int(w * 1.7))
    elif d.frame == "double":
        dr.ellipse([c - R, c - R, c + R, c + R], outline=i1, width=w)
        r2 = R - 2.4 * w
        dr.ellipse([c - r2, c - r2, c + r2, c + r2], outline=i2, width=max(2, int(w * 0.6)))
        rm = R * 0.56
    elif d.frame in ("disc", "roundsq"):
        if d.frame == "disc":
            dr.ellipse([c - R, c - R, c + R, c + R], fill=i1)
        else:
            dr.rounded_rectangle([c - R, c - R, c + R, c + R], radius=R * 0.28, fill=i1)
        mink, acc = WHITE, (i2 if i2 != i1 else WHITE)
        rm = R * 0.66
    elif d.frame == "shield":
        pts = [
            (c - 0.85 * R, c - 0.9 * R),
            (c, c - 0.98 * R),
            (c + 0.85 * R, c - 0.9 * R),
            (c + 0.85 * R, c + 0.1 * R),
            *_bez((c + 0.85 * R, c + 0.1 * R), (c + 0.7 * R, c + 0.75 * R), (c, c + R)),
            *_bez((c, c + R), (c - 0.7 * R, c + 0.75 * R), (c - 0.85 * R, c + 0.1 * R)),
        ]
        if d.filled and len(d.inks) > 1:
            dr.polygon(pts, fill=i1)
            mink, acc = WHITE, i2
        else:
            dr.line([*pts, pts[0]], fill=i1, width=int(w * 1.4), joint="curve")
        cy = c - 0.06 * R
    elif d.frame == "hex":
        pts = [
            (
                c + R * math.cos(math.pi / 3 * k + math.pi / 6),
                c + R * math.sin(math.pi / 3 * k + math.pi / 6),
            )
            for k in range(6)
        ]
        dr.line([*pts, pts[0]], fill=i1, width=int(w * 1.5), joint="curve")
    elif d.frame == "textring":
        dr.ellipse([c - R, c - R, c + R, c + R], outline=i1, width=max(3, int(w * 0.8)))
        ri = R * 0.7
        dr.ellipse([c - ri, c - ri, c + ri, c + ri], outline=i1, width=max(2, int(w * 0.6)))
        tsize = int(R * 0.22)
        _ring_text(
            im,
            d.title,
            c,
            c,
            R * 0.85,
            tsize,
            d.font,
            i1 if len(d.inks) < 3 else d.inks[2],
            min(230.0, 34.0 * len(d.title)),
            False,
        )
        low = d.sub if d.sub and d.sub.isascii() else "OPEN GOVERNMENT"
        _ring_text(
            im, low, c, c, R * 0.85, int(R * 0.12), "sans", i1, min(150.0, 9.0 * len(low)), True
        )
        for sx in (-1, 1):
            dr.polygon(_star(c + sx * R * 0.85, c + R * 0.02, R * 0.06), fill=i2)
        rm = R * 0.55
    else:
        rm = R * 0.95
    _mark(dr, d, c, cy, rm, mink, acc, w, rng)
    if d.extra == "stars" and d.frame not in ("textring",):
        for k in range(5):
            a = math.pi * (1.2 + 0.15 * k)
            rr = rm * 1.25 if d.frame in ("none",) else rm * 1.12
            dr.polygon(_star(c + rr * math.cos(a), cy + rr * math.sin(a), rm * 0.09), fill=acc)
    elif d.extra == "swoosh":
        dr.arc(
            [c - rm * 1.1, cy - rm * 0.2, c + rm * 1.1, cy + rm * 1.15],
            20,
            160,
            fill=acc,
            width=int(w * 1.2),
        )
    elif d.extra == "rays" and d.mark != "door":
        for k in range(7):
            a = math.pi * (1.15 + 0.1 * k)
            dr.line(
                [
                    (c + rm * 0.95 * math.cos(a), cy + rm * 0.95 * math.sin(a)),
                    (c + rm * 1.18 * math.cos(a), cy + rm * 1.18 * math.sin(a)),
                ],
                fill=acc,
                width=w,
            )
    return im


def _crop_alpha(im: Image.Image) -> Image.Image:
    box = im.getchannel("A").point(lambda v: 255 if v > 8 else 0).getbbox()
    return im.crop(box) if box else im


def render_design(d: Design, long_side: int = 900) -> np.ndarray:
    """RGBA artwork of a design, tightly cropped, long side `long_side`."""
    rng = np.random.default_rng(d.seed)
    E = 1100
    emb = _crop_alpha(_emblem(d, E, rng))
    t1 = d.inks[0] if len(d.inks) == 1 or rng.random() < 0.6 else d.inks[1]
    t2 = d.inks[-1] if len(d.inks) > 1 else d.inks[0]
    if d.layout in ("ring", "emblem"):
        if not d.sub or d.layout == "ring":
            canvas = emb
        else:
            f = fit_font("sans", d.sub, emb.width * 0.6, emb.height * 0.14)
            canvas = Image.new("RGBA", (emb.width, int(emb.height * 1.2)), (0, 0, 0, 0))
            canvas.alpha_composite(emb, (0, 0))
            ImageDraw.Draw(canvas).text(
                (emb.width / 2, emb.height * 1.1), d.sub, font=f, fill=t2, anchor="mm"
            )
    elif d.layout == "compact":
        tw = emb.width * rng.uniform(1.0, 1.4)
        ft = fit_font(d.font, d.title, tw, emb.height * 0.3)
        tb = ft.getbbox(d.title)
        th = tb[3] - tb[1]
        fs = (
            fit_font(
                "sans" if d.sub.isascii() else d.font,
                d.sub,
                (tb[2] - tb[0]) * 0.95,
                emb.height * 0.1,
            )
            if d.sub
            else None
        )
        sh = (fs.getbbox(d.sub)[3] - fs.getbbox(d.sub)[1]) if fs else 0
        gap = int(emb.height * rng.uniform(0.06, 0.14))
        W = int(max(emb.width, tb[2] - tb[0]) + 20)
        Hh = int(emb.height + gap + th * 1.3 + (sh * 1.8 if fs else 0) + 20)
        canvas = Image.new("RGBA", (W, Hh), (0, 0, 0, 0))
        canvas.alpha_composite(emb, ((W - emb.width) // 2, 0))
        dr = ImageDraw.Draw(canvas)
        y = emb.height + gap
        dr.text((W / 2, y), d.title, font=ft, fill=t1, anchor="mt")
        if fs:
            y2 = y + th * 1.25
            if rng.random() < 0.4:
                dr.line(
                    [(W / 2 - (tb[2] - tb[0]) * 0.45, y2), (W / 2 + (tb[2] - tb[0]) * 0.45, y2)],
                    fill=t2,
                    width=max(2, int(emb.height * 0.008)),
                )
            dr.text((W / 2, y2 + sh * 0.4), d.sub, font=fs, fill=t2, anchor="mt")
    else:  # wide
        eh = emb.height
        lines = [d.title] + ([d.sub] if d.sub else [])
        th = eh * rng.uniform(0.34, 0.52) if d.sub else eh * rng.uniform(0.42, 0.6)
        ft = font(d.font, int(th))
        tw = ft.getlength(d.title)
        fs = (
            fit_font("sans" if d.sub.isascii() else d.font, d.sub, tw, th * 0.32) if d.sub else None
        )
        gap = int(eh * rng.uniform(0.12, 0.25))
        W = int(emb.width + gap + tw + 20)
        asp = W / eh
        if asp > 5.0 or asp < 2.5:
            k = (min(5.0, max(2.5, asp)) * eh - emb.width - gap - 20) / tw
            ft = font(d.font, int(th * k))
            tw = ft.getlength(d.title)
            W = int(emb.width + gap + tw + 20)
        canvas = Image.new("RGBA", (W, eh), (0, 0, 0, 0))
        canvas.alpha_composite(emb, (0, 0))
        dr = ImageDraw.Draw(canvas)
        x = emb.width + gap
        if rng.random() < 0.35:
            dr.line(
                [(x - gap / 2, eh * 0.12), (x - gap / 2, eh * 0.88)],
                fill=t2,
                width=max(2, int(eh * 0.015)),
            )
        if len(lines) == 1:
            dr.text((x, eh / 2), d.title, font=ft, fill=t1, anchor="lm")
        else:
            dr.text((x, eh * 0.42), d.title, font=ft, fill=t1, anchor="ls")
            fs2 = fit_font("sans" if d.sub.isascii() else d.font, d.sub, tw, ft.size * 0.3)
            dr.text((x, eh * 0.62), d.sub, font=fs2, fill=t2, anchor="lm")
    canvas = _crop_alpha(canvas)
    s = long_side / max(canvas.size)
    canvas = canvas.resize(
        (max(1, round(canvas.width * s)), max(1, round(canvas.height * s))), Image.LANCZOS
    )
    return np.asarray(canvas).copy()


def load_sample() -> np.ndarray:
    """The demo template as RGBA artwork: white becomes transparent, tightly cropped."""
    rgb = np.asarray(Image.open(SAMPLE_LOGO).convert("RGB")).astype(np.float32)
    a = np.clip((255.0 - rgb.min(axis=2)) / 70.0, 0, 1)
    fg = np.where(
        a[..., None] > 0.01,
        (rgb - 255.0 * (1 - a[..., None])) / np.maximum(a[..., None], 0.01),
        255,
    )
    out = np.dstack([np.clip(fg, 0, 255), a * 255]).astype(np.uint8)
    ys, xs = np.nonzero(a > 0.03)
    return out[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].copy()


def national_like(S: int, rng: Rng) -> np.ndarray:
    """An abstract round red/gold state-emblem-like mark (not a reproduction)."""
    im = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    dr = ImageDraw.Draw(im)
    gold, red = pick(rng, INKS["gold"]), (206, 24, 30)
    c, R = S / 2, S * 0.47
    for side in (-1, 1):
        for k in range(14):
            a = math.radians(100 + k * 11)
            x, y = (
                c + side * R * 0.92 * math.cos(a - math.pi / 2 + math.pi),
                c - R * 0.92 * math.sin(a - math.pi / 2 + math.pi),
            )
            x = c + side * abs(x - c)
            dr.ellipse([x - R * 0.07, y - R * 0.11, x + R * 0.07, y + R * 0.11], fill=gold)
    dr.ellipse([c - R * 0.8, c - R * 0.8, c + R * 0.8, c + R * 0.8], fill=red)
    dr.rectangle([c - R * 0.45, c + R * 0.05, c + R * 0.45, c + R * 0.32], fill=gold)
    dr.polygon(
        [
            (c - R * 0.55, c + R * 0.05),
            (c - R * 0.38, c - R * 0.1),
            (c + R * 0.38, c - R * 0.1),
            (c + R * 0.55, c + R * 0.05),
        ],
        fill=gold,
    )
    for k in range(5):
        x = c - R * 0.3 + k * R * 0.15
        dr.rectangle([x - R * 0.03, c + R * 0.14, x + R * 0.03, c + R * 0.32], fill=red)
    dr.rectangle([c - R * 0.6, c + R * 0.36, c + R * 0.6, c + R * 0.42], fill=gold)
    dr.polygon(_star(c, c - R * 0.42, R * 0.2), fill=gold)
    for k in range(4):
        a = math.radians(-60 + k * 40)
        dr.polygon(
            _star(
                c + R * 0.42 * math.sin(a),
                c - R * 0.42 - R * 0.2 * math.cos(a) + R * 0.1,
                R * 0.07,
                a,
            ),
            fill=gold,
        )
    dr.ellipse([c - R * 0.2, c + R * 0.55, c + R * 0.2, c + R * 0.95], fill=gold)
    dr.ellipse([c - R * 0.1, c + R * 0.65, c + R * 0.1, c + R * 0.85], fill=red)
    return np.asarray(_crop_alpha(im)).copy()


def party_like(S: int, rng: Rng) -> np.ndarray:
    """An abstract gold tool-crossing mark on red (not a reproduction)."""
    im = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    dr = ImageDraw.Draw(im)
    gold, red = pick(rng, INKS["gold"]), (212, 20, 28)
    c, R = S / 2, S * 0.46
    if rng.random() < 0.5:
        dr.rectangle([c - R, c - R * 0.67, c + R, c + R * 0.67], fill=red)
        c2, r2 = c - R * 0.5, R * 0.3
    else:
        dr.ellipse([c - R, c - R, c + R, c + R], fill=red)
        c2, r2 = c, R * 0.6
    cy = c - (R * 0.25 if c2 != c else 0)
    dr.arc([c2 - r2, cy - r2, c2 + r2, cy + r2], 110, 380, fill=gold, width=int(r2 * 0.22))
    dr.line(
        [(c2 - r2 * 0.6, cy + r2 * 0.6), (c2 + r2 * 0.5, cy - r2 * 0.5)],
        fill=gold,
        width=int(r2 * 0.18),
    )
    hx, hy = c2 + r2 * 0.5, cy - r2 * 0.5
    dr.polygon(
        [
            (hx - r2 * 0.35, hy - r2 * 0.05),
            (hx - r2 * 0.05, hy - r2 * 0.35),
            (hx + r2 * 0.15, hy - r2 * 0.15),
            (hx - r2 * 0.15, hy + r2 * 0.15),
        ],
        fill=gold,
    )
    dr.line(
        [(c2 - r2 * 0.75, cy + r2 * 0.75), (c2 - r2 * 0.45, cy + r2 * 0.45)],
        fill=gold,
        width=int(r2 * 0.24),
    )
    return np.asarray(_crop_alpha(im)).copy()


def other_logo(rng: Rng, long_side: int = 700) -> np.ndarray:
    d = make_design(
        rng,
        "other",
        pick(rng, ["compact", "wide", "emblem", "ring"]),
        int(rng.integers(1, 3)),
        title=pick(rng, OTHER_UNITS),
    )
    d = replace(d, sub=pick(rng, ["", "", str(int(rng.integers(2019, 2026))), "SERVICE", "CHINA"]))
    return render_design(d, long_side)


# ----------------------------------------------------------------------------- raster helpers
def fbm(rng: Rng, h: int, w: int, cells: float, octaves: int = 3) -> np.ndarray:
    """Smooth value noise in about [-1, 1], `cells` features across the long side."""
    out = np.zeros((h, w), np.float32)
    amp, tot = 1.0, 0.0
    for o in range(octaves):
        n = max(2, int(cells * 2**o))
        gh, gw = (max(2, n * h // max(h, w) + 2), max(2, n * w // max(h, w) + 2))
        g = rng.standard_normal((gh, gw)).astype(np.float32)
        out += amp * cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)
        tot += amp
        amp *= 0.5
    return out / tot


def vgrad(h: int, w: int, c0: tuple[float, ...], c1: tuple[float, ...]) -> np.ndarray:
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    return (np.array(c0, np.float32) * (1 - t) + np.array(c1, np.float32) * t) * np.ones(
        (1, w, 1), np.float32
    )


def jitter(rng: Rng, c: tuple[float, ...], amt: float = 18) -> Color:
    return tuple(int(np.clip(v + rng.uniform(-amt, amt), 0, 255)) for v in c)  # type: ignore[return-value]


def put_art(
    canvas: np.ndarray, art: np.ndarray, x: int, y: int, recolor: Color | None = None
) -> np.ndarray:
    """Alpha-composite RGBA `art` at (x, y) into float canvas; returns the art's alpha at plane size."""
    h, w = art.shape[:2]
    a = art[..., 3:4].astype(np.float32) / 255
    col = art[..., :3].astype(np.float32) if recolor is None else np.array(recolor, np.float32)
    reg = canvas[y : y + h, x : x + w]
    reg[:] = reg * (1 - a) + col * a
    m = np.zeros(canvas.shape[:2], np.float32)
    m[y : y + h, x : x + w] = a[..., 0]
    return m


def resize_art(art: np.ndarray, long_side: float) -> np.ndarray:
    h, w = art.shape[:2]
    s = long_side / max(h, w)
    pm = art.astype(np.float32)
    pm[..., :3] *= pm[..., 3:4] / 255
    out = cv2.resize(
        pm,
        (max(1, round(w * s)), max(1, round(h * s))),
        interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC,
    )
    a = np.clip(out[..., 3:4], 0, 255)
    out[..., :3] = np.where(a > 0.5, out[..., :3] * 255 / np.maximum(a, 1e-3), 0)
    out[..., 3:4] = a
    return np.clip(out, 0, 255).astype(np.uint8)


def rot3(yaw: float, pitch: float, roll: float) -> np.ndarray:
    y, p, r = (math.radians(v) for v in (yaw, pitch, roll))
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    return rz @ rx @ ry


def plane_h(
    anchor: tuple[float, float],
    k: float,
    ang: tuple[float, float, float],
    centre: tuple[float, float],
    f: float,
) -> np.ndarray:
    """Homography plane px -> photo px: plane anchor at `centre`, frontal scale 1/k there."""
    R = rot3(*ang)
    src, dst = [], []
    for u, v in ((-50, -50), (50, -50), (50, 50), (-50, 50)):
        P = R @ np.array([u / k, v / k, 0.0]) + np.array([0, 0, f])
        src.append((anchor[0] + u, anchor[1] + v))
        dst.append((centre[0] + f * P[0] / P[2], centre[1] + f * P[1] / P[2]))
    return cv2.getPerspectiveTransform(np.float32(src), np.float32(dst))


def proj(H: np.ndarray, pts: list[tuple[float, float]] | np.ndarray) -> np.ndarray:
    return cv2.perspectiveTransform(np.float32(pts).reshape(-1, 1, 2), H).reshape(-1, 2)


def depth_ok(
    ang: tuple[float, float, float], k: float, f: float, ext: tuple[float, float, float, float]
) -> bool:
    R = rot3(*ang)
    for u, v in ((ext[0], ext[1]), (ext[2], ext[1]), (ext[2], ext[3]), (ext[0], ext[3])):
        if (R @ np.array([u / k, v / k, 0.0]))[2] + f < 0.45 * f:
            return False
    return True


def warp_paste(
    img: np.ndarray,
    plane: np.ndarray,
    H: np.ndarray,
    masks: tuple[np.ndarray, ...] = (),
    shade: float = 1.0,
) -> list[np.ndarray]:
    """Composite RGBA `plane` (uint8/float) through H into uint8 img; warp extra masks to full size."""
    Hh, Ww = img.shape[:2]
    ph, pw = plane.shape[:2]
    c = proj(H, [(0, 0), (pw, 0), (pw, ph), (0, ph)])
    x0, y0 = max(0, int(c[:, 0].min()) - 2), max(0, int(c[:, 1].min()) - 2)
    x1, y1 = min(Ww, int(c[:, 0].max()) + 3), min(Hh, int(c[:, 1].max()) + 3)
    outs = [np.zeros((Hh, Ww), np.float32) for _ in masks]
    if x1 <= x0 or y1 <= y0:
        return outs
    T = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64) @ H
    wp = cv2.warpPerspective(
        plane.astype(np.float32),
        T,
        (x1 - x0, y1 - y0),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=0,
    )
    a = wp[..., 3:4] / 255
    reg = img[y0:y1, x0:x1].astype(np.float32)
    img[y0:y1, x0:x1] = np.clip(reg * (1 - a) + wp[..., :3] * shade * a, 0, 255).astype(np.uint8)
    for o, m in zip(outs, masks, strict=True):
        o[y0:y1, x0:x1] = cv2.warpPerspective(m, T, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR)
    return outs


def small_plane(
    img: np.ndarray,
    rgba: np.ndarray,
    centre: tuple[float, float],
    width: float,
    ang: tuple[float, float, float],
    f: float,
) -> None:
    h, w = rgba.shape[:2]
    k = w / max(8.0, width)
    warp_paste(img, rgba, plane_h((w / 2, h / 2), k, ang, centre, f))


def to_rgba(rgb: np.ndarray, alpha: np.ndarray | None = None) -> np.ndarray:
    a = np.full(rgb.shape[:2], 255, np.float32) if alpha is None else alpha.astype(np.float32)
    return np.dstack([rgb.astype(np.float32), a])


# ----------------------------------------------------------------------------- occluders & people
Prim = tuple  # ("ell", cx, cy, ax, ay, ang, col) | ("poly", pts, col) | ("line", p0, p1, th, col)


def _raster(
    dst: np.ndarray, prims: list[Prim], ox: int = 0, oy: int = 0, mask: bool = False
) -> None:
    for p in prims:
        col = (255,) if mask else tuple(int(v) for v in p[-1])
        if p[0] == "ell":
            cv2.ellipse(
                dst,
                (int(p[1] - ox), int(p[2] - oy)),
                (max(1, int(p[3])), max(1, int(p[4]))),
                p[5],
                0,
                360,
                col,
                -1,
                cv2.LINE_AA,
            )
        elif p[0] == "poly":
            pts = (np.array(p[1], np.float32) - [ox, oy]).astype(np.int32)
            cv2.fillPoly(dst, [pts], col, cv2.LINE_AA)
        else:
            cv2.line(
                dst,
                (int(p[1][0] - ox), int(p[1][1] - oy)),
                (int(p[2][0] - ox), int(p[2][1] - oy)),
                col,
                max(1, int(p[3])),
                cv2.LINE_AA,
            )


def _prim_box(prims: list[Prim]) -> tuple[int, int, int, int]:
    xs, ys = [], []
    for p in prims:
        if p[0] == "ell":
            r = max(p[3], p[4])
            xs += [p[1] - r, p[1] + r]
            ys += [p[2] - r, p[2] + r]
        elif p[0] == "poly":
            xs += [q[0] for q in p[1]]
            ys += [q[1] for q in p[1]]
        else:
            xs += [p[1][0] - p[3], p[2][0] + p[3], p[1][0] + p[3], p[2][0] - p[3]]
            ys += [p[1][1] - p[3], p[2][1] + p[3], p[1][1] + p[3], p[2][1] - p[3]]
    return int(min(xs)) - 2, int(min(ys)) - 2, int(max(xs)) + 3, int(max(ys)) + 3


class Layer:
    """Foreground drawing that keeps track of how much of the LOGO it hides."""

    def __init__(self, img: np.ndarray, logo: np.ndarray | None, cap: float) -> None:
        self.img, self.logo, self.cap = img, logo, cap
        self.occ = np.zeros(img.shape[:2], np.uint8)
        self.area = float(logo.sum()) if logo is not None else 0.0

    def frac(self, prims: list[Prim] | None = None) -> float:
        if self.logo is None or self.area <= 0:
            return 0.0
        occ = self.occ
        if prims:
            occ = occ.copy()
            self._mask(occ, prims)
        return float((self.logo * (occ / 255.0)).sum() / self.area)

    def _mask(self, dst: np.ndarray, prims: list[Prim]) -> None:
        x0, y0, x1, y1 = _prim_box(prims)
        H, W = dst.shape
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(W, x1), min(H, y1)
        if x1 <= x0 or y1 <= y0:
            return
        sub = np.zeros((y1 - y0, x1 - x0), np.uint8)
        _raster(sub, prims, x0, y0, mask=True)
        np.maximum(dst[y0:y1, x0:x1], sub, out=dst[y0:y1, x0:x1])

    def draw(self, prims: list[Prim], force: bool = False) -> bool:
        if not force and self.logo is not None and self.frac(prims) > self.cap:
            return False
        _raster(self.img, prims)
        self._mask(self.occ, prims)
        return True


SUITS = [
    (30, 32, 40),
    (22, 26, 48),
    (48, 50, 56),
    (225, 225, 220),
    (120, 30, 34),
    (60, 70, 90),
    (200, 40, 40),
    (235, 235, 240),
    (90, 80, 70),
]
SKIN = [(224, 180, 150), (205, 160, 125), (186, 140, 110), (236, 200, 170)]
HAIR = [(20, 18, 18), (35, 30, 28), (50, 45, 40), (90, 90, 92)]


def person(
    rng: Rng, x: float, y_head: float, hh: float, front: bool, body: float = 3.5
) -> list[Prim]:
    """A person seen from front or back: head of height hh whose top is at y_head."""
    hw = hh * rng.uniform(0.36, 0.42)
    suit, skin, hair = pick(rng, SUITS), pick(rng, SKIN), pick(rng, HAIR)
    hy = y_head + hh / 2
    sw = hh * rng.uniform(1.05, 1.35)
    top = hy + hh * 0.55
    bot = y_head + hh * body
    sh = [
        (x - sw * 0.35, top),
        (x + sw * 0.35, top),
        (x + sw, top + hh * 0.35),
        (x + sw * 1.05, bot),
        (x - sw * 1.05, bot),
        (x - sw, top + hh * 0.35),
    ]
    prims: list[Prim] = [("poly", sh, suit), ("ell", x, top, hw * 0.45, hh * 0.15, 0, skin)]
    if front:
        if suit[0] < 130:
            prims.append(
                (
                    "poly",
                    [(x - hw * 0.5, top), (x + hw * 0.5, top), (x, top + hh * 0.9)],
                    (235, 235, 235),
                )
            )
        prims += [
            ("ell", x, hy, hw, hh / 2, 0, skin),
            ("ell", x, hy - hh * 0.18, hw * 1.02, hh * 0.34, 0, hair),
        ]
    else:
        prims += [
            ("ell", x, hy, hw, hh / 2, 0, skin),
            ("ell", x, hy - hh * 0.06, hw * 1.04, hh * 0.47, 0, hair),
        ]
    return prims


def flowers(rng: Rng, x: float, y: float, s: float) -> list[Prim]:
    prims: list[Prim] = []
    for _ in range(int(rng.integers(10, 18))):
        a, r = rng.uniform(0, math.pi), s * rng.uniform(0.2, 0.7)
        prims.append(
            (
                "ell",
                x + r * math.cos(a) * 1.3,
                y - r * math.sin(a),
                s * 0.22,
                s * 0.1,
                rng.uniform(0, 180),
                jitter(rng, (40, 110, 45), 20),
            )
        )
    for _ in range(int(rng.integers(8, 16))):
        a, r = rng.uniform(0.1, math.pi - 0.1), s * rng.uniform(0.05, 0.6)
        prims.append(
            (
                "ell",
                x + r * math.cos(a) * 1.2,
                y - r * math.sin(a) * 0.9,
                s * 0.11,
                s * 0.1,
                0,
                jitter(
                    rng,
                    pick(rng, [(220, 40, 60), (240, 200, 40), (245, 240, 235), (230, 110, 150)]),
                    15,
                ),
            )
        )
    return prims


def mic(x: float, y_base: float, length: float, tilt: float) -> list[Prim]:
    tx, ty = x + length * math.sin(tilt), y_base - length * math.cos(tilt)
    return [
        ("line", (x, y_base), (tx, ty), max(2.0, length * 0.03), (30, 30, 32)),
        ("ell", tx, ty, length * 0.06, length * 0.1, math.degrees(tilt), (20, 20, 22)),
    ]


def hand(rng: Rng, x: float, y: float, s: float, side: int) -> list[Prim]:
    skin = pick(rng, SKIN)
    prims: list[Prim] = [("ell", x, y, s * 0.35, s * 0.45, 0, skin)]
    for k in range(4):
        prims.append(
            ("ell", x + side * s * 0.25, y - s * 0.3 + k * s * 0.2, s * 0.22, s * 0.08, 0, skin)
        )
    prims.append(
        (
            "poly",
            [
                (x - s * 0.3, y + s * 0.3),
                (x + s * 0.3, y + s * 0.3),
                (x + s * 0.4, y + s * 1.6),
                (x - s * 0.4, y + s * 1.6),
            ],
            pick(rng, SUITS),
        )
    )
    return prims


# ----------------------------------------------------------------------------- scenes
@dataclass
class Scene:
    img: np.ndarray
    kind: str
    floor: int  # y where wall meets floor
    f: float


def _textured(
    rng: Rng, h: int, w: int, base: tuple[float, ...], var: float, cells: float
) -> np.ndarray:
    n = fbm(rng, h, w, cells)
    return np.array(base, np.float32)[None, None] * (1 + var * n[..., None])


def _poster(rng: Rng, w: int, h: int) -> np.ndarray:
    bg = pick(rng, [(245, 245, 240), (200, 30, 36), (20, 80, 160), (250, 230, 200)])
    im = Image.new("RGB", (w, h), bg)
    dr = ImageDraw.Draw(im)
    fg = WHITE if sum(bg) < 500 else (pick(rng, [(190, 20, 30), (20, 60, 140), (30, 30, 30)]))
    text_c(
        dr,
        pick(rng, POSTERS),
        pick(rng, ["sans", "serif", "kai"]),
        (w * 0.08, h * 0.06, w * 0.92, h * 0.26),
        fg,
    )
    for k in range(int(rng.integers(4, 9))):
        y = h * (0.35 + k * 0.07)
        if y > h * 0.92:
            break
        dr.rectangle(
            [w * 0.1, y, w * rng.uniform(0.5, 0.9), y + h * 0.022],
            fill=tuple(int(v * 0.6 + 90) for v in fg),
        )
    return np.asarray(im)


def _sign(text: str, w: int, h: int, bg: Color, fg: Color, key: str = "sans") -> np.ndarray:
    im = Image.new("RGB", (w, h), bg)
    text_c(ImageDraw.Draw(im), text, key, (w * 0.06, h * 0.14, w * 0.94, h * 0.86), fg)
    return np.asarray(im)


def _banner(
    rng: Rng, w: int, h: int, text: str, bg: Color = (196, 20, 28), fg: Color = WHITE
) -> np.ndarray:
    base = _textured(rng, h, w, bg, 0.06, 12)
    im = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    text_c(
        ImageDraw.Draw(im),
        text,
        pick(rng, ["sans", "hei", "serif"]),
        (w * 0.03, h * 0.14, w * 0.97, h * 0.86),
        fg,
    )
    return np.asarray(im)


def scene_bg(rng: Rng, kind: str, W: int, H: int) -> Scene:
    f = W * rng.uniform(0.75, 1.25)
    fl = int(H * rng.uniform(0.55, 0.78))
    if kind == "stage":
        wall = _textured(rng, fl, W, jitter(rng, (70, 60, 62), 25), 0.06, 6)
        floor = _textured(
            rng, H - fl, W, pick(rng, [(150, 40, 40), (120, 80, 50), (110, 30, 36)]), 0.18, 30
        )
    elif kind == "outdoor":
        fl = int(H * rng.uniform(0.42, 0.62))
        sky = vgrad(fl, W, jitter(rng, (120, 165, 220), 20), jitter(rng, (215, 225, 235), 12))
        cl = np.clip(fbm(rng, fl, W, 5, 4) * 1.6 - 0.2, 0, 1)[..., None]
        wall = sky * (1 - cl * 0.8) + 245 * cl * 0.8
        floor = _textured(rng, H - fl, W, jitter(rng, (160, 155, 148), 20), 0.12, 20)
        rows = np.arange(H - fl, dtype=np.float32)
        depth = (rows + 8) / (H - fl)
        ty = np.sin(np.log(depth + 0.02) * rng.uniform(14, 22)) > 0.93
        floor[ty] *= 0.8
        xs = np.arange(W, dtype=np.float32)[None]
        tx = np.abs(np.sin((xs - W / 2) / (depth[:, None] * W * 0.03 + 1) * math.pi)) < 0.04
        floor[tx] *= 0.82
    else:  # meeting | hall
        wc = pick(
            rng,
            [(226, 218, 200), (210, 210, 208), (232, 228, 220), (190, 160, 120), (205, 215, 225)],
        )
        wall = vgrad(fl, W, jitter(rng, wc, 10), tuple(v * 0.85 for v in jitter(rng, wc, 10)))
        wall *= 1 + 0.04 * fbm(rng, fl, W, 8)[..., None]
        if rng.random() < 0.4:
            pw = W * rng.uniform(0.08, 0.16)
            xs = np.arange(W)
            wall[:, (xs % int(pw)) < 3] *= 0.82
        fcol = pick(
            rng, [(120, 40, 40), (60, 70, 100), (110, 110, 105), (200, 195, 185), (150, 110, 80)]
        )
        floor = _textured(rng, H - fl, W, fcol, 0.2, 60)
        if kind == "hall":
            floor = _textured(rng, H - fl, W, (205, 200, 192), 0.05, 10)
            rows = np.arange(H - fl, dtype=np.float32)[:, None]
            depth = (rows + 6) / (H - fl)
            xs = np.arange(W, dtype=np.float32)[None]
            g = (np.abs(np.sin((xs - W / 2) / (depth * W * 0.08 + 1) * math.pi)) < 0.03) | (
                np.abs(np.sin(np.log(depth + 0.01) * 9)) < 0.05
            )
            floor[g] *= 0.75
    img = np.concatenate([wall, floor], 0)
    img = np.clip(img, 0, 255).astype(np.uint8)
    sc = Scene(img, kind, fl, f)
    _furnish_back(rng, sc)
    return sc


def _furnish_back(rng: Rng, sc: Scene) -> None:
    """Wall-level clutter: ceiling, windows, posters, signs, trees, tents."""
    img, H, W, fl, f = sc.img, sc.img.shape[0], sc.img.shape[1], sc.floor, sc.f
    ang = (float(rng.uniform(-25, 25)), 0.0, 0.0)
    if sc.kind in ("meeting", "hall"):
        ch = int(fl * rng.uniform(0.06, 0.16))
        img[:ch] = np.clip(img[:ch].astype(np.float32) * 1.08 + 10, 0, 255).astype(np.uint8)
        for _ in range(int(rng.integers(2, 6))):
            x = int(W * rng.uniform(0.05, 0.95))
            cv2.ellipse(
                img,
                (x, ch // 2),
                (int(W * 0.04), max(2, ch // 5)),
                0,
                0,
                360,
                (252, 252, 246),
                -1,
                cv2.LINE_AA,
            )
        if rng.random() < 0.6:
            x0 = int(W * pick(rng, [0.0, 0.82])) + int(rng.integers(0, int(W * 0.05)))
            ww = int(W * rng.uniform(0.1, 0.18))
            cv2.rectangle(img, (x0, int(fl * 0.18)), (x0 + ww, int(fl * 0.85)), (235, 240, 245), -1)
            for y in range(int(fl * 0.18), int(fl * 0.85), max(4, int(fl * 0.025))):
                cv2.line(img, (x0, y), (x0 + ww, y), (200, 205, 210), max(1, int(fl * 0.004)))
            cv2.rectangle(
                img,
                (x0, int(fl * 0.18)),
                (x0 + ww, int(fl * 0.85)),
                (120, 120, 125),
                max(2, W // 400),
            )
        for _ in range(int(rng.integers(1, 4))):
            pw = W * rng.uniform(0.04, 0.09)
            small_plane(
                img,
                to_rgba(_poster(rng, 300, 420)),
                (W * rng.uniform(0.05, 0.95), fl * rng.uniform(0.35, 0.6)),
                pw,
                ang,
                f,
            )
        if sc.kind == "hall":
            n = int(rng.integers(3, 6))
            for k in range(n):
                x = W * (k + 0.5) / n + rng.uniform(-0.03, 0.03) * W
                small_plane(
                    img,
                    to_rgba(_sign(pick(rng, SIGNS), 600, 140, (16, 70, 150), WHITE)),
                    (x, fl * rng.uniform(0.3, 0.42)),
                    W / n * 0.7,
                    ang,
                    f,
                )
                cv2.rectangle(
                    img,
                    (int(x - W / n * 0.4), int(fl * 0.75)),
                    (int(x + W / n * 0.4), int(fl * 1.05)),
                    jitter(rng, (200, 170, 130), 10),
                    -1,
                )
                cv2.rectangle(
                    img,
                    (int(x - W / n * 0.4), int(fl * 0.75)),
                    (int(x + W / n * 0.4), int(fl * 0.78)),
                    (240, 236, 228),
                    -1,
                )
    elif sc.kind == "stage":
        if rng.random() < 0.7:
            small_plane(
                img,
                to_rgba(
                    _banner(
                        rng,
                        1600,
                        130,
                        pick(rng, BANNERS).format(
                            p=pick(rng, PLACES), y=int(rng.integers(2019, 2026))
                        ),
                    )
                ),
                (W * rng.uniform(0.4, 0.6), fl * 0.1),
                W * rng.uniform(0.7, 1.0),
                (0.0, 0.0, float(rng.uniform(-2, 2))),
                f,
            )
    else:
        for _ in range(int(rng.integers(2, 5))):
            x, bw, bh = W * rng.uniform(0, 1), W * rng.uniform(0.1, 0.3), fl * rng.uniform(0.2, 0.6)
            col = jitter(rng, (175, 175, 180), 20)
            cv2.rectangle(img, (int(x - bw / 2), int(fl - bh)), (int(x + bw / 2), fl), col, -1)
            for yy in np.arange(fl - bh + bh * 0.06, fl - bh * 0.05, bh * 0.12):
                for xx in np.arange(x - bw / 2 + bw * 0.06, x + bw / 2 - bw * 0.06, bw * 0.12):
                    cv2.rectangle(
                        img,
                        (int(xx), int(yy)),
                        (int(xx + bw * 0.06), int(yy + bh * 0.06)),
                        tuple(int(v * 0.7) for v in col),
                        -1,
                    )
        for _ in range(int(rng.integers(2, 6))):
            x, s = W * rng.uniform(0, 1), fl * rng.uniform(0.15, 0.35)
            cv2.line(
                img,
                (int(x), fl),
                (int(x), int(fl - s)),
                (70, 55, 40),
                max(2, int(s * 0.06)),
                cv2.LINE_AA,
            )
            for _ in range(12):
                cv2.ellipse(
                    img,
                    (int(x + rng.normal(0, s * 0.25)), int(fl - s - rng.normal(0, s * 0.25))),
                    (int(s * 0.22), int(s * 0.18)),
                    0,
                    0,
                    360,
                    jitter(rng, (50, 110, 50), 25),
                    -1,
                    cv2.LINE_AA,
                )
        for _ in range(int(rng.integers(1, 3))):
            x, tw = W * rng.uniform(0.1, 0.9), W * rng.uniform(0.2, 0.4)
            ty = fl + (H - fl) * rng.uniform(0.0, 0.3)
            th = tw * 0.55
            col = pick(rng, [(240, 240, 240), (30, 90, 170), (200, 30, 36)])
            cv2.fillPoly(
                img,
                [
                    np.int32(
                        [
                            (x - tw * 0.45, ty - th),
                            (x + tw * 0.45, ty - th),
                            (x + tw * 0.55, ty - th * 0.75),
                            (x - tw * 0.55, ty - th * 0.75),
                        ]
                    )
                ],
                col,
                cv2.LINE_AA,
            )
            small_plane(
                img,
                to_rgba(
                    _banner(rng, 1000, 110, pick(rng, BANNERS).format(p=pick(rng, PLACES), y=2023))
                ),
                (x, ty - th * 0.7),
                tw * 1.05,
                (0.0, 0.0, 0.0),
                f,
            )
            for sx in (-1, 1):
                cv2.line(
                    img,
                    (int(x + sx * tw * 0.52), int(ty - th * 0.66)),
                    (int(x + sx * tw * 0.52), int(ty)),
                    (180, 180, 185),
                    max(2, int(tw * 0.01)),
                )


def furnish_front(rng: Rng, sc: Scene, layer: Layer, avoid_low: bool) -> None:
    """Midground furniture and foreground audience; respects the occlusion budget."""
    H, W, fl = sc.img.shape[0], sc.img.shape[1], sc.floor
    if sc.kind == "meeting" and rng.random() < 0.6:
        for row in range(int(rng.integers(1, 3))):
            y = fl + (H - fl) * (0.15 + 0.3 * row)
            s = H * (0.04 + 0.03 * row)
            for x in np.arange(rng.uniform(0, s * 2), W, s * 2.2):
                layer.draw(
                    [
                        (
                            "poly",
                            [
                                (x - s * 0.7, y - s * 1.5),
                                (x + s * 0.7, y - s * 1.5),
                                (x + s * 0.75, y),
                                (x - s * 0.75, y),
                            ],
                            (40, 40, 48),
                        )
                    ]
                )
    if sc.kind in ("hall", "outdoor", "stage"):
        for _ in range(int(rng.integers(0, 5))):
            hh = H * rng.uniform(0.03, 0.07)
            x = W * rng.uniform(0, 1)
            layer.draw(
                person(rng, x, fl - hh * rng.uniform(1.0, 2.0), hh, bool(rng.random() < 0.5), 5.0)
            )
    if rng.random() < 0.55:
        n = int(rng.integers(2, 8))
        for _ in range(n):
            hh = H * rng.uniform(0.07, 0.16)
            x, y = W * rng.uniform(-0.05, 1.05), H - hh * rng.uniform(0.6, 1.6)
            if avoid_low:
                y += hh * 0.4
            layer.draw(person(rng, x, y, hh, False, 4.0))


# ----------------------------------------------------------------------------- carriers
def _shade(rng: Rng, rgb: np.ndarray, strength: float) -> np.ndarray:
    h, w = rgb.shape[:2]
    g = 1 + strength * fbm(rng, h, w, 1.5, 2)
    ys, xs = np.mgrid[0:h:8, 0:w:8]
    lx, ly = rng.uniform(0, w), rng.uniform(-0.3 * h, 0.5 * h)
    spot = np.exp(-((xs - lx) ** 2 + (ys - ly) ** 2) / (2 * (0.6 * max(h, w)) ** 2)).astype(
        np.float32
    )
    spot = cv2.resize(spot, (w, h))
    return rgb * (g * (0.82 + 0.28 * spot))[..., None]


def _glare(
    rng: Rng, rgb: np.ndarray, near: tuple[float, float], size: float, amt: float
) -> np.ndarray:
    h, w = rgb.shape[:2]
    g = np.zeros((h, w), np.float32)
    cx, cy = near[0] + rng.normal(0, size * 0.4), near[1] + rng.normal(0, size * 0.3)
    cv2.ellipse(
        g,
        (int(cx), int(cy)),
        (int(size * rng.uniform(0.2, 0.5)), int(size * rng.uniform(0.1, 0.3))),
        float(rng.uniform(0, 180)),
        0,
        360,
        1.0,
        -1,
    )
    g = cv2.GaussianBlur(g, (0, 0), size * 0.12 + 1)
    return rgb + (255 - rgb) * (amt * g)[..., None]


@dataclass
class Carrier:
    rgba: np.ndarray  # float32 h x w x 4
    logo: np.ndarray  # float32 h x w art alpha (zeros if no tracked art)
    rect: tuple[float, float, float, float]  # tracked art rectangle in plane px
    anchor: tuple[float, float]
    glare: bool = False
    lowc: bool = False
    reversed: bool = (
        False  # the art printed in one light ink (white/gold) on a backdrop of its own colour
    )


def build_carrier(
    rng: Rng,
    place: str,
    art: np.ndarray | None,
    Lp: float,
    track: bool,
    ext: tuple[float, float, float, float],
    text: str | None = None,
) -> Carrier:
    """Plane contents for a placement. `ext` = (left, top, right, bottom) around the art centre in plane px."""
    if art is None:
        ah, aw = int(Lp * 0.6), int(Lp)
    else:
        art = resize_art(art, Lp)
        ah, aw = art.shape[:2]
    glare = lowc = False
    L_, T_, R_, B_ = ext
    if place in ("card", "tabletent", "disc"):
        m = rng.uniform(0.12, 0.35) * max(aw, ah)
        L_, R_ = aw / 2 + m, aw / 2 + m
        T_ = ah / 2 + m
        B_ = ah / 2 + m * (2.2 if rng.random() < 0.5 else 1.0)
        if place == "disc":
            rr = 0.5 * math.hypot(aw, ah) * rng.uniform(1.02, 1.15) if aw / ah < 1.6 else 0
            L_, R_, T_, B_ = (
                (rr, rr, rr, rr)
                if rr
                else (aw / 2 + m * 0.5, aw / 2 + m * 0.5, ah / 2 + m * 0.5, ah / 2 + m * 0.5)
            )
    elif place == "rollup":
        wid = max(aw, ah * 1.2) * rng.uniform(1.15, 1.5)
        L_ = R_ = wid / 2
        T_ = wid * rng.uniform(0.35, 0.7)
        B_ = wid * rng.uniform(2.4, 2.5) - T_
    pw, ph = int(L_ + R_), int(T_ + B_)
    ax, ay = L_, T_
    x0, y0 = int(ax - aw / 2), int(ay - ah / 2)
    alpha = np.full((ph, pw), 255, np.float32)
    reverse: Color | None = None
    key = pick(rng, ["sans", "hei", "serif"])
    ban = pick(rng, BANNERS).format(p=pick(rng, PLACES), y=int(rng.integers(2019, 2026)))
    if place in ("card", "tabletent", "disc"):
        bg = (
            pick(rng, [(250, 250, 248), (246, 244, 238), (252, 252, 252)])
            if place != "disc" or rng.random() < 0.7
            else pick(rng, [(250, 236, 200), (235, 240, 250)])
        )
        rgb = _textured(rng, ph, pw, bg, 0.015, 20)
        if place == "disc":
            yy, xx = np.mgrid[0:ph, 0:pw]
            if pw == ph:
                alpha = (
                    np.clip(
                        (pw / 2 - np.hypot(xx - pw / 2 + 0.5, yy - ph / 2 + 0.5)) * 1.5 + 0.5, 0, 1
                    )
                    * 255
                )
            else:
                r = min(pw, ph) * 0.25
                mk = np.zeros((ph, pw), np.uint8)
                cv2.rectangle(mk, (int(r), 0), (int(pw - r), ph), 255, -1)
                cv2.rectangle(mk, (0, int(r)), (pw, int(ph - r)), 255, -1)
                for cx_, cy_ in ((r, r), (pw - r, r), (r, ph - r), (pw - r, ph - r)):
                    cv2.circle(mk, (int(cx_), int(cy_)), int(r), 255, -1, cv2.LINE_AA)
                alpha = mk.astype(np.float32)
            if rng.random() < 0.6:
                rim = cv2.erode(
                    (alpha > 128).astype(np.uint8), np.ones((max(3, pw // 60),) * 2, np.uint8)
                )
                rgb[(alpha > 128) & (rim == 0)] = pick(
                    rng, [INKS["gold"][0], INKS["red"][0], (180, 180, 185)]
                )
        elif ah / 2 + (T_ - ah / 2) * 1.5 < B_ and art is not None:
            im = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
            t = pick(rng, [*PLACES, "政务公开主题日活动", "签到处", "主持人"])
            text_c(
                ImageDraw.Draw(im),
                t,
                key,
                (pw * 0.12, y0 + ah + (B_ - ah / 2) * 0.25, pw * 0.88, ph - (B_ - ah / 2) * 0.2),
                (40, 40, 40),
            )
            rgb = np.asarray(im).astype(np.float32)
    elif place in ("backdrop", "cloth"):
        if place == "backdrop":
            bg = pick(
                rng,
                [
                    (190, 20, 30),
                    (196, 28, 36),
                    (20, 70, 150),
                    (14, 50, 120),
                    (236, 236, 232),
                    (250, 240, 220),
                    (210, 230, 245),
                ],
            )
        else:
            bg = pick(
                rng,
                [(245, 245, 245), (190, 20, 30), (20, 70, 150), (240, 200, 60), (230, 230, 225)],
            )
        rgb = vgrad(ph, pw, jitter(rng, bg, 8), tuple(v * 0.85 for v in jitter(rng, bg, 8)))
        if art is not None:
            inks = art[..., :3][art[..., 3] > 200].astype(np.float32)
            if inks.size and np.median(np.abs(inks - np.array(bg, np.float32)).sum(1)) < 160:
                reverse = WHITE if rng.random() < 0.7 else INKS["gold"][2]
        im = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
        dr = ImageDraw.Draw(im)
        fg = WHITE if sum(bg) < 450 else pick(rng, [(190, 20, 30), (20, 60, 140)])
        side = rng.random() < 0.5 and place == "backdrop"
        if side:  # title beside the LOGO
            tx0 = x0 + aw + 0.15 * aw
            if tx0 < pw * 0.9:
                text_c(
                    dr, ban, key, (tx0, y0 + ah * 0.15, min(pw, tx0 + aw * 6), y0 + ah * 0.85), fg
                )
        else:
            ty0 = y0 + ah * 1.15
            if ty0 < ph * 0.95:
                text_c(
                    dr,
                    ban,
                    key,
                    (max(0, ax - aw * 3), ty0, min(pw, ax + aw * 3), min(ph, ty0 + ah * 0.35)),
                    fg,
                )
        if rng.random() < 0.5:
            for k in range(3):
                yy = ph * (0.82 + 0.04 * k)
                dr.line(
                    [(0, yy), (pw, yy - ph * 0.1)],
                    fill=tuple(int(min(255, v * 1.15 + 20)) for v in bg),
                    width=max(2, ph // 80),
                )
        rgb = np.asarray(im).astype(np.float32)
    elif place == "rollup":
        bg = pick(rng, [(250, 250, 250), (236, 244, 252), (252, 246, 236)])
        top = pick(rng, [(196, 24, 34), (20, 80, 160), (0, 120, 90)])
        rgb = _textured(rng, ph, pw, bg, 0.01, 10)
        hb = int(ph * rng.uniform(0.08, 0.14))
        rgb[:hb] = top
        rgb[ph - hb // 2 :] = top
        im = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
        dr = ImageDraw.Draw(im)
        text_c(
            dr,
            pick(rng, ["政务公开", "政务公开主题日", pick(rng, PLACES), "阳光政务"]),
            key,
            (pw * 0.08, hb * 0.15, pw * 0.92, hb * 0.85),
            WHITE,
        )
        for k in range(int(rng.integers(5, 12))):
            yy = y0 + ah + ph * 0.06 + k * ph * 0.045
            if yy > ph - hb:
                break
            if k % 4 == 0:
                text_c(dr, pick(rng, POSTERS), key, (pw * 0.1, yy, pw * 0.7, yy + ph * 0.03), top)
            else:
                dr.rectangle(
                    [pw * 0.1, yy, pw * rng.uniform(0.5, 0.9), yy + ph * 0.012],
                    fill=(110, 110, 110),
                )
        rgb = np.asarray(im).astype(np.float32)
    elif place in ("led", "projector"):
        bg = (
            pick(rng, [(10, 30, 90), (120, 10, 20), (8, 8, 12), (30, 70, 160)])
            if place == "led"
            else pick(rng, [(250, 250, 250), (230, 236, 246), (180, 30, 36)])
        )
        rgb = vgrad(ph, pw, bg, tuple(v * 0.6 for v in bg))
        if place == "led" and rng.random() < 0.4 and art is not None:
            m = int(0.08 * max(aw, ah))
            cv2.rectangle(rgb, (x0 - m, y0 - m), (x0 + aw + m, y0 + ah + m), (245, 245, 245), -1)
        im = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
        dr = ImageDraw.Draw(im)
        fg = WHITE if sum(bg) < 450 else (190, 20, 30)
        ty0 = y0 + ah * 1.2
        if ty0 < ph * 0.92:
            text_c(
                dr,
                ban,
                key,
                (max(0, ax - aw * 2.5), ty0, min(pw, ax + aw * 2.5), min(ph, ty0 + ah * 0.3)),
                fg,
            )
        rgb = np.asarray(im).astype(np.float32)
    else:
        raise ValueError(place)
    logo = np.zeros((ph, pw), np.float32)
    rect = (float(x0), float(y0), float(x0 + aw), float(y0 + ah))
    if art is not None:
        m = put_art(rgb, art, max(0, x0), max(0, y0), reverse)
        if track:
            logo = m
    elif text:  # the campaign words where a LOGO would be, without the LOGO
        im = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
        fg = (
            WHITE
            if float(rgb[int(ay), int(ax)].sum()) < 450
            else pick(rng, [(190, 20, 30), (20, 60, 140)])
        )
        text_c(ImageDraw.Draw(im), text, key, (x0, y0 + ah * 0.2, x0 + aw, y0 + ah * 0.8), fg)
        rgb = np.asarray(im).astype(np.float32)
    # --- material
    if place == "cloth":
        xs = np.arange(pw, dtype=np.float32)
        per = pw / rng.uniform(3, 9)
        ph_ = rng.uniform(0, 6.28, 3)
        fold = (np.sin(xs / per * 6.28 + ph_[0]) + 0.5 * np.sin(xs / per * 13.1 + ph_[1])) / 1.5
        amp = rng.uniform(0.12, 0.3)
        shade = 1 + amp * fold
        dx = (fold * per * 0.04).astype(np.float32)
        mapx = (np.arange(pw, dtype=np.float32)[None] + dx[None]).repeat(ph, 0).astype(np.float32)
        mapy = np.arange(ph, dtype=np.float32)[:, None].repeat(pw, 1)
        rgb = cv2.remap(rgb, mapx, mapy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        logo = cv2.remap(logo, mapx, mapy, cv2.INTER_LINEAR)
        weave = 1 + 0.05 * ((np.indices((ph, pw)).sum(0) % 4) < 2).astype(np.float32) - 0.025
        rgb = rgb * (shade[None, :] * weave)[..., None]
        rgb = _shade(rng, rgb, 0.08)
    elif place == "led":
        pitch = max(1.5, max(aw, ah) / rng.uniform(45, 160))
        gw, gh = max(2, int(pw / pitch)), max(2, int(ph / pitch))
        small = cv2.resize(rgb, (gw, gh), interpolation=cv2.INTER_AREA)
        mean = small.mean(2, keepdims=True)
        small = np.clip(mean + (small - mean) * rng.uniform(1.2, 1.6), 0, 255) * rng.uniform(
            1.0, 1.25
        )
        big = cv2.resize(small, (pw, ph), interpolation=cv2.INTER_NEAREST)
        yy, xx = np.indices((ph, pw)).astype(np.float32)
        fx, fy = (xx / pitch) % 1 - 0.5, (yy / pitch) % 1 - 0.5
        dots = np.clip(1.6 - 3.2 * np.sqrt(fx * fx + fy * fy), 0.12, 1)
        glow = cv2.GaussianBlur(big, (0, 0), pitch * 1.5)
        rgb = np.clip(big * dots[..., None] * 1.25 + 0.35 * glow, 0, 255)
        b = max(3, int(min(pw, ph) * 0.015))
        rgb[:b], rgb[-b:], rgb[:, :b], rgb[:, -b:] = 15, 15, 15, 15
        glare = rng.random() < 0.4
        if glare:
            rgb = _glare(rng, rgb, (ax, ay), max(aw, ah) * 1.5, rng.uniform(0.3, 0.7))
    elif place == "projector":
        c = rng.uniform(0.4, 0.65)
        m = rgb.mean((0, 1), keepdims=True)
        rgb = np.clip(200 + (rgb - m) * c + (m - 200) * 0.3, 0, 255)
        yy, xx = np.indices((ph, pw)).astype(np.float32)
        hot = np.exp(
            -(((xx - pw * rng.uniform(0.4, 0.6)) / pw) ** 2 + ((yy - ph * 0.5) / ph) ** 2) * 3
        )
        rgb = np.clip(rgb * (0.75 + 0.35 * hot[..., None]), 0, 255)
        b = max(3, int(min(pw, ph) * 0.02))
        rgb[:b], rgb[-b:], rgb[:, :b], rgb[:, -b:] = 25, 25, 25, 25
        lowc = True
    else:
        rgb = _shade(rng, rgb, 0.05 if place != "backdrop" else 0.1)
        if place in ("card", "rollup", "backdrop", "tabletent") and rng.random() < 0.25:
            glare = True
            rgb = _glare(rng, rgb, (ax, ay), max(aw, ah), rng.uniform(0.25, 0.6))
    if place == "rollup":
        alpha = np.full((ph, pw), 255, np.float32)
    return Carrier(
        to_rgba(np.clip(rgb, 0, 255), alpha), logo, rect, (ax, ay), glare, lowc, reverse is not None
    )


# ----------------------------------------------------------------------------- camera
def lens(
    img: np.ndarray, masks: list[np.ndarray], k1: float
) -> tuple[np.ndarray, list[np.ndarray], Callable]:
    H, W = img.shape[:2]
    cx, cy, nrm = W / 2, H / 2, math.hypot(W / 2, H / 2)
    ys, xs = np.indices((H, W), dtype=np.float32)
    u, v = (xs - cx) / nrm, (ys - cy) / nrm
    s = 1 + k1 * (u * u + v * v)
    mx, my = cx + u * s * nrm, cy + v * s * nrm
    out = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    outm = [cv2.remap(m, mx, my, cv2.INTER_LINEAR) for m in masks]

    def fwd(pts: np.ndarray) -> np.ndarray:
        p = (np.asarray(pts, np.float64) - [cx, cy]) / nrm
        d = p.copy()
        for _ in range(20):
            d = p / (1 + k1 * (d**2).sum(1, keepdims=True))
        return d * nrm + [cx, cy]

    return out, outm, fwd


def camera(
    rng: Rng, img: np.ndarray, L: float, tags: list[str], lowlight: bool
) -> tuple[np.ndarray, int]:
    """Optics, sensor and encoding. Returns the final BGR-ready RGB uint8 decoded from JPEG and quality."""
    H, W = img.shape[:2]
    x = img.astype(np.float32) / 255
    # lighting: low-frequency gradient + vignetting
    g = 1 + 0.12 * fbm(rng, H // 8 + 2, W // 8 + 2, 1.2, 2)
    ys, xs = np.mgrid[0 : H // 8 + 2, 0 : W // 8 + 2].astype(np.float32)
    r2 = ((xs / (W / 8) - 0.5) ** 2 + (ys / (H / 8) - 0.5) ** 2) * 2
    g *= 1 - rng.uniform(0.05, 0.35) * r2
    x *= cv2.resize(g, (W, H))[..., None]
    if rng.random() < 0.3:
        sig = float(rng.uniform(0.6, min(2.0, 0.6 + L / 60)))
        x = cv2.GaussianBlur(x, (0, 0), sig)
        tags.append("defocus")
    else:
        x = cv2.GaussianBlur(x, (0, 0), 0.45)
    if rng.random() < 0.15:
        n = int(rng.uniform(4, min(30, max(5, 0.3 * L))))
        k = np.zeros((n | 1, n | 1), np.float32)
        a = rng.uniform(0, math.pi)
        c = (n | 1) // 2
        cv2.line(
            k,
            (int(c - c * math.cos(a)), int(c - c * math.sin(a))),
            (int(c + c * math.cos(a)), int(c + c * math.sin(a))),
            1.0,
            1,
            cv2.LINE_AA,
        )
        x = cv2.filter2D(x, -1, k / k.sum())
        tags.append("motion")
    exp = rng.uniform(0.75, 1.2) * (0.7 if lowlight else 1.0)
    gam = rng.uniform(0.8, 1.25)
    x = np.clip(x * exp, 0, 1) ** gam
    if abs(gam - 1) > 0.15 or abs(exp - 1) > 0.2:
        tags.append("gamma")
    if rng.random() < 0.45:
        cast = np.array(
            [rng.uniform(0.82, 1.15), rng.uniform(0.92, 1.05), rng.uniform(0.8, 1.18)], np.float32
        )
        x = x * cast
        tags.append("cast")
    if rng.random() < 0.12:
        m = x.mean()
        x = m + (x - m) * rng.uniform(0.55, 0.8) + 0.05
        tags.append("lowcontrast")
    iso = rng.uniform(0.004, 0.03) * (1.6 if lowlight else 1.0)
    x += (
        rng.standard_normal((H, W), dtype=np.float32)
        * iso
        * (0.5 + 0.8 * np.sqrt(np.clip(x.mean(2), 0, 1)))
    )[..., None]
    ch = rng.standard_normal((H // 3 + 1, W // 3 + 1, 2), dtype=np.float32) * iso * 0.8
    ch = cv2.resize(ch, (W, H))
    x[..., 0] += ch[..., 0]
    x[..., 2] += ch[..., 1]
    if iso > 0.016:
        tags.append("noise")
    x = np.clip(x * 255, 0, 255).astype(np.uint8)
    if rng.random() < 0.08:
        x = np.repeat(cv2.cvtColor(x, cv2.COLOR_RGB2GRAY)[..., None], 3, 2)
        tags.append("gray")
    q = int(rng.integers(55, 93))
    if rng.random() < 0.25:
        q0 = int(rng.integers(80, 96))
        x = cv2.imdecode(
            cv2.imencode(".jpg", x, [cv2.IMWRITE_JPEG_QUALITY, q0])[1], cv2.IMREAD_UNCHANGED
        )
        tags.append("jpeg2")
    return x, q


# ----------------------------------------------------------------------------- one photo
SIZES = [
    (1280, 960),
    (1600, 1200),
    (2048, 1536),
    (1920, 1080),
    (3000, 2000),
    (3264, 2448),
    (4000, 3000),
    (2560, 1440),
    (1440, 1080),
]
PLACES_W = {
    "card": 0.15,
    "backdrop": 0.18,
    "disc": 0.1,
    "cloth": 0.12,
    "led": 0.12,
    "rollup": 0.14,
    "projector": 0.08,
    "tabletent": 0.11,
}
SCENES = {
    "card": ["meeting", "stage", "hall", "outdoor"],
    "backdrop": ["stage", "stage", "meeting"],
    "disc": ["stage", "meeting", "hall"],
    "cloth": ["outdoor", "stage", "meeting"],
    "led": ["stage", "hall"],
    "rollup": ["hall", "outdoor", "stage", "meeting"],
    "projector": ["meeting"],
    "tabletent": ["meeting", "hall", "outdoor"],
}
CENTRE_Y = {
    "card": (0.3, 0.62),
    "backdrop": (0.15, 0.5),
    "disc": (0.18, 0.5),
    "cloth": (0.3, 0.75),
    "led": (0.18, 0.5),
    "rollup": (0.22, 0.5),
    "projector": (0.2, 0.45),
    "tabletent": (0.5, 0.8),
}
NEGS = ["neg_national", "neg_party", "neg_otherlogo", "neg_sibling", "neg_text", "neg_plain"]


class Ctx:
    """Per-process cache of the split's artwork."""

    def __init__(self, base: int) -> None:
        self.base = base
        self.designs = family(base)
        self.arts = {d.did: render_design(d) for d in self.designs}
        self.sample = load_sample()


def sample_size(rng: Rng, W: int, H: int, aspect: float) -> float:
    u = rng.random()
    cap = min(0.9 * W, 0.85 * H * max(1.0, aspect))
    if u < 0.36:
        return float(rng.uniform(55, 120))
    if u < 0.66:
        return float(rng.uniform(122, 198))
    return float(min(cap, math.exp(rng.uniform(math.log(210), math.log(max(230, cap))))))


def place_instance(
    rng: Rng,
    img: np.ndarray,
    sc: Scene,
    place: str,
    art: np.ndarray | None,
    L: float,
    track: bool,
    centre: tuple[float, float] | None = None,
    ang: tuple[float, float, float] | None = None,
    text: str | None = None,
) -> dict:
    """Put a carrier with `art` (long side L photo px) into the photo. Returns geometry."""
    H, W = img.shape[:2]
    ah, aw = art.shape[:2] if art is not None else (60, 100)
    asp = aw / ah
    lw = L if asp >= 1 else L * asp
    lh = L / asp if asp >= 1 else L
    if ang is None:
        yaw = float(rng.uniform(-35, 35) if rng.random() < 0.45 else rng.uniform(-18, 18))
        pitch = float(
            rng.uniform(-20, 20) * (1.0 if place in ("projector", "tabletent", "led") else 0.6)
        )
        roll = float(rng.normal(0, 7) if place in ("card",) else rng.normal(0, 2.5))
        ang = (yaw, pitch, float(np.clip(roll, -20, 20)))
    if centre is None:
        lo, hi = CENTRE_Y[place]
        mx, my = lw * 0.65 + 8, lh * 0.65 + 8
        cx = float(rng.uniform(mx, max(mx + 1, W - mx)))
        cy = float(np.clip(H * rng.uniform(lo, hi), my, max(my + 1, H - my)))
        centre = (cx, cy)
    cx, cy = centre
    ov = rng.uniform(1.2, 1.6)
    ext_photo = (cx + 0.1 * W, cy - 0.02 * H, W - cx + 0.1 * W, sc.floor - cy + 0.02 * H)
    if place in ("led", "projector", "cloth"):
        ext_photo = (
            lw * rng.uniform(0.8, 3),
            lh * rng.uniform(0.8, 1.6),
            lw * rng.uniform(0.8, 3),
            lh * rng.uniform(1.0, 2.0),
        )
        if place == "cloth" and sc.kind != "stage":
            ext_photo = (
                lw * rng.uniform(0.8, 3),
                lh * rng.uniform(0.7, 1.0),
                lw * rng.uniform(0.8, 3),
                lh * rng.uniform(0.8, 1.6),
            )
    if place in ("led", "projector"):  # screens hang above the floor
        ext_photo = (*ext_photo[:3], min(ext_photo[3], max(lh * 0.75, sc.floor - cy - 0.02 * H)))
    ext_photo = tuple(max(v, s * 0.6) for v, s in zip(ext_photo, (lw, lh, lw, lh), strict=True))
    k = ov * L / max(1.0, L)
    kmax = 4800 / max(ext_photo[0] + ext_photo[2], ext_photo[1] + ext_photo[3])
    k = min(ov, max(0.5, kmax))
    Lp = L * k
    ext = tuple(v * k for v in ext_photo)
    for _ in range(12):
        if depth_ok(ang, k, sc.f, (-ext[0], -ext[1], ext[2], ext[3])):
            break
        ext = tuple(max(Lp * 0.6, v * 0.8) for v in ext)
    car = build_carrier(rng, place, art, Lp, track, ext, text)  # type: ignore[arg-type]
    H_ = plane_h(car.anchor, k, ang, centre, sc.f)
    ph, pw = car.rgba.shape[:2]
    if place in ("disc", "card", "tabletent", "rollup"):  # soft contact shadow
        sh = car.rgba.copy()
        sh[..., :3] = 0
        sh[..., 3] = cv2.GaussianBlur(car.rgba[..., 3], (0, 0), max(2.0, pw * 0.01)) * 0.35
        T = np.array([[1, 0, pw * 0.015], [0, 1, ph * 0.02], [0, 0, 1]], np.float64)
        warp_paste(img, sh, H_ @ T)
    hands: list[Prim] = []
    if place == "card" and rng.random() < 0.65:  # the person holding it
        c = proj(H_, [(pw / 2, ph * 0.2), (0, ph * 0.6), (pw, ph * 0.6)])
        wid = float(np.linalg.norm(c[2] - c[1]))
        hh = wid * rng.uniform(0.35, 0.55)
        Layer(img, None, 1).draw(
            person(rng, float(c[0][0]), float(c[0][1]) - hh * 1.6, hh, True, 6.0)
        )
        hs = wid * rng.uniform(0.09, 0.13)
        for side, pt in ((1, c[1]), (-1, c[2])):
            hands += hand(rng, float(pt[0]) + side * hs * 0.05, float(pt[1]), hs, side)
    if place == "tabletent" or (
        place == "cloth" and sc.kind != "stage"
    ):  # the table it stands on / hangs from
        c = proj(H_, [(0, ph), (pw, ph)] if place == "tabletent" else [(0, 0), (pw, 0)])
        ty = float(c[:, 1].mean())
        span = float(abs(c[1, 0] - c[0, 0]))
        tc = jitter(
            rng,
            pick(
                rng, [(235, 235, 232), (40, 110, 70), (150, 30, 36), (120, 80, 50), (30, 60, 120)]
            ),
            8,
        )
        dark = tuple(int(v * 0.72) for v in tc)
        if place == "tabletent":
            d = span * rng.uniform(0.5, 1.0)
            xl = float(c[:, 0].min() - span * rng.uniform(1.5, 5))
            xr = float(c[:, 0].max() + span * rng.uniform(1.5, 5))
            front = ty + d * 0.5
            cv2.fillPoly(
                img,
                [
                    np.int32(
                        [
                            (xl + d * 0.3, ty - d * 0.5),
                            (xr - d * 0.3, ty - d * 0.5),
                            (xr, front),
                            (xl, front),
                        ]
                    )
                ],
                tc,
                cv2.LINE_AA,
            )
            cv2.fillPoly(
                img,
                [
                    np.int32(
                        [
                            (xl, front),
                            (xr, front),
                            (xr, min(H, front + span * 2.5)),
                            (xl, min(H, front + span * 2.5)),
                        ]
                    )
                ],
                dark,
                cv2.LINE_AA,
            )
        else:
            d = span * rng.uniform(0.05, 0.15)
            xl, xr = float(c[0, 0]), float(c[1, 0])
            cv2.fillPoly(
                img,
                [np.int32([(xl + d, c[0, 1] - d), (xr - d, c[1, 1] - d), c[1], c[0]])],
                jitter(rng, (150, 110, 70), 20),
                cv2.LINE_AA,
            )
    shade = 1.0 if place in ("led", "projector") else float(rng.uniform(0.8, 1.05))
    masks = warp_paste(img, car.rgba, H_, (car.logo,), shade)
    if place == "rollup":
        c = proj(H_, [(0, ph), (pw, ph)])
        t = max(3, int(np.linalg.norm(c[1] - c[0]) * 0.04))
        cv2.line(
            img,
            tuple(int(v) for v in c[0]),
            tuple(int(v) for v in c[1]),
            (170, 172, 178),
            t,
            cv2.LINE_AA,
        )
    x0, y0, x1, y1 = car.rect
    quad = proj(H_, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    return {
        "mask": masks[0],
        "quad": quad,
        "ang": ang,
        "front": hands,
        "glare": car.glare,
        "lowc": car.lowc,
        "reversed": car.reversed,
        "H": H_,
        "plane": (pw, ph),
    }


def occlude(rng: Rng, layer: Layer, place: str, quad: np.ndarray, target: float) -> None:
    """Add one occluder over the LOGO hiding about `target` of it (bisection on its offset)."""
    xs, ys = quad[:, 0], quad[:, 1]
    bx0, by0, bx1, by1 = xs.min(), ys.min(), xs.max(), ys.max()
    bw, bh = bx1 - bx0, by1 - by0
    s = max(bw, bh)
    kind = pick(
        rng,
        {
            "card": ["hand", "head"],
            "tabletent": ["mic", "hand", "flowers"],
            "backdrop": ["head", "mic", "flowers", "lectern"],
            "rollup": ["head", "flowers"],
            "led": ["head", "mic"],
            "projector": ["head"],
            "disc": ["head", "flowers", "mic"],
            "cloth": ["flowers", "mic", "head"],
        }[place],
    )
    side = pick(rng, [-1, 1])
    seed = int(rng.integers(1 << 30))

    def make(t: float) -> list[Prim]:
        r = np.random.default_rng(seed)
        if kind == "head":
            hh = s * r.uniform(0.4, 0.8)
            return person(
                r, bx0 + bw * r.uniform(0.2, 0.8), by1 - t * hh * 1.5 + hh * 0.1, hh, False, 4.0
            )
        if kind == "hand":
            x = (bx0 if side < 0 else bx1) - side * t * s * 0.35
            return hand(r, x, by0 + bh * r.uniform(0.3, 0.7), s * 0.3, side)
        if kind == "mic":
            return mic(
                bx0 + bw * r.uniform(0.3, 0.7),
                by1 + s * 0.5,
                s * 0.55 + t * s * 0.6,
                r.uniform(-0.4, 0.4),
            )
        if kind == "flowers":
            return flowers(r, bx0 + bw * r.uniform(0.1, 0.9), by1 + s * 0.2 - t * s * 0.6, s * 0.45)
        top = by1 - t * bh
        col = jitter(r, (120, 70, 40), 15)
        xa = bx0 + bw * r.uniform(-0.6, 0.4)
        return [
            (
                "poly",
                [
                    (xa, top),
                    (xa + s * 0.8, top),
                    (xa + s * 0.85, top + s * 1.5),
                    (xa - s * 0.05, top + s * 1.5),
                ],
                col,
            ),
            (
                "poly",
                [
                    (xa - s * 0.05, top - s * 0.03),
                    (xa + s * 0.85, top - s * 0.03),
                    (xa + s * 0.85, top + s * 0.04),
                    (xa - s * 0.05, top + s * 0.04),
                ],
                tuple(int(v * 0.7) for v in col),
            ),
        ]

    lo, hi = 0.0, 1.0
    for _ in range(9):
        mid = (lo + hi) / 2
        if layer.frac(make(mid)) < target:
            lo = mid
        else:
            hi = mid
    layer.draw(make(lo), force=True)


def distractors(
    rng: Rng, img: np.ndarray, sc: Scene, ctx: Ctx, avoid: np.ndarray | None, kinds: list[str]
) -> None:
    """Other emblems/logos on walls: posters, national-like / party-like marks, other units' logos."""
    W = img.shape[1]
    for kd in kinds:
        S = int(rng.uniform(0.05, 0.14) * W)
        art = {
            "national": lambda: national_like(600, rng),
            "party": lambda: party_like(600, rng),
            "other": lambda: other_logo(rng, 600),
        }[kd]()
        for _ in range(8):
            c = (float(rng.uniform(0.08, 0.92) * W), float(rng.uniform(0.12, 0.55) * sc.floor))
            if (
                avoid is None
                or avoid[
                    max(0, int(c[1] - S)) : int(c[1] + S), max(0, int(c[0] - S)) : int(c[0] + S)
                ].max(initial=0)
                < 0.05
            ):
                small_plane(
                    img,
                    to_rgba(
                        np.clip(resize_art(art, 600)[..., :3], 0, 255), resize_art(art, 600)[..., 3]
                    ),
                    c,
                    S * art.shape[1] / max(art.shape[:2]),
                    (float(rng.uniform(-25, 25)), 0.0, 0.0),
                    sc.f,
                )
                break


def quad_long(q: np.ndarray) -> float:
    d = lambda a, b: float(np.linalg.norm(q[a] - q[b]))  # noqa: E731
    return max((d(0, 1) + d(3, 2)) / 2, (d(0, 3) + d(1, 2)) / 2)


def make_photo(ctx: Ctx, i: int) -> tuple[np.ndarray, int, dict]:
    rng = np.random.default_rng([ctx.base, i])
    W, H = SIZES[int(rng.integers(len(SIZES)))]
    if rng.random() < 0.18:
        W, H = H, W
    positive = bool(rng.random() < 0.6)
    if rng.random() < 1 / 3:
        design, qart, tmpl, qd = "sample", ctx.sample, "templates/sample.png", None
    else:
        qd = ctx.designs[int(rng.integers(N_DESIGNS))]
        design, qart, tmpl = "random", ctx.arts[qd.did], f"templates/{qd.did}.png"
    names = list(PLACES_W)
    place = names[
        int(rng.choice(len(names), p=np.array(list(PLACES_W.values())) / sum(PLACES_W.values())))
    ]
    cond = f"pos_{place}" if positive else pick(rng, NEGS)
    sc = scene_bg(rng, pick(rng, SCENES[place]), W, H)
    img = sc.img
    tags: list[str] = []
    asp = qart.shape[1] / qart.shape[0]
    if positive:
        art = qart
    else:
        art = {
            "neg_national": lambda: national_like(800, rng),
            "neg_party": lambda: party_like(800, rng),
            "neg_otherlogo": lambda: other_logo(rng, 800),
            "neg_sibling": lambda: (
                render_design(sibling_of(qd, rng))
                if qd
                else render_design(
                    make_design(
                        rng, "sib", pick(rng, ["compact", "wide"]), 2, title="政务公开主题日"
                    )
                )
            ),
            "neg_text": lambda: None,
            "neg_plain": lambda: None,
        }[cond]()
        if cond == "neg_plain":
            place = pick(rng, ["rollup", "backdrop", "led", "card"])
    L = sample_size(rng, W, H, asp if art is None else art.shape[1] / art.shape[0])
    if art is None and cond == "neg_text":
        L = max(L, 200)
    pre_kinds = []
    if rng.random() < (0.35 if positive else 0.25):
        pre_kinds.append(pick(rng, ["national", "party", "other", "other"]))
    distractors(rng, img, sc, ctx, None, pre_kinds)
    if cond == "neg_plain":
        art_p = other_logo(rng, 600) if rng.random() < 0.3 else None
        g = place_instance(rng, img, sc, place, art_p, L, False)
    else:
        words = (
            pick(rng, [*TITLES, "“政务公开主题日”", "政务公开  主题日"])
            if cond == "neg_text"
            else None
        )
        g = place_instance(rng, img, sc, place, art, L, positive, text=words)
    also: list[list[int]] = []
    if positive and rng.random() < 0.12 and place in ("backdrop", "led", "cloth"):
        L2 = L * rng.uniform(0.3, 0.6)
        if L2 >= 40:
            cx2 = float(rng.uniform(0.1, 0.9) * W)
            if abs(cx2 - g["quad"][:, 0].mean()) > L * 0.9:
                img2 = img.copy()
                g2 = place_instance(
                    rng,
                    img2,
                    sc,
                    "rollup",
                    art,
                    L2,
                    True,
                    centre=(cx2, float(min(H * 0.75, g["quad"][:, 1].mean() + L * 0.5))),
                )
                if (g2["mask"] * g["mask"]).sum() == 0:
                    img[:] = img2
                    also_mask = g2["mask"]
                    ys, xs = np.nonzero(also_mask > 0.5)
                    if len(xs):
                        also.append(
                            [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]
                        )
                        tags.append("twice")
    logo = g["mask"] if positive else None
    target = 0.0
    if rng.random() < 0.45:
        target = float(rng.uniform(0.02, 0.2))
    layer = Layer(img, logo, max(0.2, target))
    if g["front"]:
        layer.draw(g["front"], force=True)
    if target > 0 and logo is not None:
        occlude(rng, layer, place, g["quad"], target)
    elif target > 0 and art is not None:  # look-alikes get occluders too
        occlude(rng, Layer(img, g["mask"], 1.0), place, g["quad"], target)
    furnish_front(rng, sc, layer, avoid_low=place in ("tabletent",))
    occl = layer.frac() if positive else 0.0
    # lens distortion
    quad = g["quad"]
    mask = g["mask"]
    if rng.random() < 0.5:
        k1 = float(rng.uniform(-0.07, 0.04))
        img, ms, fwd = lens(img, [mask], k1)
        mask = ms[0]
        quad = fwd(quad)
    Lq = quad_long(quad) if positive else L
    lowlight = place == "projector"
    if lowlight:
        tags.append("lowcontrast")
    out, q = camera(rng, img, Lq, tags, lowlight)
    if g["glare"]:
        tags.append("glare")
    if positive and g["reversed"]:
        tags.append("reversed")
    bbox = None
    if positive:
        ys, xs = np.nonzero(mask > 0.5)
        bbox = (
            [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]
            if len(xs)
            else None
        )
        tags.append("w50-120" if Lq < 120 else "w120-200" if Lq < 200 else "w>=200")
    yaw, pitch, roll = g["ang"] if cond not in ("neg_plain",) else (0.0, 0.0, 0.0)
    tags += [
        "yaw>=20" if abs(yaw) >= 20 else "yaw<20",
        "occl>=10" if occl >= 0.1 else "occl<10",
        place if positive else cond[4:],
        "wide" if asp >= 2.2 else "compact",
    ]
    truth = {
        "file": f"{i:04d}.jpg",
        "template": tmpl,
        "design": design,
        "condition": cond,
        "placement": place if positive else "-",
        "positive": positive,
        "bbox": bbox,
        "quad": [[round(float(x), 1), round(float(y), 1)] for x, y in quad] if positive else None,
        "size": [W, H],
        "tags": sorted(set(tags), key=tags.index),
        "yaw": round(float(yaw), 2),
        "pitch": round(float(pitch), 2),
        "roll": round(float(roll), 2),
        "occluded": round(occl, 4),
        "covered": 0.0,
        "jpeg": q,
        "also": also,
        "scene": sc.kind,
    }
    return out, q, truth


_CTX: Ctx | None = None
_OUT: Path | None = None


def _init(base: int, out: str, threads: int = 0) -> None:
    global _CTX, _OUT
    if threads:
        cv2.setNumThreads(threads)  # one process per core: no nested OpenCV threads
    _CTX, _OUT = Ctx(base), Path(out)


def _work(i: int) -> dict:
    assert _CTX is not None and _OUT is not None
    img, q, truth = make_photo(_CTX, i)
    _ok, buf = cv2.imencode(
        ".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, q]
    )
    (_OUT / truth["file"]).write_bytes(buf.tobytes())
    return truth


def save_templates(ctx: Ctx, out: Path) -> None:
    (out / "templates").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([ctx.base, 777])
    transparent = bool(rng.random() < 0.3)
    Image.open(SAMPLE_LOGO).convert("RGB").save(out / "templates" / "sample.png")
    for d in ctx.designs:
        art = ctx.arts[d.did]
        ls = int(rng.uniform(300, 600))
        a = resize_art(art, ls * rng.uniform(0.84, 0.94))
        h, w = a.shape[:2]
        ch, cw = int(h + (ls - max(h, w)) + 2), int(w + (ls - max(h, w)) + 2)
        if transparent:
            canvas = np.zeros((ch, cw, 4), np.uint8)
            canvas[(ch - h) // 2 : (ch - h) // 2 + h, (cw - w) // 2 : (cw - w) // 2 + w] = a
            Image.fromarray(canvas, "RGBA").save(out / "templates" / f"{d.did}.png")
        else:
            canvas = np.full((ch, cw, 3), 255, np.float32)
            put_art(canvas, a, (cw - w) // 2, (ch - h) // 2)
            Image.fromarray(canvas.astype(np.uint8)).save(out / "templates" / f"{d.did}.png")


def contact_sheet(out: Path, truth: list[dict], tw: int = 260) -> None:
    cols = 8
    tiles = []
    for t in truth:
        im = cv2.imread(str(out / t["file"]))
        h, w = im.shape[:2]
        s = tw / w
        th = int(h * s)
        im = cv2.resize(im, (tw, th), interpolation=cv2.INTER_AREA)
        if t["quad"]:
            cv2.polylines(
                im, [np.int32(np.array(t["quad"]) * s)], True, (0, 255, 0), 1, cv2.LINE_AA
            )
        tile = np.full((tw + 24, tw, 3), 40, np.uint8)
        tile[: min(th, tw)] = im[: min(th, tw)]
        cv2.putText(
            tile,
            f"{t['file'][:4]} {t['condition']} {t['design'][0]}",
            (3, tw + 17),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.42,
            (255, 255, 255),
            1,
            cv2.LINE_AA,
        )
        tiles.append(tile)
    while len(tiles) % cols:
        tiles.append(np.zeros_like(tiles[0]))
    rows = [np.hstack(tiles[r : r + cols]) for r in range(0, len(tiles), cols)]
    cv2.imwrite(str(out / "sheet.jpg"), np.vstack(rows), [cv2.IMWRITE_JPEG_QUALITY, 85])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--split", required=True)
    ap.add_argument("--base", type=int, default=3000)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--sheet", action="store_true")
    a = ap.parse_args(argv)
    out = Path(a.out) / a.split
    out.mkdir(parents=True, exist_ok=True)
    _font_file("sans")
    t0 = time.time()
    ctx = Ctx(a.base)
    save_templates(ctx, out)
    if a.jobs > 1:
        with get_context("spawn").Pool(
            a.jobs, initializer=_init, initargs=(a.base, str(out), 1)
        ) as pool:
            truth = list(pool.imap(_work, range(a.count), chunksize=1))
    else:
        _init(a.base, str(out))
        truth = [_work(i) for i in range(a.count)]
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1))
    if a.sheet:
        contact_sheet(out, truth)
    print(f"{a.count} photos in {time.time() - t0:.1f}s -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
