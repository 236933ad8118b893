"""EXA101 title-too-long: the column's list cuts long titles off."""

from __future__ import annotations

from collections.abc import Iterator

from gkcheck import CheckContext, Document, Finding, Role, Rule, Severity, check_function

TITLE_TOO_LONG = Rule(
    id="EXA101",
    name="title-too-long",
    severity=Severity.WARNING,
    summary={"zh": "标题过长，专栏列表中会被截断", "en": "The title is too long for the column list"},
    clause="示例插件",
    docs="gkcheck_example:docs/EXA101.md",  # the plugin's own page, shipped in its package
    messages={
        "zh": {"long": "标题共 {length} 字，超过 {limit} 字，专栏列表中会被截断"},
        "en": {"long": "The title has {length} characters, more than {limit}; the column list cuts it"},
    },
)


@check_function(TITLE_TOO_LONG)
def title_too_long(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Warn when the title is longer than ``[plugins.example] max-title`` characters."""
    limit = int(str(ctx.config.plugin("example").get("max-title", 40)))
    titles = doc.by_role(Role.TITLE)
    text = "".join("".join(b.text.split()) for b in titles)
    if titles and len(text) > limit:
        yield ctx.finding(TITLE_TOO_LONG, "long", block=titles[0], length=len(text), limit=limit)
