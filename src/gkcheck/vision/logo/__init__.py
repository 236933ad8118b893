"""The campaign LOGO in photos: templates with their own mask, search, verification.

``from gkcheck.vision.logo import LogoDetector, LogoMatch, LogoTemplate`` is the public API;
how it works and what it was measured to do: docs/vision/logo.md.
"""

from __future__ import annotations

from ..imageio import ImageDecodeError
from .detector import LogoDetector, LogoMatch, warm_up
from .template import LogoTemplate, is_demo_template

__all__ = [
    "ImageDecodeError",
    "LogoDetector",
    "LogoMatch",
    "LogoTemplate",
    "is_demo_template",
    "warm_up",
]
