"""parse → structure → submission facts → checks → Result, and every failure a finding.

This is the only module that knows every layer. An input is a file (a news report checked on
its own), a folder or a zip (one unit's submission). Whatever goes wrong becomes a finding
(GK000 unreadable, GK001 unsupported, GK002 a check failed); nothing a file contains can make
the engine raise, and nothing that goes wrong can make a submission pass: a crash in a check or
in establishing the submission's facts is an error ("needs review by hand").
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import traceback
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from gkcheck.catalogue import Join, Msg
from gkcheck.checks.input import CHECK_FAILED, UNREADABLE, UNSUPPORTED
from gkcheck.config import Config
from gkcheck.errors import Detail, MissingComponent, UnreadableFile, UnsupportedFile
from gkcheck.findings import Finding, Result, Severity
from gkcheck.ignores import drop_ignored
from gkcheck.model import Document, Photo, Submission
from gkcheck.parsers.base import ParseOptions
from gkcheck.plugins import Registry
from gkcheck.rules import CheckContext, iter_findings, messages, selected
from gkcheck.safeio import Refusal, Refused, input_root, read_head
from gkcheck.structure import analyse
from gkcheck.submission.evidence import Evidence
from gkcheck.submission.facts import establish
from gkcheck.submission.files import SubmissionFiles, sort_files
from gkcheck.submission.resources import Resources

__all__ = ["Engine", "is_archive", "reason_msg", "reason_text"]

log = logging.getLogger(__name__)


def reason_msg(reason: str, *, context: str | None = None, **fill: Any) -> Msg:
    """The words for a GK000 reason code (``context`` picks e.g. the archive's wording)."""
    catalogue = messages("en")  # both languages hold the same keys (a test sees to it)
    keys = ([f"{context}-{reason}"] if context else []) + [reason, "error"]
    for key in keys:
        for table in ("reasons", "safeio"):
            if key in catalogue.get(table, {}):
                return Msg(table, key, fill)
    return Msg("reasons", "error", fill)


def reason_text(lang: str, reason: str, *, context: str | None = None, **fill: Any) -> str:
    """:func:`reason_msg` worded in ``lang``."""
    return reason_msg(reason, context=context, **fill).text(lang)


def with_detail(text: Msg, shown: str | Msg | None) -> Msg:
    """``text（detail）``: a reason followed by the parser's detail, in one language."""
    return Msg("common", "with_detail", {"text": text, "detail": shown}) if shown else text


def is_archive(path: Path) -> bool:
    """Whether ``path`` is a zip archive to be taken as one submission."""
    return path.suffix.lower() == ".zip"


class Engine:
    """Checks files, folders and zips with one registry and one config."""

    def __init__(self, config: Config, registry: Registry, *, lang: str | None = None) -> None:
        self.config = config
        self.registry = registry
        self.lang = lang or config.lang
        self.resources = Resources.for_config(config)
        self.options = ParseOptions(
            ocr=config.ocr,
            ocr_max_side=config.ocr_max_side,
            min_photo_side=config.photo_min_side,
        )

    # -- public -------------------------------------------------------------------------------

    def check(self, path: Path) -> Result:
        """The result for a file, or for a folder or zip taken as one submission.

        Nothing outside the input is read: within the check, symlinks may not lead out of the
        submission folder (or, for a lone file, out of its folder) — see :mod:`gkcheck.safeio`.
        """
        try:
            st = path.lstat()
        except OSError:
            return self.check_file(path)
        if stat.S_ISDIR(st.st_mode):
            with input_root(path):
                return self.check_submission(path)
        if stat.S_ISREG(st.st_mode) and is_archive(path):
            return self.check_archive(path)
        with input_root(path.parent):
            return self.check_file(path)

    def check_file(self, path: Path) -> Result:
        """Parse and check one file: a news report on its own."""
        parsed = self.parse(path)
        if isinstance(parsed, Result):
            return parsed
        files = SubmissionFiles.single(path)
        sub = Submission(path=path, documents=(parsed,), report=parsed, is_folder=False)
        return self._review(sub, files, failures=())

    def check_submission(self, folder: Path, *, name: str | None = None) -> Result:
        """Check what one unit sent, as a whole: the news report, photos, plan, summary.

        :param name: the name the reviewer knows the submission by (a zip's, when ``folder``
            is where it was unpacked).
        """
        parsed_once: dict[Path, Document | Result] = {}

        def parse(path: Path) -> Document | Result:
            if path not in parsed_once:
                parsed_once[path] = self.parse(path)
            return parsed_once[path]

        files = sort_files(folder, self.registry, parse)
        failures: list[Finding] = []
        documents: list[Document] = []
        chosen = parse(files.report) if files.report is not None else None
        report = chosen if isinstance(chosen, Document) else None
        for entry in files.documents:
            parsed = parse(entry.path)
            if isinstance(parsed, Document):
                documents.append(parsed)
                continue
            for finding in parsed.findings:
                if finding.rule == UNSUPPORTED.id and report is not None:
                    # a file no parser reads beside a readable report: advice, not a failure
                    finding = replace(finding, severity=Severity.INFO)
                failures.append(finding)
        for entry in files.refused:
            if entry.refusal is not None:
                failures.append(self._refused(entry.refusal).findings[0])
        sub = Submission(
            path=folder,
            documents=tuple(documents),
            report=report,
            photos=tuple(files.photos()),
            videos=tuple(files.videos()),
            roles={str(e.path.relative_to(folder)): e.kind for e in files.entries},
            is_folder=True,
            display_name=name,
        )
        return self._review(sub, files, failures=failures)

    def check_archive(self, archive: Path) -> Result:
        """Check a zip as one submission: unpacked safely into a private folder, then removed.

        Every path in the result names the entry inside the archive (``x.zip!/新闻稿.docx``);
        photos are kept in memory so that the result outlives the unpacked folder.
        """
        from gkcheck.batch.hygiene import unpack_dir
        from gkcheck.batch.zips import safe_extract

        tmp = unpack_dir()
        try:
            root = tmp / "x"
            root.mkdir()
            report = safe_extract(archive, root)
            fatal = report.fatal
            if fatal is not None:
                text = reason_msg(fatal.reason, context="zip")
                return self._failed(
                    archive, fatal.reason, detail=fatal.detail or None, shown=fatal.shown, text=text
                )
            with input_root(root):
                inner = self.check_submission(root, name=archive.stem)
            extra, others = self._zip_findings(archive, report)
            return _relocate(inner, root, archive, extra=extra, other_files=others)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def parse(self, path: Path) -> Document | Result:
        """A parsed document, or a result holding the GK000/GK001 finding that explains why not."""
        try:
            head = read_head(path)
            size = path.stat().st_size
        except Refused as exc:
            return self._refused(exc.refusal)
        except OSError as exc:
            return self._failed(path, "error", detail=exc.strerror or str(exc))
        by_suffix, by_content = self.registry.parser_for(path, head)
        if by_suffix is None and by_content is None:
            return Result(
                path=path, kind="unknown", findings=(self._input_finding(path, unsupported=True),)
            )
        if size == 0:
            return self._failed(path, "empty", kind=by_suffix.kind if by_suffix else "unknown")
        parser = by_suffix if by_suffix is not None and by_suffix is by_content else by_content
        if parser is None:
            assert by_suffix is not None
            looks = _looks_like(head)
            return self._failed(
                path, "wrong-format", detail=looks.text("en"), shown=looks, kind=by_suffix.kind
            )
        try:
            doc = parser.parse(path, self.options)
        except UnreadableFile as exc:
            return self._failed(
                path, exc.reason, detail=exc.detail, shown=exc.shown, kind=parser.kind
            )
        except MissingComponent as exc:
            ctx = CheckContext(config=self.config, path=path, lang=self.lang)
            finding = ctx.finding(
                UNSUPPORTED, "needs_libreoffice", hint_key=exc.hint_key, suffix=exc.suffix
            )
            return Result(path=path, kind=parser.kind, findings=(finding,))
        except UnsupportedFile as exc:
            return Result(
                path=path,
                kind=parser.kind,
                findings=(
                    self._input_finding(path, unsupported=True, detail=str(exc), shown=exc.shown),
                ),
            )
        except MemoryError:
            return self._failed(path, "no-memory", kind=parser.kind)
        except RecursionError:
            nesting = Detail("nesting")
            return self._failed(
                path, "corrupt", detail=nesting.text("en"), shown=nesting, kind=parser.kind
            )
        except Exception as exc:  # noqa: BLE001 - a parser bug on one file must not stop a review
            log.debug("parser %s failed on %s\n%s", parser.kind, path, traceback.format_exc())
            return self._failed(path, "corrupt", detail=f"{type(exc).__name__}: {exc}", kind=parser.kind)
        return analyse(doc)

    # -- internals ----------------------------------------------------------------------------

    def _review(self, sub: Submission, files: SubmissionFiles, *, failures: Sequence[Finding]) -> Result:
        """Establish the submission's facts and evidence, then run every selected check."""
        ctx = CheckContext(config=self.config, path=sub.path, lang=self.lang, submission=sub)
        findings: list[Finding] = list(failures)
        evidence_dir = self.config.plugin("evidence").get("dir")
        evidence = Evidence(
            tuple(sub.all_photos()),
            self.resources,
            Path(str(evidence_dir)) if evidence_dir else None,
        )
        try:
            facts = establish(sub, files, self.resources)
        except Exception as exc:  # noqa: BLE001 - fail closed: no facts, no pass
            log.warning("establishing the facts of %s failed\n%s", sub.path, traceback.format_exc())
            findings.append(self._crash(ctx, "submission facts", exc, Msg("GK002", "facts")))
            facts = None
        sub = replace(sub, files=files, facts=facts, evidence=evidence)
        ctx.submission = sub
        doc = sub.report or Document(path=sub.path, kind="submission")
        if facts is not None:
            for chk in self.registry.checks:
                findings.extend(self._run_check(chk, doc, ctx))
        result_facts = dict(ctx.facts)
        result_facts.update(_evidence_facts(evidence))
        if facts is not None:
            activity = facts.activity_json()
            if activity is not None:
                result_facts["activity"] = activity
            result_facts["dates"] = facts.dates_json()
            result_facts["submission"] = facts.to_json(files)
        result_facts["keyword"] = self.config.keyword
        result_facts["logo_template"] = self._logo_template()
        result_facts["loose_photos"] = tuple(sub.photos)
        report = sub.report.path if sub.report is not None else None
        findings = drop_ignored(findings, self.config.per_file_ignores, sub.path, report=report)
        return Result(
            path=sub.path,
            kind="submission" if sub.is_folder else (sub.report.kind if sub.report else "unknown"),
            findings=tuple(findings),
            document=sub.report,
            files=files.describe(),
            facts=result_facts,
        )

    def _logo_template(self) -> dict[str, Any]:
        """Which LOGO templates judged the photos, and the warning when it is the demo mark."""
        try:
            demo = self.resources.logo_demo
        except Exception:  # noqa: BLE001 - an unreadable template is GK202's to report
            demo = False
        names = [p.name for p in self.config.logo_templates]
        warning = Msg("logo", "demo_template").text(self.lang) if demo else None
        return {"templates": names, "demo": demo, "warning": warning}

    def _run_check(self, chk: Any, doc: Document, ctx: CheckContext) -> list[Finding]:
        active = [r for r in chk.rules if selected(r, self.config.select, self.config.ignore)]
        sub = ctx.submission
        if not active or (sub is not None and sub.report is None and chk.scope == "document"):
            return []
        ids = {r.id for r in active}
        try:
            return [f for f in iter_findings(chk, doc, ctx) if f.rule in ids]
        except Exception as exc:  # noqa: BLE001 - one failing check must not hide the others
            log.warning("check %s failed on %s\n%s", chk.name, ctx.path, traceback.format_exc())
            return [self._crash(ctx, chk.name, exc, Join(tuple(sorted(ids))))]

    def _crash(self, ctx: CheckContext, what: str, exc: BaseException, rules: Msg | Join) -> Finding:
        """GK002, an error: which rules could not be checked, and the advice to review by hand.

        The reviewer reads the rules that are missing (``rules``); the code's name (``check``)
        and the exception are kept as evidence for whoever fixes it.
        """
        return ctx.finding(
            CHECK_FAILED,
            "crashed",
            check=what,
            rules=rules,
            error=f"{type(exc).__name__}: {exc}",
        )

    def _zip_findings(
        self, archive: Path, report: Any
    ) -> tuple[list[Finding], list[dict[str, Any]]]:
        """GK000 for each entry the safe extractor refused; nested archives are other files."""
        ctx = CheckContext(config=self.config, path=archive, lang=self.lang)
        out: list[Finding] = []
        others: list[dict[str, Any]] = []
        for p in report.problems:
            if p.reason == "nested-archive":
                others.append({"path": p.inner, "role": "other", "why": "archive inside the archive"})
                continue
            where = Path(f"{archive}!/{p.inner}") if p.inner else archive
            text = with_detail(reason_msg(p.reason, context="zip"), p.shown)
            out.append(
                ctx.finding(
                    UNREADABLE,
                    "unreadable",
                    hint_key="hint",
                    file=where,
                    reason=p.reason,
                    reason_text=text,
                    detail=p.detail or None,
                    entry=p.inner or None,
                )
            )
        return out, others

    def _refused(self, refusal: Refusal) -> Result:
        """GK000 for a path the safe access layer would not read (a link out, a FIFO …)."""
        return self._failed(
            refusal.path, refusal.reason, detail=refusal.detail or None, text=refusal.msg()
        )

    def _failed(
        self,
        path: Path,
        reason: str,
        *,
        detail: str | None = None,
        shown: str | Msg | None = None,
        kind: str = "unknown",
        text: Msg | None = None,
    ) -> Result:
        finding = self._input_finding(path, reason=reason, detail=detail, shown=shown, text=text)
        return Result(path=path, kind=kind, findings=(finding,))

    def _input_finding(
        self,
        path: Path,
        *,
        unsupported: bool = False,
        reason: str = "error",
        detail: str | None = None,
        shown: str | Msg | None = None,
        text: Msg | None = None,
    ) -> Finding:
        """GK001 or GK000, worded from the catalogue (``shown``: the detail's words).

        ``detail`` (English) is kept as evidence; ``shown`` is what the message shows of it.
        """
        ctx = CheckContext(config=self.config, path=path, lang=self.lang)
        if shown is None:
            shown = detail
        if unsupported:
            name = path.suffix or os.path.basename(path)
            suffix = Msg("common", "with_detail", {"text": name, "detail": shown}) if shown else name
            return ctx.finding(UNSUPPORTED, "unsupported", hint_key="hint", suffix=suffix, detail=detail)
        if text is None:
            text = reason_msg(reason)
        if detail and detail != reason and detail not in text.text("en"):
            text = with_detail(text, shown)
        return ctx.finding(
            UNREADABLE, "unreadable", hint_key="hint", reason=reason, reason_text=text, detail=detail
        )


def _evidence_facts(evidence: Evidence) -> dict[str, Any]:
    """The LOGO verdicts and banner reading established so far, for the result."""
    out: dict[str, Any] = {}
    photos: dict[str, dict[str, Any]] = {}
    for verdict in evidence.searched():
        photos.setdefault(verdict.photo.ref, {})["logo"] = verdict.fact()
    if photos:
        out["photos"] = photos
    banner = evidence.banner_fact()
    if banner is not None:
        out["banner"] = banner
    return out


def _relocate(
    result: Result,
    root: Path,
    archive: Path,
    *,
    extra: Sequence[Finding],
    other_files: Sequence[dict[str, Any]],
) -> Result:
    """``result`` of an unpacked zip, with every path naming the entry inside the archive."""
    old, new = str(root), f"{archive}!"

    def move(text: str) -> str:
        return new + text[len(old) :] if text.startswith(old) else text

    def move_path(path: Path) -> Path:
        return Path(move(str(path)))

    def keep(photo: Photo) -> Photo:
        if photo.source is None:
            return photo
        try:
            data = photo.load()
        except OSError:
            data = b""
        return replace(photo, data=data, source=None)

    findings = tuple(
        replace(f, location=replace(f.location, file=move(f.location.file))) for f in result.findings
    )
    doc = result.document
    if doc is not None:
        doc = replace(doc, path=move_path(doc.path), photos=tuple(keep(p) for p in doc.photos))
    facts = dict(result.facts)
    facts["loose_photos"] = tuple(keep(p) for p in facts.get("loose_photos", ()))
    return Result(
        path=archive,
        kind="submission",
        findings=(*extra, *findings),
        document=doc,
        files=(*result.files, *other_files),
        facts=_rewrite(facts, old, new),
    )


def _rewrite(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return new + value[len(old) :] if value.startswith(old) else value
    if isinstance(value, dict):
        return {k: _rewrite(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, old, new) for v in value]
    return value


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "zip"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG", "PNG"),
    (b"GIF8", "GIF"),
    (b"{\\rtf", "RTF"),
    (b"<html", "HTML"),
    (b"<!DOCTYPE html", "HTML"),
)


def _looks_like(head: bytes) -> Msg:
    """What the first bytes look like, to name it in the GK000 message."""
    for magic, name in _MAGIC:
        if head.lstrip()[: len(magic)].lower() == magic.lower():
            return Detail("looks_like", what=name)
    try:
        head.decode("utf-8")
        return Detail("looks_text")
    except UnicodeDecodeError:
        pass
    try:
        head.decode("gb18030")
        return Detail("looks_text")
    except UnicodeDecodeError:
        return Detail("binary")

