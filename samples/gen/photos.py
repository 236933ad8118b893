"""Synthetic event photos for the sample reports.

The pictures only have to look like what a unit attaches to a report: a room
or an outdoor stand, a red backdrop (会标) with text-like bars, a screen, a
table and rows of head-and-shoulder shapes.  No fonts are needed, so the
output is the same on every machine.  Everything is drawn from the caller's
``random.Random``, so a given seed always gives the same JPEG bytes.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

if TYPE_CHECKING:
    import random

__all__ = ["LOGO_PATH", "decorative_png", "event_photo"]

#: The campaign LOGO another part of the project ships; pasted when present.
LOGO_PATH = (
    Path(__file__).resolve().parents[2] / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"
)

_SKIN = [(233, 196, 166), (222, 180, 148), (204, 160, 125), (240, 205, 180)]
_HAIR = [(25, 22, 20), (40, 32, 28), (60, 50, 45), (90, 90, 90), (15, 15, 18)]
_CLOTHES = [
    (30, 35, 50),
    (235, 235, 235),
    (40, 60, 110),
    (70, 70, 75),
    (150, 30, 35),
    (200, 200, 190),
    (20, 90, 140),
    (110, 80, 60),
    (240, 240, 245),
]
_VEST = [(220, 40, 40), (240, 110, 20), (30, 110, 200)]  # volunteers' vests


def _jitter(
    rng: random.Random, colour: tuple[int, int, int], amount: int = 12
) -> tuple[int, int, int]:
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in colour)  # type: ignore[return-value]


def _gradient(
    width: int, height: int, top: tuple[int, int, int], bottom: tuple[int, int, int]
) -> np.ndarray:
    t = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
    a = np.array(top, dtype=np.float32)[None, None, :]
    b = np.array(bottom, dtype=np.float32)[None, None, :]
    column = a * (1 - t) + b * t
    return np.repeat(column, width, axis=1)


def _text_bars(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    box: tuple[int, int, int, int],
    colour: tuple[int, int, int],
    lines: int,
) -> None:
    """Draw rows of character-sized blocks, like a printed banner seen from afar."""
    x0, y0, x1, y1 = box
    line_h = (y1 - y0) / max(lines, 1)
    for i in range(lines):
        size = int(line_h * (0.62 if i == 0 else 0.45))
        if size < 3:
            continue
        n_chars = rng.randint(8, 18) if i == 0 else rng.randint(10, 24)
        gap = max(1, size // 6)
        total = n_chars * (size + gap)
        width = x1 - x0
        if total > width:
            size = max(3, int(width / n_chars) - gap)
            total = n_chars * (size + gap)
        start = x0 + (width - total) // 2
        cy = int(y0 + line_h * i + (line_h - size) / 2)
        for c in range(n_chars):
            cx = start + c * (size + gap)
            # each "character" is a few strokes rather than a solid square
            for _ in range(rng.randint(2, 4)):
                if rng.random() < 0.5:
                    yy = cy + rng.randint(0, size - 1)
                    draw.rectangle([cx, yy, cx + size - 1, yy + max(1, size // 8)], fill=colour)
                else:
                    xx = cx + rng.randint(0, size - 1)
                    draw.rectangle([xx, cy, xx + max(1, size // 8), cy + size - 1], fill=colour)


def _person(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    cx: int,
    base_y: int,
    scale: float,
    *,
    facing: bool,
    vest: bool = False,
) -> None:
    """A head-and-shoulders shape; ``facing`` shows a face, else the back of the head."""
    head_w = int(34 * scale)
    head_h = int(42 * scale)
    shoulder_w = int(96 * scale)
    shoulder_h = int(70 * scale)
    cloth = rng.choice(_VEST) if vest else rng.choice(_CLOTHES)
    cloth = _jitter(rng, cloth, 10)
    top = base_y - shoulder_h
    draw.rounded_rectangle(
        [cx - shoulder_w // 2, top, cx + shoulder_w // 2, base_y + int(40 * scale)],
        radius=max(2, int(26 * scale)),
        fill=cloth,
    )
    # neck
    skin = _jitter(rng, rng.choice(_SKIN), 8)
    draw.rectangle([cx - head_w // 5, top - int(8 * scale), cx + head_w // 5, top + 2], fill=skin)
    hx0, hy0 = cx - head_w // 2, top - head_h - int(4 * scale)
    hair = rng.choice(_HAIR)
    if facing:
        draw.ellipse([hx0, hy0, hx0 + head_w, hy0 + head_h], fill=skin)
        draw.chord(
            [hx0 - 1, hy0 - 2, hx0 + head_w + 1, hy0 + int(head_h * 0.8)], 180, 360, fill=hair
        )
        if scale > 0.6:
            ey = hy0 + int(head_h * 0.55)
            for ex in (cx - head_w // 5, cx + head_w // 5):
                draw.ellipse([ex - 2, ey - 1, ex + 2, ey + 2], fill=(40, 30, 25))
    else:
        draw.ellipse([hx0, hy0, hx0 + head_w, hy0 + head_h], fill=hair)


def _room(
    rng: random.Random, width: int, height: int, *, counters: bool = False
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    wall_top = _jitter(rng, rng.choice([(236, 230, 218), (225, 228, 232), (242, 238, 228)]), 8)
    wall_bottom = tuple(max(0, c - rng.randint(15, 35)) for c in wall_top)
    arr = _gradient(width, height, wall_top, wall_bottom)  # type: ignore[arg-type]
    floor_y = int(height * rng.uniform(0.62, 0.72))
    floor_col = _jitter(rng, rng.choice([(150, 120, 95), (120, 120, 125), (170, 150, 130)]), 10)
    arr[floor_y:, :, :] = _gradient(
        width, height - floor_y, floor_col, tuple(c - 30 for c in floor_col)
    )  # type: ignore[arg-type]
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    # backdrop (会标): a red board above the stage
    bw = int(width * rng.uniform(0.55, 0.8))
    bh = int(height * rng.uniform(0.22, 0.32))
    bx = (width - bw) // 2 + rng.randint(-width // 12, width // 12)
    by = int(height * rng.uniform(0.06, 0.14))
    red = _jitter(rng, rng.choice([(185, 25, 30), (200, 35, 35), (160, 20, 28), (30, 70, 150)]), 10)
    draw.rectangle([bx, by, bx + bw, by + bh], fill=red)
    draw.rectangle(
        [bx, by, bx + bw, by + bh],
        outline=_jitter(rng, (230, 200, 120), 10),
        width=max(2, width // 300),
    )
    _text_bars(
        draw,
        rng,
        (bx + bw // 12, by + bh // 8, bx + bw - bw // 12, by + bh - bh // 8),
        rng.choice([(250, 230, 120), (255, 255, 255), (255, 240, 180)]),
        rng.randint(2, 3),
    )
    # a projection / LED screen beside or instead of part of the wall
    if rng.random() < 0.7:
        sw = int(width * rng.uniform(0.16, 0.24))
        sh = int(sw * 0.6)
        sx = rng.choice([int(width * 0.03), width - sw - int(width * 0.03)])
        sy = by + rng.randint(0, max(1, bh // 2))
        draw.rectangle([sx - 3, sy - 3, sx + sw + 3, sy + sh + 3], fill=(30, 30, 35))
        screen = _jitter(rng, rng.choice([(40, 90, 170), (235, 240, 245), (20, 60, 120)]), 10)
        draw.rectangle([sx, sy, sx + sw, sy + sh], fill=screen)
        bar = (255, 255, 255) if sum(screen) < 400 else (60, 80, 140)
        _text_bars(
            draw,
            rng,
            (sx + sw // 10, sy + sh // 10, sx + sw - sw // 10, sy + sh - sh // 10),
            bar,
            4,
        )
    if counters:
        # service windows along the back wall of a 政务服务大厅
        cy = int(height * 0.42)
        n = rng.randint(4, 7)
        for i in range(n):
            x0 = int(width * i / n) + 4
            x1 = int(width * (i + 1) / n) - 4
            draw.rectangle([x0, cy, x1, cy + height // 10], fill=_jitter(rng, (215, 205, 190), 6))
            draw.rectangle([x0, cy - height // 28, x1, cy], fill=_jitter(rng, (40, 110, 180), 8))
    # a head table with a cloth and name cards
    ty = int(height * rng.uniform(0.48, 0.56))
    tx0 = int(width * rng.uniform(0.12, 0.25))
    tx1 = width - int(width * rng.uniform(0.12, 0.25))
    # people behind the table, facing the camera
    n_front = rng.randint(3, 6)
    for i in range(n_front):
        cx = tx0 + int((i + 0.5) * (tx1 - tx0) / n_front)
        _person(draw, rng, cx, ty, scale=height / 900 * 1.1, facing=True)
    cloth = rng.choice([(180, 30, 35), (235, 235, 235), (30, 80, 60)])
    draw.rectangle([tx0, ty, tx1, ty + int(height * 0.08)], fill=_jitter(rng, cloth, 8))
    for i in range(n_front):
        cx = tx0 + int((i + 0.5) * (tx1 - tx0) / n_front)
        draw.rectangle(
            [cx - width // 60, ty - height // 60, cx + width // 60, ty], fill=(250, 250, 250)
        )
        if rng.random() < 0.6:
            draw.rectangle(
                [cx + width // 40, ty - height // 25, cx + width // 40 + 5, ty],
                fill=(200, 220, 240),
            )
    # audience rows, seen from behind, growing towards the camera
    rows = rng.randint(2, 3)
    for r in range(rows):
        frac = (r + 1) / rows
        scale = height / 900 * (1.2 + 1.2 * frac)
        base = int(height * (0.72 + 0.14 * frac)) + rng.randint(-8, 8)
        step = int(110 * scale)
        x = rng.randint(-step // 2, step // 3)
        while x < width + step // 2:
            if rng.random() < 0.85:
                _person(draw, rng, x, base, scale, facing=False)
            x += step + rng.randint(-step // 8, step // 8)
    return img, (bx, by, bx + bw, by + bh)


def _outdoor(
    rng: random.Random, width: int, height: int
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    sky = _jitter(rng, rng.choice([(150, 190, 230), (190, 210, 230), (210, 215, 220)]), 10)
    horizon = int(height * rng.uniform(0.38, 0.5))
    arr = _gradient(width, height, sky, (235, 240, 245))
    ground = _jitter(rng, rng.choice([(150, 150, 145), (170, 160, 140), (120, 130, 110)]), 10)
    arr[horizon:, :, :] = _gradient(width, height - horizon, ground, tuple(c - 25 for c in ground))  # type: ignore[arg-type]
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    # buildings / trees on the horizon
    x = 0
    while x < width:
        w = rng.randint(width // 14, width // 6)
        h = rng.randint(height // 12, height // 4)
        col = _jitter(rng, rng.choice([(90, 130, 80), (200, 195, 185), (170, 170, 175)]), 12)
        draw.rectangle([x, horizon - h, x + w, horizon], fill=col)
        x += w
    # tents with a red banner across the front
    bw = int(width * rng.uniform(0.5, 0.75))
    bx = (width - bw) // 2
    tent_top = int(height * rng.uniform(0.14, 0.22))
    bh = int(height * rng.uniform(0.1, 0.15))
    draw.polygon(
        [
            (bx - 10, tent_top + bh),
            (bx + bw // 2, tent_top - height // 10),
            (bx + bw + 10, tent_top + bh),
        ],
        fill=_jitter(rng, (240, 240, 240), 6),
    )
    draw.rectangle(
        [bx, tent_top + bh // 3, bx + bw, tent_top + bh + bh // 3],
        fill=_jitter(rng, (195, 30, 35), 8),
    )
    banner = (bx, tent_top + bh // 3, bx + bw, tent_top + bh + bh // 3)
    _text_bars(
        draw,
        rng,
        (bx + bw // 14, banner[1] + 3, bx + bw - bw // 14, banner[3] - 3),
        (255, 235, 140),
        1,
    )
    for px in (bx + 4, bx + bw - 8):
        draw.rectangle([px, banner[3], px + 5, int(height * 0.62)], fill=(190, 190, 195))
    # consultation desks with leaflets
    ty = int(height * 0.6)
    draw.rectangle(
        [bx + 10, ty, bx + bw - 10, ty + height // 14], fill=_jitter(rng, (30, 80, 160), 10)
    )
    for _ in range(rng.randint(6, 12)):
        lx = rng.randint(bx + 15, bx + bw - 40)
        draw.rectangle([lx, ty - 4, lx + 22, ty + 2], fill=(250, 250, 250))
    # roll-up posters
    for _ in range(rng.randint(1, 2)):
        px = rng.choice([int(width * 0.05), int(width * 0.85)]) + rng.randint(-10, 10)
        pw, ph = width // 12, int(height * 0.42)
        draw.rectangle(
            [px, ty - ph + height // 8, px + pw, ty + height // 8],
            fill=_jitter(rng, (210, 40, 45), 10),
        )
        _text_bars(
            draw, rng, (px + 4, ty - ph + height // 8 + 6, px + pw - 4, ty), (255, 255, 255), 6
        )
    # crowd
    for r in range(2):
        scale = height / 900 * (1.6 + 1.4 * r)
        base = int(height * (0.78 + 0.14 * r))
        step = int(120 * scale)
        x = rng.randint(-step // 2, 0)
        while x < width + step:
            if rng.random() < 0.7:
                _person(
                    draw, rng, x, base, scale, facing=rng.random() < 0.4, vest=rng.random() < 0.2
                )
            x += step + rng.randint(-step // 4, step // 4)
    return img, banner


def _hall(
    rng: random.Random, width: int, height: int
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    return _room(rng, width, height, counters=True)


def _paste_logo(rng: random.Random, img: Image.Image, banner: tuple[int, int, int, int]) -> None:
    """Paste the LOGO onto the backdrop; the random draws happen even without the file."""
    frac = rng.uniform(0.16, 0.3)
    side = rng.random()
    if not LOGO_PATH.exists():
        return
    logo = Image.open(LOGO_PATH).convert("RGBA")
    bx0, by0, bx1, by1 = banner
    target_h = max(8, int((by1 - by0) * (0.55 + frac)))
    target_w = max(8, int(logo.width * target_h / logo.height))
    target_w = min(target_w, max(8, (bx1 - bx0) // 3))
    target_h = max(8, int(logo.height * target_w / logo.width))
    logo = logo.resize((target_w, target_h), Image.LANCZOS)
    x = (
        bx0 + max(2, (bx1 - bx0) // 30)
        if side < 0.7
        else bx1 - target_w - max(2, (bx1 - bx0) // 30)
    )
    y = by0 + ((by1 - by0) - target_h) // 2
    img.paste(logo, (x, max(0, y)), logo)


def event_photo(
    rng: random.Random,
    width: int,
    height: int,
    *,
    logo: bool = False,
    quality: int = 68,
    noise: float = 2.0,
) -> bytes:
    """Return the JPEG bytes of a plausible synthetic activity photo.

    ``logo=True`` pastes ``src/gkcheck/data/logo/sample-logo.png`` onto the
    backdrop when that file exists (and silently skips it otherwise).
    ``quality`` and ``noise`` only matter for the large performance sample,
    whose photos should weigh what a phone photo weighs.
    """
    kind = rng.choice(["room", "room", "outdoor", "hall"])
    if kind == "outdoor":
        img, banner = _outdoor(rng, width, height)
    elif kind == "hall":
        img, banner = _hall(rng, width, height)
    else:
        img, banner = _room(rng, width, height)
    if logo:
        _paste_logo(rng, img, banner)
    img = img.filter(ImageFilter.GaussianBlur(radius=0.6))
    # mild sensor noise and a vignette, so it does not look like clip-art
    arr = np.asarray(img, dtype=np.float32)
    noise_rng = np.random.default_rng(rng.getrandbits(32))
    arr += noise_rng.normal(0.0, noise, size=arr.shape).astype(np.float32)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    d = ((xx - width / 2) / (width / 2)) ** 2 + ((yy - height / 2) / (height / 2)) ** 2
    arr *= (1.0 - 0.12 * d)[:, :, None]
    out = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    buf = io.BytesIO()
    out.save(buf, format="JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def decorative_png(kind: str) -> bytes:
    """Tiny images that are not photos: a 16×16 icon or a 600×4 divider line."""
    if kind == "icon":
        img = Image.new("RGBA", (16, 16), (0, 0, 0, 0))
        d = ImageDraw.Draw(img)
        d.ellipse([1, 1, 14, 14], fill=(200, 30, 30, 255))
        d.rectangle([7, 4, 8, 11], fill=(255, 255, 255, 255))
    elif kind == "line":
        img = Image.new("RGBA", (600, 4), (190, 20, 25, 255))
    elif kind == "bullet":
        img = Image.new("RGBA", (12, 12), (0, 0, 0, 0))
        ImageDraw.Draw(img).polygon([(2, 1), (10, 6), (2, 11)], fill=(30, 90, 170, 255))
    else:
        raise ValueError(kind)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
