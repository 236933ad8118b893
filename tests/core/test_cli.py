"""The command line: formats, languages, exit status, select/ignore, rules listing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gkcheck.cli import main


def _doc(tmp_path: Path, paragraphs: list[str], title: str) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx.Document()
    t = d.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = t.add_run(title)
    run.bold = True
    run.font.size = Pt(22)
    for p in paragraphs:
        d.add_paragraph(p)
    path = tmp_path / "report.docx"
    d.save(str(path))
    return path


GOOD = [
    "4月18日，雨花区教育局开展2023年“政务公开主题日”活动，邀请家长代表30余人参加。",
    "活动现场，工作人员围绕“政务公开主题日”主题解读招生政策，并现场答疑。",
    "下一步，区教育局将以“政务公开主题日”活动为契机，持续深化政务公开。",
]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return _doc(tmp_path, GOOD, "雨花区教育局开展“政务公开主题日”活动")


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    paras = [GOOD[0], "活动现场，工作人员解读招生政策。", "下一步，将持续深化“政务公开日”工作。"]
    return _doc(tmp_path, paras, "雨花区教育局开展招生政策解读活动")


def test_pass_exits_0(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--select", "GK1", str(good)]) == 0
    assert "通过" in capsys.readouterr().out


def test_fail_exits_1_and_names_places(bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "GK101" in out and "GK103" in out and "GK104" in out and "GK102" not in out
    assert "政务公开日" in out  # the near miss is named as a hint


def test_english(bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--lang", "en", str(bad)])
    out = capsys.readouterr().out
    assert "The title lacks the keyword" in out


def test_json_contract(bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", "--ignore", "GK2", str(bad)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == 2 and isinstance(data["gkcheck"], str)
    (r,) = data["results"]
    assert set(r) >= {"path", "kind", "ok", "structure", "photos", "findings"}
    assert r["kind"] == "docx" and r["ok"] is False
    assert r["structure"]["title"] == "雨花区教育局开展招生政策解读活动"
    assert r["structure"]["body"] == ["活动现场，工作人员解读招生政策。"]
    rules = [f["rule"] for f in r["findings"]]
    assert sorted(rules) == ["GK101", "GK103", "GK104"]
    f104 = next(f for f in r["findings"] if f["rule"] == "GK104")
    assert f104["severity"] == "error" and f104["location"]["role"] == "ending"
    assert f104["evidence"]["near_miss"] == "政务公开日"


def test_select_and_ignore(bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--format", "json", "--select", "GK1", "--ignore", "GK101,body-without-keyword", str(bad)])
    rules = [f["rule"] for f in json.loads(capsys.readouterr().out)["results"][0]["findings"]]
    assert rules == ["GK104"]


def test_exit_zero_and_fail_level(bad: Path) -> None:
    assert main(["check", "--exit-zero", str(bad)]) == 0


def test_bad_config_is_exit_2(tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "gkcheck.toml"
    cfg.write_text('year = "二〇二三"\n', encoding="utf-8")
    assert main(["check", "--config", str(cfg), str(good)]) == 2
    assert "year" in capsys.readouterr().err


def test_config_found_in_the_current_directory(
    tmp_path: Path, bad: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "gkcheck.toml").write_text('[rules]\nignore = ["GK1", "GK2"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(bad)]) == 0


def test_config_beside_an_input_elsewhere_is_not_read(
    tmp_path: Path, bad: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "gkcheck.toml").write_text('[rules]\nignore = ["GK1", "GK2"]\n', encoding="utf-8")
    elsewhere = tmp_path.parent / (tmp_path.name + "-cwd")
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["check", "--no-ocr", str(bad)]) == 1


def test_rules_lists_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--no-plugins"]) == 0
    out = capsys.readouterr().out
    for rule in ("GK000", "GK001", "GK101", "GK102", "GK103", "GK104"):
        assert rule in out


def test_rules_shows_a_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "GK101"]) == 0
    assert "附件" in capsys.readouterr().out


def test_python_m_smoke(good: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "gkcheck", "check", "--format", "json", "--select", "GK1", str(good)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["results"][0]["ok"] is True


def test_api_matches_cli(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import gkcheck

    result = gkcheck.check(good)
    main(["check", "--format", "json", str(good)])
    cli = json.loads(capsys.readouterr().out)["results"][0]
    assert json.loads(result.to_json())["results"][0] == cli
