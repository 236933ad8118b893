"""JPEG and PNG headers read straight from the bytes: size, channels and EXIF orientation.

Why not Pillow, which reads every format: ``PIL.Image.open`` first imports Pillow (~20 ms)
and then its format plugins (~40 ms). ``gkcheck logo PHOTO``, run once per photo by a CMS
hook, paid those 60 ms on every photo and template, a tenth of its process (issue 13 measures
the process against ``cv2.imread``, which pays neither). The photos and templates gkcheck
sees are JPEG and PNG; their headers are a few fixed fields.

Only plain headers are read here, and anything else gives None, so that Pillow reads it as
before: a JPEG without a frame header before its scan, with 12-bit samples, or with its EXIF
split over several segments; an orientation that is not one SHORT in IFD0, or one given in
XMP; a PNG that is not 8-bit grey, RGB or RGBA, that has a ``tRNS`` chunk, or that keeps
EXIF or XMP in its chunks. What this module returns is what ``Pillow`` reports for the same
bytes (``tests/vision/test_headers.py`` compares the two on the samples and on crafted
headers).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ImageHeader", "read_plain"]

#: start-of-frame markers (every coding process but the DHT/DAC/JPG/DNL markers in C4, C8, CC)
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_JPEG_MODES = {1: "L", 3: "RGB", 4: "CMYK"}
_PNG_MODES = {0: "L", 2: "RGB", 6: "RGBA"}
#: text-chunk keywords under which Pillow finds EXIF or XMP (and so perhaps an orientation)
_PNG_META_KEYS = (b"raw profile type exif", b"raw profile type app1", b"xml:com.adobe.xmp")
_XMP = b"http://ns.adobe.com/xap/1.0/\x00"


@dataclass(frozen=True)
class ImageHeader:
    """What the header says, read without decoding pixels (by this module, or by Pillow in
    ``imageio``)."""

    format: str
    size: tuple[int, int]  # (width, height) as stored, before EXIF rotation
    mode: str
    orientation: int  # EXIF orientation 1..8 (1 = upright)

    @property
    def upright_size(self) -> tuple[int, int]:
        w, h = self.size
        return (h, w) if self.orientation in (5, 6, 7, 8) else (w, h)


def read_plain(raw: bytes, fmt: str | None) -> ImageHeader | None:
    """The header of a plain JPEG or PNG (``fmt`` as ``imageio.sniff_format`` named it);
    None for any other format, and for anything unusual (Pillow then reads it)."""
    if fmt == "JPEG":
        return _jpeg(raw)
    if fmt == "PNG":
        return _png(raw)
    return None


def _jpeg(raw: bytes) -> ImageHeader | None:
    """Walk the segments up to the first scan: the frame header gives size and channels, the
    EXIF segment the orientation."""
    n = len(raw)
    i = 2
    frame: tuple[tuple[int, int], str] | None = None
    exif: bytes | None = None
    while i + 4 <= n:
        if raw[i] != 0xFF:
            return None
        m = raw[i + 1]
        if m == 0xFF:  # a fill byte before the marker
            i += 1
            continue
        if m == 0x01 or 0xD0 <= m <= 0xD7:  # markers without a length
            i += 2
            continue
        if m == 0xDA:  # start of scan: every header segment is behind us
            if frame is None:
                return None
            orientation = 1 if exif is None else _exif_orientation(exif)
            if orientation is None:
                return None
            return ImageHeader("JPEG", frame[0], frame[1], orientation)
        if m in (0xD8, 0xD9):
            return None
        length = int.from_bytes(raw[i + 2 : i + 4], "big")
        if length < 2 or i + 2 + length > n:
            return None
        seg = raw[i + 4 : i + 2 + length]
        if m in _SOF:
            if frame is not None or len(seg) < 6 or seg[0] != 8:
                return None
            h = int.from_bytes(seg[1:3], "big")
            w = int.from_bytes(seg[3:5], "big")
            mode = _JPEG_MODES.get(seg[5])
            if w == 0 or h == 0 or mode is None:  # height 0: given later by a DNL marker
                return None
            frame = ((w, h), mode)
        elif m == 0xE1 and seg.startswith(b"Exif\x00\x00"):
            if exif is not None:  # Pillow joins the segments
                return None
            exif = seg[6:]
        elif m == 0xE1 and seg.startswith(_XMP) and b"tiff:Orientation" in seg:
            return None
        i += 2 + length
    return None


def _exif_orientation(tiff: bytes) -> int | None:
    """Tag 0x0112 of IFD0: 1 when absent, None when present in any form but one SHORT."""
    if tiff[:4] == b"II*\x00":
        order = "little"
    elif tiff[:4] == b"MM\x00*":
        order = "big"
    else:
        return None

    def u(at: int, size: int) -> int:
        return int.from_bytes(tiff[at : at + size], order)  # type: ignore[arg-type]

    ifd = u(4, 4)
    if ifd < 8 or ifd + 2 > len(tiff):
        return None
    count = u(ifd, 2)
    if ifd + 2 + 12 * count > len(tiff):
        return None
    for k in range(count):
        at = ifd + 2 + 12 * k
        if u(at, 2) == 0x0112:
            if u(at + 2, 2) != 3 or u(at + 4, 4) != 1:
                return None
            value = u(at + 8, 2)
            return value if 1 <= value <= 8 else 1
    return 1


def _png(raw: bytes) -> ImageHeader | None:
    """IHDR gives size and colour type; the chunk walk looks for anything that would make
    Pillow's answer differ (transparency, EXIF or XMP)."""
    n = len(raw)
    if n < 33 or raw[12:16] != b"IHDR" or int.from_bytes(raw[8:12], "big") != 13:
        return None
    w = int.from_bytes(raw[16:20], "big")
    h = int.from_bytes(raw[20:24], "big")
    mode = _PNG_MODES.get(raw[25])
    if w == 0 or h == 0 or raw[24] != 8 or mode is None:
        return None
    i = 8
    while i + 8 <= n:
        length = int.from_bytes(raw[i : i + 4], "big")
        kind = raw[i + 4 : i + 8]
        if kind in (b"eXIf", b"tRNS"):
            return None
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            key = raw[i + 8 : i + 8 + min(length, 80)].split(b"\x00", 1)[0].lower()
            if key in _PNG_META_KEYS:
                return None
        if kind == b"IEND":
            return ImageHeader("PNG", (w, h), mode, 1)
        i += 12 + length
    return None  # no IEND: truncated, Pillow says how
