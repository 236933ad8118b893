"""Dates as Chinese activity reports write them.

The deadlines of the notice run from the day the activity took place, and a report
states that day in its lead (``4月18日上午，…``) in one of many spellings. Web pages
and exported documents also carry publication metadata (``发布时间：2023-04-20 10:00``)
which is *not* the activity date, and a careless lead says only ``近日`` or ``日前``,
which is no date at all. :func:`find_dates` returns every mention with its span and
kind so a rule can both use the date and quote where it came from;
:func:`activity_date` applies the clerk's reading: the first non-metadata date of the
lead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = [
    "DateKind",
    "DateMention",
    "activity_date",
    "find_dates",
    "pick_activity_date",
]

DateKind = Literal["activity", "publication"]

_CN_DIGITS = {
    "〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_DIGIT_CLASS = "〇○零Ｏ一二三四五六七八九"
_CN_SMALL = r"[一二三四五六七八九十廿两]{1,3}"

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

_PART = r"(?P<part>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|当天|当日)?"
_WEEKDAY = r"(?:\s*[（(]\s*(?:星期|周|礼拜)(?P<wd>[一二三四五六日天])\s*[）)])?"
_CLOCK = r"(?:\s*(?P<clock>\d{1,2}[:：]\d{2}(?:[:：]\d{2})?))?"

# 2023年4月18日 / 4月18日 / 2023 年 04 月 18 号 (spaces appear in converted documents).
_ARABIC_CN = re.compile(
    r"(?<!\d)(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
    + _WEEKDAY
    + r"\s*"
    + _PART
)
# 2023-04-18 / 2023/4/18 / 2023.4.18; the year is required so 5.30 (a theme) is no date.
_NUMERIC = re.compile(
    r"(?<![\d.])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d])"
    + _CLOCK
)
# 二〇二三年四月十八日 / 四月十八日.
_CHINESE = re.compile(
    rf"(?:(?P<y>[{_CN_DIGIT_CLASS}]{{4}})\s*年\s*)?(?P<m>{_CN_SMALL})\s*月\s*"
    rf"(?P<d>{_CN_SMALL})\s*[日号]" + _WEEKDAY + r"\s*" + _PART
)
# 近日 / 日前 / 近期, but not 日前 closing a word that ends in 日: 工作日前, 节日前,
# 今日前往, 5日前, 主题日前夕.
_NOT_BEFORE_RIQIAN = (
    r"\d〇一二三四五六七八九十"
    "作节假个天生末今昨明当次同每某该本翌是题念忌平休周数几多终首前后整全半旬"
)
_VAGUE = re.compile(rf"近日|近期|(?<![{_NOT_BEFORE_RIQIAN}])日前")

# Labels of publication metadata: 发布时间：, 发布日期:, 更新时间 …
_META_LABEL = re.compile(
    r"(?:发布|发表|发稿|更新|录入|编辑|上传|成文|印发|发文|撰稿|来源)\s*(?:时间|日期)"
)
# Words that make a line a metadata bar (来源：… 作者：… 浏览次数：…).
_META_WORDS = re.compile(
    r"来源[:：]|作者[:：]|浏览|点击[数量率]|阅读[数量]|字号|责任编辑"
)
_BARE_LABEL = re.compile(r"(?:^|\s)(?:时间|日期)\s*[:：]\s*$")


@dataclass(frozen=True, slots=True)
class DateMention:
    """One place where ``text`` states (or vaguely refers to) a date.

    ``date`` is ``None`` for vague references (``近日``), which a rule reports as "no
    activity date". ``year_given`` is False when the year was filled in from the
    configured year. ``weekday_stated`` (0 = Monday) is the weekday the text names,
    if any, so a rule can catch ``4月18日（星期三）`` where the 18th was a Tuesday.
    """

    date: dt.date | None
    start: int
    end: int
    text: str
    kind: DateKind
    year_given: bool = True
    part_of_day: str | None = None
    weekday_stated: int | None = None

    @property
    def vague(self) -> bool:
        """Whether this is a reference like 近日 with no date."""
        return self.date is None

    @property
    def weekday_mismatch(self) -> bool:
        """Whether the stated weekday contradicts the date."""
        return (
            self.date is not None
            and self.weekday_stated is not None
            and self.date.weekday() != self.weekday_stated
        )


def _fold_width(text: str) -> str:
    """Fold full-width ASCII to half width, keeping every character's position.

    NFKC would do more but can change the string's length, and spans must point into
    the caller's text.
    """
    return "".join(
        chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text
    )


def _cn_small(text: str) -> int | None:
    """Value of a small Chinese numeral (1..39): 四, 十, 十八, 二十, 廿一, 三十一."""
    text = text.replace("廿", "二十")
    if not text:
        return None
    if "十" not in text:
        if len(text) != 1:
            return None
        return _CN_DIGITS.get(text)
    tens_text, _, ones_text = text.partition("十")
    if "十" in ones_text:
        return None
    if tens_text:
        tens = _CN_DIGITS.get(tens_text) if len(tens_text) == 1 else None
        if tens is None or tens == 0:
            return None
    else:
        tens = 1
    if ones_text:
        ones = _CN_DIGITS.get(ones_text) if len(ones_text) == 1 else None
        if ones is None or ones == 0:
            return None
    else:
        ones = 0
    return tens * 10 + ones


def _cn_year(text: str) -> int | None:
    digits = [_CN_DIGITS.get(c) for c in text]
    if any(d is None for d in digits):
        return None
    return int("".join(str(d) for d in digits))


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _kind(text: str, start: int, end: int, clock: str | None) -> DateKind:
    """Publication when the date sits behind a metadata label or in a metadata bar."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[max(line_start, start - 16) : start]
    line = text[line_start:line_end]
    if _META_LABEL.search(before):
        return "publication"
    if _BARE_LABEL.search(before) and _META_WORDS.search(line):
        return "publication"
    if clock is not None and (
        _META_WORDS.search(line) or not line.replace(text[start:end], "", 1).strip()
    ):
        # A date with a clock time alone on its line, or in a 来源/浏览 bar, is the
        # page's timestamp; a lead says 上午9:30 inside a sentence.
        return "publication"
    return "activity"


