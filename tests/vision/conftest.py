"""Templates the LOGO tests share."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from gkcheck.vision.logo import LogoTemplate


@pytest.fixture(scope="session")
def other_design() -> LogoTemplate:
    """A design that is not the campaign's LOGO: a green panel crossed by a white stroke above
    a row of black bars (drawn, no font)."""
    im = np.full((240, 300, 3), 255, np.uint8)
    cv2.rectangle(im, (20, 20), (280, 150), (30, 120, 30), -1)
    cv2.line(im, (40, 140), (260, 30), (255, 255, 255), 14)
    for k in range(5):
        cv2.rectangle(im, (25 + 55 * k, 175), (60 + 55 * k, 225), (20, 20, 20), -1)
    return LogoTemplate.from_array(im, name="other")
