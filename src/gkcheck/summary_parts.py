"""What a summary report (情况报告) says: its 经验做法, its 工作实效, and a link to its video.

The notice (通知·三) asks for a summary report "含相关短视频、图片、经验做法和工作实效". These
functions read a parsed summary for each part; the summary rules (GK502–GK505) only decide what
the notice requires of what they find.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from gkcheck.model import Block, Role
from gkcheck.submission.files import VIDEO_SUFFIXES
from gkcheck.textutil import shorten

__all__ = ["PartFound", "PartKind", "embedded_videos", "find_part", "find_video_link"]

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
                mention = shorten(sentence.strip(), 40)
    return None, mention


def embedded_videos(path: Path) -> list[str]:
    """Video parts inside a Word package (names only; nothing is extracted)."""
    if path.suffix.lower() != ".docx":
        return []
    try:
        with zipfile.ZipFile(path) as zf:
            return [n for n in zf.namelist() if n.lower().endswith(VIDEO_SUFFIXES)]
    except (OSError, zipfile.BadZipFile, ValueError):
        return []
