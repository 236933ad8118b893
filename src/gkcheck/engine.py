"""parse → structure → checks → Result, and every failure turned into a finding.

This is the only module that knows every layer. Whatever goes wrong with an input file
becomes a finding on that file (GK000 unreadable, GK001 unsupported, GK002 a check failed);
nothing a file contains can make the engine raise.
"""

from __future__ import annotations

import logging
import os
import stat
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gkcheck.checks.engine_rules import CHECK_FAILED, UNREADABLE, UNSUPPORTED
from gkcheck.config import Config
from gkcheck.content_roles import refine_plan
from gkcheck.errors import UnreadableFile, UnsupportedFile
from gkcheck.findings import Finding, Result
from gkcheck.model import Document, Submission
from gkcheck.parsers.base import ParseOptions
from gkcheck.plugins import Registry
from gkcheck.rules import CheckContext, iter_findings, selected
from gkcheck.structure import analyse
from gkcheck.submission import FolderPlan, classify_folder

__all__ = ["Engine"]

log = logging.getLogger(__name__)

_REASONS_ZH = {
    "empty": "文件为空（0 字节）",
    "not-found": "文件不存在",
    "not-a-file": "不是普通文件",
    "permission": "没有读取权限",
    "encrypted": "文件已加密（设置了打开密码）",
    "corrupt": "文件已损坏或不完整",
    "wrong-format": "文件内容与扩展名不符",
    "too-large": "文件解压后过大（疑似压缩炸弹）",
    "unsafe-xml": "文件含有不安全的 XML（实体声明）",
    "timeout": "读取超时",
    "no-memory": "读取时内存不足",
    "error": "读取时出错",
}
_REASONS_EN = {
    "empty": "the file is empty (0 bytes)",
    "not-found": "the file does not exist",
    "not-a-file": "not a regular file",
    "permission": "permission denied",
    "encrypted": "the file is encrypted (password protected)",
    "corrupt": "the file is damaged or incomplete",
    "wrong-format": "the content does not match the file extension",
    "too-large": "the file inflates to too much data (a zip bomb?)",
    "unsafe-xml": "the file contains unsafe XML (entity declarations)",
    "timeout": "reading took too long",
    "no-memory": "out of memory while reading",
    "error": "error while reading",
}


