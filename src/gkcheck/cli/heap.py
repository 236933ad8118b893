"""The C heap of a one-photo ``gkcheck logo`` process: freed memory kept for the next array.

A detection allocates and frees arrays of tens of kilobytes to a few megabytes hundreds of
times (each level of the search's pyramid, its correlation maps, the verification's warps).
glibc's ``malloc`` serves a large block with ``mmap`` and gives it back with ``munmap`` (its
threshold rises only as such blocks are freed), gives the heap's freed top back to the
system, and gives each thread an arena of its own: in a process that lives half a second,
much of that is fresh pages from the kernel, each one a fault and zeroed. Told to keep what is
freed and to share one arena (``mallopt``), a one-photo process on finalA had a third fewer
minor page faults (~25 000 against ~38 000) and took 8-10 ms less, paired photo by photo
(sixty-first session, docs/vision/logo.md).

Called by the program itself (``cli.run``), for ``gkcheck logo`` only: a process gkcheck owns
and that lives half a second. An integrator calling ``cli.main`` in its own process keeps its
own allocator's settings, and a long-lived ``gkcheck serve`` glibc's, which give memory back.
Elsewhere than glibc (musl, macOS, Windows) nothing is changed.
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["keep_freed_memory"]

# glibc's <malloc.h>
_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8

#: (parameter, value): freed memory up to 512 MB stays with the process; the heap grows 64 MB
#: at a time; blocks under 32 MB (as high as glibc's own adjustment of the threshold goes)
#: come from the heap, not ``mmap``; one arena, shared by the detector's threads (set before
#: they start, or it does not count)
_SETTINGS = (
    (_M_TRIM_THRESHOLD, 512 << 20),
    (_M_TOP_PAD, 64 << 20),
    (_M_MMAP_THRESHOLD, 32 << 20),
    (_M_ARENA_MAX, 1),
)


def keep_freed_memory() -> bool:
    """Set glibc's ``malloc`` to keep freed memory (``_SETTINGS``); call before any thread
    starts. True when every setting was taken, False where there is no glibc (or it refused
    one: the others still count)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)  # the C library the interpreter itself runs on
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # noqa: B018 - glibc's own: musl's mallopt does nothing
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    # every setting tried, whichever is refused (``all`` over a generator stops at the first)
    taken = [mallopt(param, value) == 1 for param, value in _SETTINGS]
    return all(taken)
