"""Unpacking a unit's zip safely, so a hostile archive can cost a finding but nothing more.

Units zip their folder on Windows, so names arrive in GBK without the UTF-8 flag; archives
also arrive broken, encrypted, with ``../`` or absolute names, or built to inflate to
gigabytes. :func:`safe_extract` copies only what is safe into a private folder (the caller
owns and removes it) and lists every entry it refused, with a stable reason code, so the
engine can check the rest as an ordinary submission folder and the refusals become findings.

Rules applied:

* a name is decoded as UTF-8 when flag bit 11 says so; otherwise the raw bytes are tried as
  UTF-8, then GB18030 (a superset of GBK), then kept as CP437 (the zip default);
* a name that is absolute, has a drive letter, a ``..`` component, a NUL or an over-long
  component is refused (``unsafe-path``), as are symlink entries (``symlink``);
* entries are streamed with a byte counter: one entry over ``max_entry_size``, all entries
  over ``max_total``, a compression ratio over ``max_ratio``, or more than ``max_entries``
  entries stop at the limit (``too-large``/``too-many-files``) - the declared sizes in the
  headers are not trusted;
* archives inside the archive are not expanded (``nested-archive``);
* encrypted entries are refused (``encrypted``).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gkcheck.catalogue import Msg
from gkcheck.errors import Detail
from gkcheck.safeio import Refused, open_regular

__all__ = [
    "ARCHIVE_SUFFIXES",
    "ExtractReport",
    "ZipLimits",
    "ZipProblem",
    "decode_name",
    "safe_extract",
]

#: Files taken as archives: a top-level one is a submission; a nested one is not expanded.
ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")

_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """How much an archive may hold; the defaults fit a folder of photos and a short video."""

    max_entries: int = 2000
    max_entry_size: int = 512 * 1024 * 1024
    max_total: int = 1024 * 1024 * 1024
    max_ratio: float = 200.0  # uncompressed / compressed, for entries over ratio_floor
    ratio_floor: int = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ZipProblem:
    """An entry (or the whole archive, ``inner == ""``) that was not extracted, and why."""

    inner: str  # the decoded name inside the archive
    reason: str  # unsafe-path | symlink | too-large | too-many-files | encrypted | nested-archive | corrupt | duplicate
    detail: str = ""  # in English (evidence, logs)
    words: Msg | None = None  # the detail in catalogue words, for the reviewer

    @property
    def shown(self) -> Msg | str:
        """The detail as the reviewer reads it."""
        return self.words if self.words is not None else self.detail


def _problem(inner: str, reason: str, words: Msg) -> ZipProblem:
    return ZipProblem(inner, reason, words.text("en"), words)


@dataclass(frozen=True, slots=True)
class ExtractReport:
    """What :func:`safe_extract` did."""

    root: Path
    extracted: tuple[str, ...]  # inner names written below root
    problems: tuple[ZipProblem, ...]

    @property
    def fatal(self) -> ZipProblem | None:
        """The problem that made the whole archive unreadable, if any."""
        return next((p for p in self.problems if p.inner == ""), None)


def decode_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its author wrote it, with ``/`` as separator."""
    if info.flag_bits & _UTF8_FLAG:
        name = info.orig_filename
    else:
        raw = info.orig_filename.encode("cp437", errors="replace")
        for codec in ("utf-8", "gb18030"):
            try:
                name = raw.decode(codec)
                break
            except UnicodeDecodeError:
                continue
        else:
            name = info.orig_filename
    # after decoding: a GBK trail byte can be 0x5C, so separators are only fixed now
    return name.replace("\\", "/")


def _safe_parts(name: str) -> tuple[str, ...] | None:
    """The path components to write, or ``None`` when the name must not be written."""
    if not name or "\x00" in name or name.startswith("/") or _DRIVE.match(name):
        return None
    parts = tuple(p for p in PurePosixPath(name).parts if p not in ("", "."))
    if not parts or any(p == ".." for p in parts):
        return None
    if any(len(p.encode("utf-8")) > 255 for p in parts):
        return None
    return parts


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = (info.external_attr >> 16) & 0xFFFF
    return info.create_system == 3 and stat.S_ISLNK(mode)


