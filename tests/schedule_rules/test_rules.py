"""GK400–GK403, GK501–GK505, GK601–GK602 on generated submission folders."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.schedule.paraphrases import CASES

from gkcheck.api import engine_for
from gkcheck.checks.activity import ActivityCheck
from gkcheck.checks.deadlines import DeadlineCheck
from gkcheck.checks.summary_report import SummaryCheck
from gkcheck.findings import Finding, Result, Severity
from gkcheck.model import Block, StyleHints
from gkcheck.rules import messages
from gkcheck.schedule import Schedule
from gkcheck.summary_parts import find_part, find_video_link

from .builders import Spec, build, write_doc, write_report
from .conftest import schedule_config

if TYPE_CHECKING:
    from gkcheck.engine import Engine

ALL_RULES = (*DeadlineCheck.rules, *SummaryCheck.rules, *ActivityCheck.rules)

D = dt.date

EDU_TITLE = "雨花区教育局开展“政务公开主题日”活动 面对面为家长解读小升初入学政策"


def edu_lead(day: str = "4月20日") -> str:
    return (
        f"{day}，雨花区教育局邀请30余名家长代表走进区教育局，开展2023年“政务公开主题日”活动，"
        "现场解读今年小学升初中招生入学政策，并就学区划分、报名流程等问题答疑。"
    )


def edu(**changes: Any) -> Spec:
    """A complete, on-time-capable submission of 区教育局 activity 1."""
    base: dict[str, Any] = {"unit": "雨花区教育局", "title": EDU_TITLE, "lead": edu_lead()}
    base.update(changes)
    return Spec(**base)


def by_rule(result: Result) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in result.findings:
        out.setdefault(f.rule, []).append(f)
    return out


def flagged(result: Result) -> set[str]:
    """Rules reported at warning or error (info only says what could not be checked)."""
    return {f.rule for f in result.findings if f.severity is not Severity.INFO}


# ---------------------------------------------------------------------------------------------
# Deadlines, across the Labour Day and National Day holidays and their make-up days.

DEADLINE_CASES: list[tuple[str, D, D, D, D, set[str]]] = [
    # id, activity, plan_filed, materials_sent, summary_sent, expected late rules
    # Thu 2023-04-20: plan by Thu 04-13; materials by Sun 04-23 (make-up day); summary by 04-26
    ("april-on-time", D(2023, 4, 20), D(2023, 4, 13), D(2023, 4, 23), D(2023, 4, 26), set()),
    ("april-one-day-late", D(2023, 4, 20), D(2023, 4, 14), D(2023, 4, 24), D(2023, 4, 27),
     {"GK401", "GK402", "GK403"}),
    # Fri 04-28 before Labour Day (04-29..05-03 off): materials by Fri 05-05, summary by Tue 05-09
    ("labour-day-on-time", D(2023, 4, 28), D(2023, 4, 21), D(2023, 5, 5), D(2023, 5, 9), set()),
    ("labour-day-late", D(2023, 4, 28), D(2023, 4, 24), D(2023, 5, 6), D(2023, 5, 10),
     {"GK401", "GK402", "GK403"}),
    # Mon 05-08 after Labour Day: plan by Thu 04-27 (05-06 make-up, 05-05, 05-04, 04-28, 04-27)
    ("after-labour-day-plan-ok", D(2023, 5, 8), D(2023, 4, 27), D(2023, 5, 10), D(2023, 5, 15),
     set()),
    ("after-labour-day-plan-late", D(2023, 5, 8), D(2023, 4, 28), D(2023, 5, 10), D(2023, 5, 15),
     {"GK401"}),
    # Thu 09-28 before National Day (09-29..10-06 off; 10-07 Sat and 10-08 Sun make-up):
    # materials by Sun 10-08, summary by Wed 10-11
    ("national-day-on-time", D(2023, 9, 28), D(2023, 9, 21), D(2023, 10, 8), D(2023, 10, 11),
     set()),
    ("national-day-late", D(2023, 9, 28), D(2023, 9, 22), D(2023, 10, 9), D(2023, 10, 12),
     {"GK401", "GK402", "GK403"}),
    # Mon 10-09: plan by Tue 09-26 (10-08, 10-07, 09-28, 09-27, 09-26)
    ("after-national-day-plan-ok", D(2023, 10, 9), D(2023, 9, 26), D(2023, 10, 10),
     D(2023, 10, 13), set()),
    ("after-national-day-plan-late", D(2023, 10, 9), D(2023, 9, 27), D(2023, 10, 10),
     D(2023, 10, 13), {"GK401"}),
]  # fmt: skip


@pytest.fixture(scope="module")
def deadline_results(
    tmp_path_factory: pytest.TempPathFactory, sched_engine: Engine
) -> dict[str, Result]:
    root = tmp_path_factory.mktemp("deadlines")
    out: dict[str, Result] = {}
    for name, activity, plan, materials, summary, _ in DEADLINE_CASES:
        manifest = {
            "activity_date": activity,
            "plan_filed": plan,
            "materials_sent": materials,
            "summary_sent": summary,
            "seq": 1,
        }
        spec = edu(manifest=manifest, plan=False, summary=None, video=False)
        out[name] = sched_engine.check(build(root, name, spec))
    return out


@pytest.mark.parametrize("case", DEADLINE_CASES, ids=[c[0] for c in DEADLINE_CASES])
def test_deadline_verdicts(case: tuple[Any, ...], deadline_results: dict[str, Result]) -> None:
    name, *_, expected = case
    result = deadline_results[name]
    assert {r for r in flagged(result) if r.startswith("GK40")} == expected
    for f in result.findings:
        if f.rule in expected:
            assert f.severity is Severity.WARNING
            assert f.evidence["activity_source"] == "manifest"
            assert "due" in f.evidence


def test_deadline_evidence_and_facts(deadline_results: dict[str, Result]) -> None:
    result = deadline_results["labour-day-late"]
    found = by_rule(result)
    plan, materials, summary = found["GK401"][0], found["GK402"][0], found["GK403"][0]
    assert plan.evidence["due"] == "2023-04-23" and plan.evidence["ahead"] == 4  # Sun 04-23 worked
    assert plan.evidence["filed_source"] == "manifest"
    assert materials.evidence["due"] == "2023-05-05"
    assert materials.evidence["workdays"] == 3  # Sat 05-06 is a make-up working day
    assert summary.evidence["due"] == "2023-05-09"
    assert "2023-05-09" in summary.message and "活动" in summary.message
    assert Path(summary.location.file).name == "submission.toml"
    dates = result.facts["dates"]
    assert dates["activity"] == {"date": "2023-04-28", "source": "manifest"}
    assert dates["materials_sent"] == {
        "date": "2023-05-06",
        "source": "manifest",
        "due": "2023-05-05",
    }
    assert dates["plan_filed"]["due"] == "2023-04-23"
    national = deadline_results["national-day-on-time"].facts["dates"]
    assert national["materials_sent"]["due"] == "2023-10-08"
    assert national["summary_sent"]["due"] == "2023-10-11"


def test_plan_filed_after_the_activity(tmp_path: Path, sched_engine: Engine) -> None:
    manifest = {"activity_date": D(2023, 4, 20), "plan_filed": D(2023, 4, 20)}
    result = sched_engine.check(build(tmp_path, "a", edu(manifest=manifest)))
    (plan,) = by_rule(result)["GK401"]
    assert plan.evidence["ahead"] == 0 and "当天或之后" in plan.message


def test_materials_dated_before_the_activity_is_a_question(
    tmp_path: Path, sched_engine: Engine
) -> None:
    manifest = {"activity_date": D(2023, 4, 20), "materials_sent": D(2023, 4, 19)}
    result = sched_engine.check(build(tmp_path, "a", edu(manifest=manifest)))
    (f,) = by_rule(result)["GK402"]
    assert f.severity is Severity.INFO and "早于活动日期" in f.message


def test_activity_date_read_from_the_report_lead(tmp_path: Path, sched_engine: Engine) -> None:
    manifest = {"plan_filed": D(2023, 4, 14), "materials_sent": D(2023, 4, 24)}
    result = sched_engine.check(build(tmp_path, "a", edu(manifest=manifest)))
    assert result.facts["dates"]["activity"] == {
        "date": "2023-04-20",
        "source": "report",
        "text": "4月20日",
    }
    found = by_rule(result)
    assert found["GK401"][0].evidence["activity_source"] == "report"
    assert "据报道「4月20日」" in found["GK402"][0].message
    assert found["GK403"][0].severity is Severity.INFO  # no summary_sent declared
    assert "GK602" not in found


def test_no_dates_at_all_gives_info_not_guesses(tmp_path: Path, sched_engine: Engine) -> None:
    spec = edu(lead=edu_lead("近日"), manifest={"plan_filed": D(2023, 4, 14), "seq": 1})
    result = sched_engine.check(build(tmp_path, "a", spec))
    found = by_rule(result)
    assert result.facts["dates"]["activity"] == {"date": None, "source": None, "vague": "近日"}
    for rule in ("GK401", "GK402", "GK403", "GK602"):
        assert [f.severity for f in found[rule]] == [Severity.INFO], rule
    assert found["GK401"][0].evidence["vague"] == "近日"
    assert "近日" in found["GK401"][0].message
    assert "plan_filed" not in found["GK402"][0].message
    assert result.ok


def test_invalid_manifest(tmp_path: Path, sched_engine: Engine) -> None:
    folder = build(tmp_path, "a", edu())
    (folder / "submission.toml").write_text(
        'plan_filed = "2023-04-10"\nplan_filled = 2023-04-10\n', encoding="utf-8"
    )
    result = sched_engine.check(folder)
    (f,) = by_rule(result)["GK400"]
    assert f.severity is Severity.ERROR
    assert "不加引号" in f.message and "plan_filled" in f.message  # Chinese, naming the key
    assert "without quotes" not in f.message
    assert by_rule(result)["GK401"][0].severity is Severity.INFO  # the date was not used


# ---------------------------------------------------------------------------------------------
# Summary completeness.

ON_TIME = {"activity_date": D(2023, 4, 20), "plan_filed": D(2023, 4, 13),
           "materials_sent": D(2023, 4, 21), "summary_sent": D(2023, 4, 26)}  # fmt: skip

SUMMARY_CASES: list[tuple[str, dict[str, Any], set[str]]] = [
    ("complete", {}, set()),
    ("no-summary", {"summary": None}, {"GK501"}),
    ("no-video", {"video": False}, {"GK502"}),
    ("video-only-mentioned", {"video": False, "video_text": "活动当天拍摄了短视频，已在“雨花发布”视频号推送。"},
     {"GK502"}),
    ("video-link", {"video": False, "video_text": "活动视频：https://v.qq.com/x/page/w3512abc.html"}, set()),
    ("video-link-by-context", {"video": False, "video_text": "现场短视频见 https://pan.example.cn/s/1AbC"},
     set()),
    ("loose-photos-only", {"summary_pictures": 0, "loose_photos": 2}, set()),
    ("no-pictures", {"summary_pictures": 0}, {"GK503"}),
    ("no-practices", {"summary": "no-practices"}, {"GK504"}),
    ("no-results", {"summary": "no-results"}, {"GK505"}),
    ("inline-headings", {"summary": "inline"}, set()),
    ("phrases-only", {"summary": "phrases"}, set()),
    ("bare", {"summary": "bare"}, {"GK504", "GK505"}),
    ("summary-named-by-title", {"summary_name": "活动材料.docx"}, set()),
]  # fmt: skip


@pytest.fixture(scope="module")
def summary_results(
    tmp_path_factory: pytest.TempPathFactory, sched_engine: Engine
) -> dict[str, Result]:
    root = tmp_path_factory.mktemp("summaries")
    return {
        name: sched_engine.check(build(root, name, edu(manifest=ON_TIME, plan=False, **changes)))
        for name, changes, _ in SUMMARY_CASES
    }


@pytest.mark.parametrize("case", SUMMARY_CASES, ids=[c[0] for c in SUMMARY_CASES])
def test_summary_verdicts(case: tuple[Any, ...], summary_results: dict[str, Result]) -> None:
    name, _, expected = case
    result = summary_results[name]
    assert flagged(result) == expected, [f.message for f in result.findings]
    severities = {"GK501": "error", "GK502": "warning", "GK503": "error", "GK504": "warning",
                  "GK505": "warning"}  # fmt: skip
    for f in result.findings:
        if f.rule in expected:
            assert f.severity == severities[f.rule]


def test_summary_facts(summary_results: dict[str, Result]) -> None:
    fact = summary_results["complete"].facts["summary"]
    assert fact["files"] == ["活动情况报告.docx"]
    assert fact["pictures"] == {"embedded": 1, "loose": 0}
    assert fact["video"] == {"found": True, "by": "file", "files": ["活动短视频.mp4"]}
    assert fact["practices"]["by"] == "heading" and fact["practices"]["text"] == "二、主要做法"
    assert fact["results"]["text"] == "三、取得成效"
    inline = summary_results["inline-headings"].facts["summary"]
    assert (
        inline["practices"]["text"] == "二、工作举措"
        and inline["results"]["text"] == "三、工作实效"
    )
    phrases = summary_results["phrases-only"].facts["summary"]
    assert (phrases["practices"]["by"], phrases["practices"]["text"]) == ("phrase", "主要做法")
    assert phrases["results"]["by"] == "phrase"
    link = summary_results["video-link"].facts["summary"]["video"]
    assert link["by"] == "link" and link["url"].startswith("https://v.qq.com/")
    mention = summary_results["video-only-mentioned"]
    (f,) = by_rule(mention)["GK502"]
    assert "视频号" in f.message and f.evidence["text"].startswith("活动当天拍摄了短视频")
    assert summary_results["summary-named-by-title"].facts["summary"]["files"] == ["活动材料.docx"]


def test_summary_not_yet_due_on_the_review_date(tmp_path: Path) -> None:
    folder = build(tmp_path, "a", edu(summary=None, manifest={"activity_date": D(2023, 4, 28)}))
    for as_of, severity in (("2023-05-09", Severity.INFO), ("2023-05-10", Severity.ERROR)):
        cfg = schedule_config(as_of=dt.date.fromisoformat(as_of))
        result = engine_for(cfg, plugins=False).check(folder)
        (f,) = by_rule(result)["GK501"]
        assert f.severity is severity, as_of
    assert "2023-05-09" in f.message or f.severity is Severity.ERROR


@pytest.mark.parametrize(
    ("lines", "practices", "results"),
    [
        (
            ["一、基本情况", "（二）创新工作举措", "（三）活动成效"],
            "（二）创新工作举措",
            "（三）活动成效",
        ),
        (["二、经验与做法", "三、取得的成效"], "二、经验与做法", "三、取得的成效"),
        (["第二部分 主要做法", "第三部分 工作成果"], "第二部分 主要做法", "第三部分 工作成果"),
        (["2.亮点特色", "3.社会反响"], "2.亮点特色", "3.社会反响"),
        (["二、主要做法及成效"], "二、主要做法及成效", "二、主要做法及成效"),
        (
            ["一、工作做法：一是精心组织。", "二、工作实效：活动覆盖群众300余人。"],
            "一、工作做法",
            "二、工作实效",
        ),
        (["四、下一步工作措施", "五、存在的问题和不足", "（一）预期成效"], None, None),
        (["下一步，我们将总结经验做法，力争取得更大成效。"], None, None),
        (["共发放宣传资料200余份。"], None, None),
    ],
)
def test_find_part_on_real_headings(
    lines: list[str], practices: str | None, results: str | None
) -> None:
    blocks = [
        Block(index=i, text=t, style=StyleHints(bold=len(t) < 20)) for i, t in enumerate(lines)
    ]
    p, r = find_part(blocks, "practices"), find_part(blocks, "results")
    assert (p.text if p.found else None) == practices
    assert (r.text if r.found else None) == results


def test_find_video_link() -> None:
    def blocks(*texts: str) -> list[Block]:
        return [Block(index=i, text=t) for i, t in enumerate(texts)]

    assert (
        find_video_link(blocks("详见 https://www.douyin.com/video/7231"))[0]
        == "https://www.douyin.com/video/7231"
    )
    assert find_video_link(blocks("政策原文：https://www.yuhua.gov.cn/zwgk/1.html")) == (None, None)
    assert find_video_link(blocks("活动录制短视频1部。")) == (None, "活动录制短视频1部。")


# ---------------------------------------------------------------------------------------------
# Matching: every unit with several activities finds the right one.


@pytest.fixture(scope="module")
def matched(tmp_path_factory: pytest.TempPathFactory, sched_engine: Engine) -> dict[int, Result]:
    root = tmp_path_factory.mktemp("matching")
    out: dict[int, Result] = {}
    for c in CASES:
        spec = Spec(unit=c.unit, title=c.title, lead=c.lead, plan=False, summary=None, video=False)
        out[c.seq] = sched_engine.check(build(root, f"s{c.seq:02d}", spec))
    return out


def test_cases_cover_the_units_named_in_the_brief() -> None:
    seqs = {c.seq for c in CASES}
    assert {1, 7, 4, 19, 52, 13, 15, 6, 21, 23, 54} <= seqs
    counts = Counter(a.unit for a in Schedule.load())
    assert {c.seq for c in CASES} == {a.seq for a in Schedule.load() if counts[a.unit] > 1}


@pytest.mark.parametrize("case", CASES, ids=[f"seq{c.seq}" for c in CASES])
def test_matched_to_the_right_activity(case: Any, matched: dict[int, Result]) -> None:
    result = matched[case.seq]
    fact = result.facts["activity"]
    assert (fact["status"], fact["seq"]) == ("matched", case.seq), fact["candidates"][:3]
    activity = Schedule.load().by_seq(case.seq)
    assert activity is not None
    assert fact["unit"] == activity.unit and fact["month"] == activity.month
    assert fact["unit_source"] == "report" and fact["by"] == "matching"
    assert 0 < fact["score"] <= 1 and fact["candidates"][0]["seq"] == case.seq
    assert "GK601" not in result.rules()
    # each report's lead dates it in its planned month
    assert ("GK602" in result.rules()) == (case.month != activity.month)


def test_unit_from_the_folder_name(tmp_path: Path, sched_engine: Engine) -> None:
    spec = Spec(unit="我街道", title="我街道开展民法典普法进社区活动",
                lead="5月23日，我街道在辖区广场开展“政务公开主题日”活动，律师为居民讲解民法典中婚姻家庭、继承等法律知识。",
                plan=False, summary=None, video=False)  # fmt: skip
    fact = sched_engine.check(build(tmp_path, "同升街道-民法典宣传", spec)).facts["activity"]
    assert (fact["seq"], fact["unit_source"]) == (19, "folder")


def test_unit_and_seq_from_the_manifest(tmp_path: Path, sched_engine: Engine) -> None:
    spec = edu(manifest={"unit": "长沙市雨花区教育局", "seq": 7})
    fact = sched_engine.check(build(tmp_path, "a", spec)).facts["activity"]
    assert (fact["seq"], fact["by"], fact["unit_source"], fact["score"]) == (
        7,
        "manifest",
        "manifest",
        1.0,
    )


def test_declared_seq_of_another_unit(tmp_path: Path, sched_engine: Engine) -> None:
    result = sched_engine.check(build(tmp_path, "a", edu(manifest={"seq": 19})))
    (f,) = by_rule(result)["GK601"]
    assert f.evidence["planned_unit"] == "同升街道" and f.evidence["unit"] == "区教育局"
    assert result.facts["activity"]["seq"] == 19


def test_unknown_seq_falls_back_to_matching(tmp_path: Path, sched_engine: Engine) -> None:
    result = sched_engine.check(build(tmp_path, "a", edu(manifest={"seq": 99})))
    assert [f.evidence.get("seq") for f in by_rule(result)["GK601"]] == [99]
    assert result.facts["activity"]["seq"] == 1


def test_unmatched_report_names_candidates(tmp_path: Path, sched_engine: Engine) -> None:
    spec = Spec(unit="某单位", title="某单位开展活动", lead="近日，某单位开展了活动。")
    result = sched_engine.check(build(tmp_path, "x", spec))
    (f,) = by_rule(result)["GK601"]
    assert f.severity is Severity.WARNING and f.evidence["status"] == "unmatched"
    assert "未识别" in f.message and isinstance(f.evidence["candidates"], list)
    assert (
        result.facts["activity"]["seq"] is None
        and result.facts["activity"]["status"] == "unmatched"
    )


def test_ambiguous_between_two_activities_of_a_unit(tmp_path: Path, sched_engine: Engine) -> None:
    spec = Spec(unit="雨花区教育局", title="雨花区教育局开展“政务公开主题日”活动",
                lead="雨花区教育局开展2023年“政务公开主题日”活动。", plan=False, summary=None, video=False)  # fmt: skip
    result = sched_engine.check(build(tmp_path, "x", spec))
    fact = result.facts["activity"]
    assert fact["status"] == "ambiguous" and {c["seq"] for c in fact["candidates"][:2]} == {1, 7}
    assert by_rule(result)["GK601"][0].evidence["status"] == "ambiguous"


def test_held_in_another_month(tmp_path: Path, sched_engine: Engine) -> None:
    spec = Spec(unit="区科协", title="雨花区科协开展全国科技工作者日“政务公开主题日”活动",
                lead="6月2日，雨花区科协开展“政务公开主题日”暨全国科技工作者日活动，走访慰问一线科技工作者。",
                plan=False, summary=None, video=False)  # fmt: skip
    result = sched_engine.check(build(tmp_path, "x", spec))
    (f,) = by_rule(result)["GK602"]
    assert f.evidence["seq"] == 23 and f.evidence["activity"] == "2023-06-02"
    assert f.evidence["activity_source"] == "report" and f.location.block is not None
    assert "计划安排在2023年5月" in f.message


def test_lone_report_file_is_matched_like_a_submission_but_judged_as_a_report(
    tmp_path: Path, sched_engine: Engine
) -> None:
    path = tmp_path / "report.docx"
    write_report(
        path, EDU_TITLE, edu_lead(), ("活动现场气氛热烈。",), "下一步，将继续深化政务公开。"
    )
    result = sched_engine.check(path)
    assert result.findings == ()  # no submission rule reports on a lone report
    fact = result.facts["activity"]
    assert (fact["seq"], fact["unit_source"]) == (1, "report")
    assert result.facts["dates"]["activity"]["source"] == "report"


def test_summary_without_report_still_dates_and_matches(
    tmp_path: Path, sched_engine: Engine
) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    write_doc(folder / "情况报告.docx", "同升街道民法典普法宣传活动情况报告",
              ["5月23日，同升街道在辖区广场开展“政务公开主题日”民法典普法宣传活动。", "二、主要做法",
               "律师讲解民法典。", "三、取得成效", "解答咨询50人次。"], pictures=1)  # fmt: skip
    result = sched_engine.check(folder)
    assert result.facts["dates"]["activity"]["source"] == "summary"
    assert result.facts["activity"]["seq"] == 19


def test_english_messages(tmp_path: Path) -> None:
    manifest = {"activity_date": D(2023, 4, 20), "plan_filed": D(2023, 4, 14)}
    folder = build(tmp_path, "a", edu(manifest=manifest, summary="bare", video=False))
    result = engine_for(schedule_config(), lang="en", plugins=False).check(folder)
    messages = {f.rule: f.message for f in result.findings}
    assert messages["GK401"].startswith("the plan was filed on 2023-04-14, only 4 working days")
    assert "from submission.toml" in messages["GK401"]
    assert messages["GK504"].startswith("no practices")
    assert messages["GK502"].startswith("no short video")


def test_rules_are_submission_scoped_and_numbered_by_family() -> None:
    ids = [r.id for r in ALL_RULES]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(r.scope == "submission" and r.docs == f"rules/{r.id}.md" for r in ALL_RULES)
    assert all(messages("zh")[r.id].keys() == messages("en")[r.id].keys() for r in ALL_RULES)


def test_files_named_only_by_number_are_told_apart_by_title(
    tmp_path: Path, sched_engine: Engine
) -> None:
    folder = tmp_path / "圭塘街道-附件"
    folder.mkdir()
    write_doc(folder / "附件1.docx", "圭塘街道2023年“政务公开主题日”活动方案",
              ["一、活动主题", "学习调研政务公开先进单位", "二、活动安排", "活动结束后两个工作日内报送图片及文字材料。"])  # fmt: skip
    write_report(folder / "附件2.docx", "圭塘街道开展“政务公开主题日”活动 学习调研政务公开先进单位",
                 "10月9日，圭塘街道组织工作人员赴政务公开先进单位学习调研，开展“政务公开主题日”活动。",
                 ("活动中，大家参观了政务公开专区。",), "下一步，圭塘街道将持续深化政务公开。")  # fmt: skip
    write_doc(folder / "附件3.docx", "圭塘街道关于2023年“政务公开主题日”活动开展情况的报告",
              ["区政务公开办：", "一、活动开展情况", "二、主要做法和成效", "一是精心筹备；二是突出互动。"],
              pictures=1)  # fmt: skip
    result = sched_engine.check(folder)
    assert result.facts["summary"]["files"] == ["附件3.docx"]
    assert result.facts["dates"]["activity"] == {
        "date": "2023-10-09",
        "source": "report",
        "text": "10月9日",
    }
    assert result.facts["activity"]["seq"] == 61
    assert flagged(result) == {"GK502"}
