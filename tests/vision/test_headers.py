"""The plain JPEG/PNG header reader (``headers.py``) against Pillow, and decoding without
Pillow: the same header and the same pixels, and Pillow for everything that is not plain."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gkcheck.vision import imageio
from gkcheck.vision.headers import read_plain
from gkcheck.vision.imageio import ImageDecodeError, decode, sniff_format

ROOT = Path(__file__).resolve().parents[2]


def _pillow_header(data: bytes) -> tuple[str, tuple[int, int], str, int]:
    """What ``imageio`` reads through Pillow (an EXIF that cannot be read means upright)."""
    with Image.open(io.BytesIO(data)) as im:
        try:
            o = int(im.getexif().get(0x0112, 1))
        except Exception:  # noqa: BLE001 - as ``imageio._orientation``
            o = 1
        return str(im.format), im.size, im.mode, o if 1 <= o <= 8 else 1


def _photo(w: int = 64, h: int = 48) -> np.ndarray:
    rng = np.random.default_rng(1)
    arr = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
    arr[: h // 2, : w // 2] = (255, 0, 0)
    return arr


def _save(im: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def _exif(orientation: int, order: str = "<") -> bytes:
    """A TIFF block with one IFD0 entry, Orientation (SHORT) = ``orientation``."""
    head = (b"II*\x00" if order == "<" else b"MM\x00*") + struct.pack(order + "I", 8)
    entry = struct.pack(order + "HHIH2x", 0x0112, 3, 1, orientation)
    return head + struct.pack(order + "H", 1) + entry + struct.pack(order + "I", 0)


def _with_segment(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    """``jpeg`` with an APPn segment inserted right after SOI."""
    seg = bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + seg + jpeg[2:]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _with_chunk(png: bytes, kind: bytes, data: bytes) -> bytes:
    """``png`` with a chunk inserted right after IHDR."""
    return png[:33] + _chunk(kind, data) + png[33:]


PLAIN = {
    "jpeg rgb": _save(Image.fromarray(_photo()), "JPEG", quality=85),
    "jpeg progressive": _save(Image.fromarray(_photo()), "JPEG", progressive=True),
    "jpeg grey": _save(Image.fromarray(_photo()).convert("L"), "JPEG"),
    "jpeg cmyk": _save(Image.fromarray(_photo()).convert("CMYK"), "JPEG"),
    "png rgb": _save(Image.fromarray(_photo()), "PNG"),
    "png grey": _save(Image.fromarray(_photo()).convert("L"), "PNG"),
    "png rgba": _save(Image.fromarray(_photo()).convert("RGBA"), "PNG"),
    "png interlaced": _save(Image.fromarray(_photo()), "PNG", interlace=1),
}
for _o in range(1, 9):
    PLAIN[f"jpeg exif {_o}"] = _with_segment(PLAIN["jpeg rgb"], 0xE1, b"Exif\x00\x00" + _exif(_o))
PLAIN["jpeg exif big-endian 6"] = _with_segment(
    PLAIN["jpeg rgb"], 0xE1, b"Exif\x00\x00" + _exif(6, ">")
)
PLAIN["jpeg exif orientation 0"] = _with_segment(
    PLAIN["jpeg rgb"], 0xE1, b"Exif\x00\x00" + _exif(0)
)
PLAIN["png with text"] = _with_chunk(PLAIN["png rgb"], b"tEXt", b"Comment\x00a photo")


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_a_plain_header_reads_as_pillow_reads_it(name: str) -> None:
    data = PLAIN[name]
    got = read_plain(data, sniff_format(data))
    assert got is not None
    assert (got.format, got.size, got.mode, got.orientation) == _pillow_header(data)


def _rgb_trns() -> bytes:
    return _with_chunk(PLAIN["png rgb"], b"tRNS", b"\x00\x00\x00\x00\x00\x00")


NOT_PLAIN = {
    # two EXIF segments: Pillow joins them
    "jpeg two exif": _with_segment(PLAIN["jpeg exif 6"], 0xE1, b"Exif\x00\x00" + _exif(3)),
    # an orientation that is a LONG, not a SHORT
    "jpeg exif long": _with_segment(
        PLAIN["jpeg rgb"],
        0xE1,
        b"Exif\x00\x00II*\x00" + struct.pack("<IHHHII", 8, 1, 0x0112, 4, 1, 6),
    ),
    # the orientation given in XMP only
    "jpeg xmp orientation": _with_segment(
        PLAIN["jpeg rgb"],
        0xE1,
        b'http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta tiff:Orientation="6"/>',
    ),
    "jpeg no frame": PLAIN["jpeg rgb"][:2] + b"\xff\xd9",
    "jpeg cut in a segment": PLAIN["jpeg rgb"][:30],
    "png palette": _save(Image.fromarray(_photo()).convert("P"), "PNG"),
    "png grey alpha": _save(Image.fromarray(_photo()).convert("LA"), "PNG"),
    "png 16-bit": _save(Image.new("I;16", (20, 10), 4000), "PNG"),
    "png rgb trns": _rgb_trns(),
    "png exif chunk": _with_chunk(PLAIN["png rgb"], b"eXIf", _exif(6)),
    "png raw exif text": _with_chunk(PLAIN["png rgb"], b"tEXt", b"Raw profile type exif\x00..."),
    "png xmp": _with_chunk(PLAIN["png rgb"], b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00<x/>"),
    "png without iend": PLAIN["png rgb"][:-12],
}


@pytest.mark.parametrize("name", sorted(NOT_PLAIN))
def test_anything_unusual_is_left_to_pillow(name: str) -> None:
    data = NOT_PLAIN[name]
    assert read_plain(data, sniff_format(data)) is None


def test_other_formats_are_left_to_pillow() -> None:
    data = _save(Image.fromarray(_photo()), "BMP")
    assert read_plain(data, sniff_format(data)) is None


def _via_pillow(data: bytes, monkeypatch: pytest.MonkeyPatch, **kw: object) -> np.ndarray:
    with monkeypatch.context() as m:
        m.setattr(imageio, "read_plain", lambda raw, fmt: None)
        return decode(data, **kw).pixels  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_decoding_a_plain_file_gives_pillows_pixels(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JPEGs are decoded by OpenCV either way; PNGs by OpenCV here and by Pillow there, alpha
    composited on white by each (within one level of rounding)."""
    data = PLAIN[name]
    plain = decode(data)
    pil = _via_pillow(data, monkeypatch)
    assert plain.pixels.shape == pil.shape
    assert int(np.abs(plain.pixels.astype(int) - pil.astype(int)).max()) <= 1


