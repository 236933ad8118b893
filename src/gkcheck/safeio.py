"""Reading what a unit sent without being led outside it, blocked, or flooded.

A submission folder is written by the party under review, so every reader treats a path in it
as hostile: a name ending ``.jpg`` may be a FIFO (an ``open`` blocks forever), a link to
``/dev/zero`` (a read never ends), or a symlink to ``/etc/passwd`` or another unit's report
(its text would land in our outputs). This module is the one place that opens such paths:

* :func:`classify_entry` ``(path, root) -> Refusal | None`` — ``lstat`` first, then decide
  without opening anything: a symlink whose target leaves ``root``, a FIFO, socket, device or
  folder, a missing or unreadable file each give a :class:`Refusal` with a reason code and
  words in Chinese and English (``[safeio]`` in ``i18n/zh.toml`` and ``en.toml``). A folder walk
  calls it for every entry and reports the refusals instead of reading them.
* :func:`open_regular` / :func:`read_limited` ``(path, root, limit) -> bytes`` — open the
  resolved path with ``O_NOFOLLOW | O_NONBLOCK`` (a FIFO swapped in after the check still
  cannot block), check with ``fstat`` that the opened thing is a regular file, and count bytes
  while reading: the declared size is never trusted (``/proc`` files say 0, a file may grow).

Both raise or return :class:`Refusal`; :class:`Refused` is an
:class:`~gkcheck.errors.UnreadableFile`, so a parser that lets it escape still gives a GK000
with a reason a person can act on.

``root`` is "the inputs": the submission folder. When a caller does not pass it, the root set
by :func:`input_root` for the current context (thread, task) is used if it holds the path, else
the folder the path was named in; so a symlink may point at a sibling, never out of the folder.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import io
import os
import stat
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO

from gkcheck.catalogue import Msg
from gkcheck.errors import UnreadableFile
from gkcheck.package_data import package_file

__all__ = [
    "DEFAULT_LIMIT",
    "REASONS",
    "Refusal",
    "Refused",
    "classify_entry",
    "input_root",
    "open_regular",
    "read_head",
    "read_limited",
    "reason_text",
]

#: Bytes a single input file may hold (a phone photo < 30 MB, a report PDF < 100 MB).
DEFAULT_LIMIT = 256 * 1024 * 1024

#: Reason codes a refusal may carry (their words are in ``i18n/*.toml`` under ``[safeio]``).
REASONS = (
    "symlink-outside",
    "symlink-loop",
    "special-file",
    "not-a-file",
    "not-found",
    "permission",
    "too-large",
    "io",
)

_ROOT: contextvars.ContextVar[Path | None] = contextvars.ContextVar("gkcheck_input_root", default=None)
_CHUNK = 1024 * 1024


@cache
def _words(lang: str) -> dict[str, str]:
    name = "en" if lang == "en" else "zh"
    data = package_file("i18n", f"{name}.toml").read_text(encoding="utf-8")
    table = tomllib.loads(data).get("safeio", {})
    return {str(k): str(v) for k, v in table.items()}


def reason_text(reason: str, lang: str = "zh", **fill: object) -> str:
    """The words for a refusal reason in ``lang`` (``"zh"``/``"en"``)."""
    template = _words(lang).get(reason, reason)
    try:
        return template.format(**fill)
    except (KeyError, IndexError, ValueError):
        return template


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a path was not read: a reason code (one of :data:`REASONS`) and a detail."""

    path: Path
    reason: str
    detail: str = ""

    def msg(self) -> Msg:
        """A sentence for a person, as catalogue words: the reason's words, then the detail."""
        words = Msg("safeio", self.reason, {"detail": self.detail, "name": self.path.name})
        if self.detail and "{detail}" not in _words("zh").get(self.reason, ""):
            return Msg("common", "with_detail", {"text": words, "detail": self.detail})
        return words

    def text(self, lang: str = "zh") -> str:
        """The sentence in ``lang``."""
        return self.msg().text(lang)


class Refused(UnreadableFile, OSError):
    """A :class:`Refusal` raised.

    As an :class:`UnreadableFile` the engine makes it a GK000; as an :class:`OSError` every
    reader that already handles "cannot read this file" (photo checks, thumbnails) handles it.
    """

    def __init__(self, refusal: Refusal) -> None:
        self.refusal = refusal
        UnreadableFile.__init__(
            self, refusal.reason, detail=f"{refusal.path.name}: {refusal.text('en')}"
        )

    def __str__(self) -> str:
        return self.detail


