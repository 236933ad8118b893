"""GK201–GK203: the report comes with photos, and at least one shows the campaign LOGO.

附件2「三、关于新闻报道的问题」: …同时配发至少一张含有“政务公开主题日”LOGO 的活动现场照片.
Photos embedded in the report and photos sent beside it in the submission folder both count.
The LOGO search itself lives in :mod:`gkcheck.vision.logo`; this module only decides what the
notice requires and records each photo's verdict for the result and the reviewers' reports.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gkcheck.config import Config
from gkcheck.findings import Finding, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document, Photo
from gkcheck.rules import CheckContext, Rule

log = logging.getLogger(__name__)

CLAUSE = "附件2·三"

NO_PHOTO = Rule(
    id="GK201",
    name="report-without-photo",
    severity=Severity.ERROR,
    summary={"zh": "报道未配发活动照片", "en": "The report comes with no photo"},
    clause=CLAUSE,
    scope="submission",
    docs="rules/GK201.md",
)
NO_LOGO = Rule(
    id="GK202",
    name="no-photo-with-logo",
    severity=Severity.ERROR,
    summary={"zh": "没有一张照片含“政务公开主题日”LOGO", "en": "No photo shows the campaign LOGO"},
    clause=CLAUSE,
    scope="submission",
    docs="rules/GK202.md",
)
PHOTO_UNREADABLE = Rule(
    id="GK203",
    name="photo-unreadable",
    severity=Severity.WARNING,
    summary={"zh": "照片无法读取，未能检查LOGO", "en": "A photo cannot be read, so it was not searched"},
    clause=CLAUSE,
    scope="submission",
    docs="rules/GK203.md",
)

_DETECTORS: dict[tuple[tuple[str, ...], float | None], Any] = {}


def detector_for(config: Config) -> Any:
    """One LOGO detector per template set and threshold, loaded once per process."""
    key = (tuple(str(p) for p in config.logo_templates), config.logo_threshold)
    if key not in _DETECTORS:
        from gkcheck.vision.logo import LogoDetector, LogoTemplate

        templates = [LogoTemplate.load(p, name=Path(p).name) for p in config.logo_templates]
        kwargs: dict[str, Any] = {}
        if config.logo_threshold is not None:
            kwargs["threshold"] = config.logo_threshold
        _DETECTORS[key] = LogoDetector(templates, **kwargs)
    return _DETECTORS[key]


class PhotoCheck:
    """Looks for photos, and for the LOGO in them, stopping at the first photo that has it.

    Every photo searched gets ``photos[ref].logo = {"found", "score", "bbox"}`` in the result.
    With an evidence folder (``--evidence DIR``) every photo is searched and a downscaled copy
    with the LOGO box drawn is written there, so a reviewer can see why.
    """

    rules = (NO_PHOTO, NO_LOGO, PHOTO_UNREADABLE)
    scope = "submission"
    name = "gkcheck.checks.photos.PhotoCheck"

    def __call__(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        """Yield GK201/GK202/GK203 for the submission's photos."""
        sub = ctx.submission
        photos = sub.all_photos() if sub is not None else list(doc.photos)
        if not photos:
            if doc.ocr_skipped and not doc.photos:
                yield ctx.finding(NO_PHOTO, "skipped", severity=Severity.INFO)
                return
            yield ctx.finding(NO_PHOTO, "none", hint_key="hint")
            return
        evidence_dir = ctx.config.plugin("evidence").get("dir")
        try:
            detector = detector_for(ctx.config)
        except Exception as exc:  # noqa: BLE001 - a bad template is the config's fault, say so
            yield ctx.finding(NO_LOGO, "no_template", severity=Severity.WARNING, error=str(exc))
            return
        from gkcheck.vision.imageio import ImageDecodeError

        carrier: Photo | None = None
        unreadable = 0
        for photo in photos:
            try:
                data = photo.load()
                match = detector.detect(data, first_hit=True)
            except (ImageDecodeError, OSError, ValueError) as exc:
                unreadable += 1
                reason = getattr(exc, "reason", type(exc).__name__)
                ctx.photo_fact(photo, "logo", {"found": False, "score": 0.0, "bbox": None, "error": reason})
                yield ctx.finding(PHOTO_UNREADABLE, "unreadable", photo=photo, reason=str(exc))
                continue
            ctx.photo_fact(photo, "logo", logo_fact(match))
            if evidence_dir:
                _write_evidence(Path(str(evidence_dir)), photo, data, match)
            if match.found and carrier is None:
                carrier = photo
                if not evidence_dir:
                    break
        if carrier is None:
            searched = len(photos) - unreadable
            yield ctx.finding(NO_LOGO, "missing", hint_key="hint", count=searched)


def logo_fact(match: Any) -> dict[str, Any]:
    """``{"found", "score", "bbox", "quad"?}`` for the JSON contract.

    The box is the LOGO's, so it is given only when the LOGO was found (``null`` otherwise:
    the best candidate of a photo without the LOGO is not a place a reviewer should look for it).
    """
    found = bool(match.found)
    fact: dict[str, Any] = {
        "found": found,
        "score": round(float(match.score), 3),
        "bbox": list(match.bbox) if found and match.bbox is not None else None,
    }
    if found and match.quad is not None:
        fact["quad"] = [[round(x, 1), round(y, 1)] for x, y in match.quad]
    return fact


def _write_evidence(folder: Path, photo: Photo, data: bytes, match: Any) -> None:
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


@hookimpl
def gkcheck_register_checks(config: Config) -> list[object]:
    """Register GK201–GK203."""
    return [PhotoCheck()]
