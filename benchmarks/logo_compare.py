"""Pool the rows ``benchmarks/logo.py --dump`` wrote for several splits, and compare two runs.

    python benchmarks/logo_compare.py A/main- tune3 tune4 trainD train9 trainE trainF
    python benchmarks/logo_compare.py A/main- SPLITS... --against B/variant-

Reads ``<prefix><split>.json`` for each split (so ``--dump runs/main-tune3.json`` and the prefix
``runs/main-``) and prints found / false hits / missed, precision, recall and F1 over the splits
pooled, by the dump's own ``tp`` / ``fp`` / ``fn`` (``benchmarks/logo.py`` decides them: a hit
counts when its box overlaps the truth by IoU > 0.3, a hit elsewhere in a photo with the LOGO is a
false hit *and* a miss, a LOGO more than 30 % hidden is not counted), then in brackets the
photos' verdicts alone (``logo.verdicts``: a LOGO found anywhere in a photo that has one). With
``--against``, the second run's figures too, and every photo whose tp / fp / fn differ between
the two, with both scores.

Every decision on a detector change (docs/vision/logo.md) compares pooled design splits this
way; until the twenty-fourth session the comparison was a script in ``/tmp`` that each new
machine lost.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

# the benchmark's own P / R / F1, of boxes and of verdicts (this directory is on sys.path)
from logo import prf, verdicts


def load(prefix: str, splits: list[str]) -> dict[tuple[str, str], dict]:
    """Each split's rows, keyed by (split, file)."""
    rows: dict[tuple[str, str], dict] = {}
    for split in splits:
        for row in json.loads(Path(f"{prefix}{split}.json").read_text(encoding="utf-8")):
            rows[(split, row["file"])] = row
    return rows


def pooled(rows: dict[tuple[str, str], dict]) -> str:
    """found / false / missed, P, R, F1 of the rows pooled (``logo.prf``, as the benchmark
    reports one split)."""
    p, r, f1, tp, fp, fn = prf(rows.values())
    vp, vr, vf, vtp, vfp, vfn = verdicts(rows.values())
    return (
        f"{tp} / {fp} / {fn}  P {p:.3f} R {r:.3f} F1 {f1:.3f}"
        f"  [photo verdicts {vtp} / {vfp} / {vfn}  P {vp:.3f} R {vr:.3f} F1 {vf:.3f}]"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("prefix", help="path prefix of the dumps: <prefix><split>.json")
    ap.add_argument("splits", nargs="+")
    ap.add_argument(
        "--against", help="a second run's prefix: its figures and the photos that differ"
    )
    args = ap.parse_args()
    a = load(args.prefix, args.splits)
    print(f"{args.prefix}: {pooled(a)}  (found / false / missed, {len(a)} photos)")
    if not args.against:
        return
    b = load(args.against, args.splits)
    print(f"{args.against}: {pooled(b)}")
    for key in sorted(a):
        x, y = a[key], b.get(key)
        if y is None:
            print(f"{key[0]} {key[1]}: not in {args.against}")
            continue
        vx, vy = (x["tp"], x["fp"], x["fn"]), (y["tp"], y["fp"], y["fn"])
        if vx != vy:
            print(
                f"{key[0]} {key[1]} {y['condition']} {Path(y['template']).name}: "
                f"tp/fp/fn {vx} score {x['score']} -> {vy} score {y['score']}"
            )


if __name__ == "__main__":
    main()
