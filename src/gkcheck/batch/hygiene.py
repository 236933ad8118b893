"""Workers that die with their batch, and unpack folders that do not outlive them.

A ``kill -9`` of ``gkcheck batch`` gives its workers no chance to be told: without help they
live on, re-parented to init, checking files nobody will read and holding resources a resumed
batch needs. Two independent guards end them:

* Linux's parent-death signal (``prctl(PR_SET_PDEATHSIG, SIGKILL)``): the kernel kills the
  worker the moment the thread that forked it exits;
* a watchdog thread that notices the parent is gone (``getppid()`` changes when the worker is
  re-parented) on systems without ``prctl`` or when the parent died before the call.

A worker unpacks a zip submission into ``/tmp/gkcheck-zip-*``; one killed at its deadline
cannot clean up, so :func:`clean_stale_unpacks` removes folders whose owner is gone (the
owner's pid is part of the folder's name).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["UNPACK_PREFIX", "clean_stale_unpacks", "die_with_parent", "unpack_dir"]

_PR_SET_PDEATHSIG = 1
#: Prefix of a worker's private unpack folder: ``gkcheck-zip-<pid>-<random>``.
UNPACK_PREFIX = "gkcheck-zip-"
_OWNED = re.compile(re.escape(UNPACK_PREFIX) + r"(\d+)-")


def _pdeathsig() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent(parent: int | None, *, every: float = 0.5) -> None:
    """Make the calling process exit as soon as ``parent`` (the runner) is gone."""
    expected = parent if parent is not None else os.getppid()
    _pdeathsig()
    if os.getppid() != expected:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(every)
            if os.getppid() != expected:
                os._exit(1)

    threading.Thread(target=watch, name="gkcheck-parent-watchdog", daemon=True).start()


def unpack_dir() -> Path:
    """A new private folder for one zip submission, named after this process."""
    return Path(tempfile.mkdtemp(prefix=f"{UNPACK_PREFIX}{os.getpid()}-"))


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (another user's counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_unpacks(tmp: str | Path | None = None, *, min_age: float = 60.0) -> int:
    """Remove unpack folders whose worker is gone; returns how many were removed.

    Folders of the old unnamed form (``gkcheck-zip-<random>``) are removed once older than
    ``min_age`` seconds, as no running worker creates them any more.
    """
    base = Path(tmp or tempfile.gettempdir())
    removed = 0
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in base.iterdir():
            if not entry.name.startswith(UNPACK_PREFIX):
                continue
            try:
                st = entry.lstat()
            except OSError:
                continue
            if st.st_uid != os.getuid() or not entry.is_dir() or entry.is_symlink():
                continue
            m = _OWNED.match(entry.name)
            stale = (not pid_alive(int(m.group(1)))) if m else now - st.st_mtime > min_age
            if stale:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
    return removed
