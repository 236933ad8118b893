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
from gkcheck.config import Config
from gkcheck.findings import Finding, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document, Photo
from gkcheck.rules import CheckContext, Rule, messages

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

#: Photos read at most per submission: OCR costs about a second a photo.
MAX_PHOTOS = 8

_GRAMMARS: dict[str, BannerGrammar] = {}


def grammar_for(config: Config) -> BannerGrammar:
    """The banner grammar for this config's year, keyword and units (built once)."""
    key = config.fingerprint()
    if key not in _GRAMMARS:
        _GRAMMARS[key] = BannerGrammar(
            year=config.year, keyword=config.keyword, units=config.unit_directory()
        )
    return _GRAMMARS[key]


def fault_text(fault: BannerFault, lang: str) -> str:
    """One fault in words, from the message catalogue (``[banner]`` table)."""
    table = messages(lang).get("banner", {})
    template = table.get(fault.code, fault.code)
    params = {k: v for k, v in fault.as_dict().items()}
    if "where" in params:
        params["where"] = table.get(f"where_{params['where']}", str(params["where"]))
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def verdict_findings(
    verdict: BannerVerdict, ctx: CheckContext, *, photo: Photo | None = None
) -> Iterator[Finding]:
    """GK302/GK303/GK304 for one parsed banner text."""
    form_faults = [f for f in verdict.faults if f.code not in ("unit-unknown", "year-wrong")]
    sep = "；" if ctx.lang == "zh" else "; "
    common: dict[str, Any] = {"text": verdict.text, "expected": verdict.expected}
    for fault in verdict.faults:
        if fault.code == "year-wrong":
            yield ctx.finding(
                YEAR, "wrong", photo=photo, hint_key="hint", found=fault.get("found"), **common
            )
        elif fault.code == "unit-unknown":
            yield ctx.finding(UNIT, "unknown", photo=photo, hint_key="hint", found=fault.get("found"), **common)
    if form_faults:
        reasons = sep.join(fault_text(f, ctx.lang) for f in form_faults)
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
    """Reads the banner in the submission's photos and validates its text.

    Photos are read in order until one yields a banner-like line (the keyword, a near miss,
    or 活动 with a year or a unit); at most :data:`MAX_PHOTOS` are read.
    """

    rules = (NOT_READ, FORM, UNIT, YEAR)
    scope = "submission"
    name = "gkcheck.checks.banner.BannerCheck"

    def __call__(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        """Yield GK301–GK304 and record ``banner`` in the result."""
        sub = ctx.submission
        photos = sub.all_photos() if sub is not None else list(doc.photos)
        if not photos:
            return  # GK201 already says there is no photo
        single_file = sub is None or sub.path.is_file()
        if ctx.config.banner_read == "never" or (
            single_file and ctx.config.banner_read == "submissions"
        ):
            return  # OCR of every photo costs seconds: a single report's review skips it
        fact: dict[str, Any] = {
            "text": None,
            "photo": None,
            "valid": None,
            "unit": None,
            "year": None,
            "suffix": None,
        }
        ctx.facts["banner"] = fact
        if not ctx.config.ocr:
            yield ctx.finding(NOT_READ, "skipped", severity=Severity.INFO, reason="--no-ocr")
            return
        from gkcheck.vision.banner_reader import read_banner
        from gkcheck.vision.ocr import OcrUnavailable, get_engine

        try:
            engine = get_engine()
        except OcrUnavailable as exc:
            yield ctx.finding(NOT_READ, "skipped", severity=Severity.INFO, reason=str(exc))
            return
        grammar = grammar_for(ctx.config)
        for photo in _by_likelihood(photos, ctx)[:MAX_PHOTOS]:
            try:
                reading = read_banner(photo.load(), engine=engine, grammar=grammar)
            except Exception as exc:  # noqa: BLE001 - an unreadable photo is GK203's business
                log.debug("banner reading failed on %s: %s", photo.ref, exc)
                continue
            if reading.text is None or reading.hit is None:
                continue
            verdict = grammar.parse(reading.text, source="ocr")
            if not banner_like(verdict):
                continue  # the reader returns banners only; kept for other readers
            fact.update(
                text=reading.text,
                photo=photo.ref,
                valid=verdict.valid,
                unit=verdict.unit,
                year=verdict.year,
                suffix=verdict.suffix,
                faults=[f.code for f in verdict.faults],
                bbox=list(reading.bbox) if reading.bbox else None,
            )
            yield from verdict_findings(verdict, ctx, photo=photo)
            return
        yield ctx.finding(NOT_READ, "none", hint_key="hint", count=min(len(photos), MAX_PHOTOS))


def _by_likelihood(photos: Sequence[Photo], ctx: CheckContext) -> list[Photo]:
    """Photos that showed the LOGO first: the backdrop with the LOGO often carries the banner."""
    facts = ctx.facts.get("photos", {})

    def key(p: Photo) -> int:
        return 0 if facts.get(p.ref, {}).get("logo", {}).get("found") else 1

    return sorted(photos, key=key)


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