class Engine:
    """Checks files and folders with one registry and one config."""

    def __init__(self, config: Config, registry: Registry, *, lang: str | None = None) -> None:
        self.config = config
        self.registry = registry
        self.lang = lang or config.lang
        self.options = ParseOptions(
            ocr=config.ocr,
            ocr_max_side=config.ocr_max_side,
            min_photo_side=config.photo_min_side,
        )

    # -- public -------------------------------------------------------------------------------

    def check(self, path: Path) -> Result:
        """The result for a file, or for a folder taken as one submission."""
        try:
            if path.is_dir():
                return self.check_submission(path)
        except OSError:
            pass
        return self.check_file(path)

    def check_file(self, path: Path) -> Result:
        """Parse and check one file."""
        doc_or_result = self.parse(path)
        if isinstance(doc_or_result, Result):
            return doc_or_result
        doc = doc_or_result
        sub = Submission(path=path, documents=(doc,), report=doc)
        return self._run_checks(doc, sub, path, files=())

    def check_submission(self, folder: Path, *, plan: FolderPlan | None = None) -> Result:
        """Check what one unit sent, as a whole: its news report plus loose photos.

        :param plan: how the folder's files were classified, when the caller (the batch's
            content-based pass) already knows better than the file names.
        """
        parsed_once: dict[Path, Document | Result] = {}

        def parse(path: Path) -> Document | Result:
            if path not in parsed_once:
                parsed_once[path] = self.parse(path)
            return parsed_once[path]

        if plan is None:
            plan = refine_plan(classify_folder(folder, self.registry), parse)
        failures: list[Finding] = []
        documents: list[Document] = []
        report: Document | None = None
        for entry in plan.documents:
            parsed = parse(entry.path)
            if isinstance(parsed, Result):
                failures.extend(parsed.findings)
                continue
            documents.append(parsed)
            if entry.path == plan.report:
                report = parsed
        sub = Submission(
            path=folder,
            documents=tuple(documents),
            report=report,
            photos=tuple(plan.photos),
            videos=tuple(plan.videos),
            roles={str(e.path.relative_to(folder)): e.role for e in plan.entries},
        )
        files = tuple(e.describe(folder) for e in plan.entries)
        for entry in plan.unsupported:
            failures.append(self._input_finding(entry.path, unsupported=True))
        base = report or Document(path=folder, kind="submission")
        result = self._run_checks(base, sub, folder, files=files, kind="submission")
        facts = dict(result.facts)
        facts["loose_photos"] = tuple(sub.photos)
        return Result(
            path=folder,
            kind="submission",
            findings=(*failures, *result.findings),
            document=result.document if report is not None else None,
            files=files,
            facts=facts,
        )

    def parse(self, path: Path) -> Document | Result:
        """A parsed document, or a result holding the GK000/GK001 finding that explains why not."""
        try:
            st = path.stat()
        except FileNotFoundError:
            return self._failed(path, "not-found")
        except PermissionError:
            return self._failed(path, "permission")
        except OSError as exc:  # symlink loops, names the OS refuses
            return self._failed(path, "error", detail=exc.strerror or str(exc))
        if not stat.S_ISREG(st.st_mode):
            return self._failed(path, "not-a-file")
        try:
            with path.open("rb") as fh:
                head = fh.read(8192)
        except PermissionError:
            return self._failed(path, "permission")
        except OSError as exc:
            return self._failed(path, "error", detail=exc.strerror or str(exc))
        by_suffix, by_content = self.registry.parser_for(path, head)
        if by_suffix is None and by_content is None:
            return Result(
                path=path, kind="unknown", findings=(self._input_finding(path, unsupported=True),)
            )
        if st.st_size == 0:
            return self._failed(path, "empty", kind=by_suffix.kind if by_suffix else "unknown")
        parser = by_suffix if by_suffix is not None and by_suffix is by_content else by_content
        if parser is None:
            assert by_suffix is not None
            return self._failed(path, "wrong-format", detail=_looks_like(head), kind=by_suffix.kind)
        try:
            doc = parser.parse(path, self.options)
        except UnreadableFile as exc:
            return self._failed(path, exc.reason, detail=exc.detail, kind=parser.kind)
        except UnsupportedFile as exc:
            return Result(
                path=path,
                kind=parser.kind,
                findings=(self._input_finding(path, unsupported=True, detail=str(exc)),),
            )
        except MemoryError:
            return self._failed(path, "no-memory", kind=parser.kind)
        except RecursionError:
            return self._failed(path, "corrupt", detail="nesting too deep", kind=parser.kind)
        except Exception as exc:  # noqa: BLE001 - a parser bug on one file must not stop a review
            log.debug("parser %s failed on %s\n%s", parser.kind, path, traceback.format_exc())
            return self._failed(path, "corrupt", detail=f"{type(exc).__name__}: {exc}", kind=parser.kind)
        return analyse(doc)

    # -- internals ----------------------------------------------------------------------------

    def _run_checks(
        self,
        doc: Document,
        sub: Submission,
        path: Path,
        *,
        files: Sequence[Any],
        kind: str | None = None,
    ) -> Result:
        ctx = CheckContext(config=self.config, path=doc.path, lang=self.lang, submission=sub)
        ctx.facts["keyword"] = self.config.keyword
        findings: list[Finding] = []
        for chk in self.registry.checks:
            active = [
                r for r in chk.rules if selected(r, self.config.select, self.config.ignore)
            ]
            if not active:
                continue
            if sub.report is None and chk.scope == "document":
                continue
            try:
                ids = {r.id for r in active}
                findings.extend(f for f in iter_findings(chk, doc, ctx) if f.rule in ids)
            except Exception as exc:  # noqa: BLE001 - one failing check must not hide the others
                log.debug("check %s failed\n%s", chk.name, traceback.format_exc())
                findings.append(
                    ctx.finding(CHECK_FAILED, "crashed", check=chk.name, error=f"{type(exc).__name__}: {exc}")
                )
        return Result(
            path=path,
            kind=kind or doc.kind,
            findings=tuple(findings),
            document=doc,
            files=tuple(files),
            facts=dict(ctx.facts),
        )

    def _failed(
        self, path: Path, reason: str, *, detail: str | None = None, kind: str = "unknown"
    ) -> Result:
        return Result(
            path=path, kind=kind, findings=(self._input_finding(path, reason=reason, detail=detail),)
        )

    def _input_finding(
        self,
        path: Path,
        *,
        unsupported: bool = False,
        reason: str = "error",
        detail: str | None = None,
    ) -> Finding:
        ctx = CheckContext(config=self.config, path=path, lang=self.lang)
        if unsupported:
            suffix = path.suffix or os.path.basename(path)
            if detail:
                suffix = f"{suffix}（{detail}）" if self.lang == "zh" else f"{suffix} ({detail})"
            return ctx.finding(UNSUPPORTED, "unsupported", hint_key="hint", suffix=suffix, detail=detail)
        table = _REASONS_ZH if self.lang == "zh" else _REASONS_EN
        text = table.get(reason, table["error"])
        if detail and detail != reason:
            text = f"{text}（{detail}）" if self.lang == "zh" else f"{text} ({detail})"
        return ctx.finding(
            UNREADABLE, "unreadable", hint_key="hint", reason=reason, reason_text=text, detail=detail
        )


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


def _looks_like(head: bytes) -> str:
    """What the first bytes look like, to name it in the GK000 message."""
    for magic, name in _MAGIC:
        if head.lstrip()[: len(magic)].lower() == magic.lower():
            return f"looks like {name}"
    try:
        head.decode("utf-8")
        return "looks like plain text"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("gb18030")
        return "looks like plain text"
    except UnicodeDecodeError:
        return "unknown binary content"
