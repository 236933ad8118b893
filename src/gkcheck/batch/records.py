"""Results back from their JSON: a resumed batch's old results feed the same writers as new ones.

A batch keeps results only as the JSON contract (``results.jsonl``); the spreadsheet and the
HTML page take :class:`~gkcheck.findings.Result` objects. :func:`result_from_dict` rebuilds
one from its RESULT object so that ``result_from_dict(d).to_dict() == d`` for everything the
contract carries (photo bytes are not in the contract: thumbnails travel separately).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkcheck.catalogue import Msg, from_plain
from gkcheck.findings import Finding, Location, Result, Severity
from gkcheck.model import Block, Document, Origin, Photo, Role

if TYPE_CHECKING:
    from collections.abc import Mapping

    from gkcheck.rules import Rule

__all__ = ["result_from_dict", "reword"]

_PHOTO_KEYS = {"ref", "width", "height", "page", "source"}
_RESULT_KEYS = {"path", "kind", "ok", "structure", "blocks", "photos", "findings", "files"}


def _role(value: Any) -> Role | None:
    if value is None:
        return None
    try:
        return Role(str(value))
    except ValueError:
        return Role.UNKNOWN


def _origin(loc: Mapping[str, Any]) -> Origin | None:
    if "container" not in loc:
        return None
    bbox = loc.get("bbox")
    return Origin(
        container=str(loc["container"]),
        paragraph=loc.get("paragraph"),
        table=loc.get("table"),
        row=loc.get("row"),
        col=loc.get("col"),
        page=loc.get("page"),
        bbox=(float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3])) if bbox else None,
        ocr=bool(loc.get("ocr", False)),
    )


def _finding(data: Mapping[str, Any]) -> Finding:
    loc = data.get("location", {})
    span = loc.get("span")
    location = Location(
        file=str(loc.get("file", "")),
        role=_role(loc.get("role")),
        block=loc.get("block"),
        origin=_origin(loc),
        photo=loc.get("photo"),
        span=(int(span[0]), int(span[1])) if span else None,
    )
    try:
        severity = Severity(str(data.get("severity", "error")))
    except ValueError:
        severity = Severity.ERROR
    return Finding(
        rule=str(data.get("rule", "")),
        severity=severity,
        message=str(data.get("message", "")),
        location=location,
        hint=data.get("hint"),
        name=str(data.get("name", "")),
        evidence=dict(data.get("evidence", {})),
        waived=_mark(data.get("waived")),
        waiver_lapsed=_mark(data.get("waiver_lapsed")),
        key=str(data.get("key", "")),
        hint_key=data.get("hint_key"),
        params=from_plain(dict(data.get("params", {}))),
    )


def _mark(value: Any) -> dict[str, str] | None:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else None


def result_from_dict(data: Mapping[str, Any]) -> Result:
    """The :class:`Result` a RESULT object was written from (without photo bytes)."""
    path = Path(str(data.get("path", "")))
    kind = str(data.get("kind", "unknown"))
    blocks = tuple(
        Block(
            index=int(b.get("index", i)),
            text=str(b.get("text", "")),
            role=_role(b.get("role")) or Role.UNKNOWN,
            origin=Origin(
                container=str(b.get("container", "body")),
                page=b.get("page"),
                ocr=bool(b.get("ocr", False)),
            ),
        )
        for i, b in enumerate(data.get("blocks", []))
    )
    embedded: list[Photo] = []
    loose: list[Photo] = []
    photo_facts: dict[str, Any] = {}
    for p in data.get("photos", []):
        photo = Photo(
            ref=str(p.get("ref", "")),
            width=int(p.get("width", 0)),
            height=int(p.get("height", 0)),
            origin=Origin(
                container="file" if p.get("source") == "file" else "body", page=p.get("page")
            ),
        )
        (loose if p.get("source") == "file" else embedded).append(photo)
        extra = {k: v for k, v in p.items() if k not in _PHOTO_KEYS}
        if extra:
            photo_facts[photo.ref] = extra
    document: Document | None = None
    if blocks or embedded:
        document = Document(path=path, kind=kind, blocks=blocks, photos=tuple(embedded))
    facts: dict[str, Any] = {k: v for k, v in data.items() if k not in _RESULT_KEYS}
    if photo_facts:
        facts["photos"] = photo_facts
    if loose or any(p.get("source") == "file" for p in data.get("photos", [])):
        facts["loose_photos"] = tuple(loose)
    return Result(
        path=path,
        kind=kind,
        findings=tuple(_finding(f) for f in data.get("findings", [])),
        document=document,
        files=tuple(dict(f) for f in data.get("files", [])),
        facts=facts,
    )


def reword(
    result: Result, lang: str, rules: Mapping[str, Rule], context: Mapping[str, Any]
) -> Result:
    """``result`` worded in ``lang`` from its findings' message keys, checking nothing again.

    ``rules`` (the registry's) give each finding's templates, plugins' included; ``context``
    is the configuration's part of every message (:meth:`gkcheck.config.Config.message_context`).
    A finding without a key, or of a rule no longer registered, keeps the words it has.
    """
    findings = tuple(
        f.rendered(lang, rules[f.rule].template, context) if f.rule in rules else f
        for f in result.findings
    )
    facts = dict(result.facts)
    logo = facts.get("logo_template")
    if isinstance(logo, dict) and logo.get("demo"):
        facts["logo_template"] = {**logo, "warning": Msg("logo", "demo_template").text(lang)}
    return replace(result, findings=findings, facts=facts)
