"""Deterministic synthetic event-photo generator.

Draws a plausible photo of an event room -- wall, floor, a backdrop / an easel
board / a projection screen / a banner carrying a campaign LOGO, posters with
other emblems, text strips, people silhouettes, tables -- and applies
photographic conditions. Everything is a pure function of the ``random.Random``
passed in, so a seed reproduces a picture exactly.

Public API::

    render_scene(rng, width, height, *, logo=None, placement="backdrop",
                 logo_width_px=None, distractors=(), conditions=None) -> Scene
    make_scene(...same...) -> PIL.Image.Image     # Scene.image, truth in .info

``logo``           PIL image of the LOGO on white (any mode); None = no LOGO.
``placement``      "backdrop" | "board" | "screen" | "banner".
``logo_width_px``  LOGO width in output pixels before perspective (default:
                   random 12-35 % of the photo width).
``distractors``    PIL images (other emblems, other campaigns' LOGOs, text
                   lines such as 政务公开主题日 alone) placed as posters / strips
                   away from the LOGO.
``conditions``     dict, all keys optional:
    ``perspective``  0..0.5   out-of-plane tilt strength (0.3 ~ 45 deg yaw)
    ``rotation``     degrees  in-plane rotation of the LOGO (e.g. -15..15)
    ``blur``         sigma in pixels *at a 1000 px long side* (scaled up for
                     larger photos, like defocus on a phone)
    ``motion_blur``  length in pixels at a 1000 px long side
    ``occlusion``    0..0.6   fraction of the LOGO box hidden by a person/object
    ``color_cast``   (r, g, b) channel gains, e.g. (1.15, 1.0, 0.75) warm light
    ``noise``        sigma of Gaussian sensor noise in 0..255 units
    ``low_light``    0..1     darkening strength (gamma + gain, plus noise)
    ``no_white``     bool     print the LOGO without its white background
                              (ink only, on the backdrop colour); default:
                              random per placement
    ``glare``        0..1     a specular highlight over part of the LOGO
JPEG artefacts are the caller's business (encode with the quality you want).

``Scene.logo_quad`` is the LOGO's 4 corners (TL, TR, BR, BL of the LOGO image,
in output pixels, after perspective/rotation) and ``Scene.logo_bbox`` its
axis-aligned box clipped to the image; both None when there is no LOGO.
``make_scene`` returns ``Scene.image`` with ``info["logo_quad"]`` and
``info["logo_bbox"]`` set (they are not saved into files).

Fonts (for titles and text strips) are looked up among the Debian CJK fonts;
without them text is drawn as blocks. The generator is for samples and
benchmarks only; tests must not need fonts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

if TYPE_CHECKING:
    import random
    from collections.abc import Sequence

__all__ = ["PLACEMENTS", "Scene", "logo_to_rgba", "make_scene", "render_scene"]

PLACEMENTS = ("backdrop", "board", "screen", "banner")

_FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]
_TITLES = [
    "政务公开 阳光服务",
    "开放政府 透明行政",
    "走进政府 了解政务",
    "政府开放日活动现场",
    "公开透明 服务为民",
    "某某区人民政府",
    "市民代表座谈会",
    "2024年度工作会议",
    "阳光政务 共建共享",
    "欢迎参加本次活动",
]
_WALLS = [
    (225, 220, 205),
    (200, 198, 190),
    (235, 232, 225),
    (180, 160, 130),
    (210, 215, 220),
    (150, 120, 90),
]
_BACKDROPS = [
    (190, 20, 30),
    (20, 70, 160),
    (245, 245, 240),
    (30, 110, 190),
    (160, 20, 20),
    (230, 230, 215),
    (15, 60, 120),
    (205, 222, 240),
    (240, 228, 200),
]
_CLOTHES = [
    (30, 30, 35),
    (50, 50, 60),
    (20, 25, 45),
    (70, 70, 75),
    (230, 230, 230),
    (120, 40, 40),
    (40, 60, 90),
]


@dataclass(frozen=True)
class Scene:
    """A rendered photo and where the LOGO is (None when absent)."""

    image: Image.Image
    logo_quad: tuple[tuple[float, float], ...] | None
    logo_bbox: tuple[int, int, int, int] | None
    occluded_fraction: float = 0.0


@lru_cache(maxsize=64)
def _font(idx: int, size: int) -> ImageFont.ImageFont | None:
    for k in range(len(_FONTS)):
        p = _FONTS[(idx + k) % len(_FONTS)]
        if Path(p).exists():
            try:
                return ImageFont.truetype(p, max(6, size))
            except OSError:
                continue
    return None


def _text(
    d: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    s: str,
    size: int,
    fill: tuple,
    rng: random.Random,
) -> tuple[int, int]:
    f = _font(rng.randrange(len(_FONTS)), size)
    if f is None:  # fontless fallback: blocks that look like a text line
        x, y = xy
        for _ in s:
            d.rectangle([x, y, x + size * 0.85, y + size * 0.9], fill=fill)
            x += size
        return int(size * len(s)), size
    d.text(xy, s, font=f, fill=fill)
    b = f.getbbox(s)
    return b[2] - b[0], b[3] - b[1]


def logo_to_rgba(logo: Image.Image, *, no_white: bool) -> np.ndarray:
    """LOGO (on white) -> float RGBA array in 0..1.

    With ``no_white`` the white becomes transparent: alpha is the ink amount
    (distance from white) and colours are un-premultiplied, i.e. the LOGO is
    printed directly onto whatever is behind it.
    """
    rgb = np.asarray(logo.convert("RGB"), dtype=np.float32) / 255.0
    if not no_white:
        a = np.ones(rgb.shape[:2], np.float32)
        return np.dstack([rgb, a])
    a = np.clip((1.0 - rgb.min(axis=2)) * 1.6, 0.0, 1.0)
    safe = np.maximum(a, 1e-3)[..., None]
    col = np.clip((rgb - (1.0 - a[..., None])) / safe, 0.0, 1.0)
    return np.dstack([col, a])


def _logo_quad(
    rng: random.Random, w: float, h: float, cx: float, cy: float, rot: float, persp: float
) -> np.ndarray:
    q = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]], np.float64)
    if persp > 0:
        if rng.random() < 0.65:  # yaw: one vertical side farther away
            k = persp * rng.choice([-1, 1])
            q[:, 0] *= 1 - abs(k) * 0.5
            for i in range(4):
                side = 1 if q[i, 0] > 0 else -1
                q[i, 1] *= 1 - k * side * 0.8
        else:  # pitch: seen from below/above
            k = persp * rng.choice([-1, 1])
            q[:, 1] *= 1 - abs(k) * 0.5
            for i in range(4):
                side = 1 if q[i, 1] > 0 else -1
                q[i, 0] *= 1 - k * side * 0.8
    a = math.radians(rot)
    R = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    return q @ R.T + [cx, cy]


def _paste_rgba(canvas: np.ndarray, rgba: np.ndarray, quad: np.ndarray) -> None:
    """Warp ``rgba`` (float 0..1) onto the quad in ``canvas`` (float32 RGB 0..1)."""
    H, W = canvas.shape[:2]
    h, w = rgba.shape[:2]
    x0, y0 = np.floor(quad.min(axis=0)).astype(int) - 2
    x1, y1 = np.ceil(quad.max(axis=0)).astype(int) + 2
    cx0, cy0, cx1, cy1 = max(0, x0), max(0, y0), min(W, x1), min(H, y1)
    if cx1 <= cx0 or cy1 <= cy0:
        return
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = (quad - [cx0, cy0]).astype(np.float32)
    M = cv2.getPerspectiveTransform(src, dst)
    scale = math.dist(quad[0], quad[1]) / w
    img = rgba
    if scale < 0.5:  # pre-shrink to avoid aliasing
        f = max(scale * 1.5, 1e-3)
        img = cv2.resize(
            rgba, (max(2, int(w * f)), max(2, int(h * f))), interpolation=cv2.INTER_AREA
        )
        M = M @ np.diag([w / img.shape[1], h / img.shape[0], 1.0])
    out = cv2.warpPerspective(
        img,
        M,
        (cx1 - cx0, cy1 - cy0),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0, 0),
    )
    a = out[..., 3:4]
    region = canvas[cy0:cy1, cx0:cx1]
    region[:] = region * (1 - a) + out[..., :3] * a


def _person(
    d: ImageDraw.ImageDraw, cx: float, base: float, hh: float, col: tuple, skin: tuple
) -> None:
    """Head-and-shoulders silhouette: head centre at base - hh*0.85."""
    hr = hh * 0.18
    hy = base - hh * 0.85
    d.rounded_rectangle(
        [cx - hh * 0.42, hy + hr * 1.1, cx + hh * 0.42, base + hh], radius=int(hh * 0.18), fill=col
    )
    d.ellipse([cx - hr, hy - hr * 1.2, cx + hr, hy + hr * 1.2], fill=skin)
    d.chord(
        [cx - hr * 1.05, hy - hr * 1.3, cx + hr * 1.05, hy + hr * 0.5], 180, 360, fill=(25, 20, 20)
    )


def render_scene(
    rng: random.Random,
    width: int,
    height: int,
    *,
    logo: Image.Image | None = None,
    placement: str = "backdrop",
    logo_width_px: int | None = None,
    distractors: Sequence[Image.Image] = (),
    conditions: dict | None = None,
) -> Scene:
    """Render one synthetic event photo (see module docstring)."""
    if placement not in PLACEMENTS:
        raise ValueError(f"placement must be one of {PLACEMENTS}")
    cond = dict(conditions or {})
    W, H = int(width), int(height)
    u = max(W, H) / 1000.0  # unit: 1 px at a 1000 px long side
    im = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(im)

    # --- room: wall gradient, floor, ceiling lights
    wall = rng.choice(_WALLS)
    floor_y = int(H * rng.uniform(0.62, 0.78))
    grad = np.linspace(rng.uniform(0.85, 1.05), rng.uniform(0.75, 0.95), floor_y, dtype=np.float32)[
        :, None, None
    ]
    wall_arr = np.clip(np.array(wall, np.float32)[None, None, :] * grad, 0, 255).astype(np.uint8)
    im.paste(
        Image.fromarray(np.broadcast_to(wall_arr, (floor_y, 1, 3)).copy()).resize((W, floor_y)),
        (0, 0),
    )
    d.rectangle(
        [0, floor_y, W, H], fill=tuple(int(c * rng.uniform(0.4, 0.6)) for c in rng.choice(_WALLS))
    )
    for _ in range(rng.randint(0, 3)):  # wall panels / windows
        x = rng.uniform(0, W)
        pw = rng.uniform(0.05, 0.2) * W
        d.rectangle(
            [x, H * rng.uniform(0.05, 0.2), x + pw, floor_y * rng.uniform(0.8, 0.98)],
            fill=tuple(int(c * rng.uniform(0.85, 1.1)) % 256 for c in wall),
            outline=(120, 110, 100),
            width=max(1, int(3 * u)),
        )

    # --- LOGO geometry
    rot = float(cond.get("rotation", 0.0))
    persp = float(cond.get("perspective", 0.0))
    quad = None
    lw = lh = 0.0
    cx = cy = 0.0
    if logo is not None:
        lw = float(logo_width_px or int(W * rng.uniform(0.12, 0.35)))
        lh = lw * logo.height / logo.width
        ext = math.hypot(lw, lh) / 2 + 2 * u
        cx = rng.uniform(min(ext, W / 2), max(W - ext, W / 2))
        top = {"banner": 0.08, "screen": 0.12}.get(placement, 0.1)
        cy_lo, cy_hi = ext + H * 0.02, max(ext + H * 0.02, floor_y - ext * 0.6)
        if placement == "banner":
            cy_hi = min(cy_hi, H * 0.45)
        cy = (
            rng.uniform(min(cy_lo, H / 2), max(min(cy_hi, H - ext), min(cy_lo, H / 2)))
            if cy_hi > cy_lo
            else max(H * top, min(H / 2, ext))
        )
        quad = _logo_quad(rng, lw, lh, cx, cy, rot, persp)

    # --- support surface
    no_white = cond.get("no_white")
    surface_col = (245, 245, 240)
    if placement == "backdrop":
        bx0 = (
            rng.uniform(0, 0.15) * W
            if logo is None
            else min(rng.uniform(0, 0.15) * W, cx - lw * 0.8)
        )
        bx1 = (
            W - rng.uniform(0, 0.15) * W
            if logo is None
            else max(W - rng.uniform(0, 0.15) * W, cx + lw * 0.8)
        )
        by0 = (
            rng.uniform(0.02, 0.12) * H
            if logo is None
            else min(rng.uniform(0.02, 0.12) * H, cy - lh)
        )
        by1 = (
            floor_y * rng.uniform(0.85, 1.0)
            if logo is None
            else max(floor_y * rng.uniform(0.85, 1.0), cy + lh)
        )
        surface_col = rng.choice(_BACKDROPS)
        d.rectangle([bx0, by0, bx1, by1], fill=surface_col)
        if rng.random() < 0.6:  # decorative band
            band = tuple(min(255, int(c * 0.7 + 60)) for c in surface_col[::-1])
            y = by1 - (by1 - by0) * rng.uniform(0.1, 0.2)
            d.rectangle([bx0, y, bx1, y + (by1 - by0) * 0.05], fill=band)
        title = rng.choice([*_TITLES, "2024年政务公开主题日活动", "政务公开主题日"])
        ts = int((bx1 - bx0) / max(len(title), 1) * rng.uniform(0.4, 0.7))
        tcol = (255, 235, 120) if sum(surface_col) < 400 else (180, 20, 20)
        ty = by0 + (by1 - by0) * rng.choice([0.05, 0.72])
        if logo is None or abs(ty + ts / 2 - cy) > lh / 2 + ts:
            _text(d, (bx0 + (bx1 - bx0) * rng.uniform(0.05, 0.3), ty), title, ts, tcol, rng)
        if no_white is None:
            no_white = rng.random() < 0.6
    elif placement == "board" and logo is not None:
        bw, bh = lw * rng.uniform(1.15, 1.5), lh * rng.uniform(1.8, 2.6)
        bx0, by0 = cx - bw / 2, cy - lh * 0.75
        surface_col = rng.choice([(250, 250, 248), (240, 235, 220), (200, 30, 30), (25, 80, 160)])
        d.line(
            [(cx - bw * 0.35, by0 + bh), (cx - bw * 0.45, floor_y + 30 * u)],
            fill=(80, 60, 40),
            width=max(2, int(8 * u)),
        )
        d.line(
            [(cx + bw * 0.35, by0 + bh), (cx + bw * 0.45, floor_y + 30 * u)],
            fill=(80, 60, 40),
            width=max(2, int(8 * u)),
        )
        d.rectangle(
            [bx0, by0, bx0 + bw, by0 + bh],
            fill=surface_col,
            outline=(90, 80, 70),
            width=max(1, int(4 * u)),
        )
        tcol = (40, 40, 40) if sum(surface_col) > 500 else (250, 240, 200)
        for i in range(rng.randint(2, 5)):
            s = rng.choice(_TITLES)
            ts = max(4, int(bw / max(len(s), 1) * 0.6))
            _text(d, (bx0 + bw * 0.08, cy + lh * 0.7 + i * ts * 1.5), s, ts, tcol, rng)
        if no_white is None:
            no_white = rng.random() < 0.5
    elif placement == "screen" and logo is not None:
        sw, sh = min(W * 0.95, lw * rng.uniform(1.6, 2.6)), 0.0
        sh = sw * 9 / 16
        sx0, sy0 = cx - sw / 2, cy - sh * rng.uniform(0.35, 0.65)
        d.rectangle(
            [sx0 - 12 * u, sy0 - 12 * u, sx0 + sw + 12 * u, sy0 + sh + 12 * u], fill=(20, 20, 22)
        )
        top_c = np.array(
            rng.choice([(235, 240, 250), (200, 30, 30), (30, 90, 190), (250, 250, 250)]), np.float32
        )
        g = np.linspace(1.0, rng.uniform(0.75, 1.0), max(1, int(sh)), dtype=np.float32)[
            :, None, None
        ]
        slide = np.clip(top_c[None, None] * g, 0, 255).astype(np.uint8)
        im.paste(
            Image.fromarray(np.broadcast_to(slide, (slide.shape[0], max(1, int(sw)), 3)).copy()),
            (int(sx0), int(sy0)),
        )
        surface_col = tuple(int(v) for v in top_c)
        if no_white is None:
            no_white = rng.random() < 0.5
    elif placement == "banner":
        by = cy if logo is not None else H * rng.uniform(0.1, 0.35)
        bh = max(lh * 1.15, H * 0.06) if logo is not None else H * rng.uniform(0.05, 0.1)
        surface_col = rng.choice([(200, 20, 25), (180, 15, 20), (20, 60, 150)])
        d.rectangle([0, by - bh / 2, W, by + bh / 2], fill=surface_col)
        s = rng.choice([*_TITLES, "热烈庆祝政务公开主题日活动圆满举行"])
        ts = int(bh * 0.55)
        tx = (cx + lw * 0.7) if logo is not None else W * 0.1
        _text(d, (tx, by - ts * 0.6), s, ts, (255, 230, 100), rng)
        if no_white is None:
            no_white = rng.random() < 0.4

    # --- distractors: posters with other emblems, text lines
    avoid = None
    if quad is not None:
        mn, mx = quad.min(axis=0), quad.max(axis=0)
        avoid = (mn[0] - 10 * u, mn[1] - 10 * u, mx[0] + 10 * u, mx[1] + 10 * u)
    for dimg in distractors:
        for _attempt in range(20):
            dw = W * rng.uniform(0.1, 0.3)
            if dimg.width / dimg.height > 3:  # a text line
                dw = W * rng.uniform(0.25, 0.5)
            dh = dw * dimg.height / dimg.width
            x = rng.uniform(0, max(1, W - dw))
            y = rng.uniform(0, max(1, floor_y - dh))
            p = dw * 0.08
            if (
                avoid is None
                or x - p > avoid[2]
                or x + dw + p < avoid[0]
                or y - p > avoid[3]
                or y + dh + p < avoid[1]
            ):
                break
        else:
            continue
        pad = dw * 0.06
        if rng.random() < 0.7:
            d.rectangle(
                [x - pad, y - pad, x + dw + pad, y + dh + pad],
                fill=(250, 250, 248),
                outline=(100, 90, 80),
                width=max(1, int(3 * u)),
            )
            im.paste(
                dimg.convert("RGB").resize((max(1, int(dw)), max(1, int(dh))), Image.LANCZOS),
                (int(x), int(y)),
            )
        else:  # printed straight onto the wall/backdrop
            dq = _logo_quad(
                rng, dw, dh, x + dw / 2, y + dh / 2, rng.uniform(-8, 8), rng.uniform(0, 0.2)
            )
            qx0, qy0 = np.floor(dq.min(axis=0)).astype(int) - 2
            qx1, qy1 = np.ceil(dq.max(axis=0)).astype(int) + 2
            qx0, qy0, qx1, qy1 = max(0, qx0), max(0, qy0), min(W, qx1), min(H, qy1)
            if qx1 > qx0 and qy1 > qy0:
                region = np.asarray(im.crop((qx0, qy0, qx1, qy1)), np.float32) / 255.0
                _paste_rgba(region, logo_to_rgba(dimg, no_white=True), dq - [qx0, qy0])
                im.paste(Image.fromarray((region * 255 + 0.5).astype(np.uint8)), (qx0, qy0))
                d = ImageDraw.Draw(im)

    # --- the LOGO itself
    occluded = 0.0
    if logo is not None and quad is not None:
        # Printing without the white only happens on light surfaces: on a dark
        # backdrop the LOGO sits on a white panel (or an inverted artwork,
        # which is a different template).
        if no_white and sum(surface_col) < 480:
            no_white = False
        rgba = logo_to_rgba(logo, no_white=bool(no_white))
        # printing: slight ink/colour variation
        gains = np.array([rng.uniform(0.92, 1.05) for _ in range(3)], np.float32)
        rgba[..., :3] = np.clip(rgba[..., :3] * gains, 0, 1)
        x0, y0 = np.floor(quad.min(axis=0)).astype(int) - 4
        x1, y1 = np.ceil(quad.max(axis=0)).astype(int) + 4
        x0c, y0c, x1c, y1c = max(0, x0), max(0, y0), min(W, x1), min(H, y1)
        region = np.asarray(im.crop((x0c, y0c, x1c, y1c)), np.float32) / 255.0
        _paste_rgba(region, rgba, quad - [x0c, y0c])
        im.paste(Image.fromarray((region * 255 + 0.5).astype(np.uint8)), (x0c, y0c))
        d = ImageDraw.Draw(im)

    # --- tables and people (audience); occluder over the LOGO if asked
    if rng.random() < 0.6:
        ty = floor_y + (H - floor_y) * rng.uniform(0.1, 0.4)
        d.rectangle(
            [W * rng.uniform(0, 0.2), ty, W * rng.uniform(0.8, 1.0), ty + H * 0.04],
            fill=rng.choice([(120, 80, 50), (230, 230, 230), (40, 90, 60)]),
        )
    for _ in range(rng.randint(0, 7)):
        hh = H * rng.uniform(0.15, 0.35)
        px = rng.uniform(0, W)
        base = H - hh * rng.uniform(-0.2, 0.6)
        if quad is not None:  # keep the audience below the LOGO unless occlusion is asked
            top_of_person = base - hh * 1.1
            if (
                top_of_person < quad[:, 1].max()
                and quad[:, 0].min() - hh * 0.5 < px < quad[:, 0].max() + hh * 0.5
            ):
                continue
        _person(
            d,
            px,
            base,
            hh,
            rng.choice(_CLOTHES),
            (rng.randint(170, 230), rng.randint(130, 180), rng.randint(100, 150)),
        )
    occ = float(cond.get("occlusion", 0.0))
    if quad is not None and occ > 0:
        mn, mx = quad.min(axis=0), quad.max(axis=0)
        bw, bh = mx - mn
        side = rng.choice(["left", "right", "bottom"])
        col = rng.choice(_CLOTHES)
        if side == "bottom":  # a head/shoulders rising in front of the LOGO
            top = mx[1] - bh * occ
            d.rounded_rectangle(
                [mn[0] + bw * rng.uniform(-0.3, 0.1), top, mx[0] - bw * rng.uniform(-0.3, 0.1), H],
                radius=int(bh * 0.1),
                fill=col,
            )
        elif side == "left":
            d.rectangle([mn[0] - bw * 0.5, mn[1] - bh * 0.2, mn[0] + bw * occ, H], fill=col)
        else:
            d.rectangle([mx[0] - bw * occ, mn[1] - bh * 0.2, mx[0] + bw * 0.5, H], fill=col)
        occluded = occ

    # --- glare
    if quad is not None and cond.get("glare"):
        g = float(cond["glare"])
        mn, mx = quad.min(axis=0), quad.max(axis=0)
        gx, gy = rng.uniform(mn[0], mx[0]), rng.uniform(mn[1], mx[1])
        r = float(mx[0] - mn[0]) * rng.uniform(0.15, 0.3)
        x0, y0 = max(0, int(gx - 2 * r)), max(0, int(gy - 2 * r))
        x1, y1 = min(W, int(gx + 2 * r)), min(H, int(gy + 2 * r))
        if x1 > x0 and y1 > y0:
            layer = Image.new("L", (x1 - x0, y1 - y0), 0)
            ImageDraw.Draw(layer).ellipse(
                [gx - r - x0, gy - r * 0.6 - y0, gx + r - x0, gy + r * 0.6 - y0],
                fill=int(255 * min(1.0, g)),
            )
            layer = layer.filter(ImageFilter.GaussianBlur(r * 0.4))
            patch = Image.composite(
                Image.new("RGB", layer.size, (255, 255, 250)), im.crop((x0, y0, x1, y1)), layer
            )
            im.paste(patch, (x0, y0))

    # --- photographic conditions
    arr = np.asarray(im)
    blur = float(cond.get("blur", 0.0))
    if blur > 0:
        arr = cv2.GaussianBlur(arr, (0, 0), blur * u)
    mb = float(cond.get("motion_blur", 0.0))
    if mb > 0:
        k = max(3, int(mb * u) | 1)
        ker = np.zeros((k, k), np.float32)
        ker[k // 2, :] = 1.0 / k
        M = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), rng.uniform(0, 180), 1.0)
        ker = cv2.warpAffine(ker, M, (k, k))
        ker /= max(ker.sum(), 1e-6)
        arr = cv2.filter2D(arr, -1, ker)
    f = None
    cast = cond.get("color_cast")
    if cast is not None:
        f = np.array(cast, np.float32)
    ll = float(cond.get("low_light", 0.0))
    if f is not None or ll > 0:
        lut_arr = arr.astype(np.float32)
        if f is not None:
            lut_arr *= f[None, None, :]
        if ll > 0:
            lut_arr = (
                255.0 * np.power(np.clip(lut_arr / 255.0, 0, 1), 1 + ll * 0.8) * (1 - ll * 0.55)
            )
        arr = np.clip(lut_arr, 0, 255).astype(np.uint8)
    sigma = float(cond.get("noise", 0.0)) + 6.0 * ll
    if sigma > 0:
        # sensor noise: a random 509x509 tile (odd size: no visible 2^n period),
        # luminance + a little chroma, tiled with a random offset (fast at 12 MP)
        nrng = np.random.default_rng(rng.getrandbits(32))
        T = 509
        tile = nrng.normal(0, sigma, (T, T, 1)) + nrng.normal(0, sigma * 0.3, (T, T, 3))
        tile = np.round(tile).astype(np.int16)
        ox, oy = int(nrng.integers(0, T)), int(nrng.integers(0, T))
        reps = (-(-(H + oy) // T), -(-(W + ox) // T), 1)
        noise = np.tile(tile, reps)[oy : oy + H, ox : ox + W]
        arr = np.clip(arr.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    out = Image.fromarray(np.ascontiguousarray(arr))

    bbox = None
    quad_t = None
    if quad is not None:
        mn, mx = quad.min(axis=0), quad.max(axis=0)
        bbox = (
            max(0, int(mn[0])),
            max(0, int(mn[1])),
            min(W, math.ceil(mx[0])),
            min(H, math.ceil(mx[1])),
        )
        quad_t = tuple((float(x), float(y)) for x, y in quad)
    return Scene(image=out, logo_quad=quad_t, logo_bbox=bbox, occluded_fraction=occluded)


def make_scene(
    rng: random.Random,
    width: int,
    height: int,
    *,
    logo: Image.Image | None = None,
    placement: str = "backdrop",
    logo_width_px: int | None = None,
    distractors: Sequence[Image.Image] = (),
    conditions: dict | None = None,
) -> Image.Image:
    """Like :func:`render_scene` but returns the image; truth in ``image.info``."""
    sc = render_scene(
        rng,
        width,
        height,
        logo=logo,
        placement=placement,
        logo_width_px=logo_width_px,
        distractors=distractors,
        conditions=conditions,
    )
    sc.image.info["logo_quad"] = sc.logo_quad
    sc.image.info["logo_bbox"] = sc.logo_bbox
    return sc.image
