"""Benchmark the LOGO detector on a set made by benchmarks/logo_set.py, logo_set_b.py or logo_set_c.py.

    python benchmarks/logo.py [SET] [--split test|tune|NAME] [--no-subprocess] [--dump rows.json]
                              [--knob NAME=VALUE ...]

Prints precision / recall / F1 (overall, by query design -- the sample LOGO
vs held-out random designs -- by condition and by placement), the positives
found of each template (the weakest first), the median
detection time per photo, and -- measured in the same run on the same photos
-- the median and total time ``cv2.imread`` needs to decode them at full size,
with the ratio. Then it times two fresh subprocesses over the same photos:
one that imports the detector and detects, one that only ``cv2.imread``\\s,
so interpreter and library start-up are included; and ``gkcheck logo`` itself over the
photos of the most used query LOGO, with its default ``--jobs`` (a thread per core) and with
``-j 1``; and, one process per photo (``--process-photos``, 40), ``gkcheck logo PHOTO`` against
``python -c "import cv2; cv2.imread(PHOTO)"``: the median of each, start-up included (the
issue's "median per photo, process start-up included"). The commands keep each template's
clutter score in a cache directory of the benchmark's own (``GKCHECK_CACHE_DIR``, never the
user's): the one-per-photo processes start with it empty, and the first one's time is printed
too. ``--process-reps N`` times each photo in N rounds (the two commands' order turned each
round) and takes each photo's median: a single round's ratio moves by +-0.15x with the
machine's load (forty-ninth session, docs/vision/logo.md), so a change of a few per cent
is read on several rounds.

Positives with more than 30 % of the LOGO hidden (``HIDDEN_LIMIT``) are left out of P/R.

A hit counts as a true positive only when its box overlaps the truth box with
IoU > 0.3 (perspective quads make axis-aligned boxes loose); a hit elsewhere
on a positive photo is a false positive *and* a miss.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import cv2  # noqa: E402

from gkcheck.vision.logo import LogoDetector, LogoTemplate  # noqa: E402

# the issue asks for LOGOs "partially occluded up to ~20 %"; a positive of set B with more of
# its LOGO hidden (``occluded`` by heads, hands, microphones, plants, plus ``covered`` by another
# emblem's panel, which set B's ``avoid`` keeps off the LOGO's centre but not off the LOGO) is
# beyond it: before set B recorded ``covered`` such photos counted as misses (5 % of the tune
# splits' positives, some 100 % hidden)
HIDDEN_LIMIT = 0.3


IMREAD = "import sys, cv2; cv2.imread(sys.argv[1])"  # the decode a process is measured against


def time_each_process(
    commands: Mapping[str, Callable[[str], tuple[list[str], dict[str, str]]]],
    photos: list[str],
    reps: int,
    *,
    cwd: Path | None = None,
    turn_each_photo: bool = False,
) -> dict[str, list[list[float]]]:
    """Each command (name -> photo -> (argv, environment)) run once per photo and round, the
    commands interleaved photo by photo in the order given, turned every other round (and with
    ``turn_each_photo`` every other photo as well): each command's seconds, per photo, per
    round. The issue's "median per photo, process start-up included" here and in
    ``logo_ab.py``."""
    names = list(commands)
    times: dict[str, list[list[float]]] = {n: [[] for _ in photos] for n in names}
    for rep in range(max(1, reps)):
        for i, photo in enumerate(photos):
            turned = (rep + i) % 2 if turn_each_photo else rep % 2
            for name in names[::-1] if turned else names:
                argv, env = commands[name](photo)
                t0 = time.perf_counter()
                subprocess.run(argv, env=env, cwd=cwd, capture_output=True, check=False)
                times[name][i].append(time.perf_counter() - t0)
    return times


def _knob(v: str):
    """A --knob value: a number, or numbers separated by commas (a tuple, e.g. weights)."""
    return tuple(float(x) for x in v.split(",")) if "," in v else float(v)


def _shape(tpl: LogoTemplate) -> str:
    """The template's shape: "wide" (2:1 or wider: the mark beside a line of text, set B's
    third design among them) or "compact". Set B's designs are one or the other, and on its
    six design splits the wide ones were 140 of 632 LOGOs but 49 of 125 misses (twenty-ninth
    session, docs/vision/logo.md): a figure to watch on its own."""
    w, h = tpl.size
    return "wide" if w >= 2 * h else "compact"


def iou(a, b) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    u = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / u if u > 0 else 0.0


def prf(rows) -> tuple[float, float, float, int, int, int]:
    return _prf(sum(r["tp"] for r in rows), sum(r["fp"] for r in rows), sum(r["fn"] for r in rows))


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float, int, int, int]:
    """P, R, F1 and the three counts."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, tp, fp, fn


