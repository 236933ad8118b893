"""Safe image decoding for the vision layer.

``decode(data, max_side=...)`` turns untrusted bytes (or a path) into a BGR
``numpy`` array, never crashing on hostile input:

* the format is sniffed from the magic bytes and the header is read without
  decoding pixels (a plain JPEG or PNG header by ``headers.py``, anything else by
  ``PIL.Image.open``, which is lazy), so a file whose header declares an absurd
  size (e.g. 30000x30000) is refused *before* any pixel memory is allocated:
  ``ImageDecodeError("too-large", ...)``;
* JPEGs are decoded at a reduced resolution by libjpeg's DCT scaling
  (``cv2.IMREAD_REDUCED_COLOR_{2,4,8}``): 1/2, 1/4, 1/8 decoding is 1.5-2.5x
  cheaper than a full decode and never allocates the full-size raster;
  the largest reduction that still gives a long side >= ``max_side`` is used;
* EXIF orientation is applied (the returned pixels are upright; ``full_size``
  is the upright full-resolution size);
* PNG/BMP/WEBP/TIFF/GIF and CMYK / greyscale / palette / alpha / 16-bit images
  are converted to 8-bit BGR (alpha composited on white);
* truncated, corrupt or non-image bytes raise ``ImageDecodeError`` with a
  machine-readable ``reason`` and a human message.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

from .headers import ImageHeader, read_plain
from .limits import (
    BOMB_FLOOR,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PIXELS,
    MAX_DECODED_PIXELS,
    MAX_JPEG_PIXELS,
    MAX_PIXELS_PER_BYTE,
)

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "DecodedImage",
    "ImageDecodeError",
    "ImageHeader",
    "check_pixels",
    "decode",
    "enable_heif",
    "read_header",
    "sniff_format",
]

_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "JPEG"),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG"),
    (b"GIF87a", 0, "GIF"),
    (b"GIF89a", 0, "GIF"),
    (b"BM", 0, "BMP"),
    (b"II*\x00", 0, "TIFF"),
    (b"MM\x00*", 0, "TIFF"),
)


class ImageDecodeError(ValueError):
    """Raised when an image cannot (or must not) be decoded.

    ``reason`` is one of: ``"empty"``, ``"not-an-image"``, ``"unsupported"``,
    ``"too-large"``, ``"truncated"``, ``"corrupt"``, ``"io"``.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class DecodedImage:
    """Decoded pixels plus the geometry needed to map back to full resolution.

    ``pixels`` is an upright ``HxWx3 uint8`` BGR array; ``full_size`` is the
    upright full-resolution ``(width, height)``; ``scale`` = pixels width /
    full width (1.0 when not reduced). A point ``p`` in ``pixels`` is at
    ``p / scale`` in the full-resolution image.
    """

    pixels: np.ndarray
    full_size: tuple[int, int]
    scale: float
    format: str

    @property
    def size(self) -> tuple[int, int]:
        return (int(self.pixels.shape[1]), int(self.pixels.shape[0]))


def sniff_format(data: bytes) -> str | None:
    """Return the format named by the magic bytes, or None."""
    for magic, off, name in _MAGIC:
        if data[off : off + len(magic)] == magic:
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return _sniff_heif(data)


#: ISO-BMFF brands of HEIF still images (HEVC-coded HEIC from phones, and the generic ones).
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})


def _sniff_heif(data: bytes) -> str | None:
    """``"HEIF"`` for an iPhone-style HEIC/HEIF photo (an ``ftyp`` box naming a HEIF brand)."""
    if data[4:8] != b"ftyp" or len(data) < 16:
        return None
    box = int.from_bytes(data[:4], "big")
    brands = [data[8:12]] + [data[i : i + 4] for i in range(16, min(box, 64, len(data)) - 3, 4)]
    return "HEIF" if any(b in _HEIF_BRANDS for b in brands) else None


def enable_heif() -> bool:
    """Teach Pillow to open HEIC/HEIF (pillow-heif); False when pillow-heif is missing.

    Called before a HEIF header is read, so the same lazy header check, pixel limit and
    decode path serve HEIC as JPEG. Other readers of photos (thumbnails, sizes) may call it
    too; it registers once.
    """
    global _HEIF_READY
    if _HEIF_READY is None:
        try:
            import pillow_heif

            from . import pillow  # noqa: F401 - gkcheck's pixel limits, before the opener

            pillow_heif.register_heif_opener()
            _HEIF_READY = True
        except ImportError:
            _HEIF_READY = False
    return _HEIF_READY


