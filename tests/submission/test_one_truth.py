"""One submission, one set of facts, one verdict — on the sample submissions, rebuilt by hand.

Each case of the "one submission, one truth" issue: a folder without a news report fails; a
configuration inside a submission is never read (folder and zip); extra files do not fail a
submission; ``check``, ``batch`` and ``schedule`` agree on every sample submission; the API
from four threads equals the serial run; unknown rule codes are usage errors; a crashing
check fails the submission.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import gkcheck
from gkcheck.batch.discover import discover
from gkcheck.cli import main
from gkcheck.config import Config
from gkcheck.engine import Engine
from gkcheck.errors import ConfigError
from gkcheck.findings import Finding, Result, Severity, results_to_json
from gkcheck.model import Document
from gkcheck.plugins import Registry
from gkcheck.rules import CheckContext, Rule

ROOT = Path(__file__).resolve().parents[2]
SUBMISSIONS = ROOT / "samples" / "submissions"
GOOD = SUBMISSIONS / "区教育局-0420-非学科类校外培训中心"
WORD = ROOT / "samples" / "word"
NO_OCR = Config(ocr=False)


def _copy(tmp_path: Path, name: str = "sub") -> Path:
    dest = tmp_path / name
    shutil.copytree(GOOD, dest)
    return dest


def _zip(folder: Path) -> Path:
    archive = folder.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(folder.rglob("*")):
            zf.write(f, f.relative_to(folder).as_posix())
    return archive


def _check(path: Path, config: Config = NO_OCR) -> Result:
    return gkcheck.check(path, config=config)


def test_sample_submission_passes_and_names_its_files(tmp_path: Path) -> None:
    result = _check(_copy(tmp_path))
    assert result.ok, [f.message for f in result.findings]
    sub = result.to_dict()["submission"]
    assert sub["report"] == "新闻稿.docx"
    assert sub["plans"] == ["活动方案.docx"]
    assert sub["summaries"] == ["情况报告.docx"]
    assert sub["unit"] == "区教育局"


@pytest.mark.parametrize("packed", [False, True], ids=["folder", "zip"])
def test_no_news_report_fails(tmp_path: Path, packed: bool) -> None:
    folder = _copy(tmp_path)
    (folder / "新闻稿.docx").unlink()
    result = _check(_zip(folder) if packed else folder)
    assert not result.ok
    gk100 = [f for f in result.findings if f.rule == "GK100"]
    assert len(gk100) == 1 and gk100[0].severity is Severity.ERROR
    assert "活动方案.docx" in gk100[0].message and "情况报告.docx" in gk100[0].message
    assert result.to_dict()["submission"]["report"] is None
    assert result.to_dict()["structure"]["title"] is None


def test_plan_with_a_silent_name_is_not_the_report(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "新闻稿.docx").unlink()
    (folder / "活动方案.docx").rename(folder / "附件1.docx")
    result = _check(folder)
    assert "GK100" in result.rules()
    roles = {f["path"]: f["role"] for f in result.files}
    assert roles["附件1.docx"] == "plan"


@pytest.mark.parametrize("packed", [False, True], ids=["folder", "zip"])
def test_config_inside_a_submission_is_not_read(tmp_path: Path, packed: bool) -> None:
    folder = _copy(tmp_path)
    (folder / "新闻稿.docx").unlink()
    (folder / "gkcheck.toml").write_text(
        '[rules]\nignore = ["GK1", "GK2", "GK3", "GK4", "GK5", "GK6"]\n', encoding="utf-8"
    )
    target = _zip(folder) if packed else folder
    result = _check(target, config=None)  # type: ignore[arg-type]
    assert "GK100" in result.rules()
    roles = {f["path"]: (f["role"], f["why"]) for f in result.files}
    assert roles["gkcheck.toml"][0] == "other"
    # the CLI too, run from the submission's parent
    code = main(["check", "--no-ocr", "--format", "json", str(target)])
    assert code == 1


def test_extra_files_do_not_fail_a_submission(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "签到表.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (folder / "备注.txt").write_text("请审核", encoding="utf-8")
    (folder / "草稿.rar").write_bytes(b"Rar!\x1a\x07\x00")
    result = _check(folder)
    assert result.ok, [f.message for f in result.findings]
    others = {f["path"] for f in result.files if f["role"] == "other"}
    assert {"签到表.xlsx", "备注.txt", "草稿.rar"} <= others
    assert not any(f.rule in ("GK000", "GK001") for f in result.findings)


def test_legacy_word_file_without_libreoffice_is_advice_beside_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))  # no soffice: the .doc cannot be read
    folder = _copy(tmp_path)
    shutil.copy(ROOT / "samples" / "legacy" / "r009-all-true-textbox.doc", folder / "旧版稿件.doc")
    with_report = _check(folder)
    (legacy,) = [f for f in with_report.findings if f.rule == "GK001"]
    assert legacy.severity is Severity.INFO and "LibreOffice" in legacy.message
    assert with_report.ok
    (folder / "新闻稿.docx").unlink()
    without = _check(folder)
    (legacy,) = [f for f in without.findings if f.rule == "GK001"]
    assert legacy.severity is Severity.ERROR and not without.ok


def _verdicts(results: Iterable[dict[str, object]]) -> dict[str, tuple[object, ...]]:
    out: dict[str, tuple[object, ...]] = {}
    for r in results:
        path = str(r["path"])
        activity = r.get("activity") or {}
        sub = r.get("submission") or {}
        assert isinstance(activity, dict) and isinstance(sub, dict)
        rules = sorted({str(f["rule"]) for f in r["findings"]})  # type: ignore[attr-defined]
        out[Path(path).name] = (r["ok"], sub.get("unit"), activity.get("seq"), rules)
    return out


def test_check_batch_and_schedule_agree_on_every_sample(tmp_path: Path) -> None:
    checked = json.loads(
        results_to_json(
            [_check(ref.path) for ref in discover(SUBMISSIONS)]
        )
    )["results"]
    out = tmp_path / "out"
    assert main(["batch", str(SUBMISSIONS), "--out", str(out), "--no-ocr", "--jobs", "1", "--no-progress"]) in (0, 1)
    batch = json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    by_check, by_batch = _verdicts(checked), _verdicts(batch)
    assert by_check == by_batch
    assert any(name.endswith(".zip") for name in by_check)
    sched = tmp_path / "schedule.json"
    assert main(["schedule", str(SUBMISSIONS), "--no-ocr", "--format", "json", "-o", str(sched)]) == 0
    data = json.loads(sched.read_text(encoding="utf-8"))
    assert data["checked"] == len(by_check)
    seqs = {a["seq"]: a for a in data["activities"]}
    for name, (ok, _unit, seq, _rules) in by_check.items():
        if seq is None:
            continue
        row = seqs[seq]
        assert any(Path(s).name == name for s in row["submissions"]), (name, row)
        if ok:
            assert row["status"] == "passing"


def test_api_from_four_threads_equals_serial() -> None:
    reports = [*sorted(WORD.glob("r0*.docx"))[:12], GOOD]
    serial = [_check(p).to_json() for p in reports]
    for _ in range(3):
        with ThreadPoolExecutor(max_workers=4) as pool:
            threaded = list(pool.map(lambda p: _check(p).to_json(), reports))
        assert threaded == serial


@pytest.mark.parametrize("option", [["--select", "GK9ZZ"], ["--ignore", "GKXYZ"]])
def test_unknown_rule_code_is_a_usage_error(option: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    report = str(WORD / "r005-all-true-style-title.docx")
    assert main(["check", "--no-ocr", "--lang", "en", *option, report]) == 2
    assert "unknown rule" in capsys.readouterr().err
    assert main(["check", "--no-ocr", "--lang", "zh", *option, report]) == 2
    assert "未知的规则" in capsys.readouterr().err


def test_config_built_in_python_is_validated_like_toml() -> None:
    with pytest.raises(ConfigError):
        Config(severity={"GK104": "warn"})
    with pytest.raises(ConfigError):
        Config(lang="fr")
    with pytest.raises(ConfigError, match="GK9ZZ"):
        Registry.build(Config(select=("GK9ZZ",)), load_entrypoints=False)


_BOOM = Rule(
    id="TST001",
    name="boom",
    severity=Severity.WARNING,
    summary={"en": "crashes"},
    scope="submission",
)


class _Crashing:
    rules = (_BOOM,)
    scope = "submission"
    name = "tests.crashing"

    def __call__(self, doc: Document, ctx: CheckContext) -> Iterable[Finding]:
        raise RuntimeError("boom")


def test_a_crashing_check_fails_the_submission(tmp_path: Path) -> None:
    registry = Registry.build(NO_OCR, load_entrypoints=False)
    registry.checks.append(_Crashing())
    result = Engine(NO_OCR, registry).check(_copy(tmp_path))
    crashed = [f for f in result.findings if f.rule == "GK002"]
    assert crashed and crashed[0].severity is Severity.ERROR and "boom" in crashed[0].message
    assert not result.ok


def test_a_manifest_that_crashes_the_reader_fails_closed(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "submission.toml").write_text("a = " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    result = _check(folder)
    assert not result.ok
    assert {"GK002", "GK400"} & result.rules()
