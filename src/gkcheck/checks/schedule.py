"""GK400–GK403, GK501–GK505, GK601–GK602: the notice's timetable and plan.

Besides the news report, the notice asks each unit for three things around every activity
of attachment 1: the plan (方案) filed 5 working days before it, photos and text for the
website column within 2 working days after it (附件2·一), and a summary report (情况报告, with
short videos, pictures, 经验做法 and 工作实效) within 5 working days after it (通知·三). The
office must know at any time which activities are done, late, missing or faulty, so every
submission folder is tied to one row of the plan and its dates are checked against the
official working-day calendar.

Where the facts come from, in order of trust:

* dates: ``submission.toml`` (the unit's or clerk's declaration) for all four dates; the
  activity date alone may also be read from the news report's lead (``4月18日上午，…``) or,
  without a report, from the summary's opening — the source is kept with every date;
* the unit: the manifest's ``unit``, else the unit the report's title/lead names, else the
  unit the folder name names;
* the activity: the manifest's ``seq``, else :class:`gkcheck.matching.Matcher` on the unit,
  the activity month and the title/lead text.

A rule that lacks the date it needs says so with an ``info`` finding instead of guessing.
A lone file (``gkcheck check report.docx``) is a news report, not a submission: no submission
rule reports on it, and it is matched to an activity (recorded in the result, never a finding)
only in a schedule review — ``gkcheck schedule`` sets ``[plugins.schedule] as-of``; any
``[plugins.schedule]`` table (e.g. ``match-files = true``) does the same.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from gkcheck.dates import find_dates, pick_activity_date
from gkcheck.findings import Finding, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.manifest import Manifest, ManifestError
from gkcheck.matching import Matcher, MatchResult
from gkcheck.model import Block, Document, Role, Submission
from gkcheck.rules import CheckContext, Rule, Scope
from gkcheck.schedule import DEFAULT_YEAR, Activity, Schedule
from gkcheck.structure import outline
from gkcheck.submission import MANIFEST, VIDEO_SUFFIXES
from gkcheck.units import Unit, UnitDirectory
from gkcheck.workdays import (
    CalendarRangeError,
    deadline_after,
    deadline_before,
    workdays_ahead,
    workdays_between,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from gkcheck.config import Config

__all__ = [
    "ALL_RULES",
    "PartFound",
    "ScheduleCheck",
    "as_of_from",
    "find_part",
    "find_video_link",
    "schedule_for",
]

PLAN_DAYS = 5  #: 通知·三: 提前5个工作日 … 报备
MATERIALS_DAYS = 2  #: 附件2·一: 活动结束后两个工作日内 … 报送
SUMMARY_DAYS = 5  #: 通知·三: 情况报告 … 于5个工作日内报

_NO_ACTIVITY_DATE = {
    "zh": "活动日期不明（submission.toml 未填 activity_date，报道首段也未写明具体日期{vague_note}），"
    "无法核对{what}",
    "en": "the activity date is unknown (no activity_date in submission.toml and no date in the "
    "report's lead{vague_note}), so {what} cannot be checked",
}
_NO_CALENDAR = {"zh": "无法按工作日计算：{error}", "en": "cannot count working days: {error}"}


def _messages(zh: Mapping[str, str], en: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Message tables with the shared keys every deadline rule uses."""
    return {
        "zh": {"no-calendar": _NO_CALENDAR["zh"], **zh},
        "en": {"no-calendar": _NO_CALENDAR["en"], **en},
    }


def _rule(
    id: str,
    name: str,
    severity: Severity,
    zh: str,
    en: str,
    clause: str,
    messages: dict[str, dict[str, str]],
) -> Rule:
    return Rule(
        id=id,
        name=name,
        severity=severity,
        summary={"zh": zh, "en": en},
        clause=clause,
        scope="submission",
        messages=messages,
        docs=f"rules/{id}.md",
    )


MANIFEST_INVALID = _rule(
    "GK400",
    "manifest-invalid",
    Severity.ERROR,
    "报送清单 submission.toml 格式有误，其中的日期未被采用",
    "submission.toml is malformed; its dates were not used",
    "通知·三",
    _messages(
        {
            "invalid": "报送清单 submission.toml 有误，其中的日期均未采用：{problems}",
            "hint": "日期不加引号，如 activity_date = 2023-04-18；"
            "可用的键：activity_date、plan_filed、materials_sent、summary_sent、unit、seq。",
        },
        {
            "invalid": "submission.toml is malformed, none of its dates were used: {problems}",
            "hint": "Write dates without quotes, e.g. activity_date = 2023-04-18; keys: "
            "activity_date, plan_filed, materials_sent, summary_sent, unit, seq.",
        },
    ),
)

