"""GK501–GK505: the summary report (情况报告) exists and holds video, pictures, practices, results.

通知·三: 活动开展后，各单位要总结形成情况报告(含相关短视频、图片、经验做法和工作实效等)，
于5个工作日内报区政务公开办. What a summary says is read by :mod:`gkcheck.summary_parts`;
which file is the summary is a fact of the submission (:mod:`gkcheck.submission.files`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gkcheck.catalogue import Msg
from gkcheck.checks import notice_rule
from gkcheck.config import Config
from gkcheck.findings import Finding, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document, Submission
from gkcheck.rules import CheckContext, Rule
from gkcheck.submission.facts import SUMMARY_DAYS, SubmissionFacts
from gkcheck.summary_parts import PartFound, PartKind, embedded_videos, find_part, find_video_link
from gkcheck.workdays import CalendarRangeError, deadline_after

__all__ = ["SummaryCheck"]

SUMMARY_MISSING = notice_rule(
    "GK501", "summary-missing", Severity.ERROR, "通知·三",
    zh="报送材料中没有活动情况报告",
    en="The submission has no summary report (情况报告)",
)
SUMMARY_NO_VIDEO = notice_rule(
    "GK502", "summary-without-video", Severity.WARNING, "通知·三",
    zh="情况报告未附短视频",
    en="The summary report comes without a short video",
)
SUMMARY_NO_PICTURES = notice_rule(
    "GK503", "summary-without-pictures", Severity.ERROR, "通知·三",
    zh="情况报告未附图片",
    en="The summary report comes without pictures",
)
SUMMARY_NO_PRACTICES = notice_rule(
    "GK504", "summary-without-practices", Severity.WARNING, "通知·三",
    zh="情况报告未写经验做法",
    en="The summary report does not describe the practices (经验做法)",
)
SUMMARY_NO_RESULTS = notice_rule(
    "GK505", "summary-without-results", Severity.WARNING, "通知·三",
    zh="情况报告未写工作实效",
    en="The summary report does not describe the results (工作实效)",
)


class SummaryCheck:
    """The summary report of a submission folder, part by part."""

    rules = (SUMMARY_MISSING, SUMMARY_NO_VIDEO, SUMMARY_NO_PICTURES, SUMMARY_NO_PRACTICES, SUMMARY_NO_RESULTS)
    scope = "submission"
    name = "gkcheck.checks.summary_report.SummaryCheck"

    def __call__(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        """Yield GK501–GK505 and record what the summary holds (``result.summary``)."""
        sub = ctx.submission
        facts = sub.facts if sub is not None else None
        if sub is None or facts is None or not sub.is_folder:
            return
        if not facts.summary_files:
            ctx.facts["summary"] = {"files": []}
            yield from _missing(ctx, facts)
            return
        yield from _parts(ctx, sub, facts)


def _missing(ctx: CheckContext, facts: SubmissionFacts) -> Iterator[Finding]:
    as_of = ctx.config.as_of
    day = facts.activity_date.date
    if as_of is not None and day is not None:
        try:
            due = deadline_after(day, SUMMARY_DAYS)
        except CalendarRangeError:
            due = None
        if due is not None and as_of <= due:
            yield ctx.finding(
                SUMMARY_MISSING,
                "not-due",
                severity=Severity.INFO,
                due=due.isoformat(),
                as_of=as_of.isoformat(),
            )
            return
    yield ctx.finding(SUMMARY_MISSING, "missing", hint_key="hint")


def _name(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _parts(ctx: CheckContext, sub: Submission, facts: SubmissionFacts) -> Iterator[Finding]:
    summaries = facts.summaries
    first = summaries[0].path if summaries else sub.path / facts.summary_files[0]
    # pictures: embedded in the summary, or loose photos sent with it
    embedded = sum(len(d.photos) for d in summaries)
    loose = len(sub.photos)
    if embedded + loose == 0:
        yield ctx.finding(SUMMARY_NO_PICTURES, "missing", file=first, hint_key="hint")
    # video: a file, a video inside the summary package, or a link in its text
    blocks = [b for d in summaries for b in d.blocks]
    inside = [v for d in summaries for v in embedded_videos(d.path)]
    link, mention = find_video_link(blocks)
    files = [_name(p, sub.path) for p in sub.videos]
    video: dict[str, Any] = {"found": bool(files or inside or link)}
    if files:
        video.update(by="file", files=files)
    elif inside:
        video.update(by="embedded", files=inside)
    elif link:
        video.update(by="link", url=link)
    elif mention:
        video["mention"] = mention
    if not video["found"]:
        key = "mentioned" if mention else "missing"
        yield ctx.finding(SUMMARY_NO_VIDEO, key, file=first, hint_key="hint", text=mention)
    parts: dict[str, Any] = {}
    readable = [d for d in summaries if any(b.text.strip() for b in d.blocks)]
    kinds: tuple[tuple[Rule, PartKind], ...] = (
        (SUMMARY_NO_PRACTICES, "practices"),
        (SUMMARY_NO_RESULTS, "results"),
    )
    for rule, kind in kinds:
        if not readable:
            reason: Msg | str = ""
            if summaries and summaries[0].ocr_skipped:
                reason = Msg("common", "needs_ocr")
            yield ctx.finding(
                rule,
                "unreadable",
                severity=Severity.INFO,
                file=first,
                reason=reason,
                summary=facts.summary_files[0],
            )
            continue
        found = PartFound(False)
        for d in readable:
            found = find_part(d.blocks, kind, file=_name(d.path, sub.path))
            if found.found:
                break
        parts[kind] = found.to_json()
        if not found.found:
            yield ctx.finding(rule, "missing", file=first, hint_key="hint")
    ctx.facts["summary"] = {
        "files": list(facts.summary_files),
        "pictures": {"embedded": embedded, "loose": loose},
        "video": video,
        **parts,
    }


@hookimpl
def gkcheck_register_checks(config: Config) -> list[object]:
    """Register GK501–GK505."""
    return [SummaryCheck()]
