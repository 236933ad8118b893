"""Exceptions: for callers' mistakes and for files gkcheck cannot read.

Bad *input files* never escape as exceptions to a reviewer: the engine turns
:class:`UnreadableFile` into a ``GK000`` finding and :class:`UnsupportedFile` into ``GK001``.
Exceptions that do escape (:class:`ConfigError`, :class:`PluginError`) are mistakes of the
person or program calling gkcheck, and the CLI exits with status 2 for them.
"""

from __future__ import annotations

from typing import Any

from gkcheck.catalogue import Msg

__all__ = [
    "ConfigError",
    "Detail",
    "GkcheckError",
    "MissingComponent",
    "PluginError",
    "UnreadableFile",
    "UnsupportedFile",
]


class GkcheckError(Exception):
    """Base class of gkcheck's own exceptions.

    Raised with ``msg="…"`` (a key of the catalogues' ``[cli]`` table) and its parameters, the
    error is worded where it is shown, in the reader's language (:meth:`text`); ``str()`` is
    the English wording, for logs and Python callers. A plain message is shown as it is.
    """

    def __init__(self, message: str = "", *, msg: str | None = None, **params: Any) -> None:
        self.msg = msg
        self.params = params
        super().__init__(message or (self.text("en") if msg is not None else ""))

    def text(self, lang: str) -> str:
        """The error worded in ``lang`` ("zh" or "en")."""
        if self.msg is None:
            return str(self)
        from gkcheck.ui import say

        return say(self.msg, lang, **self.params)


class ConfigError(GkcheckError):
    """The configuration is wrong; the message names the file and the key.

    ``problem`` is a key of the ``[cli]`` catalogue table (``err_year``, ``err_unknown_key``
    …) filled with ``params``, so the reviewer reads it in Chinese and a program in English.
    """

    FORMAT = "{source}: {key}: {problem}"

    def __init__(self, key: str, problem: str, source: str = "gkcheck.toml", **params: Any) -> None:
        self.key = key
        self.source = source
        self.problem_key = problem
        super().__init__(msg=problem, **params)

    @property
    def problem(self) -> str:
        """The problem in English."""
        return self._problem("en")

    def _problem(self, lang: str) -> str:
        from gkcheck.ui import say

        return say(self.problem_key, lang, **self.params)

    def text(self, lang: str) -> str:
        """``source: key: problem`` with the problem in ``lang``."""
        return self.FORMAT.format(source=self.source, key=self.key, problem=self._problem(lang))


class PluginError(GkcheckError):
    """A plugin is broken (bad rule id, duplicate rule, failed to load)."""


class UnreadableFile(GkcheckError):
    """A file that claims a supported format but cannot be read (GK000).

    ``detail`` is best given as catalogue words (``Detail("not_zip", …)``, the ``[details]``
    table): the reviewer reads it in the review's language; ``.detail`` is its English text
    (kept in the JSON evidence). A plain string (a library's own message) is shown as it is.
    """

    def __init__(self, reason: str, *, detail: str | Msg | None = None) -> None:
        self.reason = reason  # a short machine-friendly code: "corrupt", "encrypted", …
        self.shown: str | Msg = detail or reason  # catalogue words, or text shown as it is
        self.detail = detail.text("en") if isinstance(detail, Msg) else (detail or reason)
        super().__init__(self.detail)


class UnsupportedFile(GkcheckError):
    """A file of a type gkcheck has no parser for (GK001).

    Raised with a :func:`Detail` (why not), shown in the review's language.
    """

    def __init__(self, detail: str | Msg = "") -> None:
        self.shown: str | Msg = detail
        super().__init__(detail.text("en") if isinstance(detail, Msg) else detail)


def Detail(key: str, **params: Any) -> Msg:
    """Why a file could not be read, as words of the catalogues' ``[details]`` table."""
    return Msg("details", key, params)


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
