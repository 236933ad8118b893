"""Activity dates read from report text in the spellings units actually use."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gkcheck.dates import activity_date, find_dates, pick_activity_date

D = dt.date

CN_DIGITS = "〇一二三四五六七八九"


def cn_year(year: int) -> str:
    return "".join(CN_DIGITS[int(c)] for c in str(year))


def cn_small(n: int) -> str:
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


@pytest.mark.parametrize(
    ("text", "expected", "matched"),
    [
        ("2023年4月18日，区教育局开展活动。", D(2023, 4, 18), "2023年4月18日"),
        ("4月18日上午，区教育局开展活动。", D(2023, 4, 18), "4月18日上午"),
        ("4月18日下午，同升街道", D(2023, 4, 18), "4月18日下午"),
        ("2023-04-18，活动在……", D(2023, 4, 18), "2023-04-18"),
        ("2023.4.18 区司法局", D(2023, 4, 18), "2023.4.18"),
        ("2023/4/18 区司法局", D(2023, 4, 18), "2023/4/18"),
        ("二〇二三年四月十八日，", D(2023, 4, 18), "二〇二三年四月十八日"),
        ("二○二三年十月八日", D(2023, 10, 8), "二○二三年十月八日"),
        ("十二月三十一日晚上", D(2023, 12, 31), "十二月三十一日晚上"),
        ("2023 年 5 月 6 日 上午", D(2023, 5, 6), "2023 年 5 月 6 日 上午"),
        ("２０２３年５月６日", D(2023, 5, 6), "２０２３年５月６日"),
        ("5月30日（星期二）上午", D(2023, 5, 30), "5月30日（星期二）上午"),
        ("于2023年04月07号举行", D(2023, 4, 7), "2023年04月07号"),
        ("2022年12月30日", D(2022, 12, 30), "2022年12月30日"),
    ],
)
def test_forms(text: str, expected: dt.date, matched: str) -> None:
    mentions = find_dates(text)
    assert mentions, text
    first = mentions[0]
    assert first.date == expected
    assert first.text == matched
    assert text[first.start : first.end] == matched
    assert first.kind == "activity"
    assert activity_date(text) == expected


def test_missing_year_uses_configured_year() -> None:
    (m,) = find_dates("4月18日上午，", year=2024)
    assert m.date == D(2024, 4, 18)
    assert not m.year_given
    assert m.part_of_day == "上午"
    (m,) = find_dates("2023年4月18日", year=2024)
    assert m.year_given and m.date == D(2023, 4, 18)


@pytest.mark.parametrize("word", ["近日", "日前", "近期"])
def test_vague_references_give_no_date(word: str) -> None:
    text = f"{word}，雨花区司法局开展了2023年“政务公开主题日”活动。"
    mentions = find_dates(text)
    assert [m.text for m in mentions] == [word]
    assert mentions[0].vague and mentions[0].date is None
    assert activity_date(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "请于活动前5个工作日前报送方案",
        "在国庆节日前完成布置",
        "今日前往社区",
        "“政务公开主题日”前夕",
        "5.30科技工作日活动",
        "2023-2025年燃气管道",
        "2023 年“政务公开主题日”",
        "活动时间：4 月",
        "于2月30日举行",
        "13月1日",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_publication_metadata_is_not_the_activity_date() -> None:
    text = (
        "发布时间：2023-04-20 10:00  来源：雨花区教育局\n"
        "4月18日上午，雨花区教育局开展2023年“政务公开主题日”活动。"
    )
    mentions = find_dates(text)
    assert [(m.date, m.kind) for m in mentions] == [
        (D(2023, 4, 20), "publication"),
        (D(2023, 4, 18), "activity"),
    ]
    assert mentions[0].text == "2023-04-20 10:00"
    assert activity_date(text) == D(2023, 4, 18)


@pytest.mark.parametrize(
    "line",
    [
        "发布时间：2023-04-20 10:00",
        "发布日期：2023年4月20日",
        "更新时间: 2023-04-20",
        "时间：2023-04-20 10:00  作者：张三  浏览次数：35",
        "2023-04-20 10:00:00  来源：雨花区人民政府门户网站",
        "2023-04-20 10:00",
        "信息来源：雨花区  发布日期：2023-04-20  字号：大 中 小",
    ],
)
def test_metadata_lines(line: str) -> None:
    mentions = find_dates(line + "\n近日，区司法局开展活动。")
    assert mentions[0].kind == "publication"
    assert activity_date(line + "\n近日，区司法局开展活动。") is None


def test_clock_inside_a_sentence_is_activity() -> None:
    text = "2023-04-18 9:30，区司法局在广场开展活动。"
    (m,) = find_dates(text)
    assert m.kind == "activity"
    assert activity_date("活动时间：2023年5月6日") == D(2023, 5, 6)


def test_first_activity_date_wins_and_spans_are_ordered() -> None:
    text = "4月18日，区科协开展活动，并计划于5月30日再次举办。"
    mentions = find_dates(text)
    assert [m.date for m in mentions] == [D(2023, 4, 18), D(2023, 5, 30)]
    assert pick_activity_date(mentions) is mentions[0]
    assert mentions[0].end <= mentions[1].start


def test_weekday_stated_is_checked() -> None:
    (right,) = find_dates("2023年4月18日（星期二）")
    assert right.weekday_stated == 1 and not right.weekday_mismatch
    (wrong,) = find_dates("2023年4月18日（周三）")
    assert wrong.weekday_mismatch
    (sunday,) = find_dates("二〇二三年十月八日（星期日）")
    assert sunday.weekday_stated == 6 and not sunday.weekday_mismatch


def test_no_date_at_all() -> None:
    assert activity_date("雨花区开展政务公开主题日活动") is None
    assert pick_activity_date([]) is None


dates_2023 = st.dates(min_value=D(2023, 1, 1), max_value=D(2023, 12, 31))
FORMS = [
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.month}月{d.day}日",
    lambda d: f"{d.month}月{d.day}日上午",
    lambda d: f"{d.year}-{d.month:02d}-{d.day:02d}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{cn_year(d.year)}年{cn_small(d.month)}月{cn_small(d.day)}日",
    lambda d: f"{cn_small(d.month)}月{cn_small(d.day)}日下午",
    lambda d: f"{d.year} 年 {d.month:02d} 月 {d.day:02d} 日",
]
PREFIXES = st.sampled_from(["", "据悉，", "雨花区教育局于", "\n", "【雨花区】"])
SUFFIXES = st.sampled_from(["", "，", "在区政务服务中心开展活动。", "（星期一）"])


@given(dates_2023, st.sampled_from(range(len(FORMS))), PREFIXES, SUFFIXES)
def test_every_form_round_trips(
    day: dt.date, form: int, prefix: str, suffix: str
) -> None:
    written = FORMS[form](day)
    text = prefix + written + suffix
    mention = pick_activity_date(find_dates(text))
    assert mention is not None, text
    assert mention.date == day
    assert mention.start == len(prefix)
    assert text[mention.start : mention.end].startswith(written)


@given(dates_2023, dates_2023)
def test_metadata_then_lead(published: dt.date, held: dt.date) -> None:
    text = (
        f"发布时间：{published.isoformat()} 09:12\n"
        f"{held.month}月{held.day}日，同升街道开展“政务公开主题日”活动。"
    )
    assert activity_date(text) == held
