"""Each template's clutter score kept on disk, so that a process checking one photo need not
work it out again.

A template's clutter threshold (``clutter.py``, ``LogoDetector.threshold_for``) takes 0.05-0.2 s
to work out and depends only on the template's pixels and the code that scores it. A CMS hook
or a reviewer runs ``gkcheck logo`` once per photo; each process worked it out afresh, and the
photo's first verified candidate waited for it: ~0.1 s of a ~0.5 s process, the difference
between 3.4x and 2.8x the cost of decoding the photo (docs/vision/logo.md). The store keeps
the value in the user's cache directory, one small JSON file per template and setting.

What a stored value is keyed by: the template's rendered pixels and mask, the detector's
scoring settings, and what produces the score (``cache_files.code_digest``: every ``.py`` file
of ``gkcheck.vision``, the packaged ``.onnx`` files, the OpenCV, NumPy and Pillow versions) --
a new version, an edited source file or a retrained network finds nothing stored and works it
out again. A file that
cannot be read, or holds anything but a finite number in [0, 1], counts as absent; one that
cannot be written is skipped. Either way the value is computed, so the store can make a
check faster, never different. (A value can only raise a template's threshold above the
configured one, never lower it below.)

Where, and how its files are read and written: ``cache_files.py`` (``GKCHECK_CACHE_DIR``, an
empty value turns the store off; else ``$XDG_CACHE_HOME/gkcheck`` or ``~/.cache/gkcheck``).
"""

from __future__ import annotations

import hashlib
import json
import math

from .cache_files import Store, code_digest, read_kept, write_whole
from .template import LogoTemplate

__all__ = ["ClutterStore"]


class ClutterStore(Store):
    """The clutter scores of templates, one file per (template, settings), under ``directory``."""

    subdir = "logo-clutter"

    def key(self, tpl: LogoTemplate, settings: tuple[object, ...]) -> str | None:
        """The file name for ``tpl`` scored with ``settings`` by this version of the code; None
        when the code cannot be read to name it (then nothing is read or kept)."""
        try:
            code = code_digest()
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
            raw = json.loads(read_kept(self.directory / f"{key}.json", 4096))
            value = float(raw["q90"])
        except (OSError, ValueError, TypeError, KeyError):
            return None
        return value if math.isfinite(value) and 0.0 <= value <= 1.0 else None

    def put(self, key: str, value: float) -> None:
        """Keep ``value``; written whole or not at all (another process may be reading)."""
        write_whole(self.directory / f"{key}.json", json.dumps({"q90": float(value)}).encode())
