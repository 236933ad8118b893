"""HEIC/HEIF photos (iPhones): decoded by pillow-heif behind the same limits as JPEG.

``samples/heic`` holds the LOGO sample photos of ``samples/logo`` encoded as HEIC by
``samples/gen/formats.py``; each must get the LOGO verdict its JPEG original gets.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gkcheck.config import Config
from gkcheck.parsers.base import ParseOptions
from gkcheck.parsers.image import ImageParser
from gkcheck.plugins import Registry
from gkcheck.vision import imageio
from gkcheck.vision.banner_reader import decode_image
from gkcheck.vision.imageio import ImageDecodeError, decode, read_header, sniff_format
from gkcheck.vision.logo import LogoDetector, LogoTemplate

ROOT = Path(__file__).resolve().parents[2]
HEIC = ROOT / "samples" / "heic"
JPEG = ROOT / "samples" / "logo"
NAMES = sorted(p.name for p in HEIC.glob("*.heic"))


@pytest.fixture(scope="module")
def detector() -> LogoDetector:
    return LogoDetector([LogoTemplate.load(ROOT / "src/gkcheck/data/logo/sample-logo.png")])


def test_samples_cover_both_verdicts() -> None:
    assert len(NAMES) >= 10
    assert any(n.startswith("pos-") for n in NAMES) and any(n.startswith("neg-") for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_logo_verdict_same_as_jpeg(detector: LogoDetector, name: str) -> None:
    heic = detector.detect(HEIC / name)
    jpeg = detector.detect(JPEG / (Path(name).stem + ".jpg"))
    assert heic.found is jpeg.found is name.startswith("pos-")


def test_header_and_pixels_match_the_jpeg() -> None:
    data = (HEIC / "pos-backdrop.heic").read_bytes()
    assert sniff_format(data[:64]) == "HEIF"
    header = read_header(data)
    original = decode(JPEG / "pos-backdrop.jpg")
    assert header.format == "HEIF"
    assert header.size == original.full_size
    pixels = decode(data).pixels
    assert pixels.shape == original.pixels.shape
    diff = np.abs(pixels.astype(np.int16) - original.pixels.astype(np.int16)).mean()
    assert diff < 8  # the same picture, re-encoded


def test_pixel_limit_applies_before_decoding() -> None:
    data = (HEIC / "pos-small.heic").read_bytes()
    with pytest.raises(ImageDecodeError) as info:
        decode(data, max_pixels=10_000)
    assert info.value.reason == "too-large"


def test_without_pillow_heif_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imageio, "_HEIF_READY", False)
    with pytest.raises(ImageDecodeError) as info:
        decode(HEIC / "neg-none.heic")
    assert info.value.reason == "unsupported" and "pillow-heif" in info.value.message


def test_image_parser_and_registry_take_heic(tmp_path: Path) -> None:
    path = HEIC / "pos-small.heic"
    reg = Registry.build(Config(), load_entrypoints=False)
    by_suffix, by_content = reg.parser_for(path, path.read_bytes()[:8192])
    assert isinstance(by_suffix, ImageParser) and by_content is by_suffix
    renamed = tmp_path / "photo.heif"
    renamed.write_bytes(path.read_bytes())
    doc = ImageParser().parse(renamed, ParseOptions(ocr=False))
    assert [(p.width, p.height) for p in doc.photos] == [read_header(path).size]


def test_banner_reader_decodes_heic() -> None:
    pixels, scale = decode_image(HEIC / "neg-text-title.heic")
    assert pixels.ndim == 3 and pixels.shape[2] == 3 and scale >= 1.0
