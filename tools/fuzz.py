"""The long fuzz run, by hand: ``nice -n 10 python tools/fuzz.py --count 2000 [--seed 12]``.

Prints the figures (mutants, failures, slowest, rules found) and lists every failing mutant
by number; rebuild one with ``tests.fuzz.mutators.mutants(seed, 1, n)[0]`` and keep it as a
regression file under ``tests/fuzz/regressions/`` with a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.fuzz.harness import run_mutants  # noqa: E402
from tests.fuzz.mutators import mutants  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--start", type=int, default=0, help="first mutant number")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per mutant")
    ap.add_argument("--progress", action="store_true", help="a line per mutant on stderr")
    args = ap.parse_args()
    t0 = time.monotonic()
    todo = mutants(args.seed, args.count, args.start)
    with tempfile.TemporaryDirectory(prefix="gkcheck-fuzz-") as tmp:
        log = sys.stderr if args.progress else None
        summary = run_mutants(todo, Path(tmp), timeout=args.timeout, log=log)
    print(f"seed {args.seed}, mutants {args.start}..{args.start + args.count - 1}, "
          f"wall {time.monotonic() - t0:.0f} s")
    print(summary.table())
    return 1 if summary.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
