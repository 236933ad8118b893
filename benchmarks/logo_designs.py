"""Campaign-LOGO designs: the project's stand-in LOGO and a random family.

The real 政务公开主题日 LOGO is not available, so the project ships a stand-in
(``src/gkcheck/data/logo/sample-logo.png``) drawn by :func:`sample_logo`, and
this module can draw any number of *other* plausible campaign LOGOs with random
parameters (mark kind, colours, stroke widths, layout, font, text):

* as "LOGOs never seen" -- the detector is benchmarked on designs it was not
  tuned on (it receives the template of the design it must find);
* as hard negatives -- another design carrying the same text 政务公开主题日
  (a different emblem), another campaign's LOGO (different text), the mark of
  another design alone, or the text 政务公开主题日 alone printed as a banner
  line (:func:`text_only`).

Design ids are deterministic: ``random_logo(design_id)`` always draws the same
picture. Convention used by the benchmark: ids < 1000 are *tuning* designs,
ids >= 1000 are *held-out* designs.

Run ``python benchmarks/logo_designs.py`` to (re)write the sample LOGO, or
``python benchmarks/logo_designs.py --family DIR -n 24`` to dump a contact
sheet of random designs for eyeballing.

Fonts: Debian CJK fonts (Noto CJK, WenQuanYi, AR PL) -- generator only.

Fonts: `bash scripts/install-bench-fonts.sh` installs the CJK fonts named below (a fresh
machine may lack some; the generator then falls back to those present).
"""

from __future__ import annotations

import argparse
import math
import random
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_LOGO_PATH = ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"

CAMPAIGN_TEXT = "政务公开主题日"
OTHER_CAMPAIGN_TEXTS = [
    "全国法治宣传日",
    "国家安全教育日",
    "全国科普日",
    "政务服务便民日",
    "12345热线开放日",
    "宪法宣传周",
    "全国消防日",
    "文明城市创建",
    "政府开放日",
    "信息公开宣传周",
    "安全生产月",
    "国家网络安全宣传周",
    "全民国家安全教育日",
    "世界读书日",
]
SUBTITLES = [
    "2024",
    "2025",
    "公开透明 阳光政务",
    "GOVERNMENT AFFAIRS OPENNESS DAY",
    "阳光政务 共建共享",
    "",
]

FONT_CANDIDATES = {
    "sans-bold": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "sans": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "serif-bold": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "zenhei": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "microhei": "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "kai": "/usr/share/fonts/truetype/arphic/ukai.ttc",
}

PALETTE = {
    "red": (200, 22, 30),
    "crimson": (170, 10, 40),
    "gold": (230, 170, 20),
    "orange": (240, 120, 20),
    "blue": (20, 80, 170),
    "sky": (30, 140, 220),
    "green": (20, 140, 70),
    "teal": (0, 140, 140),
    "purple": (110, 50, 150),
    "navy": (15, 40, 100),
    "black": (30, 30, 30),
    "grey": (90, 90, 90),
}
MARK_KINDS = [
    "ring_door",
    "bubble",
    "badge",
    "ripple",
    "gong",
    "petals",
    "shield",
    "swoosh",
    "book",
    "squares",
    "tower",
    "hands",
]


@cache
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path = FONT_CANDIDATES.get(name, FONT_CANDIDATES["sans-bold"])
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        for p in FONT_CANDIDATES.values():
            try:
                return ImageFont.truetype(p, size)
            except OSError:
                continue
        raise


def available_fonts() -> list[str]:
    return [k for k, p in FONT_CANDIDATES.items() if Path(p).exists()]


