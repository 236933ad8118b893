"""What a reviewer's row shows for one result: unit, news report file, verdict, rule by rule.

Shared by the spreadsheet and the HTML page so both say the same thing about a submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkcheck.findings import Finding, Result, Severity
from gkcheck.model import Role

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["RuleCell", "SubmissionView", "coverage_counts", "view_of"]


@dataclass(frozen=True, slots=True)
class RuleCell:
    """One rule's outcome on one submission: the worst severity it reported, and how often."""

    severity: str | None  # None: passed
    count: int = 0


@dataclass(frozen=True, slots=True)
class SubmissionView:
    """A result as a row."""

    name: str  # the submission's name in the batch folder
    unit: str
    unit_source: str  # "manifest" | "report" | "summary" | "folder" | "file name" | ""
    report: str  # the news report file, relative to the submission ("" when none)
    ok: bool
    errors: int
    warnings: int
    infos: int
    title: str | None
    lead: str | None
    ending: str | None
    photos: int
    videos: int
    rules: Mapping[str, RuleCell]

    def problems(self) -> str:
        """Rule IDs that fired, in order, for a compact column."""
        return " ".join(k for k, c in self.rules.items() if c.severity is not None)


def _report_file(result: Result) -> str:
    for f in result.files:
        if f.get("role") == "report":
            return str(f.get("path", ""))
    if result.kind not in ("submission", "unknown") and result.document is not None:
        return Path(str(result.path)).name
    return ""


def _unit(result: Result) -> tuple[str, str]:
    """The responsible unit, as the submission's facts established it (one resolver)."""
    facts = result.facts.get("submission")
    if isinstance(facts, dict) and facts.get("unit"):
        return str(facts["unit"]), str(facts.get("unit_source") or "")
    return "", ""


def view_of(
    result: Result, *, rules: Sequence[str]
) -> SubmissionView:
    """The row for ``result``; ``rules`` are the columns (the rules that ran)."""
    raw = str(result.path)
    name = Path(raw.split("!/")[0]).name if "!/" in raw else Path(raw).name
    unit, source = _unit(result)
    cells: dict[str, RuleCell] = {r: RuleCell(None) for r in rules}
    for f in result.findings:
        prev = cells.get(f.rule, RuleCell(None))
        worst = prev.severity
        if worst is None or Severity(worst).rank < f.severity.rank:
            worst = f.severity.value
        cells[f.rule] = RuleCell(worst, prev.count + 1)
    doc = result.document
    title = lead = ending = None
    if doc is not None:
        titles = doc.by_role(Role.TITLE)
        title = "\n".join(b.text for b in titles) if titles else None
        first_lead = doc.first(Role.LEAD)
        first_end = doc.first(Role.ENDING)
        lead = first_lead.text if first_lead else None
        ending = first_end.text if first_end else None
    roles = [str(f.get("role", "")) for f in result.files]
    return SubmissionView(
        name=name,
        unit=unit,
        unit_source=source,
        report=_report_file(result),
        ok=result.ok,
        errors=sum(f.severity is Severity.ERROR for f in result.findings),
        warnings=sum(f.severity is Severity.WARNING for f in result.findings),
        infos=sum(f.severity is Severity.INFO for f in result.findings),
        title=title,
        lead=lead,
        ending=ending,
        photos=len(result.all_photos()),
        videos=roles.count("video"),
        rules=cells,
    )


def findings_in_order(result: Result) -> list[Finding]:
    """The result's findings as the contract orders them."""
    return sorted(result.findings, key=Finding.sort_key)


COVERAGE_STATUS = {
    "zh": {
        "passing": "已报送·合格",
        "faulty": "已报送·有问题",
        "overdue": "逾期未报送",
        "upcoming": "未到期",
    },
    "en": {
        "passing": "submitted, passing",
        "faulty": "submitted, faulty",
        "overdue": "overdue",
        "upcoming": "upcoming",
    },
}


def coverage_counts(
    rows: Sequence[Any],
) -> tuple[dict[str, dict[str, int]], dict[int, dict[str, int]]]:
    """Per-unit and per-month counts of coverage statuses."""
    by_unit: dict[str, dict[str, int]] = {}
    by_month: dict[int, dict[str, int]] = {}
    for row in rows:
        act = row.activity
        status = str(row.status)
        u = by_unit.setdefault(str(act.unit), dict.fromkeys(COVERAGE_STATUS["en"], 0))
        u[status] = u.get(status, 0) + 1
        m = by_month.setdefault(int(act.month), dict.fromkeys(COVERAGE_STATUS["en"], 0))
        m[status] = m.get(status, 0) + 1
    return by_unit, dict(sorted(by_month.items()))


def submission_names(row: Any) -> str:
    """A coverage row's submissions as text (results, paths or names)."""
    names = []
    for s in getattr(row, "submissions", ()) or ():
        path = getattr(s, "path", s)
        text = str(path)
        names.append(Path(text.split("!/")[0]).name if text else text)
    return "、".join(names)