PLAN_LATE = _rule(
    "GK401",
    "plan-filed-late",
    Severity.WARNING,
    "活动方案未提前5个工作日报备",
    "The plan was not filed 5 working days before the activity",
    "通知·三",
    _messages(
        {
            "late": "活动方案于{filed}报备，只比活动日期{activity}（{activity_from}）提前"
            "{ahead}个工作日；通知要求提前5个工作日，最迟应于{due}报备",
            "after": "活动方案于{filed}才报备，已在活动日期{activity}（{activity_from}）当天或之后；"
            "通知要求提前5个工作日，最迟应于{due}报备",
            "no-date": "未登记活动方案的报备日期（submission.toml 的 plan_filed{plan_note}），"
            "无法核对是否提前5个工作日报备",
            "no-activity-date": _NO_ACTIVITY_DATE["zh"].replace("{what}", "方案报备时限"),
            "hint": "今后活动方案须在活动前5个工作日报区政务公开办（节假日不计，调休上班日计入）。",
        },
        {
            "late": "the plan was filed on {filed}, only {ahead} working days before the "
            "activity on {activity} ({activity_from}); the notice asks for 5, i.e. by {due}",
            "after": "the plan was filed on {filed}, on or after the activity day {activity} "
            "({activity_from}); the notice asks for 5 working days ahead, i.e. by {due}",
            "no-date": "no plan filing date declared (plan_filed in submission.toml{plan_note}); "
            "whether it was filed 5 working days ahead cannot be checked",
            "no-activity-date": _NO_ACTIVITY_DATE["en"].replace("{what}", "the plan deadline"),
            "hint": "File the plan with the district office 5 working days before the activity "
            "(holidays do not count, make-up working days do).",
        },
    ),
)

MATERIALS_LATE = _rule(
    "GK402",
    "materials-sent-late",
    Severity.WARNING,
    "活动图片及文字材料未在活动后2个工作日内报送",
    "Photos and text were not sent within 2 working days after the activity",
    "附件2·一",
    _messages(
        {
            "late": "活动图片及文字材料于{sent}报送，晚于截止日期{due}"
            "（活动日期{activity}后2个工作日内，{activity_from}；实为第{workdays}个工作日）",
            "before": "材料报送日期{sent}早于活动日期{activity}（{activity_from}），请核对",
            "no-date": "未登记图片及文字材料的报送日期（submission.toml 的 materials_sent），"
            "无法核对是否在活动后2个工作日内报送",
            "no-activity-date": _NO_ACTIVITY_DATE["zh"].replace("{what}", "材料报送时限"),
            "hint": "活动结束后两个工作日内将活动图片及文字材料报区政务公开办。",
        },
        {
            "late": "photos and text were sent on {sent}, after the deadline {due} (2 working "
            "days after the activity on {activity}, {activity_from}; it was working day "
            "{workdays})",
            "before": "materials were sent on {sent}, before the activity date {activity} "
            "({activity_from}); please check",
            "no-date": "no sending date declared for photos and text (materials_sent in "
            "submission.toml); the 2-working-day deadline cannot be checked",
            "no-activity-date": _NO_ACTIVITY_DATE["en"].replace("{what}", "the 2-day deadline"),
            "hint": "Send photos and text to the district office within 2 working days.",
        },
    ),
)

SUMMARY_LATE = _rule(
    "GK403",
    "summary-sent-late",
    Severity.WARNING,
    "活动情况报告未在活动后5个工作日内报送",
    "The summary report was not sent within 5 working days after the activity",
    "通知·三",
    _messages(
        {
            "late": "活动情况报告于{sent}报送，晚于截止日期{due}"
            "（活动日期{activity}后5个工作日内，{activity_from}；实为第{workdays}个工作日）",
            "before": "情况报告报送日期{sent}早于活动日期{activity}（{activity_from}），请核对",
            "no-date": "未登记情况报告的报送日期（submission.toml 的 summary_sent），"
            "无法核对是否在活动后5个工作日内报送",
            "no-activity-date": _NO_ACTIVITY_DATE["zh"].replace("{what}", "情况报告报送时限"),
            "hint": "活动结束后5个工作日内将情况报告报区政务公开办。",
        },
        {
            "late": "the summary report was sent on {sent}, after the deadline {due} (5 working "
            "days after the activity on {activity}, {activity_from}; it was working day "
            "{workdays})",
            "before": "the summary was sent on {sent}, before the activity date {activity} "
            "({activity_from}); please check",
            "no-date": "no sending date declared for the summary report (summary_sent in "
            "submission.toml); the 5-working-day deadline cannot be checked",
            "no-activity-date": _NO_ACTIVITY_DATE["en"].replace("{what}", "the 5-day deadline"),
            "hint": "Send the summary report within 5 working days after the activity.",
        },
    ),
)

SUMMARY_MISSING = _rule(
    "GK501",
    "summary-missing",
    Severity.ERROR,
    "报送材料中没有活动情况报告",
    "The submission has no summary report (情况报告)",
    "通知·三",
    _messages(
        {
            "missing": "报送材料中没有活动情况报告（文件名或标题含“情况报告”“总结”等的文档）",
            "not-due": "尚未收到活动情况报告；截止日期为{due}，截至{as_of}尚未到期",
            "hint": "活动后5个工作日内报送情况报告，含短视频、图片、经验做法和工作实效；"
            "文件名写明“情况报告”。",
        },
        {
            "missing": "the submission holds no summary report (a document whose name or title "
            "says 情况报告, 总结 …)",
            "not-due": "no summary report yet; it is due by {due}, not yet due on {as_of}",
            "hint": "Send the summary report (情况报告) within 5 working days, with video, "
            "pictures, practices and results; name the file 情况报告.",
        },
    ),
)

