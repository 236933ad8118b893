"""The writer protocol: results in, text out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from gkcheck.findings import Result

if TYPE_CHECKING:
    from gkcheck.config import Config
    from gkcheck.rules import Rule

__all__ = ["FileWriter", "Writer"]


@runtime_checkable
class Writer(Protocol):
    """Turns results into one text (``--format NAME``)."""

    name: str

    def write(self, results: Sequence[Result], *, lang: str, color: bool) -> str:
        """The whole output for ``results``."""
        ...


@runtime_checkable
class FileWriter(Protocol):
    """Writes results into a file of its own (a spreadsheet, a page): ``batch`` outputs.

    Registered through ``gkcheck_register_writers`` like text writers; ``check --format NAME``
    uses it with ``--output-file``. ``rules`` are the rules that ran (columns), ``coverage`` the
    plan-coverage rows, ``thumbnails`` ``{result path: {photo ref: JPEG bytes}}``.
    """

    name: str
    suffix: str  # the file's suffix, e.g. ".xlsx"

    def write_file(
        self,
        results: Sequence[Result],
        path: Path,
        *,
        lang: str,
        rules: Sequence[Rule] | None = None,
        config: Config | None = None,
        coverage: Sequence[Any] | None = None,
        thumbnails: Mapping[str, Mapping[str, bytes]] | None = None,
    ) -> Path:
        """Write the file; returns its path."""
        ...
