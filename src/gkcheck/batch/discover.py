"""What counts as one submission in a batch folder, and the fingerprint of its files.

Each sub-folder of the batch folder is one submission, each zip file too, and each other
file at the top level is a submission of its own (a loose news report). Nothing at the top
level is silently dropped except system litter (``.DS_Store``, ``Thumbs.db``, ``~$`` lock
files), the configuration file and the output folder itself.

The fingerprint (:func:`content_hash`) is what decides whether a re-run re-checks a
submission: a SHA-256 over every file's relative name, type and content, so a renamed,
added, removed or edited file changes it and a mere ``touch`` does not.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gkcheck.submission.files import CONFIG_FILE_NAMES, IGNORED_NAMES

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "SubmissionRef",
    "clean_json",
    "clean_text",
    "content_hash",
    "discover",
    "holds_submissions",
    "stat_signature",
]


@dataclass(frozen=True, slots=True)
class SubmissionRef:
    """One submission found in the batch folder."""

    key: str  # its name in the batch folder: stable across runs, the resume key
    path: Path
    form: str  # "folder" | "zip" | "file"


def clean_text(text: str) -> str:
    """``text`` fit for JSON and HTML: names that are not UTF-8 on disk are read as GBK.

    A zip unpacked by a tool that ignored its encoding leaves GBK bytes in file names; Python
    hands them over with lone surrogates, which cannot be written as UTF-8. Readers see the
    Chinese name instead; what cannot be decoded becomes U+FFFD.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape")
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace")


def clean_json(value: object) -> object:
    """:func:`clean_text` applied to every string (keys too) of a JSON value."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_json(v) for v in value]
    return value


def holds_submissions(path: Path) -> bool:
    """Whether ``path`` is a folder *of* submissions rather than one submission.

    A submission folder holds its files (report, photos, manifest) at the top; a folder that
    holds only folders and zips is a batch root or a unit's folder of activity folders.
    """
    try:
        if not path.is_dir() or path.is_symlink():
            return False
        entries = [
            e
            for e in os.scandir(path)
            if not IGNORED_NAMES.match(e.name) and e.name not in CONFIG_FILE_NAMES
        ]
    except OSError:
        return False
    if not entries:
        return False
    return all(
        e.is_dir(follow_symlinks=False)
        or (e.is_file(follow_symlinks=False) and e.name.lower().endswith(".zip"))
        for e in entries
    )


#: Loose files at the top of a batch folder that are notes about the batch, not submissions.
NOT_SUBMISSIONS = (".txt", ".md", ".csv", ".xlsx", ".xls", ".json", ".log", ".html", ".htm")


def discover(
    root: Path,
    *,
    exclude: tuple[Path, ...] = (),
    skipped: list[tuple[Path, str]] | None = None,
) -> list[SubmissionRef]:
    """The submissions in ``root``, sorted by name (symlinked folders are not followed).

    Each sub-folder is a submission, each zip too, each other file a loose report; a
    sub-folder that itself holds only folders and zips (a unit's folder of activities) is
    opened one level: each of its entries is a submission, keyed ``unit/activity``. A loose
    note or spreadsheet (:data:`NOT_SUBMISSIONS`) is not a submission: it is added to
    ``skipped`` with the reason ``"not-a-submission"``. The same discovery serves ``check``
    (given a folder of submissions), ``batch`` and ``schedule``.
    """
    excluded = {_real(p) for p in exclude}
    out: list[SubmissionRef] = []
    for key, path, entry in _entries(root, "", excluded):
        if entry.is_dir(follow_symlinks=False) and holds_submissions(path):
            for sub_key, sub_path, sub_entry in _entries(path, key + "/", excluded):
                out.append(_ref(sub_key, sub_path, sub_entry))
            continue
        if not entry.is_dir(follow_symlinks=False) and path.suffix.lower() in NOT_SUBMISSIONS:
            if skipped is not None:
                skipped.append((path, "not-a-submission"))
            continue
        out.append(_ref(key, path, entry))
    return out


def _entries(
    folder: Path, prefix: str, excluded: set[str]
) -> Iterator[tuple[str, Path, os.DirEntry[str]]]:
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        name = entry.name
        if IGNORED_NAMES.match(name) or name in CONFIG_FILE_NAMES:
            continue
        path = folder / name
        if _real(path) in excluded:
            continue
        yield prefix + clean_text(name), path, entry


def _ref(key: str, path: Path, entry: os.DirEntry[str]) -> SubmissionRef:
    if entry.is_dir(follow_symlinks=False):
        return SubmissionRef(key, path, "folder")
    if entry.is_file(follow_symlinks=False) and entry.name.lower().endswith(".zip"):
        return SubmissionRef(key, path, "zip")
    return SubmissionRef(key, path, "file")  # a loose report, another archive, a symlink …


def _real(path: Path) -> str:
    try:
        return os.path.realpath(path)
    except OSError:
        return str(path)


def _files(ref: SubmissionRef) -> Iterator[tuple[str, Path]]:
    """(relative name, path) of every entry the fingerprint covers, sorted."""
    if ref.form != "folder":
        yield ref.key, ref.path
        return
    for root, dirs, files in os.walk(ref.path, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not IGNORED_NAMES.match(d))
        rel_root = os.path.relpath(root, ref.path)
        for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(root, d))]):
            if IGNORED_NAMES.match(name):
                continue
            rel = name if rel_root == "." else f"{rel_root}/{name}"
            yield rel, Path(root) / name


def stat_signature(ref: SubmissionRef) -> str:
    """A cheap fingerprint from names, sizes and modification times.

    When it equals the one recorded with the last result, the recorded content hash is
    reused instead of reading every byte again (as ``git status`` does).
    """
    h = hashlib.sha256()
    for rel, path in _files(ref):
        try:
            st = path.lstat()
            h.update(
                f"{clean_text(rel)}\0{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode()
            )
        except OSError as exc:
            h.update(f"{clean_text(rel)}\0error {exc.errno}\n".encode())
    return h.hexdigest()


def content_hash(ref: SubmissionRef) -> str:
    """SHA-256 over every file's relative name, type and content (symlinks: their target)."""
    h = hashlib.sha256()
    h.update(f"{ref.form}\n".encode())
    for rel, path in _files(ref):
        h.update(rel.encode("utf-8", "surrogateescape") + b"\0")  # raw bytes: exact names
        try:
            st = path.lstat()
        except OSError as exc:
            h.update(f"error {exc.errno}\n".encode())
            continue
        if stat.S_ISLNK(st.st_mode):
            h.update(b"link\0" + os.fsencode(os.readlink(path)) + b"\n")
        elif stat.S_ISREG(st.st_mode):
            h.update(b"file\0" + _file_digest(path) + b"\n")
        else:
            h.update(f"other {stat.S_IFMT(st.st_mode)}\n".encode())
    return h.hexdigest()


def _file_digest(path: Path) -> bytes:
    d = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                d.update(chunk)
    except OSError as exc:
        return f"unreadable {exc.errno}".encode()
    return d.digest()
