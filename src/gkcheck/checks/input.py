"""Rules the engine itself reports: unreadable input, unsupported input, a crashing check.

A crashing check is an *error* (fail closed): its findings are missing, so a submission that
should fail could otherwise pass; the reviewer is told to review it by hand.

They are declared here, through the ordinary hook, so that they are listed by ``gkcheck
rules``, documented, and selectable like every other rule; no check code runs for them.
"""

from __future__ import annotations

from collections.abc import Iterable

from gkcheck.config import Config
from gkcheck.findings import Finding, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document
from gkcheck.rules import CheckContext, Rule, check_function

UNREADABLE = Rule(
    id="GK000",
    name="file-unreadable",
    severity=Severity.ERROR,
    summary={"zh": "文件无法读取（损坏、加密或格式不符）", "en": "The file cannot be read"},
    clause="附件2·一",
)
UNSUPPORTED = Rule(
    id="GK001",
    name="file-type-unsupported",
    severity=Severity.ERROR,
    summary={"zh": "不支持的文件类型", "en": "The file type is not supported"},
    clause="附件2·一",
)
CHECK_FAILED = Rule(
    id="GK002",
    name="check-failed",
    severity=Severity.ERROR,
    summary={"zh": "某项检查运行出错，需人工复核", "en": "A check failed; review by hand"},
    clause="",
)


@check_function(UNREADABLE, UNSUPPORTED, CHECK_FAILED)
def engine_rules(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """Nothing to check: the engine reports these rules itself."""
    return ()


@hookimpl
def gkcheck_register_checks(config: Config) -> list[object]:
    """Declare the engine's rules."""
    return [engine_rules]
