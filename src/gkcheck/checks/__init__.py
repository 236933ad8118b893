"""Built-in checks. Each module registers through the same hooks a third-party plugin uses."""

from __future__ import annotations

from gkcheck.findings import Severity
from gkcheck.rules import Rule

__all__ = ["notice_rule"]


def notice_rule(
    id: str, name: str, severity: Severity, clause: str, *, zh: str, en: str
) -> Rule:
    """A built-in submission rule: its messages live in ``i18n/``, its page in docs/rules."""
    return Rule(
        id=id,
        name=name,
        severity=severity,
        summary={"zh": zh, "en": en},
        clause=clause,
        scope="submission",
        docs=f"rules/{id}.md",
    )
