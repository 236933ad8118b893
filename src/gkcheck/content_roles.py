"""A second, content-based pass over a submission's files: which one is the news report?

:func:`gkcheck.submission.classify_folder` decides by file name (新闻稿, 方案, 情况报告 …).
Units also send ``附件1.docx``, ``附件2.docx``, ``附件3.docx`` or a bare ``1.docx``; then the
name says nothing and the first document would be taken as the news report even when it is
the activity plan, which would then be held to the keyword rule. This pass reads such
documents and tells a plan (活动主题/活动时间/工作要求 …), a summary report
(现将…报告如下/特此报告/主要做法 …) and a news report (a dated lead "4月18日，", bylines,
photo captions) apart by their words. Names stay authoritative when they speak; content only
decides among documents whose names are silent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gkcheck.submission import Entry, FolderPlan

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from gkcheck.findings import Result
    from gkcheck.model import Document

__all__ = ["ContentVerdict", "content_role", "refine_plan"]

_CUES: dict[str, tuple[tuple[re.Pattern[str], int], ...]] = {
    "plan": (
        (re.compile(r"(活动|实施|工作)方案|活动计划|报备"), 3),
        (re.compile(r"活动(主题|时间|地点|对象|内容|安排|流程|形式|目的)[：:]?"), 2),
        (re.compile(r"(参加|参与|参会)人员"), 1),
        (re.compile(r"(工作|有关|相关)要求|注意事项|组织领导|经费保障|职责分工"), 2),
        (re.compile(r"拟于|拟定|拟邀请|计划于"), 2),
    ),
    "summary": (
        (re.compile(r"情况报告|工作总结|总结报告|情况汇报|开展情况的报告"), 3),
        (re.compile(r"现将.{0,30}(报告|汇报)如下"), 3),
        (re.compile(r"特此报告|特此汇报"), 3),
        (
            re.compile(
                r"主要做法|工作成效|取得成效|存在(的)?问题|经验做法|下一步(工作)?(打算|计划)"
            ),
            2,
        ),
        (re.compile(r"^(区政务公开办|雨花区政务公开办|区政务公开政务服务)"), 2),
    ),
    "report": (
        (re.compile(r"^\s*\d{1,2}月\d{1,2}日[，,上下午]"), 3),
        (re.compile(r"(记者|通讯员|供稿|来源|发布时间|责任编辑|审核)[：:]"), 2),
        (re.compile(r"图为|活动现场|现场气氛"), 1),
        (re.compile(r"(开展|举办|举行|召开|走进)[^。]{0,30}活动"), 1),
    ),
}


@dataclass(frozen=True, slots=True)
class ContentVerdict:
    """What a document's words say it is, with the cue counts behind it."""

    role: str | None  # "report" | "plan" | "summary" | None (unclear)
    scores: tuple[tuple[str, int], ...]

    def why(self) -> str:
        """A short reason for the ``files[].why`` field."""
        scored = ", ".join(f"{k} {v}" for k, v in self.scores)
        return f"content ({scored})"


def content_role(doc: Document) -> ContentVerdict:
    """Score a parsed document's first blocks against the cues of each kind."""
    texts = [b.text for b in doc.blocks[:60] if b.text.strip()]
    scores: dict[str, int] = dict.fromkeys(_CUES, 0)
    for kind, cues in _CUES.items():
        for pattern, weight in cues:
            hits = sum(1 for t in texts if pattern.search(t))
            scores[kind] += weight * min(hits, 3)
    if doc.photos:
        scores["report"] += 2
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, runner = ranked[0], ranked[1]
    role = best[0] if best[1] >= 3 and best[1] - runner[1] >= 2 else None
    return ContentVerdict(role, tuple(ranked))


def refine_plan(plan: FolderPlan, parse: Callable[[Path], Document | Result]) -> FolderPlan:
    """``plan`` with the news report chosen by content when names leave it open.

    Only runs when no file is named as the news report and two or more documents have
    silent names; returns ``plan`` itself when there is nothing to decide.
    """
    named_report = any(e.role == "report" and e.why == "file name" for e in plan.entries)
    silent = [
        e
        for e in plan.entries
        if e.role == "document" or (e.role == "report" and e.why != "file name")
    ]
    if named_report or len(silent) < 2:
        return plan
    from gkcheck.model import Document

    verdicts: dict[Path, ContentVerdict] = {}
    for e in silent:
        parsed = parse(e.path)
        if isinstance(parsed, Document):
            verdicts[e.path] = content_role(parsed)
    reports = [e for e in silent if e.path in verdicts and verdicts[e.path].role == "report"]
    if not reports:
        unclear = [e for e in silent if e.path in verdicts and verdicts[e.path].role is None]
        reports = unclear
    if not reports:
        return plan  # nothing looks like a news report: keep the name-based choice
    order = {".docx": 0, ".doc": 1, ".pdf": 2}
    chosen = min(reports, key=lambda e: (order.get(e.path.suffix.lower(), 3), str(e.path)))
    out = FolderPlan()
    for e in plan.entries:
        if e in silent:
            v = verdicts.get(e.path)
            if e is chosen:
                out.entries.append(Entry(e.path, "report", v.why() if v else e.why))
                out.report = e.path
            elif v is not None and v.role in ("plan", "summary"):
                out.entries.append(Entry(e.path, v.role, v.why()))
            else:
                out.entries.append(Entry(e.path, "document", v.why() if v else e.why))
        else:
            out.entries.append(e)
    return out
