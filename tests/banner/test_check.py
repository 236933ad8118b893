"""GK301-GK304 end to end: ``gkcheck check`` on a submission folder, and ``gkcheck banner``.

Each committed photo is read at most once per test; the folder tests use the photos with the
campaign LOGO on the backdrop (samples/banner/116-*, 117-*), whose LOGO text 政务公开主题日 must
not pass for a banner.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gkcheck.api import check
from gkcheck.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "banner"
LOGO_ONLY = SAMPLES / "116-no-banner-none-0l-logo.jpg"
LOGO_VALID = SAMPLES / "117-valid-plain-cloth-1l-logo.jpg"
YEAR_WRONG = SAMPLES / "104-year-wrong-cloth-1l.jpg"


def _report(path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx.Document()
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("雨花区教育局开展2023年“政务公开主题日”活动")
    run.bold = True
    run.font.size = Pt(22)
    for text in (
        "4月18日，雨花区教育局开展2023年“政务公开主题日”小升初招生政策解读活动。",
        "活动现场，工作人员围绕“政务公开主题日”主题解读了今年的招生政策。",
        "下一步，雨花区教育局将继续办好“政务公开主题日”活动。",
    ):
        d.add_paragraph(text)
    d.save(str(path))


def _submission(tmp_path: Path, *photos: Path) -> Path:
    folder = tmp_path / "雨花区教育局"
    folder.mkdir()
    _report(folder / "新闻报道.docx")
    for i, photo in enumerate(photos, 1):
        shutil.copy(photo, folder / f"现场照片{i}.jpg")
    return folder


def _banner_findings(result: object) -> list[str]:
    return sorted(f.rule for f in result.findings if f.rule.startswith("GK30"))  # type: ignore[attr-defined]


def test_check_reads_banner_behind_logo_photo(tmp_path: Path) -> None:
    # The LOGO-only photo (keyword, no unit/year/活动) is no banner; the other photo's is.
    folder = _submission(tmp_path, LOGO_ONLY, YEAR_WRONG)
    result = check(folder)
    fact = result.facts["banner"]
    assert fact["photo"] is not None and fact["photo"].endswith("2.jpg")
    assert fact["valid"] is False and fact["year"] == 2021
    assert fact["unit"] == "区应急局"
    assert "2021" in fact["text"]
    assert _banner_findings(result) == ["GK304"]
    gk304 = next(f for f in result.findings if f.rule == "GK304")
    assert gk304.location.photo == fact["photo"]
    assert "2023" in (gk304.hint or "")


def test_check_valid_banner_with_logo(tmp_path: Path) -> None:
    folder = _submission(tmp_path, LOGO_VALID)
    result = check(folder)
    fact = result.facts["banner"]
    assert fact["valid"] is True, fact
    assert fact["unit"] is not None and fact["year"] == 2023
    assert _banner_findings(result) == []


def test_cli_banner_photo_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["banner", "雨花区教育局2023年“政务公开主题日”活动", "--photo", str(LOGO_ONLY),
                 "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert out["schema"] == 1
    typed, photo = out["results"]
    assert typed["valid"] is True and typed["unit"] == "区教育局"
    # The LOGO says 政务公开主题日 but is no banner: nothing read, GK301, never valid.
    assert photo["input"] == str(LOGO_ONLY)
    assert photo["valid"] is False and photo["text"] is None
    assert [f["rule"] for f in photo["findings"]] == ["GK301"]
    assert code == 1


def test_cli_banner_several_photos_one_engine(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `--photo A B C`: every argument is a photo with its own result (it once read A and took
    # B, C as banner *texts*), and the OCR models are loaded once for the whole run.
    from gkcheck.vision import ocr

    loads: list[int] = []
    real_init = ocr.OcrEngine.__init__

    def counting_init(self: ocr.OcrEngine, *args: object, **kwargs: object) -> None:
        loads.append(1)
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    ocr.reset_engine()
    monkeypatch.setattr(ocr.OcrEngine, "__init__", counting_init)
    photos = [SAMPLES / "101-valid-plain-cloth-1l.jpg", SAMPLES / "118-unit-foreign-cloth-1l.jpg",
              LOGO_ONLY]
    code = main(["banner", "--photo", *map(str, photos), "--format", "json"])
    ocr.reset_engine()
    results = json.loads(capsys.readouterr().out)["results"]
    assert [r["input"] for r in results] == [str(p) for p in photos]
    valid, foreign, logo = results
    truth = {t["file"]: t for t in json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))}
    assert valid["valid"] is True and valid["unit"] == truth[photos[0].name]["unit"]
    # 长沙市住房和城乡建设局 is the city's bureau, not 区住建局: GK303, never valid
    assert foreign["valid"] is False and foreign["unit"] is None
    assert "GK303" in [f["rule"] for f in foreign["findings"]], foreign
    assert [f["rule"] for f in logo["findings"]] == ["GK301"]
    assert loads == [1]
    assert code == 1


SUBMISSIONS = SAMPLES.parent / "submissions"


def _sample(kind: str) -> tuple[Path, dict[str, object]]:
    truth = json.loads((SUBMISSIONS / ".truth.json").read_text(encoding="utf-8"))
    t = next(t for t in truth if t["kind"] == kind)
    return SUBMISSIONS / t["name"], t


@pytest.mark.parametrize("kind", ["good", "banner"])
def test_sample_submissions_banner_verdict(kind: str) -> None:
    # The main job's samples show their unit's banner in their first photo; the report's
    # own photos come first and hold poster squiggles that once passed for a banner.
    folder, t = _sample(kind)
    result = check(folder)
    banner = result.facts["banner"]
    assert isinstance(banner, dict)
    assert banner["photo"] == "现场照片1.jpg"
    assert banner["valid"] is t["banner_valid"]
    assert _banner_findings(result) == ([] if t["banner_valid"] else ["GK304"])
