"""Each template's clutter score kept on disk, so that a process checking one photo need not
work it out again.

A template's clutter threshold (``clutter.py``, ``LogoDetector.threshold_for``) takes 0.05-0.2 s
to work out and depends only on the template's pixels and the code that scores it. A CMS hook
or a reviewer runs ``gkcheck logo`` once per photo; each process worked it out afresh, and the
photo's first verified candidate waited for it: ~0.1 s of a ~0.5 s process, the difference
between 3.4x and 2.8x the cost of decoding the photo (docs/vision/logo.md). The store keeps
the value in the user's cache directory, one small JSON file per template and setting.

What a stored value is keyed by: the template's rendered pixels and mask, the detector's
scoring settings, and the bytes of the code and networks that produce the score (every
``.py`` file of this package and the packaged ``.onnx`` files) -- a new version, an edited
source file or a retrained network finds nothing stored and works it out again. A file that
cannot be read, or holds anything but a finite number in [0, 1], counts as absent; one that
cannot be written is skipped. Either way the value is computed, so the store can make a
check faster, never different. (A value can only raise a template's threshold above the
configured one, never lower it below.)

Where: ``GKCHECK_CACHE_DIR`` when set (an empty value turns the store off), else
``$XDG_CACHE_HOME/gkcheck`` or ``~/.cache/gkcheck``. Nothing is written next to the inputs.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .template import LogoTemplate

__all__ = ["ClutterStore", "default_directory"]

_SUBDIR = "logo-clutter"


def default_directory() -> Path | None:
    """The user's cache directory for gkcheck, or None when ``GKCHECK_CACHE_DIR`` is empty."""
    env = os.environ.get("GKCHECK_CACHE_DIR")
    if env is not None:
        return Path(env) if env.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base else Path.home() / ".cache"
    return root / "gkcheck"


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The bytes the clutter scores depend on: this package's sources and the networks."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for p in sorted(here.glob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    data = resources.files("gkcheck") / "data" / "logo"
    for name in sorted(e.name for e in data.iterdir() if e.name.endswith(".onnx")):
        h.update(name.encode())
        h.update((data / name).read_bytes())
    return h.hexdigest()


def _read_small(path: Path) -> bytes:
    """A regular file of at most 4 KiB, not through a symbolic link: a FIFO or a device where
    a value should be would otherwise block or flood the read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > 4096:
            raise OSError(f"{path.name}: not a small regular file")
        return os.read(fd, 4097)
    finally:
        os.close(fd)


class ClutterStore:
    """The clutter scores of templates, one file per (template, settings), under ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory) / _SUBDIR

    @classmethod
    def default(cls) -> ClutterStore | None:
        """The store in :func:`default_directory`, or None when it is turned off."""
        d = default_directory()
        return None if d is None else cls(d)

    def key(self, tpl: LogoTemplate, settings: tuple[object, ...]) -> str | None:
        """The file name for ``tpl`` scored with ``settings`` by this version of the code; None
        when the code cannot be read to name it (then nothing is read or kept)."""
        try:
            code = _code_digest()
        except OSError:
            return None
        h = hashlib.sha256(code.encode())
        h.update(repr(settings).encode())
        for a in (tpl.bgr, tpl.ink):
            h.update(repr(a.shape).encode())
            h.update(a.tobytes())
        return h.hexdigest()[:40]

    def get(self, key: str) -> float | None:
        """The stored value, or None (absent, unreadable, or not a number in [0, 1])."""
        try:
            raw = json.loads(_read_small(self.directory / f"{key}.json"))
            value = float(raw["q90"])
        except (OSError, ValueError, TypeError, KeyError):
            return None
        return value if math.isfinite(value) and 0.0 <= value <= 1.0 else None

    def put(self, key: str, value: float) -> None:
        """Keep ``value``; written whole or not at all (another process may be reading)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump({"q90": float(value)}, f)
                os.replace(tmp, self.directory / f"{key}.json")
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a read-only home or a full disk: the value is worked out again next time
