"""Findings and results, and the versioned JSON contract they serialise to.

The JSON written here is a contract with integrators (``schema`` 2, see docs/json.md): keys are
only ever added; renaming or removing one, or changing what a value means, needs a new schema
number. Serialisation is explicit, field by field,
so that renaming a Python attribute cannot silently change the contract.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from gkcheck import __version__
from gkcheck.catalogue import fill, render_params, to_plain
from gkcheck.model import Document, Origin, Role

__all__ = ["SCHEMA", "Finding", "Location", "Result", "Severity", "results_to_json"]

SCHEMA = 2  #: version of the JSON contract


class Severity(StrEnum):
    """How much a finding matters. Only ``error`` makes a result fail."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe; used for ``--fail-level`` and sorting."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """Where a finding points: a file, and within it a block, a photo or a span."""

    file: str
    role: Role | None = None
    block: int | None = None
    origin: Origin | None = None
    photo: str | None = None
    span: tuple[int, int] | None = None  # character offsets in the block's text

    def describe(self, lang: str = "zh") -> str:
        """Words a reviewer can follow to the place."""
        from gkcheck.catalogue import table

        words = table("places", lang)
        parts: list[str] = []
        if self.origin is not None:
            where = self.origin.describe(lang)
            if where:
                parts.append(where)
        if self.photo is not None:
            parts.append(words["photo"].format(ref=self.photo))
        return str(words["sep"]).join(parts)

    def to_json(self) -> dict[str, Any]:
        """The contract's ``location`` object; absent parts are left out."""
        out: dict[str, Any] = {"file": self.file}
        if self.role is not None:
            out["role"] = str(self.role)
        if self.block is not None:
            out["block"] = self.block
        if self.origin is not None:
            o = self.origin
            out["container"] = o.container
            for key in ("paragraph", "table", "row", "col", "page"):
                value = getattr(o, key)
                if value is not None:
                    out[key] = value
            if o.bbox is not None:
                out["bbox"] = [round(v, 1) for v in o.bbox]
            if o.ocr:
                out["ocr"] = True
        if self.photo is not None:
            out["photo"] = self.photo
        if self.span is not None:
            out["span"] = list(self.span)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One thing a check found: which rule, how bad, what and where, and the evidence."""

    rule: str
    severity: Severity
    message: str  # what is wrong and where, in the requested language
    location: Location
    hint: str | None = None  # what to do about it
    name: str = ""  # the rule's kebab-case name
    evidence: Mapping[str, Any] = field(default_factory=dict)
    waived: Mapping[str, str] | None = None  # the reviewer's waiver (see gkcheck.waivers)
    waiver_lapsed: Mapping[str, str] | None = None  # a waiver for files that have changed since
    # The message as catalogue keys, so that it can be worded again in another language without
    # checking again (a stored batch shown with another --lang): ``key``/``hint_key`` in the
    # rule's table, ``params`` language-independent (words inside are catalogue.Msg values).
    key: str = ""
    hint_key: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def rendered(
        self,
        lang: str,
        template: Callable[[str, str], str],
        context: Mapping[str, Any] | None = None,
    ) -> Finding:
        """This finding worded in ``lang``; ``template(key, lang)`` is the rule's template.

        ``message``, ``hint`` and ``evidence`` are derived from ``key``, ``hint_key`` and
        ``params``; ``context`` adds what every message may use from the configuration
        (``keyword``, ``year``). A finding made without a key is returned unchanged.
        """
        if not self.key:
            return self
        words = render_params(self.params, lang)
        fill_ = {**(context or {}), **words, "where": self.location.describe(lang)}
        message = fill(template(self.key, lang), fill_)
        hint = fill(template(self.hint_key, lang), fill_) if self.hint_key else None
        evidence = {k: v for k, v in words.items() if v is not None and v != ""}
        return replace(self, message=message, hint=hint, evidence=evidence)

    @property
    def counts(self) -> bool:
        """Whether the finding counts toward the verdict and the exit status (not waived)."""
        return self.waived is None

    def sort_key(self) -> tuple[int, int, str]:
        """Document order first, then rule ID, so output reads like the file."""
        block = self.location.block if self.location.block is not None else 10**9
        return (-self.severity.rank if block == 10**9 else 0, block, self.rule)

    def to_json(self) -> dict[str, Any]:
        """The contract's ``finding`` object."""
        out: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "severity": str(self.severity),
            "message": self.message,
            "location": self.location.to_json(),
        }
        if self.hint:
            out["hint"] = self.hint
        if self.evidence:
            out["evidence"] = _jsonable(self.evidence)
        if self.waived is not None:
            out["waived"] = dict(self.waived)
        if self.waiver_lapsed is not None:
            out["waiver_lapsed"] = dict(self.waiver_lapsed)
        if self.key:
            out["key"] = self.key
            if self.hint_key:
                out["hint_key"] = self.hint_key
            out["params"] = to_plain(self.params)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """The verdict on one input (a file, or a folder taken as one submission)."""

    path: Path
    kind: str
    findings: tuple[Finding, ...] = ()
    document: Document | None = None  # the (news report) document, roles assigned
    files: tuple[Mapping[str, Any], ...] = ()  # for submissions: each file and its role
    facts: Mapping[str, Any] = field(default_factory=dict)  # photos' logo, banner, …

    @property
    def ok(self) -> bool:
        """True exactly when no error-severity finding is present (waived ones aside)."""
        return not any(f.severity is Severity.ERROR and f.counts for f in self.findings)

    def rules(self) -> set[str]:
        """IDs of the rules that fired."""
        return {f.rule for f in self.findings}

    def to_dict(self) -> dict[str, Any]:
        """The contract's RESULT object."""
        doc = self.document
        structure: dict[str, Any] = {"title": None, "lead": None, "body": [], "ending": None}
        blocks: list[dict[str, Any]] = []
        photos: list[dict[str, Any]] = []
        photo_facts: Mapping[str, Mapping[str, Any]] = self.facts.get("photos", {})
        loose = {p.ref for p in self.facts.get("loose_photos", ())}
        if doc is not None:
            titles = doc.by_role(Role.TITLE)
            structure["title"] = "\n".join(b.text for b in titles) if titles else None
            lead = doc.first(Role.LEAD)
            ending = doc.first(Role.ENDING)
            structure["lead"] = lead.text if lead else None
            structure["ending"] = ending.text if ending else None
            structure["body"] = [b.text for b in doc.by_role(Role.BODY)]
            for b in doc.blocks:
                item: dict[str, Any] = {"index": b.index, "role": str(b.role), "text": b.text}
                item["container"] = b.origin.container
                if b.origin.page is not None:
                    item["page"] = b.origin.page
                if b.origin.ocr:
                    item["ocr"] = True
                blocks.append(item)
        for photo in self.all_photos():
            entry: dict[str, Any] = {
                "ref": photo.ref,
                "width": photo.width,
                "height": photo.height,
            }
            if photo.origin.page is not None:
                entry["page"] = photo.origin.page
            entry["source"] = "file" if photo.ref in loose else "embedded"
            entry.update(_jsonable(photo_facts.get(photo.ref, {})))
            photos.append(entry)
        out: dict[str, Any] = {
            "path": str(self.path),
            "kind": self.kind,
            "ok": self.ok,
            "structure": structure,
            "blocks": blocks,
            "photos": photos,
            "findings": [f.to_json() for f in sorted(self.findings, key=Finding.sort_key)],
        }
        if self.files:
            out["files"] = [_jsonable(f) for f in self.files]
        for key, value in self.facts.items():
            if key not in ("photos", "loose_photos"):
                out[key] = _jsonable(value)
        return out

    def all_photos(self) -> list[Any]:
        """Photos the result speaks of: the report's, then loose ones (from facts)."""
        embedded = list(self.document.photos) if self.document is not None else []
        return [*embedded, *self.facts.get("loose_photos", ())]

    def to_json(self, *, indent: int | None = 2) -> str:
        """This result alone, wrapped in the contract's envelope."""
        return results_to_json([self], indent=indent)


def results_to_json(results: Sequence[Result], *, indent: int | None = 2) -> str:
    """``{"schema": 2, "gkcheck": VERSION, "results": [...]}``."""
    envelope = {
        "schema": SCHEMA,
        "gkcheck": __version__,
        "results": [r.to_dict() for r in results],
    }
    return json.dumps(envelope, ensure_ascii=False, indent=indent, sort_keys=False)


def _jsonable(value: Any) -> Any:
    """Plain JSON values from tuples, paths, enums and mappings."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Iterable):
        return [_jsonable(v) for v in value]
    return str(value)
