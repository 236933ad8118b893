"""Paired timing of one-photo ``gkcheck logo`` processes from several source trees.

    python benchmarks/logo_ab.py SET --split NAME ARM=SRC[:VAR=VALUE] ARM=SRC ... [--photos 53]
                                 [--reps 3]

Each ARM is a source tree (its ``src`` directory, put first on ``PYTHONPATH``; an environment
variable may be added), timed as ``benchmarks/logo.py --process-photos`` times the shipped
code: one ``python -m gkcheck logo --logo TEMPLATE PHOTO`` process per photo, over the photos of
the split's most used template, against ``python -c "import cv2; cv2.imread(PHOTO)"``. The
arms and the decode are interleaved photo by photo, their order turned each time, and each
photo's time is its median over ``--reps`` rounds. Printed: each arm's median and mean, its
ratio to the decode, and each arm's *paired* difference from the first arm (the median and
mean over photos of the difference of the two arms' times on the same photo).

Why paired (fifty-fifth session, docs/vision/logo.md): a change worth 3-5 ms a process is
well within what the median of one run moves by between runs, but the same photo's two
processes, run one after the other, share the machine's pace; and the median of a run jumps
when a round that only some photos pay moves them across it, which the paired difference
shows apart.

``benchmarks/logo.py`` reads its own tree's ``src`` whatever ``PYTHONPATH`` says (it puts it
first on ``sys.path``): to read another tree's answers, run that tree's copy of it.
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
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

# the benchmark's own timing of one process per photo (this directory is on sys.path)
from logo import IMREAD, time_each_process


def _arm(spec: str) -> tuple[str, dict[str, str]]:
    """``NAME=SRC[:VAR=VALUE]`` -> (name, the environment its processes run in)."""
    name, _eq, rest = spec.partition("=")
    src, _colon, extra = rest.partition(":")
    if not name or not src:
        raise SystemExit(f"an arm is NAME=SRC[:VAR=VALUE], not {spec!r}")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if extra:
        var, _eq2, value = extra.partition("=")
        env[var] = value
    env["PYTHONPATH"] = str(Path(src).resolve())
    # each arm keeps its prepared templates and clutter scores apart (their code digests
    # differ), in a directory of the benchmark's own, never the user's
    # (removed at exit)
    env["GKCHECK_CACHE_DIR"] = cache = tempfile.mkdtemp(prefix=f"gkcheck-ab-{name}-")
    atexit.register(shutil.rmtree, cache, ignore_errors=True)
    return name, env


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("set", type=Path)
    ap.add_argument("--split", required=True)
    ap.add_argument("arms", nargs="+", help="NAME=SRC[:VAR=VALUE]; the first is the baseline")
    ap.add_argument("--photos", type=int, default=53)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    d = args.set / args.split
    truth = json.loads((d / "truth.json").read_text())
    groups: dict[str, list[str]] = defaultdict(list)
    for t in truth:
        groups[t["template"]].append(t["file"])
    template, photos = max(groups.items(), key=lambda kv: len(kv[1]))
    photos = photos[: args.photos]
    arms = [_arm(a) for a in args.arms]
    py = sys.executable

    def logo(photo: str) -> list[str]:
        return [py, "-m", "gkcheck", "logo", "--logo", template, "--format", "json", photo]

    # each arm's first process prepares the template and its clutter score: not timed
    for _name, env in arms:
        subprocess.run(logo(photos[0]), env=env, cwd=d, capture_output=True, check=False)
    def command(env: dict[str, str]) -> Callable[[str], tuple[list[str], dict[str, str]]]:
        return lambda photo: (logo(photo), env)

    commands = {name: command(env) for name, env in arms}
    commands["imread"] = lambda photo: ([py, "-c", IMREAD, photo], arms[0][1])
    names = list(commands)
    times = time_each_process(commands, photos, args.reps, cwd=d, turn_each_photo=True)
    per = {n: [statistics.median(t) for t in times[n]] for n in names}
    decode = statistics.median(per["imread"])
    print(f"{len(photos)} photos of {template} in {d}, {args.reps} round(s)")
    for n in names:
        m = statistics.median(per[n])
        print(
            f"  {n:12s} median {m * 1000:6.1f} ms ({m / decode:.2f}x the decode), "
            f"mean {statistics.mean(per[n]) * 1000:6.1f} ms"
        )
    base = arms[0][0]
    for n, _env in arms[1:]:
        diff = [a - b for a, b in zip(per[n], per[base], strict=True)]
        print(
            f"  {n} - {base}: paired difference median {statistics.median(diff) * 1000:+.1f} ms, "
            f"mean {statistics.mean(diff) * 1000:+.1f} ms"
        )


if __name__ == "__main__":
    main()
