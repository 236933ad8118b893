"""Text that every output format can hold, whatever a unit named its files.

A file or folder name may contain control characters (``报告\\x01.docx``) or bytes that are
not UTF-8 (decoded by Python as lone surrogates). XML 1.0 (inside ``.xlsx``) cannot hold
either, and openpyxl raises; HTML shows them as nothing. Each such character is written as a
visible escape (``\\x01``, ``\\udc8f``), so the name still says what is on disk.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["printable", "printable_value"]

# C0 controls but tab/newline/CR, DEL and C1 controls, lone surrogates, the two non-characters
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every character XLSX/HTML cannot hold replaced by a visible escape."""
    return _BAD.sub(_escape, text)


def printable_value(value: Any) -> Any:
    """A cell value made safe: strings through :func:`printable`, other values unchanged."""
    return printable(value) if isinstance(value, str) else value
