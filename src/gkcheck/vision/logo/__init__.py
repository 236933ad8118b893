"""The campaign LOGO in photos: templates with their own mask, search, verification.

``from gkcheck.vision.logo import LogoDetector, LogoMatch, LogoTemplate`` is the public API;
how it works and what it was measured to do: docs/vision/logo.md.
"""

from __future__ import annotations

from ..imageio import ImageDecodeError
from .detector import DecodedAhead, LogoDetector, LogoMatch, decode_ahead, warm_up
from .template import LogoTemplate, is_demo_template

__all__ = [
    "DecodedAhead",
    "ImageDecodeError",
    "LogoDetector",
    "LogoMatch",
    "LogoTemplate",
    "decode_ahead",
    "is_demo_template",
    "warm_up",
]
