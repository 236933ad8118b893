"""The writer protocol: results in, text out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from gkcheck.findings import Result

__all__ = ["Writer"]


@runtime_checkable
class Writer(Protocol):
    """Turns results into one text (``--format NAME``)."""

    name: str

    def write(self, results: Sequence[Result], *, lang: str, color: bool) -> str:
        """The whole output for ``results``."""
        ...
