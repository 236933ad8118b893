"""The shipped LOGO is a demo mark: every output says so until the campaign's LOGO is set."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

import gkcheck
from gkcheck.cli import main
from gkcheck.config import Config

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "samples" / "word" / "r005-all-true-style-title.docx"
WARNING = "LOGO 模板为示例图，请在 gkcheck.toml 中配置本次活动的 LOGO"


def test_json_text_xlsx_and_html_say_the_template_is_the_demo(
    tmp_path: Path, capsys: object
) -> None:
    result = gkcheck.check(REPORT, config=Config(ocr=False))
    fact = result.to_dict()["logo_template"]
    assert fact["demo"] is True and fact["warning"] == WARNING
    assert main(["check", "--no-ocr", str(REPORT)]) in (0, 1)
    assert WARNING in capsys.readouterr().out  # type: ignore[attr-defined]
    src = tmp_path / "in"
    src.mkdir()
    (src / "新闻稿.docx").write_bytes(REPORT.read_bytes())
    out = tmp_path / "out"
    code = main(["batch", str(src), "--out", str(out), "--no-ocr", "--jobs", "1", "--no-progress"])
    assert code in (0, 1), capsys.readouterr().err  # type: ignore[attr-defined]
    assert WARNING in (out / "report.html").read_text(encoding="utf-8")
    sheet = load_workbook(out / "summary.xlsx").worksheets[0]
    assert any(WARNING in str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["results"][0]["logo_template"]["demo"] is True


def test_a_real_template_carries_no_warning(tmp_path: Path) -> None:
    logo = ROOT / "samples" / "logo" / "pos-backdrop.jpg"
    own = tmp_path / "campaign-logo.png"
    from PIL import Image

    with Image.open(ROOT / "src" / "gkcheck" / "data" / "logo" / "sample-logo.png") as im:
        im.convert("RGB").rotate(90).save(own)  # another image: not the demo by content
    assert logo.exists() or True
    result = gkcheck.check(REPORT, config=Config(ocr=False, logo_templates=(own,)))
    fact = result.to_dict()["logo_template"]
    assert fact == {"templates": ["campaign-logo.png"], "demo": False, "warning": None}
