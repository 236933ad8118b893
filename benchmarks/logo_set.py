"""Generate the LOGO-detection benchmark set (deterministic, not committed).

    python benchmarks/logo_set.py [OUT] [--split tune|test|both] [-n N]

writes ``OUT/<split>/NNNN.jpg`` photos, ``OUT/<split>/templates/*.png`` and
``OUT/<split>/truth.json`` (default OUT = /tmp/gkcheck-logo-bench).

Seed/design split: the *tune* split uses photo seeds ``tune-*`` and random
LOGO designs with ids 0..999; the *test* split uses photo seeds ``test-*`` and
designs with ids >= 1000 that the detector was never tuned on. Any other split
name (``--split fresh2``) makes another held-out split like *test* with its own
seeds: once a test split has been looked at while changing the detector, the
honest figure comes from a new one. In both splits
half of the queries are the project's sample LOGO, half a random design.

Every photo has one query template (the LOGO the detector must find).
Positives carry that LOGO under one condition (or a mix); negatives carry no
LOGO, another emblem with the same text 政务公开主题日, the text alone printed
as a banner/title line, or another campaign's LOGO. Photo sizes range from
1 MP to 12 MP (4:3, 16:9, portrait); JPEG quality 35-95.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from multiprocessing import Pool
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "samples" / "gen")]

from scene import render_scene  # noqa: E402

import logo_designs as LD  # noqa: E402

if TYPE_CHECKING:
    from PIL import Image

SIZES = [
    (1152, 864),
    (1280, 960),
    (1600, 1200),
    (1920, 1080),
    (2048, 1536),
    (2592, 1944),
    (3264, 2448),
    (3840, 2160),
    (4000, 3000),
    (864, 1152),
    (1536, 2048),
    (3000, 4000),
]
POS_CONDITIONS = [
    "clean",
    "small",
    "perspective",
    "rotation",
    "blur",
    "motion_blur",
    "occlusion",
    "color_cast",
    "low_light",
    "noise",
    "jpeg_low",
    "no_white",
    "glare",
    "mixed",
]
NEG_CONDITIONS = ["neg_none", "neg_other_emblem", "neg_text_only", "neg_other_campaign"]


def _conditions(rng: random.Random, kind: str, W: int, H: int) -> tuple[dict, int | None, int]:
    """-> (scene conditions, logo width px or None, jpeg quality)."""
    L = max(W, H)
    q = rng.randint(72, 95)
    width = int(min(W, H) * rng.uniform(0.12, 0.45))
    c: dict = {}
    if kind == "small":
        width = int(max(40, 0.025 * L) * rng.uniform(1.0, 1.35))
    elif kind == "perspective":
        c["perspective"] = rng.uniform(0.2, 0.4)
    elif kind == "rotation":
        c["rotation"] = rng.choice([-1, 1]) * rng.uniform(6, 15)
    elif kind == "blur":
        c["blur"] = rng.uniform(1.2, 2.5)
    elif kind == "motion_blur":
        c["motion_blur"] = rng.uniform(5, 10)
    elif kind == "occlusion":
        c["occlusion"] = rng.uniform(0.15, 0.3)
    elif kind == "color_cast":
        c["color_cast"] = rng.choice(
            [(1.2, 1.0, 0.7), (0.8, 0.95, 1.25), (1.1, 1.15, 0.8), (0.85, 1.1, 0.9)]
        )
    elif kind == "low_light":
        c["low_light"] = rng.uniform(0.4, 0.8)
    elif kind == "noise":
        c["noise"] = rng.uniform(8, 16)
    elif kind == "jpeg_low":
        q = rng.randint(30, 50)
    elif kind == "no_white":
        c["no_white"] = True
    elif kind == "glare":
        c["glare"] = rng.uniform(0.4, 0.8)
    elif kind == "mixed":
        pool = [
            "perspective",
            "rotation",
            "blur",
            "occlusion",
            "color_cast",
            "low_light",
            "noise",
            "small",
        ]
        for k in rng.sample(pool, 3):
            sub, w2, _q2 = _conditions(rng, k, W, H)
            c.update(sub)
            if k == "small":
                width = w2 or width
        q = min(q, rng.randint(60, 90))
    return c, width, q


def _job(args: tuple) -> dict:
    split, i, out = args
    rng = random.Random(f"{split}-{i}")
    lo, hi = (0, 999) if split == "tune" else (1000, 99999)
    W, H = rng.choice(SIZES)
    use_sample = i % 2 == 0
    design_id = rng.randint(lo, hi)
    if use_sample:
        query, query_name = LD.sample_logo(), "sample"
        query_kind = "ring_door"
    else:
        query, query_name = LD.random_logo(design_id), f"design-{design_id:05d}"
        query_kind = LD.random_mark_kind(design_id)
    positive = rng.random() < 0.6
    kind = rng.choice(POS_CONDITIONS) if positive else rng.choice(NEG_CONDITIONS)
    placement = rng.choice(["backdrop", "backdrop", "board", "screen", "banner"])
    cond, width, q = _conditions(rng, kind if positive else "clean", W, H)
    # real phone photos always carry some sensor noise / texture (it also makes
    # the JPEGs as costly to decode as real ones, which matters for the timing)
    cond["noise"] = max(cond.get("noise", 0.0), rng.uniform(3.0, 6.0))

    def other_id() -> int:
        # another design never shares the query's kind of mark: a badge vs a
        # badge in other colours is a different LOGO only by a hair
        while True:
            k = rng.randint(lo, hi)
            if LD.random_mark_kind(k) != query_kind:
                return k

    def other_design() -> Image.Image:
        return LD.random_logo(other_id())

    distractors = []
    for _ in range(rng.randint(0, 3)):
        r = rng.random()
        if r < 0.35:
            distractors.append(LD.other_campaign_logo(other_id()))
        elif r < 0.6:
            distractors.append(LD.text_only(seed=rng.randint(0, 999)))
        else:
            distractors.append(other_design())
    logo = query if positive else None
    if kind == "neg_other_emblem":
        logo = other_design()
    elif kind == "neg_other_campaign":
        logo = LD.other_campaign_logo(other_id())
    elif kind == "neg_text_only":
        logo = LD.text_only(seed=rng.randint(0, 999))
        placement = rng.choice(["banner", "backdrop", "board"])
    sc = render_scene(
        rng,
        W,
        H,
        logo=logo,
        placement=placement,
        logo_width_px=width,
        distractors=distractors,
        conditions=cond,
    )
    name = f"{i:04d}.jpg"
    sc.image.save(out / name, quality=q)
    tpl = out / "templates" / f"{query_name}.png"
    if not tpl.exists():
        query.save(tpl)
    return {
        "file": name,
        "template": f"templates/{query_name}.png",
        "design": "sample" if use_sample else "random",
        "positive": positive,
        "condition": kind,
        "placement": placement,
        "size": [W, H],
        "quality": q,
        "bbox": list(sc.logo_bbox) if positive and sc.logo_bbox else None,
        "quad": [list(p) for p in sc.logo_quad] if positive and sc.logo_quad else None,
        "conditions": {k: (list(v) if isinstance(v, tuple) else v) for k, v in cond.items()},
        "occluded": sc.occluded_fraction,
    }


def build(out: Path, split: str, n: int, procs: int = 2) -> None:
    d = out / split
    (d / "templates").mkdir(parents=True, exist_ok=True)
    with Pool(procs) as pool:
        rows = pool.map(_job, [(split, i, d) for i in range(n)], chunksize=4)
    (d / "truth.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    npos = sum(r["positive"] for r in rows)
    print(f"{split}: {n} photos ({npos} positive, {n - npos} negative) -> {d}")


def main() -> None:
    ap = argparse.ArgumentParser(description="generate the LOGO benchmark set")
    ap.add_argument("out", nargs="?", type=Path, default=Path("/tmp/gkcheck-logo-bench"))
    ap.add_argument(
        "--split",
        default="both",
        help="tune, test, both, or any other name: a fresh held-out split (its own photo "
        "seeds, designs >= 1000 like test) for a measurement nothing was tuned on",
    )
    ap.add_argument("-n", type=int, default=320, help="photos per split")
    ap.add_argument("-j", type=int, default=2, help="processes")
    args = ap.parse_args()
    for s in ["tune", "test"] if args.split == "both" else [args.split]:
        build(args.out, s, args.n, args.j)


if __name__ == "__main__":
    main()
