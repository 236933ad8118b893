"""``submission.toml``: the dates a unit declares for one submission.

The report text shows when the activity happened, but not when the plan was filed or
when materials reached the office; those come from the unit (or the clerk) in a small
TOML file next to the submission::

    activity_date = 2023-04-18
    plan_filed = 2023-04-10
    materials_sent = 2023-04-19
    summary_sent = 2023-04-24
    unit = "雨花区教育局"   # optional
    seq = 1                 # optional: 序号 in attachment 1, if the unit states it

Every key is optional because a missing date is itself a finding the rules report
("no plan filing date declared"); but a present key must be well-formed and an unknown
key is an error, since a misspelt ``plan_filled`` would otherwise silently read as
"not declared".
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gkcheck.catalogue import Msg

__all__ = ["DATE_KEYS", "KEYS", "Manifest", "ManifestError", "ManifestProblem"]

#: Keys holding dates, in the order the notice's deadlines apply.
DATE_KEYS: tuple[str, ...] = (
    "activity_date",
    "plan_filed",
    "materials_sent",
    "summary_sent",
)
#: A manifest is a handful of lines; anything longer is not one (and /dev/zero never ends).
MAX_BYTES = 64 * 1024
#: Arrays/inline tables nest at most this deep (tomllib recurses once per level).
MAX_DEPTH = 16
#: Every key a manifest may hold.
KEYS: tuple[str, ...] = (*DATE_KEYS, "unit", "seq")


@dataclass(frozen=True, slots=True)
class ManifestProblem:
    """One problem, tied to the key it concerns (``None`` for the file as a whole)."""

    key: str | None
    message: str  # in English, for logs and programs
    words: Msg | None = None  # the same in catalogue words (``[manifest]``), for the reviewer

    def __str__(self) -> str:
        return f"{self.key}: {self.message}" if self.key else self.message

    def worded(self) -> Msg:
        """The problem as catalogue words: ``key: problem`` in the review's language."""
        text: Msg | str = self.words if self.words is not None else self.message
        if self.key:
            return Msg("manifest", "problem", {"key": self.key, "text": text})
        return text if isinstance(text, Msg) else Msg("manifest", "raw", {"text": text})


class ManifestError(ValueError):
    """A manifest that cannot be read; lists every problem, each naming its key.

    All problems are collected at once so a unit fixes its file in one round trip.
    """

    def __init__(self, source: str, problems: tuple[ManifestProblem, ...]) -> None:
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{source}: invalid submission manifest\n{lines}")
        self.source = source
        self.problems = problems

    @property
    def keys(self) -> tuple[str | None, ...]:
        """The keys with problems, in the order found."""
        return tuple(p.key for p in self.problems)


@dataclass(frozen=True, slots=True)
class Manifest:
    """The declared facts of one submission; ``None`` means "not declared"."""

    activity_date: dt.date | None = None
    plan_filed: dt.date | None = None
    materials_sent: dt.date | None = None
    summary_sent: dt.date | None = None
    unit: str | None = None
    seq: int | None = None

    @classmethod
    def load(cls, path: str | Path) -> Manifest:
        """Read a ``submission.toml`` file."""
        from gkcheck.safeio import Refused, read_limited

        p = Path(path)
        try:
            text = read_limited(p, limit=MAX_BYTES).decode("utf-8-sig")
        except Refused as exc:
            raise ManifestError(
                str(p), (ManifestProblem(None, exc.refusal.text("en"), exc.refusal.msg()),)
            ) from exc
        except UnicodeDecodeError as exc:
            raise ManifestError(
                str(p), (_problem(None, "not_utf8", detail=exc.reason),)
            ) from exc
        return cls.parse(text, source=str(p))

    @classmethod
    def parse(cls, text: str, *, source: str = "submission.toml") -> Manifest:
        """Parse manifest TOML text."""
        if len(text) > MAX_BYTES:
            raise ManifestError(
                source, (_problem(None, "too_long", n=len(text), limit=MAX_BYTES),)
            )
        depth = _nesting(text)
        if depth > MAX_DEPTH:
            raise ManifestError(
                source, (_problem(None, "nested", depth=depth, limit=MAX_DEPTH),)
            )
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ManifestError(
                source, (_problem(None, "not_toml", detail=str(exc)),)
            ) from exc
        except (RecursionError, MemoryError) as exc:  # belt and braces after _nesting
            raise ManifestError(
                source, (_problem(None, "unparsable", detail=type(exc).__name__),)
            ) from exc
        return cls.from_mapping(data, source=source)

    @classmethod
    def from_mapping(
        cls, data: dict[str, Any], *, source: str = "submission.toml"
    ) -> Manifest:
        """Validate an already parsed table (e.g. one embedded in another file)."""
        problems: list[ManifestProblem] = []
        for key in data:
            if key not in KEYS:
                problems.append(
                    _problem(key, "unknown_key", allowed=", ".join(KEYS))
                )
        dates: dict[str, dt.date | None] = {}
        for key in DATE_KEYS:
            dates[key] = _date_value(key, data.get(key), problems)
        unit = data.get("unit")
        if unit is not None and (not isinstance(unit, str) or not unit.strip()):
            problems.append(
                _problem("unit", "not_text", value=repr(unit))
            )
            unit = None
        seq = data.get("seq")
        if seq is not None and (
            isinstance(seq, bool) or not isinstance(seq, int) or seq < 1
        ):
            problems.append(
                _problem("seq", "not_seq", value=repr(seq))
            )
            seq = None
        if problems:
            raise ManifestError(source, tuple(problems))
        return cls(
            activity_date=dates["activity_date"],
            plan_filed=dates["plan_filed"],
            materials_sent=dates["materials_sent"],
            summary_sent=dates["summary_sent"],
            unit=unit.strip() if isinstance(unit, str) else None,
            seq=seq,
        )


def _date_value(
    key: str, value: object, problems: list[ManifestProblem]
) -> dt.date | None:
    """A TOML date; a date-time is reduced to its day (deadlines count whole days)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        code = "quoted_date" if _looks_iso(value) else "string_date"
        problems.append(_problem(key, code, value=repr(value), bare=value))
        return None
    problems.append(_problem(key, "not_date", kind=type(value).__name__))
    return None


def _problem(key: str | None, code: str, **params: Any) -> ManifestProblem:
    """A problem worded from the ``[manifest]`` catalogue table (English kept as ``message``)."""
    words = Msg("manifest", code, params)
    return ManifestProblem(key, words.text("en"), words)


def _nesting(text: str) -> int:
    """The deepest ``[``/``{`` nesting outside strings and comments (an upper bound is enough).

    A value nested hundreds deep makes :mod:`tomllib` recurse past Python's limit; counting
    first refuses it as a manifest problem instead of a crash.
    """
    depth = deepest = 0
    quote = ""
    comment = False
    escaped = False
    for ch in text:
        if comment:
            comment = ch != "\n"
        elif quote:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            comment = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
    return deepest


def _looks_iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True
