"""Regenerate the small committed LOGO sample set (deterministic).

    python samples/logo/make.py

Writes into samples/logo/:
  pos-*.jpg        6 photos with the project's sample LOGO (various conditions)
  neg-*.jpg        6 hard negatives (other emblem with the same text, the text
                   alone, another campaign's LOGO, a square mark, no LOGO...)
  truncated.jpg    a JPEG cut in half
  not-an-image.jpg text bytes with a .jpg name
  huge-header.png  a 30000x30000 PNG header (IHDR only, a few dozen bytes)
  huge-header.jpg  a JPEG whose SOF declares 30000x30000
  truth.json       expected answers (bbox in pixels for positives)
Needs the CJK fonts (generator only; the tests just read these files).
"""

from __future__ import annotations

import io
import json
import random
import struct
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "samples" / "gen")]

from scene import render_scene  # noqa: E402

import logo_designs as LD  # noqa: E402

W, H = 800, 600

POSITIVES = [
    ("pos-backdrop", "backdrop", 260, {}),
    ("pos-board-perspective", "board", 220, {"perspective": 0.3}),
    ("pos-rotated-blur", "backdrop", 200, {"rotation": 12, "blur": 1.5}),
    ("pos-small", "backdrop", 46, {}),
    ("pos-screen-occluded", "screen", 240, {"occlusion": 0.12}),
    ("pos-banner-cast-lowlight", "banner", 150, {"color_cast": (1.2, 1.0, 0.75), "low_light": 0.4}),
]


def negatives() -> list[tuple[str, str, object, list]]:
    def kind_not(k: str, start: int) -> int:
        i = start
        while LD.random_mark_kind(i) in (k, "ring_door"):
            i += 1
        return i

    sq = next(i for i in range(500) if LD.random_mark_kind(i) == "squares")
    return [
        ("neg-other-emblem", "backdrop", LD.random_logo(kind_not("ring_door", 11)), []),
        ("neg-text-only", "banner", LD.text_only(seed=3), []),
        ("neg-other-campaign", "board", LD.other_campaign_logo(kind_not("ring_door", 40)), []),
        ("neg-square-mark", "backdrop", LD.random_logo(sq), []),
        (
            "neg-none",
            "backdrop",
            None,
            [LD.text_only(seed=5), LD.other_campaign_logo(kind_not("ring_door", 70))],
        ),
        ("neg-text-title", "screen", LD.text_only(seed=8, color=(200, 20, 30)), []),
    ]


def huge_png(w: int = 30000, h: int = 30000) -> bytes:
    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def huge_jpeg(w: int = 30000, h: int = 30000) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buf, "JPEG", quality=90)
    data = bytearray(buf.getvalue())
    i = 2
    while i < len(data):  # patch the SOF0 dimensions
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            data[i + 5 : i + 9] = struct.pack(">HH", h, w)
            break
        i += 2 + length
    return bytes(data)


def main() -> None:
    logo = LD.sample_logo()
    truth = []
    for k, (name, placement, lw, cond) in enumerate(POSITIVES):
        rng = random.Random(f"samples-logo-{name}")
        cond = dict(cond, noise=3.0)
        sc = render_scene(
            rng,
            W,
            H,
            logo=logo,
            placement=placement,
            logo_width_px=lw,
            distractors=[LD.text_only(seed=k)],
            conditions=cond,
        )
        sc.image.save(HERE / f"{name}.jpg", quality=80, optimize=True)
        truth.append({"file": f"{name}.jpg", "positive": True, "bbox": list(sc.logo_bbox)})
    for name, placement, other, distractors in negatives():
        rng = random.Random(f"samples-logo-{name}")
        sc = render_scene(
            rng,
            W,
            H,
            logo=other,
            placement=placement,
            logo_width_px=240 if other is not None else None,
            distractors=distractors,
            conditions={"noise": 3.0},
        )
        sc.image.save(HERE / f"{name}.jpg", quality=80, optimize=True)
        truth.append({"file": f"{name}.jpg", "positive": False, "bbox": None})
    full = (HERE / "pos-backdrop.jpg").read_bytes()
    (HERE / "truncated.jpg").write_bytes(full[: len(full) // 2])
    (HERE / "not-an-image.jpg").write_bytes("这不是图片 / this is not an image\n".encode() * 8)
    (HERE / "huge-header.png").write_bytes(huge_png())
    (HERE / "huge-header.jpg").write_bytes(huge_jpeg())
    (HERE / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print("wrote", HERE)


if __name__ == "__main__":
    main()
