"""A hostile batch folder (issue 12 cases 3, 4, 5, 10): refused, reported, nothing leaked."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import docx

from gkcheck.batch.runner import BatchOptions, run_batch
from gkcheck.config import Config

ROOT = Path(__file__).resolve().parents[2]
DOCX = ROOT / "samples" / "word" / "r005-all-true-style-title.docx"
PHOTO = min((ROOT / "samples" / "images").rglob("*.jpg"))
MARKER = "OUTSIDE-MARKER-外部文本"


def _outside(tmp: Path) -> tuple[Path, Path]:
    folder = tmp / "elsewhere"
    folder.mkdir()
    d = docx.Document()
    d.add_paragraph(f"雨花区教育局开展2023年“政务公开主题日”活动 {MARKER}")
    d.save(str(folder / "other.docx"))
    shutil.copy(PHOTO, folder / "photo.jpg")
    return folder / "other.docx", folder / "photo.jpg"


def test_links_out_special_files_and_control_characters(tmp_path: Path) -> None:
    other, photo = _outside(tmp_path)
    src = tmp_path / "in"
    a = src / "区教育局-0418-A"
    a.mkdir(parents=True)
    (a / "新闻稿.docx").symlink_to(other)
    (a / "note.txt").symlink_to("/etc/passwd")
    (a / "现场.jpg").symlink_to(photo)
    b = src / "区教育局-0419-B"
    b.mkdir()
    shutil.copy(DOCX, b / "新闻稿.docx")
    os.mkfifo(b / "submission.toml")
    (b / "zero.jpg").symlink_to("/dev/zero")
    shutil.copy(DOCX, src / "报告\x01.docx")
    out = tmp_path / "out"
    report = run_batch(
        BatchOptions(root=src, out=out, config=Config(ocr=False), jobs=1, timeout=60.0,
                     plugins=False, progress=False)
    )
    assert report.total == 3 and report.timeouts == 0 and report.crashes == 0
    for name in ("results.json", "report.html", "summary.xlsx"):
        assert (out / name).is_file(), name
    texts = [(out / n).read_text(encoding="utf-8") for n in ("results.json", "report.html")]
    with zipfile.ZipFile(out / "summary.xlsx") as zf:
        texts += [zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml")]
    for text in texts:
        assert MARKER not in text and "root:x:0:0" not in text
    assert "报告\\x01.docx" in texts[1]  # the name is shown, its control character escaped
    results = {r["path"].rsplit("/", 1)[-1]: r for r in json.loads(texts[0])["results"]}
    def refused(key: str) -> dict[str, str]:
        """File name -> refusal reason of every GK000 of the submission ``key``."""
        return {
            f["location"]["file"].rsplit("/", 1)[-1]: f.get("evidence", {}).get("reason")
            for f in results[key]["findings"]
            if f["rule"] == "GK000"
        }

    # the report, the note and the photo linked out: each listed and refused, none read
    assert refused("区教育局-0418-A") == dict.fromkeys(
        ("新闻稿.docx", "note.txt", "现场.jpg"), "symlink-outside"
    )
    # the FIFO manifest and the /dev/zero photo: refused without being opened
    assert refused("区教育局-0419-B") == {
        "submission.toml": "special-file", "zero.jpg": "symlink-outside",
    }  # fmt: skip
    assert not results["区教育局-0418-A"]["ok"] and not results["区教育局-0419-B"]["ok"]
    outside_thumb = hashlib.sha256(photo.read_bytes()).hexdigest()[:32] + ".jpg"
    assert not (out / "thumbs" / outside_thumb).exists()  # the outside photo never thumbnailed


def test_unwritable_out_exits_2_without_traceback(tmp_path: Path, capsys: object) -> None:
    from gkcheck.cli import main

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(DOCX, src / "r.docx")
    (tmp_path / "a-file").write_text("x")
    out = tmp_path / "a-file" / "out"
    argv = ["batch", str(src), "--out", str(out), "--lang", "en", "--jobs", "1", "--no-plugins"]
    assert main([*argv, "--no-progress", "--no-ocr"]) == 2
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "cannot write to the output folder" in err and "Traceback" not in err
