"""A reviewer's recorded decisions: "GK202 on this submission, checked by hand, accepted".

A Word file cannot carry ``# noqa``, so decisions live in a waivers file (``waivers.toml`` in
the batch folder, or ``--waivers FILE``), one ``[[waiver]]`` table per decision::

    [[waiver]]
    submission = "区医保局-0503-走流程解难题优服务"   # its name in the batch folder
    rule = "GK104"
    hash = "9f2c…"                                  # content hash of its files when waived
    reviewer = "张三"
    reason = "结尾段写的是活动简称，经科室确认可以接受"
    date = "2026-12-02"

A waiver holds only for the files the reviewer looked at: the hash is
:func:`gkcheck.batch.discover.content_hash` of the submission, the same fingerprint that
decides whether a batch re-checks it. When the files change, the waiver *lapses*: the finding
counts again and says that its waiver lapsed. A waived finding is never dropped: every output
shows it, marked with who waived it, why and when; it no longer counts toward the verdict.

Waivers are applied after the checks ran (:meth:`Waivers.apply`), by whoever knows the
submission's name and fingerprint: ``check``/``schedule`` and the API per result, ``batch``
when it renders its outputs from stored results (so adding a waiver re-checks nothing).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gkcheck.batch.discover import SubmissionRef, content_hash, holds_submissions
from gkcheck.errors import ConfigError
from gkcheck.findings import Finding, Result

__all__ = ["WAIVERS_FILE", "Waiver", "Waivers", "locate", "ref_for", "waivers_for"]

WAIVERS_FILE = "waivers.toml"  #: the default name, in the batch folder


@dataclass(frozen=True, slots=True)
class Waiver:
    """One recorded decision."""

    submission: str
    rule: str
    hash: str
    reviewer: str
    reason: str
    date: str

    def mark(self) -> dict[str, str]:
        """What a finding carries about this waiver (``waived`` / ``waiver_lapsed``)."""
        return {
            "reviewer": self.reviewer,
            "reason": self.reason,
            "date": self.date,
            "hash": self.hash,
        }

    def to_toml(self) -> str:
        """The ``[[waiver]]`` table (JSON string escapes are valid TOML basic strings)."""
        lines = ["[[waiver]]"]
        for key in ("submission", "rule", "hash", "reviewer", "reason", "date"):
            lines.append(f"{key} = {json.dumps(getattr(self, key), ensure_ascii=False)}")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Waivers:
    """The decisions of one waivers file; ``root`` is the folder submission names are relative to."""

    entries: tuple[Waiver, ...] = ()
    root: Path | None = None
    source: Path | None = None

    def __bool__(self) -> bool:
        return bool(self.entries)

    @classmethod
    def load(cls, path: str | Path, *, root: Path | None = None) -> Waivers:
        """The waivers in ``path`` (none when it does not exist); a bad file is a ConfigError."""
        file = Path(path)
        base = root if root is not None else file.parent
        if not file.exists():
            return cls((), base, file)
        try:
            raw = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError("(file)", "err_waivers", str(file), detail=str(exc)) from exc
        items = raw.get("waiver", [])
        if not isinstance(items, list):
            raise ConfigError("waiver", "err_waiver_tables", str(file))
        out: list[Waiver] = []
        for i, item in enumerate(items):
            out.append(_waiver(item, f"waiver[{i}]", str(file)))
        return cls(tuple(out), base, file)

    def add(self, waiver: Waiver) -> Waivers:
        """Append ``waiver`` to the file (created when missing) and return the new set."""
        if self.source is None:
            raise ConfigError("(file)", "err_no_waivers_file", "waivers")
        self.source.parent.mkdir(parents=True, exist_ok=True)
        text = waiver.to_toml()
        if self.source.exists() and self.source.stat().st_size:
            text = "\n" + text
        fd = os.open(self.source, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(text)
        return replace(self, entries=(*self.entries, waiver))

    def apply(self, result: Result, key: str, content: str) -> Result:
        """``result`` with each finding of a waived rule marked waived (or its waiver lapsed).

        The newest matching waiver wins; a waiver whose hash is not ``content`` has lapsed.
        """
        mine = [w for w in self.entries if w.submission == key]
        if not mine or not result.findings:
            return result
        findings = tuple(_mark(f, mine, content) for f in result.findings)
        return replace(result, findings=findings)

    def apply_ref(self, result: Result, ref: SubmissionRef) -> Result:
        """:meth:`apply` for a submission found by discovery (hashes its files)."""
        if not any(w.submission == ref.key for w in self.entries):
            return result
        return self.apply(result, ref.key, content_hash(ref))

    def apply_path(self, result: Result, path: Path) -> Result:
        """:meth:`apply` for a submission named by its path (``check PATH``, the API)."""
        if not self.entries:
            return result
        return self.apply_ref(result, ref_for(path, self.root))


def _mark(finding: Finding, waivers: Sequence[Waiver], content: str) -> Finding:
    matching = [w for w in waivers if w.rule == finding.rule]
    if not matching:
        return finding
    current = [w for w in matching if w.hash == content]
    if current:
        return replace(finding, waived=current[-1].mark(), waiver_lapsed=None)
    return replace(finding, waived=None, waiver_lapsed=matching[-1].mark())


def _waiver(item: Any, where: str, source: str) -> Waiver:
    if not isinstance(item, Mapping):
        raise ConfigError(where, "err_table", source)
    values: dict[str, str] = {}
    for key in ("submission", "rule", "hash", "reviewer", "reason"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}.{key}", "err_not_text", source)
        values[key] = value.strip()
    date = item.get("date", "")
    values["date"] = date.isoformat() if isinstance(date, dt.date) else str(date)
    values["rule"] = values["rule"].upper()
    return Waiver(**values)


def ref_for(path: Path, root: Path | None) -> SubmissionRef:
    """The submission at ``path`` as discovery names it: relative to ``root`` when inside it."""
    key = path.name
    if root is not None:
        try:
            key = Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            key = path.name
    if path.is_dir() and not path.is_symlink():
        form = "folder"
    elif path.is_file() and path.name.lower().endswith(".zip"):
        form = "zip"
    else:
        form = "file"
    return SubmissionRef(key, path, form)


def locate(path: Path, explicit: Path | None = None, *, is_root: bool = False) -> tuple[Path, Path]:
    """(waivers file, folder submission names are relative to) for ``path``.

    For a batch folder (``is_root``, or a folder that holds submissions): its ``waivers.toml``.
    For one submission: the ``waivers.toml`` of the folder holding it, or of the one above that
    (a unit's folder of activities), else the one beside it (where ``waive`` creates it).
    ``--waivers FILE`` replaces the file, never the folder names are relative to.
    """
    if is_root or holds_submissions(path):
        return (explicit or path / WAIVERS_FILE), path
    parent = Path(os.path.abspath(path)).parent
    if explicit is not None:
        return explicit, parent
    for folder in (parent, parent.parent):
        if (folder / WAIVERS_FILE).is_file():
            return folder / WAIVERS_FILE, folder
    return parent / WAIVERS_FILE, parent


def waivers_for(path: Path, explicit: Path | None = None, *, is_root: bool = False) -> Waivers:
    """The waivers that apply to ``path`` (see :func:`locate`)."""
    file, root = locate(path, explicit, is_root=is_root)
    return Waivers.load(file, root=root)