# ---------------------------------------------------------------- marks
def _star(
    cx: float, cy: float, r: float, n: int = 5, inner: float = 0.45, rot: float = -90
) -> list[tuple[float, float]]:
    pts = []
    for i in range(2 * n):
        rr = r if i % 2 == 0 else r * inner
        a = math.radians(rot + i * 180 / n)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def draw_mark(kind: str, size: int, c1: tuple, c2: tuple, rng: random.Random) -> Image.Image:
    """Draw a graphic mark of ``kind`` into a size x size RGB image on white."""
    S = size * 4  # supersample for anti-aliasing
    im = Image.new("RGB", (S, S), "white")
    d = ImageDraw.Draw(im)
    c, r = S / 2, S * 0.46
    w = int(S * rng.uniform(0.05, 0.10))
    if kind == "ring_door":
        d.ellipse([c - r, c - r, c + r, c + r], outline=c1, width=w)
        dw, dh = r * rng.uniform(0.55, 0.75), r * rng.uniform(1.0, 1.25)
        x0, y0 = c - dw / 2, c - dh / 2
        d.rectangle([x0, y0, x0 + dw, y0 + dh], outline=c2, width=max(4, w // 2))
        leaf = rng.uniform(0.35, 0.6) * dw
        d.polygon(
            [(x0, y0), (x0 + leaf, y0 + dh * 0.1), (x0 + leaf, y0 + dh * 0.95), (x0, y0 + dh)],
            fill=c2,
        )
        d.polygon(_star(c + dw * 0.18, c - dh * 0.08, r * 0.18), fill=c1)
    elif kind == "bubble":
        bw, bh = r * 1.8, r * 1.3
        d.rounded_rectangle(
            [c - bw / 2, c - bh / 2 - r * 0.2, c + bw / 2, c + bh / 2 - r * 0.2],
            radius=int(r * 0.35),
            fill=c1,
        )
        d.polygon(
            [
                (c - r * 0.3, c + bh / 2 - r * 0.25),
                (c - r * 0.7, c + r * 0.95),
                (c + r * 0.1, c + bh / 2 - r * 0.25),
            ],
            fill=c1,
        )
        n = rng.randint(2, 4)
        for i in range(n):
            y = c - bh / 2 + bh * (i + 1) / (n + 1) - r * 0.2
            d.line(
                [(c - bw * 0.32, y), (c + bw * (0.32 - 0.1 * (i % 2)), y)],
                fill=c2,
                width=max(6, w // 2),
            )
    elif kind == "badge":
        d.ellipse([c - r, c - r, c + r, c + r], fill=c1)
        d.ellipse(
            [c - r * 0.8, c - r * 0.8, c + r * 0.8, c + r * 0.8], outline=c2, width=max(6, w // 2)
        )
        d.polygon(_star(c, c - r * 0.05, r * 0.5, n=rng.choice([5, 5, 6, 8])), fill=c2)
        for i in range(rng.randint(3, 7)):
            a = math.radians(200 + i * 140 / 6)
            d.ellipse(
                [
                    c + r * 0.9 * math.cos(a) - w / 2,
                    c + r * 0.9 * math.sin(a) - w / 2,
                    c + r * 0.9 * math.cos(a) + w / 2,
                    c + r * 0.9 * math.sin(a) + w / 2,
                ],
                fill=c2,
            )
    elif kind == "ripple":
        n = rng.randint(3, 5)
        for i in range(n):
            rr = r * (1 - i / (n + 0.5))
            d.arc(
                [c - rr, c - rr, c + rr, c + rr],
                start=rng.randint(150, 200),
                end=rng.randint(340, 390),
                fill=c1 if i % 2 == 0 else c2,
                width=w,
            )
        d.ellipse([c - r * 0.15, c - r * 0.15, c + r * 0.15, c + r * 0.15], fill=c1)
    elif kind == "gong":  # stylised 公: two slanted strokes over a triangle
        d.polygon(
            [
                (c - r * 0.2, c - r * 0.9),
                (c - r * 0.05, c - r * 0.8),
                (c - r * 0.75, c - r * 0.05),
                (c - r * 0.95, c - r * 0.15),
            ],
            fill=c1,
        )
        d.polygon(
            [
                (c + r * 0.2, c - r * 0.9),
                (c + r * 0.05, c - r * 0.8),
                (c + r * 0.75, c - r * 0.05),
                (c + r * 0.95, c - r * 0.15),
            ],
            fill=c1,
        )
        d.polygon(
            [(c, c - r * 0.1), (c + r * 0.7, c + r * 0.85), (c - r * 0.7, c + r * 0.85)],
            outline=c2,
            width=w,
        )
        d.ellipse([c - r * 0.15, c + r * 0.3, c + r * 0.15, c + r * 0.6], fill=c2)
    elif kind == "petals":
        n = rng.randint(5, 9)
        for i in range(n):
            a = 2 * math.pi * i / n
            px, py = c + r * 0.5 * math.cos(a), c + r * 0.5 * math.sin(a)
            pr = r * 0.42
            d.ellipse(
                [px - pr, py - pr, px + pr, py + pr],
                outline=c1 if i % 2 else c2,
                width=max(6, w // 2),
            )
        d.ellipse([c - r * 0.25, c - r * 0.25, c + r * 0.25, c + r * 0.25], fill=c1)
    elif kind == "shield":
        d.polygon(
            [
                (c - r * 0.8, c - r * 0.9),
                (c + r * 0.8, c - r * 0.9),
                (c + r * 0.8, c + r * 0.1),
                (c, c + r),
                (c - r * 0.8, c + r * 0.1),
            ],
            fill=c1,
        )
        for i in range(rng.randint(2, 3)):
            y = c - r * 0.4 + i * r * 0.4
            d.line(
                [(c - r * 0.55, y), (c, y + r * 0.3), (c + r * 0.55, y)],
                fill=c2,
                width=max(8, w // 2),
            )
    elif kind == "swoosh":
        for i in range(rng.randint(2, 4)):
            off = (i - 1) * r * 0.35
            bbox = [c - r + off * 0.3, c - r * 0.7 + off, c + r + off * 0.3, c + r * 1.3 + off]
            d.arc(
                bbox,
                start=200 + rng.randint(-15, 15),
                end=330 + rng.randint(-15, 15),
                fill=(c1, c2, c1, c2)[i],
                width=int(w * rng.uniform(1.0, 1.8)),
            )
        d.polygon(_star(c + r * 0.45, c - r * 0.55, r * 0.25), fill=c2)
    elif kind == "book":
        d.polygon(
            [
                (c, c - r * 0.45),
                (c - r * 0.95, c - r * 0.7),
                (c - r * 0.95, c + r * 0.55),
                (c, c + r * 0.8),
            ],
            fill=c1,
        )
        d.polygon(
            [
                (c, c - r * 0.45),
                (c + r * 0.95, c - r * 0.7),
                (c + r * 0.95, c + r * 0.55),
                (c, c + r * 0.8),
            ],
            fill=c2,
        )
        for i in range(3):
            y = c - r * 0.25 + i * r * 0.3
            d.line(
                [(c - r * 0.8, y - r * 0.2), (c - r * 0.15, y)], fill="white", width=max(6, w // 3)
            )
            d.line(
                [(c + r * 0.8, y - r * 0.2), (c + r * 0.15, y)], fill="white", width=max(6, w // 3)
            )
    elif kind == "squares":  # a simple square-ish mark: the "dark square" pitfall
        k = rng.randint(2, 3)
        cell = 2 * r / k
        for i in range(k):
            for j in range(k):
                col = c1 if (i + j) % 2 == 0 else c2
                g = cell * 0.08
                d.rectangle(
                    [
                        c - r + i * cell + g,
                        c - r + j * cell + g,
                        c - r + (i + 1) * cell - g,
                        c - r + (j + 1) * cell - g,
                    ],
                    fill=col,
                )
    elif kind == "tower":  # a stylised government building / pillars
        d.polygon([(c - r, c - r * 0.3), (c, c - r * 0.95), (c + r, c - r * 0.3)], fill=c1)
        n = rng.randint(3, 5)
        for i in range(n):
            x = c - r * 0.8 + i * (1.6 * r) / (n - 1)
            d.rectangle([x - w / 2, c - r * 0.2, x + w / 2, c + r * 0.7], fill=c2)
        d.rectangle([c - r, c + r * 0.75, c + r, c + r * 0.95], fill=c1)
    elif kind == "hands":  # two arcs embracing a dot (people / service)
        d.chord([c - r, c - r * 0.2, c + r * 0.2, c + r], start=90, end=270, fill=c1)
        d.chord([c - r * 0.2, c - r * 0.2, c + r, c + r], start=270, end=450, fill=c2)
        d.ellipse([c - r * 0.3, c - r * 0.95, c + r * 0.3, c - r * 0.35], fill=c1)
    else:
        raise ValueError(kind)
    if rng.random() < 0.3:
        im = im.rotate(
            rng.choice([-20, -10, 10, 20, 45]), resample=Image.BICUBIC, fillcolor="white"
        )
    return im.resize((size, size), Image.LANCZOS)


def _text_block(text: str, fnt: ImageFont.FreeTypeFont, color: tuple) -> Image.Image:
    box = fnt.getbbox(text)
    w, h = box[2] - box[0], box[3] - box[1]
    im = Image.new("RGB", (w + 4, h + 4), "white")
    ImageDraw.Draw(im).text((2 - box[0], 2 - box[1]), text, font=fnt, fill=color)
    return im


def crop_white(im: Image.Image, margin: int = 0) -> Image.Image:
    g = im.convert("L").point(lambda v: 255 if v < 245 else 0)
    bb = g.getbbox()
    if not bb:
        return im
    x0, y0, x1, y1 = bb
    return im.crop(
        (
            max(0, x0 - margin),
            max(0, y0 - margin),
            min(im.width, x1 + margin),
            min(im.height, y1 + margin),
        )
    )


def compose_logo(
    mark: Image.Image | None,
    text: str | None,
    *,
    layout: str = "stack",
    font_name: str = "sans-bold",
    text_color: tuple = (200, 22, 30),
    subtitle: str = "",
    sub_color: tuple = (90, 90, 90),
    width: int = 400,
    margin: int = 16,
) -> Image.Image:
    """Assemble mark + text on white, about ``width`` px wide."""
    parts: list[Image.Image] = []
    if layout == "stack":
        inner = width - 2 * margin
        if mark is not None:
            parts.append(
                crop_white(mark.resize((int(inner * 0.55), int(inner * 0.55)), Image.LANCZOS))
            )
        if text:
            size = max(10, int(inner / max(len(text), 1) * 0.92))
            parts.append(crop_white(_text_block(text, font(font_name, size), text_color)))
        if subtitle:
            size = max(8, int(inner / max(len(subtitle), 4) * (0.9 if subtitle.isascii() else 0.6)))
            size = min(size, 40)
            parts.append(crop_white(_text_block(subtitle, font("sans", size), sub_color)))
        gap = int(width * 0.04)
        W = max(p.width for p in parts) + 2 * margin
        H = sum(p.height for p in parts) + gap * (len(parts) - 1) + 2 * margin
        out = Image.new("RGB", (W, H), "white")
        y = margin
        for p in parts:
            out.paste(p, ((W - p.width) // 2, y))
            y += p.height + gap
        return out
    # side: mark left, text (and subtitle) right
    mh = int(width * 0.30)
    m = crop_white(mark.resize((mh, mh), Image.LANCZOS)) if mark is not None else None
    tw = width - 2 * margin - (m.width + int(width * 0.04) if m else 0)
    size = max(10, int(tw / max(len(text or "x"), 1) * 0.95))
    t = crop_white(_text_block(text, font(font_name, size), text_color)) if text else None
    s = None
    if subtitle:
        ss = min(max(8, int(tw / max(len(subtitle), 4) * (0.9 if subtitle.isascii() else 0.6))), 30)
        s = crop_white(_text_block(subtitle, font("sans", ss), sub_color))
    col_h = (t.height if t else 0) + ((s.height + 8) if s else 0)
    H = max(m.height if m else 0, col_h) + 2 * margin
    W = (
        margin * 2
        + (m.width + int(width * 0.04) if m else 0)
        + max(t.width if t else 0, s.width if s else 0)
    )
    out = Image.new("RGB", (W, H), "white")
    x = margin
    if m:
        out.paste(m, (x, (H - m.height) // 2))
        x += m.width + int(width * 0.04)
    y = (H - col_h) // 2
    if t:
        out.paste(t, (x, y))
        y += t.height + 8
    if s:
        out.paste(s, (x, y))
    return out


def sample_logo() -> Image.Image:
    """The project's stand-in 政务公开主题日 LOGO (deterministic)."""
    S = 880
    im = Image.new("RGB", (S, S), "white")
    d = ImageDraw.Draw(im)
    red, gold = (196, 18, 28), (232, 168, 24)
    c, r = S / 2, S * 0.45
    d.ellipse([c - r, c - r, c + r, c + r], outline=red, width=int(S * 0.075))
    # an opening door: frame + open leaf + light rays
    dw, dh = r * 0.78, r * 1.12
    x0, y0 = c - dw / 2 - r * 0.05, c - dh / 2 + r * 0.05
    d.rectangle([x0, y0, x0 + dw, y0 + dh], outline=gold, width=int(S * 0.035))
    d.polygon(
        [
            (x0 + dw, y0),
            (x0 + dw + r * 0.32, y0 + dh * 0.12),
            (x0 + dw + r * 0.32, y0 + dh * 0.9),
            (x0 + dw, y0 + dh),
        ],
        fill=gold,
    )
    for k in range(4):
        a = math.radians(-150 + k * 28)
        d.line(
            [
                (x0 + dw * 0.45, y0 + dh * 0.55),
                (x0 + dw * 0.45 + r * 0.5 * math.cos(a), y0 + dh * 0.55 + r * 0.5 * math.sin(a)),
            ],
            fill=red,
            width=int(S * 0.025),
        )
    d.polygon(_star(x0 + dw * 0.45, y0 + dh * 0.6, r * 0.2), fill=red)
    mark = im.resize((220, 220), Image.LANCZOS)
    return compose_logo(
        mark,
        CAMPAIGN_TEXT,
        layout="stack",
        font_name="sans-bold",
        text_color=red,
        subtitle="GOVERNMENT AFFAIRS OPENNESS DAY",
        sub_color=(120, 100, 60),
        width=444,
    )


def _pick_colors(rng: random.Random) -> tuple[tuple, tuple, tuple]:
    names = list(PALETTE)
    c1 = rng.choice(names[:-2])
    c2 = rng.choice([n for n in names[:-2] if n != c1])
    tc = rng.choice([c1, c1, "black", "grey", c2])
    jit = lambda col: tuple(max(0, min(255, v + rng.randint(-15, 15))) for v in PALETTE[col])  # noqa: E731
    return jit(c1), jit(c2), jit(tc)


def random_logo(
    design_id: int, *, text: str | None = CAMPAIGN_TEXT, with_mark: bool = True
) -> Image.Image:
    """A random campaign-LOGO design, deterministic in ``design_id``."""
    rng = random.Random(f"logo-design-{design_id}")
    kind = MARK_KINDS[rng.randrange(len(MARK_KINDS))]
    c1, c2, tc = _pick_colors(rng)
    mark = draw_mark(kind, 240, c1, c2, rng) if with_mark else None
    layout = rng.choice(["stack", "stack", "side"])
    fnts = available_fonts()
    fname = rng.choice([f for f in fnts if f != "sans"] or fnts)
    sub = rng.choice(SUBTITLES)
    return compose_logo(
        mark,
        text,
        layout=layout,
        font_name=fname,
        text_color=tc,
        subtitle=sub,
        width=rng.randint(360, 440),
    )


def random_mark_kind(design_id: int) -> str:
    rng = random.Random(f"logo-design-{design_id}")
    return MARK_KINDS[rng.randrange(len(MARK_KINDS))]


def other_campaign_logo(design_id: int) -> Image.Image:
    """Another campaign's LOGO (different text, random mark)."""
    rng = random.Random(f"other-campaign-{design_id}")
    return random_logo(design_id, text=rng.choice(OTHER_CAMPAIGN_TEXTS))


def text_only(
    text: str = CAMPAIGN_TEXT, *, seed: int = 0, color: tuple | None = None, height: int = 60
) -> Image.Image:
    """The text alone (no mark), as printed on a banner line."""
    rng = random.Random(f"text-only-{seed}")
    fnts = available_fonts()
    col = color or rng.choice(
        [PALETTE["red"], PALETTE["black"], PALETTE["navy"], PALETTE["crimson"]]
    )
    return crop_white(_text_block(text, font(rng.choice(fnts), height), col), margin=6)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--family", type=Path, help="also write random designs into this folder")
    ap.add_argument("-n", type=int, default=24)
    ap.add_argument("--start", type=int, default=0)
    args = ap.parse_args()
    SAMPLE_LOGO_PATH.parent.mkdir(parents=True, exist_ok=True)
    sample_logo().save(SAMPLE_LOGO_PATH, optimize=True)
    print("wrote", SAMPLE_LOGO_PATH)
    if args.family:
        args.family.mkdir(parents=True, exist_ok=True)
        tiles = []
        for i in range(args.start, args.start + args.n):
            im = random_logo(i)
            im.save(args.family / f"design-{i:04d}.png")
            tiles.append(im)
        cols = 6
        tw = 460
        rows = (len(tiles) + cols - 1) // cols
        sheet = Image.new("RGB", (cols * tw, rows * tw), (235, 235, 235))
        for k, t in enumerate(tiles):
            t = t.copy()
            t.thumbnail((tw - 10, tw - 10))
            sheet.paste(t, ((k % cols) * tw + 5, (k // cols) * tw + 5))
        sheet.save(args.family / "sheet.png")
        print("wrote", args.family)


if __name__ == "__main__":
    main()
