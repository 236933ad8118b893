"""The keyword matcher accepts what a careful reader accepts, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gkcheck.config import DEFAULT_NEAR_MISSES
from gkcheck.keywords import KeywordMatcher, normalise

M = KeywordMatcher("政务公开主题日", DEFAULT_NEAR_MISSES)

ACCEPTED = [
    "雨花区开展2023年“政务公开主题日”活动",
    "政务公开主题日活动调度会",
    "长沙市望城区2023政务公开主题日活动",
    "政务公开“主题日”活动",
    "政務公開主題日",
    '开展"政务公开主题日"活动',
    "政务公开 主题日",
    "政务公开\n主题日",
    "政务公开　主题日",
    "「政务公开主题日」",
    "政\u00a0务公开主题日",
    "政务公开主\u200b题日",
]
REFUSED = [
    "政务公开日",
    "政府开放日",
    "政务开放日",
    "政府公开日",
    "政务公开主题月",
    "政务公开主题活动",
    "政务宣传日",
    "主题日",
    "政务公开",
    "政务公开工作主题日",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepts_what_a_reader_accepts(text: str) -> None:
    assert M.contains(text), text
    assert M.find(text)


@pytest.mark.parametrize("text", REFUSED)
def test_refuses_other_campaign_names(text: str) -> None:
    assert not M.contains(text)


@pytest.mark.parametrize(
    ("text", "near"),
    [
        ("雨花区开展“政务公开日”活动", "政务公开日"),
        ("开展政府开放日活动", "政府开放日"),
        ("开展政务公开主题活动", "政务公开主题活动"),
        ("开展“政务公开宣传日”活动", "政务公开宣传日"),
        ("第十六届5·15政务公开日", "政务公开日"),
        ("开展了“政务服务主题日”活动", "政务服务主题日"),
    ],
)
def test_names_near_misses(text: str, near: str) -> None:
    assert [n.written for n in M.near_misses(text)] == [near]


def test_exact_keyword_is_not_a_near_miss() -> None:
    assert M.near_misses("开展“政务公开主题日”活动，政务公开工作") == []


def test_match_keeps_original_span() -> None:
    text = "开展政务公开“主题日”活动"
    (m,) = M.find(text)
    assert text[m.start : m.end] == "政务公开“主题日"


def test_normalise_maps_back() -> None:
    folded, where = normalise("Ａ “政務”")
    assert folded == "A政务"
    assert where == [0, 3, 4]


@given(st.lists(st.sampled_from([" ", "\n", "\u3000", "“", "”", '"']), min_size=6, max_size=6))
def test_any_separators_inside_keyword(seps: list[str]) -> None:
    key = "政务公开主题日"
    text = "".join(ch + sep for ch, sep in zip(key, [*seps, ""], strict=False))
    assert M.contains("开展" + text + "活动")


@given(st.text(alphabet="政务公开主题日月活动开放府宣传", max_size=12))
def test_never_both_match_and_near_miss_on_same_span(text: str) -> None:
    matches = M.find(text)
    for near in M.near_misses(text):
        for m in matches:
            assert near.end <= m.start or near.start >= m.end
