"""GK100: a submission must contain the news report.

附件2「三、关于新闻报道的问题」 is the heart of the campaign: a unit's submission is judged on its
news report (title, first paragraph, body and ending carrying the keyword, a photo with the
LOGO). A folder holding only the plan, the summary and photos has no report to judge, so it
fails with this rule — naming what was sent instead — rather than passing with nothing checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from gkcheck.catalogue import Join, Msg
from gkcheck.config import Config
from gkcheck.findings import Finding, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document
from gkcheck.rules import CheckContext, Rule

REPORT_MISSING = Rule(
    id="GK100",
    name="report-missing",
    severity=Severity.ERROR,
    summary={"zh": "报送材料中没有新闻报道", "en": "The submission holds no news report"},
    clause="附件2·三",
    scope="submission",
    docs="rules/GK100.md",
)


class ReportPresence:
    """Fails a submission (folder or zip) that holds no news report."""

    rules = (REPORT_MISSING,)
    scope = "submission"
    name = "gkcheck.checks.report.ReportPresence"

    def __call__(self, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        """Yield GK100 when the submission's files hold no news report."""
        sub = ctx.submission
        if sub is None or not sub.is_folder or sub.report is not None or sub.files is None:
            return
        found: list[Msg] = []
        for kind in ("plan", "summary", "document", "other"):
            names = sub.files.names(kind)
            if names:
                found.append(Msg("GK100", f"found_{kind}", {"names": Join(tuple(names))}))
        key = "missing" if found else "nothing"
        yield ctx.finding(
            REPORT_MISSING,
            key,
            hint_key="hint",
            found=Join(tuple(found), sep="clause_sep"),
            plans=sub.files.names("plan"),
            summaries=sub.files.names("summary"),
            documents=sub.files.names("document"),
            other=sub.files.names("other"),
        )


@hookimpl
def gkcheck_register_checks(config: Config) -> list[object]:
    """Register GK100."""
    return [ReportPresence()]
