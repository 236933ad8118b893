"""Measure the four-place verdicts on a ``gen.news`` set, per format, per place and per cause.

Usage (from ``samples/``)::

    python -m gen.eval_news /tmp/news-1402 [--build SEED:COUNT] [--formats docx,pdf,scan] [-v]

A place passes when its rule (title GK101, lead GK102, body GK103, ending GK104) is not among
the findings of ``gkcheck.check``; it agrees when that equals the truth in ``expected.json``.
Per cause: pair agreement over the reports whose plan has that feature; for PDFs and scans the
feature ``cause:para-across-page`` marks reports where a truth paragraph starts on one page and
ends on the next (read from the PDF's text layer with pypdfium2).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import gkcheck
from gkcheck.structure import outline

from .eval_word_b import RULES


def _dense(s: str) -> str:
    return "".join(s.split())


def across_pages(pdf: Path, paragraphs: list[list[str]]) -> bool:
    """Whether a truth paragraph starts on one page of ``pdf`` and ends on a later one."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    pages = [_dense(p.get_textpage().get_text_range()) for p in doc]
    doc.close()
    if len(pages) < 2:
        return False
    for role, text, _ in paragraphs:
        if role not in ("lead", "body", "ending"):
            continue
        t = _dense(text)
        head, tail = t[:12], t[-12:]
        where_head = [i for i, p in enumerate(pages) if head in p]
        where_tail = [i for i, p in enumerate(pages) if tail in p]
        if where_head and where_tail and where_tail[0] > where_head[0]:
            return True
    return False


def _words(s: str) -> str:
    return "".join(c for c in _dense(s) if c not in "，、")


def intact(doc: object, paragraphs: list[list[str]], *, fuzzy: bool) -> tuple[int, int]:
    """How many truth lead/body/ending paragraphs came out as one block with their role.

    Exact text (white space and pause marks aside) for Word and PDF; for OCR'd scans the best
    block must agree to 90 % (difflib ratio) — recognition errors are no assembly fault.
    """
    from difflib import SequenceMatcher

    blocks = [(_words(b.text), str(b.role)) for b in getattr(doc, "blocks", ())]
    ok = total = 0
    for role, text, _ in paragraphs:
        if role not in ("lead", "body", "ending"):
            continue
        total += 1
        want = _words(text)
        if fuzzy:
            best = max(blocks, key=lambda b: SequenceMatcher(None, b[0], want).ratio(), default=None)
            ok += best is not None and best[1] == role and SequenceMatcher(None, best[0], want).ratio() >= 0.9
        else:
            ok += (want, role) in blocks
    return ok, total


def evaluate(folder: Path, *, verbose: bool = False, pdf_dir: Path | None = None) -> dict[str, object]:
    records = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    pairs = agree = 0
    place_all: Counter[str] = Counter()
    place_ok: Counter[str] = Counter()
    cause_all: Counter[str] = Counter()
    cause_ok: Counter[str] = Counter()
    bad: list[str] = []
    para_ok = para_all = 0
    for rec in records:
        path = folder / rec["file"]
        result = gkcheck.check(path)
        rules = result.rules()
        got = {p: RULES[p] not in rules for p in RULES}
        feats = [f for f in rec["features"] if f.startswith("cause:")] or ["cause:(none)"]
        if pdf_dir is not None and across_pages(pdf_dir / (path.stem + ".pdf"), rec["paragraphs"]):
            feats.append("cause:para-across-page")
        a, b = intact(result.document, rec["paragraphs"], fuzzy=path.suffix == ".jpg")
        para_ok += a
        para_all += b
        wrong = []
        for place, want in rec["places"].items():
            ok = got[place] == want
            pairs += 1
            agree += ok
            place_all[place] += 1
            place_ok[place] += ok
            for f in feats:
                cause_all[f] += 1
                cause_ok[f] += ok
            if not ok:
                wrong.append(f"{place}: truth={want} got={got[place]}")
        if wrong:
            bad.append(f"{rec['file']}  " + "; ".join(wrong))
            if verbose and result.document is not None:
                o = outline(result.document)
                bad.append(f"    lead:   {(o.lead.text if o.lead else '')[:60]!r}")
                bad.append(f"    ending: {(o.ending.text if o.ending else '')[:60]!r}")
                for b in result.document.blocks:
                    bad.append(f"      {b.role!s:9s} {b.text[:70]!r}")
    n = len(records)
    pct = lambda a, b: f"{a}/{b} = {a / b:.3f}" if b else "0/0"  # noqa: E731
    print(f"== {folder}  ({n} reports)")
    print(f"pairs right: {pct(agree, pairs)}")
    print(f"paragraphs intact (one block, right role): {pct(para_ok, para_all)}")
    for p in RULES:
        print(f"  place {p:7s} {pct(place_ok[p], place_all[p])}")
    for f in sorted(cause_all):
        print(f"  {f:32s} {pct(cause_ok[f], cause_all[f])}")
    for line in bad:
        print("  x " + line)
    return {"pairs": pairs, "agree": agree, "paragraphs": (para_ok, para_all)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--build", metavar="SEED:COUNT")
    ap.add_argument("--formats", default="docx,pdf,scan")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    formats = a.formats.split(",")
    if a.build:
        from .news import build

        seed, count = (int(x) for x in a.build.split(":"))
        build(a.root, seed, count, pdf="pdf" in formats or "scan" in formats,
              scan=count if "scan" in formats else 0)
    summary = []
    for fmt in formats:
        pdf_dir = a.root / "pdf" if fmt != "docx" else None
        s = evaluate(a.root / fmt, verbose=a.verbose, pdf_dir=pdf_dir)
        summary.append((fmt, s))
        print()
    for fmt, s in summary:
        print(f"summary {fmt}: pairs {s['agree']}/{s['pairs']} = {int(s['agree']) / int(s['pairs']):.3f}"  # type: ignore[call-overload]
              f", paragraphs intact {s['paragraphs']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
