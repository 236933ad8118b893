"""What the photos show: which carry the campaign LOGO, and what the banner says.

Both are facts of the submission, computed at most once and in a fixed order: the banner is
looked for first in the photos that show the LOGO (the backdrop with the LOGO usually carries
the banner), so reading the banner asks for the LOGO verdicts itself instead of hoping another
check ran before it. The search is lazy — the LOGO search stops at the first photo that shows
it unless every verdict is wanted (evidence images, reviewers' reports) — and memoised, so the
photo rules, the banner rules and the writers all see the same verdicts.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gkcheck.banner import BannerVerdict
    from gkcheck.model import Photo
    from gkcheck.submission.resources import Resources

__all__ = ["BannerReading", "Evidence", "LogoVerdict", "logo_fact"]

log = logging.getLogger(__name__)

#: Photos read for the banner at most per submission: OCR costs about a second a photo.
MAX_BANNER_PHOTOS = 8


@dataclass(frozen=True, slots=True)
class LogoVerdict:
    """One photo searched for the LOGO: the match, or why the photo could not be read."""

    photo: Photo
    match: Any = None  # a gkcheck.vision.logo match; None when unreadable
    error: str | None = None  # why the photo could not be decoded

    @property
    def found(self) -> bool:
        """Whether this photo shows the LOGO."""
        return self.match is not None and bool(self.match.found)

    def fact(self) -> dict[str, Any]:
        """The contract's ``photos[].logo``."""
        if self.match is None:
            return {"found": False, "score": 0.0, "bbox": None, "error": self.error}
        return logo_fact(self.match)


@dataclass(frozen=True, slots=True)
class BannerReading:
    """The banner read from one photo and the grammar's verdict on it."""

    photo: Photo
    text: str
    verdict: BannerVerdict
    bbox: tuple[float, float, float, float] | None = None

    def fact(self) -> dict[str, Any]:
        """The contract's ``banner`` object."""
        v = self.verdict
        return {
            "text": self.text,
            "photo": self.photo.ref,
            "valid": v.valid,
            "unit": v.unit,
            "year": v.year,
            "suffix": v.suffix,
            "faults": [f.code for f in v.faults],
            "bbox": list(self.bbox) if self.bbox else None,
        }


def logo_fact(match: Any) -> dict[str, Any]:
    """``{"found", "score", "threshold"?, "bbox", "quad"?}`` for the JSON contract.

    The box is the LOGO's, so it is given only when the LOGO was found (``null`` otherwise:
    the best candidate of a photo without the LOGO is not a place a reviewer should look).
    """
    found = bool(match.found)
    fact: dict[str, Any] = {
        "found": found,
        "score": round(float(match.score), 3),
        "bbox": list(match.bbox) if found and match.bbox is not None else None,
    }
    threshold = getattr(match, "threshold", None)
    if threshold is not None:  # the score this photo's template had to reach
        fact["threshold"] = round(float(threshold), 3)
    if found and match.quad is not None:
        fact["quad"] = [[round(x, 1), round(y, 1)] for x, y in match.quad]
    for key in ("template",):
        value = getattr(match, key, None)
        if found and value:
            fact[key] = value
    return fact


