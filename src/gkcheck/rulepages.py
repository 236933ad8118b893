"""A rule's documentation page, from the installed package (importlib.resources).

gkcheck's pages are written in ``docs/rules/`` of the repository and copied into the wheel as
``gkcheck/docs/rules/`` at build time (see ``setup.py``), so ``gkcheck rules GK101`` prints the
whole page from an installed copy as well as from a checkout. A plugin's rule points at its own
page with ``Rule(docs="package:path/in/package.md")``.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from gkcheck.rules import Rule

__all__ = ["page_uri", "rule_page"]

#: The repository's docs folder, for a checkout run without building (src layout).
_CHECKOUT_DOCS = Path(__file__).resolve().parents[2] / "docs"


def _locate(rule: Rule) -> Traversable | Path | None:
    docs = rule.docs or f"rules/{rule.id}.md"
    if ":" in docs:  # "package:path" — a plugin's own page
        package, _, rel = docs.partition(":")
        try:
            page: Traversable = resources.files(package).joinpath(*rel.split("/"))
        except (ModuleNotFoundError, TypeError):
            return None
        return page if page.is_file() else None
    shipped = resources.files("gkcheck").joinpath("docs", *docs.split("/"))
    if shipped.is_file():
        return shipped
    local = _CHECKOUT_DOCS / docs
    return local if local.is_file() else None


def rule_page(rule: Rule) -> str | None:
    """The rule's whole page (Markdown), or ``None`` when it has none."""
    page = _locate(rule)
    return page.read_text(encoding="utf-8") if page is not None else None


def page_uri(rule: Rule) -> str | None:
    """A ``file:`` URI of the page when it is a file on disk (SARIF's ``helpUri``)."""
    page = _locate(rule)
    if isinstance(page, Path):
        return page.resolve().as_uri()
    file = Path(str(page)) if page is not None else None
    return file.resolve().as_uri() if file is not None and file.is_file() else None
