"""Waivers: a reviewer's decision survives re-runs as waived and lapses when the files change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.batch.conftest import run_cli
from tests.conftest import SAMPLES
from tests.workflow.conftest import FAILING

import gkcheck
from gkcheck.cli import main
from gkcheck.errors import ConfigError
from gkcheck.waivers import WAIVERS_FILE, Waivers

FLAGS = ["--no-ocr", "--no-plugins"]


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["check", *FLAGS, "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def _gk104(result: dict) -> dict:  # type: ignore[type-arg]
    return next(f for f in result["findings"] if f["rule"] == "GK104")


def _waive(sub: Path, *extra: str) -> int:
    return main(
        ["waive", "--no-plugins", str(sub), "GK104", "--reason", "结尾用简称，科室认可",
         "--reviewer", "张三", "--date", "2026-12-02", *extra]
    )


def test_waived_finding_survives_reruns_and_lapses_when_files_change(
    batch_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sub = batch_root / FAILING
    code, before = _json(capsys, str(sub))
    assert code == 1 and before["results"][0]["ok"] is False
    assert "waived" not in _gk104(before["results"][0])

    assert _waive(sub) == 0
    assert "GK104" in capsys.readouterr().out
    assert (batch_root / WAIVERS_FILE).is_file()

    code, after = _json(capsys, str(sub))  # a re-run: waived, no longer failing the submission
    result = after["results"][0]
    assert code == 0 and result["ok"] is True
    mark = _gk104(result)["waived"]
    assert mark["reviewer"] == "张三" and mark["reason"] == "结尾用简称，科室认可"
    assert mark["date"] == "2026-12-02" and len(mark["hash"]) == 64
    assert _gk104(result)["severity"] == "error"  # still there, still an error, waived

    code, whole = _json(capsys, str(batch_root))  # the batch folder itself: same waiver
    assert code == 0 and "waived" in _gk104(whole["results"][0])

    # the text output says who waived it, and does not count it
    assert main(["check", *FLAGS, str(sub)]) == 0
    text = capsys.readouterr().out
    assert "GK104 已豁免" in text and "已豁免（张三，2026-12-02：结尾用简称，科室认可）" in text
    assert "错误 0 条" in text and "已豁免 1 条" in text

    # the unit sends another photo: the waiver lapses, the finding counts again
    shutil.copy(sub / "现场照片1.jpg", sub / "现场照片5.jpg")
    code, lapsed = _json(capsys, str(sub))
    finding = _gk104(lapsed["results"][0])
    assert code == 1 and lapsed["results"][0]["ok"] is False
    assert "waived" not in finding and finding["waiver_lapsed"]["reviewer"] == "张三"
    assert main(["check", *FLAGS, str(sub)]) == 1
    assert "豁免已失效" in capsys.readouterr().out


def test_batch_outputs_mark_waived_and_rerender_without_rechecking(
    batch_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["batch", *FLAGS, "-j", "1", "--no-progress", batch_root, "--out", out]
    assert run_cli(*args).returncode == 1
    assert _waive(batch_root / FAILING) == 0
    proc = run_cli(*args, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["checked"] == 0 and summary["reused"] == 1  # rendered from stored results
    assert summary["passed"] == 1 and summary["errors"] == 0 and "GK104" not in summary["by_rule"]
    assert summary["waived"] == 1
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    assert results[0]["ok"] is True and _gk104(results[0])["waived"]["reviewer"] == "张三"
    wb = load_workbook(out / "summary.xlsx")
    sheet = wb.worksheets[0]
    head = [c.value for c in sheet[1]]
    col = next(i for i, h in enumerate(head) if h and str(h).startswith("GK104"))
    assert sheet.cell(row=2, column=col + 1).value == "已豁免"
    assert sheet.cell(row=2, column=5).value == "通过"
    details = [[c.value for c in row] for row in wb.worksheets[1].iter_rows(min_row=2)]
    gk104 = next(r for r in details if r[2] == "GK104")
    assert gk104[3] == "已豁免" and "张三" in str(gk104[4])
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'class="waived"' in page and "结尾用简称，科室认可" in page

    shutil.copy(batch_root / FAILING / "现场照片1.jpg", batch_root / FAILING / "现场照片5.jpg")
    assert run_cli(*args).returncode == 1  # changed files: re-checked, the waiver lapsed
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    assert _gk104(results[0])["waiver_lapsed"]["reviewer"] == "张三"


def test_api_takes_waivers(batch_root: Path) -> None:
    sub = batch_root / FAILING
    assert _waive(sub) == 0
    plain = gkcheck.check(sub, config=gkcheck.Config(ocr=False))
    assert not plain.ok  # the API applies waivers only when asked
    waived = gkcheck.check(
        sub, config=gkcheck.Config(ocr=False), waivers=batch_root / WAIVERS_FILE
    )
    assert waived.ok
    assert [f.rule for f in waived.findings if f.waived] == ["GK104"]


def test_waive_refuses_unknown_rule_and_bad_files(
    batch_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sub = batch_root / FAILING
    assert main(["waive", "--no-plugins", str(sub), "GK999", "--reason", "x", "--reviewer", "y"]) == 2
    assert "GK999" in capsys.readouterr().err
    bad = batch_root / WAIVERS_FILE
    bad.write_text("[[waiver]]\nsubmission = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="submission"):
        Waivers.load(bad)
    assert main(["check", *FLAGS, str(sub)]) == 2


def test_waiver_only_matches_its_submission(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    loose = root / "a.docx"
    shutil.copy(SAMPLES / "word" / "r001-inserted-only-twice.docx", loose)
    file = root / WAIVERS_FILE
    file.write_text(
        '[[waiver]]\nsubmission = "b.docx"\nrule = "GK101"\nhash = "x"\n'
        'reviewer = "张三"\nreason = "r"\ndate = 2026-12-02\n',
        encoding="utf-8",
    )
    waivers = Waivers.load(file)
    assert waivers.entries[0].date == "2026-12-02"  # a TOML date is read as its ISO text
    result = gkcheck.check(loose, config=gkcheck.Config(ocr=False), waivers=waivers)
    assert all(f.waived is None and f.waiver_lapsed is None for f in result.findings)