SUMMARY_NO_VIDEO = _rule(
    "GK502",
    "summary-without-video",
    Severity.WARNING,
    "情况报告未附短视频",
    "The summary report comes without a short video",
    "通知·三",
    _messages(
        {
            "missing": "情况报告未附短视频：报送材料中没有视频文件，情况报告中也没有视频链接",
            "mentioned": "情况报告提到了视频（「{text}」），但报送材料中没有视频文件，报告中也没有视频链接",
            "hint": "随情况报告报送活动短视频（.mp4 等文件），或在报告中写明视频链接。",
        },
        {
            "missing": "no short video: no video file in the submission and no video link in "
            "the summary report",
            "mentioned": 'the summary mentions a video ("{text}") but no video file or link '
            "was sent",
            "hint": "Send the activity's short video (.mp4 …) with the summary, or give its link.",
        },
    ),
)

SUMMARY_NO_PICTURES = _rule(
    "GK503",
    "summary-without-pictures",
    Severity.ERROR,
    "情况报告未附图片",
    "The summary report comes without pictures",
    "通知·三",
    _messages(
        {
            "missing": "情况报告未附图片：报告中没有插图，报送材料中也没有照片文件",
            "hint": "在情况报告中插入活动现场图片，或随报告报送照片文件。",
        },
        {
            "missing": "no pictures: none embedded in the summary report and no photo files in "
            "the submission",
            "hint": "Embed photos of the activity in the summary or send them as files.",
        },
    ),
)

SUMMARY_NO_PRACTICES = _rule(
    "GK504",
    "summary-without-practices",
    Severity.WARNING,
    "情况报告未写经验做法",
    "The summary report does not describe the practices (经验做法)",
    "通知·三",
    _messages(
        {
            "missing": "情况报告中未找到“经验做法”部分（如“主要做法”“工作举措”“经验做法”等小标题或表述）",
            "unreadable": "情况报告 {summary} 没有可读的文字{reason}，无法核对经验做法",
            "hint": "用小标题写明经验做法，如“二、主要做法”，分条写明具体举措。",
        },
        {
            "missing": "no practices (经验做法) part found in the summary (a heading or phrase "
            "such as 主要做法, 工作举措, 经验做法)",
            "unreadable": "the summary {summary} has no readable text{reason}; practices not checked",
            "hint": "Give the practices a heading such as 二、主要做法 and list the measures.",
        },
    ),
)

SUMMARY_NO_RESULTS = _rule(
    "GK505",
    "summary-without-results",
    Severity.WARNING,
    "情况报告未写工作实效",
    "The summary report does not describe the results (工作实效)",
    "通知·三",
    _messages(
        {
            "missing": "情况报告中未找到“工作实效”部分（如“取得成效”“活动成效”“工作实效”等小标题或表述）",
            "unreadable": "情况报告 {summary} 没有可读的文字{reason}，无法核对工作实效",
            "hint": "用小标题写明工作实效，如“三、取得成效”，用数字说明效果（参与人数、解答咨询等）。",
        },
        {
            "missing": "no results (工作实效) part found in the summary (a heading or phrase "
            "such as 取得成效, 活动成效, 工作实效)",
            "unreadable": "the summary {summary} has no readable text{reason}; results not checked",
            "hint": "Give the results a heading such as 三、取得成效 and quantify them.",
        },
    ),
)

NOT_IN_SCHEDULE = _rule(
    "GK601",
    "activity-not-in-schedule",
    Severity.WARNING,
    "未能对应到活动计划安排表中的活动",
    "The submission matches no activity of the plan (attachment 1)",
    "附件1",
    _messages(
        {
            "unmatched": "未能对应到活动计划安排表中的活动（报送单位：{unit}）；最接近的：{nearest}",
            "ambiguous": "无法确定对应活动计划安排表中的哪一项（报送单位：{unit}）；候选：{nearest}",
            "bad-seq": "submission.toml 中的序号 {seq} 不在活动计划安排表中",
            "seq-unit": "submission.toml 中的序号 {seq}（{theme}）由{planned_unit}负责，"
            "而报送单位是{unit}",
            "unknown-unit": "未识别",
            "none": "无",
            "hint": "在 submission.toml 中写明 seq = 计划表序号，或在报道标题、首段写明单位和活动主题。",
        },
        {
            "unmatched": "matches no activity of the plan (unit: {unit}); closest: {nearest}",
            "ambiguous": "cannot tell which planned activity this is (unit: {unit}); "
            "candidates: {nearest}",
            "bad-seq": "seq {seq} in submission.toml is not in the plan",
            "seq-unit": "seq {seq} in submission.toml ({theme}) belongs to {planned_unit}, "
            "but the submission comes from {unit}",
            "unknown-unit": "not recognised",
            "none": "none",
            "hint": "Put seq = <序号> in submission.toml, or name the unit and the theme in the "
            "report's title and lead.",
        },
    ),
)

OTHER_MONTH = _rule(
    "GK602",
    "held-in-other-month",
    Severity.WARNING,
    "活动未在计划月份开展",
    "The activity was held in another month than planned",
    "附件1",
    _messages(
        {
            "other": "活动于{activity}开展（{activity_from}），计划安排在{planned}"
            "（序号{seq}：{theme}）",
            "no-date": "活动日期不明（submission.toml 未填 activity_date，报道首段也未写明具体日期"
            "{vague_note}），无法核对是否按计划在{planned}开展",
            "hint": "按计划安排表的月份开展活动；确需调整的，应事先向区政务公开办说明。",
        },
        {
            "other": "the activity took place on {activity} ({activity_from}); the plan has it in "
            "{planned} (seq {seq}: {theme})",
            "no-date": "the activity date is unknown (no activity_date in submission.toml and no "
            "date in the report's lead{vague_note}); cannot check it was held in {planned}",
            "hint": "Hold the activity in the planned month, or tell the district office first.",
        },
    ),
)

