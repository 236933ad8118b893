"""Who sent a submission, when the activity was held, and which planned activity it is.

Established once per submission, before any rule runs; the deadline, summary and schedule
rules, the batch's spreadsheet and page, ``gkcheck schedule`` and the JSON contract all read
these same facts. Where each comes from, in order of trust:

* the **unit**: ``submission.toml``'s ``unit``, else the unit the news report's (or the
  summary's) title or lead names, else the unit the folder (or file) name names;
* the **activity date**: ``submission.toml``'s ``activity_date``, else the date in the news
  report's lead (``4月18日上午，…``), else in the summary's opening — with the words it was
  read from; the three sending dates come from ``submission.toml`` only;
* the **activity**: ``submission.toml``'s ``seq``, else the activity matcher on the unit, the
  activity's month and the title/lead text — for a lone report too, so that ``check``,
  ``batch`` and ``schedule`` always say the same about the same file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkcheck.catalogue import Join
from gkcheck.dates import find_dates, pick_activity_date
from gkcheck.manifest import Manifest, ManifestError
from gkcheck.matching import MatchResult
from gkcheck.structure import outline
from gkcheck.workdays import CalendarRangeError, deadline_after, deadline_before

if TYPE_CHECKING:
    from gkcheck.model import Block, Document, Submission
    from gkcheck.schedule import Activity
    from gkcheck.submission.files import SubmissionFiles
    from gkcheck.submission.resources import Resources

__all__ = [
    "MATERIALS_DAYS",
    "PLAN_DAYS",
    "SENDING_KEYS",
    "SUMMARY_DAYS",
    "Dated",
    "SubmissionFacts",
    "establish",
]

PLAN_DAYS = 5  #: 通知·三: 提前5个工作日 … 报备
MATERIALS_DAYS = 2  #: 附件2·一: 活动结束后两个工作日内 … 报送
SUMMARY_DAYS = 5  #: 通知·三: 情况报告 … 于5个工作日内报
#: The manifest's sending dates, each with its number of working days and direction.
SENDING_KEYS: tuple[tuple[str, int, bool], ...] = (
    ("plan_filed", PLAN_DAYS, True),
    ("materials_sent", MATERIALS_DAYS, False),
    ("summary_sent", SUMMARY_DAYS, False),
)


@dataclass(frozen=True, slots=True)
class Dated:
    """A date and where it came from (``None`` when unknown)."""

    date: dt.date | None
    source: str | None  # "manifest" | "report" | "summary"
    text: str | None = None  # the words it was read from
    block: Block | None = None
    file: Path | None = None
    vague: str | None = None  # 近日/日前 where a date was expected

    def to_json(self) -> dict[str, Any]:
        """The contract's date object."""
        out: dict[str, Any] = {
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
        }
        if self.text:
            out["text"] = self.text
        if self.vague:
            out["vague"] = self.vague
        return out


