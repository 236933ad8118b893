"""Parsers turn files into :class:`~gkcheck.model.Document` blocks; they never assign roles.

A parser is any object meeting :class:`Parser`; built-in and third-party parsers register
through the ``gkcheck_register_parsers`` hook.
"""

from __future__ import annotations

from gkcheck.parsers.base import ParseOptions, Parser

__all__ = ["ParseOptions", "Parser"]