ALL_RULES: tuple[Rule, ...] = (
    MANIFEST_INVALID,
    PLAN_LATE,
    MATERIALS_LATE,
    SUMMARY_LATE,
    SUMMARY_MISSING,
    SUMMARY_NO_VIDEO,
    SUMMARY_NO_PICTURES,
    SUMMARY_NO_PRACTICES,
    SUMMARY_NO_RESULTS,
    NOT_IN_SCHEDULE,
    OTHER_MONTH,
)

# ---------------------------------------------------------------------------------------------
# Summary parts: 经验做法 and 工作实效.
#
# Real 情况报告 follow the official-document outline 一、基本情况 二、主要做法 三、取得成效
# 四、存在问题 五、下一步打算, with many spellings of each heading; some put the heading at the
# start of a paragraph (一、主要做法。一是……), some write no headings and say 活动取得了良好成效
# in a sentence. A heading is the strong signal; a fixed phrase in running text is accepted
# too. Headings about plans or problems (下一步措施, 存在的不足) are not practices or results.

PartKind = Literal["practices", "results"]

_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．，]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]"
    r"|\d{1,2}\s*[、.．](?!\d)|第[一二三四五六七八九十]+(?:部分|章|节|点)|[①②③④⑤⑥⑦⑧⑨⑩])\s*"
)
_HEAD_END = re.compile(r"[。：:；;！!？?]")
_HEADING_WORDS: dict[PartKind, re.Pattern[str]] = {
    "practices": re.compile(r"做法|举措|措施|经验|亮点|特色|创新|主要工作|工作开展方式"),
    "results": re.compile(r"成效|实效|成果|效果|成绩|反响|收获|成就|效益"),
}
_NOT_HEADING: dict[PartKind, re.Pattern[str]] = {
    "practices": re.compile(r"下一步|今后|打算|计划|问题|不足|困难|建议|意见|思路"),
    "results": re.compile(r"下一步|今后|打算|预期|目标|计划|问题|不足|建议"),
}
_PHRASES: dict[PartKind, re.Pattern[str]] = {
    "practices": re.compile(
        r"经验做法|主要做法|具体做法|创新做法|特色做法|典型做法|工作做法|有效做法|好的做法"
        r"|工作举措|主要举措|具体举措|创新举措|务实举措|主要措施|具体措施|有力措施|工作经验"
    ),
    "results": re.compile(
        r"工作实效|活动实效|取得实效|取得成效|活动成效|工作成效|主要成效|明显成效|显著成效|良好成效"
        r"|取得了?[^，。；！？\n]{0,8}(?:成效|实效|效果|成果)|成效(?:明显|显著|突出|良好)"
        r"|收到了?[^，。；！？\n]{0,6}效果|效果(?:明显|显著|良好)"
    ),
}
_FUTURE = re.compile(r"下一步|今后|将继续|力争|争取|计划")


