"""Train the window ranker (``gkcheck.vision.logo.rank``) and export it to ONNX.

    pip install torch==2.13.0 onnx          # training only; gkcheck runs the model with OpenCV's DNN module
    python benchmarks/logo_set_b.py /tmp/gkcheck-logo-b --split NAME -n 200 --jobs 2   # each split below
    python benchmarks/logo_ranker.py /tmp/gkcheck-logo-b [--out src/gkcheck/data/logo/window-ranker.onnx]

What it learns from: set B's *training* splits only (``TRAIN``: train4-train7; the "third"
design left out), never a tune split (where the detector's settings are chosen) nor a held-out
one. For each photo, the search's 24 best windows (``search.propose``, as the detector calls
it), labelled by their overlap with the true LOGO's box (IoU > 0.4 a positive, < 0.2 a
negative, between: left out; LOGOs hidden by more than 30 % give no positive), and 4 windows
jittered around the truth (size +-20 %, centre +-12 %) as more positives. The network sees
``rank.window_input`` -- the function the detector uses -- turned, flipped, the photo shifted
by up to 2 px and the colour channels permuted on both sides together. Seeds fixed (random,
NumPy, torch; CPU, 2 threads).

``--validate`` (default tune, tune2, tune3) ends with, per split, how many positive photos
have a window on the LOGO among the first 6 for the search's own order and for the re-ranked
order at weights 0.02-1.0 (the detector's ``rank_weight``): the figure the ranker is for.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from gkcheck.vision.imageio import decode  # noqa: E402
from gkcheck.vision.logo import LogoTemplate  # noqa: E402
from gkcheck.vision.logo.detector import working_image  # noqa: E402
from gkcheck.vision.logo.rank import RANK_SIZE, window_input  # noqa: E402
from gkcheck.vision.logo.search import Candidate, propose  # noqa: E402
from logo_verifier import fit, flip_turn_shift, small_cnn  # noqa: E402

TRAIN = ("train4", "train5", "train6", "train7")
VALIDATE = ("tune", "tune2", "tune3")
POOL = 24


def _box(c: Candidate) -> list[float]:
    return [c.cx - c.w / 2, c.cy - c.h / 2, c.cx + c.w / 2, c.cy + c.h / 2]


def _iou(a: list[float], b: list[float]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    u = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - ix * iy
    return ix * iy / u if u > 0 else 0.0


def windows(split: Path, jitter: int, seed: int = 5) -> tuple[np.ndarray, np.ndarray, list]:
    """Inputs (N x 7 x 40 x 40, float16), labels (1, 0, -1: left out) and, per window,
    (photo, rank among the search's windows or -1 for a jittered one, search score, IoU,
    photo positive)."""
    rng = random.Random(seed)
    xs: list[np.ndarray] = []
    ys: list[int] = []
    meta: list[tuple[str, int, float, float, bool]] = []
    tpls: dict[str, LogoTemplate] = {}
    for t in json.loads((split / "truth.json").read_text()):
        if t["design"] == "third":
            continue
        tpl = tpls.setdefault(t["template"], LogoTemplate.load(split / t["template"]))
        bgr = decode((split / t["file"]).read_bytes(), max_side=768).pixels
        work = working_image(bgr, 1024)
        s = work.shape[1] / t["size"][0]
        truth = None
        if t["positive"] and t.get("quad") and t.get("occluded", 0) + t.get("covered", 0) <= 0.3:
            q = np.array(t["quad"]) * s
            truth = [q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max()]
        for r, c in enumerate(propose(tpl.project(work), tpl, keep=POOL)):
            o = _iou(_box(c), truth) if truth else 0.0
            xs.append(window_input(work, tpl, c))
            ys.append(1 if o > 0.4 else 0 if o < 0.2 else -1)
            meta.append((t["file"], r, c.score, o, bool(t["positive"])))
        if truth is not None:
            tw, th = tpl.size
            gm = math.sqrt((truth[2] - truth[0]) * (truth[3] - truth[1]))
            for _ in range(jitter):
                g = gm * math.exp(rng.uniform(-0.2, 0.2))
                w, h = g * math.sqrt(tw / th), g * math.sqrt(th / tw)
                cx = (truth[0] + truth[2]) / 2 + rng.uniform(-0.12, 0.12) * w
                cy = (truth[1] + truth[3]) / 2 + rng.uniform(-0.12, 0.12) * h
                c = Candidate(0.0, cx, cy, w, h)
                if _iou(_box(c), truth) > 0.4:
                    xs.append(window_input(work, tpl, c))
                    ys.append(1)
                    meta.append((t["file"], -1, 0.0, 1.0, True))
    return np.stack(xs).astype(np.float16), np.array(ys, np.int8), meta


def train(x: np.ndarray, y: np.ndarray, epochs: int, out: Path) -> None:
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(2)
    rs = np.random.RandomState(0)
    xt, yt = torch.tensor(x.astype(np.float32)), torch.tensor(y.astype(np.float32))
    print(len(yt), "training windows,", int(yt.sum()), "positive", flush=True)

    def aug(t: torch.Tensor) -> torch.Tensor:
        t, (dy, dx) = flip_turn_shift(t, rs)
        t[:, 4:] = torch.roll(t[:, 4:], shifts=(dy, dx), dims=(2, 3))
        if rs.rand() < 0.5:  # the same permutation on both sides: only relative hue matters
            perm = list(rs.permutation(3))
            t[:, 0:3] = t[:, perm]
            t[:, 4:7] = t[:, [4 + p for p in perm]]
        return t

    net = fit(small_cnn([7, 32, 48, 64, 96]), xt, yt, aug, epochs)
    torch.onnx.export(
        net,
        (torch.zeros(1, 7, RANK_SIZE, RANK_SIZE),),
        str(out),
        input_names=["pair"],
        output_names=["logit"],
        dynamic_axes={"pair": {0: "n"}, "logit": {0: "n"}},
        opset_version=17,
        dynamo=False,
    )
    print("saved", out)


def validate(model: Path, split: Path) -> str:
    net = cv2.dnn.readNetFromONNX(str(model))
    x, _y, meta = windows(split, jitter=0)
    net.setInput(x.astype(np.float32))
    logits = net.forward().reshape(-1)
    photos: dict[str, list[tuple[float, float, float]]] = {}
    for i, (f, _r, score, o, pos) in enumerate(meta):
        if pos:
            photos.setdefault(f, []).append((score, float(logits[i]), o))
    hits = {}
    for w in (0.0, 0.02, 0.05, 0.1, 0.2, 1.0):
        hits[w] = sum(
            any(o > 0.4 for _s, _l, o in sorted(cs, key=lambda c: -(c[0] + w * c[1]))[:6])
            for cs in photos.values()
        )
    ceiling = sum(any(o > 0.4 for *_, o in cs) for cs in photos.values())
    return f"{split.name}: {len(photos)} positive photos, on the LOGO among 24: {ceiling}; top 6 by weight {hits}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("set", type=Path, nargs="?", default=Path("/tmp/gkcheck-logo-b"))
    ap.add_argument("--out", type=Path, default=ROOT / "src/gkcheck/data/logo/window-ranker.onnx")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--jitter", type=int, default=4)
    ap.add_argument("--train", default=",".join(TRAIN))
    ap.add_argument("--validate", default=",".join(VALIDATE))
    ap.add_argument("--only-validate", action="store_true", help="validate --out as it is")
    a = ap.parse_args()
    cv2.setNumThreads(2)
    if not a.only_validate:
        xs, ys = [], []
        for name in a.train.split(","):
            x, y, _meta = windows(a.set / name, a.jitter)
            keep = y >= 0
            xs.append(x[keep])
            ys.append(y[keep])
            print(name, int(keep.sum()), "windows", flush=True)
        train(np.concatenate(xs), np.concatenate(ys), a.epochs, a.out)
    for name in filter(None, a.validate.split(",")):
        print(validate(a.out, a.set / name), flush=True)


if __name__ == "__main__":
    main()
