"""Files the LOGO detector keeps in the user's cache directory, between processes.

Two stores keep there what each ``gkcheck logo`` process would otherwise work out again for the
same template with the same code: the clutter score (``clutter_store.py``) and the prepared
template (``template_store.py``). Both follow the rules here, so that a store can make a check
faster, never different:

* where: ``GKCHECK_CACHE_DIR`` when set (an empty value turns the stores off), else
  ``$XDG_CACHE_HOME/gkcheck`` or ``~/.cache/gkcheck``; nothing is written next to the inputs;
* keyed by the bytes of the code and networks that produce a value and by the versions of the
  libraries that compute it (:func:`code_digest`): a new version, an edited source file, a
  retrained network or another OpenCV finds nothing and works it out again;
* read only from a regular file of bounded size, through ``safeio.read_limited`` with the
  store's directory as the root (never through a link leading out of it, never a FIFO or a
  device, which would block or flood the read), and anything that cannot be read counts as
  absent;
* written whole or not at all (another process may be reading); a directory that cannot be
  written is skipped.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import ClassVar, Self

import cv2
import numpy as np

from gkcheck.package_data import package_file
from gkcheck.safeio import read_limited

__all__ = [
    "Store",
    "code_digest",
    "default_directory",
    "digest_sources",
    "read_kept",
    "write_whole",
]


def default_directory() -> Path | None:
    """The user's cache directory for gkcheck, or None when ``GKCHECK_CACHE_DIR`` is empty."""
    env = os.environ.get("GKCHECK_CACHE_DIR")
    if env is not None:
        return Path(env) if env.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base else Path.home() / ".cache"
    return root / "gkcheck"


class Store:
    """A store's files: the subdirectory ``subdir`` of a cache directory."""

    subdir: ClassVar[str]

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory) / self.subdir

    @classmethod
    def default(cls) -> Self | None:
        """The store in :func:`default_directory`, or None when the stores are turned off."""
        d = default_directory()
        return None if d is None else cls(d)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """What stored values depend on besides their inputs: the vision package's sources (the
    detector, and the decoding that prepares a template), the packaged networks, and the
    versions of the libraries that compute them (OpenCV, NumPy, and Pillow, which decodes
    the template files OpenCV is not given).

    Raises ``OSError`` when they cannot be read; a store then neither reads nor keeps."""
    h = hashlib.sha256()
    h.update(f"opencv {cv2.__version__} numpy {np.__version__}\n".encode())
    pillow = _pillow_version_file()
    if pillow is not None:
        h.update(pillow.read_bytes())
    for p in digest_sources():
        h.update(p.name.encode())
        h.update(p.read_bytes())
    data = package_file("data", "logo")
    for name in sorted(e.name for e in data.iterdir() if e.name.endswith(".onnx")):
        h.update(name.encode())
        h.update((data / name).read_bytes())
    return h.hexdigest()


def digest_sources() -> list[Path]:
    """The source files :func:`code_digest` reads: every ``.py`` of ``gkcheck.vision``."""
    vision = Path(__file__).resolve().parents[1]
    return sorted(vision.rglob("*.py"))


def _pillow_version_file() -> Path | None:
    """Pillow's ``_version.py``, found without importing Pillow (~60 ms a process)."""
    spec = importlib.util.find_spec("PIL")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "_version.py"
        if candidate.is_file():
            return candidate
    return None


def read_kept(path: Path, limit: int) -> bytes:
    """The bytes of a kept file: ``safeio.read_limited`` with the store's directory as the
    root (a regular file of at most ``limit`` bytes, opened without following a link, never a
    FIFO or a device); ``OSError`` otherwise."""
    return read_limited(path, path.parent, limit)


def write_whole(path: Path, data: bytes) -> None:
    """``data`` to ``path``, through a temporary file renamed into place; nothing when the
    directory cannot be written (a read-only home, a full disk: worked out again next time).
    ``tempfile`` is imported here: only a process that keeps something new needs it."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
