"""GK400–GK403: ``submission.toml`` and the notice's deadlines, in official working days.

通知·三: the plan is filed 5 working days before the activity and the summary report sent
within 5 working days after it; 附件2·一: photos and text within 2 working days after it.
The dates come from the submission's facts (:mod:`gkcheck.submission.facts`); a rule that
lacks the date it needs says so with an ``info`` finding instead of guessing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gkcheck.catalogue import Msg
from gkcheck.checks import notice_rule
from gkcheck.config import Config
from gkcheck.findings import Finding, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document
from gkcheck.rules import CheckContext
from gkcheck.submission.facts import MATERIALS_DAYS, PLAN_DAYS, SUMMARY_DAYS, Dated, SubmissionFacts
from gkcheck.workdays import (
    CalendarRangeError,
    deadline_after,
    deadline_before,
    workdays_ahead,
    workdays_between,
)

__all__ = ["MANIFEST_INVALID", "MATERIALS_LATE", "PLAN_LATE", "SUMMARY_LATE", "DeadlineCheck"]

MANIFEST_INVALID = notice_rule(
    "GK400", "manifest-invalid", Severity.ERROR, "通知·三",
    zh="报送清单 submission.toml 格式有误，其中的日期未被采用",
    en="submission.toml is malformed; its dates were not used",
)
PLAN_LATE = notice_rule(
    "GK401", "plan-filed-late", Severity.WARNING, "通知·三",
    zh="活动方案未提前5个工作日报备",
    en="The plan was not filed 5 working days before the activity",
)
MATERIALS_LATE = notice_rule(
    "GK402", "materials-sent-late", Severity.WARNING, "附件2·一",
    zh="活动图片及文字材料未在活动后2个工作日内报送",
    en="Photos and text were not sent within 2 working days after the activity",
)
SUMMARY_LATE = notice_rule(
    "GK403", "summary-sent-late", Severity.WARNING, "通知·三",
    zh="活动情况报告未在活动后5个工作日内报送",
    en="The summary report was not sent within 5 working days after the activity",
)


def date_source(activity: Dated) -> Msg:
    """Words saying where the activity date was read (``据报道「4月18日」``)."""
    if activity.source == "manifest":
        return Msg("common", "date_from_manifest")
    place = "date_from_summary" if activity.source == "summary" else "date_from_report"
    return Msg("common", place, {"text": activity.text or ""})


def vague_note(activity: Dated) -> Msg | str:
    """``，只写了“近日”`` when the report gave only a vague time."""
    if not activity.vague:
        return ""
    return Msg("common", "vague_note", {"vague": activity.vague})


class DeadlineCheck:
    """The manifest's validity and the three working-day deadlines of a submission folder."""

    rules = (MANIFEST_INVALID, PLAN_LATE, MATERIALS_LATE, SUMMARY_LATE)
    scope = "submission"
    name = "gkcheck.checks.deadlines.DeadlineCheck"

    def __call__(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        """Yield GK400–GK403 for a submission (folder or zip)."""
        sub = ctx.submission
        facts = sub.facts if sub is not None else None
        if sub is None or facts is None or not sub.is_folder:
            return
        if facts.manifest_problems:
            yield ctx.finding(
                MANIFEST_INVALID,
                "invalid",
                file=facts.manifest_path,
                hint_key="hint",
                problems=facts.manifest_problems,
            )
        for rule, key, n in (
            (PLAN_LATE, "plan_filed", PLAN_DAYS),
            (MATERIALS_LATE, "materials_sent", MATERIALS_DAYS),
            (SUMMARY_LATE, "summary_sent", SUMMARY_DAYS),
        ):
            yield from _deadline(ctx, facts, rule, key, n)


def _deadline(
    ctx: CheckContext, facts: SubmissionFacts, rule: Any, key: str, n: int
) -> Iterator[Finding]:
    info = Severity.INFO
    activity = facts.activity_date
    sent = facts.declared[key]
    where = facts.manifest_path or ctx.path
    if rule is SUMMARY_LATE and not facts.summary_files and sent.date is None:
        return  # no summary and no date: GK501 says it
    if sent.date is None:
        note: Msg | str = ""
        if rule is PLAN_LATE and facts.plan_files:
            note = Msg("common", "plan_received", {"file": str(facts.plan_files[0])})
        yield ctx.finding(rule, "no-date", severity=info, file=where, plan_note=note)
        return
    if activity.date is None:
        yield ctx.finding(
            rule,
            "no-activity-date",
            severity=info,
            file=where,
            vague_note=vague_note(activity),
            vague=activity.vague,
        )
        return
    common: dict[str, Any] = {
        "activity": activity.date.isoformat(),
        "activity_source": activity.source,
        "activity_from": date_source(activity),
    }
    try:
        if rule is PLAN_LATE:
            due = deadline_before(activity.date, n)
            if sent.date <= due:
                return
            ahead = workdays_ahead(sent.date, activity.date)
            yield ctx.finding(
                rule,
                "late" if ahead > 0 else "after",
                file=where,
                hint_key="hint",
                filed=sent.date.isoformat(),
                filed_source=sent.source,
                due=due.isoformat(),
                ahead=ahead,
                required=n,
                **common,
            )
            return
        if sent.date < activity.date:
            yield ctx.finding(
                rule,
                "before",
                severity=info,
                file=where,
                sent=sent.date.isoformat(),
                sent_source=sent.source,
                **common,
            )
            return
        due = deadline_after(activity.date, n)
        if sent.date <= due:
            return
        yield ctx.finding(
            rule,
            "late",
            file=where,
            hint_key="hint",
            sent=sent.date.isoformat(),
            sent_source=sent.source,
            due=due.isoformat(),
            workdays=workdays_between(activity.date, sent.date),
            required=n,
            **common,
        )
    except CalendarRangeError as exc:
        yield ctx.finding(rule, "no-calendar", severity=info, file=where, error=exc.words)


@hookimpl
def gkcheck_register_checks(config: Config) -> list[object]:
    """Register GK400–GK403."""
    return [DeadlineCheck()]
