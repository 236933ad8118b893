"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=PATH,title=GK104 ending-without-keyword::MESSAGE`` (``warning`` and ``notice``
for the other levels; waived findings as notices that say so). Values are escaped as the
runner expects: ``%``, CR and LF everywhere, ``:`` and ``,`` in properties too.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from gkcheck.catalogue import table
from gkcheck.findings import Result, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.writers.base import Writer
from gkcheck.writers.rows import findings_in_order, place_of, source_file, waiver_note

__all__ = ["GithubWriter", "escape_data", "escape_property"]

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """A workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _relative(file: str) -> str:
    try:
        rel = os.path.relpath(file.split("!/")[0])
    except ValueError:
        return file
    return file if rel.startswith("..") else rel


class GithubWriter:
    """Annotations GitHub shows on the run and on the files."""

    name = "github"

    def write(self, results: Sequence[Result], *, lang: str, color: bool) -> str:
        """One line per finding."""
        lines: list[str] = []
        for result in results:
            for f in findings_in_order(result):
                command = _COMMAND[f.severity] if f.counts else "notice"
                place = place_of(result, f, lang)
                message = f.message + (table("text", lang)["where"].format(where=place) if place else "")
                note = waiver_note(f, lang)
                if note:
                    message += f" — {note}"
                props = [f"file={escape_property(_relative(source_file(result, f)))}"]
                props.append(f"title={escape_property(f'{f.rule} {f.name}'.strip())}")
                lines.append(f"::{command} {','.join(props)}::{escape_data(message)}")
        return "".join(line + "\n" for line in lines)


@hookimpl
def gkcheck_register_writers() -> list[Writer]:
    """Register the GitHub annotations writer."""
    return [GithubWriter()]
