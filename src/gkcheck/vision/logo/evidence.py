"""The evidence image a reviewer looks at: the photo with the fitted quadrilateral drawn.

The quadrilateral is the template's outline mapped into the photo by the fitted warp (not an
axis-aligned box), so a reviewer sees at a glance whether the detector lined the LOGO up; the
score and the template's name are written beside it.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from ..imageio import decode

__all__ = ["evidence_jpeg"]


def evidence_jpeg(data: bytes, match: Any, *, max_side: int = 1200) -> bytes:
    """A downscaled JPEG of the photo with ``match``'s quad (green when found, red for the best
    candidate of a photo without the LOGO), its score and its template's name."""
    dec = decode(data, max_side=max_side)
    img = np.ascontiguousarray(dec.pixels)
    if max(img.shape[:2]) > max_side:
        f = max_side / max(img.shape[:2])
        img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    s = img.shape[1] / dec.full_size[0]
    if match.quad is not None:
        pts = np.array([[x * s, y * s] for x, y in match.quad], dtype=np.int32)
        colour = (0, 200, 0) if match.found else (0, 0, 255)
        thick = max(2, round(max(img.shape[:2]) / 400))
        cv2.polylines(img, [pts], True, colour, thick, cv2.LINE_AA)
        need = f"/{match.threshold:.2f}" if match.threshold is not None else ""
        label = f"{match.score:.2f}{need} {match.template or ''}"
        x, y = int(pts[:, 0].min()), int(pts[:, 1].min()) - 6
        y = y if y > 18 else int(pts[:, 1].max()) + 20
        for c, t in (((0, 0, 0), thick + 2), (colour, thick)):
            cv2.putText(img, label, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.6, c, t, cv2.LINE_AA)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise ValueError("could not encode the evidence image")
    return buf.tobytes()