@dataclass
class Evidence:
    """The LOGO verdicts and the banner reading of one submission's photos."""

    photos: tuple[Photo, ...]
    resources: Resources
    evidence_dir: Path | None = None
    _logo: list[LogoVerdict] = field(default_factory=list)
    _banner: list[BannerReading | None] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def logo(self, *, every: bool = False) -> list[LogoVerdict]:
        """LOGO verdicts in photo order, up to the first photo with the LOGO.

        :param every: search every photo (evidence images, reports), not just until a hit.
        :raises Exception: when the detector cannot be built (a bad template: the
            configuration's fault, reported by the photo rule).
        """
        with self._lock:
            every = every or self.evidence_dir is not None
            if not every and any(v.found for v in self._logo):
                return list(self._logo)
            detector = self.resources.logo_detector
            for photo in self.photos[len(self._logo) :]:
                verdict = self._search(detector, photo)
                self._logo.append(verdict)
                if verdict.found and not every:
                    break
            return list(self._logo)

    def _search(self, detector: Any, photo: Photo) -> LogoVerdict:
        from gkcheck.vision.imageio import ImageDecodeError

        try:
            data = photo.load()
            match = detector.detect(data, first_hit=True)
        except (ImageDecodeError, OSError, ValueError) as exc:
            return LogoVerdict(photo, error=getattr(exc, "reason", None) or type(exc).__name__)
        if self.evidence_dir is not None:
            write_evidence_image(self.evidence_dir, photo, data, match)
        return LogoVerdict(photo, match)

    def banner(self) -> BannerReading | None:
        """The banner read from the photos (LOGO photos first), or ``None`` when none is.

        :raises gkcheck.vision.ocr.OcrUnavailable: when OCR cannot run here.
        """
        if self._banner:
            return self._banner[0]
        from gkcheck.banner import banner_like
        from gkcheck.vision.banner_reader import read_banner
        from gkcheck.vision.ocr import get_engine

        engine = get_engine()
        grammar = self.resources.grammar
        with_logo = {id(v.photo) for v in self.logo() if v.found}
        ordered = sorted(self.photos, key=lambda p: 0 if id(p) in with_logo else 1)
        found: BannerReading | None = None
        for photo in ordered[:MAX_BANNER_PHOTOS]:
            try:
                reading = read_banner(photo.load(), engine=engine, grammar=grammar)
            except Exception as exc:  # noqa: BLE001 - an unreadable photo is GK203's business
                log.debug("banner reading failed on %s: %s", photo.ref, exc)
                continue
            if reading.text is None or reading.hit is None:
                continue
            verdict = grammar.parse(reading.text, source="ocr")
            if not banner_like(verdict):
                continue
            found = BannerReading(photo, reading.text, verdict, reading.bbox)
            break
        with self._lock:
            if not self._banner:
                self._banner.append(found)
        return self._banner[0]

    def searched(self) -> list[LogoVerdict]:
        """The LOGO verdicts established so far (without searching further)."""
        return list(self._logo)

    def banner_fact(self) -> dict[str, Any] | None:
        """The contract's ``banner``: what was read, all ``null`` when nothing was; ``None``
        when the banner was not looked for."""
        if not self._banner:
            return None
        reading = self._banner[0]
        if reading is not None:
            return reading.fact()
        return dict.fromkeys(("text", "photo", "valid", "unit", "year", "suffix"))

    @property
    def banner_photos_read(self) -> int:
        """How many photos the banner search reads at most."""
        return min(len(self.photos), MAX_BANNER_PHOTOS)


def write_evidence_image(folder: Path, photo: Photo, data: bytes, match: Any) -> None:
    """A downscaled copy of the photo with the LOGO box drawn, for a reviewer's eyes."""
    try:
        import cv2
        import numpy as np

        from gkcheck.vision.imageio import decode

        folder.mkdir(parents=True, exist_ok=True)
        dec = decode(data, max_side=1200)
        img = np.ascontiguousarray(dec.pixels)
        if match.quad is not None:
            pts = np.array([[x * dec.scale, y * dec.scale] for x, y in match.quad], dtype=np.int32)
            colour = (0, 200, 0) if match.found else (0, 0, 255)
            cv2.polylines(img, [pts], True, colour, 3)
        stem = photo.ref.replace("/", "_").replace("\\", "_").rsplit(".", 1)[0]
        cv2.imwrite(str(folder / f"{stem}.jpg"), img, [cv2.IMWRITE_JPEG_QUALITY, 80])
    except Exception:
        log.warning("could not write LOGO evidence for %s", photo.ref, exc_info=True)