def verdicts(rows) -> tuple[float, float, float, int, int, int]:
    """P / R / F1 of the photos' verdicts alone: a LOGO said to be in a photo that has one
    counts, wherever its box is. A reviewer's question is the verdict; the box is its
    evidence, and the issue's figure (``prf``) asks for both. A box on the wrong place of a
    photo with the LOGO -- a template squeezed onto part of its own LOGO, a look-alike beside
    it -- counts as a false hit and a miss in ``prf`` and as found here (forty-seventh
    session)."""
    counted = [r for r in rows if not r["beyond"]]
    return _prf(
        sum(1 for r in counted if r["positive"] and r["found"]),
        sum(1 for r in counted if not r["positive"] and r["found"]),
        sum(1 for r in counted if r["positive"] and not r["found"]),
    )


def fmt(name: str, rows) -> str:
    p, r, f, tp, fp, fn = prf(rows)
    return (
        f"  {name:<22} n={len(rows):<4} P={p:.3f} R={r:.3f} F1={f:.3f}  (tp={tp} fp={fp} fn={fn})"
    )


SUB_DETECT = """
import sys, time
sys.path.insert(0, {src!r})
from pathlib import Path
from gkcheck.vision.logo import LogoDetector
dets = {{}}
for line in open({lst!r}, encoding='utf-8'):
    photo, tpl = line.rstrip('\\n').split('\\t')
    d = dets.get(tpl)
    if d is None:
        d = dets[tpl] = LogoDetector([tpl])
    d.detect(Path(photo))
"""
SUB_IMREAD = """
import cv2
for line in open({lst!r}, encoding='utf-8'):
    cv2.imread(line.split('\\t')[0])
"""


