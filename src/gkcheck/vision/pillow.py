"""Pillow as gkcheck uses it: import ``Image`` (and its siblings) from here, not from PIL.

Pillow's own bomb check (a warning at 89 MP, an error at 179 MP) would refuse real 108-200 MP
phone photos before gkcheck's own limits (``limits.py``) are applied; importing this module
replaces it, once, for every reader of pictures in gkcheck. Before the eleventh session
``imageio`` did this as it imported Pillow; it now imports Pillow only for what its own
header reader (``headers.py``) leaves to it, so the setting lives here, where every import of
Pillow passes.
"""

from __future__ import annotations

from PIL import Image, ImageFile, ImageOps

from .limits import MAX_JPEG_PIXELS

__all__ = ["Image", "ImageFile", "ImageOps"]

if Image.MAX_IMAGE_PIXELS is not None and Image.MAX_IMAGE_PIXELS < MAX_JPEG_PIXELS:
    Image.MAX_IMAGE_PIXELS = MAX_JPEG_PIXELS
