"""Public helpers for plugin authors' tests (like ``tox.pytest``).

They build real documents through the real structure analysis and run checks through the
real engine, so a plugin's test exercises the same code path as ``gkcheck check``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from gkcheck.config import Config
from gkcheck.findings import Finding
from gkcheck.model import Block, Document, StyleHints
from gkcheck.plugins import get_plugin_manager
from gkcheck.rules import Check, CheckContext, iter_findings
from gkcheck.structure import analyse

__all__ = ["document_from_lines", "registered_rule_ids", "run_check"]


def document_from_lines(lines: Sequence[str], *, title_size: float = 22.0) -> Document:
    """A report whose first line is a large centred title and the rest plain paragraphs."""
    blocks = [
        Block(
            index=i,
            text=text,
            style=StyleHints(size=title_size, bold=True, centered=True)
            if i == 0
            else StyleHints(size=16.0, indent=2.0),
        )
        for i, text in enumerate(lines)
    ]
    return analyse(Document(path=Path("<test>"), kind="test", blocks=tuple(blocks)))


def run_check(check: Check, doc: Document, config: Config | None = None) -> list[Finding]:
    """Findings of one check on one document."""
    ctx = CheckContext(config=config or Config(), path=doc.path)
    return list(iter_findings(check, doc, ctx))


def registered_rule_ids(plugins: Iterable[object] = ()) -> set[str]:
    """Rule IDs a fresh plugin manager knows, with extra plugin modules registered."""
    from typing import Any, cast

    pm = get_plugin_manager(load_entrypoints=True)
    for plugin in plugins:
        pm.register(plugin)
    ids: set[str] = set()
    for checks in cast(Any, pm.hook).gkcheck_register_checks(config=Config()):
        for chk in checks:
            ids.update(r.id for r in chk.rules)
    return ids