_HEIF_READY: bool | None = None


def _read_bytes(src: bytes | bytearray | memoryview | str | Path, max_bytes: int) -> bytes:
    if isinstance(src, (bytes, bytearray, memoryview)):
        data = bytes(src)
    else:
        from gkcheck.safeio import Refused, read_limited

        p = Path(src)
        try:
            data = read_limited(p, limit=max_bytes)
        except Refused as exc:
            reason = "too-large" if exc.reason == "too-large" else "io"
            raise ImageDecodeError(reason, f"{p.name}: {exc.refusal.text('en')}") from exc
    if len(data) > max_bytes:
        raise ImageDecodeError("too-large", f"input is {len(data)} bytes (limit {max_bytes})")
    if not data:
        raise ImageDecodeError("empty", "no bytes")
    return data


def _open_lazy(data: bytes) -> Image.Image:
    from .pillow import Image

    fmt = sniff_format(data)
    if fmt is None:
        raise ImageDecodeError(
            "not-an-image", "unrecognised file signature (not JPEG/PNG/GIF/BMP/TIFF/WEBP/HEIC)"
        )
    if fmt == "HEIF" and not enable_heif():
        raise ImageDecodeError("unsupported", "HEIC/HEIF needs pillow-heif, which is not installed")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageDecodeError("too-large", f"header declares an absurd size ({exc})") from exc
    except Exception as exc:  # PIL raises many types on garbage
        raise ImageDecodeError("corrupt", f"unreadable {fmt} header: {exc}") from exc
    return im


def _orientation(im: Image.Image) -> int:
    try:
        o = int(im.getexif().get(0x0112, 1))
    except Exception:  # noqa: BLE001 - any EXIF parsing failure means "upright"
        return 1
    return o if 1 <= o <= 8 else 1


def read_header(
    data: bytes | bytearray | memoryview | str | Path, *, max_pixels: int | None = None
) -> ImageHeader:
    """Read format, size, mode and EXIF orientation without decoding pixels.

    Raises ``ImageDecodeError("too-large")`` for sizes :func:`check_pixels` refuses.
    """
    raw = _read_bytes(data, DEFAULT_MAX_BYTES)
    plain = _plain_header(raw, max_pixels)
    if plain is not None:
        return plain
    im = _open_lazy(raw)
    return _header_of(im, max_pixels, len(raw))


def _plain_header(raw: bytes, max_pixels: int | None) -> ImageHeader | None:
    """The header of a plain JPEG or PNG (``headers.read_plain``), checked like Pillow's;
    None when Pillow must read it."""
    plain = read_plain(raw, sniff_format(raw))
    if plain is not None:
        check_pixels(plain.format, *plain.size, len(raw), max_pixels)
    return plain


def check_pixels(fmt: str, w: int, h: int, nbytes: int, max_pixels: int | None = None) -> None:
    """Refuse (``ImageDecodeError("too-large")``) a size no real picture of ``nbytes`` has.

    Without ``max_pixels``, JPEGs may declare up to :data:`MAX_JPEG_PIXELS` (they are
    decoded DCT-scaled) and other formats up to :data:`DEFAULT_MAX_PIXELS` (they are decoded
    whole); a caller's ``max_pixels`` applies to every format. Either way a big picture with
    more than :data:`MAX_PIXELS_PER_BYTE` pixels per byte of file is a bomb.
    """
    if w <= 0 or h <= 0:
        raise ImageDecodeError("corrupt", f"header declares an empty image ({w}x{h})")
    pixels = w * h
    if max_pixels is not None:
        limit = max_pixels
    else:
        limit = MAX_JPEG_PIXELS if fmt == "JPEG" else DEFAULT_MAX_PIXELS
    if pixels > limit:
        raise ImageDecodeError(
            "too-large",
            f"header declares {w}x{h} = {pixels / 1e6:.0f} MP (limit {limit / 1e6:.0f} MP)",
        )
    if pixels > BOMB_FLOOR and pixels > MAX_PIXELS_PER_BYTE * max(nbytes, 1):
        raise ImageDecodeError(
            "too-large",
            f"header declares {w}x{h} = {pixels / 1e6:.0f} MP in {nbytes} bytes "
            f"(over {MAX_PIXELS_PER_BYTE} pixels per byte: a decompression bomb)",
        )


def _header_of(im: Image.Image, max_pixels: int | None, nbytes: int) -> ImageHeader:
    w, h = im.size
    check_pixels(str(im.format), w, h, nbytes, max_pixels)
    return ImageHeader(
        format=str(im.format), size=(w, h), mode=str(im.mode), orientation=_orientation(im)
    )


