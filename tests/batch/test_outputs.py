"""The batch outputs on the sample submissions, from one shared run (so it runs once per worker).

Verdicts against the generator's truth, file classification, zip paths, results round-trip
through JSON, the spreadsheet read back with openpyxl, and report.html in a real headless
browser (Debian's chromium through /usr/bin/chromedriver, installed by
scripts/install-browser.sh; selenium-manager never downloads anything): it renders, sorts,
filters, and its images load.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.browser import chromium

from gkcheck.batch.records import result_from_dict

if TYPE_CHECKING:
    from collections.abc import Iterator


def _results(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    data = json.loads((Path(run["out"]) / "results.json").read_text(encoding="utf-8"))
    return {Path(r["path"]).name: r for r in data["results"]}


def test_every_submission_is_accounted_for(
    sample_run: dict[str, Any], truth: list[dict[str, Any]]
) -> None:
    results = _results(sample_run)
    assert sorted(results) == sorted(t["name"] for t in truth)
    summary = sample_run["summary"]
    assert summary["total"] == len(truth) == summary["checked"] + summary["reused"]
    assert sample_run["proc"].returncode == 1  # the faulty samples have error findings


def test_verdicts_follow_the_generator_truth(
    sample_run: dict[str, Any], truth: list[dict[str, Any]]
) -> None:
    results = _results(sample_run)
    rule_of = {"title": "GK101", "lead": "GK102", "body": "GK103", "ending": "GK104"}
    for t in truth:
        fired = {f["rule"] for f in results[t["name"]]["findings"]}
        for place, present in t["places"].items():
            assert (rule_of[place] in fired) == (not present), (t["name"], place, fired)
        if t["corrupt"]:
            assert "GK000" in fired
        if not t["summary"]:
            assert "GK501" in fired


def test_files_are_classified_with_reasons(
    sample_run: dict[str, Any], truth: list[dict[str, Any]]
) -> None:
    results = _results(sample_run)
    att = next(t for t in truth if t["kind"] == "attachments")
    files = {f["path"]: f for f in results[att["name"]]["files"]}
    assert files["附件2.docx"]["role"] == "report" and files["附件2.docx"]["why"].startswith(
        "content"
    )
    assert files["附件1.docx"]["role"] == "plan"
    assert files["附件3.docx"]["role"] == "summary"
    good = next(t for t in truth if t["kind"] == "good")
    roles = [f["role"] for f in results[good["name"]]["files"]]
    assert roles.count("photo") >= 3 and "video" in roles and "manifest" in roles


def test_zip_paths_and_gbk_names(sample_run: dict[str, Any], truth: list[dict[str, Any]]) -> None:
    z = next(t for t in truth if t["kind"] == "zip")
    result = _results(sample_run)[z["name"]]
    assert result["kind"] == "submission"
    assert any(f["path"].endswith("新闻稿.docx") and f["role"] == "report" for f in result["files"])
    for f in result["findings"]:
        assert "!/" in f["location"]["file"] or f["location"]["file"].endswith(".zip!")
    assert "gkcheck-zip-" not in json.dumps(result, ensure_ascii=False)


def test_xlsx_reads_back(sample_run: dict[str, Any], truth: list[dict[str, Any]]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(Path(sample_run["out"]) / "summary.xlsx")
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["序号", "单位", "报送材料", "新闻稿文件", "结论"]
    rule_cols = [i for i, h in enumerate(header) if isinstance(h, str) and h[:2] == "GK"]
    assert any(str(header[i]).startswith("GK101") for i in rule_cols)
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(truth)
    assert sorted(r[2] for r in rows) == sorted(t["name"] for t in truth)
    assert ws.freeze_panes == "D2" and ws.auto_filter.ref.startswith("A1:")
    col101 = next(i for i in rule_cols if str(header[i]).startswith("GK101"))
    results = _results(sample_run)
    for row_cells in ws.iter_rows(min_row=2):
        name = row_cells[2].value
        fired = any(f["rule"] == "GK101" for f in results[name]["findings"])
        cell = row_cells[col101]
        colour = cell.fill.fgColor.rgb[-6:]
        assert (cell.value.startswith("错误"), colour) == (
            (True, "FFC7CE") if fired else (False, "C6EFCE")
        )
        assert row_cells[4].value == ("通过" if results[name]["ok"] else "未通过")
    units = {r[2]: r[1] for r in rows}
    for t in truth:
        assert units[t["name"]] == t["unit"], t["name"]
    assert wb.sheetnames[1] == "问题明细"


def test_round_trip_of_every_sample_result(sample_run: dict[str, Any]) -> None:
    data = json.loads((Path(sample_run["out"]) / "results.json").read_text(encoding="utf-8"))
    assert data["schema"] == 2 and data["results"]
    for item in data["results"]:
        again = result_from_dict(item).to_dict()
        assert again == item


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


def _column(driver: Any, index: int) -> list[str]:
    return [
        str(v)
        for v in driver.execute_script(
            "return Array.from(document.querySelectorAll('#summary-table tbody tr'))"
            ".filter(r => !r.hidden).map(r => r.cells[arguments[0]].textContent.trim());",
            index,
        )
    ]


def test_report_renders_sorts_filters_and_shows_images(
    browser: Any, sample_run: dict[str, Any], truth: list[dict[str, Any]]
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    page = Path(sample_run["out"]) / "report.html"
    browser.get(page.resolve().as_uri())
    assert "报送材料检查报告" in browser.title
    assert (
        browser.execute_script(
            "return document.querySelectorAll('link[href], script[src], img[src^=http]').length"
        )
        == 0
    )
    rows = browser.find_elements(By.CSS_SELECTOR, "#summary-table tbody tr")
    assert len(rows) == len(truth)

    # sort by the error count: click once ascending, twice descending
    header = browser.find_elements(By.CSS_SELECTOR, "#summary-table thead th")[4]
    header.click()
    errors = [int(v) for v in _column(browser, 4)]
    assert errors == sorted(errors) and header.get_attribute("aria-sort") == "ascending"
    header.click()
    errors = [int(v) for v in _column(browser, 4)]
    assert errors == sorted(errors, reverse=True) and errors[0] > 0
    # sort by submission name (text)
    browser.find_elements(By.CSS_SELECTOR, "#summary-table thead th")[2].click()
    names = _column(browser, 2)
    assert names == browser.execute_script(
        "return arguments[0].slice().sort((a,b)=>a.localeCompare(b,'zh-Hans-CN'))", names
    )

    # filter: pass/fail select, then the text box
    select = Select(browser.find_element(By.ID, "verdict"))
    select.select_by_value("fail")
    verdicts = _column(browser, 3)
    assert verdicts and set(verdicts) == {"未通过"}
    failing = len(verdicts)
    select.select_by_value("pass")
    assert set(_column(browser, 3)) == {"通过"}
    assert len(_column(browser, 3)) == len(truth) - failing
    assert browser.find_element(By.ID, "shown").text == str(len(truth) - failing)
    select.select_by_value("")
    box = browser.find_element(By.ID, "q")
    z = next(t for t in truth if t["kind"] == "zip")
    box.send_keys(z["name"][:6])
    shown = _column(browser, 2)
    assert z["name"] in shown and len(shown) < len(truth)
    hidden_cards = browser.execute_script(
        "return document.querySelectorAll('section.sub[hidden]').length"
    )
    assert hidden_cards == len(truth) - len(shown)
    box.clear()
    box.send_keys("GK101")
    assert all("GK101" in r for r in _column(browser, 7))
    box.clear()
    box.send_keys(" ")  # input event with an empty filter shows everything again
    assert len(_column(browser, 2)) == len(truth)

    # every thumbnail is a data URI that decodes
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.src.slice(0, 23), i.complete, i.naturalWidth]);"
    )
    assert len(images) >= len(truth) * 2
    for prefix, complete, width in images:
        assert prefix == "data:image/jpeg;base64," and complete and width > 0
    # the keyword is highlighted in titles that carry it
    marks = browser.execute_script(
        "return document.querySelectorAll('dd.place-title mark:not(.near)').length"
    )
    assert marks >= sum(1 for t in truth if t["places"]["title"]) - 1
