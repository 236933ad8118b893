"""A hostile batch folder completes, every bad input gets a clear finding, nothing leaks out."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, run_cli


def _snapshot(root: Path, skip: Path) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for dirpath, dirs, files in os.walk(root, followlinks=False):
        if Path(dirpath) == skip or skip in Path(dirpath).parents:
            dirs[:] = []
            continue
        for name in [*files, *dirs]:
            p = Path(dirpath) / name
            if p == skip:
                continue
            st = p.lstat()
            out[str(p)] = (st.st_size, st.st_mtime_ns)
    return out


def _hostile(base: Path) -> Path:
    src = base / "in"
    good = src / "区教育局-0418-小升初招生政策解读"
    good.mkdir(parents=True)
    (good / "新闻稿.docx").write_bytes(
        (ROOT / "samples" / "word" / "r005-all-true-style-title.docx").read_bytes()
    )
    bad = src / "区某局-坏文件"
    bad.mkdir()
    (bad / "新闻稿.docx").write_bytes((ROOT / "samples" / "bad" / "corrupt.docx").read_bytes())
    (bad / "空报告.pdf").write_bytes(b"")
    os.symlink("loop.docx", bad / "loop.docx")
    (bad / "现场照片（一）.jpg".encode("gbk").decode("utf-8", "surrogateescape")).write_bytes(
        b"\xff\xd8\xff not really a jpeg"
    )
    os.symlink("loop", src / "loop")  # a symlink loop at the top level
    (src / "空白.pdf").write_bytes(b"")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "新闻稿.docx",
            (ROOT / "samples" / "word" / "r005-all-true-style-title.docx").read_bytes(),
        )
        z.writestr("炸弹.bin", b"\0" * (64 * 1024 * 1024))
    (src / "压缩炸弹.zip").write_bytes(bomb.getvalue())
    with zipfile.ZipFile(src / "越界.zip", "w") as z:
        z.writestr("../../越界.txt", "escape")
        z.writestr("/etc/gkcheck-absolute.txt", "escape")
        z.writestr(
            "新闻稿.docx",
            (ROOT / "samples" / "word" / "r005-all-true-style-title.docx").read_bytes(),
        )
    (src / "截断.zip").write_bytes(b"PK\x03\x04 truncated")
    return src


def test_hostile_folder(tmp_path: Path) -> None:
    src = _hostile(tmp_path)
    out = tmp_path / "out"
    before = _snapshot(tmp_path, out)
    proc = run_cli("batch", src, "--out", out, "--no-ocr", "--jobs", "2", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    assert _snapshot(tmp_path, out) == before  # inputs untouched, nothing written beside --out
    assert not (tmp_path / "越界.txt").exists() and not Path("/etc/gkcheck-absolute.txt").exists()
    results = {
        Path(r["path"]).name: r
        for r in json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    }
    assert len(results) == 7

    def reasons(name: str) -> dict[str, str]:
        return {
            Path(f["location"]["file"]).name: f.get("evidence", {}).get("reason", f["rule"])
            for f in results[name]["findings"]
            if f["rule"] in ("GK000", "GK001", "GK203")
        }

    bad = reasons("区某局-坏文件")
    assert bad["新闻稿.docx"] == "corrupt"
    assert bad["空报告.pdf"] == "empty"
    assert "loop.docx" in bad  # symlink loop: a clear GK000 naming the file
    gbk_name = "现场照片（一）.jpg".encode("gbk").decode("utf-8", "surrogateescape")
    assert any(
        gbk_name.encode("utf-8", "surrogateescape") == k.encode("utf-8", "surrogateescape")
        for k in bad
    ) or any(f["rule"] in ("GK203", "GK000") for f in results["区某局-坏文件"]["findings"])
    assert reasons("空白.pdf") == {"空白.pdf": "empty"}
    assert "GK000" in {f["rule"] for f in results["loop"]["findings"]}
    assert reasons("压缩炸弹.zip") == {"炸弹.bin": "too-large"}
    assert {
        f["location"]["file"].split("!/")[-1]
        for f in results["压缩炸弹.zip"]["findings"]
        if f["rule"] == "GK000"
    } == {"炸弹.bin"}
    escape = reasons("越界.zip")
    assert set(escape.values()) == {"unsafe-path"} and len(escape) == 2
    assert reasons("截断.zip") == {"截断.zip": "corrupt"}
    # the report page and the sheet list all of them
    html = (out / "report.html").read_text(encoding="utf-8")
    for name in results:
        assert name in html


@pytest.mark.parametrize("jobs", ["1"])
def test_usage_errors_exit_2(tmp_path: Path, jobs: str) -> None:
    missing = run_cli("batch", tmp_path / "nope", "--out", tmp_path / "o", "--jobs", jobs)
    assert missing.returncode == 2
    assert run_cli("batch", tmp_path, "--jobs", jobs).returncode == 2  # --out is required
    inside = run_cli("batch", tmp_path, "--out", tmp_path, "--jobs", jobs)
    assert inside.returncode == 2 and "--out" in inside.stderr
    assert run_cli("batch", tmp_path, "--out", tmp_path / "o", "--jobs", "-3").returncode == 2


def test_empty_folder_exits_0(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    proc = run_cli("batch", tmp_path / "in", "--out", tmp_path / "out", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["total"] == 0
    assert (
        json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))["results"] == []
    )
