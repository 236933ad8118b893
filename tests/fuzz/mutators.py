"""A seeded mutator over the committed samples: hostile variants of real .docx, PDF and images.

Every mutant is a function of ``(seed, index)`` alone, so a failure found in a long run is
rebuilt exactly by its number. Mutations follow what broke readers before (issue 12): zip
and XML damage, DTDs in UTF-16 or after padding, sizes declared by a header that lie, PDF
streams corrupted or inflating to hundreds of MB, picture headers with absurd dimensions.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SAMPLES", "Mutant", "mutants", "sources"]

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


@dataclass(frozen=True)
class Mutant:
    """One hostile file: its name (suffix chosen by the mutation) and bytes."""

    index: int
    source: str
    mutation: str
    name: str
    data: bytes


def sources() -> list[Path]:
    """A small fixed set of real inputs of each kind (sorted, so runs are reproducible)."""
    picks: list[Path] = []
    picks += sorted((SAMPLES / "word").glob("r00[1-5]*.docx"))
    picks += sorted((SAMPLES / "pdf" / "text").glob("*.pdf"))[:3]
    picks += sorted((SAMPLES / "images").rglob("*.jpg"))[:3]
    picks += sorted((SAMPLES / "images").rglob("*.png"))[:2]
    return picks


# -- byte level ------------------------------------------------------------------------------


def _flip(rng: random.Random, data: bytes, n: int, lo: int = 0, hi: int | None = None) -> bytes:
    b = bytearray(data)
    hi = len(b) if hi is None else min(hi, len(b))
    for _ in range(n):
        if hi > lo:
            b[rng.randrange(lo, hi)] = rng.randrange(256)
    return bytes(b)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


# -- docx ------------------------------------------------------------------------------------


def _rezip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():  # fixed dates: the same mutant, byte for byte
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


_DOCX = (
    "xml-truncate", "xml-flip", "utf16", "doctype-padded", "doctype-utf16", "drop-part",
    "deep-nesting", "size-lie", "zip-flip", "bad-media", "encoding-decl",
)


def _docx(rng: random.Random, data: bytes, how: str) -> bytes:
    if how == "zip-flip":
        return _flip(rng, data, rng.randint(1, 40))
    if how == "size-lie":  # declared uncompressed sizes in the central directory lie
        b = bytearray(data)
        pos = b.find(b"PK\x01\x02")
        while pos >= 0:
            if rng.random() < 0.5:
                struct.pack_into("<I", b, pos + 24, rng.choice([0, 1, 2**31, 2**32 - 1]))
            pos = b.find(b"PK\x01\x02", pos + 4)
        return bytes(b)
    parts = _parts(data)
    doc = "word/document.xml"
    xml = parts.get(doc, b"")
    if how == "xml-truncate":
        parts[doc] = xml[: rng.randrange(1, max(2, len(xml)))]
    elif how == "xml-flip":
        parts[doc] = _flip(rng, xml, rng.randint(1, 30))
    elif how == "utf16":
        parts[doc] = xml.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    elif how in ("doctype-padded", "doctype-utf16"):
        head, sep, rest = xml.partition(b"?>")
        pad = b" " * rng.choice([10, 5000, 9000, 70000])
        dtd = b'<!DOCTYPE d [<!ENTITY x "' + b"A" * 50 + b'">]>'
        body = head + sep + pad + dtd + rest.replace(b"</w:body>", b"&x;</w:body>")
        parts[doc] = body if how == "doctype-padded" else body.decode().encode("utf-16")
    elif how == "drop-part":
        victim = rng.choice(sorted(parts))
        parts.pop(victim)
    elif how == "deep-nesting":
        depth = rng.choice([200, 1000, 5000])
        parts[doc] = xml.replace(b"</w:body>", b"<w:p>" * depth + b"</w:p>" * depth + b"</w:body>")
    elif how == "bad-media":
        for name in sorted(parts):
            if name.startswith("word/media/"):
                parts[name] = _flip(rng, parts[name][:64], 8) + parts[name][64:200]
    elif how == "encoding-decl":
        enc = rng.choice(["GB18030", "latin-1", "bogus-enc", "UTF-32"])
        parts[doc] = xml.replace(b'encoding="UTF-8"', f'encoding="{enc}"'.encode())
    return _rezip(parts)


# -- pdf -------------------------------------------------------------------------------------

_PDF = ("stream-flip", "truncate", "no-eof", "flip", "inflate-bomb", "xref-lie", "length-lie")


def _pdf(rng: random.Random, data: bytes, how: str) -> bytes:
    if how == "truncate":
        return _truncate(rng, data)
    if how == "no-eof":
        return data.replace(b"%%EOF", b"%%EOX")
    if how == "flip":
        return _flip(rng, data, rng.randint(1, 60))
    if how == "stream-flip":
        s = data.find(b"stream", rng.randrange(max(1, len(data) // 2)))
        if s < 0:
            s = data.find(b"stream")
        return _flip(rng, data, rng.randint(5, 80), s, s + 4000)
    if how == "xref-lie":
        return data.replace(b"startxref", b"startxref\n" + str(rng.randrange(10**6)).encode(), 1)
    if how == "length-lie":
        return data.replace(b"/Length ", b"/Length 9", rng.randint(1, 4))
    # inflate-bomb: a one-page PDF whose content inflates to tens of MB of NULs
    size = rng.choice([20, 60]) * 1024 * 1024
    return _bomb_pdf(size)


def _bomb_pdf(size: int) -> bytes:
    content = zlib.compress(b"\0" * size, 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


# -- images ----------------------------------------------------------------------------------

_IMG = ("header-flip", "truncate", "huge-dims", "flip", "zero-dims")


def _image(rng: random.Random, data: bytes, how: str) -> bytes:
    if how == "header-flip":
        return _flip(rng, data, rng.randint(1, 20), 0, 600)
    if how == "truncate":
        return _truncate(rng, data)
    if how == "flip":
        return _flip(rng, data, rng.randint(1, 200))
    b = bytearray(data)
    w, h = (60000, 60000) if how == "huge-dims" else (0, 0)
    if b[:2] == b"\xff\xd8":
        pos = max(b.find(b"\xff\xc0"), b.find(b"\xff\xc2"))
        if pos > 0:
            struct.pack_into(">HH", b, pos + 5, h, w)
    elif b[:4] == b"\x89PNG":
        struct.pack_into(">II", b, 16, w, h)
    return bytes(b)


def mutants(seed: int, count: int, start: int = 0) -> list[Mutant]:
    """Mutants ``start`` … ``start + count - 1``, each a pure function of ``(seed, index)``."""
    srcs = sources()
    cache = {p: p.read_bytes() for p in srcs}
    out: list[Mutant] = []
    for i in range(start, start + count):
        rng = random.Random(f"{seed}:{i}")
        src = srcs[i % len(srcs)]
        data = cache[src]
        suffix = src.suffix.lower()
        if suffix == ".docx":
            how = rng.choice(_DOCX)
            new = _docx(rng, data, how)
        elif suffix == ".pdf":
            how = rng.choice(_PDF)
            new = _pdf(rng, data, how)
        else:
            how = rng.choice(_IMG)
            new = _image(rng, data, how)
        out.append(Mutant(i, src.name, how, f"m{i:05d}-{how}{suffix}", new))
    return out
