"""``gkcheck schedule DIR``: the coverage table, the per-unit and per-month views, JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from gkcheck.batch.discover import discover
from gkcheck.cli import main

from .builders import Spec, build, write_report

D = dt.date
SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "submissions"
BODY = (
    "活动现场，工作人员围绕“政务公开主题日”主题逐条解读相关政策，并设置互动问答环节。",
    "活动共发放宣传资料200余份，解答群众咨询60余人次，收集意见建议12条。",
)
CONFIG = """\
[rules]
select = ["GK1", "GK4", "GK5", "GK6"]
[ocr]
enabled = false
"""


def _spec(unit: str, title: str, lead: str, **changes: Any) -> Spec:
    return Spec(unit=unit, title=title, lead=lead, body=BODY, **changes)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("subs")
    (root / "gkcheck.toml").write_text(CONFIG, encoding="utf-8")
    on_time = {"activity_date": D(2023, 4, 20), "plan_filed": D(2023, 4, 13),
               "materials_sent": D(2023, 4, 21), "summary_sent": D(2023, 4, 26)}  # fmt: skip
    build(root, "01-区教育局-小升初", _spec(
        "雨花区教育局", "雨花区教育局开展“政务公开主题日”活动 面对面为家长解读小升初入学政策",
        "4月20日，雨花区教育局开展2023年“政务公开主题日”活动，现场解读今年小学升初中招生入学政策。",
        manifest=on_time))  # fmt: skip
    build(root, "07-区教育局-校外培训", _spec(
        "雨花区教育局", "雨花区教育局召开校外培训机构审批推进会暨“政务公开主题日”活动",
        "4月26日，雨花区教育局以“政务公开主题日”为契机，实地走访辖区非学科类校外培训机构，随后召开审批工作推进会。",
        summary_pictures=0, manifest={"materials_sent": D(2023, 5, 4)}))  # fmt: skip
    unit = root / "同升街道"
    unit.mkdir()
    build(unit, "民法典", _spec(
        "同升街道", "同升街道开展“政务公开主题日”民法典普法进社区活动",
        "5月23日，同升街道在辖区广场开展“政务公开主题日”活动，律师为居民讲解民法典中婚姻家庭、继承等法律知识。"))  # fmt: skip
    build(unit, "走访企业", _spec(
        "同升街道", "同升街道“政务公开主题日”组织代表走访辖区优秀企业",
        "9月14日，同升街道开展“政务公开主题日”活动，组织人大代表、居民代表走进辖区多家优秀企业实地调研。"))  # fmt: skip
    write_report(root / "司法局-国家安全.docx",
                 "雨花区司法局开展全民国家安全教育日“政务公开主题日”普法活动",
                 "4月15日，雨花区司法局开展“政务公开主题日”活动，在商圈设置宣传点，向市民普及国家安全法。",
                 BODY, "下一步，雨花区司法局将以“政务公开主题日”活动为契机，持续开展普法宣传。")  # fmt: skip
    build(
        root,
        "zz-不明",
        _spec(
            "某单位", "某单位开展“政务公开主题日”活动", "近日，某单位开展了“政务公开主题日”活动。"
        ),
    )
    (root / "区医保局.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    (root / "说明.txt").write_text("notes", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def text_output(folder: Path) -> str:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["schedule", str(folder), "--as-of", "2023-07-01"])
    assert code == 0
    return buf.getvalue()


def _row(text: str, seq: int) -> str:
    (line,) = [ln for ln in text.splitlines() if re.match(rf"^{seq}\s{{2,}}", ln)]
    return line


def test_schedule_finds_submissions_as_batch_does(folder: Path) -> None:
    refs = discover(folder)
    assert [(r.key, r.form) for r in refs] == [
        ("01-区教育局-小升初", "folder"), ("07-区教育局-校外培训", "folder"),
        ("zz-不明", "folder"), ("区医保局.zip", "zip"), ("司法局-国家安全.docx", "file"),
        ("同升街道/民法典", "folder"), ("同升街道/走访企业", "folder"),
    ]  # fmt: skip


def test_coverage_table(text_output: str) -> None:
    text = text_output
    assert text.startswith(
        "政务公开主题日活动完成情况（截至 2023-07-01，计划 73 项，检查报送 7 份）"
    )
    header = text.splitlines()[2]
    for word in ("序号", "责任单位", "月份", "活动主题", "状态", "报送材料"):
        assert word in header
    assert re.search(
        r"区教育局\s+4月\s+雨花区教育局 2023 年.*…\s+通过\s+01-区教育局-小升初", _row(text, 1)
    )
    assert re.search(r"有误（迟报）\s+07-区教育局-校外培训\s+GK402,GK503", _row(text, 7))
    assert re.search(
        r"区司法局\s+4月\s+国家安全法律法规主题宣传\s+通过\s+司法局-国家安全\.docx", _row(text, 6)
    )
    assert re.search(r"同升街道\s+5月\s+.*通过\s+同升街道/民法典", _row(text, 19))
    assert re.search(r"同升街道\s+9月\s+.*通过\s+同升街道/走访企业", _row(text, 52))
    assert re.search(r"区人居环境局\s+4月\s+.*逾期未报\s+-", _row(text, 3))
    assert re.search(r"圭塘街道\s+7月\s+.*未到期\s+-", _row(text, 45))
    assert "通过 4，有误 1，逾期未报 40，未到期 28，迟报 1" in text


def test_unit_and_month_views(text_output: str) -> None:
    text = text_output
    units = text[text.index("按责任单位") : text.index("按月份")]
    assert re.search(r"^同升街道\s+3\s+2\s+0\s+1\s+0\s+0$", units, re.MULTILINE)
    assert re.search(r"^区教育局\s+2\s+1\s+1\s+0\s+0\s+1$", units, re.MULTILINE)
    assert re.search(r"^合计\s+73\s+4\s+1\s+40\s+28\s+1$", units, re.MULTILINE)
    months = text[text.index("按月份") :]
    assert re.search(r"^4月\s+13\s+2\s+1\s+10\s+0\s+1$", months, re.MULTILINE)
    assert re.search(r"^7月\s+4\s+0\s+0\s+0\s+4\s+0$", months, re.MULTILINE)
    assert "未能对应到计划的报送（2 份）" in text and "zz-不明" in text
    assert "区医保局.zip" in text  # a zip is read like a folder (here: an empty one)
    assert "说明.txt  不是报送材料" in text


def test_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", str(folder), "--as-of", "2023-07-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == 1 and data["as_of"] == "2023-07-01" and data["checked"] == 7
    status = {a["seq"]: a["status"] for a in data["activities"]}
    assert (status[1], status[7], status[19], status[52], status[6]) == (
        "passing",
        "faulty",
        "passing",
        "passing",
        "passing",
    )
    assert len(data["activities"]) == 73 and len(data["by_month"]) == 9
    assert [Path(u["path"]).name for u in data["unattributed"]] == ["zz-不明", "区医保局.zip"]
    assert data["skipped"][0]["reason"] == "not-a-submission"


def test_english(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", str(folder), "--as-of", "2023-05-01", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(
        "政务公开主题日 activities as of 2023-05-01: 73 planned, 7 submissions checked"
    )
    assert re.search(r"区教育局\s+04\s+.*passing\s+01-区教育局-小升初", _row(text, 1))
    assert re.search(r"\s+passing\s+同升街道/民法典", _row(text, 19))  # received: not "upcoming"
    assert re.search(r"\s+upcoming\s+-", _row(text, 20))
    assert "By unit" in text and "By month" in text


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", str(tmp_path / "missing")]) == 2
    assert main(["schedule", str(tmp_path), "--as-of", "2023-13-01"]) == 2
    capsys.readouterr()


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="samples/submissions not generated yet")
def test_samples_submissions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "gkcheck.toml"
    config.write_text(
        '[rules]\nselect = ["GK4", "GK5", "GK6"]\n[ocr]\nenabled = false\n', encoding="utf-8"
    )
    assert main(["schedule", str(SAMPLES), "--as-of", "2023-07-01", "--config", str(config)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("政务公开主题日活动完成情况（截至 2023-07-01，计划 73 项")
    assert sum(bool(re.match(r"^\d+\s{2,}", ln)) for ln in text.splitlines()) == 73
