"""The formats units really send: Word 97 ``.doc``, WPS ``.wps``, OFD and HEIC samples.

Run ``python -m gen.formats`` from ``samples/`` (needs LibreOffice ``soffice``; the OFD copies
of PDFs need a Python with the third-party writer ``easyofd`` installed, named by
``--ofd-python`` — a scratch virtualenv, never gkcheck's own; the tests only read the
committed output).

* ``samples/legacy/*.doc`` — Word samples saved by LibreOffice as Word 97–2003 (``--convert-to
  doc``), and ``*.wps`` the same bytes under WPS Office's name (WPS 2005 and later write Word
  97 binaries as ``.wps``).
* ``samples/ofd/easyofd/*.ofd`` — LibreOffice PDFs of Word samples converted by easyofd, a
  third-party OFD writer from the package registry (its quirks are kept: its own namespace,
  a ``size`` attribute, a page box in another unit, runs spread over whole lines, every image
  drawn on every page at one place).
* ``samples/ofd/hand/*.ofd`` — written here by hand from GB/T 33190: the standard namespace,
  a page template with a running header, ``PublicRes``/``DocumentRes``/``PageRes``, ``CTM``,
  ``DeltaX`` with the ``g`` shorthand, ``PageBlock`` nesting, a JPEG photo with its caption.
* ``samples/heic/*.heic`` — event photos of ``samples/logo`` encoded as HEIC with pillow-heif.

Determinism: the hand-made OFDs, the ``.doc`` files (same LibreOffice) and the HEIC files are
byte-identical on a re-run; easyofd names resources by time-based UUIDs, so its files differ
in those names (zip dates, document ID and creation date are fixed here).

Truth: ``expected.json`` in ``legacy/`` and ``ofd/`` maps each file to the Word truth it
derives from (``places``), and for the hand-made OFDs to what was written.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from gen.pdf import _run_soffice, load_word_truth  # noqa: E402

#: Word samples converted for the committed .doc/.wps set (a few kinds: table, text box …).
LEGACY = (
    "r003-all-true-table-1x1",
    "r004-one-missing-prefix",
    "r009-all-true-textbox",
    "r008-del-trap-table-1x2",
    "r015-all-false-softbreak",
    "r026-two-missing-style-heading1",
)
#: PDFs of samples/pdf/text converted by the third-party OFD writer for the committed set.
OFD_FROM_PDF = (
    "r003-all-true-table-1x1",
    "r005-all-true-style-title",
    "r007-one-missing-big-normal",
    "r011-two-missing-table-1x1",
    "r015-all-false-softbreak",
    "r023-one-missing-softbreak",
)
_FIXED = (2023, 6, 18, 9, 0, 0)


def to_legacy(docx: Sequence[Path], out_dir: Path, *, wps: bool = True) -> list[Path]:
    """Save each ``.docx`` as ``.doc`` with LibreOffice (and a ``.wps`` copy); returns all."""
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    if not docx:
        return []
    _run_soffice(
        ["--convert-to", "doc", "--outdir", str(out_dir), *[str(p.resolve()) for p in docx]],
        cwd=out_dir,
    )
    made: list[Path] = []
    for p in docx:
        doc = out_dir / (p.stem + ".doc")
        if not doc.exists():
            raise RuntimeError(f"LibreOffice did not produce {doc}")
        made.append(doc)
        if wps:
            shutil.copyfile(doc, doc.with_suffix(".wps"))
            made.append(doc.with_suffix(".wps"))
    return made


# easyofd assembles the package in ./test of the working folder and leaves it behind, so
# each file is converted in a fresh folder of its own; a file it cannot convert is skipped.
_EASYOFD = """
import os, sys, tempfile, traceback
from easyofd.ofd import OFD
for src, dst in zip(sys.argv[1::2], sys.argv[2::2]):
    os.chdir(tempfile.mkdtemp(prefix="easyofd-"))
    try:
        data = OFD().pdf2ofd(open(src, "rb").read(), optional_text=True)
    except Exception as exc:
        print("FAILED", src, type(exc).__name__, exc, flush=True)
        continue
    open(dst, "wb").write(data)