@dataclass(frozen=True, slots=True)
class PartFound:
    """Where a summary part was found: by a heading or by a phrase, and the text that showed it."""

    found: bool
    by: str | None = None  # "heading" | "phrase"
    text: str | None = None
    block: int | None = None
    file: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``summary.practices``/``summary.results`` fact."""
        out: dict[str, Any] = {"found": self.found}
        for key in ("by", "text", "block", "file"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


def _heading_text(block: Block) -> str | None:
    """The heading a block is or starts with, or ``None`` for a plain paragraph.

    A whole short line without a closing full stop is a heading; so is a numbered line's
    first clause (``二、主要做法。一是……``) and a bold or outline-level line.
    """
    text = " ".join(block.text.split())
    if not text:
        return None
    numbered = _NUMBER.match(text)
    head = text
    if numbered or len(text) > 30:
        cut = _HEAD_END.search(text)
        head = text[: cut.start()] if cut else text
        if not numbered and (cut is None or cut.start() > 16):
            return None  # a long paragraph with no numbered or labelled opening
    if len(head) > 30:
        return None
    styled = block.role in (Role.HEADING, Role.TITLE) or bool(block.style.bold)
    styled = styled or block.style.outline_level is not None
    if numbered or styled or len(text) <= 30 or text[len(head) : len(head) + 1] in "：:":
        return head
    return None


def find_part(blocks: Sequence[Block], kind: PartKind, *, file: str | None = None) -> PartFound:
    """Whether ``blocks`` (a summary's text) hold the 经验做法 or 工作实效 part, and where."""
    words, not_words, phrases = _HEADING_WORDS[kind], _NOT_HEADING[kind], _PHRASES[kind]
    for b in blocks:
        head = _heading_text(b)
        if head and words.search(head) and not not_words.search(head):
            return PartFound(True, "heading", head, b.index, file)
    for b in blocks:
        for sentence in re.split(r"(?<=[。；！？!?;])", b.text):
            m = phrases.search(sentence)
            if m and not _FUTURE.search(sentence[: m.start()]):
                return PartFound(True, "phrase", m.group(0), b.index, file)
    return PartFound(False, file=file)


# ---------------------------------------------------------------------------------------------
# Video: a file in the submission, a video embedded in the summary, or a link to one.

_URL = re.compile(r"https?://[^\s，。；、）)\]】\"'<>]+", re.IGNORECASE)
_VIDEO_HOSTS = re.compile(
    r"v\.qq\.com|channels\.weixin\.qq\.com|douyin\.com|iesdouyin\.com|bilibili\.com|b23\.tv"
    r"|ixigua\.com|kuaishou\.com|youku\.com|weishi\.qq\.com|vod|video|\.mp4|\.m3u8",
    re.IGNORECASE,
)
_VIDEO_WORDS = re.compile(r"视频|短片|微视|抖音|视频号|快手|录像")


def find_video_link(blocks: Sequence[Block]) -> tuple[str | None, str | None]:
    """A link to a video in the text, and a mere mention of a video (each or ``None``).

    A URL counts when it points to a video site or file, or sits in a sentence about a video
    (``活动视频：https://…``). A mention without a link (``拍摄了短视频``) is not the video.
    """
    mention: str | None = None
    for b in blocks:
        for sentence in re.split(r"(?<=[。；！？!?;\n])", b.text):
            urls = _URL.findall(sentence)
            talk = _VIDEO_WORDS.search(sentence)
            for url in urls:
                if _VIDEO_HOSTS.search(url) or talk:
                    return url, None
            if talk and mention is None:
                mention = _short(sentence.strip(), 40)
    return None, mention


def _embedded_videos(path: Path) -> list[str]:
    """Video parts inside a Word package (names only; nothing is extracted)."""
    if path.suffix.lower() != ".docx":
        return []
    try:
        with zipfile.ZipFile(path) as zf:
            return [n for n in zf.namelist() if n.lower().endswith(VIDEO_SUFFIXES)]
    except (OSError, zipfile.BadZipFile, ValueError):
        return []


# ---------------------------------------------------------------------------------------------
# The submission as the rules see it.

# Titles say what a document is when its file name does not (附件1.docx): a plan's title ends
# in 方案, a summary's in (情况的)报告/总结/汇报. Only the end of the title is read, because a
# news title may well mention a 行动计划 or a 总结会 it reports on.
_SUMMARY_TITLE = re.compile(
    r"情况的?报告|总结报告|工作总结|活动总结|情况汇报|活动报告|工作报告|总结$|汇报$"
)
_PLAN_TITLE = re.compile(r"(?:方案|预案)$")
_TITLE_NOISE = re.compile(r"[\s“”\"'‘’《》〈〉「」（）()【】\[\]]")


def _kind_by_title(doc: Document) -> str | None:
    """``"summary"`` or ``"plan"`` when the document's title says so, else ``None``."""
    title = _TITLE_NOISE.sub("", _title_of(doc))
    if _PLAN_TITLE.search(title):
        return "plan"
    if _SUMMARY_TITLE.search(title) and not _PLAN_TITLE.search(title):
        return "summary"
    return None


def _short(text: str, limit: int = 30) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _title_of(doc: Document) -> str:
    o = outline(doc)
    if o.title_text:
        return o.title_text
    first = next((b.text for b in doc.blocks if b.text.strip()), "")
    return first[:60]


@dataclass(frozen=True, slots=True)
class _View:
    """The files of a submission sorted by what the rules need."""

    report: Document | None
    summaries: tuple[Document, ...]
    summary_files: tuple[str, ...]  # every file taken as a summary, parsed or not
    plans: tuple[Document, ...]
    plan_files: tuple[str, ...]
    manifest: Path | None
    is_folder: bool

    @classmethod
    def of(cls, sub: Submission) -> _View:
        folder = sub.path
        is_folder = sub.report is None or sub.report.path != sub.path
        by_name: dict[str, Document] = {}
        for doc in sub.documents:
            try:
                by_name[str(doc.path.relative_to(folder))] = doc
            except ValueError:
                by_name[str(doc.path)] = doc
        summary_files = [n for n, r in sub.roles.items() if r == "summary"]
        plan_files = [n for n, r in sub.roles.items() if r == "plan"]
        # A summary or plan named 材料.docx or 附件3.docx is recognised by its title; when the
        # document taken as the news report turns out to be one, another one is the report.
        report = sub.report
        others: list[Document] = []
        for name, doc in by_name.items():
            role = sub.roles.get(name)
            if role not in ("document", "report"):
                continue
            kind = _kind_by_title(doc)
            if kind == "summary":
                summary_files.append(name)
            elif kind == "plan":
                plan_files.append(name)
            if kind is not None and doc is report:
                report = None
            elif kind is None and role == "document":
                others.append(doc)
        if report is None and is_folder and others:
            report = others[0]
        manifest = next(
            (
                folder / n
                for n, r in sub.roles.items()
                if r == "manifest" and Path(n).name == MANIFEST
            ),
            None,
        )
        return cls(
            report=report,
            summaries=tuple(by_name[n] for n in sorted(summary_files) if n in by_name),
            summary_files=tuple(sorted(summary_files)),
            plans=tuple(by_name[n] for n in sorted(plan_files) if n in by_name),
            plan_files=tuple(sorted(plan_files)),
            manifest=manifest if is_folder else None,
            is_folder=is_folder,
        )


@dataclass(frozen=True, slots=True)
class _Dated:
    """A date and where it came from."""

    date: dt.date | None
    source: str | None  # "manifest" | "report" | "summary"
    text: str | None = None  # the words it was read from
    block: Block | None = None
    file: Path | None = None
    vague: str | None = None  # 近日/日前 where a date was expected

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
        }
        if self.text:
            out["text"] = self.text
        if self.vague:
            out["vague"] = self.vague
        return out


