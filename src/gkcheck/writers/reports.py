"""The batch's spreadsheet and HTML page as registered writers (``xlsx``, ``html``).

The batch finds them in the registry like any other format, so a plugin can replace or add a
batch output through ``gkcheck_register_writers``; ``check --format xlsx --output-file F``
uses the same code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkcheck.hookspecs import hookimpl

if TYPE_CHECKING:
    from gkcheck.config import Config
    from gkcheck.findings import Result
    from gkcheck.rules import Rule
    from gkcheck.writers.base import FileWriter

__all__ = ["HtmlWriter", "XlsxWriter"]


class XlsxWriter:
    """``summary.xlsx``: one row per submission, one column per rule."""

    name = "xlsx"
    suffix = ".xlsx"

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
        """See :func:`gkcheck.writers.xlsx.write_xlsx`."""
        from gkcheck.writers.xlsx import write_xlsx

        return write_xlsx(results, path, lang=lang, rules=rules, config=config, coverage=coverage)


class HtmlWriter:
    """``report.html``: the self-contained page."""

    name = "html"
    suffix = ".html"

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
        """See :func:`gkcheck.writers.html.write_html`."""
        from gkcheck.writers.html import write_html

        return write_html(
            results,
            path,
            lang=lang,
            config=config,
            thumbnails=thumbnails,
            coverage=coverage,
            rules=rules,
        )


@hookimpl
def gkcheck_register_writers() -> list[FileWriter]:
    """Register the spreadsheet and the HTML page."""
    return [XlsxWriter(), HtmlWriter()]
