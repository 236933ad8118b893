"""The optional coverage view: used when gkcheck.coverage offers build_coverage, else skipped."""

from __future__ import annotations

import datetime as dt
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from gkcheck.batch.runner import load_coverage
from gkcheck.config import Config
from gkcheck.findings import Result
from gkcheck.writers.html import render_html
from gkcheck.writers.xlsx import write_xlsx

if TYPE_CHECKING:
    from gkcheck.schedule import Activity


@dataclass(frozen=True)
class _Row:
    activity: Activity
    status: str
    submissions: tuple[Any, ...]


def _fake_module(calls: list[dict[str, Any]]) -> types.ModuleType:
    mod = types.ModuleType("gkcheck.coverage")

    def build_coverage(results: list[Result], *, schedule: Any, as_of: dt.date) -> list[_Row]:
        calls.append({"results": results, "as_of": as_of, "n": len(schedule)})
        acts = list(schedule)[:3]
        return [
            _Row(acts[0], "passing", (results[0],)),
            _Row(acts[1], "overdue", ()),
            _Row(acts[2], "upcoming", ()),
        ]

    mod.build_coverage = build_coverage  # type: ignore[attr-defined]
    return mod


def test_coverage_sheet_and_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setitem(sys.modules, "gkcheck.coverage", _fake_module(calls))
    results = [Result(path=Path("区教育局-0418-小升初"), kind="submission")]
    rows = load_coverage(results, Config(), dt.date(2023, 5, 1))
    assert rows is not None and len(rows) == 3
    assert calls[0]["as_of"] == dt.date(2023, 5, 1) and calls[0]["n"] == 73
    path = write_xlsx(results, tmp_path / "s.xlsx", coverage=rows)
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(path)
    ws = wb["计划覆盖"]
    assert [c.value for c in ws[1]][:6] == [
        "序号",
        "活动主题",
        "活动形式",
        "责任单位",
        "计划月份",
        "状态",
    ]
    assert ws.cell(row=2, column=6).value == "已报送·合格"
    assert ws.cell(row=2, column=7).value == "区教育局-0418-小升初"
    assert ws.cell(row=1, column=9).value == "按单位统计"
    page = render_html(results, coverage=rows)
    assert 'id="coverage"' in page and "逾期未报送" in page and "按月份统计" in page


def test_absent_coverage_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gkcheck.coverage", None)  # import raises ImportError
    results = [Result(path=Path("x"), kind="submission")]
    assert load_coverage(results, Config(), dt.date(2023, 5, 1)) is None
    wb_path = write_xlsx(results, tmp_path / "s.xlsx", coverage=None)
    openpyxl = pytest.importorskip("openpyxl")
    assert "计划覆盖" not in openpyxl.load_workbook(wb_path).sheetnames
    assert 'id="coverage"' not in render_html(results)
    monkeypatch.setitem(sys.modules, "gkcheck.coverage", types.ModuleType("gkcheck.coverage"))
    assert load_coverage(results, Config(), dt.date(2023, 5, 1)) is None  # no build_coverage