@dataclass(frozen=True, slots=True)
class SubmissionFacts:
    """The facts of one submission, as every rule and output must see them."""

    is_folder: bool
    report: Document | None
    plans: tuple[Document, ...] = ()
    plan_files: tuple[str, ...] = ()
    summaries: tuple[Document, ...] = ()
    summary_files: tuple[str, ...] = ()
    other_files: tuple[str, ...] = ()
    manifest_path: Path | None = None
    manifest: Manifest | None = None
    manifest_problems: Join | str | None = None  # why the manifest is not used, in words
    unit: str | None = None
    unit_source: str | None = None  # "manifest" | "report" | "summary" | "folder" | "file name"
    activity_date: Dated = field(default_factory=lambda: Dated(None, None))
    declared: Mapping[str, Dated] = field(default_factory=dict)
    match: MatchResult | None = None
    matched_by: str | None = None  # "manifest" | "matching"

    @property
    def activity(self) -> Activity | None:
        """The planned activity this submission is for, when one was matched."""
        return self.match.activity if self.match is not None else None

    def activity_json(self) -> dict[str, Any] | None:
        """The contract's ``activity`` object (``None`` when no match was attempted)."""
        m = self.match
        if m is None:
            return None
        a = m.activity
        return {
            "seq": a.seq if a else None,
            "theme": a.theme if a else None,
            "unit": a.unit if a else self.unit,
            "month": a.month if a else None,
            "score": m.score,
            "status": m.status,
            "by": self.matched_by,
            "submitted_by": self.unit,
            "unit_source": self.unit_source,
            "candidates": [activity_json(c, s) for c, s in m.candidates],
        }

    def dates_json(self) -> dict[str, Any]:
        """The contract's ``dates`` object: the activity date and each deadline."""
        out: dict[str, Any] = {"activity": self.activity_date.to_json()}
        day = self.activity_date.date
        for key, n, before in SENDING_KEYS:
            entry = self.declared.get(key, Dated(None, None)).to_json()
            due: dt.date | None = None
            if day is not None:
                try:
                    due = deadline_before(day, n) if before else deadline_after(day, n)
                except CalendarRangeError:
                    due = None
            entry["due"] = due.isoformat() if due else None
            out[key] = entry
        return out

    def to_json(self, files: SubmissionFiles) -> dict[str, Any]:
        """The contract's ``submission`` object: what each file was taken as, and by whom."""
        return {
            "report": _relative(files.report, files.root) if files.report else None,
            "plans": list(self.plan_files),
            "summaries": list(self.summary_files),
            "photos": files.names("photo"),
            "videos": files.names("video"),
            "other": list(self.other_files),
            "manifest": _relative(self.manifest_path, files.root) if self.manifest_path else None,
            "unit": self.unit,
            "unit_source": self.unit_source,
        }


def activity_json(a: Activity, score: float | None = None) -> dict[str, Any]:
    """One planned activity in the contract."""
    out: dict[str, Any] = {"seq": a.seq, "theme": a.theme, "unit": a.unit, "month": a.month}
    if score is not None:
        out["score"] = score
    return out


def establish(sub: Submission, files: SubmissionFiles, resources: Resources) -> SubmissionFacts:
    """The facts of ``sub``, the same whichever command or API call asked.

    Raises only for what the code cannot handle; the engine turns that into an error finding
    ("needs review by hand"), never into a pass.
    """
    by_path = {d.path: d for d in sub.documents}
    plans = tuple(by_path[e.path] for e in files.of_kind("plan") if e.path in by_path)
    summaries = tuple(by_path[e.path] for e in files.of_kind("summary") if e.path in by_path)
    manifest_path = files.manifest if sub.is_folder else None
    manifest, problems = _read_manifest(manifest_path)
    year = resources.config.year
    activity_date = _activity_date(manifest, manifest_path, sub.report, summaries, year)
    unit, unit_source = _unit(manifest, sub, summaries, resources)
    declared = {
        key: Dated(getattr(manifest, key), "manifest", file=manifest_path)
        if manifest is not None and getattr(manifest, key) is not None
        else Dated(None, None)
        for key, _, _ in SENDING_KEYS
    }
    result, by = _match(resources, manifest, unit, activity_date, sub, summaries, plans)
    return SubmissionFacts(
        is_folder=sub.is_folder,
        report=sub.report,
        plans=plans,
        plan_files=tuple(files.names("plan")),
        summaries=summaries,
        summary_files=tuple(files.names("summary")),
        other_files=tuple(files.names("other", "document")),
        manifest_path=manifest_path,
        manifest=manifest,
        manifest_problems=problems,
        unit=unit,
        unit_source=unit_source,
        activity_date=activity_date,
        declared=declared,
        match=result,
        matched_by=by,
    )


def _read_manifest(path: Path | None) -> tuple[Manifest | None, Join | str | None]:
    """The manifest, or why it could not be used (catalogue words, shown in the review's language)."""
    if path is None:
        return None, None
    try:
        return Manifest.load(path), None
    except ManifestError as exc:
        return None, Join(tuple(p.worded() for p in exc.problems), sep="clause_sep")
    except OSError as exc:
        return None, exc.strerror or str(exc)