@contextlib.contextmanager
def input_root(root: str | Path) -> Iterator[Path]:
    """Within the block, paths below ``root`` may not be read through links leaving it."""
    resolved = Path(os.path.realpath(root))
    token = _ROOT.set(resolved)
    try:
        yield resolved
    finally:
        _ROOT.reset(token)


def _root_for(path: Path, root: str | Path | None) -> Path:
    if root is not None:
        return Path(os.path.realpath(root))
    current = _ROOT.get()
    absolute = Path(os.path.abspath(path))
    if current is not None and _within(Path(os.path.realpath(absolute.parent)), current):
        return current
    return Path(os.path.realpath(absolute.parent))


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISDIR(mode):
        return "folder"
    return "special file"


def _oserror(path: Path, exc: OSError) -> Refusal:
    if isinstance(exc, FileNotFoundError):
        return Refusal(path, "not-found")
    if isinstance(exc, PermissionError):
        return Refusal(path, "permission")
    if exc.errno == errno.ELOOP:
        return Refusal(path, "symlink-loop")
    return Refusal(path, "io", exc.strerror or str(exc))


def _check(path: Path, root: str | Path | None) -> tuple[Refusal | None, Path]:
    """The refusal (or ``None``) and the fully resolved path to open."""
    p = Path(path)
    try:
        lst = os.lstat(p)
    except OSError as exc:
        return _oserror(p, exc), p
    base = _root_for(p, root)
    try:
        real = Path(os.path.realpath(p, strict=True))
    except OSError as exc:
        if stat.S_ISLNK(lst.st_mode) and not isinstance(exc, PermissionError):
            return Refusal(p, "symlink-loop"), p
        return _oserror(p, exc), p
    if not _within(real, base):
        return Refusal(p, "symlink-outside"), p
    try:
        st = os.stat(real)
    except OSError as exc:
        return _oserror(p, exc), real
    if stat.S_ISDIR(st.st_mode):
        return Refusal(p, "not-a-file", "folder"), real
    if not stat.S_ISREG(st.st_mode):
        return Refusal(p, "special-file", _kind(st.st_mode)), real
    return None, real


def classify_entry(path: str | Path, root: str | Path | None = None) -> Refusal | None:
    """``None`` when ``path`` is a regular file inside ``root`` that may be read.

    Opens nothing, so it cannot block on a FIFO; call it for each entry of a folder walk and
    report a refusal (``refusal.reason``, ``refusal.text(lang)``) instead of reading the entry.
    """
    refusal, _real = _check(Path(path), root)
    return refusal


def open_regular(path: str | Path, root: str | Path | None = None) -> BinaryIO:
    """An open binary file for a regular file inside ``root``; raises :class:`Refused`.

    The resolved path is opened with ``O_NOFOLLOW | O_NONBLOCK`` and checked with ``fstat``,
    so what was checked is what is read even if the entry was swapped in between.
    """
    p = Path(path)
    refusal, real = _check(p, root)
    if refusal is not None:
        raise Refused(refusal)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise Refused(_oserror(p, exc)) from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused(Refusal(p, "special-file", _kind(st.st_mode)))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_limited(
    path: str | Path, root: str | Path | None = None, limit: int = DEFAULT_LIMIT
) -> bytes:
    """The bytes of a regular file inside ``root``, at most ``limit`` of them.

    Raises :class:`Refused` (reason ``"too-large"`` when the file holds more than ``limit``
    bytes, counted while reading, whatever ``stat`` claims).
    """
    with open_regular(path, root) as fh:
        return _read_capped(fh, Path(path), limit)


def _read_capped(fh: BinaryIO, path: Path, limit: int) -> bytes:
    buf = io.BytesIO()
    total = 0
    while True:
        chunk = fh.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise Refused(Refusal(path, "too-large", f"over {limit} bytes"))
        buf.write(chunk)
    return buf.getvalue()


def read_head(path: str | Path, root: str | Path | None = None, size: int = 8192) -> bytes:
    """The first ``size`` bytes of a regular file inside ``root`` (for sniffing formats)."""
    with open_regular(path, root) as fh:
        return fh.read(size)
