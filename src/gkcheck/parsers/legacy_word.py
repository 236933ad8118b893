"""Word 97–2003 ``.doc`` and WPS ``.wps`` reports, read through LibreOffice.

Units still write in old Word and in WPS Office, whose ``.wps`` files (WPS 2005 and later)
are Word 97 binaries under another name. Rather than a second Word reader for a binary format,
the file is converted to ``.docx`` by LibreOffice running headless — an optional external
program found on ``PATH`` (``soffice`` or ``libreoffice``) — and the result is read by the one
Word parser, so tables, text boxes, tracked changes and pictures come out exactly as they do
for a ``.docx``. The :class:`~gkcheck.model.Document` keeps the original path, says ``kind``
``"doc"``/``"wps"`` and notes the conversion.

The conversion is fenced: a private, throw-away LibreOffice profile (a user's running
LibreOffice neither blocks it nor sees it), a private output folder, the input copied under a
plain name, a time limit after which the whole process group is killed. Without LibreOffice a
:class:`~gkcheck.errors.MissingComponent` says what to install.

Compound (OLE) files are all sniffed here, so an encrypted ``.docx`` (which is an OLE file too)
is refused as encrypted before any program runs, and other Office binaries (Excel, PowerPoint)
are refused as unsupported.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from gkcheck.errors import Detail, MissingComponent, UnreadableFile, UnsupportedFile
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document
from gkcheck.parsers.base import ParseOptions, Parser
from gkcheck.parsers.word import WordParser

__all__ = ["LegacyWordParser", "convert_to_docx", "find_soffice"]

log = logging.getLogger(__name__)

#: Seconds one conversion may take (a first start of LibreOffice builds its profile: ~3 s).
TIMEOUT = 120.0
#: OLE compound file signature (Word 97 .doc, WPS .wps, encrypted .docx, .xls, .ppt …).
CFB = bytes.fromhex("d0cf11e0a1b11ae1")
#: A Word 97 report with a few photos is a few MB; larger files are not converted.
MAX_BYTES = 200 * 1024 * 1024
#: Bytes of an OLE file searched for stream names (the directory sits near the start or end).
_SCAN = 8 * 1024 * 1024


def find_soffice() -> str | None:
    """The LibreOffice program on ``PATH`` (``soffice`` first, then ``libreoffice``)."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_docx(src: Path, out_dir: Path, *, timeout: float = TIMEOUT) -> Path:
    """Convert ``src`` to a ``.docx`` in ``out_dir`` with headless LibreOffice.

    ``out_dir`` must be private to this call: the LibreOffice profile is made inside it.
    Raises :class:`MissingComponent` without LibreOffice and :class:`UnreadableFile` when
    the conversion fails or runs out of time.
    """
    soffice = find_soffice()
    if soffice is None:
        raise MissingComponent("LibreOffice", src.suffix.lower(), hint_key="hint_libreoffice")
    work = out_dir / "in"
    done = out_dir / "out"
    work.mkdir()
    done.mkdir()
    # A plain ASCII name: LibreOffice's command line and URL handling trip over some names.
    source = work / f"report{src.suffix.lower() or '.doc'}"
    shutil.copyfile(src, source)
    profile = (out_dir / "profile").resolve().as_uri()
    cmd = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(done),
        str(source),
    ]
    env = {**os.environ, "HOME": str(out_dir), "TMPDIR": str(out_dir)}
    env.pop("DISPLAY", None)
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group, so a timeout kills oosplash's child too
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise UnreadableFile(
            "timeout", detail=Detail("lo_timeout", name=src.name, seconds=f"{timeout:.0f}")
        ) from None
    finally:
        if proc.poll() is None:  # pragma: no cover - only when communicate itself failed
            _kill_group(proc)
    result = done / "report.docx"
    if proc.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
        said = (err or out or b"").decode("utf-8", "replace").strip().splitlines()
        raise UnreadableFile(
            "corrupt",
            detail=Detail(
                "lo_failed",
                name=src.name,
                error=said[-1][:200] if said else f"exit status {proc.returncode}",
            ),
        )
    return result


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice and whatever it started, then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _streams(path: Path) -> bytes:
    with path.open("rb") as fh:
        head = fh.read(_SCAN)
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size > _SCAN:
            fh.seek(max(_SCAN, size - _SCAN))
            head += fh.read()
    return head