"""


def to_ofd(pdfs: Sequence[Path], out_dir: Path, python: str) -> list[Path]:
    """Convert PDFs to OFD with easyofd run by ``python`` (a scratch environment)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pairs: list[str] = []
    made: list[Path] = []
    for pdf in pdfs:
        dst = out_dir / (pdf.stem + ".ofd")
        pairs += [str(pdf), str(dst)]
        made.append(dst)
    for dst in made:
        dst.unlink(missing_ok=True)
    run = subprocess.run(
        [python, "-c", _EASYOFD, *pairs], check=True, capture_output=True, timeout=3600
    )
    for line in run.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("FAILED"):
            print("easyofd", line)
    made = [dst for dst in made if dst.exists() and dst.stat().st_size > 0]
    for dst in made:
        normalise_zip(dst)
    return made


def normalise_zip(path: Path) -> None:
    """Fixed entry dates and a fixed creation date, so re-running gives the same bytes."""
    with zipfile.ZipFile(path) as zf:
        parts = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            if name.endswith("OFD.xml"):
                data = _fixed_dates(data)
            info = zipfile.ZipInfo(name, _FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)


def _fixed_dates(data: bytes) -> bytes:
    import re

    data = re.sub(rb"<([\w:]*)CreationDate>[^<]*<", rb"<\1CreationDate>2023-06-18<", data)
    return re.sub(rb"<([\w:]*)DocID>[^<]*<", rb"<\1DocID>0000000000000000<", data)


def legacy_samples(word_dir: Path, out_dir: Path) -> int:
    """The committed .doc/.wps set and its truth."""
    truth = load_word_truth(word_dir)
    for old in out_dir.glob("*.doc"):
        old.unlink()
    made = to_legacy([word_dir / f"{n}.docx" for n in LEGACY], out_dir)
    expected = {p.name: truth[p.stem + ".docx"] for p in made}
    _write_truth(out_dir, expected)
    return len(made)


def ofd_samples(pdf_dir: Path, word_dir: Path, out_dir: Path, python: str | None) -> int:
    """The committed OFD set: easyofd copies of PDFs (when a writer is given) and hand-made."""
    from gen.ofd_hand import write_all

    truth = load_word_truth(word_dir)
    expected: dict[str, Any] = {}
    old_truth = out_dir / "expected.json"
    if old_truth.exists():
        expected = json.loads(old_truth.read_text(encoding="utf-8"))
    if python:
        made = to_ofd([pdf_dir / f"{n}.pdf" for n in OFD_FROM_PDF], out_dir / "easyofd", python)
        for p in made:
            expected[f"easyofd/{p.name}"] = truth[p.stem + ".docx"]
    for name, record in write_all(out_dir / "hand").items():
        expected[f"hand/{name}"] = record
    _write_truth(out_dir, expected)
    return len(expected)


def heic_samples(photo_dir: Path, out_dir: Path, names: Sequence[str]) -> int:
    """HEIC copies of event photos (pillow-heif's encoder), keeping the EXIF orientation."""
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        with Image.open(photo_dir / name) as im:
            exif = im.info.get("exif")
            kwargs: dict[str, Any] = {"quality": 65}
            if exif:
                kwargs["exif"] = exif
            im.convert("RGB").save(out_dir / (Path(name).stem + ".heic"), **kwargs)
    return len(names)


def _write_truth(out_dir: Path, expected: dict[str, Any]) -> None:
    (out_dir / "expected.json").write_text(
        json.dumps(dict(sorted(expected.items())), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ofd-python", help="a Python with easyofd installed (scratch venv)")
    parser.add_argument("only", nargs="*", default=["legacy", "ofd", "heic"])
    args = parser.parse_args(argv)
    if "legacy" in args.only:
        print("legacy:", legacy_samples(HERE / "word", HERE / "legacy"))
    if "ofd" in args.only:
        print("ofd:", ofd_samples(HERE / "pdf" / "text", HERE / "word", HERE / "ofd", args.ofd_python))
    if "heic" in args.only:
        print("heic:", heic_samples(HERE / "logo", HERE / "heic", HEIC_PHOTOS))


#: Event photos of samples/logo encoded as HEIC (LOGO present and absent).
HEIC_PHOTOS: tuple[str, ...] = (
    "pos-backdrop.jpg",
    "pos-banner-cast-lowlight.jpg",
    "pos-board-perspective.jpg",
    "pos-rotated-blur.jpg",
    "pos-screen-occluded.jpg",
    "pos-small.jpg",
    "neg-none.jpg",
    "neg-other-campaign.jpg",
    "neg-other-emblem.jpg",
    "neg-square-mark.jpg",
    "neg-text-only.jpg",
    "neg-text-title.jpg",
)


if __name__ == "__main__":
    main()
