"""Rules (what is checked, with a stable ID) and checks (the code that finds violations).

A :class:`Rule` is metadata: ID, kebab-case name, default severity, the clause of the notice
it enforces, a one-line summary in each language, and its message templates. A
:class:`Check` is code that yields :class:`~gkcheck.findings.Finding` objects for the rules it
declares; the engine rejects a finding for an undeclared rule, which catches typos early.

Write a check as a decorated function::

    TITLE = Rule(id="GK101", name="title-without-keyword", ...)

    @check_function(TITLE)
    def title_without_keyword(doc: Document, ctx: CheckContext) -> Iterator[Finding]:
        ...
        yield ctx.finding(TITLE, "missing", block=title)

or as a class with ``rules``, ``scope`` and ``__call__`` when it holds loaded resources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from gkcheck.catalogue import messages
from gkcheck.config import Config
from gkcheck.findings import Finding, Location, Severity
from gkcheck.model import Block, Document, Photo, Submission

__all__ = [
    "RULE_ID",
    "Check",
    "CheckContext",
    "FunctionCheck",
    "Rule",
    "check_function",
    "messages",
    "selected",
]

RULE_ID = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")  #: the form every rule ID must have
Scope = Literal["document", "submission"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """A rule's identity and documentation.

    ``summary`` maps a language to a one-line description; ``messages`` maps a language to
    ``{key: template}`` and is consulted before gkcheck's own catalogues, so a plugin brings its
    own wording without editing gkcheck.
    """

    id: str
    name: str
    severity: Severity
    summary: Mapping[str, str]
    clause: str = ""  # the notice's clause, e.g. "附件2·三"
    since: str = "0.1"
    scope: Scope = "document"
    off_by_default: bool = False
    messages: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    docs: str = ""  # path of the rule's page, relative to the docs folder

    def __post_init__(self) -> None:
        if not RULE_ID.match(self.id):
            raise ValueError(f"rule id {self.id!r} does not match {RULE_ID.pattern}")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", self.name):
            raise ValueError(f"rule name {self.name!r} is not kebab-case")

    def describe(self, lang: str) -> str:
        """The one-line summary in ``lang`` (falling back to Chinese, then English)."""
        return self.summary.get(lang) or self.summary.get("zh") or self.summary.get("en", "")

    def template(self, key: str, lang: str) -> str:
        """The message template ``key`` in ``lang``."""
        for source in (self.messages.get(lang, {}), messages(lang).get(self.id, {})):
            if key in source:
                return source[key]
        for source in (self.messages.get("en", {}), messages("en").get(self.id, {})):
            if key in source:
                return source[key]
        return key


@dataclass(slots=True)
class CheckContext:
    """What a check may use besides the document: config, language, the submission.

    ``facts`` collects what checks learned that belongs in the result beyond findings
    (each photo's LOGO verdict, the banner reading); it is the only mutable part.
    """

    config: Config
    path: Path
    lang: str = "zh"
    submission: Submission | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    def finding(
        self,
        rule: Rule,
        key: str,
        *,
        block: Block | None = None,
        photo: Photo | None = None,
        file: Path | None = None,
        span: tuple[int, int] | None = None,
        hint_key: str | None = None,
        severity: Severity | None = None,
        **params: Any,
    ) -> Finding:
        """A finding for ``rule`` with message ``key`` rendered in this context's language.

        ``params`` fill the template and are kept as evidence, so JSON consumers never parse
        prose.
        """
        if severity is None:
            severity = Severity(self.config.severity.get(rule.id, rule.severity.value))
        where = file or (photo.source if photo is not None and photo.source else None) or self.path
        location = Location(
            file=str(where),
            role=block.role if block is not None else None,
            block=block.index if block is not None else None,
            origin=block.origin if block is not None else (photo.origin if photo else None),
            photo=photo.ref if photo is not None else None,
            span=span,
        )
        finding = Finding(
            rule=rule.id,
            name=rule.name,
            severity=severity,
            message="",
            location=location,
            key=key,
            hint_key=hint_key,
            params=params,
        )
        return finding.rendered(self.lang, rule.template, self.config.message_context())

    def photo_fact(self, photo: Photo, key: str, value: Any) -> None:
        """Record ``value`` under ``photos[ref][key]`` in the result."""
        self.facts.setdefault("photos", {}).setdefault(photo.ref, {})[key] = value


@runtime_checkable
class Check(Protocol):
    """Code that checks a document (or a whole submission) for its ``rules``.

    ``scope`` is ``"document"`` (called with the news report) or ``"submission"`` (called
    with the news report too, but it reads ``ctx.submission`` for photos and files sent beside
    it). A check yields findings; it never prints and never raises on bad input.
    """

    # read-only members, so that frozen dataclasses and plain classes both qualify (mypy)
    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules this check may report."""
        ...

    @property
    def scope(self) -> Scope:
        """``"document"`` or ``"submission"``."""
        ...

    @property
    def name(self) -> str:
        """The check's name, in logs and GK002 messages."""
        ...

    def __call__(self, doc: Document, ctx: CheckContext) -> Iterable[Finding]:
        """Yield findings for ``doc``."""
        ...


CheckFn = Callable[[Document, CheckContext], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class FunctionCheck:
    """A :class:`Check` made from a plain function by :func:`check_function`."""

    fn: CheckFn
    rules: tuple[Rule, ...]
    scope: Scope
    name: str

    def __call__(self, doc: Document, ctx: CheckContext) -> Iterable[Finding]:
        """Run the function."""
        return self.fn(doc, ctx)


def check_function(*rules: Rule, scope: Scope | None = None) -> Callable[[CheckFn], FunctionCheck]:
    """Make a check of a function that yields findings for ``rules``."""

    def wrap(fn: CheckFn) -> FunctionCheck:
        return FunctionCheck(
            fn,
            tuple(rules),
            scope or rules[0].scope,
            f"{fn.__module__}.{fn.__qualname__}",
        )

    return wrap


def selected(rule: Rule, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """Whether ``rule`` runs under ``select``/``ignore`` (IDs, ID prefixes or names).

    An empty ``select`` means every rule that is not off by default. The longer (more
    specific) selector wins, as in ruff: ``--select GK1 --ignore GK103`` keeps GK101.
    """

    def best(selectors: Iterable[str]) -> int:
        length = -1
        for s in selectors:
            s = s.strip()
            if not s:
                continue
            if s.upper() in ("ALL", "GK") and rule.id.startswith(s.upper() if s.upper() != "ALL" else ""):
                length = max(length, 0)
            elif rule.id.startswith(s.upper()) or s.lower() == rule.name:
                length = max(length, len(s) if s.lower() != rule.name else 99)
        return length

    sel = list(select)
    chosen = best(sel) if sel else (-1 if rule.off_by_default else 0)
    dropped = best(ignore)
    if chosen < 0:
        return False
    return dropped < chosen or dropped < 0


def iter_findings(check: Check, doc: Document, ctx: CheckContext) -> Iterator[Finding]:
    """Run ``check`` and keep only findings for rules it declared."""
    allowed = {r.id for r in check.rules}
    for finding in check(doc, ctx):
        if finding.rule not in allowed:
            raise ValueError(f"check {check.name} reported undeclared rule {finding.rule}")
        yield finding
