"""Build every sample file deterministically: ``python samples/generate.py``.

Each generator is a function called from :func:`main`; add PDF, photo or
submission generators the same way.  Running twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from gen.word import generate_perf_sample, generate_reports, write_expected  # noqa: E402

WORD_SEED = 1
WORD_COUNT = 60


def word_samples(out_dir: Path = HERE / "word") -> int:
    """The Word report set plus the performance sample; returns the number of files."""
    records = generate_reports(out_dir, seed=WORD_SEED, count=WORD_COUNT)
    records.append(generate_perf_sample(out_dir, seed=WORD_SEED))
    write_expected(out_dir, records)
    return len(records)


GENERATORS = {
    "word": word_samples,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the sample files deterministically.")
    parser.add_argument(
        "only", nargs="*", help=f"generators to run (default: all of {list(GENERATORS)})"
    )
    args = parser.parse_args(argv)
    __import__("gen.submissions", fromlist=["register"]).register(GENERATORS)
    unknown = [name for name in args.only if name not in GENERATORS]
    if unknown:
        parser.error(f"unknown generator(s): {', '.join(unknown)}")
    for name in args.only or GENERATORS:
        print(f"{name}: {GENERATORS[name]()} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
