"""GK003: the report was read only in part, so its verdict needs a person.

A long PDF is read up to ``ParseOptions.max_pages`` pages (reading is bounded in time), and a
page whose content inflates past ``max_page_stream`` bytes is not tokenised at all. The
keyword checks then judge what was read; the ending paragraph in particular may be on a page
that was not. Saying nothing would let a partly read report pass, so this rule names the pages
that were read and fails the report until someone looks ("fail closed").

The parser records what it did not read in :attr:`gkcheck.model.Document.pages_unread`; this
module turns that into a finding. Registered like every built-in check (its module name in
``gkcheck.plugins.BUILTIN_PLUGINS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from gkcheck.config import Config
from gkcheck.findings import Finding, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document
from gkcheck.rules import CheckContext, Rule, check_function

__all__ = ["PARTLY_READ", "page_ranges", "partly_read"]

PARTLY_READ = Rule(
    id="GK003",
    name="file-partly-read",
    severity=Severity.ERROR,
    summary={"zh": "文件只读取了一部分页面，需人工复核", "en": "Only part of the file was read; review by hand"},
    clause="附件2·一",
    docs="rules/GK003.md",
)


def page_ranges(pages: Sequence[int]) -> str:
    """``[1, 2, 3, 7, 9, 10]`` → ``"1–3, 7, 9–10"``."""
    out: list[str] = []
    run: list[int] = []
    for p in sorted(set(pages)):
        if run and p == run[-1] + 1:
            run.append(p)
            continue
        if run:
            out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
        run = [p]
    if run:
        out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(out)


def _read(doc: Document) -> list[int]:
    unread = set(doc.pages_unread)
    return [p for p in range(1, doc.pages_total + 1) if p not in unread]


@check_function(PARTLY_READ)
def partly_read(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """One GK003 naming the pages read and those not read."""
    return _findings(doc, ctx)


def _findings(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    if not doc.pages_unread:
        return
    yield ctx.finding(
        PARTLY_READ,
        "partial",
        hint_key="hint",
        read=page_ranges(_read(doc)) or "—",
        unread=page_ranges(doc.pages_unread),
        total=doc.pages_total,
        pages_read=_read(doc),
        pages_unread=list(doc.pages_unread),
    )


@hookimpl
def gkcheck_register_checks(config: Config) -> list[object]:
    """Declare GK003."""
    return [partly_read]
