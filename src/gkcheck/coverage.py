"""Which of the planned activities are done, faulty, overdue or still to come.

The office's question is not "is this file right" but "where does each of the 73 activities
of attachment 1 stand today". Each checked submission carries the activity it was matched to
(``result.facts["activity"]``, written by :mod:`gkcheck.checks.schedule`); this module lays
the results over the schedule as of a given day:

* ``passing`` — at least one submission for it has no error finding;
* ``faulty`` — submissions arrived, each with an error finding (to be sent again);
* ``overdue`` — nothing arrived and its planned month is over;
* ``upcoming`` — nothing arrived and its month is not over yet.

Lateness (GK401–GK403) is a warning, so a late but complete activity is ``passing`` and
:attr:`CoverageRow.late` says it was late. A resubmission that fixes the errors supersedes the
faulty one, which is why one passing submission makes the activity ``passing``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from gkcheck.findings import Severity

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from gkcheck.findings import Result
    from gkcheck.schedule import Activity, Schedule

__all__ = [
    "LATE_RULES",
    "STATUSES",
    "CoverageRow",
    "Tally",
    "build_coverage",
    "by_month",
    "by_unit",
    "matched_seq",
    "unattributed",
]

Status = Literal["passing", "faulty", "overdue", "upcoming"]
#: Every status, in the order reports list them.
STATUSES: tuple[Status, ...] = ("passing", "faulty", "overdue", "upcoming")
#: Rules that mean "sent late" (a warning, so they do not make an activity faulty).
LATE_RULES: frozenset[str] = frozenset({"GK401", "GK402", "GK403"})


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One planned activity and where it stands.

    ``submissions`` are the checked paths matched to it; ``rules`` the IDs of the warning- and
    error-severity findings on them (info findings only say what could not be checked).
    """

    activity: Activity
    status: Status
    submissions: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()

    @property
    def late(self) -> bool:
        """Whether a plan, the materials or the summary reached the office late."""
        return any(r in LATE_RULES for r in self.rules)

    def to_json(self) -> dict[str, object]:
        """A plain mapping for ``--format json`` and the batch writers."""
        a = self.activity
        return {
            "seq": a.seq,
            "theme": a.theme,
            "form": a.form,
            "unit": a.unit,
            "month": a.month,
            "status": self.status,
            "late": self.late,
            "submissions": list(self.submissions),
            "rules": list(self.rules),
        }


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts of statuses for one unit or one month."""

    key: str | int  # the unit as the schedule writes it, or the month number
    planned: int = 0
    passing: int = 0
    faulty: int = 0
    overdue: int = 0
    upcoming: int = 0
    late: int = 0

    @property
    def reported(self) -> int:
        """Activities something was received for."""
        return self.passing + self.faulty

    def to_json(self) -> dict[str, object]:
        """A plain mapping."""
        return {
            "key": self.key,
            "planned": self.planned,
            "passing": self.passing,
            "faulty": self.faulty,
            "overdue": self.overdue,
            "upcoming": self.upcoming,
            "late": self.late,
        }


def matched_seq(result: Result) -> int | None:
    """The 序号 the result was matched to, or ``None`` (unmatched, ambiguous, never checked)."""
    fact = result.facts.get("activity")
    if not isinstance(fact, dict) or fact.get("status") != "matched":
        return None
    seq = fact.get("seq")
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


def _month_over(activity: Activity, as_of: dt.date) -> bool:
    last = calendar.monthrange(activity.year, activity.month)[1]
    return as_of > dt.date(activity.year, activity.month, last)


def _flagged_rules(results: Iterable[Result]) -> tuple[str, ...]:
    rules = {
        f.rule for r in results for f in r.findings if f.severity is not Severity.INFO and f.counts
    }
    return tuple(sorted(rules))


def build_coverage(
    results: Sequence[Result], *, schedule: Schedule, as_of: dt.date
) -> list[CoverageRow]:
    """One row per planned activity, in schedule order, as the office stands on ``as_of``."""
    by_seq: dict[int, list[Result]] = {}
    for result in results:
        seq = matched_seq(result)
        if seq is not None:
            by_seq.setdefault(seq, []).append(result)
    rows: list[CoverageRow] = []
    for activity in schedule:
        got = by_seq.get(activity.seq, [])
        status: Status
        if got:
            status = "passing" if any(r.ok for r in got) else "faulty"
        elif _month_over(activity, as_of):
            status = "overdue"
        else:
            status = "upcoming"
        rows.append(
            CoverageRow(
                activity=activity,
                status=status,
                submissions=tuple(str(r.path) for r in got),
                rules=_flagged_rules(got),
            )
        )
    return rows


def unattributed(results: Sequence[Result], schedule: Schedule) -> list[Result]:
    """Results matched to no planned activity (unmatched, ambiguous or an unknown 序号)."""
    known = {a.seq for a in schedule}
    return [r for r in results if matched_seq(r) not in known]


def _tally(key: str | int, rows: Sequence[CoverageRow]) -> Tally:
    return Tally(
        key=key,
        planned=len(rows),
        passing=sum(r.status == "passing" for r in rows),
        faulty=sum(r.status == "faulty" for r in rows),
        overdue=sum(r.status == "overdue" for r in rows),
        upcoming=sum(r.status == "upcoming" for r in rows),
        late=sum(r.late for r in rows),
    )


def by_unit(rows: Sequence[CoverageRow]) -> list[Tally]:
    """Per responsible unit, in order of first appearance in the schedule."""
    groups: dict[str, list[CoverageRow]] = {}
    for row in rows:
        groups.setdefault(row.activity.unit, []).append(row)
    return [_tally(unit, group) for unit, group in groups.items()]


def by_month(rows: Sequence[CoverageRow]) -> list[Tally]:
    """Per planned month, ascending."""
    groups: dict[int, list[CoverageRow]] = {}
    for row in rows:
        groups.setdefault(row.activity.month, []).append(row)
    return [_tally(month, groups[month]) for month in sorted(groups)]
