"""Held-out agreement of the .doc, .wps and OFD readers with the Word reader's verdicts.

Run from the repository root (needs LibreOffice; the OFD part needs a Python with the
third-party writer easyofd, e.g. a scratch virtualenv — never gkcheck's own)::

    PYTHONPATH=src:. nice -n 10 python benchmarks/formats.py --seed 20261202 --count 40 \
        [--ofd-python /tmp/ofdvenv/bin/python] [--work /tmp/gk-formats]

A fresh set of Word reports is generated with a seed the samples do not use (the committed
samples are seed 1), so nothing here was tuned on. Then:

* each ``.docx`` is saved as ``.doc`` by LibreOffice, and the ``.doc`` copied to ``.wps``;
* each ``.docx``, tracked changes accepted (as users send PDFs, and as ``samples/pdf`` is
  made), is exported to PDF by LibreOffice and the PDF converted to OFD by easyofd;
* every file is read by its gkcheck parser and the title/lead/body/ending verdicts are
  computed as GK101–GK104 decide them (structure analysis + the keyword matcher).

Prints pairs right / total for: .doc vs its .docx, .wps vs its .doc, OFD vs its .docx, OFD
vs its PDF, and each against the generator's truth.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT / "src", ROOT / "samples"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from gkcheck.checks.keyword_placement import matcher_for  # noqa: E402
from gkcheck.config import Config  # noqa: E402
from gkcheck.parsers.base import ParseOptions  # noqa: E402
from gkcheck.parsers.legacy_word import LegacyWordParser  # noqa: E402
from gkcheck.parsers.ofd import OfdParser  # noqa: E402
from gkcheck.parsers.pdf import PdfParser  # noqa: E402
from gkcheck.parsers.word import WordParser  # noqa: E402
from gkcheck.structure import analyse, outline  # noqa: E402

if TYPE_CHECKING:
    from gkcheck.model import Document

PLACES = ("title", "lead", "body", "ending")


def verdicts(doc: Document) -> dict[str, bool]:
    """Whether each place holds the keyword, as GK101–GK104 decide it."""
    m = matcher_for(Config())
    o = outline(analyse(doc))
    return {
        "title": any(m.contains(b.text) for b in o.title),
        "lead": o.lead is not None and m.contains(o.lead.text),
        "body": any(m.contains(b.text) for b in o.body),
        "ending": o.ending is not None and m.contains(o.ending.text),
    }


def read(path: Path) -> dict[str, bool] | None:
    """Verdicts of one file by its parser (None when it cannot be read)."""
    parser: Any = {
        ".docx": WordParser(),
        ".doc": LegacyWordParser(),
        ".wps": LegacyWordParser(),
        ".pdf": PdfParser(),
        ".ofd": OfdParser(),
    }[path.suffix.lower()]
    try:
        return verdicts(parser.parse(path, ParseOptions(ocr=False)))
    except Exception as exc:  # noqa: BLE001 - a failure is a miss, and is shown
        print(f"  {path.name}: {type(exc).__name__}: {exc}")
        return None


def compare(
    label: str, got: dict[str, dict[str, bool] | None], want: dict[str, dict[str, bool] | None]
) -> None:
    right = total = 0
    misses: list[str] = []
    for stem, expected in sorted(want.items()):
        if expected is None:
            continue
        mine = got.get(stem)
        for place in PLACES:
            total += 1
            if mine is not None and mine[place] == expected[place]:
                right += 1
            else:
                misses.append(f"{stem}:{place}")
    share = right / total if total else 0.0
    print(f"{label:<28} {right}/{total} = {share:.4f}")
    if misses:
        print("   misses:", ", ".join(misses[:20]) + (" …" if len(misses) > 20 else ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--ofd-python", default=None, help="a Python with easyofd installed")
    ap.add_argument("--skip-legacy", action="store_true", help="measure OFD only")
    args = ap.parse_args(argv)
    from gen.formats import to_legacy, to_ofd
    from gen.pdf import EXPORT_FILTER, accept_changes, convert_to_pdf
    from gen.word import generate_reports

    work = args.work or Path(tempfile.mkdtemp(prefix="gk-formats-"))
    docx_dir = work / "docx"
    records = generate_reports(docx_dir, seed=args.seed, count=args.count)
    docx = sorted(docx_dir.glob("r*.docx"))
    truth = {Path(str(r["file"])).stem: dict(r["places"]) for r in records if "places" in r}
    print(f"{len(docx)} held-out reports (seed {args.seed}) in {work}")
    by: dict[str, dict[str, dict[str, bool] | None]] = {
        k: {} for k in ("docx", "doc", "wps", "pdf", "ofd")
    }
    for p in docx:
        by["docx"][p.stem] = read(p)
    compare(".docx vs truth", by["docx"], dict(truth))  # type: ignore[arg-type]
    if not args.skip_legacy:
        to_legacy(docx, work / "legacy")
        for p in docx:
            by["doc"][p.stem] = read(work / "legacy" / f"{p.stem}.doc")
            by["wps"][p.stem] = read(work / "legacy" / f"{p.stem}.wps")
        compare(".doc vs .docx", by["doc"], by["docx"])
        compare(".wps vs .doc", by["wps"], by["doc"])
        compare(".doc vs truth", by["doc"], dict(truth))  # type: ignore[arg-type]
    if args.ofd_python:
        # as users send PDFs (and as samples/pdf is made): tracked changes accepted first
        accepted_dir = work / "accepted"
        accepted_dir.mkdir(exist_ok=True)
        for p in docx:
            accept_changes(p, accepted_dir / p.name)
        pdfs = convert_to_pdf(
            [accepted_dir / p.name for p in docx], work / "pdf", EXPORT_FILTER
        )
        ofds = {p.stem: p for p in to_ofd(pdfs, work / "ofd", args.ofd_python)}
        print(f"easyofd wrote {len(ofds)} of {len(pdfs)} OFD files (the rest: writer failed)")
        for pdf in pdfs:
            by["pdf"][pdf.stem] = read(pdf)
            by["ofd"][pdf.stem] = read(ofds[pdf.stem]) if pdf.stem in ofds else None
        written = {k: v for k, v in by["docx"].items() if k in ofds}
        compare("OFD (easyofd) vs .docx", by["ofd"], written)
        compare("  … counting unwritten", by["ofd"], by["docx"])
        compare("OFD (easyofd) vs its PDF", by["ofd"], {k: by["pdf"][k] for k in written})
        compare("PDF vs .docx", by["pdf"], by["docx"])
        compare("OFD vs truth", by["ofd"], {k: truth[k] for k in written})  # type: ignore[misc]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
