"""GK101–GK104: the keyword in the title, the first paragraph, the body and the ending.

附件2「三、关于新闻报道的问题」: 有关活动的新闻报道要求标题、首段文字、正文、结尾等四处地方均要体现
“政务公开主题日”关键字. The 专栏 lists reports by title and readers skim the first and last
paragraphs, so the campaign must be named in each place, not only somewhere.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from gkcheck.catalogue import Join, Msg
from gkcheck.config import Config
from gkcheck.findings import Finding, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.keywords import KeywordMatcher
from gkcheck.model import Block, Document, Role
from gkcheck.rules import CheckContext, Rule, check_function
from gkcheck.structure import outline
from gkcheck.textutil import shorten

CLAUSE = "附件2·三"

TITLE = Rule(
    id="GK101",
    name="title-without-keyword",
    severity=Severity.ERROR,
    summary={"zh": "标题未体现关键字", "en": "The title lacks the keyword"},
    clause=CLAUSE,
    docs="rules/GK101.md",
)
LEAD = Rule(
    id="GK102",
    name="lead-without-keyword",
    severity=Severity.ERROR,
    summary={"zh": "首段未体现关键字", "en": "The first paragraph lacks the keyword"},
    clause=CLAUSE,
    docs="rules/GK102.md",
)
BODY = Rule(
    id="GK103",
    name="body-without-keyword",
    severity=Severity.ERROR,
    summary={"zh": "正文未体现关键字（或没有正文）", "en": "The body lacks the keyword (or is absent)"},
    clause=CLAUSE,
    docs="rules/GK103.md",
)
ENDING = Rule(
    id="GK104",
    name="ending-without-keyword",
    severity=Severity.ERROR,
    summary={"zh": "结尾未体现关键字", "en": "The ending lacks the keyword"},
    clause=CLAUSE,
    docs="rules/GK104.md",
)

_matchers: dict[tuple[str, tuple[str, ...]], KeywordMatcher] = {}


def matcher_for(config: Config) -> KeywordMatcher:
    """One matcher per keyword/near-miss setting (they are cheap but not free to build)."""
    key = (config.keyword, config.near_misses)
    if key not in _matchers:
        _matchers[key] = KeywordMatcher(config.keyword, config.near_misses)
    return _matchers[key]


def _instead(
    blocks: Sequence[Block], doc: Document, m: KeywordMatcher, ctx: CheckContext
) -> tuple[Msg | str, dict[str, Any]]:
    """What the writer put there instead: a near miss, or the keyword in places that don't count."""
    for b in blocks:
        near = m.near_misses(b.text)
        if near:
            text = Msg("common", "near_miss", {"near": near[0].written, "keyword": ctx.config.keyword})
            return text, {"near_miss": near[0].written}
    roles: dict[str, None] = {}
    for b in doc.blocks:
        if b.role in (Role.CAPTION, Role.TRAILING, Role.META, Role.NOTE) and m.contains(b.text):
            roles.setdefault(str(b.role), None)
    if roles:
        names = Join(tuple(Msg("common", f"role_{r}") for r in roles))
        return Msg("common", "elsewhere", {"places": names}), {"elsewhere": list(roles)}
    return "", {}


def ocr_reason(ctx: CheckContext, notes: Sequence[str]) -> Msg:
    """Why text that needed OCR was not read: OCR turned off, or OCR not working here.

    The parser's notes are English for the log; the reviewer reads the reason in words.
    """
    if not ctx.config.ocr:
        return Msg("common", "ocr_off")
    return Msg("common", "ocr_unavailable", {"detail": ", ".join(notes)})


def _place_finding(
    rule: Rule, blocks: Sequence[Block], doc: Document, ctx: CheckContext
) -> Iterator[Finding]:
    m = matcher_for(ctx.config)
    if doc.ocr_skipped and not any(b.text.strip() for b in doc.blocks):
        yield ctx.finding(rule, "skipped", severity=Severity.INFO, reason=ocr_reason(ctx, doc.notes))
        return
    if not blocks:
        yield ctx.finding(rule, "absent", hint_key="hint")
        return
    if any(m.contains(b.text) for b in blocks):
        return
    if rule is TITLE and m.contains("".join(b.text for b in blocks)):
        return  # a title wrapped over two paragraphs, the keyword broken between them
    instead, evidence = _instead(blocks, doc, m, ctx)
    text = "".join(b.text for b in blocks)
    yield ctx.finding(
        rule,
        "missing",
        block=blocks[0],
        hint_key="hint",
        text=shorten(text, 60),
        instead=instead,
        count=len(blocks),
        **evidence,
    )


@check_function(TITLE)
def title_without_keyword(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """The title is what the column lists: it must name the campaign."""
    yield from _place_finding(TITLE, outline(doc).title, doc, ctx)


@check_function(LEAD)
def lead_without_keyword(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """The first paragraph says what happened; it must name the campaign."""
    lead = outline(doc).lead
    yield from _place_finding(LEAD, [lead] if lead else [], doc, ctx)


@check_function(BODY)
def body_without_keyword(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """At least one body paragraph must name the campaign; a report without body fails."""
    yield from _place_finding(BODY, outline(doc).body, doc, ctx)


@check_function(ENDING)
def ending_without_keyword(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """The ending must name the campaign again."""
    ending = outline(doc).ending
    yield from _place_finding(ENDING, [ending] if ending else [], doc, ctx)


@hookimpl
def gkcheck_register_checks(config: Config) -> list[object]:
    """Register GK101–GK104."""
    return [title_without_keyword, lead_without_keyword, body_without_keyword, ending_without_keyword]
