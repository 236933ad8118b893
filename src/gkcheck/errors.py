"""Exceptions: for callers' mistakes and for files gkcheck cannot read.

Bad *input files* never escape as exceptions to a reviewer: the engine turns
:class:`UnreadableFile` into a ``GK000`` finding and :class:`UnsupportedFile` into ``GK001``.
Exceptions that do escape (:class:`ConfigError`, :class:`PluginError`) are mistakes of the
person or program calling gkcheck, and the CLI exits with status 2 for them.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "GkcheckError",
    "MissingComponent",
    "PluginError",
    "UnreadableFile",
    "UnsupportedFile",
]


class GkcheckError(Exception):
    """Base class of gkcheck's own exceptions."""


class ConfigError(GkcheckError):
    """The configuration is wrong; the message names the file and the key."""

    FORMAT = "{source}: {key}: {problem}"

    def __init__(self, key: str, problem: str, source: str = "gkcheck.toml") -> None:
        self.key = key
        self.problem = problem
        self.source = source
        super().__init__(self.FORMAT.format(source=source, key=key, problem=problem))


class PluginError(GkcheckError):
    """A plugin is broken (bad rule id, duplicate rule, failed to load)."""


class UnreadableFile(GkcheckError):
    """A file that claims a supported format but cannot be read (GK000)."""

    def __init__(self, reason: str, *, detail: str | None = None) -> None:
        self.reason = reason  # a short machine-friendly code: "corrupt", "encrypted", …
        self.detail = detail or reason
        super().__init__(self.detail)


class UnsupportedFile(GkcheckError):
    """A file of a type gkcheck has no parser for (GK001)."""


class MissingComponent(UnsupportedFile):
    """A format gkcheck reads only through an optional program that is not installed.

    A Word 97–2003 ``.doc`` or a WPS ``.wps`` report is read by converting it with LibreOffice;
    on a machine without it the file is unsupported *here*, and the reviewer needs to hear how
    to fix that (install the program, or resave the report), not just "unsupported". A subclass
    of :class:`UnsupportedFile`, so code that knows only GK001 still reports it as such.
    """

    def __init__(self, component: str, suffix: str, *, hint_key: str) -> None:
        self.component = component  # "libreoffice"
        self.suffix = suffix  # ".doc"
        self.hint_key = hint_key  # the GK001 message key of the hint: "hint_libreoffice"
        super().__init__(f"{suffix} needs {component}, which is not installed")
