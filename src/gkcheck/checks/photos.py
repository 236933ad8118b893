"""GK201–GK203: the report comes with photos, and at least one shows the campaign LOGO.

附件2「三、关于新闻报道的问题」: …同时配发至少一张含有“政务公开主题日”LOGO 的活动现场照片.
Photos embedded in the report and photos sent beside it in the submission folder both count.
The LOGO search itself lives in :mod:`gkcheck.vision.logo`; this module only decides what the
notice requires and records each photo's verdict for the result and the reviewers' reports.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from gkcheck.config import Config
from gkcheck.findings import Finding, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document
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

class PhotoCheck:
    """Looks for photos, and for the LOGO in them (the submission's evidence, searched once).

    The LOGO verdicts are established by :class:`gkcheck.submission.evidence.Evidence` and
    recorded in the result (``photos[ref].logo``); this check only says what the notice
    requires of them.
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
        if sub is None or sub.evidence is None:
            return
        try:
            verdicts = sub.evidence.logo()
        except Exception as exc:
            log.warning("LOGO detector could not be built", exc_info=True)
            yield ctx.finding(NO_LOGO, "no_template", error=str(exc))
            return
        for v in verdicts:
            if v.error is not None:
                yield ctx.finding(PHOTO_UNREADABLE, "unreadable", photo=v.photo, reason=v.error)
        if not any(v.found for v in verdicts):
            searched = sum(1 for v in verdicts if v.error is None)
            yield ctx.finding(NO_LOGO, "missing", hint_key="hint", count=searched)


@hookimpl
def gkcheck_register_checks(config: Config) -> list[object]:
    """Register GK201–GK203."""
    return [PhotoCheck()]
