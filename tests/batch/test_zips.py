"""Safe zip extraction: GBK names, path escapes, symlinks, bombs, nesting, damage."""

from __future__ import annotations

import io
import stat
import zipfile
from typing import TYPE_CHECKING

from gkcheck.batch.zips import ZipLimits, safe_extract

if TYPE_CHECKING:
    from pathlib import Path


class _RawName(zipfile.ZipInfo):
    """An entry whose name bytes are written as given (GBK, no UTF-8 flag)."""

    raw: bytes = b""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.raw, self.flag_bits & ~0x800


def _zip(
    path: Path, entries: list[tuple[str | bytes, bytes]], *, symlink: str | None = None
) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if isinstance(name, bytes):
                info = _RawName(name.decode("cp437"))
                info.raw = name
                z.writestr(info, data)
            else:
                z.writestr(name, data)
        if symlink is not None:
            info = zipfile.ZipInfo(symlink)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, "/etc/passwd")
    return path


def _reasons(report: object) -> dict[str, str]:
    return {p.inner: p.reason for p in report.problems}  # type: ignore[attr-defined]


def test_gbk_and_utf8_names_are_decoded(tmp_path: Path) -> None:
    arc = _zip(
        tmp_path / "a.zip",
        [
            ("新闻稿/报道.txt".encode("gbk"), b"x"),
            ("情况报告.txt", b"y"),
            ("照片\\一.jpg".encode("gbk"), b"z"),
        ],
    )
    dest = tmp_path / "x"
    dest.mkdir()
    report = safe_extract(arc, dest)
    assert sorted(report.extracted) == ["情况报告.txt", "新闻稿/报道.txt", "照片/一.jpg"]
    assert (dest / "新闻稿" / "报道.txt").read_bytes() == b"x"
    assert not report.problems


def test_path_escapes_and_symlinks_are_refused(tmp_path: Path) -> None:
    arc = _zip(
        tmp_path / "evil.zip",
        [
            ("../escape.txt", b"1"),
            ("/abs.txt", b"2"),
            ("C:/win.txt", b"3"),
            ("a/../../b.txt", b"4"),
            ("ok.txt", b"5"),
        ],
        symlink="link",
    )
    dest = tmp_path / "x"
    dest.mkdir()
    report = safe_extract(arc, dest)
    assert report.extracted == ("ok.txt",)
    reasons = _reasons(report)
    assert reasons["../escape.txt"] == "unsafe-path"
    assert reasons["/abs.txt"] == "unsafe-path"
    assert reasons["C:/win.txt"] == "unsafe-path"
    assert reasons["a/../../b.txt"] == "unsafe-path"
    assert reasons["link"] == "symlink"
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "b.txt").exists()
    assert sorted(p.name for p in dest.rglob("*")) == ["ok.txt"]


def test_bomb_nested_and_limits(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("a.txt", b"a")
    arc = _zip(
        tmp_path / "bomb.zip",
        [
            ("big.bin", b"\0" * (50 * 1024 * 1024)),
            ("inner.zip", inner.getvalue()),
            ("ok.txt", b"ok"),
        ],
    )
    dest = tmp_path / "x"
    dest.mkdir()
    report = safe_extract(arc, dest, limits=ZipLimits(ratio_floor=1024 * 1024, max_ratio=100))
    reasons = _reasons(report)
    assert reasons == {"big.bin": "too-large", "inner.zip": "nested-archive"}
    assert report.extracted == ("ok.txt",)
    assert not (dest / "big.bin").exists()
    tight = safe_extract(arc, tmp_path, limits=ZipLimits(max_entries=2))
    assert tight.fatal is not None and tight.fatal.reason == "too-many-files"


def test_total_size_limit(tmp_path: Path) -> None:
    """Entries past the total limit are refused; what was extracted stays within it."""
    arc = _zip(tmp_path / "a.zip", [("a.bin", b"\1" * 3_000_000), ("b.bin", b"\2" * 3_000_000)])
    dest = tmp_path / "x"
    dest.mkdir()
    report = safe_extract(arc, dest, limits=ZipLimits(max_total=4_000_000))
    assert _reasons(report) == {"b.bin": "too-large"}
    assert sum(p.stat().st_size for p in dest.rglob("*") if p.is_file()) <= 4_000_000


def test_damaged_archives(tmp_path: Path) -> None:
    good = _zip(tmp_path / "g.zip", [("a.txt", b"hello" * 1000)])
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good.read_bytes()[:60])
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")
    for path, reason in ((cut, "corrupt"), (empty, "empty")):
        report = safe_extract(path, tmp_path)
        assert report.fatal is not None and report.fatal.reason == reason
