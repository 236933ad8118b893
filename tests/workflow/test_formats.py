"""SARIF, JUnit and GitHub annotations, on real samples, checked against their specifications.

SARIF is validated with the SARIF 2.1.0 JSON schema shipped beside this test
(``data/sarif-2.1.0-rtm.5.json``, taken from the npm package @microsoft/jest-sarif 1.0.0-beta.0,
MIT; never fetched at test time); JUnit is read back with junitparser; annotations are matched
against the workflow-command syntax GitHub documents.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml
from tests.conftest import SAMPLES
from tests.workflow.conftest import FAILING, PASSING

from gkcheck.api import engine_for
from gkcheck.cli import main
from gkcheck.config import Config
from gkcheck.findings import Result
from gkcheck.writers.github import GithubWriter
from gkcheck.writers.junit import JunitWriter
from gkcheck.writers.sarif import SarifWriter
from gkcheck.writers.text import TextWriter

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8")
)
INPUTS = [
    SAMPLES / "submissions" / FAILING,  # GK104 on the ending
    SAMPLES / "submissions" / PASSING,  # passes; its LOGO is in an embedded picture
    SAMPLES / "submissions" / "区信访局-0623-信访工作条例宣传.zip",
    SAMPLES / "word" / "r001-inserted-only-twice.docx",  # GK201: no photo
    SAMPLES / "bad" / "corrupt.docx",  # GK000
]


@pytest.fixture(scope="module")
def checked() -> tuple[list[Result], list]:  # type: ignore[type-arg]
    engine = engine_for(Config(ocr=False), lang="zh", plugins=False)
    rules = engine.registry.sorted_rules()
    return [engine.check(p) for p in INPUTS], rules


def test_sarif_validates_and_locates_findings(checked) -> None:  # type: ignore[no-untyped-def]
    results, rules = checked
    log = json.loads(SarifWriter().write(results, lang="zh", color=False, rules=rules))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "gkcheck"
    assert [r["id"] for r in driver["rules"]] == [r.id for r in rules]  # every rule, not only fired
    gk101 = next(r for r in driver["rules"] if r["id"] == "GK101")
    assert gk101["defaultConfiguration"]["level"] == "error"
    assert gk101["helpUri"].startswith("file:") and gk101["helpUri"].endswith("GK101.md")
    assert "# GK101" in gk101["help"]["markdown"]
    found = {(r["ruleId"], r["level"]) for r in run["results"]}
    assert {("GK104", "error"), ("GK201", "error"), ("GK000", "error")} <= found
    gk104 = next(r for r in run["results"] if r["ruleId"] == "GK104")
    loc = gk104["locations"][0]
    assert loc["logicalLocations"][0]["name"] == "结尾"
    assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "%E6%96%B0%E9%97%BB%E7%A8%BF.docx"  # 新闻稿.docx, the report, not the folder
    )
    assert "政务公开日" in loc["physicalLocation"]["region"]["snippet"]["text"]
    for r in run["results"]:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]


def test_sarif_marks_a_waiver_as_an_accepted_suppression(checked) -> None:  # type: ignore[no-untyped-def]
    results, rules = checked
    mark = {"reviewer": "张三", "reason": "科室认可", "date": "2026-12-02", "hash": "0" * 64}
    first = results[0]
    waived = replace(
        first,
        findings=tuple(replace(f, waived=mark) if f.rule == "GK104" else f for f in first.findings),
    )
    log = json.loads(SarifWriter().write([waived], lang="zh", color=False, rules=rules))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    gk104 = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "GK104")
    assert gk104["suppressions"][0]["status"] == "accepted"
    assert gk104["suppressions"][0]["justification"] == "科室认可"


def test_junit_parses_one_case_per_input(checked, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    results, _ = checked
    file = tmp_path / "junit.xml"
    file.write_text(JunitWriter().write(results, lang="zh", color=False), encoding="utf-8")
    xml = JUnitXml.fromfile(str(file))
    cases = {case.name: case for suite in xml for case in suite}
    assert set(cases) == {p.name for p in INPUTS}
    failed = {name for name, case in cases.items() if any(isinstance(r, Failure) for r in case.result)}
    assert failed == {FAILING, "r001-inserted-only-twice.docx", "corrupt.docx"}
    failure = next(r for r in cases[FAILING].result if isinstance(r, Failure))
    assert "GK104" in failure.text and "新闻稿.docx" in failure.text
    assert sum(suite.failures for suite in xml) == 3


ANNOTATION = re.compile(
    r"^::(error|warning|notice) file=(?P<file>[^,:]+),title=(?P<title>[^,:]+)::(?P<msg>[^\r\n]*)$"
)


def test_github_annotations_match_the_workflow_command_syntax(checked) -> None:  # type: ignore[no-untyped-def]
    results, _ = checked
    text = GithubWriter().write(results, lang="zh", color=False)
    lines = text.splitlines()
    total = sum(len(r.findings) for r in results)
    assert len(lines) == total
    parsed = [ANNOTATION.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed, strict=True) if not m]
    gk104 = next(m for m in parsed if m and m["title"].startswith("GK104"))
    assert gk104.group(1) == "error" and gk104["file"].endswith("新闻稿.docx")
    assert "（结尾）" in gk104["msg"]


def test_text_names_photos_by_document_and_position(checked) -> None:  # type: ignore[no-untyped-def]
    results, _ = checked
    text = TextWriter().write([results[1]], lang="zh", color=False)
    assert "word/media/" not in text
    assert re.search(r"含LOGO的照片: 区税务分局-税费服务体验行-新闻稿\.docx 第\d+张图片", text)
    title = next(line for line in text.splitlines() if line.startswith("  标题:"))
    assert ">>政务公开" in title and "【" not in title  # ASCII marks, not brackets of a title


def test_text_puts_errors_first_and_names_the_file(checked) -> None:  # type: ignore[no-untyped-def]
    results, _ = checked
    text = TextWriter().write([results[0]], lang="en", color=False)
    body = text.splitlines()
    sev = [line.split()[1] for line in body if re.match(r"^  GK\d{3} ", line)]
    assert sev == sorted(sev, key=["error", "warning", "info"].index)
    assert "(新闻稿.docx, paragraph" in text or "(新闻稿.docx," in text
    assert "Checked 1 input, 1 failed; 1 error, 1 warning." in text


def test_cli_formats_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docx = str(SAMPLES / "word" / "r001-inserted-only-twice.docx")
    assert main(["check", "--no-ocr", "--no-plugins", "--format", "sarif", docx]) == 1
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(capsys.readouterr().out))
    out = tmp_path / "r.xml"
    assert main(["check", "--no-ocr", "--no-plugins", "--format", "junit", "--output-file", str(out), docx]) == 1
    assert JUnitXml.fromfile(str(out)).failures == 1
    assert main(["check", "--no-ocr", "--no-plugins", "--format", "xlsx", docx]) == 2
    assert "--output-file" in capsys.readouterr().err
    book = tmp_path / "r.xlsx"
    assert main(["check", "--no-ocr", "--no-plugins", "--format", "xlsx", "-o", str(book), docx]) == 1
    assert book.read_bytes()[:2] == b"PK"
    assert main(["check", "--no-ocr", "--no-plugins", "--statistics", docx]) == 1
    assert re.search(r"^\s+1  GK201  错误  report-without-photo$", capsys.readouterr().out, re.MULTILINE)
    assert main(["check", "--no-ocr", "--no-plugins", "--format", "nope", docx]) == 2
    assert "sarif" in capsys.readouterr().err


def test_per_file_ignores_and_extend_select(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sub = SAMPLES / "submissions" / FAILING
    cfg = tmp_path / "gkcheck.toml"
    cfg.write_text('[rules.per-file-ignores]\n"*/新闻稿.docx" = ["GK104"]\n', encoding="utf-8")
    args = ["check", "--no-ocr", "--no-plugins", "--format", "json", "--config", str(cfg)]
    assert main([*args, str(sub)]) == 0  # GK104 is on 新闻稿.docx's ending: ignored there
    rules = {f["rule"] for f in json.loads(capsys.readouterr().out)["results"][0]["findings"]}
    assert "GK104" not in rules and "GK502" in rules  # the summary's finding stays
    cfg.write_text('[rules.per-file-ignores]\n"*/情况报告.docx" = ["GK104"]\n', encoding="utf-8")
    assert main([*args, str(sub)]) == 1  # another file: GK104 reported
    capsys.readouterr()
    assert main(["check", "--no-ocr", "--no-plugins", "--select", "GK104", "--extend-select",
                 "GK502", "--format", "json", str(sub)]) == 1
    rules = {f["rule"] for f in json.loads(capsys.readouterr().out)["results"][0]["findings"]}
    assert rules == {"GK104", "GK502"}


def test_quiet_text_shows_only_findings_that_count(checked) -> None:  # type: ignore[no-untyped-def]
    results, _ = checked
    text = TextWriter().write(results, lang="zh", color=False, quiet=True)
    assert "标题:" not in text and "共检查" not in text
    assert PASSING not in text  # it passes: nothing to say
    assert "GK104 错误" in text and "GK201 错误" in text


def test_html_page_words_why_each_file_was_taken_in_chinese(checked, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gkcheck.writers.reports import HtmlWriter

    results, rules = checked
    page = HtmlWriter().write_file(results[:1], tmp_path / "r.html", lang="zh", rules=rules)
    text = page.read_text(encoding="utf-8")
    assert "<td>文件类型</td>" in text and "<td>文件名</td>" in text  # photos; 新闻稿.docx
    assert "<td>file type</td>" not in text and "<td>file name</td>" not in text
