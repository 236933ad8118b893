"""The banner grammar of attachment 2 clause 二: every form, every fault, the tolerances."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkcheck.banner import (
    FAULT_CODES,
    NEAR_MISSES,
    BannerGrammar,
    BannerVerdict,
    parse_banner,
)
from gkcheck.units import UnitDirectory, core_name

KW = "政务公开主题日"
PLAIN = f"雨花区教育局2023年“{KW}”活动"
JI = f"雨花区教育局2023年“{KW}”活动暨小升初招生政策解读"


def codes(v: BannerVerdict) -> set[str]:
    return set(v.codes)


# ------------------------------------------------------------------- valid forms
@pytest.mark.parametrize(
    "text",
    [
        PLAIN,
        "雨花区教育局 2023 年“政务公开主题日”活动",
        "长沙市雨花区教育局2023年“政务公开主题日”活动",
        "区教育局2023年“政务公开主题日”活动",
        "雨花区教育局２０２３年“政务公开主题日”活动",
        "雨花区教育局\n2023年“政务公开主题日”活动",
        "雨花区教育局2023年\n“政务公开主题日”活动",
        "　雨花区教育局　2023　年“政务公开主题日”活动　",
        "雨花区教育局二〇二三年“政务公开主题日”活动",
    ],
)
def test_plain_form_valid(text: str) -> None:
    v = parse_banner(text)
    assert v.valid, v.faults
    assert v.form == "plain"
    assert v.unit == "区教育局"
    assert v.year == 2023
    assert v.suffix is None


@pytest.mark.parametrize(
    ("text", "suffix"),
    [
        (JI, "小升初招生政策解读"),
        ("区司法局 2023 年“政务公开主题日”活动曁国家安全法律法规主题宣传",
         "国家安全法律法规主题宣传"),
        ("跳马镇2023年“政务公开主题日”活动\n暨“法律讲堂”", "“法律讲堂”"),
    ],
)
def test_ji_form_valid(text: str, suffix: str) -> None:
    v = parse_banner(text)
    assert v.valid, v.faults
    assert v.form == "ji"
    assert v.suffix == suffix


def test_expected_uses_unit_as_written_and_config_year() -> None:
    v = parse_banner("长沙市雨花区司法局2022年“政务公开日”活动")
    assert v.expected == "长沙市雨花区司法局2023年“政务公开主题日”活动"
    assert parse_banner("2023年“政务公开主题日”活动").expected.startswith("××××单位")
    assert parse_banner(JI).expected == JI
    assert parse_banner(PLAIN + "暨").expected.endswith("活动暨××××")


# ------------------------------------------------------------------------ faults
FAULT_CASES: list[tuple[str, str, dict[str, object]]] = [
    ("雨花区教育局2022年“政务公开主题日”活动", "year-wrong",
     {"found": 2022, "expected": 2023}),
    ("雨花区教育局2024年“政务公开主题日”活动暨宣讲", "year-wrong", {"found": 2024}),
    ("雨花区教育局“政务公开主题日”活动", "year-missing", {"expected": 2023}),
    ("雨花区教育局2023“政务公开主题日”活动", "year-malformed", {"found": "2023"}),
    ("雨花区教育局23年“政务公开主题日”活动", "year-malformed", {"found": "23年"}),
    ("雨花区教育局2023年政务公开主题日活动", "quotes-missing", {}),
    ('雨花区教育局2023年"政务公开主题日"活动', "quotes-wrong-kind", {"kind": "ascii"}),
    ("雨花区教育局2023年「政务公开主题日」活动", "quotes-wrong-kind", {"kind": "corner"}),
    ("雨花区教育局2023年《政务公开主题日》活动", "quotes-wrong-kind", {"kind": "angle"}),
    ("雨花区教育局2023年‘政务公开主题日’活动", "quotes-wrong-kind", {"kind": "single"}),
    ("雨花区教育局2023年“政务公开主题日活动", "quotes-wrong-kind",
     {"kind": "unbalanced", "close": ""}),
    ("雨花区教育局2023年”政务公开主题日”活动", "quotes-wrong-kind", {"kind": "reversed"}),
    ("雨花区教育局2023年“政务公开主题日活动”", "quotes-wrong-kind", {"kind": "misplaced"}),
    ("雨花区教育局2023年（政务公开主题日）活动", "quotes-wrong-kind", {"kind": "bracket"}),
    ("雨花区教育局2023年政策宣讲活动", "keyword-missing", {"found": "政策宣讲"}),
    ("雨花区教育局2023年“政务公开主题日”", "activity-missing", {"found": ""}),
    ("雨花区教育局2023年“政务公开主题日”小升初招生政策解读", "activity-missing",
     {"found": "小升初招生政策解读"}),
    ("雨花区教育局2023年“政务公开主题日”暨小升初", "activity-missing", {"found": ""}),
    ("雨花区财政局2023年“政务公开主题日”活动", "unit-unknown", {"found": "雨花区财政局"}),
    ("长沙市天心区教育局2023年“政务公开主题日”活动", "unit-unknown",
     {"level": "district", "district": "天心区"}),
    # another level or district: the core name (教育局) is ours, the unit is not (issue 14)
    ("长沙市教育局2023年“政务公开主题日”活动", "unit-unknown",
     {"found": "长沙市教育局", "level": "city", "district": ""}),
    ("湖南省司法厅2023年“政务公开主题日”活动", "unit-unknown", {"level": "province"}),
    ("岳麓区教育局2023年“政务公开主题日”活动", "unit-unknown",
     {"level": "district", "district": "岳麓区"}),
    ("长沙县民政局2023年“政务公开主题日”活动", "unit-unknown", {"district": "长沙县"}),
    ("2023年“政务公开主题日”活动", "unit-missing", {}),
    ("2023年雨花区教育局“政务公开主题日”活动", "unit-misplaced", {"found": "雨花区教育局"}),
    (PLAIN + "暨", "ji-empty", {}),
    (PLAIN + " 暨 ", "ji-empty", {}),
    (PLAIN + "启动仪式", "extra-text", {"where": "after-activity", "found": "启动仪式"}),
    ("雨花区教育局2023年“政务公开主题日”宣传活动", "extra-text",
     {"where": "before-activity", "found": "宣传"}),
    ("雨花区教育局2023年度“政务公开主题日”活动", "extra-text",
     {"where": "after-year", "found": "度"}),
    ("热烈欢迎雨花区教育局2023年“政务公开主题日”活动", "extra-text",
     {"where": "before-unit", "found": "热烈欢迎"}),
    ("雨花区教育局局长2023年“政务公开主题日”活动", "extra-text", {"where": "after-unit"}),
    ("雨花区教育局2023年“政務公開主題日”活動", "traditional-script",
     {"found": "政務公開主題日"}),
    ("雨花区教育局2023年“政务公开主题日”活動", "traditional-script", {"found": "活動"}),
    ("", "empty", {}),
]


@pytest.mark.parametrize(("text", "code", "params"), FAULT_CASES)
def test_fault(text: str, code: str, params: dict[str, object]) -> None:
    v = parse_banner(text)
    assert not v.valid
    f = v.fault(code)
    assert f is not None, v.faults
    for key, value in params.items():
        assert f.get(key) == value, (key, f)


@pytest.mark.parametrize(
    "near",
    ["政务公开日", "政府开放日", "政务开放日", "政务公开主题月", "政务公开活动日",
     "政务公开主体日", "政务公开专题日"],
)
def test_near_miss_keyword(near: str) -> None:
    v = parse_banner(f"雨花区教育局2023年“{near}”活动")
    assert v.codes == ("keyword-near-miss",)
    f = v.fault("keyword-near-miss")
    assert f is not None and f.get("found") == near and f.get("expected") == KW


def test_single_fault_for_each_generated_wrong_form() -> None:
    """Each wrong form yields exactly its own fault, not a cascade."""
    for text, code, _ in FAULT_CASES:
        if code in ("unit-unknown", "empty", "extra-text"):
            continue
        assert parse_banner(text).codes == (code,), text


def test_fault_codes_are_declared() -> None:
    for _text, code, params in FAULT_CASES:
        assert code in FAULT_CODES
        for key in params:
            assert key in FAULT_CODES[code]
    assert all(n != KW for n in NEAR_MISSES)


def test_faults_are_hashable_and_params_dict() -> None:
    v = parse_banner("雨花区教育局2022年“政务公开日”活动")
    assert len(set(v.faults)) == len(v.faults) == 2
    assert v.fault("year-wrong") is not None
    assert v.faults[0].as_dict()


# ---------------------------------------------------------------- OCR tolerance
@pytest.mark.parametrize(
    "text",
    [
        '雨花区教育局2023年"政务公开主题日"活动',
        "雨花区教育局2023年「政务公开主题日」活动",
        "雨花区教育局2023年“政务公开主题日\"活动",
        "雨花区教育局2023年政务公开主题日”活动",
        "雨花区教育局2023年 政务公开主题日 活动",
        "雨花区教育局2O23年“政务公开主题曰”话动",
        "南花区教育局2023年“政务公开主题日”活动",
        "雨花区教育局2023年“政务公开主颗日”活动",
    ],
)
def test_ocr_source_tolerates_glyph_confusions(text: str) -> None:
    v = parse_banner(text, source="ocr")
    assert v.valid, v.faults


def test_ocr_source_still_reports_clearly_missing_quotes() -> None:
    assert parse_banner(PLAIN.replace("“", "").replace("”", ""), source="ocr").codes == (
        "quotes-missing",
    )


def test_ocr_does_not_excuse_meaningful_substitutions() -> None:
    v = parse_banner("雨花区教育局2023年“政务公开主题月”活动", source="ocr")
    assert v.codes == ("keyword-near-miss",)


def test_typed_source_gets_no_ocr_allowance() -> None:
    assert not parse_banner("雨花区教育局2O23年“政务公开主题曰”话动").valid


def test_hit_levels() -> None:
    g = BannerGrammar()
    assert g.hit(PLAIN) == "keyword"
    assert g.hit("雨花区教育局2023年“政府开放日”活动") == "near-miss"
    assert g.hit("雨花区教育局2023年政策宣讲活动") == "activity"
    assert g.hit("志愿服务活动") is None  # a poster, not a banner
    assert g.hit("会议室") is None


def test_grammar_from_config() -> None:
    g = BannerGrammar(year=2024, keyword="政务公开日",
                      units=UnitDirectory.from_names(["区财政局"]))
    v = g.parse("雨花区财政局2024年“政务公开日”活动")
    assert v.valid and v.unit == "区财政局"
    assert g.parse("雨花区教育局2024年“政务公开日”活动").codes == ("unit-unknown",)
    assert g.parse("区财政局2023年“政务公开日”活动").codes == ("year-wrong",)


# -------------------------------------------------------------------- properties
UNITS = UnitDirectory.default()
_unit_forms = st.sampled_from(
    [(prefix + core_name(u.name), u.name)
     for u in UNITS.units
     for prefix in ("", "雨花区", "长沙市雨花区")
     if len(core_name(u.name)) >= 2]
)
_suffix = st.one_of(st.none(), st.sampled_from(["小升初招生政策解读", "法治宣传进乡村",
                                                "《民法典》普法宣传活动"]))
_blank = st.sampled_from([" ", "  ", "\u3000", "\n", "\t"])


def _banner(unit: str, suffix: str | None) -> str:
    return f"{unit}2023年“{KW}”活动" + (f"暨{suffix}" if suffix else "")


@settings(max_examples=150, deadline=None)
@given(_unit_forms, _suffix, st.data())
def test_spaces_anywhere_are_ignored(
    unit: tuple[str, str], suffix: str | None, data: st.DataObject
) -> None:
    text = _banner(unit[0], suffix)
    positions = data.draw(st.lists(st.integers(0, len(text)), max_size=6))
    chars = list(text)
    for pos in sorted(positions, reverse=True):
        chars.insert(pos, data.draw(_blank))
    v = parse_banner("".join(chars))
    assert v.valid, (chars, v.faults)
    assert v.unit == unit[1]
    assert v.suffix == suffix


_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


@settings(max_examples=100, deadline=None)
@given(_unit_forms, _suffix, st.booleans())
def test_widths_are_folded(unit: tuple[str, str], suffix: str | None, full: bool) -> None:
    text = _banner(unit[0], suffix)
    if full:
        text = text.translate(_FULL)
    v = parse_banner(text)
    assert v.valid and v.year == 2023 and v.unit == unit[1]


@settings(max_examples=100, deadline=None)
@given(_unit_forms, st.integers(1990, 2099).filter(lambda y: y != 2023))
def test_any_other_year_is_wrong(unit: tuple[str, str], year: int) -> None:
    v = parse_banner(f"{unit[0]}{year}年“{KW}”活动")
    assert v.codes == ("year-wrong",)
    f = v.fault("year-wrong")
    assert f is not None and f.get("found") == year and f.get("expected") == 2023
    assert v.unit == unit[1]


_quote_glyphs = st.sampled_from(['"', "“", "”", "「", "」", "'", "《", "》", "″"])


@settings(max_examples=100, deadline=None)
@given(_unit_forms, _quote_glyphs, _quote_glyphs)
def test_ocr_any_quote_glyph_counts(unit: tuple[str, str], o: str, c: str) -> None:
    v = parse_banner(f"{unit[0]}2023年{o}{KW}{c}活动", source="ocr")
    assert v.valid, v.faults
    typed = parse_banner(f"{unit[0]}2023年{o}{KW}{c}活动")
    assert typed.valid == (o == "“" and c == "”")


@settings(max_examples=60, deadline=None)
@given(_unit_forms, st.text(alphabet="的一是在不了有和人这中大为上个国我以要他",
                            min_size=1, max_size=6))
def test_words_after_activity_without_ji_are_extra(unit: tuple[str, str],
                                                   extra: str) -> None:
    v = parse_banner(_banner(unit[0], None) + extra)
    assert v.codes == ("extra-text",)
    f = v.fault("extra-text")
    assert f is not None and f.get("found") == extra


def test_ocr_squiggles_with_the_keyword_are_no_banner() -> None:
    # read from a poster next to the LOGO: a "unit" 三二 and a "year" 11 are not a banner
    from gkcheck.banner import banner_like

    assert not banner_like(parse_banner("三二11十1 十 政务公开主题日", source="ocr"))
    assert banner_like(parse_banner("雨花区财政局2023年“政务公开主题日”活动", source="ocr"))
    assert banner_like(parse_banner("雨花亭街道2022年“政务公开主题日”活动", source="ocr"))


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("长沙市雨花区教育局", "区教育局"),
        ("湖南省长沙市雨花区砂子塘街道", "砂子塘街道"),
        ("长沙市生态环境局雨花分局", "生态环境局雨花分局"),
        ("国家税务总局长沙市雨花区税务局", "区税务分局"),
        ("火车南站区综管办", "火车南站区综管办"),
    ],
)
def test_home_units_with_region_prefixes_stay_valid(text: str, unit: str) -> None:
    v = parse_banner(f"{text}2023年“政务公开主题日”活动")
    assert v.valid and v.unit == unit, v.faults


@pytest.mark.parametrize("source", ["typed", "ocr"])
@pytest.mark.parametrize("text", ["长沙市教育局", "长沙市民政局", "岳麓区教育局", "天心区医疗保障局"])
def test_foreign_units_are_never_valid(text: str, source: str) -> None:
    v = parse_banner(f"{text}2023年“政务公开主题日”活动", source=source)  # type: ignore[arg-type]
    assert not v.valid and v.unit is None and v.codes == ("unit-unknown",)


def test_configured_near_misses_reach_the_banner_and_the_report_alike() -> None:
    # one list in gkcheck.toml (`near-misses`) for both readers of the keyword
    from dataclasses import replace

    from gkcheck.config import Config
    from gkcheck.keywords import KeywordMatcher
    from gkcheck.submission.resources import Resources

    cfg = replace(Config(), near_misses=("政府透明日",))
    res = Resources.for_config(cfg)
    v = res.grammar.parse("雨花区教育局2023年“政府透明日”活动")
    assert v.codes == ("keyword-near-miss",)
    assert v.fault("keyword-near-miss").get("found") == "政府透明日"  # type: ignore[union-attr]
    report = KeywordMatcher(cfg.keyword, cfg.near_misses)
    assert [n.written for n in report.near_misses("开展政府透明日活动")] == ["政府透明日"]
    # the keyword stopped one character short is a banner's near miss, not a report's
    assert res.grammar.parse("雨花区教育局2023年“政务公开主题”活动").codes == ("keyword-near-miss",)
    assert report.near_misses("围绕政务公开主题，开展宣传") == []
