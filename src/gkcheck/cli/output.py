"""What ``check`` prints and returns once the results are in: the format, the file, the status.

Kept apart from :mod:`gkcheck.cli` so that the linter conventions (``--output-file``,
``--statistics``, ``-q``, ``--fail-level``) live in one small module. Writers are asked only
for the options they accept (``rules``, ``quiet``), as hooks are: a plugin's writer with the
plain ``write(results, *, lang, color)`` keeps working.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from gkcheck.findings import Result, Severity
from gkcheck.rules import Rule
from gkcheck.ui import say
from gkcheck.writers.base import FileWriter, Writer

__all__ = ["Progress", "emit", "exit_status", "statistics"]


def _accepts(writer: object, name: str) -> bool:
    try:
        params = inspect.signature(writer.write).parameters  # type: ignore[attr-defined]
    except (TypeError, ValueError, AttributeError):
        return False
    return name in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def emit(
    results: Sequence[Result],
    writer: Writer | FileWriter,
    *,
    lang: str,
    rules: Sequence[Rule],
    output: Path | None,
    quiet: bool = False,
    config: Any = None,
) -> str | None:
    """Write ``results`` with ``writer`` to ``output`` or stdout; an error text when it cannot."""
    if isinstance(writer, FileWriter):
        if output is None:
            return say("needs_output_file", lang, name=writer.name, suffix=writer.suffix)
        writer.write_file(results, output, lang=lang, rules=rules, config=config)
        return None
    color = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    extra: dict[str, Any] = {}
    if _accepts(writer, "rules"):
        extra["rules"] = rules
    if quiet and _accepts(writer, "quiet"):
        extra["quiet"] = True
    text = writer.write(results, lang=lang, color=color, **extra)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return None


def statistics(results: Sequence[Result], rules: Sequence[Rule], lang: str) -> str:
    """Counts per rule, most frequent first (``--statistics``, as ruff prints it)."""
    names = {r.id: r for r in rules}
    counts: dict[tuple[str, str], int] = {}
    waived: dict[str, int] = {}
    for result in results:
        for f in result.findings:
            if not f.counts:
                waived[f.rule] = waived.get(f.rule, 0) + 1
                continue
            counts[(f.rule, f.severity.value)] = counts.get((f.rule, f.severity.value), 0) + 1
    lines = []
    for (rule, sev), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        name = names[rule].name if rule in names else ""
        lines.append(f"{n:>5}  {rule}  {say('severity_' + sev, lang)}  {name}")
    for rule, n in sorted(waived.items()):
        label = say("waived", lang)
        lines.append(f"{n:>5}  {rule}  {label}")
    return "".join(line + "\n" for line in lines)


def exit_status(results: Sequence[Result], fail_level: str) -> int:
    """1 when a finding that counts (not waived) reaches ``fail_level``, else 0."""
    level = Severity(fail_level).rank
    return int(any(f.severity.rank >= level and f.counts for r in results for f in r.findings))


def fail_level_note(results: Sequence[Result], fail_level: str, lang: str) -> str | None:
    """Why the status is 1 when every submission passed (``--fail-level warning``)."""
    if fail_level == "error" or not exit_status(results, fail_level) or any(not r.ok for r in results):
        return None
    level = say("severity_" + fail_level, lang)
    return "gkcheck: " + say("fail_level_note", lang, level=level, fail_level=fail_level)


class Progress:
    """``检查中 3/13 区医保局…`` on stderr while ``check`` works; silent when not a terminal."""

    def __init__(self, total: int, *, lang: str, enabled: bool, stream: IO[str] | None = None) -> None:
        self.total = total
        self.lang = lang
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 1
        self.done = 0

    def start(self, path: Path) -> None:
        """Say what is being checked now."""
        if not self.enabled:
            return
        word = say("checking", self.lang)
        name = path.name[:40]
        self.stream.write(f"\r\033[K{word} {self.done + 1}/{self.total} {name}")
        self.stream.flush()

    def advance(self) -> None:
        """One more input done."""
        self.done += 1

    def close(self) -> None:
        """Clear the line."""
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()
