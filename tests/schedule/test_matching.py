"""Submissions find their planned activity, even when the unit runs several."""

from __future__ import annotations

from collections import Counter

import pytest

from gkcheck.matching import Matcher, MatchResult, Thresholds, match_activity
from gkcheck.schedule import Schedule

from .paraphrases import CASES, Case


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(Schedule.load())


def _ids(case: Case) -> str:
    return f"seq{case.seq}"


def test_paraphrase_set_covers_every_multi_activity_unit() -> None:
    schedule = Schedule.load()
    counts = Counter(a.unit for a in schedule)
    multi = {a.seq for a in schedule if counts[a.unit] > 1}
    assert {c.seq for c in CASES} == multi
    assert len(CASES) == len(multi) == 53


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_paraphrases_do_not_copy_the_theme(case: Case) -> None:
    activity = Schedule.load().by_seq(case.seq)
    assert activity is not None
    assert case.month in range(1, 13)
    text = case.title + case.lead
    assert activity.theme not in text
    assert case.title != activity.theme


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_unit_and_month(matcher: Matcher, case: Case) -> None:
    result = matcher.match(
        unit=case.unit, month=case.month, texts=[case.title, case.lead]
    )
    assert result.status == "matched", result.candidates[:3]
    assert result.activity is not None and result.activity.seq == case.seq
    assert result.candidates[0][0].seq == case.seq
    assert result.unit == Schedule.load().canonical_unit(case.unit)


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_unit_without_month_theme_decides(matcher: Matcher, case: Case) -> None:
    result = matcher.match(unit=case.unit, month=None, texts=[case.title, case.lead])
    assert result.status == "matched", result.candidates[:3]
    assert result.activity is not None and result.activity.seq == case.seq


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_slipped_month_theme_still_wins(matcher: Matcher, case: Case) -> None:
    """An activity held in a month none of its unit's activities is planned for.

    The nearest such month to the planned one: the activity slipped, and the theme
    must decide between the unit's activities.
    """
    planned = {a.month for a in Schedule.load().by_unit(case.unit)}
    free = [m for m in range(1, 13) if m not in planned]
    month = min(free, key=lambda m: (abs(m - case.month), m))
    result = matcher.match(unit=case.unit, month=month, texts=[case.title, case.lead])
    assert result.status == "matched", result.candidates[:3]
    assert result.activity is not None and result.activity.seq == case.seq


def _accuracy(matcher: Matcher, *, unit: bool, month: bool) -> Counter[str]:
    tally: Counter[str] = Counter()
    for case in CASES:
        r = matcher.match(
            unit=case.unit if unit else None,
            month=case.month if month else None,
            texts=[case.title, case.lead],
        )
        if r.status == "matched":
            assert r.activity is not None
            tally["correct" if r.activity.seq == case.seq else "wrong"] += 1
        else:
            tally[r.status] += 1
    return tally


def test_unknown_unit_month_known(matcher: Matcher) -> None:
    tally = _accuracy(matcher, unit=False, month=True)
    assert tally["correct"] >= 50, tally
    assert tally["wrong"] <= 1, tally


def test_unknown_unit_theme_only_is_cautious(matcher: Matcher) -> None:
    tally = _accuracy(matcher, unit=False, month=False)
    assert tally["correct"] >= 45, tally
    assert tally["wrong"] <= 1, tally


def test_identical_themes_of_two_units() -> None:
    texts = [
        "雨花区开展宪法宣传周活动",
        "12月4日，工作人员在社区宣传宪法，讲解征收补偿政策。",
    ]
    by_unit = match_activity("区征收办", 12, texts)
    assert by_unit.status == "matched" and by_unit.activity is not None
    assert by_unit.activity.seq == 72
    by_other = match_activity("雨花区征地服务中心", 12, texts)
    assert by_other.activity is not None and by_other.activity.seq == 73
    unknown = match_activity(None, 12, texts)
    assert unknown.status == "ambiguous"
    assert {a.seq for a, _ in unknown.candidates[:2]} == {72, 73}


@pytest.mark.parametrize(
    ("texts", "seq"),
    [
        (["雨花区第十四届中国统计开放日走进社区", "9月20日，雨花区统计局……"], 55),
        (["随机查餐厅：市民代表走进后厨", "12月5日，雨花区市场监管局……"], 69),
        (
            [
                "雨花区开展六五环境日主题活动 共建人与自然和谐共生的美丽家园",
                "6月5日，长沙市生态环境局雨花分局……",
            ],
            28,
        ),
        (
            [
                "雨花区税务局邀请纳税人体验办税缴费",
                "5月16日，雨花区税务局……税费服务体验",
            ],
            16,
        ),
    ],
)
def test_unknown_unit_clear_theme(texts: list[str], seq: int) -> None:
    result = match_activity(None, None, texts)
    assert result.status == "matched", result.candidates[:3]
    assert result.activity is not None and result.activity.seq == seq


def test_unrelated_report_is_unmatched() -> None:
    texts = [
        "雨花区举办青少年足球联赛",
        "8月2日，比赛在区体育中心开幕，共有12支队伍参赛。",
    ]
    assert match_activity(None, 8, texts).status == "unmatched"
    # The unit is known but no activity of it is near in month or theme.
    result = match_activity("区教育局", 8, texts)
    assert result.status == "unmatched"
    assert result.activity is None
    assert result.candidates  # still shows what came closest


def test_unit_with_one_activity_that_month_is_taken() -> None:
    result = match_activity(
        "区统计局", 9, ["雨花区统计局举行主题活动", "9月21日上午……"]
    )
    assert result.status == "matched" and result.activity is not None
    assert result.activity.seq == 55


def test_unit_outside_schedule_falls_back_to_theme() -> None:
    texts = ["雨花区数字人民币推广进商圈", "12月6日，指导市民开通数字人民币钱包。"]
    result = match_activity("区财政局", 12, texts)
    assert result.unit is None
    assert result.activity is not None and result.activity.seq == 70


def test_result_shape(matcher: Matcher) -> None:
    case = CASES[0]
    result = matcher.match(
        unit=case.unit, month=case.month, texts=[case.title, case.lead]
    )
    assert isinstance(result, MatchResult)
    assert 0.0 <= result.score <= 1.0
    scores = [s for _, s in result.candidates]
    assert scores == sorted(scores, reverse=True)
    assert len(result.candidates) <= Thresholds().max_candidates
    assert result.score == scores[0]


def test_thresholds_are_configurable() -> None:
    strict = Matcher(Schedule.load(), thresholds=Thresholds(known_unit_bar=0.99))
    case = CASES[0]
    result = strict.match(unit=case.unit, month=case.month, texts=[case.title])
    assert result.status == "unmatched"


def test_empty_texts_and_blank_unit(matcher: Matcher) -> None:
    result = matcher.match(unit="  ", month=None, texts=[])
    assert result.status == "unmatched"
    assert result.unit is None