def _date_in(doc: Document, source: str, year: int) -> Dated | None:
    """The activity date stated in a document's lead (then title), as a clerk reads it."""
    o = outline(doc)
    places: list[Block] = []
    if o.lead is not None:
        places.append(o.lead)
    places.extend(o.title)
    if o.lead is None:
        places.extend(b for b in doc.blocks[:4] if b not in places)
    vague: str | None = None
    for b in places:
        mentions = find_dates(b.text, year=year)
        picked = pick_activity_date(mentions)
        if picked is not None:
            return Dated(picked.date, source, picked.text, b, doc.path)
        vague = vague or next((m.text for m in mentions if m.vague), None)
    if vague:
        return Dated(None, None, vague=vague)
    return None


def _activity_date(
    manifest: Manifest | None,
    manifest_path: Path | None,
    report: Document | None,
    summaries: tuple[Document, ...],
    year: int,
) -> Dated:
    if manifest is not None and manifest.activity_date is not None:
        return Dated(manifest.activity_date, "manifest", file=manifest_path)
    vague: str | None = None
    sources: list[tuple[Document, str]] = []
    if report is not None:
        sources.append((report, "report"))
    sources.extend((d, "summary") for d in summaries)
    for doc, source in sources:
        found = _date_in(doc, source, year)
        if found is not None and found.date is not None:
            return found
        if found is not None and vague is None:
            vague = found.vague
    return Dated(None, None, vague=vague)


def _unit(
    manifest: Manifest | None,
    sub: Submission,
    summaries: tuple[Document, ...],
    resources: Resources,
) -> tuple[str | None, str | None]:
    """The submitting unit: declared, else the one that opens a title or the folder name.

    A unit opens its own title (雨花区教育局开展…) and its folder name (区教育局-0418-…);
    elsewhere a report also names co-organisers and guests, so a mention inside the title or
    lead counts only when no such opening names a unit.
    """
    directory = resources.directory
    if manifest is not None and manifest.unit:
        return directory.resolve(manifest.unit) or manifest.unit, "manifest"
    docs = [(d, s) for d, s in ((sub.report, "report"), *((d, "summary") for d in summaries)) if d]
    heads: list[tuple[str, str, str]] = []  # (title, title and lead, source)
    for doc, source in docs:
        o = outline(doc)
        title = o.title_text or ""
        heads.append((title, "\n".join([title, o.lead.text if o.lead else ""]), source))
    name_source = "folder" if sub.is_folder else "file name"
    openings = [(title, source) for title, _, source in heads]
    for text, source in (*openings, (sub.name, name_source)):
        hit = directory.find_prefix(text) if text else None
        if hit is not None:
            return hit[0], source
    for _, text, source in heads:
        found = directory.find_in(text)
        if found:
            return found[0], source
    found = directory.find_in(sub.name)
    if found:
        return found[0], name_source
    return None, None


def _texts(sub: Submission, docs: tuple[Document | None, ...]) -> list[str]:
    texts: list[str] = []
    for doc in docs:
        if doc is None:
            continue
        o = outline(doc)
        texts.append(o.title_text or "")
        if o.lead is not None:
            texts.append(o.lead.text)
        if any(t.strip() for t in texts):
            break  # the first document that says anything is what the matcher reads
    texts.append(sub.name)
    return [t for t in texts if t.strip()]


def _match(
    resources: Resources,
    manifest: Manifest | None,
    unit: str | None,
    activity_date: Dated,
    sub: Submission,
    summaries: tuple[Document, ...],
    plans: tuple[Document, ...],
) -> tuple[MatchResult, str]:
    schedule = resources.schedule
    if manifest is not None and manifest.seq is not None:
        declared = schedule.by_seq(manifest.seq)
        if declared is not None:
            return MatchResult(declared, 1.0, "matched", ((declared, 1.0),), unit), "manifest"
    day = activity_date.date
    month = day.month if day is not None and day.year == schedule.year else None
    texts = _texts(sub, (sub.report, *summaries, *plans))
    return resources.matcher.match(unit=unit, month=month, texts=texts), "matching"


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