def _apply_orientation(px: np.ndarray, orientation: int) -> np.ndarray:
    if orientation == 1:
        return px
    if orientation == 2:
        return cv2.flip(px, 1)
    if orientation == 3:
        return cv2.rotate(px, cv2.ROTATE_180)
    if orientation == 4:
        return cv2.flip(px, 0)
    if orientation == 5:
        return cv2.flip(cv2.rotate(px, cv2.ROTATE_90_CLOCKWISE), 1)
    if orientation == 6:
        return cv2.rotate(px, cv2.ROTATE_90_CLOCKWISE)
    if orientation == 7:
        return cv2.flip(cv2.rotate(px, cv2.ROTATE_90_COUNTERCLOCKWISE), 1)
    if orientation == 8:
        return cv2.rotate(px, cv2.ROTATE_90_COUNTERCLOCKWISE)
    return px


_REDUCED = {
    1: cv2.IMREAD_COLOR,
    2: cv2.IMREAD_REDUCED_COLOR_2,
    4: cv2.IMREAD_REDUCED_COLOR_4,
    8: cv2.IMREAD_REDUCED_COLOR_8,
}


def _jpeg_factor(w: int, h: int, max_side: int | None) -> int:
    if not max_side:
        return 1
    long_side = max(w, h)
    f = 1
    while f < 8 and long_side / (f * 2) >= max_side:
        f *= 2
    return f


