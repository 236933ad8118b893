"""Import jieba without paying for ``pkg_resources``.

jieba 0.42 imports ``pkg_resources`` only to locate its dictionary file; importing it costs
~0.5 s (it scans every installed distribution) and is deprecated. When ``pkg_resources`` is
not imported yet, jieba is imported with it masked, so jieba takes its own fallback, which
opens the same file by path. Nothing else sees the mask.
"""

from __future__ import annotations

import logging
import sys
from types import ModuleType

__all__ = ["load_jieba"]

_MISSING = object()


def load_jieba() -> ModuleType:
    """The jieba module, quiet, imported cheaply."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
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