def _date_in(doc: Document, source: str, year: int) -> _Dated | None:
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
            return _Dated(picked.date, source, picked.text, b, doc.path)
        vague = vague or next((m.text for m in mentions if m.vague), None)
    if vague:
        return _Dated(None, None, vague=vague)
    return None


@dataclass(frozen=True, slots=True)
class _State:
    schedule: Schedule
    matcher: Matcher
    directory: UnitDirectory


@cache
def _state(schedule_path: Path | None, year: int, units: tuple[Unit, ...]) -> _State:
    directory = UnitDirectory(units)
    sched = Schedule.load(
        schedule_path, year=year if schedule_path else DEFAULT_YEAR, directory=directory
    )
    return _State(sched, Matcher(sched, directory), directory)


def schedule_for(config: Config) -> Schedule:
    """The schedule ``config`` names (the packaged 2023 plan by default), loaded once."""
    return _state(config.schedule, config.year, tuple(config.units)).schedule


def as_of_from(config: Config) -> dt.date | None:
    """The review date set by ``gkcheck schedule --as-of`` or ``[plugins.schedule] as-of``.

    Without one every deadline counts as passed: a review after the campaign.
    """
    value = config.plugin("schedule").get("as-of")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _activity_json(a: Activity, score: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"seq": a.seq, "theme": a.theme, "unit": a.unit, "month": a.month}
    if score is not None:
        out["score"] = score
    return out