def _sound_header(data: bytes) -> bool:
    """A compound-file header a real writer would make: byte order, sector size, room for it."""
    if len(data) < 512 or data[0x1C:0x1E] != b"\xfe\xff":
        return False
    shift = int.from_bytes(data[0x1E:0x20], "little")
    return shift in (9, 12) and len(data) >= 512 + 2 * (1 << shift)


def _what(data: bytes) -> str:
    """Which Office binary a compound file without a Word stream is, for the message."""
    for stream, what in (
        ("Workbook", "an Excel"),
        ("PowerPoint Document", "a PowerPoint"),
        ("CONTENTS", "a Microsoft Works or old WPS"),
    ):
        if _name(stream) in data:
            return what
    return "an Office compound"


def _name(stream: str) -> bytes:
    return stream.encode("utf-16-le")


class LegacyWordParser:
    """Reads Word 97–2003 ``.doc`` and WPS ``.wps`` files by converting them to ``.docx``."""

    kind = "doc"
    suffixes = (".doc", ".dot", ".wps", ".wpt")

    def __init__(self, *, timeout: float = TIMEOUT) -> None:
        self.timeout = timeout

    def sniff(self, head: bytes) -> bool:
        """An OLE compound file (which binary it is, is decided when it is read)."""
        return head.startswith(CFB)

    def parse(self, path: Path, options: ParseOptions) -> Document:
        """Refuse what is not a Word binary, convert the rest and read it as ``.docx``."""
        try:
            if path.stat().st_size > MAX_BYTES:
                raise UnreadableFile(
                    "too-large", detail=Detail("over_mb", name=path.name, mb=MAX_BYTES >> 20)
                )
            data = _streams(path)
        except OSError as exc:
            raise UnreadableFile("io", detail=Detail("raw", name=path.name, error=str(exc))) from exc
        if not data:
            raise UnreadableFile("empty", detail=Detail("empty", name=path.name))
        if not data.startswith(CFB):
            raise UnreadableFile("wrong-format", detail=Detail("not_doc97", name=path.name))
        if not _sound_header(data):
            raise UnreadableFile("corrupt", detail=Detail("bad_cfb", name=path.name))
        if _name("EncryptedPackage") in data or _name("EncryptionInfo") in data:
            raise UnreadableFile("encrypted", detail=Detail("word_password"))
        if _name("WordDocument") not in data:
            raise UnsupportedFile(Detail("cfb_not_word", what=_what(data)))
        kind = "wps" if path.suffix.lower() in (".wps", ".wpt") else "doc"
        with tempfile.TemporaryDirectory(prefix="gkcheck-lo-") as tmp:
            docx = convert_to_docx(path, Path(tmp), timeout=self.timeout)
            try:
                doc = WordParser().parse(docx, options)
            except UnreadableFile as exc:
                raise UnreadableFile(
                    exc.reason, detail=Detail("converted", name=path.name, detail=exc.shown)
                ) from exc
        # Photos hold their bytes (the temporary .docx is gone); blocks keep their origins.
        if any(p.data is None for p in doc.photos):  # pragma: no cover - Word keeps bytes
            raise UnreadableFile("corrupt", detail=Detail("pictures_lost", name=path.name))
        note = f"converted from .{kind} to .docx by LibreOffice before reading"
        return replace(doc, path=path, kind=kind, notes=(note, *doc.notes))


@hookimpl
def gkcheck_register_parsers() -> list[Parser]:
    """Register the .doc/.wps reader."""
    return [LegacyWordParser()]
