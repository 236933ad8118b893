"""GK601–GK602: the submission is one of the planned activities, held in its planned month.

附件1 lists the 73 activities of 2023 with their units and months. Which activity a
submission is for is a fact of the submission (:mod:`gkcheck.submission.facts`: the
manifest's ``seq``, else the activity matcher); these rules only say when it is none, when
the declared ``seq`` contradicts the unit, and when the activity was held in another month.
"""

from __future__ import annotations

from collections.abc import Iterator

from gkcheck.catalogue import Join, Msg
from gkcheck.checks import notice_rule
from gkcheck.checks.deadlines import date_source, vague_note
from gkcheck.config import Config
from gkcheck.findings import Finding, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document
from gkcheck.rules import CheckContext
from gkcheck.structure import outline
from gkcheck.submission.facts import SubmissionFacts, activity_json
from gkcheck.submission.resources import Resources
from gkcheck.textutil import shorten

__all__ = ["ActivityCheck"]

NOT_IN_SCHEDULE = notice_rule(
    "GK601", "activity-not-in-schedule", Severity.WARNING, "附件1",
    zh="未能对应到活动计划安排表中的活动",
    en="The submission matches no activity of the plan (attachment 1)",
)
OTHER_MONTH = notice_rule(
    "GK602", "held-in-other-month", Severity.WARNING, "附件1",
    zh="活动未在计划月份开展",
    en="The activity was held in another month than planned",
)


class ActivityCheck:
    """Ties a submission folder to its row of attachment 1."""

    rules = (NOT_IN_SCHEDULE, OTHER_MONTH)
    scope = "submission"
    name = "gkcheck.checks.activity.ActivityCheck"

    def __call__(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        """Yield GK601/GK602 for a submission (folder or zip)."""
        sub = ctx.submission
        facts = sub.facts if sub is not None else None
        if sub is None or facts is None or not sub.is_folder or facts.match is None:
            return
        yield from _not_in_schedule(ctx, facts)
        yield from _other_month(ctx, facts)


def _not_in_schedule(ctx: CheckContext, facts: SubmissionFacts) -> Iterator[Finding]:
    match = facts.match
    assert match is not None
    manifest = facts.manifest
    declared_seq = manifest.seq if manifest is not None else None
    if declared_seq is not None and facts.matched_by != "manifest":
        yield ctx.finding(
            NOT_IN_SCHEDULE, "bad-seq", file=facts.manifest_path, hint_key="hint", seq=declared_seq
        )
    a = match.activity
    if a is None:
        if declared_seq is not None:
            return
        nearest: Join | Msg = Join(
            tuple(
                Msg(
                    "common",
                    "candidate",
                    {"seq": c.seq, "unit": c.unit, "month": c.month, "theme": shorten(c.theme, 20)},
                )
                for c, _ in match.candidates[:3]
            ),
            sep="clause_sep",
        )
        if not match.candidates:
            nearest = Msg("GK601", "none")
        report = facts.report
        titles = outline(report).title if report is not None else ()
        yield ctx.finding(
            NOT_IN_SCHEDULE,
            match.status,
            block=titles[0] if titles else None,
            file=report.path if report is not None else None,
            hint_key="hint",
            unit=facts.unit or Msg("GK601", "unknown-unit"),
            nearest=nearest,
            status=match.status,
            score=match.score,
            candidates=[activity_json(c, s) for c, s in match.candidates],
        )
        return
    if facts.matched_by == "manifest" and facts.unit is not None:
        schedule = Resources.for_config(ctx.config).schedule
        planned = schedule.canonical_unit(a.unit)
        if planned is not None and schedule.canonical_unit(facts.unit) not in (None, planned):
            yield ctx.finding(
                NOT_IN_SCHEDULE,
                "seq-unit",
                file=facts.manifest_path,
                hint_key="hint",
                seq=a.seq,
                theme=shorten(a.theme, 30),
                planned_unit=a.unit,
                unit=facts.unit,
            )


def _other_month(ctx: CheckContext, facts: SubmissionFacts) -> Iterator[Finding]:
    a = facts.activity
    if a is None:
        return
    activity = facts.activity_date
    planned = Msg("common", "year_month", {"year": a.year, "month": a.month})
    if activity.date is None:
        report = facts.report
        yield ctx.finding(
            OTHER_MONTH,
            "no-date",
            severity=Severity.INFO,
            file=facts.manifest_path or (report.path if report is not None else None),
            planned=planned,
            seq=a.seq,
            vague_note=vague_note(activity),
            vague=activity.vague,
        )
        return
    day = activity.date
    if (day.year, day.month) != (a.year, a.month):
        yield ctx.finding(
            OTHER_MONTH,
            "other",
            block=activity.block,
            file=activity.file,
            hint_key="hint",
            activity=day.isoformat(),
            activity_source=activity.source,
            activity_from=date_source(activity),
            planned=planned,
            planned_month=a.month,
            seq=a.seq,
            theme=shorten(a.theme, 30),
        )


@hookimpl
def gkcheck_register_checks(config: Config) -> list[object]:
    """Register GK601–GK602."""
    return [ActivityCheck()]
