"""Where the LOGO detector loses its LOGOs: the search, or the scores.

    python benchmarks/logo_oracle.py /tmp/gkcheck-logo-b --splits tune,tune2,tune3 \\
        --found /tmp/rows-tune.json,/tmp/rows-tune2.json,/tmp/rows-tune3.json

For each positive of set B within the issue's occlusion (``logo.HIDDEN_LIMIT``; the "third"
design left out unless ``--exclude ''``), the detector's own scores with the template placed
at the LOGO's *true* quadrilateral (``verify.verify_at`` with the detector's settings: no
search, no alignment), at the resolution the detector would search it (the working image, or
the sharper second pass for LOGOs under ``coarse_size``). A LOGO that fails there cannot be
found by a better search; one that passes there and was missed end to end (``--found``:
``benchmarks/logo.py --dump`` rows of the same splits) was lost by the search or the
alignment. Prints both counts, by the LOGO's size at the working resolution.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from gkcheck.vision.imageio import decode  # noqa: E402
from gkcheck.vision.logo import LogoDetector, LogoTemplate  # noqa: E402
from gkcheck.vision.logo.detector import working_image  # noqa: E402
from logo import HIDDEN_LIMIT  # noqa: E402

SIZES = ((0, 28), (28, 56), (56, 112), (112, 1e9))


def read_as_searched(
    det: LogoDetector, photo: Path, full: tuple[int, int], gm: float
) -> tuple[np.ndarray, float]:
    """The working image in which ``det`` would look for a LOGO of geometric-mean side ``gm``
    (photo px) in ``photo`` (``full``: its size): the coarse one, or the sharper second pass's
    for a LOGO under ``coarse_size`` there; and its working px per photo px."""
    side = det.max_side
    small = gm * side / max(full) < det.coarse_size
    if small and det.fine_side > 0 and max(full) >= det.fine_min * det.max_side:
        side = min(det.fine_side, max(full))  # the second, sharper pass
    bgr = decode(photo.read_bytes(), max_side=int(side * 0.75)).pixels
    work = working_image(bgr, side)
    return work, work.shape[1] / full[0]


def true_places(
    split: Path, exclude: set[str]
) -> Iterator[tuple[dict, LogoDetector, np.ndarray, np.ndarray, float]]:
    """Each positive of set B's ``split`` within the issue's occlusion (``logo.HIDDEN_LIMIT``),
    its design not in ``exclude``: its truth record, a detector for its template (one per
    template), its true quadrilateral (photo px), the working image the detector would read it
    in (``read_as_searched``) and that image's px per photo px."""
    dets: dict[str, LogoDetector] = {}
    for t in json.loads((split / "truth.json").read_text()):
        hidden = t.get("occluded", 0) + t.get("covered", 0)
        if (
            not t["positive"]
            or t["design"] in exclude
            or not t.get("quad")
            or hidden > HIDDEN_LIMIT
        ):
            continue
        det = dets.setdefault(
            t["template"], LogoDetector([LogoTemplate.load(split / t["template"])])
        )
        q = np.array(t["quad"], float)
        gm = math.sqrt(np.linalg.norm(q[1] - q[0]) * np.linalg.norm(q[3] - q[0]))
        work, s = read_as_searched(det, split / t["file"], tuple(t["size"]), gm)
        yield t, det, q, work, s


def oracle(split: Path, exclude: set[str]) -> list[dict]:
    rows: list[dict] = []
    for t, det, q, work, s in true_places(split, exclude):
        tpl = det.templates[0]
        gm = math.sqrt(np.linalg.norm(q[1] - q[0]) * np.linalg.norm(q[3] - q[0]))
        # the detector's own scoring settings (the networks' routing among them)
        v = det._verify_at(tpl.project(work), work, tpl, q * s)
        score = det._score(v) if v is not None else 0.0
        rows.append(
            {
                "split": split.name,
                "file": t["file"],
                "gm_work": gm * s,
                "score": score,
                "passes": score >= det.threshold and score >= det.threshold_for(tpl),
            }
        )
    return rows


def _band(lo: float, hi: float) -> str:
    """A size band's name: "28-56 px", "112- px"."""
    return f"{lo}-{hi if hi < 1e9 else ''} px"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("set", type=Path)
    ap.add_argument("--splits", default="tune,tune2,tune3")
    ap.add_argument("--exclude", default="third", help="designs left out, comma-separated")
    ap.add_argument("--found", default="", help="benchmarks/logo.py --dump files, comma-separated")
    a = ap.parse_args()
    exclude = set(filter(None, a.exclude.split(",")))
    rows = [r for name in a.splits.split(",") for r in oracle(a.set / name, exclude)]
    # the dump files are matched to the splits by order
    names = a.splits.split(",")
    dumps = list(filter(None, a.found.split(",")))
    found = {}
    for name, p in zip(names, dumps, strict=False):
        for r in json.loads(Path(p).read_text()):
            found[(name, r["file"])] = bool(r["tp"])
    by: Counter[tuple[str, str]] = Counter()
    for r in rows:
        band = next(_band(lo, hi) for lo, hi in SIZES if lo <= r["gm_work"] < hi)
        by[band, "all"] += 1
        by[band, "exact"] += r["passes"]
        if found:
            hit = found.get((r["split"], r["file"]), False)
            by[band, "found"] += hit
            by[band, "lost"] += r["passes"] and not hit
    print(
        f"{len(rows)} LOGOs within the issue's occlusion; pass at the true place: "
        f"{sum(r['passes'] for r in rows)}"
    )
    if found:
        print(
            f"found end to end: {sum(found.get((r['split'], r['file']), False) for r in rows)}; "
            f"pass at the true place but missed: {sum(by[k] for k in by if k[1] == 'lost')}"
        )
    for lo, hi in SIZES:
        band = _band(lo, hi)
        line = (
            f"  {band:>10}: {by[band, 'exact']:3d} of {by[band, 'all']:3d} pass at the true place"
        )
        if found:
            line += (
                f", {by[band, 'found']:3d} found, {by[band, 'lost']:3d} passing there but missed"
            )
        print(line)


if __name__ == "__main__":
    main()