def main() -> None:
    # the commands below store each template's clutter score: in a directory of our own,
    # removed at exit (every run used to leave one behind in the temporary directory)
    cache = tempfile.mkdtemp(prefix="gkcheck-bench-cache-")
    atexit.register(shutil.rmtree, cache, ignore_errors=True)
    os.environ["GKCHECK_CACHE_DIR"] = cache
    ap = argparse.ArgumentParser()
    ap.add_argument("set", nargs="?", type=Path, default=Path("/tmp/gkcheck-logo-bench"))
    ap.add_argument("--split", default="test")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument(
        "--exclude-design",
        action="append",
        default=[],
        help="leave out photos that query this design (e.g. 'third' when tuning on a non-tune split)",
    )
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--no-subprocess", action="store_true")
    ap.add_argument(
        "--process-photos",
        type=int,
        default=40,
        help="photos timed one process each (gkcheck logo vs cv2.imread); 0: none",
    )
    ap.add_argument(
        "--process-reps",
        type=int,
        default=1,
        help="rounds over those photos; each photo's median over the rounds is used, and each "
        "round's own ratio is printed (the machine's load moves a single round's ratio by "
        "+-0.15x)",
    )
    ap.add_argument("--dump", type=Path)
    ap.add_argument(
        "--sweep",
        action="store_true",
        help="score every photo's best candidate (first_hit=False) and print P/R/F1 per threshold",
    )
    ap.add_argument(
        "--knob",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="LogoDetector keyword to try (repeatable), e.g. --knob fine_full_max=3000",
    )
    args = ap.parse_args()
    d = args.set / args.split
    truth = json.loads((d / "truth.json").read_text())
    truth = [t for t in truth if t["design"] not in args.exclude_design]
    if args.limit:
        truth = truth[: args.limit]

    t_start = time.perf_counter()
    templates: dict[str, LogoTemplate] = {}
    rows = []
    det_times, imread_times = [], []
    for t in truth:
        photo = d / t["file"]
        # full-size decode baseline, same run, same photo (cold-ish: read from page cache)
        t0 = time.perf_counter()
        img = cv2.imread(str(photo))
        imread_times.append(time.perf_counter() - t0)
        del img
        tp_path = str(d / t["template"])
        if tp_path not in templates:
            templates[tp_path] = LogoTemplate.load(tp_path)
        kw: dict[str, object] = {} if args.threshold is None else {"threshold": args.threshold}
        kw.update({k: _knob(v) for k, v in (x.split("=", 1) for x in args.knob)})
        det = LogoDetector([templates[tp_path]], **kw)
        t0 = time.perf_counter()
        m = det.detect(photo, first_hit=not args.sweep)
        det_times.append(time.perf_counter() - t0)
        # set C may draw a second, smaller copy of the query LOGO (``also``): a hit on it is a hit
        ok_box = (
            m.found
            and t["positive"]
            and any(b and iou(m.bbox, b) > 0.3 for b in [t["bbox"], *t.get("also", [])])
        )
        # a positive with more of its LOGO hidden than the issue's "partial occlusion up to
        # ~20 %" (occluders plus another emblem's panel, set B's truth) is not counted either
        # way; a hit elsewhere in that photo still is a false one
        beyond = t["positive"] and t.get("occluded", 0) + t.get("covered", 0) > HIDDEN_LIMIT
        row = {
            "file": t["file"],
            "design": t["design"],
            "template": t["template"],
            "condition": t["condition"],
            "shape": _shape(templates[tp_path]),
            "placement": t["placement"],
            "positive": t["positive"],
            "found": m.found,
            "score": m.score,
            "bbox": m.bbox,
            "truth": t["bbox"],
            "tp": int(bool(ok_box) and not beyond),
            "fp": int(m.found and not ok_box),
            "fn": int(t["positive"] and not ok_box and not beyond),
            "beyond": beyond,
            "found_beyond": bool(ok_box and beyond),
            "parts": det.last_stats.get("parts"),
            "layout": det.last_stats.get("layout"),
            "ncand": det.last_stats.get("verified"),
            "ms": det_times[-1] * 1000,
            "imread_ms": imread_times[-1] * 1000,
            "size": t["size"],
            "tags": t.get("tags", []),
        }
        rows.append(row)
    wall = time.perf_counter() - t_start

    print(f"set {d}  ({len(rows)} photos, {sum(r['positive'] for r in rows)} positive)")
    nb = sum(r["beyond"] for r in rows)
    if nb:
        print(
            f"  {nb} positives have more than {HIDDEN_LIMIT:.0%} of the LOGO hidden and are not "
            f"counted (found {sum(r['found_beyond'] for r in rows)} of them)"
        )
    print(fmt("overall", rows))
    p, r, f, tp, fp, fn = verdicts(rows)
    print(
        f"  {'photo verdicts':<22} n={len(rows):<4} P={p:.3f} R={r:.3f} F1={f:.3f}  "
        f"(tp={tp} fp={fp} fn={fn}; a LOGO found anywhere in a photo that has one counts)"
    )
    for key in ("design", "placement", "condition", "shape"):
        groups = defaultdict(list)
        for r in rows:
            groups[r[key]].append(r)
        print(f" by {key}:")
        for k in sorted(groups):
            print(fmt(k, groups[k]))
    sample = [r for r in rows if r["design"] == "sample"]
    heldout = [r for r in rows if r["design"] == "random"]
    for name, sub in (("sample LOGO", sample), ("held-out designs", heldout)):
        groups = defaultdict(list)
        for r in sub:
            groups[r["condition"]].append(r)
        print(f" {name} by condition:")
        for k in sorted(groups):
            print(fmt(k, groups[k]))
    # recall is a property of the design more than of the photo (docs/vision/logo.md,
    # thirteenth session): each template's positives, the weakest first
    per_template: dict[str, list] = defaultdict(list)
    for r in rows:
        if r["positive"] and not r["beyond"]:
            per_template[r["template"]].append(r)
    print(" positives by template (found / counted, the weakest first):")
    for k, sub in sorted(
        per_template.items(), key=lambda kv: (sum(r["tp"] for r in kv[1]) / len(kv[1]), kv[0])
    ):
        print(f"  {k:<22} {sum(r['tp'] for r in sub):3d} / {len(sub):3d}  ({sub[0]['design']})")
    tagged: dict[str, list] = defaultdict(list)
    for r in rows:
        for tag in r["tags"]:
            tagged[tag].append(r)
    if tagged:
        # sets B and C (logo_set_b.py, logo_set_c.py): the conditions, each photo in
        # every one it has (a positive's printing, surface, yaw, occlusion, width; a negative's
        # emblem)
        print(" by tag:")
        for k in sorted(tagged):
            print(fmt(k, tagged[k]))
    md, mi = statistics.median(det_times) * 1000, statistics.median(imread_times) * 1000
    td, ti = sum(det_times), sum(imread_times)
    print(
        f"time: detect median {md:.1f} ms/photo, total {td:.2f} s; "
        f"cv2.imread full-size median {mi:.1f} ms/photo, total {ti:.2f} s; ratio (total) {td / ti:.2f}x, (median) {md / mi:.2f}x"
    )
    big = [r for r in rows if r["size"][0] * r["size"][1] >= 6e6]
    small = [r for r in rows if r["size"][0] * r["size"][1] < 3e6]
    for name, sub in (("<3 MP", small), (">=6 MP", big)):
        if sub:
            print(
                f"  {name}: detect {sum(r['ms'] for r in sub) / len(sub):.1f} ms avg, imread {sum(r['imread_ms'] for r in sub) / len(sub):.1f} ms avg"
            )
    print(f"(whole in-process loop incl. template loading: {wall:.1f} s)")
    if args.dump:
        args.dump.write_text(json.dumps(rows, indent=1))
    if args.sweep:
        for thr in [x / 100 for x in range(50, 100, 2)]:
            sub = []
            for r in rows:
                hit = r["score"] >= thr
                ok = (
                    hit
                    and r["positive"]
                    and r["bbox"]
                    and r["truth"]
                    and iou(r["bbox"], r["truth"]) > 0.3
                )
                sub.append(
                    {
                        "tp": int(bool(ok) and not r["beyond"]),
                        "fp": int(hit and not ok),
                        "fn": int(r["positive"] and not ok and not r["beyond"]),
                    }
                )
            print(fmt(f"threshold {thr:.2f}", sub))

    if not args.no_subprocess:
        lst = Path("/tmp/gkcheck-logo-bench-list.tsv")
        lst.write_text(
            "".join(f"{d / t['file']}\t{d / t['template']}\n" for t in truth), encoding="utf-8"
        )
        py = sys.executable
        res = {}
        for name, code in (
            ("imread", SUB_IMREAD.format(lst=str(lst))),
            ("detect", SUB_DETECT.format(src=str(ROOT / "src"), lst=str(lst))),
            ("imread2", SUB_IMREAD.format(lst=str(lst))),
        ):
            t0 = time.perf_counter()
            subprocess.run([py, "-c", code], check=True)
            res[name] = time.perf_counter() - t0
        base = min(res["imread"], res["imread2"])
        print(
            f"subprocess end-to-end (start-up included): detect {res['detect']:.2f} s, "
            f"imread-only {base:.2f} s (best of 2), ratio {res['detect'] / base:.2f}x"
        )
        # the issue's own measure: ``gkcheck logo`` itself, start-up included, over the
        # photos of the most used query LOGO (the sample LOGO: half the set; a campaign has
        # one LOGO), against cv2.imread of the same photos in a fresh process
        groups: dict[str, list[str]] = defaultdict(list)
        for t in truth:
            groups[str(d / t["template"])].append(str(d / t["file"]))
        tpl, photos = max(groups.items(), key=lambda kv: len(kv[1]))
        lst2 = Path("/tmp/gkcheck-logo-bench-cli.tsv")
        lst2.write_text("".join(f"{p}\t{tpl}\n" for p in photos), encoding="utf-8")
        t0 = time.perf_counter()
        subprocess.run([py, "-c", SUB_IMREAD.format(lst=str(lst2))], check=True)
        base2 = time.perf_counter() - t0
        # the CLI as a reviewer runs it (--jobs default: one photo per core, in threads) and
        # on one core (-j 1): the first is the wall-clock measure, the second what the
        # detector itself costs against the single-threaded decode
        for jobs in ("0", "1"):
            t0 = time.perf_counter()
            proc = subprocess.run(
                [py, "-m", "gkcheck", "logo", "--logo", tpl, "--format", "json", "-j", jobs,
                 *photos],
                capture_output=True,
                text=True,
                check=False,
            )  # fmt: skip
            cli = time.perf_counter() - t0
            found = sum(r["found"] for r in json.loads(proc.stdout)["results"])
            print(
                f"gkcheck logo -j {jobs} CLI over the {len(photos)} photos of {Path(tpl).name} "
                f"(start-up included): {cli:.2f} s, {found} with the LOGO; cv2.imread of the "
                f"same photos {base2:.2f} s; ratio {cli / base2:.2f}x"
            )
        # one process per photo, as a CMS hook or a reviewer checking one photo runs it: the
        # median ``gkcheck logo PHOTO`` process against the median ``python -c "import cv2;
        # cv2.imread(PHOTO)"`` process, interleaved photo by photo (start-up in both)
        # in a cache directory of its own (each template prepared, ``template_store.py``, and its
        # clutter score, ``clutter_store.py``): the first process works them out and keeps
        # them, the others read them
        # with ``--process-reps`` N, N rounds over the photos, the two commands' order turned
        # each round; a photo's time is its median over the rounds
        timed = [str(p) for p in photos[: args.process_photos]]
        store = tempfile.mkdtemp(prefix="gkcheck-bench-cache-")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["GKCHECK_CACHE_DIR"] = store
        per = time_each_process(
            {
                "imread": lambda photo: ([py, "-c", IMREAD, photo], env),
                "gkcheck": lambda photo: (
                    [py, "-m", "gkcheck", "logo", "--logo", tpl, "--format", "json", photo], env
                ),
            },
            timed,
            args.process_reps,
        )
        if timed:
            first = per["gkcheck"][0][0]  # the first process of all: it prepared the template
            mg = statistics.median(statistics.median(t) for t in per["gkcheck"])
            mi2 = statistics.median(statistics.median(t) for t in per["imread"])
            rounds = [
                statistics.median(t[r] for t in per["gkcheck"])
                / statistics.median(t[r] for t in per["imread"])
                for r in range(len(per["imread"][0]))
            ]
            print(
                f"one process per photo ({len(timed)} photos of {Path(tpl).name}, "
                f"{len(rounds)} round(s)): gkcheck logo median {mg * 1000:.0f} ms, cv2.imread "
                f"median {mi2 * 1000:.0f} ms; ratio {mg / mi2:.2f}x (each round: "
                f"{', '.join(f'{x:.2f}x' for x in rounds)}; the first process, preparing the "
                f"template and its clutter score and keeping them: {first * 1000:.0f} ms)"
            )
            # the mean too: a round that only some photos pay (the reversed round, only when
            # nothing passed; fifty-fourth session) moves the mean more than the median
            ag = statistics.mean(statistics.median(t) for t in per["gkcheck"])
            ai = statistics.mean(statistics.median(t) for t in per["imread"])
            print(
                f"one process per photo, mean: gkcheck logo {ag * 1000:.0f} ms, cv2.imread "
                f"{ai * 1000:.0f} ms; ratio {ag / ai:.2f}x"
            )
        shutil.rmtree(store, ignore_errors=True)


if __name__ == "__main__":
    main()
