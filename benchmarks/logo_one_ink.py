"""LOGOs printed in one ink: how many the detector finds, by template and by ink.

    python benchmarks/logo_one_ink.py /tmp/gkq finalA train9 trainD trainE trainF tune3 tune4

Set B (``logo_set_b.py``) prints every LOGO in its own colours, and banners are often printed
in one. This takes the shipped demo mark and every third family design (``d*.png``) of the
given splits' templates, prints each in six inks (``in_one_ink`` of the tests: the densities
its greys give) and hangs it 260 px wide on a grey wall (``wall_scene``), then asks the
shipped detector for it (``first_hit=False``). Every scene holds the LOGO, so the figure is a
recall; a change to the detector's scoring should not lower it. The twenty-fourth session's
probe, kept here after the twenty-fifth found a pair network that sees colour passing set B's
figures and refusing these prints: with the splits above (15 templates, 90 scenes) the grey
network alone finds 82 and that network 56 (the probe's 13 templates: 70 -> 44 of 78). Since
the twenty-sixth session the colour network is asked only where the photo shows two hues
(``learned.photo_hues``), and the shipped detector finds 82 again (docs/vision/logo.md).
"""

from __future__ import annotations

import argparse
import collections
import glob
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "vision"))

from _support import in_one_ink, wall_scene  # noqa: E402  (the tests' own scenes)

from gkcheck.vision.logo import LogoDetector, LogoTemplate  # noqa: E402

DEMO = ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"
INKS = [(30, 30, 200), (160, 60, 20), (20, 20, 20), (30, 150, 210), (40, 160, 40), (150, 40, 150)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("set", type=Path, help="a set B directory (logo_set_b.py)")
    ap.add_argument("splits", nargs="+", help="splits whose templates/d*.png are printed")
    args = ap.parse_args()
    designs = sorted(
        p for s in args.splits for p in glob.glob(str(args.set / s / "templates" / "d*.png"))
    )
    templates = [LogoTemplate.load(DEMO)] + [LogoTemplate.load(p) for p in designs[::3]]
    found: collections.Counter[str] = collections.Counter()
    by_ink: collections.Counter[str] = collections.Counter()
    for tpl in templates:
        det = LogoDetector([tpl])
        for ink in INKS:
            data, _window = wall_scene(in_one_ink(tpl, ink))
            hit = det.detect(data, first_hit=False).found
            found[tpl.name] += hit
            by_ink[str(ink)] += hit
    n = len(INKS)
    print(f"found {sum(found.values())} of {len(templates) * n} LOGOs printed in one ink")
    print("by template: " + ", ".join(f"{t.name} {found[t.name]}/{n}" for t in templates))
    print("by ink (BGR): " + ", ".join(f"{k} {v}/{len(templates)}" for k, v in by_ink.items()))


if __name__ == "__main__":
    main()
