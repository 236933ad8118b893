"""GK301–GK304: the banner (会标) of the event, read from the photos, has an approved form.

附件2「二、关于活动现场会标的问题」 fixes two forms: ``××××单位 2023 年“政务公开主题日”活动`` and
``…活动暨××××``. The grammar lives in :mod:`gkcheck.banner`, the reading in
:mod:`gkcheck.vision.banner_reader`; this module picks the photo, turns the grammar's fault
codes into findings and records what was read (``result.banner``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from gkcheck.banner import BannerFault, BannerGrammar, BannerVerdict, banner_like
from gkcheck.catalogue import Join, Msg
from gkcheck.config import Config
from gkcheck.findings import Finding, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document, Photo
from gkcheck.rules import CheckContext, Rule

log = logging.getLogger(__name__)

CLAUSE = "附件2·二"

NOT_READ = Rule(
    id="GK301",
    name="banner-not-read",
    severity=Severity.WARNING,
    summary={"zh": "未能从照片中读出会标，请人工查看", "en": "No banner could be read in any photo"},
    clause=CLAUSE,
    scope="submission",
    docs="rules/GK301.md",
)
FORM = Rule(
    id="GK302",
    name="banner-nonstandard-form",
    severity=Severity.ERROR,
    summary={"zh": "会标文字不符合规定格式", "en": "The banner text does not fit the approved forms"},
    clause=CLAUSE,
    scope="submission",
    docs="rules/GK302.md",
)
UNIT = Rule(
    id="GK303",
    name="banner-unit-unknown",
    severity=Severity.WARNING,
    summary={"zh": "会标上的单位不在单位名单中", "en": "The banner's unit is not a known unit"},
    clause=CLAUSE,
    scope="submission",
    docs="rules/GK303.md",
)
YEAR = Rule(
    id="GK304",
    name="banner-year-wrong",
    severity=Severity.ERROR,
    summary={"zh": "会标年份不是本年度", "en": "The banner's year is not the configured year"},
    clause=CLAUSE,
    scope="submission",
    docs="rules/GK304.md",
)

def grammar_for(config: Config) -> BannerGrammar:
    """The banner grammar for this config's year, keyword and units (built once)."""
    from gkcheck.submission.resources import Resources

    return Resources.for_config(config).grammar


def fault_msg(fault: BannerFault) -> Msg:
    """One fault as words of the message catalogue (``[banner]`` table)."""
    params: dict[str, Any] = dict(fault.as_dict())
    if "where" in params:
        params["where"] = Msg("banner", f"where_{params['where']}")
    return Msg("banner", fault.code, params)



def verdict_findings(
    verdict: BannerVerdict, ctx: CheckContext, *, photo: Photo | None = None
) -> Iterator[Finding]:
    """GK302/GK303/GK304 for one parsed banner text."""
    form_faults = [f for f in verdict.faults if f.code not in ("unit-unknown", "year-wrong")]
    common: dict[str, Any] = {"text": verdict.text, "expected": verdict.expected}
    for fault in verdict.faults:
        if fault.code == "year-wrong":
            yield ctx.finding(
                YEAR, "wrong", photo=photo, hint_key="hint", found=fault.get("found"), **common
            )
        elif fault.code == "unit-unknown":
            yield ctx.finding(UNIT, "unknown", photo=photo, hint_key="hint", found=fault.get("found"), **common)
    if form_faults:
        reasons = Join(tuple(fault_msg(f) for f in form_faults), sep="clause_sep")
        yield ctx.finding(
            FORM,
            "nonstandard",
            photo=photo,
            hint_key="hint",
            reasons=reasons,
            faults=[f.code for f in form_faults],
            **common,
        )


class BannerCheck:
    """Validates the banner read from the submission's photos (LOGO photos first).

    The reading is the submission's evidence (:class:`gkcheck.submission.evidence.Evidence`),
    which asks for the LOGO verdicts itself before choosing photos; at most eight are read.
    """

    rules = (NOT_READ, FORM, UNIT, YEAR)
    scope = "submission"
    name = "gkcheck.checks.banner.BannerCheck"

    def __call__(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        """Yield GK301–GK304 for the banner in the photos."""
        sub = ctx.submission
        if sub is None or sub.evidence is None or not sub.all_photos():
            return  # GK201 already says there is no photo
        if ctx.config.banner_read == "never" or (
            not sub.is_folder and ctx.config.banner_read == "submissions"
        ):
            return  # OCR of every photo costs seconds: a single report's review skips it
        if not ctx.config.ocr:
            yield ctx.finding(NOT_READ, "skipped", severity=Severity.INFO, reason=Msg("common", "ocr_off"))
            return
        from gkcheck.vision.ocr import OcrUnavailable

        try:
            reading = sub.evidence.banner()
        except OcrUnavailable as exc:
            reason = Msg("common", "ocr_unavailable", {"detail": str(exc)})
            yield ctx.finding(NOT_READ, "skipped", severity=Severity.INFO, reason=reason)
            return
        if reading is None:
            count = sub.evidence.banner_photos_read
            yield ctx.finding(NOT_READ, "none", hint_key="hint", count=count)
            return
        yield from verdict_findings(reading.verdict, ctx, photo=reading.photo)


def banner_results(
    config: Config, *, texts: Sequence[str], photos: Sequence[Path], lang: str
) -> list[dict[str, Any]]:
    """``gkcheck banner``: typed texts and photos, each validated on its own."""
    grammar = grammar_for(config)
    out: list[dict[str, Any]] = []
    for text in texts:
        ctx = CheckContext(config=config, path=Path("<typed>"), lang=lang)
        verdict = grammar.parse(text, source="typed")
        out.append(_result_item(text, verdict, list(verdict_findings(verdict, ctx)), lang))
    for path in photos:
        ctx = CheckContext(config=config, path=path, lang=lang)
        try:
            from gkcheck.vision.banner_reader import read_banner

            reading = read_banner(path.read_bytes(), grammar=grammar)
        except Exception as exc:  # noqa: BLE001 - report, don't crash, on a bad photo
            item = _result_item(str(path), None, [], lang)
            item["error"] = str(exc)
            out.append(item)
            continue
        parsed = grammar.parse(reading.text, source="ocr") if reading.text else None
        if reading.hit is None or parsed is None or not banner_like(parsed):
            finding = ctx.finding(NOT_READ, "none", hint_key="hint", count=1)
            out.append(_result_item(str(path), None, [finding], lang))
            continue
        out.append(_result_item(str(path), parsed, list(verdict_findings(parsed, ctx)), lang))
    return out


def _result_item(
    source: str, verdict: BannerVerdict | None, findings: list[Finding], lang: str
) -> dict[str, Any]:
    return {
        "input": source,
        "text": verdict.text if verdict else None,
        "valid": verdict.valid if verdict else (None if not findings else False),
        "unit": verdict.unit if verdict else None,
        "year": verdict.year if verdict else None,
        "suffix": verdict.suffix if verdict else None,
        "expected": verdict.expected if verdict else None,
        "faults": [{"code": f.code, **f.as_dict()} for f in verdict.faults] if verdict else [],
        "findings": [f.to_json() for f in findings],
    }


@hookimpl
def gkcheck_register_checks(config: Config) -> list[object]:
    """Register GK301–GK304."""
    return [BannerCheck()]
