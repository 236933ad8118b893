"""``--format sarif``: SARIF 2.1.0, the log format code-review tools and dashboards read.

One run; ``tool.driver.rules`` lists every rule that ran (help text from the rule's page, a
``file:`` help URI when the page is on disk, the default level). Each finding is a result
with its file as the physical location and, as SARIF's logical location, the place in the
report a reviewer knows (标题, 首段, 结尾, or the photo by name). Waived findings stay in the
log with an accepted external suppression, as SARIF consumers expect.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from gkcheck import __version__
from gkcheck.findings import Finding, Result, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.rulepages import page_uri, rule_page
from gkcheck.rules import Rule
from gkcheck.writers.base import Writer
from gkcheck.writers.rows import findings_in_order, place_of, source_file

__all__ = ["SCHEMA_URI", "SarifWriter"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(file: str) -> str:
    """A relative URI reference for a path (relative to the current directory when inside it).

    Entries of a zip (``x.zip!/新闻稿.docx``) keep their ``!/``; non-ASCII is percent-encoded.
    """
    try:
        rel = os.path.relpath(file)
    except ValueError:
        rel = ".."
    if rel.startswith("..") and Path(file).is_absolute():
        return Path(file).as_uri()
    return quote(Path(rel if not rel.startswith("..") else file).as_posix(), safe="/!")


class SarifWriter:
    """One SARIF log for all results."""

    name = "sarif"
    wants_rules = True

    def write(
        self,
        results: Sequence[Result],
        *,
        lang: str,
        color: bool,
        rules: Sequence[Rule] = (),
    ) -> str:
        """The log, as JSON text."""
        known = {r.id: r for r in rules}
        for result in results:  # a finding of a rule not passed in still gets a descriptor
            for f in result.findings:
                if f.rule not in known:
                    known[f.rule] = Rule(
                        id=f.rule, name=f.name or "unknown", severity=f.severity, summary={}
                    )
        ordered = sorted(known.values(), key=lambda r: r.id)
        index = {r.id: i for i, r in enumerate(ordered)}
        out_results: list[dict[str, Any]] = []
        for result in results:
            for f in findings_in_order(result):
                out_results.append(_result(result, f, index[f.rule], lang))
        log = {
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "gkcheck",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "rules": [_descriptor(r, lang) for r in ordered],
                        }
                    },
                    "columnKind": "unicodeCodePoints",
                    "results": out_results,
                }
            ],
        }
        return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _descriptor(rule: Rule, lang: str) -> dict[str, Any]:
    summary = rule.describe(lang) or rule.name
    out: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "defaultConfiguration": {"level": _LEVEL[rule.severity], "enabled": not rule.off_by_default},
    }
    page = rule_page(rule)
    if page:
        out["fullDescription"] = {"text": summary}
        out["help"] = {"text": page, "markdown": page}
    uri = page_uri(rule)
    if uri:
        out["helpUri"] = uri
    props: dict[str, Any] = {}
    if rule.clause:
        props["clause"] = rule.clause
    if props:
        out["properties"] = props
    return out


def _result(result: Result, f: Finding, rule_index: int, lang: str) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": artifact_uri(source_file(result, f))}}
    }
    place = place_of(result, f, lang)
    if place:
        kind = "resource" if f.location.photo is not None else "element"
        location["logicalLocations"] = [
            {"name": place, "fullyQualifiedName": f"{Path(source_file(result, f)).name}/{place}", "kind": kind}
        ]
    snippet = _block_text(result, f.location.block) if f.location.block is not None else ""
    if snippet:
        location["physicalLocation"]["region"] = {"snippet": {"text": snippet}}
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message + (f"\n{f.hint}" if f.hint else "")},
        "locations": [location],
        "properties": {"submission": str(result.path), "severity": str(f.severity)},
    }
    if f.waived is not None:
        out["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f.waived.get("reason", ""),
                "properties": {k: v for k, v in f.waived.items() if k != "reason"},
            }
        ]
    elif f.waiver_lapsed is not None:
        out["properties"]["waiverLapsed"] = dict(f.waiver_lapsed)
    return out


def _block_text(result: Result, index: int) -> str:
    doc = result.document
    if doc is None:
        return ""
    return next((b.text for b in doc.blocks if b.index == index), "")


@hookimpl
def gkcheck_register_writers() -> list[Writer]:
    """Register the SARIF writer."""
    return [SarifWriter()]
