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

__all__ = ["WAIVED", "RuleCell", "SubmissionView", "coverage_counts", "view_of", "waiver_note"]


@dataclass(frozen=True, slots=True)
class RuleCell:
    """One rule's outcome on one submission: the worst severity it reported, and how often."""

    severity: str | None  # None: passed; "waived": every finding of the rule was waived
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
    waived: int
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
        if not f.counts:
            worst = worst or WAIVED
        elif worst in (None, WAIVED) or Severity(str(worst)).rank < f.severity.rank:
            worst = f.severity.value
        cells[f.rule] = RuleCell(worst, prev.count + 1)
    counting = [f for f in result.findings if f.counts]
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
        errors=sum(f.severity is Severity.ERROR for f in counting),
        warnings=sum(f.severity is Severity.WARNING for f in counting),
        infos=sum(f.severity is Severity.INFO for f in counting),
        waived=len(result.findings) - len(counting),
        title=title,
        lead=lead,
        ending=ending,
        photos=len(result.all_photos()),
        videos=roles.count("video"),
        rules=cells,
    )


WAIVED = "waived"  #: a rule cell whose findings were all waived by a reviewer

def waiver_note(finding: Finding, lang: str) -> str:
    """Words for a finding's waiver, or for its lapsed waiver; "" when it has none."""
    from gkcheck.ui import say

    if finding.waived is not None:
        return say("waived_note", lang, **_fill(finding.waived))
    if finding.waiver_lapsed is not None:
        return say("lapsed_note", lang, **_fill(finding.waiver_lapsed))
    return ""


def _fill(mark: Mapping[str, str]) -> dict[str, str]:
    return {k: str(mark.get(k, "")) for k in ("reviewer", "date", "reason")}


def photo_name(result: Result, ref: str, lang: str) -> str:
    """A photo as a reviewer finds it: "新闻稿.docx 第2张图片，第1页", or its own file name.

    ``word/media/image1.jpg`` is a path inside the .docx that nobody can open; the position
    among the report's pictures (and the page, when known) is what a reviewer can follow.
    """
    from gkcheck.catalogue import table

    doc = result.document
    if doc is not None:
        for n, photo in enumerate(doc.photos, start=1):
            if photo.ref != ref:
                continue
            words = table("places", lang)
            text = str(words["picture"]).format(n=n, name=Path(str(doc.path)).name)
            page = photo.origin.page
            return text + (words["sep"] + words["page"].format(n=page) if page else "")
    return Path(ref).name if ref else ref


def source_file(result: Result, f: Finding) -> str:
    """The path of the file a finding is in (the news report for a block of it)."""
    file, doc = f.location.file, result.document
    if file == str(result.path) and f.location.block is not None and doc is not None:
        return str(doc.path)  # a block of the news report, reported on the submission
    return file


def file_of(result: Result, f: Finding) -> str:
    """The file a finding is in, relative to the submission; "" when it is the input itself."""
    file, top = source_file(result, f), str(result.path)
    if not file or file == top:
        return ""
    for sep in ("/", "!/"):
        if file.startswith(top + sep):
            return file[len(top) + len(sep) :]
    return file


def place_of(result: Result, f: Finding, lang: str) -> str:
    """The logical place of a finding: 标题/首段/结尾…, or the photo by name; "" when none."""
    if f.location.photo is not None:
        return photo_name(result, f.location.photo, lang)
    role = f.location.role
    if role is None:
        return ""
    from gkcheck.rules import messages

    return str(messages(lang).get("common", {}).get(f"role_{role}", role))


def where_text(result: Result, f: Finding, lang: str, *, with_file: bool = True) -> str:
    """File, place in the file, and photo, in words a reviewer can follow."""
    from gkcheck.catalogue import table

    parts = [file_of(result, f) if with_file else ""]
    origin = f.location.origin
    if origin is not None:
        parts.append(origin.describe(lang))
    if f.location.photo is not None:
        parts.append(photo_name(result, f.location.photo, lang))
    sep = str(table("places", lang)["sep"])
    return sep.join(p for p in dict.fromkeys(parts) if p)


def why_text(why: str, lang: str) -> str:
    """A file's ``why`` (English words in the contract) in ``lang``, from the catalogue."""
    import re

    from gkcheck.rules import messages

    words = messages(lang).get("why", {})
    head, sep, tail = why.partition("; ")
    if sep and tail == "another file is the report":
        return words.get(tail, "{why}; " + tail).format(why=why_text(head, lang))
    m = re.fullmatch(r"content \((?P<scores>.*)\)", why)
    if m:
        parts = []
        for item in m["scores"].split(", "):
            kind, _, score = item.rpartition(" ")
            parts.append(f"{words.get(kind, kind)} {score}")
        sep_word = str(messages(lang).get("common", {}).get("sep", "、"))
        return words.get("content", "content ({scores})").format(scores=sep_word.join(parts))
    return words.get(why, why)


def findings_in_order(result: Result) -> list[Finding]:
    """The result's findings as the contract orders them."""
    return sorted(result.findings, key=Finding.sort_key)


#: The plan-coverage states, in the order the reports show them (words: ``[coverage_status]``).
COVERAGE_KEYS = ("passing", "faulty", "overdue", "upcoming")


def coverage_status(lang: str) -> dict[str, str]:
    """The coverage states in words (the catalogues' ``[coverage_status]`` table)."""
    from gkcheck.catalogue import table

    return {k: str(v) for k, v in table("coverage_status", lang).items()}


def coverage_counts(
    rows: Sequence[Any],
) -> tuple[dict[str, dict[str, int]], dict[int, dict[str, int]]]:
    """Per-unit and per-month counts of coverage statuses."""
    by_unit: dict[str, dict[str, int]] = {}
    by_month: dict[int, dict[str, int]] = {}
    for row in rows:
        act = row.activity
        status = str(row.status)
        u = by_unit.setdefault(str(act.unit), dict.fromkeys(COVERAGE_KEYS, 0))
        u[status] = u.get(status, 0) + 1
        m = by_month.setdefault(int(act.month), dict.fromkeys(COVERAGE_KEYS, 0))
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


def demo_warnings(results: Sequence[Result]) -> list[str]:
    """The demo-LOGO warning (once) when any result was judged with the shipped demo mark."""
    for r in results:
        fact = r.facts.get("logo_template")
        if isinstance(fact, dict) and fact.get("demo") and fact.get("warning"):
            return [str(fact["warning"])]
    return []
