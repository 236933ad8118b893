"""Names that arrive with uploaded bytes: safe to store, and swapped back into results.

A CMS or a browser sends a file together with a name it chose (``新闻稿.docx``, but also
``../../x.docx``, ``C:\\a\\b.pdf``, names with NUL or thousands of characters). The name
matters to the check (its suffix picks the parser; words in it classify a submission's
files), so it is kept as one safe path component; the bytes are checked from a private
folder; and the temporary path is then replaced by the name in everything the result says,
so nobody ever sees ``/tmp/…``.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gkcheck.findings import Finding, Result

__all__ = ["MAX_NAME_BYTES", "relabel", "safe_name", "swap_paths"]

#: Bytes of UTF-8 a stored name may take (most file systems allow 255 per component).
MAX_NAME_BYTES = 150
_WINDOWS_BAD = set('<>:"|?*')
_MAX_SUFFIX = 12


def safe_name(name: str | None, *, default: str = "upload") -> str:
    """One harmless path component standing for ``name``: never empty, ``.``/``..`` or absolute.

    The last component of a ``/`` or ``\\`` path is kept; control characters (NUL …) and the
    characters Windows refuses are dropped; leading dots go (no hidden or ``..`` names); an
    over-long name is shortened in its stem so its suffix (which picks the parser) survives.
    """
    text = unicodedata.normalize("NFC", name or "")
    base = re.split(r"[\\/]", text)[-1]
    base = "".join(
        ch for ch in base if ch not in _WINDOWS_BAD and unicodedata.category(ch)[0] != "C"
    )
    base = base.strip().lstrip(".").strip()
    if not base:
        return default
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem or len(suffix) > _MAX_SUFFIX:
        stem, suffix = base, ""
    tail = f".{suffix}" if suffix else ""
    while stem and len((stem + tail).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem.rstrip() or default) + tail


def swap_paths(value: Any, old: str, new: str) -> Any:
    """``value`` with the path ``old`` replaced by ``new`` in every string it holds.

    Mappings, lists and tuples are rebuilt; other objects (photos, enums) are kept as they
    are. A string equal to ``old`` becomes ``new``; ``old/rest`` becomes ``new/rest``.
    """
    if isinstance(value, str):
        if old not in value:
            return value
        return value.replace(old + "/", (new + "/") if new else "").replace(old, new)
    if isinstance(value, Path):
        return Path(swap_paths(str(value), old, new))
    if isinstance(value, Mapping):
        return {k: swap_paths(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [swap_paths(v, old, new) for v in value]
    if isinstance(value, tuple):
        return tuple(swap_paths(v, old, new) for v in value)
    return value


def _finding(f: Finding, old: str, new: str) -> Finding:
    return dataclasses.replace(
        f,
        message=swap_paths(f.message, old, new),
        hint=swap_paths(f.hint, old, new),
        location=dataclasses.replace(f.location, file=swap_paths(f.location.file, old, new)),
        evidence=swap_paths(dict(f.evidence), old, new),
    )


def relabel(result: Result, old: Path, new: str) -> Result:
    """``result`` telling ``new`` wherever it told the temporary path ``old``."""
    o = str(old)
    facts = {
        k: (v if k in ("photos", "loose_photos") else swap_paths(v, o, new))
        for k, v in result.facts.items()
    }
    if isinstance(facts.get("submission"), Mapping) and facts["submission"].get("report") == old.name:
        facts["submission"] = {**facts["submission"], "report": new}
    files = tuple(
        {**f, "path": new} if f.get("path") == old.name else swap_paths(f, o, new)
        for f in result.files
    )
    doc = result.document
    return Result(
        path=Path(new),
        kind=result.kind,
        findings=tuple(_finding(f, o, new) for f in result.findings),
        document=dataclasses.replace(doc, path=Path(swap_paths(str(doc.path), o, new)))
        if doc is not None
        else None,
        files=files,
        facts=facts,
    )
