"""Import jieba without paying for ``pkg_resources``.

jieba 0.42 imports ``pkg_resources`` only to locate its dictionary file; importing it costs
~0.5 s (it scans every installed distribution) and is deprecated. When ``pkg_resources`` is
not imported yet, jieba is imported with it masked, so jieba takes its own fallback, which
opens the same file by path. Nothing else sees the mask.
"""

from __future__ import annotations

import logging
import sys
import threading
from types import ModuleType

__all__ = ["load_jieba"]

_MISSING = object()
_LOCK = threading.Lock()
_LOADED: list[ModuleType] = []


def load_jieba() -> ModuleType:
    """The jieba module, quiet, imported cheaply; safe to call from several threads.

    ``"jieba" in sys.modules`` is true while another thread is still executing jieba's
    ``__init__``; handing out that half-initialised module made keyword checks crash under a
    threaded web server, so the first caller imports under a lock and publishes the module
    only when it is complete.
    """
    if _LOADED:
        return _LOADED[0]
    with _LOCK:
        if not _LOADED:
            _LOADED.append(_import())
    return _LOADED[0]


def _import() -> ModuleType:
    saved = sys.modules.get("pkg_resources", _MISSING)
    if saved is _MISSING:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if saved is _MISSING:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    module: ModuleType = jieba
    return module
