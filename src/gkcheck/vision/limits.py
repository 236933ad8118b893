"""The size limits every image decoder in gkcheck applies (``imageio``, and Pillow through
``pillow.py``): one place, so that the safe decoder and Pillow never disagree on what is a
bomb and what is a 108 MP phone photo."""

from __future__ import annotations

__all__ = [
    "BOMB_FLOOR",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PIXELS",
    "MAX_DECODED_PIXELS",
    "MAX_JPEG_PIXELS",
    "MAX_PIXELS_PER_BYTE",
]

#: Default refusal limit on the number of pixels declared by the header (formats decoded whole).
DEFAULT_MAX_PIXELS = 80_000_000
#: A JPEG may declare more: phones take 50-200 MP photos, which DCT scaling decodes at 1/2 to
#: 1/8 size without ever holding the full raster.
MAX_JPEG_PIXELS = 250_000_000
#: ... but a big picture must come with bytes to match: a real photo stores a pixel in well
#: under a byte; a flat colour still needs about a byte per 100 pixels. Thousands of pixels per
#: byte is a decompression bomb, whatever the format.
MAX_PIXELS_PER_BYTE = 1000
#: Declared sizes above this are judged by pixels per byte (small pictures cost nothing).
BOMB_FLOOR = 16_000_000
#: Pixels decoded at most: a larger JPEG is decoded at the smallest DCT reduction below this.
MAX_DECODED_PIXELS = 40_000_000
#: Refuse inputs larger than this many bytes (a phone JPEG is < 20 MB).
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