def test_a_half_transparent_png_is_composited_on_white() -> None:
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 0] = 200  # red
    rgba[..., 3] = 128
    px = decode(_save(Image.fromarray(rgba, "RGBA"), "PNG")).pixels
    # 200 * 128/255 + 255 * 127/255 = 227.4 (red); 255 * 127/255 = 127 (green, blue)
    assert px[0, 0].tolist() == [127, 127, 227]


def test_the_orientation_is_applied_without_pillow() -> None:
    upright = decode(PLAIN["jpeg rgb"]).pixels
    turned = decode(PLAIN["jpeg exif 6"])
    assert turned.pixels.shape[:2] == upright.shape[1::-1]
    assert turned.full_size == (48, 64)


def test_a_huge_plain_header_is_refused_before_decoding() -> None:
    data = bytearray(PLAIN["png rgb"])
    data[16:24] = struct.pack(">II", 100_000, 100_000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    with pytest.raises(ImageDecodeError) as exc:
        decode(bytes(data))
    assert exc.value.reason == "too-large"


def test_a_corrupt_plain_png_is_named_by_pillow() -> None:
    """OpenCV cannot decode it, so Pillow does, and says what is wrong."""
    data = bytearray(PLAIN["png rgb"])
    idat = data.index(b"IDAT")
    data[idat + 10 : idat + 40] = bytes(30)
    with pytest.raises(ImageDecodeError) as exc:
        decode(bytes(data))
    assert exc.value.reason in ("corrupt", "truncated")


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (ROOT / "samples").rglob("*") if p.suffix.lower() in (".jpg", ".png")),
    ids=lambda p: str(p.relative_to(ROOT / "samples")),
)
def test_the_samples_headers_read_as_pillow_reads_them(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)  # the samples include bombs' headers
    data = path.read_bytes()
    got = read_plain(data, sniff_format(data))
    if got is not None:
        assert (got.format, got.size, got.mode, got.orientation) == _pillow_header(data)


def test_a_photo_and_a_template_are_decoded_without_importing_pillow() -> None:
    """Why the reader exists: ``gkcheck logo PHOTO`` no longer pays Pillow's imports."""
    code = (
        "import sys\n"
        "from gkcheck.vision.imageio import decode\n"
        "for p in sys.argv[1:]:\n"
        "    decode(p, max_side=512)\n"
        "print('PIL' in sys.modules or 'PIL.Image' in sys.modules)\n"
    )
    # named, not the first ``*.jpg`` a directory listing gives: the samples also hold
    # unreadable JPEGs (truncated, not an image, a bomb's header), and listing order differs
    # between file systems
    photo = ROOT / "samples" / "logo" / "pos-backdrop.jpg"
    template = ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png"
    out = subprocess.run(
        [sys.executable, "-c", code, str(photo), str(template)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


def test_every_pillow_import_goes_through_vision_pillow() -> None:
    """Pillow's own bomb limit is replaced in ``vision/pillow.py``; a module importing PIL
    directly would read a 108 MP photo under Pillow's limit when it happens to run first."""
    src = ROOT / "src" / "gkcheck"
    direct = []
    for path in sorted(src.rglob("*.py")):
        if path == src / "vision" / "pillow.py":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for k, line in enumerate(lines):
            # allowed only for type annotations (``if TYPE_CHECKING:`` just above)
            if line.strip().startswith(("from PIL", "import PIL")) and (
                lines[k - 1].strip() != "if TYPE_CHECKING:"
            ):
                direct.append(f"{path.relative_to(src)}:{k + 1}")
    assert direct == []