def find_dates(text: str, *, year: int = 2023) -> list[DateMention]:
    """Every date mention in ``text``, in order of position.

    Spans index into ``text`` as given. Impossible dates (``2月30日``) are not
    mentions. A missing year becomes ``year``.
    """
    folded = _fold_width(text)
    found: list[DateMention] = []

    def add(mention: DateMention) -> None:
        for other in found:
            if mention.start < other.end and other.start < mention.end:
                return
        found.append(mention)

    for m in _NUMERIC.finditer(folded):
        day = _make_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if day is None:
            continue
        add(
            DateMention(
                date=day,
                start=m.start(),
                end=m.end(),
                text=text[m.start() : m.end()],
                kind=_kind(folded, m.start(), m.end(), m["clock"]),
            )
        )
    for m in _ARABIC_CN.finditer(folded):
        y = int(m["y"]) if m["y"] else year
        given = m["y"] is not None
        _add_cn_mention(add, text, folded, m, y, given, int(m["m"]), int(m["d"]))
    for m in _CHINESE.finditer(folded):
        month, day_no = _cn_small(m["m"]), _cn_small(m["d"])
        y_cn = _cn_year(m["y"]) if m["y"] else year
        if month is None or day_no is None or y_cn is None:
            continue
        _add_cn_mention(add, text, folded, m, y_cn, m["y"] is not None, month, day_no)
    for m in _VAGUE.finditer(folded):
        add(
            DateMention(
                date=None,
                start=m.start(),
                end=m.end(),
                text=text[m.start() : m.end()],
                kind="activity",
                year_given=False,
            )
        )
    found.sort(key=lambda mention: mention.start)
    return found


def _add_cn_mention(
    add: Callable[[DateMention], None],
    text: str,
    folded: str,
    m: re.Match[str],
    year: int,
    year_given: bool,
    month: int,
    day_no: int,
) -> None:
    day = _make_date(year, month, day_no)
    if day is None:
        return
    end = m.end()
    # The pattern's trailing \s* may swallow spaces with no part of day after them.
    while end > m.start() and folded[end - 1].isspace():
        end -= 1
    wd = m["wd"]
    add(
        DateMention(
            date=day,
            start=m.start(),
            end=end,
            text=text[m.start() : end],
            kind=_kind(folded, m.start(), end, None),
            year_given=year_given,
            part_of_day=m["part"],
            weekday_stated=_WEEKDAYS[wd] if wd else None,
        )
    )


def pick_activity_date(mentions: Iterable[DateMention]) -> DateMention | None:
    """The first mention that states a date and is not publication metadata."""
    for mention in mentions:
        if mention.kind == "activity" and mention.date is not None:
            return mention
    return None


def activity_date(lead: str, *, year: int = 2023) -> dt.date | None:
    """The activity date a reader takes from ``lead``, or ``None`` if it states none.

    Pass the lead (first paragraph, or the metadata bar plus the first paragraph);
    ``None`` covers both "no date at all" and "only 近日/日前".
    """
    mention = pick_activity_date(find_dates(lead, year=year))
    return mention.date if mention else None
