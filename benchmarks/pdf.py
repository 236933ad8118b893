"""Benchmark: the PDF parser against pdfplumber's own text extraction, and OCR speed.

Run from the repository root::

    PYTHONPATH=src python benchmarks/pdf.py [text.pdf] [scan.pdf]

Prints the median time to parse a text PDF with :class:`gkcheck.parsers.pdf.PdfParser`
(OCR off) next to the median time of ``page.extract_text()`` over the same pages with
pdfplumber (the ratio should stay ≤ 1.5×: paragraphs, furniture and photos must not cost
much more than plain text), then OCR seconds per scanned page (engine already loaded).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEXT = ROOT / "samples" / "pdf" / "edge" / "furniture-pagebreak.pdf"
SCAN_DIR = ROOT / "samples" / "pdf" / "scan"


def _median(fn: Callable[[], object], runs: int) -> float:
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_text(path: Path, runs: int = 7) -> tuple[float, float]:
    """Median seconds: (gkcheck parse, pdfplumber extract_text) on ``path``."""
    import pdfplumber

    from gkcheck.parsers.base import ParseOptions
    from gkcheck.parsers.pdf import PdfParser

    parser = PdfParser()
    options = ParseOptions(ocr=False)

    def ours() -> object:
        return parser.parse(path, options)

    def plumber() -> object:
        with pdfplumber.open(str(path)) as pdf:
            return [page.extract_text() for page in pdf.pages[: options.max_pages]]

    ours()  # warm imports and caches for both
    plumber()
    return _median(ours, runs), _median(plumber, runs)


def bench_ocr(path: Path) -> tuple[float, float, int]:
    """(wall s/page, CPU s/page, pages) to parse a scanned PDF with OCR, engine preloaded.

    CPU time is printed too because on a shared machine wall time mostly measures the
    neighbours; on an idle 2-core machine wall ≈ CPU / (cores OCR keeps busy).
    """
    import pdfplumber

    from gkcheck.parsers.base import ParseOptions
    from gkcheck.parsers.pdf import PdfParser
    from gkcheck.vision.ocr import get_engine

    get_engine()
    with pdfplumber.open(str(path)) as pdf:
        pages = len(pdf.pages)
    start, cpu = time.perf_counter(), time.process_time()
    doc = PdfParser().parse(path, ParseOptions())
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    assert doc.blocks, "the scan was not read"
    return elapsed / pages, used / pages, pages


def main(argv: list[str]) -> None:
    """Run both benchmarks and print one line each."""
    text = Path(argv[0]) if argv else DEFAULT_TEXT
    scans = sorted(SCAN_DIR.glob("*.pdf"))
    scan = Path(argv[1]) if len(argv) > 1 else (scans[0] if scans else None)
    ours, plumber = bench_text(text)
    print(
        f"text PDF {text.name}: gkcheck {ours * 1000:.0f} ms, "
        f"pdfplumber extract_text {plumber * 1000:.0f} ms, ratio {ours / plumber:.2f}x"
    )
    if scan is not None:
        wall, cpu, pages = bench_ocr(scan)
        print(
            f"scanned PDF {scan.name}: {wall:.2f} s per page with OCR "
            f"({cpu:.2f} CPU s per page, {pages} pages)"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