class ScheduleCheck:
    """Ties a submission to its planned activity and checks dates and the summary report.

    One class, not eleven functions, because every rule needs the same expensive facts
    (the schedule, the matcher, the activity date) and they must agree with each other.
    """

    rules: tuple[Rule, ...] = ALL_RULES
    scope: Scope = "submission"
    name = "gkcheck.checks.schedule.ScheduleCheck"

    def __init__(self, config: Config) -> None:
        self._key = (config.schedule, config.year, tuple(config.units))

    def __call__(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        """Record the matched activity and dates; yield findings for submission folders."""
        sub = ctx.submission
        if sub is None:
            return
        view = _View.of(sub)
        if not view.is_folder and not ctx.config.plugin("schedule"):
            # A lone report is matched only in a schedule review (``gkcheck schedule``, or a
            # ``[plugins.schedule]`` table): matching loads jieba's full dictionary, 1-4 s
            # that a one-file pre-publication check should not pay.
            return
        state = _state(*self._key)
        year = state.schedule.year
        manifest, problems = _read_manifest(view.manifest)
        activity_date = _activity_date(manifest, view, year)
        unit, unit_source = _unit(manifest, view, sub, state.directory)
        match, by = _match(state, manifest, unit, activity_date, view, sub)
        ctx.facts["activity"] = _activity_fact(match, by, unit, unit_source)
        declared = {
            key: _Dated(getattr(manifest, key), "manifest", file=view.manifest)
            if manifest is not None and getattr(manifest, key) is not None
            else _Dated(None, None)
            for key in ("plan_filed", "materials_sent", "summary_sent")
        }
        ctx.facts["dates"] = _dates_fact(activity_date, declared)
        if not view.is_folder:
            return  # a lone news report: facts only
        where = view.manifest
        if problems:
            yield ctx.finding(
                MANIFEST_INVALID, "invalid", file=where, hint_key="hint", problems=problems
            )
        yield from _deadlines(ctx, activity_date, declared, view, sub)
        yield from _summary(ctx, view, sub, activity_date)
        yield from _schedule_findings(ctx, state, manifest, match, by, unit, activity_date, view)


# ---------------------------------------------------------------------------------------------
# Facts.


def _read_manifest(path: Path | None) -> tuple[Manifest | None, str | None]:
    if path is None:
        return None, None
    try:
        return Manifest.load(path), None
    except ManifestError as exc:
        return None, "；".join(str(p) for p in exc.problems)
    except OSError as exc:
        return None, exc.strerror or str(exc)


def _activity_date(manifest: Manifest | None, view: _View, year: int) -> _Dated:
    if manifest is not None and manifest.activity_date is not None:
        return _Dated(manifest.activity_date, "manifest", file=view.manifest)
    vague: str | None = None
    sources: list[tuple[Document, str]] = []
    if view.report is not None:
        sources.append((view.report, "report"))
    sources.extend((d, "summary") for d in view.summaries)
    for doc, source in sources:
        found = _date_in(doc, source, year)
        if found is not None and found.date is not None:
            return found
        if found is not None and vague is None:
            vague = found.vague
    return _Dated(None, None, vague=vague)


def _unit(
    manifest: Manifest | None, view: _View, sub: Submission, directory: UnitDirectory
) -> tuple[str | None, str | None]:
    """The submitting unit: declared, else named in the report's title/lead, else the folder."""
    if manifest is not None and manifest.unit:
        return directory.resolve(manifest.unit) or manifest.unit, "manifest"
    for doc, source in ((view.report, "report"), *((d, "summary") for d in view.summaries)):
        if doc is None:
            continue
        o = outline(doc)
        text = "\n".join([o.title_text or "", o.lead.text if o.lead else ""])
        found = directory.find_in(text)
        if found:
            return found[0], source
    name = sub.path.name if view.is_folder else sub.path.stem
    found = directory.find_in(name)
    if found:
        return found[0], "folder" if view.is_folder else "file name"
    return None, None


def _texts(view: _View, sub: Submission) -> list[str]:
    texts: list[str] = []
    for doc in (view.report, *view.summaries, *view.plans):
        if doc is None:
            continue
        o = outline(doc)
        texts.append(o.title_text or "")
        if o.lead is not None:
            texts.append(o.lead.text)
        if any(t.strip() for t in texts):
            break  # the first document that says anything is what the matcher reads
    texts.append(sub.path.stem if not view.is_folder else sub.path.name)
    return [t for t in texts if t.strip()]


def _match(
    state: _State,
    manifest: Manifest | None,
    unit: str | None,
    activity_date: _Dated,
    view: _View,
    sub: Submission,
) -> tuple[MatchResult, str]:
    if manifest is not None and manifest.seq is not None:
        declared = state.schedule.by_seq(manifest.seq)
        if declared is not None:
            return MatchResult(declared, 1.0, "matched", ((declared, 1.0),), unit), "manifest"
    day = activity_date.date
    month = day.month if day is not None and day.year == state.schedule.year else None
    return state.matcher.match(unit=unit, month=month, texts=_texts(view, sub)), "matching"


def _activity_fact(
    match: MatchResult, by: str, unit: str | None, unit_source: str | None
) -> dict[str, Any]:
    a = match.activity
    return {
        "seq": a.seq if a else None,
        "theme": a.theme if a else None,
        "unit": a.unit if a else unit,
        "month": a.month if a else None,
        "score": match.score,
        "status": match.status,
        "by": by,
        "submitted_by": unit,
        "unit_source": unit_source,
        "candidates": [_activity_json(c, s) for c, s in match.candidates],
    }


def _dates_fact(activity: _Dated, declared: Mapping[str, _Dated]) -> dict[str, Any]:
    out: dict[str, Any] = {"activity": activity.to_json()}
    day = activity.date
    for key, n, before in (
        ("plan_filed", PLAN_DAYS, True),
        ("materials_sent", MATERIALS_DAYS, False),
        ("summary_sent", SUMMARY_DAYS, False),
    ):
        entry = declared[key].to_json()
        due: dt.date | None = None
        if day is not None:
            try:
                due = deadline_before(day, n) if before else deadline_after(day, n)
            except CalendarRangeError:
                due = None
        entry["due"] = due.isoformat() if due else None
        out[key] = entry
    return out


# ---------------------------------------------------------------------------------------------
# Findings.


def _from(activity: _Dated, lang: str) -> str:
    """Words saying where the activity date was read."""
    zh = lang == "zh"
    if activity.source == "manifest":
        return "据 submission.toml" if zh else "from submission.toml"
    place = {"report": ("报道", "the report"), "summary": ("情况报告", "the summary")}
    name = place.get(activity.source or "", ("", ""))[0 if zh else 1]
    return f"据{name}「{activity.text}」" if zh else f'from {name}: "{activity.text}"'


def _vague_note(activity: _Dated, lang: str) -> str:
    if not activity.vague:
        return ""
    return f"，只写了“{activity.vague}”" if lang == "zh" else f', it says only "{activity.vague}"'


def _deadlines(
    ctx: CheckContext,
    activity: _Dated,
    declared: Mapping[str, _Dated],
    view: _View,
    sub: Submission,
) -> Iterator[Finding]:
    info = Severity.INFO
    lang = ctx.lang
    for rule, key, n in (
        (PLAN_LATE, "plan_filed", PLAN_DAYS),
        (MATERIALS_LATE, "materials_sent", MATERIALS_DAYS),
        (SUMMARY_LATE, "summary_sent", SUMMARY_DAYS),
    ):
        sent = declared[key]
        where = view.manifest or sub.path
        if rule is SUMMARY_LATE and not view.summary_files and sent.date is None:
            continue  # no summary and no date: GK501 says it
        if sent.date is None:
            note = ""
            if rule is PLAN_LATE and view.plan_files:
                note = (
                    f"；已收到方案文件 {view.plan_files[0]}"
                    if lang == "zh"
                    else f"; plan file {view.plan_files[0]} received"
                )
            yield ctx.finding(rule, "no-date", severity=info, file=where, plan_note=note)
            continue
        if activity.date is None:
            yield ctx.finding(
                rule,
                "no-activity-date",
                severity=info,
                file=where,
                vague_note=_vague_note(activity, lang),
                vague=activity.vague,
            )
            continue
        common: dict[str, Any] = {
            "activity": activity.date.isoformat(),
            "activity_source": activity.source,
            "activity_from": _from(activity, lang),
        }
        try:
            if rule is PLAN_LATE:
                due = deadline_before(activity.date, n)
                if sent.date <= due:
                    continue
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
                continue
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
                continue
            due = deadline_after(activity.date, n)
            if sent.date <= due:
                continue
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
            yield ctx.finding(rule, "no-calendar", severity=info, file=where, error=str(exc))


def _summary(
    ctx: CheckContext, view: _View, sub: Submission, activity: _Dated
) -> Iterator[Finding]:
    if not view.summary_files:
        ctx.facts["summary"] = {"files": []}
        as_of = as_of_from(ctx.config)
        if as_of is not None and activity.date is not None:
            try:
                due = deadline_after(activity.date, SUMMARY_DAYS)
            except CalendarRangeError:
                due = None
            if due is not None and as_of <= due:
                yield ctx.finding(
                    SUMMARY_MISSING,
                    "not-due",
                    severity=Severity.INFO,
                    file=sub.path,
                    due=due.isoformat(),
                    as_of=as_of.isoformat(),
                )
                return
        yield ctx.finding(SUMMARY_MISSING, "missing", file=sub.path, hint_key="hint")
        return
    summaries = view.summaries
    first = summaries[0].path if summaries else sub.path / view.summary_files[0]
    # pictures: embedded in the summary, or loose photos sent with it
    embedded = sum(len(d.photos) for d in summaries)
    loose = len(sub.photos)
    if embedded + loose == 0:
        yield ctx.finding(SUMMARY_NO_PICTURES, "missing", file=first, hint_key="hint")
    # video: a file, a video inside the summary package, or a link in its text
    blocks = [b for d in summaries for b in d.blocks]
    inside = [v for d in summaries for v in _embedded_videos(d.path)]
    link, mention = find_video_link(blocks)
    files = [
        str(p.relative_to(sub.path)) if p.is_relative_to(sub.path) else str(p) for p in sub.videos
    ]
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
    # practices and results
    parts: dict[str, Any] = {}
    readable = [d for d in summaries if any(b.text.strip() for b in d.blocks)]
    kinds: tuple[tuple[Rule, PartKind], ...] = (
        (SUMMARY_NO_PRACTICES, "practices"),
        (SUMMARY_NO_RESULTS, "results"),
    )
    for rule, kind in kinds:
        if not readable:
            reason = ""
            if summaries and summaries[0].ocr_skipped:
                reason = "（需要 OCR）" if ctx.lang == "zh" else " (needs OCR)"
            yield ctx.finding(
                rule,
                "unreadable",
                severity=Severity.INFO,
                file=first,
                reason=reason,
                summary=view.summary_files[0],
            )
            continue
        found = PartFound(False)
        for d in readable:
            name = (
                str(d.path.relative_to(sub.path))
                if d.path.is_relative_to(sub.path)
                else str(d.path)
            )
            found = find_part(d.blocks, kind, file=name)
            if found.found:
                break
        parts[kind] = found.to_json()
        if not found.found:
            yield ctx.finding(rule, "missing", file=first, hint_key="hint")
    ctx.facts["summary"] = {
        "files": list(view.summary_files),
        "pictures": {"embedded": embedded, "loose": loose},
        "video": video,
        **parts,
    }


def _schedule_findings(
    ctx: CheckContext,
    state: _State,
    manifest: Manifest | None,
    match: MatchResult,
    by: str,
    unit: str | None,
    activity: _Dated,
    view: _View,
) -> Iterator[Finding]:
    lang = ctx.lang
    unit_text = unit or NOT_IN_SCHEDULE.template("unknown-unit", lang)
    titles = outline(view.report).title if view.report is not None else ()
    report_title = titles[0] if titles else None
    if manifest is not None and manifest.seq is not None and by != "manifest":
        yield ctx.finding(
            NOT_IN_SCHEDULE, "bad-seq", file=view.manifest, hint_key="hint", seq=manifest.seq
        )
    a = match.activity
    if a is None:
        sep = "；" if lang == "zh" else "; "
        nearest = sep.join(
            f"{c.seq} {c.unit} {c.month}月 {_short(c.theme, 20)}"
            if lang == "zh"
            else f"{c.seq} {c.unit} month {c.month} {_short(c.theme, 20)}"
            for c, _ in match.candidates[:3]
        ) or NOT_IN_SCHEDULE.template("none", lang)
        if not (manifest is not None and manifest.seq is not None):
            yield ctx.finding(
                NOT_IN_SCHEDULE,
                match.status,
                block=report_title,
                file=view.report.path if view.report else None,
                hint_key="hint",
                unit=unit_text,
                nearest=nearest,
                status=match.status,
                score=match.score,
                candidates=[_activity_json(c, s) for c, s in match.candidates],
            )
        return
    if by == "manifest" and unit is not None:
        planned = state.schedule.canonical_unit(a.unit)
        if planned is not None and state.schedule.canonical_unit(unit) not in (None, planned):
            yield ctx.finding(
                NOT_IN_SCHEDULE,
                "seq-unit",
                file=view.manifest,
                hint_key="hint",
                seq=a.seq,
                theme=_short(a.theme),
                planned_unit=a.unit,
                unit=unit,
            )
    planned_text = f"{a.year}年{a.month}月" if lang == "zh" else f"{a.year}-{a.month:02d}"
    if activity.date is None:
        yield ctx.finding(
            OTHER_MONTH,
            "no-date",
            severity=Severity.INFO,
            file=view.manifest or (view.report.path if view.report else None),
            planned=planned_text,
            seq=a.seq,
            vague_note=_vague_note(activity, lang),
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
            activity_from=_from(activity, lang),
            planned=planned_text,
            planned_month=a.month,
            seq=a.seq,
            theme=_short(a.theme),
        )


@hookimpl
def gkcheck_register_checks(config: Config) -> list[object]:
    """Register GK400–GK403, GK501–GK505, GK601–GK602."""
    return [ScheduleCheck(config)]
