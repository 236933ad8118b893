"""Banner reading benchmark: accuracy and speed, region-first vs whole-photo OCR.

Generates (or reuses) a set of synthetic event photos from seeds never used for tuning
(``samples/gen/banner_photos.py --bench``), reads every photo with both
``read_banner(mode="region")`` and ``mode="whole"`` in the same run, and prints:

* verdict accuracy: the photo's fault codes equal the truth's (``strict``), or the
  truth's code is among them (``lenient``); a no-banner photo is right when no banner
  is read (strict) or at least none is reported valid (lenient);
* the same per case and per style;
* median seconds per photo for both modes and the speed ratio.

Run::

    PYTHONPATH=src:. python benchmarks/banner.py [--count 130] [--dir DIR] [--regen]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkcheck.banner import parse_banner
from gkcheck.vision.banner_reader import BannerReading, read_banner
from gkcheck.vision.ocr import get_engine

if TYPE_CHECKING:
    from collections.abc import Sequence

DEFAULT_DIR = Path("/tmp/gkcheck-banner-bench")
#: Seeds 50000+ are the benchmark's; tuning used seeds below 10000.
SEED_BASE = 50_000


@dataclass(frozen=True, slots=True)
class Outcome:
    """One photo read in one mode, judged against its truth."""

    file: str
    case: str
    style: str
    mode: str
    text: str | None
    codes: tuple[str, ...]
    strict: bool
    lenient: bool
    valid_reported: bool
    seconds: float


def expected_codes(truth: dict[str, Any]) -> frozenset[str]:
    """Fault codes the photo pipeline should report for this photo's banner."""
    if truth["banner_text"] is None:
        return frozenset({"no-banner"})
    typed = parse_banner(truth["banner_text"], source="ocr")
    return frozenset(typed.codes) if typed.codes else frozenset({"valid"})


def judge(truth: dict[str, Any], reading: BannerReading, mode: str) -> Outcome:
    """Compare a reading's verdict with the truth."""
    want = expected_codes(truth)
    if reading.text is None:
        codes: tuple[str, ...] = ("no-banner",)
        valid = False
    else:
        verdict = parse_banner(reading.text, source="ocr")
        codes = verdict.codes or ("valid",)
        valid = verdict.valid
    got = frozenset(codes)
    if "no-banner" in want:
        strict = got == want
        lenient = not valid
    else:
        strict = got == want
        lenient = truth["expected"] in got
    return Outcome(truth["file"], truth["case"], truth["style"], mode, reading.text,
                   codes, strict, lenient, valid, reading.seconds)


def _pct(xs: Sequence[bool]) -> str:
    return f"{100.0 * sum(xs) / len(xs):5.1f}% ({sum(xs)}/{len(xs)})" if xs else "-"


def report(outcomes: Sequence[Outcome], out: Any = sys.stdout) -> dict[str, Any]:
    """Print the tables; return the headline numbers."""
    by_mode: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_mode[o.mode].append(o)
    summary: dict[str, Any] = {}
    for mode, os_ in by_mode.items():
        banner = [o for o in os_ if o.case not in ("no-banner", "no-banner-activity")]
        none = [o for o in os_ if o.case in ("no-banner", "no-banner-activity")]
        med = statistics.median(o.seconds for o in os_)
        summary[mode] = {
            "banner_strict": sum(o.strict for o in banner) / max(1, len(banner)),
            "banner_lenient": sum(o.lenient for o in banner) / max(1, len(banner)),
            "nobanner_valid": sum(o.valid_reported for o in none),
            "median_s": med,
        }
        print(f"\n== mode={mode}  photos={len(os_)}  median {med:.2f} s/photo", file=out)
        print(f"  banner photos, verdict right (strict):  {_pct([o.strict for o in banner])}",
              file=out)
        print(f"  banner photos, verdict right (lenient): {_pct([o.lenient for o in banner])}",
              file=out)
        print(f"  no-banner photos, nothing read:         {_pct([o.strict for o in none])}",
              file=out)
        print(f"  no-banner photos reported valid:        {sum(o.valid_reported for o in none)}",
              file=out)
        for key in ("case", "style"):
            groups: dict[str, list[Outcome]] = defaultdict(list)
            for o in os_:
                groups[getattr(o, key)].append(o)
            print(f"  by {key}:", file=out)
            for name in sorted(groups):
                g = groups[name]
                print(f"    {name:22s} strict {_pct([o.strict for o in g])}  "
                      f"lenient {_pct([o.lenient for o in g])}  "
                      f"median {statistics.median(o.seconds for o in g):.2f} s", file=out)
    if "region" in summary and "whole" in summary:
        ratio = summary["whole"]["median_s"] / summary["region"]["median_s"]
        summary["ratio"] = ratio
        print(f"\nspeed: region-first median {summary['region']['median_s']:.2f} s, "
              f"whole-photo median {summary['whole']['median_s']:.2f} s, "
              f"ratio {ratio:.1f}x", file=out)
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the set if needed, read it in both modes, print the report."""
    ap = argparse.ArgumentParser(description="banner reading benchmark")
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--count", type=int, default=130)
    ap.add_argument("--seed-base", type=int, default=SEED_BASE)
    ap.add_argument("--regen", action="store_true", help="regenerate the photos")
    ap.add_argument("--modes", default="region,whole")
    ap.add_argument("--failures", action="store_true", help="list wrong verdicts")
    args = ap.parse_args(argv)

    truth_file = args.dir / "expected.json"
    if args.regen or not truth_file.exists():
        from samples.gen.banner_photos import write_bench

        t0 = time.perf_counter()
        write_bench(args.count, args.dir, args.seed_base)
        print(f"generated {args.count} photos in {time.perf_counter() - t0:.0f} s")
    truths = json.loads(truth_file.read_text(encoding="utf-8"))[: args.count]
    engine = get_engine()
    outcomes: list[Outcome] = []
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    for truth in truths:
        path = args.dir / truth["file"]
        for mode in modes:
            reading = read_banner(path, engine=engine, mode="whole" if mode == "whole" else "region")
            outcomes.append(judge(truth, reading, mode))
    report(outcomes)
    if args.failures:
        print("\nwrong verdicts (strict):")
        for o in outcomes:
            if not o.strict:
                print(f"  [{o.mode}] {o.file}: got {o.codes} text={o.text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
