"""Safe decoding: limits, reduced JPEG decoding, orientation, odd modes, garbage."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

try:
    from gkcheck.vision.imageio import (
        DecodedImage,
        ImageDecodeError,
        decode,
        read_header,
        sniff_format,
    )
except ModuleNotFoundError:  # running from a bare checkout without an installed package
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    from gkcheck.vision.imageio import (
        DecodedImage,
        ImageDecodeError,
        decode,
        read_header,
        sniff_format,
    )

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "logo"


def _jpeg(w: int, h: int, **kw) -> bytes:
    rng = np.random.default_rng(0)
    arr = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
    arr[: h // 2, : w // 2] = (255, 0, 0)  # red top-left quadrant (RGB)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=90, **kw)
    return buf.getvalue()


def _png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def test_full_decode_is_bgr_and_sized() -> None:
    d = decode(_jpeg(320, 240))
    assert isinstance(d, DecodedImage)
    assert d.pixels.shape == (240, 320, 3) and d.pixels.dtype == np.uint8
    assert d.full_size == (320, 240) and d.scale == 1.0 and d.format == "JPEG"
    b, _g, r = d.pixels[10, 10]
    assert r > 200 and b < 60  # BGR order


@pytest.mark.parametrize(
    ("max_side", "expected_w"), [(1600, 1600), (800, 800), (400, 400), (200, 200), (700, 800)]
)
def test_jpeg_reduced_decoding(max_side: int, expected_w: int) -> None:
    d = decode(_jpeg(1600, 1200), max_side=max_side)
    assert d.pixels.shape[1] == expected_w
    assert d.full_size == (1600, 1200)
    assert d.scale == pytest.approx(expected_w / 1600)


def test_non_jpeg_is_resized_to_max_side() -> None:
    d = decode(_png(Image.new("RGB", (1000, 500), (0, 128, 255))), max_side=250)
    assert d.pixels.shape[:2] == (125, 250)
    assert d.scale == pytest.approx(0.25)


def test_exif_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW to display
    data = _jpeg(320, 240, exif=exif.tobytes())
    assert read_header(data).orientation == 6
    d = decode(data)
    assert d.pixels.shape[:2] == (320, 240)
    assert d.full_size == (240, 320)
    # the red quadrant (stored top-left) is displayed top-right
    b, _g, r = d.pixels[20, 220]
    assert r > 200 and b < 60


@pytest.mark.parametrize("mode", ["L", "LA", "RGBA", "P", "CMYK", "I;16", "1"])
def test_modes(mode: str) -> None:
    im = (
        Image.new("RGB", (64, 48), (200, 30, 30)).convert(mode)
        if mode != "I;16"
        else Image.new("I;16", (64, 48), 4000)
    )
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    if mode in ("LA", "RGBA"):
        im.putalpha(128)
    buf = io.BytesIO()
    im.save(buf, fmt)
    d = decode(buf.getvalue())
    assert d.pixels.shape == (48, 64, 3) and d.pixels.dtype == np.uint8


@pytest.mark.parametrize("fmt", ["BMP", "GIF", "TIFF", "WEBP"])
def test_formats(fmt: str) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 10)).save(buf, fmt)
    data = buf.getvalue()
    assert sniff_format(data) == fmt
    d = decode(data)
    assert d.pixels.shape == (30, 40, 3)
    assert d.pixels[15, 20, 1] > 150


def test_transparent_png_composited_on_white() -> None:
    d = decode(_png(Image.new("RGBA", (10, 10), (0, 0, 0, 0))))
    assert d.pixels.min() == 255


def test_huge_png_header_refused_without_decoding() -> None:
    data = (SAMPLES / "huge-header.png").read_bytes()
    assert len(data) < 200
    with pytest.raises(ImageDecodeError) as ei:
        decode(data)
    assert ei.value.reason == "too-large"


def test_huge_jpeg_header_refused() -> None:
    with pytest.raises(ImageDecodeError) as ei:
        decode(SAMPLES / "huge-header.jpg", max_side=1024)
    assert ei.value.reason == "too-large"


def test_pixel_limit_is_configurable() -> None:
    data = _jpeg(400, 300)
    with pytest.raises(ImageDecodeError):
        decode(data, max_pixels=100_000)
    assert decode(data, max_pixels=120_000).full_size == (400, 300)


def test_handcrafted_huge_sof() -> None:
    data = bytearray(_jpeg(16, 16))
    i = 2
    while True:
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker == 0xC0:
            data[i + 5 : i + 9] = struct.pack(">HH", 60000, 60000)
            break
        i += 2 + length
    with pytest.raises(ImageDecodeError) as ei:
        decode(bytes(data))
    assert ei.value.reason == "too-large"


def test_truncated_jpeg() -> None:
    with pytest.raises(ImageDecodeError) as ei:
        decode(SAMPLES / "truncated.jpg")
    assert ei.value.reason == "truncated"
    with pytest.raises(ImageDecodeError):
        decode(_jpeg(200, 100)[:300])


def test_not_an_image() -> None:
    with pytest.raises(ImageDecodeError) as ei:
        decode(SAMPLES / "not-an-image.jpg")
    assert ei.value.reason == "not-an-image"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xd8\xff",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 30,
        b"GIF89a" + b"\x01" * 10,
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    ],
)
def test_garbage_never_crashes(data: bytes) -> None:
    with pytest.raises(ImageDecodeError):
        decode(data)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImageDecodeError) as ei:
        decode(tmp_path / "nope.jpg")
    assert ei.value.reason == "io"


def test_corrupt_png_body() -> None:
    rng = np.random.default_rng(1)
    data = _png(Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)))
    with pytest.raises(ImageDecodeError):
        decode(data[: len(data) // 2])
