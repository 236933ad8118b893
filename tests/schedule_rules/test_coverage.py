"""build_coverage: every planned activity gets a status as of a day; per-unit and per-month views."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from gkcheck.coverage import (
    CoverageRow,
    build_coverage,
    by_month,
    by_unit,
    matched_seq,
    unattributed,
)
from gkcheck.findings import Finding, Location, Result, Severity
from gkcheck.schedule import Schedule

SCHEDULE = Schedule.load()


def finding(rule: str, severity: Severity) -> Finding:
    return Finding(rule=rule, severity=severity, message="m", location=Location(file="f"))


def result(name: str, seq: int | None, *findings: Finding, status: str = "matched") -> Result:
    fact: dict[str, Any] = {"seq": seq, "status": status if seq is not None else "unmatched"}
    return Result(path=Path(name), kind="submission", findings=findings, facts={"activity": fact})


def rows_by_seq(rows: list[CoverageRow]) -> dict[int, CoverageRow]:
    return {r.activity.seq: r for r in rows}


def test_one_row_per_planned_activity_in_order() -> None:
    rows = build_coverage([], schedule=SCHEDULE, as_of=dt.date(2023, 1, 1))
    assert [r.activity.seq for r in rows] == list(range(1, 74))
    assert {r.status for r in rows} == {"upcoming"}
    assert all(r.submissions == () and r.rules == () for r in rows)


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (dt.date(2023, 4, 30), "upcoming"),  # April is not over on its last day
        (dt.date(2023, 5, 1), "overdue"),
        (dt.date(2024, 1, 1), "overdue"),
    ],
)
def test_nothing_received_is_overdue_once_the_month_is_over(as_of: dt.date, status: str) -> None:
    assert rows_by_seq(build_coverage([], schedule=SCHEDULE, as_of=as_of))[1].status == status


def test_statuses_from_results() -> None:
    results = [
        result("s01", 1),  # clean
        result("s07", 7, finding("GK101", Severity.ERROR), finding("GK402", Severity.WARNING)),
        result("s19", 19, finding("GK402", Severity.WARNING), finding("GK401", Severity.INFO)),
        result("s52a", 52, finding("GK503", Severity.ERROR)),
        result("s52b", 52, finding("GK403", Severity.WARNING)),  # resubmission, now complete
        result("amb", None, status="ambiguous"),
    ]
    rows = rows_by_seq(build_coverage(results, schedule=SCHEDULE, as_of=dt.date(2023, 7, 1)))
    assert (rows[1].status, rows[1].submissions, rows[1].rules, rows[1].late) == (
        "passing",
        ("s01",),
        (),
        False,
    )
    assert rows[7].status == "faulty" and rows[7].rules == ("GK101", "GK402") and rows[7].late
    assert rows[19].status == "passing" and rows[19].rules == ("GK402",)  # info is not listed
    assert rows[52].status == "passing" and rows[52].submissions == ("s52a", "s52b")
    assert rows[52].rules == ("GK403", "GK503")
    assert rows[4].status == "overdue" and rows[45].status == "upcoming"  # April over, July not


def test_views_by_unit_and_month() -> None:
    results = [result("s01", 1), result("s07", 7, finding("GK101", Severity.ERROR))]
    rows = build_coverage(results, schedule=SCHEDULE, as_of=dt.date(2023, 5, 15))
    units = {t.key: t for t in by_unit(rows)}
    edu = units["区教育局"]
    assert (edu.planned, edu.passing, edu.faulty, edu.overdue, edu.upcoming) == (2, 1, 1, 0, 0)
    assert edu.reported == 2
    tong = units["同升街道"]  # rows 4 (April, overdue), 19 (May), 52 (September)
    assert (tong.planned, tong.overdue, tong.upcoming) == (3, 1, 2)
    assert list(units)[:3] == ["区教育局", "区农业农村局", "区人居环境局"]
    assert sum(t.planned for t in units.values()) == 73
    months = by_month(rows)
    assert [t.key for t in months] == [4, 5, 6, 7, 8, 9, 10, 11, 12]
    april = months[0]
    assert (april.planned, april.passing, april.faulty, april.overdue) == (13, 1, 1, 11)
    assert months[1].upcoming == 14
    assert april.to_json()["overdue"] == 11


def test_unattributed_and_matched_seq() -> None:
    good, amb, unknown = result("a", 1), result("b", None, status="ambiguous"), result("c", 99)
    bare = Result(path=Path("d"), kind="docx")
    assert [matched_seq(r) for r in (good, amb, unknown, bare)] == [1, None, 99, None]
    assert [r.path.name for r in unattributed([good, amb, unknown, bare], SCHEDULE)] == [
        "b",
        "c",
        "d",
    ]


def test_row_json_has_what_the_batch_writers_read() -> None:
    row = build_coverage([result("s01", 1)], schedule=SCHEDULE, as_of=dt.date(2023, 7, 1))[0]
    data = row.to_json()
    assert {"seq", "theme", "form", "unit", "month", "status", "submissions", "late"} <= set(data)
    assert data["form"] == "现场观摩" and data["submissions"] == ["s01"]