def _budget_factor(w: int, h: int) -> int:
    """The smallest DCT reduction that keeps the decoded raster within MAX_DECODED_PIXELS."""
    f = 1
    while f < 8 and (-(-w // f)) * (-(-h // f)) > MAX_DECODED_PIXELS:
        f *= 2
    return f


def _pil_to_bgr(im: Image.Image) -> np.ndarray:
    from .pillow import Image

    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        bg.alpha_composite(im)
        im = bg.convert("RGB")
    elif im.mode in ("I;16", "I;16B", "I;16L", "I"):
        a = np.asarray(im, dtype=np.float64)
        hi = float(a.max()) if a.size else 1.0
        a = (a * (255.0 / (hi if hi > 255 else 255.0))).clip(0, 255).astype(np.uint8)
        return cv2.cvtColor(a, cv2.COLOR_GRAY2BGR)
    elif im.mode == "F":
        a = np.asarray(im, dtype=np.float64)
        a = np.nan_to_num(a)
        lo, hi = float(a.min()), float(a.max())
        a = ((a - lo) * (255.0 / max(hi - lo, 1e-9))).astype(np.uint8)
        return cv2.cvtColor(a, cv2.COLOR_GRAY2BGR)
    elif im.mode != "RGB":
        im = im.convert("RGB")
    return cv2.cvtColor(np.asarray(im), cv2.COLOR_RGB2BGR)


#: True once this process has decoded pixels: OpenCV's thread pool may then be running, and a
#: process forked from it can deadlock inside that pool (a batch run from a host that checked
#: photos first). :func:`gkcheck.batch.runner` starts its workers another way then.
pixels_touched = False


def mark_pixels_touched() -> None:
    """Record that OpenCV did pixel work in this process (see :data:`pixels_touched`)."""
    global pixels_touched
    pixels_touched = True


def decode(
    data: bytes | bytearray | memoryview | str | Path,
    *,
    max_side: int | None = None,
    max_pixels: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> DecodedImage:
    """Decode an image safely.

    ``max_side``: wanted long side; JPEGs use the cheapest DCT reduction whose
    long side is still >= max_side, other formats are decoded fully (their
    header size was already checked) and then downscaled with INTER_AREA.
    The result's long side is therefore <= max_side only for non-JPEG input;
    for JPEG it lies in [max_side, 2*max_side) unless the image is smaller.
    ``None`` decodes at full resolution, except that a JPEG over
    :data:`MAX_DECODED_PIXELS` (a 108 MP phone photo) is always DCT-reduced below it, so
    memory stays bounded; ``scale`` says by how much.
    """
    mark_pixels_touched()
    raw = _read_bytes(data, max_bytes)
    # Pillow only when the header is not plain JPEG/PNG, or when OpenCV cannot decode it
    im: Image.Image | None = None
    hdr = _plain_header(raw, max_pixels)
    if hdr is None:
        im = _open_lazy(raw)
        hdr = _header_of(im, max_pixels, len(raw))
    full_w, full_h = hdr.upright_size
    px: np.ndarray | None = None

    if hdr.format == "PNG" and im is None:
        px = _decode_plain_png(raw, hdr)
        if px is None:
            px = _decode_pil(_open_lazy(raw))
    elif hdr.format == "JPEG" and hdr.mode in ("RGB", "L", "CMYK", "YCbCr"):
        factor = max(
            _jpeg_factor(hdr.size[0], hdr.size[1], max_side), _budget_factor(*hdr.size)
        )
        buf = np.frombuffer(raw, dtype=np.uint8)
        flags = _REDUCED[factor] | cv2.IMREAD_IGNORE_ORIENTATION
        try:
            px = cv2.imdecode(buf, flags)
        except cv2.error:
            px = None
        if px is not None:
            exp_w = -(-hdr.size[0] // factor)
            if abs(px.shape[1] - exp_w) > 1:
                px = None  # defensive: unexpected geometry, fall back to Pillow
        if px is not None and _jpeg_truncated(raw):
            raise ImageDecodeError("truncated", "JPEG data ends before the end-of-image marker")
        if px is None:
            # Pillow fallback with draft() (same DCT scaling, also handles odd JPEGs)
            im = im or _open_lazy(raw)
            want = (max(1, hdr.size[0] // factor), max(1, hdr.size[1] // factor))
            im.draft("RGB", want)
            px = _decode_pil(im)
    else:
        px = _decode_pil(im or _open_lazy(raw))

    px = _apply_orientation(px, hdr.orientation)
    if px.ndim == 2:
        px = cv2.cvtColor(px, cv2.COLOR_GRAY2BGR)
    elif px.shape[2] == 4:
        px = cv2.cvtColor(px, cv2.COLOR_BGRA2BGR)
    if max_side and max(px.shape[:2]) > max_side and hdr.format != "JPEG":
        s = max_side / max(px.shape[:2])
        px = cv2.resize(
            px,
            (max(1, round(px.shape[1] * s)), max(1, round(px.shape[0] * s))),
            interpolation=cv2.INTER_AREA,
        )
    scale = px.shape[1] / full_w
    return DecodedImage(
        pixels=np.ascontiguousarray(px), full_size=(full_w, full_h), scale=scale, format=hdr.format
    )


def _decode_plain_png(raw: bytes, hdr: ImageHeader) -> np.ndarray | None:
    """A plain PNG (8-bit grey, RGB or RGBA: ``headers.py``) decoded by OpenCV, as Pillow's
    path would give it: alpha composited on white. None when OpenCV cannot decode it or gives
    other geometry (Pillow then decodes it, and names what is wrong)."""
    try:
        px = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_UNCHANGED)
    except cv2.error:
        return None
    channels = {"L": 1, "RGB": 3, "RGBA": 4}[hdr.mode]
    if (
        px is None
        or px.dtype != np.uint8
        or (px.shape[1], px.shape[0]) != hdr.size
        or (px.shape[2] if px.ndim == 3 else 1) != channels
    ):
        return None
    if channels == 4:
        a = px[..., 3:4].astype(np.float32) / 255.0
        px = px[..., :3].astype(np.float32) * a + 255.0 * (1.0 - a)
        px = np.rint(px).astype(np.uint8)
    return px


def _jpeg_truncated(raw: bytes) -> bool:
    """True when no end-of-image marker follows the last start-of-scan.

    libjpeg pads a truncated stream with grey and only warns, so detect it
    here. (EXIF thumbnails end with their own EOI early in the file, and some
    phones append trailers after the EOI: both are handled.)
    """
    last_sos = raw.rfind(b"\xff\xda")
    return last_sos < 0 or raw.find(b"\xff\xd9", last_sos) < 0


def _decode_pil(im: Image.Image) -> np.ndarray:
    from .pillow import ImageFile

    prev = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        im.load()
    except (OSError, SyntaxError) as exc:
        msg = str(exc)
        reason = (
            "truncated"
            if "truncat" in msg.lower() or "broken data stream" in msg.lower()
            else "corrupt"
        )
        raise ImageDecodeError(reason, f"cannot decode {im.format}: {msg}") from exc
    except (ValueError, EOFError, MemoryError) as exc:
        raise ImageDecodeError("corrupt", f"cannot decode {im.format}: {exc}") from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = prev
    try:
        if getattr(im, "n_frames", 1) > 1:
            im.seek(0)
        return _pil_to_bgr(im)
    except Exception as exc:
        raise ImageDecodeError("corrupt", f"cannot convert {im.format} pixels: {exc}") from exc
