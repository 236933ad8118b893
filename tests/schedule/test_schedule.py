"""The packaged schedule is attachment 1 row for row; bad files are named precisely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gkcheck.schedule import Activity, Schedule, ScheduleError

REPO = Path(__file__).resolve().parents[2]
SEED_DIR = REPO.parent / "shared" / "seed"
HEADER = "序号\t活动主题\t活动形式\t责任单位\t活动时间"


def _seed_rows() -> list[tuple[int, str, str, str, int]]:
    """Attachment 1 parsed out of the notice text (tab-separated table rows)."""
    files = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
    texts = [f.read_text(encoding="utf-8") for f in files]
    texts = [t for t in texts if HEADER in t]
    if not texts:
        pytest.skip(f"notice text with attachment 1 not found under {SEED_DIR}")
    rows: list[tuple[int, str, str, str, int]] = []
    for line in texts[0].splitlines():
        cells = line.split("\t")
        if len(cells) != 5 or not cells[0].strip().isdigit():
            continue
        seq, theme, form, unit, month = cells
        month_no = re.fullmatch(r"\s*(\d{1,2})\s*月\s*", month)
        assert month_no, f"row {seq}: unreadable month {month!r}"
        rows.append((int(seq), theme, form, unit, int(month_no.group(1))))
    return rows


def test_packaged_csv_matches_notice_row_for_row() -> None:
    seed = _seed_rows()
    schedule = Schedule.load()
    assert len(seed) == 73
    assert len(schedule) == 73
    for expected, got in zip(seed, schedule.activities, strict=True):
        seq, theme, form, unit, month = expected
        assert got.seq == seq
        assert got.theme == theme, f"row {seq} theme"
        assert got.form == form, f"row {seq} form"
        assert got.unit == unit, f"row {seq} unit"
        assert got.month == month, f"row {seq} month"
        assert got.year == 2023


def test_verbatim_details_survive() -> None:
    s = Schedule.load()
    by = {a.seq: a for a in s}
    assert by[1].theme == "雨花区教育局 2023 年“政务公开主题日”小升初招生政策解读"
    assert by[17].form == "现场咨询 座谈交流"
    assert by[6].form == "现场观摩、政策宣传"
    assert by[15].theme == "持续开展“走流程、解难题、优服务”行动，提升医保服务质量"
    assert by[37].unit == "民政局"
    assert by[28].unit == "生态环境局雨花分局"
    assert by[63].theme == "《雨花区数字经济发展三年行动计划（2023-2025）》政策出台解读"
    assert [a.seq for a in s] == list(range(1, 74))
    assert {a.month for a in s} == set(range(4, 13))


def test_forms_split_on_both_separators() -> None:
    by = {a.seq: a for a in Schedule.load()}
    assert by[6].forms == ("现场观摩", "政策宣传")
    assert by[17].forms == ("现场咨询", "座谈交流")
    assert by[48].forms == ("实地调研", "座谈交流")
    assert by[1].forms == ("现场观摩",)


def test_every_unit_resolves_through_the_directory() -> None:
    s = Schedule.load()
    assert len(s.units()) == 46
    for unit in s.units():
        assert s.directory.resolve(unit) == unit


@pytest.mark.parametrize(
    ("spelled", "seqs"),
    [
        ("区教育局", (1, 7)),
        ("长沙市雨花区教育局", (1, 7)),
        ("同升街道", (4, 19, 52)),
        ("雨花区同升街道办事处", (4, 19, 52)),
        ("雨花区民政局", (37, 50)),
        ("长沙市生态环境局雨花分局", (28,)),
        ("区医疗保障局", (13, 15)),
        ("区财政局", ()),
    ],
)
def test_by_unit_accepts_any_spelling(spelled: str, seqs: tuple[int, ...]) -> None:
    assert tuple(a.seq for a in Schedule.load().by_unit(spelled)) == seqs


def test_by_month_and_seq() -> None:
    s = Schedule.load()
    assert [a.seq for a in s.by_month(12)] == [69, 70, 71, 72, 73]
    assert s.by_seq(74) is None
    assert len(s.by_month(4)) == 13


def test_load_path_and_year(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text(
        "\ufeffseq,theme,form,unit,month\n1,测试主题,座谈交流,区教育局,5\n",
        encoding="utf-8",
    )
    s = Schedule.load(p, year=2024)
    assert s.activities == (Activity(1, "测试主题", "座谈交流", "区教育局", 5, 2024),)


def test_custom_unit_outside_directory(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("seq,theme,form,unit,month\n1,主题,形式,某某办,5\n", encoding="utf-8")
    assert [a.seq for a in Schedule.load(p).by_unit("某某办")] == [1]


@pytest.mark.parametrize(
    ("body", "row", "column", "fragment"),
    [
        ("seq,theme,form,unit\n", 1, None, "header"),
        ("seq,theme,form,unit,month\n1,a,b,区教育局,13\n", 2, "month", "not a month"),
        (
            "seq,theme,form,unit,month\n1,a,b,区教育局,四月\n",
            2,
            "month",
            "whole number",
        ),
        ("seq,theme,form,unit,month\nx,a,b,区教育局,4\n", 2, "seq", "whole number"),
        ("seq,theme,form,unit,month\n0,a,b,区教育局,4\n", 2, "seq", "positive"),
        (
            "seq,theme,form,unit,month\n1,a,b,c,4\n\n1,a,b,c,4\n",
            4,
            "seq",
            "repeats row 2",
        ),
        ("seq,theme,form,unit,month\n1,,b,c,4\n", 2, "theme", "empty"),
        ("seq,theme,form,unit,month\n1,a,b,,4\n", 2, "unit", "empty"),
        ("seq,theme,form,unit,month\n1,a,b,c\n", 2, None, "4 cells"),
        ("", 1, None, "empty file"),
    ],
)
def test_validation_names_row_and_column(
    tmp_path: Path, body: str, row: int, column: str | None, fragment: str
) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(ScheduleError) as info:
        Schedule.load(p)
    err = info.value
    assert err.row == row
    assert err.column == column
    assert fragment in str(err)
    assert f"row {row}" in str(err)
    if column:
        assert repr(column) in str(err)


def test_non_utf8_file_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "gbk.csv"
    p.write_bytes("seq,theme,form,unit,month\n1,宣传,讲座,区教育局,4\n".encode("gbk"))
    with pytest.raises(ScheduleError, match="not UTF-8"):
        Schedule.load(p)