def safe_extract(archive: Path, dest: Path, *, limits: ZipLimits | None = None) -> ExtractReport:
    """Extract what is safe from ``archive`` into the existing, empty folder ``dest``.

    Never raises for a bad archive: a file that is not a zip, or is truncated, gives a report
    whose :attr:`ExtractReport.fatal` problem says so.
    """
    lim = limits or ZipLimits()
    extracted: list[str] = []
    problems: list[ZipProblem] = []
    try:
        fh = open_regular(archive)
    except Refused as exc:
        reason = "empty" if exc.reason == "not-found" else exc.reason
        return ExtractReport(dest, (), (ZipProblem("", reason, exc.refusal.text("en"), exc.refusal.msg()),))
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        fh.close()
        reason = "empty" if _size(archive) == 0 else "corrupt"
        return ExtractReport(dest, (), (ZipProblem("", reason, f"{type(exc).__name__}: {exc}"),))
    total = 0
    seen: set[tuple[str, ...]] = set()
    with fh, zf:
        try:
            infos = zf.infolist()
        except Exception as exc:  # noqa: BLE001 - a damaged central directory
            return ExtractReport(dest, (), (ZipProblem("", "corrupt", str(exc)),))
        files = [i for i in infos if not i.is_dir()]
        if len(files) > lim.max_entries:
            problems.append(
                _problem("", "too-many-files", Detail("zip_entries", n=len(files), limit=lim.max_entries))
            )
            return ExtractReport(dest, (), tuple(problems))
        for info in files:
            name = decode_name(info)
            parts = _safe_parts(name)
            if parts is None:
                problems.append(ZipProblem(name, "unsafe-path"))
                continue
            clean = "/".join(parts)
            if _is_symlink(info):
                problems.append(ZipProblem(clean, "symlink"))
                continue
            if info.flag_bits & _ENCRYPTED_FLAG:
                problems.append(ZipProblem(clean, "encrypted"))
                continue
            if clean.lower().endswith(ARCHIVE_SUFFIXES):
                problems.append(ZipProblem(clean, "nested-archive"))
                continue
            if parts in seen or any(parts[:i] in seen for i in range(1, len(parts))):
                problems.append(ZipProblem(clean, "duplicate"))
                continue
            if info.file_size > lim.max_entry_size or total + info.file_size > lim.max_total:
                problems.append(_problem(clean, "too-large", Detail("zip_declared", n=info.file_size)))
                continue
            if (
                info.file_size > lim.ratio_floor
                and info.file_size / max(info.compress_size, 1) > lim.max_ratio
            ):
                ratio = info.file_size / max(info.compress_size, 1)
                problems.append(_problem(clean, "too-large", Detail("zip_ratio", ratio=f"{ratio:.0f}")))
                continue
            target = dest.joinpath(*parts)
            try:
                written = _copy_entry(zf, info, target, lim, total)
            except _TooLarge as exc:
                _unlink(target)
                problems.append(ZipProblem(clean, "too-large", str(exc)))
                continue
            except (FileExistsError, IsADirectoryError, NotADirectoryError):
                problems.append(ZipProblem(clean, "duplicate"))
                continue
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                OSError,
                ValueError,
                NotImplementedError,
            ) as exc:
                _unlink(target)
                problems.append(ZipProblem(clean, "corrupt", f"{type(exc).__name__}: {exc}"))
                continue
            seen.add(parts)
            total += written
            extracted.append(clean)
    return ExtractReport(dest, tuple(extracted), tuple(problems))


class _TooLarge(Exception):
    """An entry inflated past a limit while being read."""


def _copy_entry(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, lim: ZipLimits, total: int
) -> int:
    """Stream one entry to ``target`` counting bytes; headers may lie about sizes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    cap_entry = min(lim.max_entry_size, max(info.file_size, 0) + _CHUNK)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags, 0o600)
    with os.fdopen(fd, "wb") as out, zf.open(info) as src:
        while True:
            chunk = src.read(_CHUNK)
            if not chunk:
                break
            written += len(chunk)
            if written > cap_entry or total + written > lim.max_total:
                raise _TooLarge(f"inflates past {min(cap_entry, lim.max_total - total)} bytes")
            if written > lim.ratio_floor and written / max(info.compress_size, 1) > lim.max_ratio:
                raise _TooLarge(f"compression ratio over {lim.max_ratio:.0f}:1")
            out.write(chunk)
    return written


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1
